"""Predict, then reveal: no panel shows a value an open question asks for.

Every question of every lesson, at 120x40 and at 80x24, in order: before it is answered, no
number on the screen (nor in the worksheet and the question panel scrolled out of view) is
its expected value, or the value of a later question, printed to any precision a panel
uses; then the value worked on the session's network, pasted into the answer box (typing
it key by key: test_backward_pass_ui.py), is graded right.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from core.explain.notes import (
    SECTIONS,
    explain_snapshot,
    load_lesson,
    lookup,
)
from core.explain.notes.backward_pass import is_pass_key, pass_values, question_formula_key
from core.explain.numbers import num
from core.session.session import Session
from tui.app import BackpropApp
from tui.screens.lesson import LessonScreen
from tui.widgets.render import number

from .conftest import SEED, paste, settle

NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w.])")


def printed(value: float) -> set[str]:
    """``value`` (without its sign) as the panels print numbers: working and results
    (4 and 6 significant digits), the epsilon plot (8, and errors as 1.23e-04) and the
    diagram (two decimals). Only forms with a decimal point ("2" and "0" are in every
    lesson's data), and a form shorter than three digits only where it is the value to
    four digits (the diagram's 0.50 for σ(0) = 0.5, not 0.20 for 0.1955)."""
    size = abs(value)
    forms = {num(size, 4), num(size, 6), f"{size:.8g}", f"{size:.2e}", number(size, 5)}
    return {form for form in forms if "." in form and form.strip("0.") != ""
            and (len(form.replace(".", "").strip("0")) >= 3
                 or num(size, 4) == num(float(form), 4))}


def screen_numbers(app: BackpropApp, screen: LessonScreen) -> set[str]:
    """Every number the learner can read: the screen as drawn, and the whole worksheet and
    question panel (scrolled out of view or not), without signs; the answer format's
    examples ("e.g. -0.25") left out."""
    export = app.export_screenshot()
    drawn = re.sub(r"<[^>]+>", " ", export).replace("&#160;", " ")
    text = " ".join([drawn, screen.worksheet_view.text, screen.questions.text])
    text = re.sub(r"e\.g\.[^)\n│]*", "", text)      # the format's examples, cut or not
    return {token.lstrip("-") for token in NUMBER.findall(text)}


def asked_values(question, live_values) -> list[float]:
    """What a question asks for: its value (every entry, for a formula asked row by row),
    or for a choice the size deciding each option (the gradients or the errors)."""
    try:
        found = lookup(question.answer, live_values)
    except (KeyError, TypeError):                  # a formula's row-wise key, 2.1.2[i,1]
        found = live_values[question.answer.split("[")[0].strip()]
    if question.kind == "choice":
        return [size for _, size in found.options]
    return [float(v) for v in np.ravel(found.value)]


def engine_replies(question, app: BackpropApp, section: str) -> list[str]:
    """The reply to type for each step of a backward pass by hand, else the one reply."""
    if question.kind == "steps":
        return [engine_reply(step, app, section) for step in question.steps]
    return [engine_reply(question, app, section)]


def engine_reply(question, app: BackpropApp, section: str) -> str:
    """The answer on the session's network as it is now (worked apart from the screen),
    typed as a learner would; for a formula, its true expression."""
    if question.kind == "formula":
        return question_formula_key(question.answer).truth
    worksheet = explain_snapshot(section, app.session.snapshot(), app.session.preset)
    live = worksheet.live_values()
    if is_pass_key(question.answer):
        live = {**live, **pass_values(question.answer, live)}
    value = lookup(question.answer, live).value
    if question.kind == "number":
        return repr(float(value))
    if question.kind == "sign":
        return "+" if value > 0 else "-" if value < 0 else "0"
    return str(value)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("section", SECTIONS)
async def test_no_panel_shows_an_open_questions_value(section, size):
    lesson = load_lesson(section)
    app = BackpropApp(Session(lesson.preset, seed=SEED), lesson=lesson)
    try:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, LessonScreen)
            for k, question in enumerate(lesson.questions):
                live = screen.worksheet.live_values()
                assert screen.questions.question.id == question.id
                forbidden = {form for later in lesson.questions[k:]
                             for value in asked_values(later, live) for form in printed(value)}
                shown = screen_numbers(app, screen)
                assert not forbidden & shown, (question.id, sorted(forbidden & shown))
                await pilot.press("a")
                for reply in engine_replies(question, app, section):
                    await paste(pilot, reply)
                    await pilot.press("enter")
                    await pilot.pause()
                answer = app.answers.get(section, question.id)
                assert answer is not None and answer.grade.correct, (question.id, answer)
                await pilot.press("a", "down", "escape")     # the next question
                await pilot.pause()
            assert "?" not in screen.worksheet_view.text      # all answered: all shown
    finally:
        app.close_session()
