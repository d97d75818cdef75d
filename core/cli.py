"""The headless command line: ``python -m core list | show | train | check | bench | export``.

Exit codes: 0 success, 1 a failed check, 2 bad input (one ``error: ...`` line on stderr).
"""

from __future__ import annotations

import json
import math
import os
import sys
import textwrap
from pathlib import Path

from .arguments import BadArgument, CommandLineParser, error_line, learning_rate, whole_number
from .constants import AGREEMENT_THRESHOLD, FINITE_DIFFERENCE_STEP, in_e_notation
from .limits import MAX_EPOCHS
from .presets import builtin_presets, load_preset
from .text import quiet_float_warnings, shown_path

_epochs = whole_number(1, MAX_EPOCHS)
_non_negative_int = whole_number(0)


def build_parser() -> CommandLineParser:
    """The argument parser of ``python -m core``."""
    parser = CommandLineParser(prog="python -m core",
                               description="Train the backprop-tui engine headless.")
    commands = parser.add_subparsers(dest="command", required=True,
                                     parser_class=CommandLineParser)
    commands.add_parser("list", help="one line a built-in preset: its name and title")
    show = commands.add_parser("show", help="a preset's description and settings")
    show.add_argument("preset", help="a built-in name or a path to a .toml")
    train = commands.add_parser("train", help="train a preset (or a saved session) headless")
    train.add_argument("preset", nargs="?", help="a built-in name or a path to a .toml")
    train.add_argument("--resume", metavar="FILE", help="train on from a saved session file")
    train.add_argument("--epochs", type=_epochs,
                       help=f"epochs to train, at most {MAX_EPOCHS:,} (default: the budget)")
    train.add_argument("--lr", type=learning_rate, help="learning rate")
    train.add_argument("--seed", type=_non_negative_int, help="seed for the initial weights")
    train.add_argument("--optimizer", help="gd, momentum or adam")
    train.add_argument("--batch-size", type=_non_negative_int, help="0 means full batch")
    train.add_argument("--save", metavar="FILE", help="save the session here at the end")
    train.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    check = commands.add_parser("check", help="backprop against finite differences, per layer")
    check.add_argument("preset", help="a built-in name or a path to a .toml")
    bench = commands.add_parser("bench", help="epochs per second against references")
    bench.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    bench.add_argument("--seconds", type=float, default=1.0, help="time per measurement")
    export = commands.add_parser("export", help="write a trained network for PyTorch")
    export.add_argument("session", metavar="SESSION",
                        help="a saved session (.npz), or a preset for its untrained network")
    export.add_argument("--torch", metavar="DIR", required=True,
                        help="folder for model.safetensors, model.py and sample.json")
    export.add_argument("--replace", action="store_true",
                        help="write into a folder that holds files (replacing those three)")
    from .explain.notes.command import add_arguments as explain_arguments

    explain_arguments(commands.add_parser(
        "explain", help="a section (1.0-1.7, the notes; 2.1-2.4) with a preset's numbers"))
    from .exercises.command import add_exercise_arguments, add_grade_arguments

    add_exercise_arguments(commands.add_parser(
        "exercise", help="write the starter file of the build-it-yourself exercises"))
    add_grade_arguments(commands.add_parser(
        "grade", help="grade your backprop file against the engine, layer by layer"))
    return parser


def command_list(args) -> int:
    """Print one line per built-in preset."""
    presets = builtin_presets()
    width = max(len(p.name) for p in presets)
    for preset in presets:
        print(f"{preset.name:<{width}}  {preset.title}")
    return 0


def command_show(args) -> int:
    """Print a preset's description and settings."""
    preset = load_preset(args.preset)
    data = preset.load_data()
    print(f"{preset.name}: {preset.title}\n")
    for paragraph in preset.description.strip().split("\n\n"):
        print(textwrap.fill(" ".join(paragraph.split()), width=88) + "\n")
    hidden = " ".join(map(str, preset.layers[1:-1])) or "none"
    settings = [
        ("layers", "-".join(map(str, preset.layers)) + f"  (hidden: {hidden})"),
        ("activation", f"{preset.activation} hidden, {preset.output_activation} output"),
        ("loss", preset.loss),
        ("bias", "on" if preset.bias else "off"),
        ("init", preset.init),
        ("data", f"{data.X_train.shape[0]} training rows, {data.X_test.shape[0]} test rows, "
                 f"{data.task}"),
        ("optimizer", preset.optimizer),
        ("learning rate", f"{preset.learning_rate:g}"),
        ("batch size", "full batch" if preset.batch_size == 0 else str(preset.batch_size)),
        ("epochs", str(preset.epochs)),
        ("target loss", f"{preset.target_loss:g}"),
        ("seed", str(preset.seed)),
    ]
    if preset.penalty:
        settings.append(("penalty", f"{preset.penalty} at {preset.penalty_rate:g}"))
    for key, value in settings:
        print(f"  {key:<14}{value}")
    return 0


