"""Lessons 2.1-2.4 in the app: --lesson 2.3 opens on its preset with its live worksheet, the
list of lessons groups the notes' lessons and ours under two headings, and , and . cross
between 1.7 and 2.1 in both directions, each lesson on its own preset."""

from __future__ import annotations

from textual.widgets import OptionList

import tui.__main__ as cli
from tui.screens.lesson import LessonScreen

from .test_lessons import settled


async def test_lesson_2_3_opens_from_the_command_line_and_steps_across_the_notes_end():
    app = cli.build_app(cli.build_parser().parse_args(["--lesson", "2.3", "--seed", "3"]))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await settled(pilot)
            assert isinstance(screen, LessonScreen) and screen.lesson.section == "2.3"
            assert app.session.preset.name == "xor"
            assert "(2.3.1)" in screen.worksheet_view.text
            seen = []
            for key in ("comma", "comma", "comma", "full_stop", "full_stop"):
                await pilot.press(key)
                screen = await settled(pilot)
                assert screen.worksheet is not None, screen.worksheet_view.text
                seen.append((screen.lesson.section, app.session.preset.name))
            assert seen == [("2.2", "xor"), ("2.1", "fork"), ("1.7", "xor"), ("2.1", "fork"),
                            ("2.2", "xor")]
            assert "(2.2.1)" in screen.worksheet_view.text
    finally:
        app.close_session()


async def test_the_list_of_lessons_has_the_notes_then_ours_under_headings(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        shown = [options.get_option_at_index(i) for i in range(options.option_count)]
        headings = [str(o.prompt) for o in shown if o.disabled]
        assert headings == ["The notes (1.0-1.7)", "Beyond the notes (2.1-2.4)"]
        assert [o.id for o in shown] == [None, *(f"1.{k}" for k in range(8)), None,
                                         *(f"2.{k}" for k in range(1, 5))]
        await pilot.press("end", "enter")
        screen = await settled(pilot)
        assert isinstance(screen, LessonScreen) and screen.lesson.section == "2.4"
        assert app.session.preset.name == "deep-chain"
        assert "(2.4.1)" in screen.worksheet_view.text
