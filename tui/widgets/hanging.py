"""Long lines of working wrapped with a hanging indent: each continuation line indented
further than the line it continues, so a long substitution still reads as one step."""

from __future__ import annotations

from textual.content import Content

HANG = 4
"""Continuation lines of a wrapped line are indented this much more than the line."""


def outer_spaces(text: str) -> list[int]:
    """The positions of the spaces of ``text`` outside any brackets or parentheses."""
    depth, spaces = 0, []
    for position, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif char == " " and depth == 0:
            spaces.append(position)
    return spaces


def hang(line: Content, width: int) -> list[Content]:
    """``line`` wrapped at spaces to ``width`` cells, continuation lines indented ``HANG``
    more than the line itself (so a long substitution stays visibly one step); a space
    outside brackets is preferred, so ``[0.5, 0.5]`` and ``(layer l = 1)`` stay whole."""
    plain = line.plain
    if width <= 2 * HANG or len(plain) <= width:
        return [line]
    indent = " " * (len(plain) - len(plain.lstrip(" ")) + HANG)
    outer = outer_spaces(plain)
    pieces, start, limit = [], 0, width
    while len(plain) - start > limit:
        fitting_outer = [p for p in outer if start + limit // 2 < p <= start + limit]
        cut = (fitting_outer[-1] if fitting_outer
               else plain.rfind(" ", start + 1, start + limit + 1))
        cut = cut if cut > start else start + limit
        pieces.append(line[start:cut])
        start = cut + 1 if plain[cut:cut + 1] == " " else cut
        limit = width - len(indent)
    pieces.append(line[start:])
    return [pieces[0], *(Content(indent) + piece for piece in pieces[1:])]
