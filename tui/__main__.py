"""The command line: ``python -m tui [PRESET] [--lr X] [--seed S] [--optimizer NAME]``.

PRESET is a built-in name, a ``.toml`` file, or a session saved with ``s`` (``FILE.npz``),
which resumes where it was saved.

Everything is checked before the screen opens: a bad argument or a preset that does not
load prints one ``error: ...`` line on stderr and exits with code 2.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence

OPTIMIZER_NAMES = ("gd", "momentum", "adam")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one ``error: ...`` line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Usage errors fail like every other bad argument."""
        fail(message)


def fail(message: str) -> None:
    """Print ``error: message`` on stderr (always one line) and exit with code 2."""
    print("error: " + " ".join(message.split()), file=sys.stderr)
    raise SystemExit(2)


def _learning_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"expected a positive finite number, got {text!r}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser: PRESET, --lr, --seed and --optimizer."""
    parser = _Parser(
        prog="backprop-tui",
        description="Train a small neural network in the terminal and watch gradient "
                    "descent and backpropagation happen. Press ? in the app for the keys.",
    )
    parser.add_argument("preset", nargs="?", default="xor",
                        help="a built-in preset name, a .toml file, or a session saved "
                             "with s (.npz) to resume (default: xor)")
    parser.add_argument("--lr", type=_learning_rate, metavar="X",
                        help="learning rate (default: the preset's)")
    parser.add_argument("--seed", type=_seed, metavar="S",
                        help="seed of the initial weights (default: the preset's)")
    parser.add_argument("--optimizer", choices=OPTIMIZER_NAMES, metavar="NAME",
                        help="gd, momentum or adam (default: the preset's)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments, load the preset and run the app; the ``backprop-tui`` script."""
    args = build_parser().parse_args(argv)
    if args.preset.lower().endswith(".csv"):
        fail(f"{args.preset}: a CSV file is data, not a preset; open it in the app with "
             "ctrl+o to choose the columns to learn")

    from core.session.session import Session

    try:
        if args.preset.lower().endswith(".npz"):
            session = _saved_session(args)
        else:
            session = Session(args.preset, learning_rate=args.lr, seed=args.seed,
                              optimizer=args.optimizer)
    except ValueError as error:           # PresetError and SessionFileError are ValueErrors
        fail(str(error))

    from tui.app import BackpropApp

    app = BackpropApp(session)
    try:
        app.run()
    finally:
        session.close()
    return app.return_code or 0


def _saved_session(args: argparse.Namespace):
    """The session saved in ``args.preset``, paused where it was saved; --lr and
    --optimizer apply from there on (its weights are saved, so --seed is refused)."""
    from core.session.session import Session

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
