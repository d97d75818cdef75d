"""``Prose``: Textual's ``Markdown`` for the project's own texts (the lessons and the help)."""

from __future__ import annotations

from markdown_it import MarkdownIt
from textual.widgets import Markdown


def prose_parser() -> MarkdownIt:
    """GitHub-flavoured Markdown without linkify: the texts link with ``[text](url)`` only,
    and linkify compiles its patterns on first use, 60-90 ms on the way to the first frame."""
    return MarkdownIt("gfm-like").disable("linkify")


class Prose(Markdown):
    """A ``Markdown`` widget that parses with ``prose_parser``."""

    def __init__(self, markdown: str | None = None, *, id: str | None = None) -> None:
        super().__init__(markdown, id=id, parser_factory=prose_parser)
