"""The tree a typed formula parses into, and its value over the rows of a network state.

Five node classes: ``Number``, ``Name``, ``Negate``, ``Binary`` (+ − × ÷ ^) and ``Call``
(σ, σ', exp and Σ, the sum over rows). A node evaluates against an ``Env``: the question's
names bound to per-row arrays or to numbers, and the number of rows. Nothing else is
reachable from a tree: no attributes, no other calls, no names outside the bindings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

Value = np.ndarray | float


@dataclass(frozen=True)
class Env:
    """What a formula is evaluated against: ``bindings`` by canonical name (per-row arrays
    of length ``rows``, or numbers) and the number of rows Σ sums over."""

    bindings: Mapping[str, Value]
    rows: int


def sigmoid(z: Value) -> Value:
    """σ(z) = 1 / (1 + e^−z), as (1 + tanh(z/2)) / 2 so no exp overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


def _slope(z: Value) -> Value:
    s = sigmoid(z)
    return s * (1.0 - s)


FUNCTIONS = {"σ": sigmoid, "σ'": _slope, "exp": np.exp}
"""The functions of one argument a formula may call, by canonical name (Σ is the sum over
rows, handled by ``Call`` itself)."""
SUM = "Σ"

PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "^": 4}
"""Binding strength of each operator, for writing a tree back as text."""


class Node:
    """A node of a formula's tree."""

    precedence = 5

    def evaluate(self, env: Env) -> Value:
        """The node's value: a number, or one value per row."""
        raise NotImplementedError

    def names(self) -> frozenset[str]:
        """The canonical names the node reads."""
        return frozenset()

    def per_row(self, row_names: frozenset[str]) -> bool:
        """True when the value differs between rows (a row name outside every Σ)."""
        return False


@dataclass(frozen=True)
class Number(Node):
    """A number as typed."""

    value: float

    def evaluate(self, env: Env) -> Value:
        """The number."""
        return self.value

    def __str__(self) -> str:
        return f"{self.value:g}"


@dataclass(frozen=True)
class Name(Node):
    """One of the question's names, by its canonical spelling."""

    name: str

    def evaluate(self, env: Env) -> Value:
        """The name's bound value."""
        return env.bindings[self.name]

    def names(self) -> frozenset[str]:
        """This name."""
        return frozenset((self.name,))

    def per_row(self, row_names: frozenset[str]) -> bool:
        """True for a per-row name (x, y, a(1), ...)."""
        return self.name in row_names

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Negate(Node):
    """Unary minus."""

    operand: Node
    precedence = PRECEDENCE["neg"]

    def evaluate(self, env: Env) -> Value:
        """Minus the operand."""
        return -self.operand.evaluate(env)

    def names(self) -> frozenset[str]:
        """The operand's names."""
        return self.operand.names()

    def per_row(self, row_names: frozenset[str]) -> bool:
        """As the operand."""
        return self.operand.per_row(row_names)

    def __str__(self) -> str:
        inner = str(self.operand)
        return f"−({inner})" if self.operand.precedence <= self.precedence else f"−{inner}"


@dataclass(frozen=True)
class Binary(Node):
    """``left op right`` for op in + - * / ^ (``*`` also for juxtaposition)."""

    op: str
    left: Node
    right: Node

    @property
    def precedence(self) -> int:        # type: ignore[override]
        """The operator's binding strength."""
        return PRECEDENCE[self.op]

    def evaluate(self, env: Env) -> Value:
        """The operation on both sides' values (float64; overflow gives inf, 0/0 nan)."""
        left, right = self.left.evaluate(env), self.right.evaluate(env)
        if self.op == "+":
            return np.add(left, right)
        if self.op == "-":
            return np.subtract(left, right)
        if self.op == "*":
            return np.multiply(left, right)
        if self.op == "/":
            return np.divide(left, right)
        return np.power(np.float64(left) if np.isscalar(left) else left, right)

    def names(self) -> frozenset[str]:
        """Both sides' names."""
        return self.left.names() | self.right.names()

    def per_row(self, row_names: frozenset[str]) -> bool:
        """True if either side is."""
        return self.left.per_row(row_names) or self.right.per_row(row_names)

    def __str__(self) -> str:
        mine = self.precedence
        left, right = str(self.left), str(self.right)
        if self.left.precedence < mine or (self.op == "^" and self.left.precedence <= mine):
            left = f"({left})"
        if (self.right.precedence < mine or isinstance(self.right, Negate)
                or (self.op in "-/" and self.right.precedence == mine)):
            right = f"({right})"
        if self.op == "*":
            joint = "·" if right[0].isdigit() or right[0] == "." else " "
            return f"{left}{joint}{right}"
        return f"{left}{self.op}{right}" if self.op == "^" else f"{left} {self.op} {right}"


@dataclass(frozen=True)
class Call(Node):
    """A listed function applied to one argument: σ, σ', exp, or Σ over the rows."""

    function: str
    argument: Node

    def evaluate(self, env: Env) -> Value:
        """The function of the argument's value; Σ adds the rows up."""
        value = self.argument.evaluate(env)
        if self.function == SUM:
            return float(np.sum(np.broadcast_to(value, (env.rows,))))
        return FUNCTIONS[self.function](value)

    def names(self) -> frozenset[str]:
        """The argument's names."""
        return self.argument.names()

    def per_row(self, row_names: frozenset[str]) -> bool:
        """False for Σ (one value for all rows), else as the argument."""
        return self.function != SUM and self.argument.per_row(row_names)

    def __str__(self) -> str:
        return f"{self.function}({self.argument})"


def evaluate(tree: Node, env: Env) -> np.ndarray:
    """The tree's value on every row (a number repeated where it does not depend on the
    row), in float64; overflow is inf and 0/0 nan, never an exception."""
    with np.errstate(all="ignore"):
        value = tree.evaluate(env)
    return np.array(np.broadcast_to(np.asarray(value, dtype=np.float64), (env.rows,)))


def factors(tree: Node) -> list[Node]:
    """The factors of a product, left to right (a single factor for any other tree)."""
    if isinstance(tree, Binary) and tree.op == "*":
        return factors(tree.left) + factors(tree.right)
    return [tree]
