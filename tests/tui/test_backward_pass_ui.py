"""One full backward pass by hand, through the keyboard alone, at 120x40 and 80x24: each
step is held until answered, a wrong try keeps it open, ``?`` shows it and is kept as given,
and the next step opens only once the one before is right or given."""

from __future__ import annotations

import re

import pytest

import tui.__main__ as cli
from core.explain.notes import lookup
from core.explain.notes.backward_pass import pass_formula_key, pass_values
from core.explain.notes.grading import Grade
from core.explain.numbers import num
from core.progress import Answer, Progress
from tui.answers import progress_file
from tui.screens.lesson import LessonScreen

from .conftest import settle


def lesson_app(section: str):
    """``python -m tui --lesson SECTION --seed 3``, its earlier questions already answered
    (kept in the test's data folder), so it opens at the backward pass."""
    app = cli.build_app(cli.build_parser().parse_args(["--lesson", section, "--seed", "3"]))
    progress = Progress(progress_file())
    for question in app.start_lesson.questions[:-1]:
        progress.record(Answer(section, question.id, "x", Grade(True, "x", None, ""), 0))
    app.answers = progress
    return app


def step_value(step, live_values) -> float:
    """What a number step asks for on the live network."""
    return lookup(step.answer, {**live_values, **pass_values(step.answer, live_values)}).value


def shown(app, screen) -> str:
    """What the learner reads: the screen as drawn and the whole question panel (the
    worksheet scrolled out of view is added where it matters)."""
    drawn = re.sub(r"<[^>]+>", " ", app.export_screenshot()).replace("&#160;", " ")
    return drawn + screen.questions.text


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("section", ["1.5", "1.7"])
async def test_a_backward_pass_by_hand_through_the_keyboard(section, size):
    app = lesson_app(section)
    try:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, LessonScreen)
            question = screen.questions.question
            assert question.kind == "steps"
            live = screen.worksheet.live_values()
            given = 1                               # the second step is given with ?
            for index, step in enumerate(question.steps):
                text = shown(app, screen)
                assert f"step {index + 1} of {len(question.steps)}" in text
                assert step.prompt[:30] in text
                later = question.steps[index + 1:]
                assert not any(s.prompt[:30] in text for s in later)   # not shown yet
                if step.kind == "number":
                    value = step_value(step, live)
                    if abs(value) > 1e-3 and value != round(value):   # held: nowhere to read
                        seen = text + screen.worksheet_view.text
                        assert num(abs(value), 4) not in seen, (step.id, value)
                    reply = f"{value:.6g}"          # as a learner types it: well inside 1%
                else:
                    reply = pass_formula_key(step.answer).row
                # a wrong try: kept, not right, the step stays open (the box keeps the
                # cursor from step to step)
                await pilot.press(*(["a"] if index == 0 else []), *"123", "enter")
                await pilot.pause()
                tried = app.answers.get(section, step.id)
                assert tried is not None and not tried.grade.correct
                assert "Not quite: you said 123" in screen.questions.text
                assert f"step {index + 1} of" in screen.questions.text
                await pilot.press(*("?" if index == given else reply), "enter")
                await pilot.pause()
                kept = app.answers.get(section, step.id)
                if index == given:                  # shown, and kept as given, not right
                    assert kept.text == "?" and not kept.grade.correct
                    assert kept.grade.expected in screen.questions.text
                else:
                    assert kept.grade.correct, (step.id, kept)
            whole = app.answers.get(section, question.id)
            assert whole is not None and not whole.grade.correct   # one step was given
            assert "given:" in whole.grade.working_text
            assert "✗ Not quite" in screen.questions.text
            assert "?" not in screen.worksheet_view.text            # nothing held now
            assert app.screen is screen and screen.focused is None  # the lesson's keys again
    finally:
        app.close_session()
