"""A lesson's live worksheet in the app: it follows each step, holds back what the open
questions ask for (and the inspector beneath does too), lesson 1.0's epsilon keys and plot,
and its layout: no equation of the course wraps at 120 columns, long working hangs its
indent, and the worksheet opens at its top."""

from __future__ import annotations

import pytest
from textual.content import Content
from textual.widgets import Label
from textual.widgets.markdown import MarkdownFence

from core.explain.notes import Grade
from core.explain.numbers import num
from core.progress import Answer
from tui.widgets.hanging import hang
from tui.widgets.lesson.epsilon_plot import CAPTIONS, EpsilonPlot
from tui.widgets.lesson.worksheet_view import held_back

from .conftest import inspector_text, settle
from .lesson_pilot import answer, settled, show_question


async def test_the_worksheet_follows_a_step(lesson_app):
    app = lesson_app("1.1")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        before = app.session.snapshot().loss              # 1.1.1, which no question asks
        assert f"{before:.6g}" in screen.worksheet_view.text
        await pilot.press("n")
        screen = await settled(pilot)
        after = app.session.snapshot().loss
        text = screen.worksheet_view.text
        assert "epoch 1" in text and f"{after:.6g}" in text and f"{before:.6g}" not in text


async def test_stepping_a_batch_apart_ends_in_an_update_the_worksheet_shows(lesson_app):
    app = lesson_app("1.5")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        before = screen.worksheet_view.text
        for key in ("f", "f", "B", "B"):
            await pilot.press(key)
            screen = await settled(pilot)
            assert screen.worksheet.epoch == 0 and screen.worksheet_view.text == before
        await pilot.press("f")                 # after the last backward step: the update
        screen = await settled(pilot)
        assert screen.worksheet.epoch == 1 and "epoch 1" in screen.worksheet_view.text


async def test_the_worksheet_holds_back_what_the_open_questions_ask_for(lesson_app):
    app = lesson_app("1.4")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        asked = screen.worksheet.equation("1.4.1").value[1]      # a_2(1), question 1
        later = screen.worksheet.equation("1.4.7").value[0]      # question 2's link
        text = screen.worksheet_view.text
        assert "a_2(1) = σ(1·" in text and "(1.4.2)" in text      # its working, and on
        assert f"{asked:.4g}" not in text and f"{later:.4g}" not in text
        assert "open question asks for this result" in text
        await answer(pilot, f"{asked:.5f}")
        assert "Right" in screen.questions.text
        text = screen.worksheet_view.text
        assert f"= {asked:.4g}" in text and f"{later:.4g}" not in text


def test_holding_back_hides_results_and_keeps_the_numbers_they_come_from():
    assert held_back("a_2(1) = σ(1·0.4744 + 0) = 0.6164") == "a_2(1) = σ(1·0.4744 + 0) = ?"
    assert held_back("  = -20.7129") == "  = ?"
    assert held_back("σ([0, 1]·w(1)) = [0.2452, 0.2343]") == "σ([0, 1]·w(1)) = ?"
    for given in ("w = 0.273923, ε = 0.001", "= d/dw of C(w) = 9.25 at w = 0.7583",
                  "= (1/5)[0 + (-3.452) + (-13.81)]"):
        assert held_back(given) == given


async def test_the_inspector_holds_back_what_the_open_lesson_asks_for(lesson_app):
    app = lesson_app("1.5")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        asked = screen.worksheet.equation("1.5.12").value         # dC/dw(1), question 2
        await pilot.press("escape", "i")
        await settle(pilot)
        text = inspector_text(app)
        assert text.startswith("weight w(1)[1,1]") and "= ?" in text
        assert num(asked, 4) not in text and num(asked, 6) not in text
        for question in screen.lesson.questions:                  # all answered
            app.answers.record(Answer("1.5", question.id, "0", Grade(False, "", None, ""), 0))
        await pilot.press("n")
        await settle(pilot)
        now = app.session.snapshot().gradients_w[0][0, 0]
        assert num(now, 4) in inspector_text(app) and "= ?" not in inspector_text(app)


