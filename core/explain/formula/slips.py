"""The known slips in working out a gradient by hand, as the formula tutor names them.

A slip's ``key`` is the same wherever the course diagnoses (``core.exercises.slips`` names
``sigma_prime``, ``one_over_n``, ``factor_two``, ``sign`` and ``x_for_a`` the same way), so
the two lists can become one; ``title`` says it in a few words and ``advice`` in a sentence
the learner can act on. ``constant_slips`` names the slips a constant factor between an
answer and the truth shows.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Slip:
    """One known slip: ``key`` names it across graders, ``title`` in a few words, ``advice``
    in a sentence."""

    key: str
    title: str
    advice: str


SLIPS: dict[str, Slip] = {s.key: s for s in (
    Slip("sigma_prime", "σ' missing",
         "a sigmoid neuron's output moves by a(1 − a) = σ'(z) per unit of its z, and that "
         "slope belongs in the product (the notes' own slip in 1.4.2, 1.5.12 and 1.7.2)"),
    Slip("factor_two", "the factor 2",
         "the derivative of the square (a − y)² is 2(a − y): one 2, no more, no less"),
    Slip("one_over_n", "the 1/n",
         "the cost is the mean over the n rows, so its gradient is (1/n) Σ of the rows' "
         "terms, and one row's term has no 1/n"),
    Slip("x_for_a", "x where a(l−1) belongs",
         "a weight of layer l multiplies that layer's input a(l−1), which is x only at "
         "layer 1 (the notes' slip in 1.7.2); x and a(l−1) are swapped here"),
    Slip("sign", "the sign",
         "the error is a − y, the output minus its target: the sign is flipped"),
    Slip("per_row_vs_summed", "the per-row and the summed quantity confused",
         "one row's value has no Σ, and the cost's gradient sums the rows' values (the "
         "notes' slip in 1.5.6 and 1.7.4)"),
    Slip("downstream_weight", "off by the downstream weight",
         "the error reaches a hidden neuron through the weight after it, once"),
    Slip("output_error_at_hidden_layer", "a(l) − y at a hidden layer",
         "y is the output's target; a hidden neuron gets the error passed back through the "
         "weights after it (the notes' slip in 1.7.2-1.7.4)"),
)}


def constant_slips(factor: float) -> tuple[tuple[str, ...], str]:
    """The slips an answer equal to ``factor`` times a reference shows, and, for a factor
    no slip explains, the sentence that names it ('' where it is 1)."""
    size = abs(factor)
    slips = ("sign",) if factor < 0 else ()
    if abs(size - 1) <= 1e-9:
        return slips, ""
    if abs(size - 2) <= 1e-9 or abs(size - 0.5) <= 1e-9:
        return (*slips, "factor_two"), ""
    return slips, f"off by the constant factor {size:.4g}"
