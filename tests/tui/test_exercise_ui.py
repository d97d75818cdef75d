"""Build it yourself in the app: x grades the learner's file against the live network, the
diagram marks the weights whose gradient is wrong, a saved edit is graded again, and a
served app refuses."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from core.session import Session
from tui.app import BackpropApp
from tui.exercise.prompt import GradeFilePrompt
from tui.exercise.screen import GradingScreen

from .conftest import record_notes, run_from_palette, settle

REFERENCE = (Path(__file__).parents[1] / "core" / "exercises" / "reference_solution.py").read_text()


async def graded(pilot) -> GradingScreen:
    """The grading view once its grade is in."""
    screen = pilot.app.screen
    assert isinstance(screen, GradingScreen)
    for _ in range(3):                # the grade, then one asked for while it ran
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not screen.grading:
            break
    return screen


def report_text(screen: GradingScreen) -> str:
    """The report as the panel shows it."""
    return str(screen.query_one("#grading-text", Static).render())


async def open_grading(pilot, path: Path) -> GradingScreen:
    """x, the file's path typed over the default, enter."""
    await pilot.press("x")
    await pilot.pause()
    prompt = pilot.app.screen
    assert isinstance(prompt, GradeFilePrompt)
    assert prompt.query_one(Input).value == "my_backprop.py"
    prompt.query_one(Input).value = str(path)
    await pilot.press("enter")
    await pilot.pause()
    return await graded(pilot)


async def test_x_grades_against_the_live_network_and_again_when_saved(make_app, tmp_path):
    """The reference is right on xor's live weights with nothing marked; a saved edit that
    scales dW is graded again: wrong, every weight's line marked, the first entry named;
    what the file prints shows without its escape sequences."""
    path = tmp_path / "my_backprop.py"
    path.write_text(REFERENCE)
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        screen = await open_grading(pilot, path)
        text = report_text(screen)
        assert "network (1.6-1.7): any depth, as matrices: RIGHT" in text
        assert screen.diagram.flagged == frozenset()
        assert "right at epoch 1" in str(screen.query_one("#grading-report").border_subtitle)
        assert app.answers.exercises == {"network": {"passed": True}}   # kept with the course

        slipped = REFERENCE.replace("dW[l] = below.T @ d", "dW[l] = 1.5 * below.T @ d")
        path.write_text("print('\\x1b[2Jhello')\n" + slipped)
        stamp = os.stat(path)
        os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))
        screen.watch_file()                   # what the timer does four times a second
        screen = await graded(pilot)
        text = report_text(screen)
        assert "WRONG" in text and "first wrong: dW(2)[0, 0] on xor at epoch 1" in text
        assert "\x1b" not in text and "hello" in text
        assert screen.diagram.flagged == frozenset(
            {(0, i, j) for i in range(2) for j in range(2)} | {(1, 0, 0), (1, 1, 0)})
        await pilot.press("escape")
        assert not isinstance(app.screen, GradingScreen)


async def test_a_network_the_exercise_does_not_fit_is_refused_in_one_line(make_app, tmp_path):
    """On a tanh/cross-entropy network the view says what the exercise is written for."""
    path = tmp_path / "mine.py"
    path.write_text(REFERENCE)
    app = make_app("circle")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await open_grading(pilot, path)
        text = report_text(screen)
        assert text.startswith("the network exercise is written for sigmoid neurons")
        assert "\n" not in text and screen.diagram.flagged == frozenset()


async def test_the_prompt_refuses_a_missing_file_and_the_palette_offers_grading(
        make_app, tmp_path):
    """A path with no file stays in the prompt with the reason; the palette's entry opens
    the same prompt."""
    app = make_app("xor")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await run_from_palette(pilot, "Grade my backprop")
        prompt = app.screen
        assert isinstance(prompt, GradeFilePrompt)
        prompt.query_one(Input).value = str(tmp_path / "nothing.py")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is prompt
        assert "python -m core exercise writes one" in str(
            prompt.query_one("#path-error").render())


async def test_a_served_app_refuses_to_run_code(tmp_path):
    """--serve: x says in one line that grading would run code, and asks for no file."""
    app = BackpropApp(Session("xor", seed=3), files_root=tmp_path)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            notes = record_notes(app)
            await pilot.press("x")
            await pilot.pause()
            assert not isinstance(app.screen, GradeFilePrompt)
            [(message, severity)] = notes
            assert severity == "error" and "remote execution" in message
            assert "\n" not in message
    finally:
        app.close_session()


def shown_gradients(screen: GradingScreen) -> tuple[str, float, float, float]:
    """The selected parameter's line: its name, and yours, the engine's and the finite
    difference as the line prints them."""
    line = str(screen.query_one("#grading-selected", Static).render())
    match = re.match(r"∂C/∂(\S+): yours (\S+), engine (\S+), finite difference (\S+), "
                     r"relative error", line)
    assert match, line
    name, *values = match.groups()
    return name, *(float(value) for value in values)


async def test_the_selected_weight_shows_yours_beside_the_engines(make_app, tmp_path):
    """With layer 1's dW scaled by 1.5: the first weight (flagged) shows yours 1.5 times the
    engine's and the finite difference, ✗; the arrow keys walk to b(1)[1] and w(2)[1,1], each
    right: yours equal to the engine's, ✓, and w(2)[1,1] is not flagged; a click on a
    neuron selects its bias."""
    path = tmp_path / "my_backprop.py"
    path.write_text(REFERENCE.replace("dW[l] = below.T @ d",
                                      "dW[l] = (1.5 if l == 0 else 1.0) * below.T @ d"))
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_grading(pilot, path)
        line = screen.query_one("#grading-selected", Static)
        assert "Select a weight" in str(line.render())

        await pilot.press("down")               # nothing selected yet: the first weight
        assert screen.diagram.selected == ("weight", 0, 0, 0)
        assert (0, 0, 0) in screen.diagram.flagged
        name, yours, engine, estimate = shown_gradients(screen)
        assert name == "w(1)[1,1]" and abs(engine) > 1e-3
        assert yours == pytest.approx(1.5 * engine, rel=2e-3)
        assert estimate == pytest.approx(engine, rel=1e-3)
        assert str(line.render()).endswith("✗") and line.has_class("-wrong")

        for expected in ("b(1)[1]", "w(2)[1,1]"):
            await pilot.press("right")
            name, yours, engine, estimate = shown_gradients(screen)
            assert name == expected and yours == engine == estimate
            assert str(line.render()).endswith("✓") and not line.has_class("-wrong")
        assert screen.diagram.selected == ("weight", 1, 0, 0)
        assert (1, 0, 0) not in screen.diagram.flagged

        geometry = screen.diagram.geometry(screen.diagram.snapshot, *screen.diagram.size)
        output = geometry.columns[-1]
        region = screen.diagram.content_region
        await pilot.click(offset=(region.x + output.x, region.y + output.rows[0]))
        assert screen.diagram.selected == ("node", 2, 0)
        assert shown_gradients(screen)[0] == "b(2)[1]"
