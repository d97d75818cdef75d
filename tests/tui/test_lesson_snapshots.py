"""Snapshot tests of the lesson screen: lessons 1.1 and 1.5 at 120x40 and 80x24. Each app
starts paused on the lesson's preset from a fixed seed and is stepped with the step keys;
update the baselines with ``--snapshot-update`` and look at them."""

from __future__ import annotations

from .conftest import settle


def pressing(*keys: str):
    """Press ``keys`` one by one, each settled, until the lesson shows the last epoch."""

    async def run_before(pilot) -> None:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        for _ in range(100):
            shown = pilot.app.screen.worksheet
            if shown is not None and shown.epoch == pilot.app.session.epoch:
                break
            await pilot.pause()
        await pilot.pause()

    return run_before


def test_lesson_1_1_120x40(snap_compare, lesson_app):
    """Lesson 1.1 on twice after 3 epochs: page 1 of the lesson text with question 1 of 4
    below it; on the right the one-weight diagram and the worksheet from 1.1.1 with the
    five samples' terms, `epoch 3` in the worksheet and the status bar."""
    assert snap_compare(lesson_app("1.1"), terminal_size=(120, 40),
                        run_before=pressing("n", "n", "n"))


def test_lesson_1_1_80x24(snap_compare, lesson_app):
    """Lesson 1.1 at 80x24 after 3 epochs: the lesson takes the whole width, its first
    page readable without cut lines, question 1 of 4 below, `w worksheet` in the keys."""
    assert snap_compare(lesson_app("1.1"), terminal_size=(80, 24),
                        run_before=pressing("n", "n", "n"))


def test_lesson_1_5_120x40(snap_compare, lesson_app):
    """Lesson 1.5 on chain after 100 epochs, page 4 (where the notes err): the chain's
    diagram, and the worksheet scrolled to 1.5.7 with the notes' value in red beside the
    true value and finite differences, and the one-line statement of what is wrong."""
    assert snap_compare(lesson_app("1.5"), terminal_size=(120, 40),
                        run_before=pressing("N", "right", "right", "right", "pagedown",
                                            "pagedown"))


def test_lesson_1_5_80x24(snap_compare, lesson_app):
    """Lesson 1.5 at 80x24 after 100 epochs with w pressed: the worksheet in place of the
    lesson, the chain's diagram above the notation and the first equations with numbers."""
    assert snap_compare(lesson_app("1.5"), terminal_size=(80, 24),
                        run_before=pressing("N", "w"))
