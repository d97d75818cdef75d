"""``python -m core explain SECTION [PRESET] [--epoch N] [--epsilon E] [--json]``."""

from __future__ import annotations

import json
import math
from collections.abc import Callable

from ...constants import FINITE_DIFFERENCE_STEP, in_e_notation
from ...limits import MAX_EPOCHS
from ...text import quoted
from .lessons import formula_questions
from .worksheet import ExplainError, Worksheet, check_finite_json

ExplainPreset = Callable[..., Worksheet]
"""Trains a preset and explains a section on it, as ``core.session.explain_preset`` does:
``(section, preset, epoch, epsilon=...)``."""


def add_arguments(parser) -> None:
    """The ``explain`` subcommand's arguments."""
    parser.add_argument("section", help="a section: 1.0 ... 1.7 (the notes) or 2.1 ... 2.4")
    parser.add_argument("preset", nargs="?",
                        help="a built-in name or a .toml path (default: the lesson's)")
    parser.add_argument("--epoch", default="0",
                        help=f"epochs to train first, at most {MAX_EPOCHS:,} (default 0)")
    step = in_e_notation(FINITE_DIFFERENCE_STEP)
    parser.add_argument("--epsilon", default=step, help=f"section 1.0's step (default {step})")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def run(args, explain_preset: ExplainPreset) -> int:
    """Train and explain by ``explain_preset``, and print; ExplainError (exit 2) for bad
    input."""
    try:
        epoch = int(args.epoch)
    except ValueError:
        epoch = -1
    if not 0 <= epoch <= MAX_EPOCHS:
        raise ExplainError(f"explain: --epoch: expected a whole number from 0 to "
                           f"{MAX_EPOCHS:,}, got {quoted(args.epoch)}")
    try:
        epsilon = float(args.epsilon)
    except ValueError:
        epsilon = math.nan
    if not 0 < epsilon <= 1:
        raise ExplainError(f"explain: --epsilon: expected a number in (0, 1], "
                           f"got {args.epsilon!r}")
    worksheet = explain_preset(args.section, args.preset, epoch, epsilon=epsilon)
    if args.json:
        document = worksheet.to_json()
        document["formulas"] = formula_questions(worksheet.section)
        check_finite_json(document)
        print(json.dumps(document, allow_nan=False))
    else:
        print(worksheet.to_markdown())
    return 0