def command_train(args) -> int:
    """Train a preset or a saved session and report the result."""
    from .session import Session, train_for
    from .session.saved import replaceable_session

    if args.resume and args.preset:
        raise BadArgument("train: give either PRESET or --resume FILE, not both")
    if not (args.resume or args.preset):
        raise BadArgument("train: expected PRESET (a built-in name or a .toml path)")
    for option in ("lr", "seed", "optimizer", "batch_size"):
        if args.resume and getattr(args, option) is not None:
            raise BadArgument(f"train --resume: --{option.replace('_', '-')} cannot change "
                              f"a saved session")
    if args.save is not None and (not args.save.strip() or Path(args.save).is_dir()
                                  or not Path(args.save).parent.is_dir()):
        raise BadArgument(f"train: --save {shown_path(args.save)!r}: expected a file in an "
                          f"existing folder")
    replacing = args.save is not None and replaceable_session(args.save)
    # nothing to undo in a script: no copies of the state at every epoch
    if args.resume:
        session = Session.open(args.resume, undo_steps=0)
    else:
        session = Session(args.preset, learning_rate=args.lr, seed=args.seed,
                          optimizer=args.optimizer, batch_size=args.batch_size, undo_steps=0)
    try:
        budget_left = session.preset.epochs - session.epoch
        epochs = args.epochs or max(0, budget_left)
        report = train_for(session, epochs, show_progress=sys.stderr.isatty() or not args.json)
        spent = session.preset.epochs if args.epochs is None and budget_left <= 0 else None
        report.update(_outcome(session.snapshot(), args, spent))
        if args.save:
            session.files.save(args.save, overwrite=True)
            print(f"saved {args.save} (epoch {session.epoch})"
                  + (", replacing the session saved there" if replacing else ""),
                  file=sys.stderr)
    finally:
        session.close()
    if args.json:
        print(finite_json(report))
    else:
        print(_describe(report))
    return 0


def finite_json(report: dict) -> str:
    """``report`` as one line of JSON, which has no NaN or infinity: such a number (the loss
    of a network that overflowed) is null, and its key is listed under "not_finite"."""
    odd = [key for key, value in report.items()
           if isinstance(value, float) and not math.isfinite(value)]
    if odd:
        report = {**{key: None if key in odd else value for key, value in report.items()},
                  "not_finite": odd}
    return json.dumps(report, allow_nan=False)


def _outcome(snapshot, args, spent_budget: int | None) -> dict:
    """The report's words on what happened besides the numbers: "oscillating", the
    "suggested_learning_rate" (after a divergence or while the loss oscillates) and a
    "message" saying why training stopped short or what to change ("" when nothing).
    ``spent_budget`` is the budget of a session that had trained it all before."""
    from .session.oscillation import WINDOW

    rate, message = snapshot.suggested_learning_rate, ""
    if snapshot.state == "diverged":
        message = f"training {snapshot.message}"
    elif snapshot.oscillating:
        message = f"the loss swings and has set no new low in {WINDOW} epochs"
    elif spent_budget is not None:
        message = (f"epoch {snapshot.epoch:,} has used up the budget of {spent_budget:,} "
                   f"epochs: nothing to train (--epochs N trains on)")
    if rate is not None:
        how = ("--lr" if args.resume is None
               else f"python -m tui {shown_path(args.resume)} --lr {rate:g}")
        message += f"; try learning rate {rate:g} or lower ({how})"
    return {"oscillating": snapshot.oscillating, "suggested_learning_rate": rate,
            "message": message}


def _describe(report: dict) -> str:
    if report["epochs"] == 0:
        parts = [f"{report['preset']}: at epoch {report['to_epoch']:,}, nothing trained"]
    else:
        parts = [f"{report['preset']}: epochs {report['from_epoch']} -> {report['to_epoch']}, "
                 f"{report['epochs']} in {report['seconds']:.2f} s "
                 f"({report['epochs_per_second']:,.0f} epochs/s)"]
    parts.append(f"loss {report['final_loss']:.6g}")
    if report["test_loss"] is not None:
        parts.append(f"test loss {report['test_loss']:.6g}")
    if report["accuracy"] is not None:
        parts.append(f"accuracy {report['accuracy']:.1%}")
    if report["test_accuracy"] is not None:
        parts.append(f"test accuracy {report['test_accuracy']:.1%}")
    line = ", ".join(parts)
    return f"{line}\n{report['message']}" if report["message"] else line


