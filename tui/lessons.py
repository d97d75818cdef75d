"""The course in the app: the list of lessons, opening one, and the next or previous one.

A lesson (``core.explain.notes.Lesson``) opens on its own preset: choosing one loads that
preset unless the session already trains it (then the learner's network is kept). The
lesson screen itself is ``tui.screens.lesson.LessonScreen``; the learner's answers are kept
in ``app.answers`` (``core.progress``, stored where ``tui.answers`` says). ``lesson_held``
is what the last lesson opened holds back on another screen's panels (the training screen's
and the inspector). Each function takes the app, whose session and answers it uses.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from textual.app import App

from core.explain.notes import (
    NOTHING,
    Held,
    Lesson,
    LessonError,
    explain_snapshot,
    fits,
    held_values,
    load_lesson,
    load_lessons,
)
from core.explain.notes.backward_pass import closed
from core.session import Snapshot


def course(app: App) -> list[Lesson] | None:
    """The lessons in section order; None (after saying why) if they cannot be read."""
    try:
        return load_lessons()
    except LessonError as error:
        app.notify(str(error), title="Lessons", severity="error", timeout=8)
        return None


def open_lesson(app: App, lesson: Lesson) -> None:
    """Show ``lesson`` on its preset: load the preset unless the session trains it already
    (in a shape the lesson fits), then switch the open lesson screen to it or open one over
    the training screen."""
    from .file_flows import load_preset
    from .screens.lesson import LessonScreen

    preset = app.session.preset
    reload = preset.name != lesson.preset or fits(lesson.section, preset) is not None
    if reload and not load_preset(app.screen, lesson.preset):
        return
    screen = app.screen
    if isinstance(screen, LessonScreen):
        screen.show_lesson(lesson)
    else:
        app.push_screen(LessonScreen(app.session, lesson))


def step_lesson(app: App, section: str, step: int) -> None:
    """Open the lesson ``step`` places after lesson ``section`` (-1: the one before), or say
    that there is none."""
    lessons = course(app)
    if not lessons:
        return
    sections = [lesson.section for lesson in lessons]
    index = sections.index(section) if section in sections else 0
    if 0 <= index + step < len(lessons):
        open_lesson(app, lessons[index + step])
    else:
        app.notify("That was the " + ("last" if step > 0 else "first") + " lesson.",
                   title="Lessons")


async def choose_lesson(app: App, current: str | None = None) -> None:
    """The list of lessons; the chosen one opens (escape keeps what is on screen)."""
    from .screens.lesson_picker import LessonPicker

    lessons = course(app)
    if not lessons:
        return
    section = await app.push_screen_wait(LessonPicker(lessons, app.answers, current))
    chosen = next((lesson for lesson in lessons if lesson.section == section), None)
    if chosen is not None:
        open_lesson(app, chosen)


HELD_KEPT = 4
"""How many worked-out holds each app keeps (the panels and the inspector may draw
different snapshots in turn)."""
_held: WeakKeyDictionary[App, list[tuple[str, Snapshot, frozenset[str], Held]]] = \
    WeakKeyDictionary()


def lesson_held(app: App, snapshot: Snapshot) -> Held:
    """What the lesson last opened holds back on ``snapshot`` while it has unanswered
    questions (NOTHING when none is open, all are answered or the network is not one the
    lesson's section fits); worked out once per lesson, snapshot and set of answers."""
    section = app.answers.last_section
    if section is None:
        return NOTHING
    answered = frozenset(closed(app.answers.of(section)))
    kept = _held.setdefault(app, [])
    for kept_section, kept_snapshot, kept_answered, held in kept:
        if kept_snapshot is snapshot and kept_section == section and kept_answered == answered:
            return held
    held = _work_out_held(app, section, snapshot, answered)
    kept.insert(0, (section, snapshot, answered, held))
    del kept[HELD_KEPT:]
    return held


def _work_out_held(app: App, section: str, snapshot: Snapshot,
                   answered: frozenset[str]) -> Held:
    """What lesson ``section`` holds back on ``snapshot`` with the questions ``answered``."""
    try:
        lesson = load_lesson(section)
        worksheet = explain_snapshot(section, snapshot, app.session.preset)
    except ValueError:                      # LessonError, ExplainError: nothing to hold
        return NOTHING
    return held_values(worksheet, lesson.questions, answered)
