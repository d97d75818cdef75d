"""``python -m core exercise [NAME] [--dir DIR] [--replace] [--list]`` and
``python -m core grade FILE [NAME] [--json] [--seconds S]``.

``exercise`` writes the starter file, ``grade`` grades it (exit 0 all right, 1 some wrong,
2 bad input: one ``error:`` line).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from ..text import shown_path
from .catalogue import EXERCISES
from .grading import GradeError, Limits, grade_file
from .progress import record_passes
from .report_text import report_lines
from .starter import DEFAULT_FILE, write_starter


def add_exercise_arguments(parser) -> None:
    """The ``exercise`` subcommand's arguments."""
    parser.add_argument("name", nargs="?", metavar="NAME",
                        help=f"one exercise: {', '.join(EXERCISES)} (default: all, in order)")
    parser.add_argument("--dir", default=".", help="folder to write into (default: here)")
    parser.add_argument("--file", default=DEFAULT_FILE,
                        help=f"the starter's file name (default {DEFAULT_FILE})")
    parser.add_argument("--replace", action="store_true", help="write over an existing file")
    parser.add_argument("--list", action="store_true", help="list the exercises, write nothing")


def add_grade_arguments(parser) -> None:
    """The ``grade`` subcommand's arguments."""
    parser.add_argument("file", metavar="FILE", help="your file, e.g. my_backprop.py")
    parser.add_argument("name", nargs="?", metavar="NAME",
                        help=f"grade one exercise: {', '.join(EXERCISES)} (default: every "
                             f"one the file has begun)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument("--seconds", default="10",
                        help="time limit for your code, in seconds (default 10)")


def run_exercise(args) -> int:
    """List the exercises, or write the starter file."""
    if args.list:
        width = max(len(name) for name in EXERCISES)
        for exercise in EXERCISES.values():
            functions = ", ".join(f.name for f in exercise.functions)
            print(f"{exercise.name:<{width}}  {exercise.sections:<8} {exercise.title} "
                  f"({functions})")
        return 0
    names = _names(args.name)
    folder = Path(args.dir)
    if not folder.is_dir():
        raise GradeError(f"exercise: --dir {shown_path(args.dir)!r}: expected an existing "
                         f"folder")
    if Path(args.file).name != args.file or not args.file.endswith(".py"):
        raise GradeError(f"exercise: --file {shown_path(args.file)!r}: expected a file name "
                         f"ending in .py")
    path = write_starter(folder, names, args.file, replace=args.replace)
    print(f"wrote {shown_path(path)}: {', '.join(names)}. Fill in the functions, then: "
          f"python -m core grade {shown_path(path)}")
    return 0


def run_grade(args) -> int:
    """Grade the file and print the report; the exit code says whether all was right."""
    try:
        seconds = float(args.seconds)
    except ValueError:
        seconds = math.nan
    if not 0.1 <= seconds <= 600:
        raise GradeError(f"grade: --seconds: expected a number from 0.1 to 600, got "
                         f"{args.seconds!r}")
    names = _names(args.name) if args.name else None
    report = grade_file(args.file, names, limits=Limits(seconds=seconds))
    record_passes(report)
    if args.json:
        print(json.dumps(report.as_dict(), allow_nan=False))
    else:
        print("\n".join(report_lines(report)))
    return report.exit_code


def _names(name: str | None) -> list[str]:
    """The exercises named (one, or all), or GradeError for an unknown name."""
    if name is None:
        return list(EXERCISES)
    if name not in EXERCISES:
        raise GradeError(f"no exercise {name!r}: expected one of {', '.join(EXERCISES)} "
                         f"(python -m core exercise --list)")
    return [name]
