"""The lessons and the help parse without linkify exactly as Textual's own parser reads them."""

from __future__ import annotations

from markdown_it import MarkdownIt

from core.explain.notes import load_lessons
from tui.controls import CONTROLS
from tui.screens.help import help_markdown
from tui.widgets.prose import prose_parser


def blocks(parser: MarkdownIt, text: str) -> list[tuple]:
    """Every token of ``text`` with what it shows, inline children included."""
    return [(token.type, token.content, [(child.type, child.content, child.attrs)
                                         for child in token.children or ()])
            for token in parser.parse(text)]


def test_every_lesson_page_and_the_help_read_the_same_as_with_linkify():
    texts = [page for lesson in load_lessons() for page in lesson.pages]
    texts.append(help_markdown([(c.display, c.help) for c in CONTROLS]))
    textual_default = MarkdownIt("gfm-like")
    different = [text[:60] for text in texts
                 if blocks(prose_parser(), text) != blocks(textual_default, text)]
    assert len(texts) > 20
    assert different == []


def test_a_bare_address_would_show_as_text_not_a_link():
    tokens = blocks(prose_parser(), "see https://example.org")
    assert "link_open" not in [child[0] for child in tokens[1][2]]
    assert "link_open" in [child[0] for child in blocks(MarkdownIt("gfm-like"),
                                                          "see https://example.org")[1][2]]
