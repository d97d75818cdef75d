"""The course in the app: the learner's answers, kept for the run, and opening a lesson.

A lesson (``core.explain.notes.Lesson``) opens on its own preset: choosing one loads that
preset unless the session already trains it (then the learner's network is kept). The
lesson screen itself is ``tui.screens.lesson.LessonScreen``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.explain.notes import Grade, Lesson, LessonError, fits, load_lessons

if TYPE_CHECKING:
    from .app import BackpropApp


@dataclass(frozen=True)
class Answer:
    """One answer the learner gave: what they typed, its grade and the epoch it was
    graded at."""

    section: str
    question: str
    text: str
    grade: Grade
    epoch: int


@dataclass
class AnswerBook:
    """Every lesson's latest answer to each of its questions, and the lesson last opened
    (``last_section``), for as long as the app runs."""

    answers: dict[tuple[str, str], Answer] = field(default_factory=dict)
    last_section: str | None = None

    def record(self, answer: Answer) -> None:
        """Keep ``answer`` (it replaces an earlier answer to the same question)."""
        self.answers[(answer.section, answer.question)] = answer

    def get(self, section: str, question: str) -> Answer | None:
        """The latest answer to question ``question`` of lesson ``section``, if any."""
        return self.answers.get((section, question))

    def count(self, section: str) -> tuple[int, int]:
        """(answered, right) for lesson ``section``."""
        mine = [a for (s, _), a in self.answers.items() if s == section]
        return len(mine), sum(a.grade.correct for a in mine)


def course(app: BackpropApp) -> list[Lesson] | None:
    """The lessons in section order; None (after saying why) if they cannot be read."""
    try:
        return load_lessons()
    except LessonError as error:
        app.notify(str(error), title="Lessons", severity="error", timeout=8)
        return None


def open_lesson(app: BackpropApp, lesson: Lesson) -> None:
    """Show ``lesson`` on its preset: load the preset unless the session trains it already
    (in a shape the lesson fits), then switch the open lesson screen to it or open one over
    the training screen."""
    from .file_flows import load_preset
    from .screens.lesson import LessonScreen

    preset = app.session.preset
    reload = preset.name != lesson.preset or fits(lesson.section, preset) is not None
    if reload and not load_preset(app.training_screen, lesson.preset):
        return
    screen = app.screen
    if isinstance(screen, LessonScreen):
        screen.show_lesson(lesson)
        screen.start_over()
    else:
        app.push_screen(LessonScreen(app.session, lesson))


async def choose_lesson(app: BackpropApp, current: str | None = None) -> None:
    """The list of lessons; the chosen one opens (escape keeps what is on screen)."""
    from .screens.lesson_picker import LessonPicker

    lessons = course(app)
    if not lessons:
        return
    section = await app.push_screen_wait(LessonPicker(lessons, app.answers, current))
    chosen = next((lesson for lesson in lessons if lesson.section == section), None)
    if chosen is not None:
        open_lesson(app, chosen)
