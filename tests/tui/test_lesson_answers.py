"""Answering a lesson's questions in the app: a reply is graded against the engine with its
tolerance, a reply that cannot be read is refused and not counted, the one-sided estimate is
graded at the epsilon on screen, a brings the question back from the worksheet view, and
answers are kept when the learner comes back."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList

from core.explain.notes import network_from_snapshot, tolerance
from tui.app import BackpropApp
from tui.widgets.keys_footer import KeysFooter

from .lesson_pilot import answer, settled, show_question


def engine_gradient(app: BackpropApp) -> tuple[float, float, float]:
    """(w, dC/dw, learning rate) of a one-weight network, from the engine itself."""
    snapshot = app.session.snapshot()
    net = network_from_snapshot(snapshot, app.session.preset)
    weights, _ = net.gradients(snapshot.X_train, snapshot.Y_train)
    return float(snapshot.weights[0][0, 0]), float(weights[0][0, 0]), snapshot.learning_rate


async def test_an_answer_is_graded_against_the_engine(lesson_app):
    app = lesson_app("1.1")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        questions = screen.questions
        await show_question(pilot, "next-w")
        w, gradient, rate = engine_gradient(app)
        right = w - rate * gradient
        await answer(pilot, f"{right:.5f}")
        assert "Right" in questions.text and f"±{tolerance(right):.2g}" in questions.text
        await answer(pilot, f"{right + 0.01:.5f}")
        assert "Not quite" in questions.text and f"{right:.6g}" in questions.text
        kept = app.answers.get("1.1", "next-w")
        assert kept is not None and not kept.grade.correct
        await pilot.press("n")                 # the lesson's keys work after an answer
        assert (await settled(pilot)).worksheet.epoch == 1


async def test_a_reply_that_cannot_be_read_is_refused_and_not_counted(lesson_app):
    app = lesson_app("1.7")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        await show_question(pilot, "hidden-weight")
        expected = screen.worksheet.equation("1.7.2", 1).value[0][0]
        await answer(pilot, "abc")
        verdict = str(screen.questions.query_one("#question-verdict").render())
        assert verdict == "Not counted: 'abc' is not a number, e.g. -0.25, 1e-3 or 1/12. " \
            "Try again."
        assert f"{expected:.3g}" not in screen.questions.text
        assert app.answers.get("1.7", "hidden-weight") is None
        box = screen.questions.query_one(Input)
        assert box.has_focus and box.value == "abc"      # kept, to be corrected
        for text in ("1/0", repr(expected)):             # 1/0 is refused too
            box.value = ""
            await pilot.press(*text, "enter")
            await pilot.pause()
        assert "Right" in screen.questions.text
        assert app.answers.get("1.7", "hidden-weight").grade.correct


async def test_the_one_sided_question_is_graded_at_the_epsilon_on_screen(lesson_app):
    app = lesson_app("1.0")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        await pilot.press("asterisk")                    # ε = 1e-2
        await show_question(pilot, "slope-value")
        at = screen.worksheet.epsilon.at
        assert at.epsilon == pytest.approx(1e-2)
        await answer(pilot, f"{at.one_sided:.7g}")
        assert "Right" in screen.questions.text
        assert app.answers.get("1.0", "slope-value").grade.expected == f"{at.one_sided:.6g}"


async def test_a_brings_the_question_back_from_the_worksheet_view(lesson_app):
    app = lesson_app("1.4")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settled(pilot)
        footer = screen.query_one(KeysFooter)
        await pilot.press("w")
        await pilot.pause()
        assert not screen.questions.region.area and screen.worksheet_view.region.area
        assert "page" not in [key[2] for key in footer.keys_shown() if key[3] and key[4]]
        await answer(pilot, "0.5")
        text = screen.questions.text
        assert screen.questions.region.area and ("Right" in text or "Not quite" in text)
        assert "page" in [key[2] for key in footer.keys_shown() if key[3] and key[4]]


async def test_answers_are_kept_when_the_learner_comes_back(lesson_app):
    app = lesson_app("1.1")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        await answer(pilot, "-")
        await pilot.press("full_stop")
        screen = await settled(pilot)
        assert screen.lesson.section == "1.2" and "(epoch 0)" not in screen.questions.text
        await pilot.press("comma")
        screen = await settled(pilot)
        kept = app.answers.get("1.1", "sign")
        assert screen.lesson.section == "1.1" and kept is not None
        assert "Question 2 of" in screen.questions.text     # the first one not answered
        await pilot.press("a", "up", "escape")
        assert f"{kept.text}  (epoch {kept.epoch})" in screen.questions.text
        await pilot.press("t")
        await pilot.pause()
        listed = str(app.screen.query_one(OptionList).get_option("1.1").prompt)
        assert "1/4 answered" in listed
