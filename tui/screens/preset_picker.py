"""The preset picker (``p``): every built-in preset with its title and description."""

from __future__ import annotations

import re
from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from .option_picker import OptionPicker


def first_sentence(text: str, limit: int = 110) -> str:
    """The description's first sentence (cut at ``limit`` characters), for the list."""
    text = " ".join(str(text).split())
    match = re.match(r"(.+?[.!?])(\s+[A-Z]|$)", text)
    sentence = match.group(1) if match else text
    return sentence if len(sentence) <= limit else sentence[:limit - 1].rstrip() + "…"


class PresetPicker(OptionPicker):
    """Choose a preset; enter loads it (dismisses with its name), escape keeps the current one.

    The list shows each preset's title, name and first sentence; the pane below it the
    whole description of the highlighted one. ``presets`` have ``name``, ``title`` and
    ``description``.
    """

    def __init__(self, presets: Sequence, current: str | None = None) -> None:
        super().__init__(current)
        self.presets = tuple(presets)

    def compose(self) -> ComposeResult:
        """The list of presets and, below it, the highlighted one's description."""
        options = []
        for preset in self.presets:
            prompt = Content.assemble((preset.title or preset.name, "bold"),
                                      (f"  {preset.name}", "dim"), "\n",
                                      (first_sentence(preset.description), "italic"))
            options.append(Option(prompt, id=preset.name))
        with Vertical(id="picker-body") as body:
            body.border_title = "Presets"
            body.border_subtitle = "↑↓ choose · enter loads · esc cancels"
            yield OptionList(*options, id="picker-list")
            with VerticalScroll(id="picker-detail"):
                yield Static("", id="picker-description")

    @on(OptionList.OptionHighlighted)
    def describe(self, event: OptionList.OptionHighlighted) -> None:
        """Show the whole description of the highlighted preset."""
        preset = next((p for p in self.presets if p.name == event.option.id), None)
        if preset is not None:
            text = "\n\n".join(" ".join(part.split())
                               for part in str(preset.description).split("\n\n"))
            self.query_one("#picker-description", Static).update(
                Content.assemble((preset.title or preset.name, "bold"), "\n", text))
            self.query_one("#picker-detail").scroll_home(animate=False)
