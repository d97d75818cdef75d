"""A learner's progress is kept: answers survive a restart in the data folder (a temporary
one here, ``progress_folder``), a damaged file is one line and a fresh start, a served tab
writes none, --reset-progress forgets; and q asks once before unsaved work is lost."""

from __future__ import annotations

import json

import tui.__main__ as cli
from core.progress import Progress
from tui.screens.lesson import LessonScreen
from tui.screens.quit_confirm import QuitConfirm
from tui.screens.save_session import PathScreen

from .conftest import settle


def lesson_app(*arguments: str):
    """The app ``python -m tui --lesson 1.1 ARGUMENTS`` builds."""
    return cli.build_app(cli.build_parser().parse_args(["--lesson", "1.1", "--seed", "3",
                                                       *arguments]))


async def answer_first_question(app) -> None:
    """Open lesson 1.1 and answer its first question (the sign of C'(w)) with '-'."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        await pilot.press("a", "minus", "enter")
        await pilot.pause()


async def test_answers_survive_a_restart_and_the_lesson_reopens_where_it_was(
        progress_folder):
    first = lesson_app()
    try:
        await answer_first_question(first)
    finally:
        first.close_session()
    stored = json.loads((progress_folder / "progress.json").read_text())
    kept = stored["answers"]["1.1"]["sign"]
    assert kept["text"] == "-" and kept["correct"] is True and kept["epoch"] == 0

    again = lesson_app()
    try:
        async with again.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            questions = again.screen.questions
            assert questions.question.id == "slope"            # the first one not answered
            assert "Question 2 of" in questions.text
            await pilot.press("a", "up", "escape")
            assert "✓ Right: -" in questions.text
            await pilot.press("t")
            await pilot.pause()
            listed = str(again.screen.query_one("OptionList").get_option("1.1").prompt)
            assert "1/4 answered, 1 right" in listed
    finally:
        again.close_session()


async def test_a_damaged_progress_file_is_one_line_and_a_fresh_start(progress_folder):
    (progress_folder / "progress.json").write_text('{"version": 1, "answers": [')
    app = lesson_app()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            problem = app.answers.problem                   # what the notice says
            assert "progress.json" in problem and "starts afresh" in problem
            assert "\n" not in problem
            assert app.screen.questions.question.id == "sign"
            await pilot.press("a", "minus", "enter")
            await pilot.pause()
    finally:
        app.close_session()
    assert Progress(progress_folder / "progress.json").get("1.1", "sign") is not None


async def test_a_served_tab_keeps_progress_for_the_tab_only(progress_folder, tmp_path):
    files = tmp_path / "tab"
    files.mkdir()
    app = lesson_app("--files-root", str(files))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("a", "minus", "enter")
            await pilot.pause()
            assert app.answers.get("1.1", "sign") is not None      # kept for the tab
    finally:
        app.close_session()
    assert not any(progress_folder.iterdir()) and not any(files.iterdir())


async def test_reset_progress_forgets_the_answers(progress_folder, capsys):
    app = lesson_app()
    try:
        await answer_first_question(app)
    finally:
        app.close_session()
    assert (progress_folder / "progress.json").exists()
    assert cli.main(["--reset-progress"]) == 0
    assert "Forgot your answers" in capsys.readouterr().out
    assert not (progress_folder / "progress.json").exists()


async def test_q_asks_once_before_a_trained_network_that_is_not_saved_is_lost(make_app,
                                                                              tmp_path):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")                  # nothing trained: nothing to lose
        await pilot.pause()
        assert app.session_closed and not any(isinstance(s, QuitConfirm)
                                              for s in app.screen_stack)

    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, QuitConfirm) and not app.session_closed
        await pilot.press("n")                  # stay
        await pilot.pause()
        assert not isinstance(app.screen, QuitConfirm) and not app.session_closed
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PathScreen)
        app.screen.query_one("Input").value = str(tmp_path / "trained.npz")
        await pilot.press("enter")
        await pilot.pause()
        assert (tmp_path / "trained.npz").exists()
        await pilot.press("q")                  # saved: quits at once
        await pilot.pause()
        assert app.session_closed
