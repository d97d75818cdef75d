"""Driving a lesson in the app as a learner does: wait until it shows the last epoch, answer
the question on show, reach a later question."""

from __future__ import annotations

from tui.screens.lesson import LessonScreen
from tui.screens.training import TrainingScreen

from .conftest import settle

READABLE = {"number": "0.5", "sign": "+", "choice": "1"}
"""A reply each kind of question reads (right or not)."""


async def settled(pilot) -> LessonScreen | TrainingScreen:
    """The screen on top once training is done and every screen drew the last epoch."""
    await settle(pilot)
    screen = pilot.app.screen
    if isinstance(screen, LessonScreen):
        for _ in range(100):
            shown = screen.worksheet
            if shown is not None and shown.epoch == pilot.app.session.epoch:
                break
            await pilot.pause()
    return screen


async def answer(pilot, text: str) -> None:
    """a, type ``text``, enter."""
    await pilot.press("a")
    await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()


async def show_question(pilot, question_id: str) -> None:
    """Put the question ``question_id`` on show as a learner reaches it: the questions
    before it answered in order (each with a readable reply), then a, ↓, esc."""
    questions = pilot.app.screen.questions
    while questions.question.id != question_id:
        if questions.question.id not in questions.answers:
            await answer(pilot, READABLE[questions.question.kind])
        await pilot.press("a", "down", "escape")
        await pilot.pause()
