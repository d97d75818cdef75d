"""The list of lessons (``t``): one a section of the notes, with its preset and the learner's
progress in it (kept between runs, ``core.progress``)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from core.explain.notes import Lesson
from core.progress import Progress

from .option_picker import OptionPicker


def lesson_option(lesson: Lesson, answers: Progress) -> Option:
    """One line a lesson: section and title, then its preset and how many questions the
    learner answered (and got right); ✓ once every question is answered."""
    ids = {q.id for q in lesson.questions}
    mine = [a for q, a in answers.of(lesson.section).items() if q in ids]
    answered, right = len(mine), sum(a.grade.correct for a in mine)
    progress = (f"{answered}/{len(ids)} answered, {right} right" if answered
                else f"{len(ids)} questions")
    if answered == len(ids):
        progress = f"✓ {progress}"
    prompt = Content.assemble((f"{lesson.section}  ", "bold"), (lesson.title, "bold"), "\n",
                              (f"      preset {lesson.preset} · {progress}", "dim"))
    return Option(prompt, id=lesson.section)


GROUPS = {"1": "The notes (1.0-1.7)", "2": "Beyond the notes (2.1-2.4)"}
"""The lessons' groups, by the first digit of their section."""


def grouped_options(lessons: Sequence[Lesson], answers: Progress) -> list[Option]:
    """The lessons in order, each group under a heading that cannot be chosen."""
    options, heading = [], None
    for lesson in lessons:
        group = GROUPS.get(lesson.section.split(".")[0], "")
        if group != heading:
            options.append(Option(Content(group).stylize("bold"), disabled=True))
            heading = group
        options.append(lesson_option(lesson, answers))
    return options


class LessonPicker(OptionPicker):
    """Choose a lesson; enter opens it (dismisses with its section), escape keeps the
    screen as it is."""

    BINDINGS = [Binding("escape,t", "cancel", "Cancel")]

    def __init__(self, lessons: Sequence[Lesson], answers: Progress,
                 current: str | None = None) -> None:
        super().__init__(current or (lessons[0].section if lessons else None))
        self.lessons = tuple(lessons)
        self.answers = answers

    def compose(self) -> ComposeResult:
        """The lessons in section order."""
        with Vertical(id="lesson-picker-body") as body:
            body.border_title = "Lessons: the notes, section by section"
            body.border_subtitle = "↑↓ choose · enter opens it on its preset · esc cancels"
            yield OptionList(*grouped_options(self.lessons, self.answers),
                             id="lesson-picker-list")
