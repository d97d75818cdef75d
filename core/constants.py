"""The numbers that code, help texts and error messages share: each is written here once and
quoted from here, so a help text cannot drift from what the code does.

The size limits on what comes in (preset files, CSV files, networks, saved sessions) are the
other such numbers; they live together in ``core.limits``, beside the checks that quote them.
"""

FINITE_DIFFERENCE_STEP = 1e-3
"""The step h of the finite-difference referee (central differences combined by Richardson,
eq. 1.0.1), and the epsilon section 1.0 starts from."""
AGREEMENT_THRESHOLD = 1e-5
"""Backprop and finite differences agree when their relative error is at most this."""
UNDO_STEPS = 100
"""How many steps back ``u`` can go."""


def in_e_notation(value: float) -> str:
    """``value`` as help texts write it, to one significant digit: ``1e-3`` for 0.001."""
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"
