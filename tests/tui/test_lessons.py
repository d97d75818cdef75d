"""The course in the app: opening lessons (by t, by --lesson, at a start without arguments),
the live worksheet, grading answers against the engine, and the way back."""

from __future__ import annotations

import pytest
from textual.content import Content
from textual.widgets import Input, Label, OptionList
from textual.widgets.markdown import MarkdownFence

import tui.__main__ as cli
from core.explain.notes import Grade, load_lesson, network_from_snapshot, tolerance
from core.explain.numbers import num
from core.progress import Answer
from core.session.session import Session
from tui.app import BackpropApp
from tui.screens.lesson import LessonScreen
from tui.screens.training import TrainingScreen
from tui.widgets.hanging import hang
from tui.widgets.keys_footer import KeysFooter
from tui.widgets.lesson.epsilon_plot import CAPTIONS, EpsilonPlot
from tui.widgets.lesson.worksheet_view import held_back
from tui.widgets.loss_plot import LossPlot
from tui.widgets.status_bar import StatusBar

from .conftest import SEED, inspector_text, settle

NOTES_ORDER = ["twice", "or", "and", "nand", "chain", "xor"]


@pytest.fixture
def lesson_app():
    """``lesson_app(section, preset=None)``: an app on the lesson's preset (or ``preset``),
    seed SEED, starting on that lesson; sessions closed afterwards."""
    apps: list[BackpropApp] = []

    def make(section: str, preset: str | None = None) -> BackpropApp:
        lesson = load_lesson(section)
        app = BackpropApp(Session(preset or lesson.preset, seed=SEED), lesson=lesson)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close_session()


async def settled(pilot) -> LessonScreen | TrainingScreen:
    """The screen on top once training is done and every screen drew the last epoch."""
    await settle(pilot)
    screen = pilot.app.screen
    if isinstance(screen, LessonScreen):
        for _ in range(100):
            shown = screen.worksheet
            if shown is not None and shown.epoch == pilot.app.session.epoch:
                break
            await pilot.pause()
    return screen


def engine_gradient(app: BackpropApp) -> tuple[float, float, float]:
    """(w, dC/dw, learning rate) of a one-weight network, from the engine itself."""
    snapshot = app.session.snapshot()
    net = network_from_snapshot(snapshot, app.session.preset)
    weights, _ = net.gradients(snapshot.X_train, snapshot.Y_train)
    return float(snapshot.weights[0][0, 0]), float(weights[0][0, 0]), snapshot.learning_rate


async def answer(pilot, text: str) -> None:
    """a, type ``text``, enter."""
    await pilot.press("a")
    await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()


READABLE = {"number": "0.5", "sign": "+", "choice": "1"}
"""A reply each kind of question reads (right or not)."""


async def show_question(pilot, question_id: str) -> None:
    """Put the question ``question_id`` on show as a learner reaches it: the questions
    before it answered in order (each with a readable reply), then a, ↓, esc."""
    questions = pilot.app.screen.questions
    while questions.question.id != question_id:
        if questions.question.id not in questions.answers:
            await answer(pilot, READABLE[questions.question.kind])
        await pilot.press("a", "down", "escape")
        await pilot.pause()


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
