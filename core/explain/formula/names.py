"""How a person may spell the names and functions of a formula.

A ``Vocabulary`` maps every accepted spelling to its canonical name: ``a_i(2)``, ``a(2)``,
``a2`` and ``a_i^{(2)}`` are all ``a(2)``; ``eta`` is ``η``; ``sigma'`` is ``σ'``. A
question's vocabulary holds only the names that question allows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

FUNCTION_SPELLINGS = {
    "σ": ("σ", "sigma"),
    "σ'": ("σ'", "σ′", "sigma'", "sigma′"),
    "exp": ("exp",),
    "Σ": ("Σ", "sum"),
}
"""Every function a formula may call, and its spellings."""


def layered(letter: str, layer: int, *, row: bool = True, entry: str = "",
            short_entries: Iterable[str] = ()) -> tuple[str, ...]:
    """The spellings of a layer-``layer`` quantity: ``a(2)``, ``a2``, ``a^{(2)}`` and, for
    a per-row one, ``a_i(2)`` and ``a_i^{(2)}``; ``entry`` (``[1]``, ``[1,2]``) follows
    each, as do the ``short_entries`` (another way to write the entry)."""
    stems = [f"{letter}({layer})", f"{letter}{layer}", f"{letter}^{{({layer})}}"]
    if row:
        stems += [f"{letter}_i({layer})", f"{letter}_i^{{({layer})}}"]
    suffixes = [entry, *short_entries]
    return tuple(stem + suffix for stem in stems for suffix in suffixes)


def row_name(letter: str) -> tuple[str, ...]:
    """A per-row name without a layer: ``x`` and ``x_i``."""
    return (letter, f"{letter}_i")


@dataclass(frozen=True)
class Vocabulary:
    """The names and functions one answer may use: ``names`` maps each canonical name to
    its spellings; ``functions`` lists the canonical functions allowed."""

    names: Mapping[str, tuple[str, ...]]
    functions: tuple[str, ...] = tuple(FUNCTION_SPELLINGS)

    def spellings(self) -> list[tuple[str, str, str]]:
        """(spelling, kind, canonical) for every accepted spelling, longest first; kind is
        "name" or "function"."""
        out = [(s, "name", name) for name, spelled in self.names.items() for s in spelled]
        out += [(s, "function", f) for f in self.functions for s in FUNCTION_SPELLINGS[f]]
        return sorted(out, key=lambda item: -len(item[0]))

    def listing(self) -> str:
        """The allowed names and functions as a learner reads them."""
        functions = [f"{f}( )" for f in self.functions]
        return ", ".join([*self.names, *functions])

    def only(self, names: Iterable[str]) -> Vocabulary:
        """The same vocabulary restricted to ``names`` (canonical, in that order)."""
        return Vocabulary({name: self.names[name] for name in names}, self.functions)
