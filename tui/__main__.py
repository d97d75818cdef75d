"""The command line: ``python -m tui [PRESET] [--lesson SECTION] [--lr X] [--seed S]
[--optimizer NAME]``.

PRESET is a built-in name, a ``.toml`` file, or a session saved with ``s`` (``FILE.npz``),
which resumes where it was saved. ``--lesson 1.1`` starts on that lesson of the course, on
its own preset; with no PRESET the app starts where the notes begin, on lesson 1.0.

``python -m tui --serve [--host H] [--port P] [--files DIR] [PRESET ...]`` serves the app in a
browser instead (``tui.serve``): each tab runs its own app with the same arguments, its files
confined to one folder.

``python -m tui --reset-progress`` forgets the learner's answers to the lessons' questions
(kept between runs in the user's data folder, ``tui.answers``) and exits.

Everything is checked before the screen opens: a bad argument or a preset that does not
load prints one ``error: ...`` line on stderr and exits with code 2.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path


def fail(message: str) -> None:
    """Print ``error: message`` on stderr (one short line) and exit with code 2."""
    from core.arguments import error_line

    print(error_line(message), file=sys.stderr)
    raise SystemExit(2)


def _pace(text: str) -> int | str:
    from core.session import PACE_RULE, parse_pace
    from core.text import quoted

    try:
        pace = parse_pace(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {PACE_RULE}, got {quoted(text)}") from None
    return "max" if pace is None else pace


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser: PRESET, --lr, --seed, --optimizer and the --serve options."""
    from core.arguments import CommandLineParser, learning_rate, whole_number
    from core.engine import OPTIMIZERS
    from core.limits import PACES

    parser = CommandLineParser(
        prog="backprop-tui",
        description="Train a small neural network in the terminal and watch gradient "
                    "descent and backpropagation happen. Press ? in the app for the keys.",
    )
    parser.add_argument("preset", nargs="?", default=None,
                        help="a built-in preset name, a .toml file, or a session saved "
                             "with s (.npz) to resume (default: the first lesson, 1.0, on "
                             "twice)")
    parser.add_argument("--lesson", metavar="SECTION",
                        help="start on the lesson of a section, 1.0-1.7 or 2.1-2.4, on "
                             "its own preset (or PRESET, if given); t lists the lessons")
    parser.add_argument("--lr", type=learning_rate, metavar="X",
                        help="learning rate (default: the preset's)")
    parser.add_argument("--seed", type=whole_number(0), metavar="S",
                        help="seed of the initial weights (default: the preset's)")
    parser.add_argument("--pace", type=_pace, metavar="N|max",
                        help="epochs a second while running: "
                             + ", ".join(str(pace) for pace in PACES if pace is not None)
                             + " or max (default: the preset's)")
    parser.add_argument("--stop-at-target", action="store_true",
                        help="pause where the training loss first reaches the preset's "
                             "target loss (the T key)")
    parser.add_argument("--optimizer", choices=tuple(OPTIMIZERS), metavar="NAME",
                        help="gd, momentum or adam (default: the preset's)")
    parser.add_argument("--reset-progress", action="store_true",
                        help="forget your answers to the lessons' questions, then exit")
    web = parser.add_argument_group(
        "in a browser",
        "--serve serves the app on a web page: each browser tab gets its own app and session, "
        "started with the arguments above. The default host, 127.0.0.1, serves this machine "
        "only; --host 0.0.0.0 shares it on the network, and anyone who can reach it can use "
        "it. Files are opened, saved and exported in one folder only.")
    web.add_argument("--serve", action="store_true",
                     help="serve the app in a browser until ctrl+c")
    web.add_argument("--host", metavar="HOST",
                     help="address to serve on (default: 127.0.0.1; 0.0.0.0: every network "
                          "interface, open to anyone who can reach this machine)")
    web.add_argument("--port", type=whole_number(1, 65535, "a port from 1 to 65535"),
                     metavar="PORT",
                     help="port to serve on (default: 8000)")
    web.add_argument("--files", metavar="DIR",
                     help="the one folder every tab opens, saves and exports in (default: a "
                          "new folder per tab, removed when the tab closes)")
    # set by the server for each tab's app: the folder its files are confined to
    parser.add_argument("--files-root", metavar="DIR", help=argparse.SUPPRESS)
    return parser


