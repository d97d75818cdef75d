"""Hunt the notes' errors (``h`` in lessons 1.4, 1.5 and 1.7): the section's equations as
the notes write them, with the value each gives and nothing saying which err.

↑↓ move, space marks an equation as wrong (or unmarks it), ``c`` asks the finite-difference
referee about the equation under the cursor, enter grades the marks (found, missed, wrongly
accused) and reveals the corrections with their evidence; escape goes back to the lesson.
The marks are kept with the learner's answers (``core.progress``, question
``error_hunt.HUNT_ID``), so a hunt reopens graded after a restart. What the lesson's open
questions ask for stays '?' here too.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from core.explain.notes import NOTHING, Held, Worksheet
from core.explain.notes.error_hunt import (
    HUNT_ID,
    HUNT_SECTIONS,
    HuntResult,
    grade_hunt,
    hunt_grade,
    hunt_items,
    marks_text,
    read_marks,
)
from core.explain.notes.worksheet import show_value
from core.progress import Answer

INTRO = ("Some of these equations, as the notes write them, are wrong. Mark the ones you "
         "believe wrong and press enter. Each gives the value its formula, as written, takes "
         "on the live network; c asks the finite-difference referee (1.0.1) what a "
         "derivative truly is.\n")
KEYS = "↑↓ move · space marks it wrong · c the referee · enter grades · esc back"


class ErrorHuntScreen(Screen):
    """The error hunt over ``worksheet`` of lesson ``section``; ``held`` is what the
    lesson's open questions hold back."""

    BINDINGS = [Binding("up", "move(-1)", "up", show=False),
                Binding("down", "move(1)", "down", show=False),
                Binding("space", "mark", "mark"),
                Binding("c", "referee", "referee"),
                Binding("enter", "grade", "grade"),
                Binding("escape", "app.pop_screen", "back")]

    def __init__(self, worksheet: Worksheet, section: str, held: Held = NOTHING) -> None:
        super().__init__()
        self.worksheet, self.section, self.held = worksheet, section, held
        self.items = hunt_items(worksheet)
        self.cursor = 0
        self.marked: set[str] = set()
        self.asked: set[str] = set()           # the equations the referee was asked about
        self.result: HuntResult | None = None

    def compose(self) -> ComposeResult:
        """The instructions, an equation a line, and once graded the verdict."""
        with VerticalScroll(id="hunt", classes="panel", can_focus=False):
            yield Static(Content.styled(INTRO, "dim"), id="hunt-intro")
            for index in range(len(self.items)):
                yield Static("", id=f"hunt-item-{index}")
            yield Static("", id="hunt-verdict")
        yield Footer()

    def on_mount(self) -> None:
        """Reopen earlier marks (graded) and draw."""
        scroll = self.query_one("#hunt")
        scroll.border_title = f"Hunt the notes' errors: section {self.section}"
        scroll.border_subtitle = KEYS
        kept = self.app.answers.get(self.section, HUNT_ID)
        if kept is not None:
            self.marked = set(read_marks(kept.text))
            self.result = grade_hunt(self.worksheet, self.marked)
        self.draw()

    def _masked(self, parts: list[tuple[str, str] | str]) -> Content:
        return Content.assemble(*(self.held.mask(p) if isinstance(p, str)
                                  else (self.held.mask(p[0]), p[1]) for p in parts))

    def item_content(self, index: int) -> Content:
        """One equation: marked or not, the formula as the notes write it, the value it
        gives and, once asked, the referee's word."""
        item = self.items[index]
        here = index == self.cursor and self.result is None
        mark = item.key in self.marked
        parts: list[tuple[str, str] | str] = [
            ("▶ " if here else "  ", "bold $text-accent"),
            ("[✗] " if mark else "[ ] ", "bold $text-error" if mark else "dim"),
            (f"({item.key}) ", "bold $text-primary"), (item.formula, "reverse" if here else "bold"),
            "\n", ("      gives ", "dim"), show_value(item.value)]
        if item.key in self.asked:
            parts += ["\n", ("      referee: ", "dim"), (item.evidence, "italic")]
        return self._masked(parts)

    def verdict_content(self) -> Content:
        """Once graded: found, missed, wrongly accused, then the corrections."""
        if self.result is None:
            return Content("")
        verdict = hunt_grade(self.result)
        head = (("✓ Every error found, nothing else accused.", "bold $text-success")
                if verdict.correct else ("✗ Not quite.", "bold $text-error"))
        return self._masked(["\n", head, "\n", verdict.working_text])

    def draw(self) -> None:
        """Redraw every equation and the verdict."""
        for index in range(len(self.items)):
            self.query_one(f"#hunt-item-{index}", Static).update(self.item_content(index))
        self.query_one("#hunt-verdict", Static).update(self.verdict_content())

    @property
    def text(self) -> str:
        """The hunt as plain text."""
        return "\n".join(str(widget.render()) for widget in self.query(Static))

    def action_move(self, step: int) -> None:
        """↑↓: the previous or next equation."""
        self.cursor = (self.cursor + step) % len(self.items)
        self.draw()
        self.query_one("#hunt").scroll_to_widget(self.query_one(f"#hunt-item-{self.cursor}"),
                                                 animate=False)

    def action_mark(self) -> None:
        """space: mark the equation under the cursor as wrong, or unmark it (until graded)."""
        if self.result is not None:
            self.notify("These marks are graded. Keep them, or go back with escape.",
                        title="Error hunt")
            return
        key = self.items[self.cursor].key
        self.marked ^= {key}
        self.draw()

    def action_referee(self) -> None:
        """c: the finite-difference referee's estimate for the equation under the cursor."""
        self.asked.add(self.items[self.cursor].key)
        self.draw()

    def action_grade(self) -> None:
        """enter: grade the marks, keep them and reveal the corrections."""
        if self.result is not None:
            return
        self.result = grade_hunt(self.worksheet, self.marked)
        self.app.answers.record(Answer(self.section, HUNT_ID,
                                       marks_text(self.marked, self.worksheet),
                                       hunt_grade(self.result), self.worksheet.epoch))
        self.draw()
        self.query_one("#hunt").scroll_end(animate=False)


def open_hunt(screen) -> None:
    """``h`` in a lesson: the error hunt over its live worksheet, where the section has one."""
    section = screen.lesson.section
    if section not in HUNT_SECTIONS:
        screen.notify(f"The error hunt is in lessons {', '.join(HUNT_SECTIONS)}, where the "
                      f"notes err.", title="Error hunt")
        return
    if screen.worksheet is None:
        screen.notify("There is no live worksheet to hunt in: press t and enter to load this "
                      "lesson's preset.", title="Error hunt", severity="warning")
        return
    screen.app.push_screen(ErrorHuntScreen(screen.worksheet, section, screen.held))
