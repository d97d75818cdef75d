"""The list of lessons (``t``): one a section of the notes, with its preset and answers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from core.explain.notes import Lesson

if TYPE_CHECKING:
    from ..lessons import AnswerBook


def lesson_option(lesson: Lesson, answers: AnswerBook) -> Option:
    """One line a lesson: section and title, then its preset and how many questions the
    learner answered (and got right)."""
    answered, right = answers.count(lesson.section)
    progress = (f"{answered}/{len(lesson.questions)} answered, {right} right" if answered
                else f"{len(lesson.questions)} questions")
    prompt = Content.assemble((f"{lesson.section}  ", "bold"), (lesson.title, "bold"), "\n",
                              (f"      preset {lesson.preset} · {progress}", "dim"))
    return Option(prompt, id=lesson.section)


class LessonPicker(ModalScreen[str | None]):
    """Choose a lesson; enter opens it (dismisses with its section), escape keeps the
    screen as it is."""

    BINDINGS = [Binding("escape,t", "cancel", "Cancel")]

    def __init__(self, lessons: Sequence[Lesson], answers: AnswerBook,
                 current: str | None = None) -> None:
        super().__init__()
        self.lessons = tuple(lessons)
        self.answers = answers
        self.current = current

    def compose(self) -> ComposeResult:
        """The lessons in section order."""
        with Vertical(id="lesson-picker-body") as body:
            body.border_title = "Lessons: the notes, section by section"
            body.border_subtitle = "↑↓ choose · enter opens it on its preset · esc cancels"
            yield OptionList(*(lesson_option(lesson, self.answers) for lesson in self.lessons),
                             id="lesson-picker-list")

    def on_mount(self) -> None:
        """Highlight the current lesson (else the first)."""
        options = self.query_one(OptionList)
        sections = [lesson.section for lesson in self.lessons]
        options.highlighted = sections.index(self.current) if self.current in sections else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def choose(self, event: OptionList.OptionSelected) -> None:
        """Enter: open the highlighted lesson."""
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Escape: choose nothing."""
        self.dismiss(None)