def _folder(option: str, text: str) -> Path:
    """The existing folder ``text`` names, resolved; fails with a one-line error if none."""
    path = Path(text).expanduser()
    if not path.is_dir():
        fail(f"{option}: {text}: no such folder")
    return path.resolve()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments, load the preset and run the app; the ``backprop-tui`` script."""
    gc.disable()     # until the first frame (see BackpropApp.on_ready), or a --serve
    try:
        return _run(argv)
    finally:
        gc.enable()


def _run(argv: Sequence[str] | None) -> int:
    from core.arguments import BadArgument
    from core.text import quiet_float_warnings

    quiet_float_warnings()
    try:
        args = build_parser().parse_args(argv)
    except BadArgument as error:
        fail(str(error))
    if args.reset_progress:
        return _reset_progress()
    if not args.serve:
        for option in ("host", "port", "files"):
            if getattr(args, option) is not None:
                fail(f"--{option} is for --serve")
    else:
        _open_session(args, _lesson(args)).close()    # it loads: each tab loads its own
        gc.enable()
        return _serve(args)
    app = build_app(args)
    try:
        app.run()
    finally:
        app.session.close()
    return app.return_code or 0


def build_app(args: argparse.Namespace):
    """The app the parsed arguments ask for, not yet running (a ``BackpropApp``)."""
    files_root = _folder("--files-root", args.files_root) if args.files_root else None
    lesson = _lesson(args)
    session = _open_session(args, lesson)
    session.set_pace("preset" if args.pace is None else args.pace)
    session.set_stop_at_target(args.stop_at_target)

    from tui.answers import progress_store
    from tui.app import BackpropApp

    return BackpropApp(session, files_root=files_root, lesson=lesson,
                       progress=progress_store(served=files_root is not None))


def _reset_progress() -> int:
    """--reset-progress: empty the learner's progress file and say which."""
    from core.text import shown_path
    from tui.answers import progress_file

    path = progress_file()
    if not path.exists():
        print(f"No progress to forget ({shown_path(path)} does not exist).")
        return 0
    try:
        path.unlink()
    except OSError as error:
        fail(f"{shown_path(path)}: cannot remove: {error.strerror or error}")
    print(f"Forgot your answers to the lessons ({shown_path(path)} removed).")
    return 0


def _open_session(args: argparse.Namespace, lesson):
    """The session on PRESET (or the lesson's preset), checked before any screen opens."""
    from core.session import Session
    from core.text import shown_path

    if args.preset is not None and args.preset.lower().endswith(".csv"):
        fail(f"{shown_path(args.preset)}: a CSV file is data, not a preset; open it in the "
             "app with ctrl+o to choose the columns to learn")

    preset = args.preset or (lesson.preset if lesson is not None else None)
    try:
        if args.preset is not None and args.preset.lower().endswith(".npz"):
            return _saved_session(args)
        return Session(preset, learning_rate=args.lr, seed=args.seed,
                       optimizer=args.optimizer)
    except ValueError as error:           # PresetError and SessionFileError are ValueErrors
        fail(str(error))


def _lesson(args: argparse.Namespace):
    """The lesson to start on: ``--lesson``'s, or with no PRESET the first one (where the
    notes begin); None when PRESET is given alone."""
    from core.explain.notes import SECTIONS, LessonError, load_lesson
    from core.text import quoted

    if args.lesson is None and args.preset is not None:
        return None
    if args.lesson is not None and args.lesson.strip() not in SECTIONS:
        fail(f"--lesson: expected a section of the notes ({', '.join(SECTIONS)}), "
             f"got {quoted(args.lesson)}")
    try:
        return load_lesson(args.lesson or "1.0")
    except LessonError as error:
        fail(str(error))


def _serve(args: argparse.Namespace) -> int:
    """--serve: serve the app started with the same arguments, one app per browser tab."""
    from tui.serve import (
        DEFAULT_HOST,
        DEFAULT_PORT,
        app_arguments,
        files_folder,
        serve,
        serve_address,
    )

    host = DEFAULT_HOST if args.host is None else args.host
    port = args.port or DEFAULT_PORT
    try:
        serve_address(host, port)
        files = files_folder(args.files) if args.files is not None else None
    except ValueError as error:
        fail(str(error))
    return serve(app_arguments(args.preset, lr=args.lr, seed=args.seed,
                               optimizer=args.optimizer, lesson=args.lesson, pace=args.pace,
                               stop_at_target=args.stop_at_target),
                 host=host, port=port, files=files)


def _saved_session(args: argparse.Namespace):
    """The session saved in ``args.preset``, paused where it was saved; --lr and
    --optimizer apply from there on (its weights are saved, so --seed is refused)."""
    from core.session import Session

    if args.seed is not None:
        fail("--seed: a saved session resumes with its own weights; leave --seed out")
    session = Session.open(args.preset)
    try:
        if args.lr is not None:
            session.set_learning_rate(args.lr)
        if args.optimizer is not None:
            session.set_optimizer(args.optimizer)
    except ValueError:
        session.close()
        raise
    return session


if __name__ == "__main__":
    sys.exit(main())
