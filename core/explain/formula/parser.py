"""A typed formula into a tree, by a small Pratt parser that accepts nothing but its grammar.

What a person types: numbers (``2``, ``0.5``, ``1e-3``), the question's names in any of their
spellings, ``+``, ``-``/``−``, ``*``/``·``/``×``, ``/``/``÷``, ``^``/``**`` (right-associative),
``²``, ``³``, parentheses, unary minus, the functions ``σ``/``sigma``, ``σ'``/``sigma'``,
``exp`` and ``Σ``/``sum`` (over the rows), and multiplication by juxtaposition
(``2(a2 - y) a2 (1 - a2)``, ``2x``). Anything else is refused with ``FormulaError`` in one
line naming the unknown word or the column of the unexpected character. Limits: the length,
the nesting depth, and a constant exponent's size (checked before anything is computed).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .names import Vocabulary
from .tree import SUM, Binary, Call, Env, Negate, Node, Number, evaluate
from .tree import Name as NameNode

MAX_LENGTH = 500
"""The longest formula accepted, in characters."""
MAX_DEPTH = 50
"""How deeply parentheses, powers, signs and calls may nest."""
MAX_EXPONENT = 64
"""The largest magnitude of a constant exponent (so 9**9**9 is refused, not computed)."""

OPERATORS = {"**": "^", "^": "^", "*": "*", "·": "*", "⋅": "*", "×": "*", "/": "/",
             "÷": "/", "+": "+", "-": "-", "−": "-", "–": "-", "(": "(", ")": ")",
             "²": "²", "³": "³"}
NUMBER = re.compile(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
LAYER = re.compile(r"(\(\d+\))?(\[[\d,]+\])?")
"""A layer and an entry written after a name (``a(2)``, ``w(1)[1,2]``)."""
SUM_OR_DIFFERENCE, PRODUCT, SIGN, POWER = 10, 20, 30, 40
"""Binding powers: + − bind weakest, then × ÷ and juxtaposition, then a sign, then ^."""
WORD_SHOWN = 40
"""An unknown word is quoted up to this many characters."""


class FormulaError(ValueError):
    """A formula that is not in the grammar; the message is one line."""


@dataclass(frozen=True)
class Token:
    """One token: ``kind`` is number, name, function, op or end; ``column`` is 1-based."""

    kind: str
    text: str
    column: int
    value: str | float = ""


def _word(text: str, position: int) -> str:
    """The whole word around ``position`` (letters, digits, _ and primes)."""
    def inside(ch: str) -> bool:
        return ch.isalnum() or ch in "_'′"

    start, end = position, position
    while start > 0 and inside(text[start - 1]):
        start -= 1
    while end < len(text) and inside(text[end]):
        end += 1
    layer = LAYER.match(text, end)
    word = text[start:layer.end() if layer else end]
    return word if len(word) <= WORD_SHOWN else word[:WORD_SHOWN] + "…"


def tokenize(text: str, vocabulary: Vocabulary) -> list[Token]:
    """The tokens of ``text``; FormulaError for a character or word outside the grammar."""
    spellings = vocabulary.spellings()
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        ch = text[position]
        column = position + 1
        if ch.isspace():
            position += 1
            continue
        number = NUMBER.match(text, position) if (ch.isdigit() or ch == ".") else None
        if number:
            value = float(number.group())
            if not math.isfinite(value):
                raise FormulaError(f"the number at column {column} is too large")
            tokens.append(Token("number", number.group(), column, value))
            position = number.end()
            continue
        operator = next((op for op in ("**", ch) if text.startswith(op, position)
                         and op in OPERATORS), None)
        if operator:
            tokens.append(Token("op", OPERATORS[operator], column))
            position += len(operator)
            continue
        if ch.isalpha() or ch == "_":
            match = next((item for item in spellings if text.startswith(item[0], position)
                          and _ends_well(text, position + len(item[0]), item[0])), None)
            if match is None:
                raise FormulaError(f"unknown name {_word(text, position)!r} at column "
                                   f"{column}; this answer may use {vocabulary.listing()}")
            spelling, kind, canonical = match
            tokens.append(Token(kind, spelling, column, canonical))
            position += len(spelling)
            continue
        raise FormulaError(f"unexpected {ch!r} at column {column}")
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


def _ends_well(text: str, end: int, spelling: str) -> bool:
    """A spelling ending in a letter or digit must not run on into a digit, _ or prime
    (``x2`` is not ``x`` times 2); a letter may follow (``xw`` is x times w)."""
    if end >= len(text) or not spelling[-1].isalnum():
        return True
    return not (text[end].isdecimal() or text[end] in "_'′")


class _Parser:
    """Pratt parsing over a token list, counting how deeply it nests."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect_close(self, opened: Token) -> None:
        token = self.take()
        if token.kind != "op" or token.text != ")":
            raise FormulaError(f"the '(' at column {opened.column} is not closed "
                               f"({_found(token)})")

    def expression(self, right_power: int) -> Node:
        """An expression whose operators all bind tighter than ``right_power``."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(f"nested more than {MAX_DEPTH} deep at column "
                               f"{self.peek().column}")
        left = self.prefix()
        while True:
            token = self.peek()
            power, implicit = _left_power(token)
            if power <= right_power:
                break
            if implicit:
                if token.kind == "number" and self.tokens[self.index - 1].kind == "number":
                    raise FormulaError(f"two numbers in a row at column {token.column}")
                left = Binary("*", left, self.expression(PRODUCT))
                continue
            self.take()
            if token.text in "²³":
                left = _power(left, Number(2.0 if token.text == "²" else 3.0), token)
            elif token.text == "^":
                left = _power(left, self.expression(POWER - 1), token)
            else:
                left = Binary(token.text, left, self.expression(power))
        self.depth -= 1
        return left

    def prefix(self) -> Node:
        """A number, a name, a call, a parenthesis or a signed operand."""
        token = self.take()
        if token.kind == "number":
            return Number(float(token.value))
        if token.kind == "name":
            return NameNode(str(token.value))
        if token.kind == "function":
            opening = self.take()
            if opening.kind != "op" or opening.text != "(":
                raise FormulaError(f"{token.text} at column {token.column} needs its "
                                   f"argument in parentheses")
            argument = self.expression(0)
            self.expect_close(opening)
            return Call(str(token.value), argument)
        if token.kind == "op" and token.text == "(":
            inside = self.expression(0)
            self.expect_close(token)
            return inside
        if token.kind == "op" and token.text in "+-":
            operand = self.expression(SIGN)
            return Negate(operand) if token.text == "-" else operand
        if token.kind == "end":
            raise FormulaError("the formula ends too early"
                               if token.column > 1 else "the formula is empty")
        raise FormulaError(f"expected a number, a name or '(' at column {token.column}, "
                           f"got {token.text!r}")


def _found(token: Token) -> str:
    return "the formula ends" if token.kind == "end" else \
        f"found {token.text!r} at column {token.column}"


def _left_power(token: Token) -> tuple[int, bool]:
    """How strongly ``token`` binds to what stands before it, and whether it starts an
    operand that multiplies by juxtaposition."""
    if token.kind in ("number", "name", "function") or (token.kind == "op"
                                                        and token.text == "("):
        return PRODUCT, True
    if token.kind != "op":
        return 0, False
    return {"+": SUM_OR_DIFFERENCE, "-": SUM_OR_DIFFERENCE, "*": PRODUCT, "/": PRODUCT,
            "^": POWER, "²": POWER, "³": POWER}.get(token.text, 0), False


def _power(base: Node, exponent: Node, token: Token) -> Node:
    """base ^ exponent; a constant exponent must be finite and at most MAX_EXPONENT in size
    (checked here, before any value is computed)."""
    if not exponent.names() and not _sums(exponent):
        value = float(evaluate(exponent, Env({}, 1))[0])
        if not math.isfinite(value) or abs(value) > MAX_EXPONENT:
            raise FormulaError(f"the exponent at column {token.column} is too large "
                               f"(at most {MAX_EXPONENT} in size)")
    return Binary("^", base, exponent)


def _sums(node: Node) -> bool:
    if isinstance(node, Call):
        return node.function == SUM or _sums(node.argument)
    if isinstance(node, Binary):
        return _sums(node.left) or _sums(node.right)
    return isinstance(node, Negate) and _sums(node.operand)


def parse(text: str, vocabulary: Vocabulary) -> Node:
    """The tree of ``text``; FormulaError (one line) for anything outside the grammar, the
    vocabulary or the limits."""
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula is {len(text):,} characters long; at most "
                           f"{MAX_LENGTH} are read")
    parser = _Parser(tokenize(text, vocabulary))
    tree = parser.expression(0)
    token = parser.peek()
    if token.kind != "end":
        if token.kind == "op" and token.text == ")":
            raise FormulaError(f"the ')' at column {token.column} closes nothing")
        raise FormulaError(f"unexpected {token.text!r} at column {token.column}")
    return tree
