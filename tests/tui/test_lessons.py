"""The course in the app, opening and moving: t lists the lessons, --lesson and a start
without arguments open one, the preset picker keeps the notes' order, pages and lessons
turn, and escape leads to the training screen beneath, caught up with the lesson.

Answering questions: test_lesson_answers.py; the worksheet: test_lesson_worksheet.py."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

import tui.__main__ as cli
from tui.screens.lesson import LessonScreen
from tui.screens.training import TrainingScreen
from tui.widgets.keys_footer import KeysFooter
from tui.widgets.lesson.epsilon_plot import EpsilonPlot
from tui.widgets.loss_plot import LossPlot
from tui.widgets.status_bar import StatusBar

from .conftest import SEED
from .lesson_pilot import settled

NOTES_ORDER = ["twice", "or", "and", "nand", "chain", "xor"]


async def test_t_lists_the_lessons_and_enter_opens_one_on_its_preset(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt)
                   for i in range(options.option_count)
                   if not options.get_option_at_index(i).disabled]     # not a heading
        assert [p.split()[0] for p in prompts] == [f"1.{k}" for k in range(8)] + [
            f"2.{k}" for k in range(1, 5)]
        assert "preset twice" in prompts[1]
        await pilot.press("down", "enter")
        screen = await settled(pilot)
        assert isinstance(screen, LessonScreen) and screen.lesson.section == "1.1"
        assert app.session.preset.name == "twice"
        assert "Lesson 1.1" in str(screen.query_one("#lesson-left").border_title)
        assert "(1.1.1)" in screen.worksheet_view.text


async def test_lesson_option_starts_on_that_lesson():
    app = cli.build_app(cli.build_parser().parse_args(["--lesson", "1.5", "--seed", "3"]))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await settled(pilot)
            assert isinstance(screen, LessonScreen) and screen.lesson.section == "1.5"
            assert app.session.preset.name == "chain"
            assert "(1.5.12)" in screen.worksheet_view.text
            assert "the notes err" in screen.worksheet_view.text
    finally:
        app.close_session()


def test_a_bad_lesson_is_one_line_and_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--lesson", "2.9"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "--lesson" in error and "1.0" in error


async def test_no_argument_starts_where_the_notes_begin():
    app = cli.build_app(cli.build_parser().parse_args([]))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await settled(pilot)
            assert isinstance(screen, LessonScreen) and screen.lesson.section == "1.0"
            assert app.session.preset.name == "twice"
            assert screen.query_one(EpsilonPlot).display
    finally:
        app.close_session()


async def test_the_preset_picker_lists_the_notes_presets_in_the_notes_order(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids[:len(NOTES_ORDER)] == NOTES_ORDER and len(ids) > len(NOTES_ORDER)


async def test_pages_and_lessons_turn_and_escape_returns(lesson_app):
    app = lesson_app("1.1")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settled(pilot)
        left = screen.query_one("#lesson-left")
        assert "page 1/" in str(left.border_subtitle)
        await pilot.press("right")
        assert "page 2/" in str(left.border_subtitle)
        await pilot.press("full_stop")
        screen = await settled(pilot)
        assert screen.lesson.section == "1.2" and app.session.preset.name == "or"
        assert "page 1/" in str(screen.query_one("#lesson-left").border_subtitle)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TrainingScreen)
        assert app.screen.snapshot.preset_name == "or"


async def test_the_course_runs_from_1_0_to_1_7_inside_the_app(lesson_app):
    app = lesson_app("1.0")
    async with app.run_test(size=(80, 24)) as pilot:
        seen = []
        for _ in range(8):
            screen = await settled(pilot)
            assert screen.worksheet is not None, screen.worksheet_view.text
            seen.append((screen.lesson.section, app.session.preset.name))
            await pilot.press("full_stop")
        assert seen == [("1.0", "twice"), ("1.1", "twice"), ("1.2", "or"), ("1.3", "or"),
                        ("1.4", "chain"), ("1.5", "chain"), ("1.6", "xor"), ("1.7", "xor")]


async def test_the_training_screen_under_a_lesson_catches_up_when_shown(lesson_app):
    """Started on a lesson, the training screen beneath draws nothing until it is shown
    (that is why the lesson opens sooner); after epochs trained in the lesson, escape shows
    it with the epoch reached, the loss plot and its own keys."""
    app = lesson_app("1.1")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        for _ in range(3):
            await pilot.press("n")
            await settled(pilot)
        assert app.session.epoch == 3
        assert not app.screen_stack[0].query(LossPlot)     # nothing composed beneath yet
        await pilot.press("escape")
        screen = await settled(pilot)
        assert isinstance(screen, TrainingScreen)
        assert "epoch 3" in str(screen.query_one(StatusBar).render())
        assert "No epochs yet" not in str(screen.query_one(LossPlot).render())
        footer = screen.query_one(KeysFooter)
        assert "run" in [getattr(key, "description", "") for key in footer.children]


async def test_r_in_a_lesson_shows_the_new_weights_on_the_training_screen_too(lesson_app):
    """The lesson and the training screen show one session: new weights from the lesson are
    on the training screen below once the lesson closes (no screen tells the other)."""
    app = lesson_app("1.1")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        await pilot.press("n", "escape")
        screen = await settled(pilot)
        assert f"seed {SEED} " in str(screen.diagram.border_subtitle)
        await pilot.press("t", "enter")                   # the same lesson again, over it
        lesson = await settled(pilot)
        assert isinstance(lesson, LessonScreen)
        await pilot.press("r")
        await settled(pilot)
        assert "epoch 0 " in str(lesson.query_one(StatusBar).render())
        await pilot.press("escape")
        assert await settled(pilot) is screen
        assert f"seed {SEED + 1} " in str(screen.diagram.border_subtitle)
        assert "epoch 0 " in str(screen.query_one(StatusBar).render())


async def test_a_snapshot_reaching_the_training_screen_while_it_composes_is_no_crash(
        lesson_app):
    """escape while a lesson trains: snapshots reach the training screen between the end of
    its deferral and its panels' arrival (tui.bench crashed there: no '#diagram')."""
    app = lesson_app("1.6")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        await pilot.press("n")
        await settled(pilot)
        training = app.screen_stack[0]
        assert isinstance(training, TrainingScreen) and not training.query("#diagram")
        training.deferred = False                 # as compose_deferred sets it, before
        training.snapshot = app.session.snapshot()    # the panels are composed
        await pilot.pause()
        training.deferred = True                  # and the lesson's escape composes them
        await pilot.press("escape")
        screen = await settled(pilot)
        assert "seed" in str(screen.diagram.border_subtitle)