async def test_epsilon_keys_move_lesson_1_0s_estimates(lesson_app):
    app = lesson_app("1.0")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        assert screen.worksheet.epsilon.at.epsilon == pytest.approx(1e-3)
        await pilot.press("slash", "slash")
        await pilot.pause()
        assert screen.worksheet.epsilon.at.epsilon == pytest.approx(1e-5)
        assert "ε = 1e-05" in screen.worksheet_view.text
        await pilot.press("asterisk")
        await pilot.pause()
        assert "ε = 0.0001" in screen.worksheet_view.text


@pytest.mark.parametrize("size", [(140, 45), (120, 40), (80, 30)])
async def test_the_epsilon_plots_header_and_caption_are_never_cut_off(lesson_app, size):
    app = lesson_app("1.0")
    async with app.run_test(size=size) as pilot:
        screen = await settled(pilot)
        await show_question(pilot, "closer")
        await answer(pilot, "central")             # the plot's numbers come back
        if screen.has_class("-narrow"):         # the worksheet is a view of its own there
            await pilot.press("w")
            await pilot.pause()
        plot = screen.query_one(EpsilonPlot)
        header, caption = (plot.render_line(y).text.rstrip() for y in (0, 3))
        assert caption in CAPTIONS
        exact = screen.worksheet.epsilon.exact
        assert f"backprop C'(w) = {exact:.8g}" in header


async def test_no_equation_of_the_course_wraps_at_120_columns(lesson_app):
    app = lesson_app("1.0")
    async with app.run_test(size=(120, 40)) as pilot:
        wrapped, fences, written = [], 0, 0
        for _ in range(8):
            screen = await settled(pilot)
            written += sum(page.count("```") for page in screen.lesson.pages) // 2
            for page in range(len(screen.lesson.pages)):
                await pilot.pause()
                await pilot.pause()
                for fence in screen.query(MarkdownFence):
                    fences += 1
                    lines = fence.code.rstrip("\n").split("\n")
                    if fence.query_one(Label).size.height != len(lines):
                        wrapped.append((screen.lesson.section, page + 1, max(lines, key=len)))
                await pilot.press("right")
            await pilot.press("full_stop")
        assert fences == written > 20 and not wrapped


def test_long_working_wraps_with_a_hanging_indent_outside_brackets():
    line = Content("  i=2: σ([0, 1]·w(1) + b(1)) = σ([-1.124, -1.184]) = [0.2452, 0.2343]")
    pieces = [piece.plain for piece in hang(line, 40)]
    assert len(pieces) > 1 and all(len(p) <= 40 for p in pieces)
    assert all(p.startswith(" " * 6) for p in pieces[1:])          # 2 of the line's own + 4
    assert any("[0.2452, 0.2343]" in p for p in pieces)              # a bracket stays whole
    assert " ".join(p.strip() for p in pieces) == line.plain.strip()


async def test_the_worksheet_opens_at_its_top_and_home_end_and_indents_hold(lesson_app):
    app = lesson_app("1.5")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settled(pilot)
        await pilot.press("w")
        await pilot.pause()
        view = screen.worksheet_view
        assert view.scroll_y == 0
        await pilot.press("end")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y > 0
        lines = view.text.splitlines()                  # every line wrapped by the app,
        assert max(map(len, lines)) <= view.scrollable_content_region.width     # indented
        assert sum(line.startswith("      ") for line in lines) > 5
        await pilot.press("full_stop")                  # the next lesson, from the top
        screen = await settled(pilot)
        assert screen.lesson.section == "1.6" and screen.worksheet_view.scroll_y == 0
        await pilot.press("end", "home")
        await pilot.pause()
        assert screen.worksheet_view.scroll_y == 0
