"""Numbers as the equations print them: one formatter for the inspector, the worksheets and
``python -m core explain``.

Four significant digits in working (``num``), six for a result a learner checks; negative
factors of a product in parentheses; sums and per-sample lists cut after ``MAX_TERMS``;
relative errors at rounding level as "< 1e-8", since their digits differ between machines.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

DIGITS = 4
"""Significant digits of a number in working."""
RESULT_DIGITS = 6
"""Significant digits of a result (a sum's total, a value a question asks for)."""
MAX_TERMS = 8
"""A sum or a list over samples shows this many terms, then says how many more there are."""
SHOWN_ERROR_FLOOR = 1e-8
"""Relative errors below this are rounding, different on every machine: shown as "< 1e-8"."""


def num(x: float, digits: int = DIGITS) -> str:
    """``x`` with ``digits`` significant digits, never ``-0``."""
    text = f"{float(x):.{digits}g}"
    return "0" if text in ("-0", "0", "-0.0") else text


def factor(x: float, digits: int = DIGITS) -> str:
    """``x`` as a factor in a product: negative numbers in parentheses."""
    text = num(x, digits)
    return f"({text})" if text.startswith("-") else text


def vec(values: Any, digits: int = DIGITS) -> str:
    """A vector or matrix as nested brackets, ``[0.5, -0.25]``."""
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 0:
        return num(float(values), digits)
    return "[" + ", ".join(vec(v, digits) for v in values) + "]"


def terms(texts: list[str]) -> str:
    """Terms joined by `` + ``, cut after ``MAX_TERMS`` with a count of the rest."""
    shown = " + ".join(texts[:MAX_TERMS])
    if len(texts) > MAX_TERMS:
        shown += f" + … ({len(texts) - MAX_TERMS} more terms)"
    return shown


def listing(texts: list[str]) -> str:
    """Values joined by ``, ``, cut after ``MAX_TERMS`` with a count of the rest."""
    shown = ", ".join(texts[:MAX_TERMS])
    if len(texts) > MAX_TERMS:
        shown += f", … ({len(texts) - MAX_TERMS} more values)"
    return shown


def mean_line(n: int, texts: list[str]) -> str:
    """``(1/n)[t1 + t2 + ...]``: a mean over the samples written out term by term."""
    return f"(1/{n})[{terms(texts)}]"


def rows_text(lines: list[str]) -> str:
    """One line a sample, cut after ``MAX_TERMS`` samples."""
    shown = lines[:MAX_TERMS]
    if len(lines) > MAX_TERMS:
        shown.append(f"… ({len(lines) - MAX_TERMS} more samples)")
    return "\n".join(shown)


def checked(result: float, compute: Callable[..., float], *operands: float,
            digits: int = DIGITS) -> tuple[str, ...]:
    """``operands`` printed with the fewest significant digits (at least ``digits``) at which
    ``compute`` of the printed operands rounds to the printed ``result``, so a line like
    ``2·(a − y) = …`` checks out by hand even when a is almost y; negative operands in
    parentheses. Returns the operands' texts, then the result's."""
    result_text = num(result)
    for shown in range(digits, 18):
        texts = [num(x, shown) for x in operands]
        if num(compute(*map(float, texts))) == result_text:
            break
    return (*(f"({t})" if t.startswith("-") else t for t in texts), result_text)


def relative_error_text(error: float) -> str:
    """A relative error to two digits, or "< 1e-8" where it is rounding-level."""
    if error < SHOWN_ERROR_FLOOR:
        return f"< {SHOWN_ERROR_FLOOR:.0e}".replace("e-0", "e-")
    return f"{error:.1e}"
