"""The list of lessons (``t``): one a section of the notes, with its preset and answers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from core.explain.notes import Lesson

from .option_picker import OptionPicker

if TYPE_CHECKING:
    from ..answers import AnswerBook


def lesson_option(lesson: Lesson, answers: AnswerBook) -> Option:
    """One line a lesson: section and title, then its preset and how many questions the
    learner answered (and got right)."""
    answered, right = answers.count(lesson.section)
    progress = (f"{answered}/{len(lesson.questions)} answered, {right} right" if answered
                else f"{len(lesson.questions)} questions")
    prompt = Content.assemble((f"{lesson.section}  ", "bold"), (lesson.title, "bold"), "\n",
                              (f"      preset {lesson.preset} · {progress}", "dim"))
    return Option(prompt, id=lesson.section)


class LessonPicker(OptionPicker):
    """Choose a lesson; enter opens it (dismisses with its section), escape keeps the
    screen as it is."""

    BINDINGS = [Binding("escape,t", "cancel", "Cancel")]

    def __init__(self, lessons: Sequence[Lesson], answers: AnswerBook,
                 current: str | None = None) -> None:
        super().__init__(current)
        self.lessons = tuple(lessons)
        self.answers = answers

    def compose(self) -> ComposeResult:
        """The lessons in section order."""
        with Vertical(id="lesson-picker-body") as body:
            body.border_title = "Lessons: the notes, section by section"
            body.border_subtitle = "↑↓ choose · enter opens it on its preset · esc cancels"
            yield OptionList(*(lesson_option(lesson, self.answers) for lesson in self.lessons),
                             id="lesson-picker-list")
