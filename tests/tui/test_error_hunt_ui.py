"""Hunt the notes' errors (h in lessons 1.4, 1.5, 1.7) through the keyboard: the notes'
equations with no erring mark, the referee on c, the marks graded (found, missed, wrongly
accused) with the corrections revealed, and the marks kept over a restart."""

from __future__ import annotations

import pytest

import tui.__main__ as cli
from core.explain.notes.error_hunt import HUNT_ID
from tui.screens.error_hunt import ErrorHuntScreen
from tui.screens.lesson import LessonScreen

from .conftest import settle


def lesson_app(section: str):
    """``python -m tui --lesson SECTION --seed 3`` (progress in the test's data folder)."""
    return cli.build_app(cli.build_parser().parse_args(["--lesson", section, "--seed", "3"]))


async def mark(pilot, hunt: ErrorHuntScreen, keys: set[str]) -> None:
    """Move down the list and mark the equations ``keys`` with space."""
    for index, item in enumerate(hunt.items):
        if item.key in keys:
            await pilot.press("space")
        if index < len(hunt.items) - 1:
            await pilot.press("down")


async def open_hunt(pilot) -> ErrorHuntScreen:
    await settle(pilot)
    assert isinstance(pilot.app.screen, LessonScreen)
    await pilot.press("h")
    await pilot.pause()
    hunt = pilot.app.screen
    assert isinstance(hunt, ErrorHuntScreen)
    return hunt


async def test_a_wrong_set_of_marks_is_graded_slip_by_slip_and_kept_over_a_restart():
    app = lesson_app("1.5")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            hunt = await open_hunt(pilot)
            wrong = [e.key for e in hunt.worksheet.errata]
            assert wrong == ["1.5.7", "1.5.12", "1.5.13"]
            before = hunt.text
            assert "err" not in before and "notes:" not in before and "[✗]" not in before
            assert "(1.5.12) = (1/n) Σ_{i=1}^{n} 2(∂_{a_i(1)} C(2)) x_i" in before
            await mark(pilot, hunt, {"1.5.12", "1.5.4"})     # one found, one accused
            await pilot.press("c")                            # the referee, on 1.5.13
            assert "referee: finite differences (central, 1.0.1) give" in hunt.text
            assert "found:" not in hunt.text                 # nothing graded yet
            await pilot.press("enter")
            await pilot.pause()
            text = hunt.text
            assert "✗ Not quite." in text
            assert "found: 1.5.12" in text
            assert "missed: 1.5.7, 1.5.13" in text
            assert "wrongly accused: 1.5.4" in text
            for label in ("as the notes write it", "true value", "(the referee)"):
                assert label in text                         # the corrections, revealed
            kept = app.answers.get("1.5", HUNT_ID)
            assert kept.text == "1.5.4, 1.5.12" and not kept.grade.correct
    finally:
        app.close_session()

    again = lesson_app("1.5")
    try:
        async with again.run_test(size=(120, 40)) as pilot:
            hunt = await open_hunt(pilot)
            assert hunt.marked == {"1.5.4", "1.5.12"}
            assert "wrongly accused: 1.5.4" in hunt.text
            assert hunt.text.count("[✗]") == 2
    finally:
        again.close_session()


@pytest.mark.parametrize("section", ["1.4", "1.7"])
async def test_a_perfect_set_of_marks_is_right(section):
    app = lesson_app(section)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            hunt = await open_hunt(pilot)
            await mark(pilot, hunt, {e.key for e in hunt.worksheet.errata})
            await pilot.press("enter")
            await pilot.pause()
            assert "✓ Every error found, nothing else accused." in hunt.text
            assert "missed: none" in hunt.text and "wrongly accused: none" in hunt.text
            assert app.answers.get(section, HUNT_ID).grade.correct
            await pilot.press("escape")
            assert isinstance(app.screen, LessonScreen)
    finally:
        app.close_session()


async def test_h_elsewhere_says_where_the_hunt_is():
    app = lesson_app("1.3")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("h")
            await pilot.pause()
            assert isinstance(app.screen, LessonScreen)
            assert any("1.4, 1.5, 1.7" in str(n.message) for n in app._notifications)
    finally:
        app.close_session()