def command_check(args) -> int:
    """Compare backprop with finite differences on the preset; exit 1 where they disagree
    (a relative error above ``AGREEMENT_THRESHOLD``)."""
    from .session import GRADCHECK_ENTRIES, GRADCHECK_SAMPLES, Session

    session = Session(args.preset)
    try:
        checks = session.views.gradient_check()
        n = len(session.snapshot().X_train)
    finally:
        session.close()
    used = len(range(0, n, max(1, -(-n // GRADCHECK_SAMPLES))))
    print(f"backprop against central finite differences (1.0.1, Richardson, "
          f"h = {in_e_notation(FINITE_DIFFERENCE_STEP)}) on "
          f"{used} of {n} training samples, at most {GRADCHECK_ENTRIES} entries per array")
    failed, biases = False, checks[0].bias_error is not None
    print(f"{'layer':<8}{'weights':>12}" + (f"{'biases':>12}" if biases else ""))
    for check in checks:
        mark = ""
        if not check.agrees:
            failed, mark = True, f"  above {AGREEMENT_THRESHOLD:g}"
        bias = f"{check.bias_error:>12.2e}" if biases else ""
        print(f"w({check.layer + 1})    {check.weight_error:>12.2e}{bias}{mark}")
    print("FAILED" if failed else f"ok: every layer below {AGREEMENT_THRESHOLD:g}")
    return 1 if failed else 0


def command_bench(args) -> int:
    """Measure the engine against the plain reference (and PyTorch if installed)."""
    from .bench import run_benchmarks
    from .bench_session import session_benchmark

    if not (math.isfinite(args.seconds) and args.seconds > 0):
        raise BadArgument(f"bench: --seconds: expected a positive number, got {args.seconds}")
    results = run_benchmarks(seconds=args.seconds)
    session = session_benchmark("spiral", seconds=6 * args.seconds)
    session_figures = {"preset": session.preset, "bare_epochs_per_second": session.bare,
                       "run_epochs_per_second": session.run,
                       "run_subscribed_epochs_per_second": session.run_subscribed,
                       "run_vs_bare": session.run / session.bare,
                       "run_subscribed_vs_bare": session.run_subscribed / session.bare}
    if args.json:
        print(json.dumps({"problems": [r.as_dict() for r in results],
                          "session": session_figures}))
        return 0
    print(f"{'problem':<8}{'shape':<16}{'engine ep/s':>13}{'reference':>12}{'ratio':>8}"
          f"{'torch':>11}{'ratio':>8}")
    for r in results:
        torch = f"{r.torch:>11.1f}{r.engine / r.torch:>7.1f}x" if r.torch else f"{'-':>11}{'-':>8}"
        print(f"{r.problem:<8}{r.shape:<16}{r.engine:>13.1f}{r.reference:>12.1f}"
              f"{r.engine / r.reference:>7.2f}x{torch}")
    print(f"\nsession on {session.preset}: bare loop {session.bare:.0f} epochs/s; "
          f"run() {session.run:.0f} ({session.run / session.bare:.0%}); "
          f"run() with a 20/s subscriber {session.run_subscribed:.0f} "
          f"({session.run_subscribed / session.bare:.0%})")
    return 0


def command_export(args) -> int:
    """Write a session's network as PyTorch files (``core.session.torch_export``)."""
    from .session.torch_export import export_file_torch

    print(export_file_torch(args.session, args.torch, replace=args.replace))
    return 0


def command_explain(args) -> int:
    """Print a section's equations with a trained preset's numbers (``core.explain.notes``)."""
    from .explain.notes.command import run
    from .session import explain_preset

    return run(args, explain_preset)


def command_exercise(args) -> int:
    """Write the exercises' starter file, or list them (``core.exercises``)."""
    from .exercises.command import run_exercise

    return run_exercise(args)


def command_grade(args) -> int:
    """Grade a learner's file against the engine (``core.exercises``)."""
    from .exercises.command import run_grade

    return run_grade(args)


COMMANDS = {"list": command_list, "show": command_show, "train": command_train,
            "check": command_check, "bench": command_bench, "export": command_export,
            "explain": command_explain, "exercise": command_exercise, "grade": command_grade}


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    quiet_float_warnings()
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except BrokenPipeError:     # the reader left (`| head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (ValueError, OSError) as error:     # BadArgument and PresetError are ValueErrors
        print(error_line(str(error) or error.__class__.__name__), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug, not bad input: still one line, never a traceback
        print(error_line(f"internal error ({error.__class__.__name__}: {error})"),
              file=sys.stderr)
        return 1
