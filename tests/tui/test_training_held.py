"""Predict, then reveal, outside the lesson too: after escape from a lesson to the training
screen, no panel (diagram, output view, gradients, loss plot, the math views, status bar)
shows a value an open question of that lesson asks for, printed to any precision the lesson's
own test looks for; once the questions are answered, or the network is one the lesson does
not fit, the values show again.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from textual.geometry import Region
from textual.pilot import Pilot

from core.explain.notes import SECTIONS, Grade, explain_snapshot, load_lesson, lookup
from core.explain.notes.backward_pass import is_pass_key, pass_values
from core.progress import Answer
from core.session.session import Session
from tui.app import BackpropApp
from tui.file_flows import load_preset
from tui.widgets.render import number

from .conftest import SEED, settle, training
from .test_held_values import NUMBER, asked_values, printed

VIEWS = [(), ("i", "g"), ("L",)]
"""Keys pressed one after the other on the training screen as it opens, each showing
another view: the loss plot and the gradients; the inspector, its selected weight's
gradient labelled on the diagram's line; the cost landscape."""
CLOSE_VIEWS = ("L", "g")
"""The keys that bring back the view the training screen opened with."""
PANELS = ("#diagram", "#output", "#gradients", "#loss", "#status", "#inspector",
          "#landscape")


def forms(value: float) -> set[str]:
    """``value`` as the lesson's own test looks for it (``printed``), and as the diagram
    labels a weight of its size but negative (``-33.9``: five characters with the sign)."""
    label = number(-abs(value), 5, tiny=True).lstrip("-")
    return printed(value) | {form for form in (label,) if "." in form
                             and len(form.replace(".", "").strip("0")) >= 3}


def open_values(lesson, app: BackpropApp, first: int = 0) -> dict[str, str]:
    """Every form of every value the questions from ``first`` on ask for (a backward pass
    by hand: each of its steps too) on the session's network now, with the question's id."""
    worksheet = explain_snapshot(lesson.section, app.session.snapshot(), app.session.preset)
    live = worksheet.live_values()
    found: dict[str, str] = {}
    for question in lesson.questions[first:]:
        values = asked_values(question, live)
        for step in question.steps:
            if step.kind == "number" and is_pass_key(step.answer):
                values.append(lookup(step.answer, {**live, **pass_values(step.answer, live)})
                              .value)
        found.update({form: question.id for value in values for form in forms(value)})
    return found


def screen_numbers(app: BackpropApp) -> set[str]:
    """Every number drawn on the screen, without its sign."""
    drawn = re.sub(r"<[^>]+>", " ", app.export_screenshot()).replace("&#160;", " ")
    return {token.lstrip("-") for token in NUMBER.findall(drawn)}


def panel_text(app: BackpropApp, panel: str) -> str:
    """What the panel ``panel`` shows (empty if it is not on screen)."""
    widgets = [w for w in app.screen.query(panel) if w.display and w.size.area]
    lines = []
    for widget in widgets:
        for leaf in [widget, *widget.query("*")]:
            if leaf.size.area:
                strips = leaf.render_lines(Region(0, 0, *leaf.size))
                lines += ["".join(segment.text for segment in strip) for strip in strips]
    return "\n".join(lines)


def mark_answered(app: BackpropApp, section: str, *question_ids: str) -> None:
    """Keep an answer to each of these questions in the learner's progress."""
    for question_id in question_ids:
        app.answers.record(Answer(section, question_id, "given", Grade(True, "", None, ""), 0))


async def revisit(pilot: Pilot) -> None:
    """Open the lesson last opened from the training screen (t, enter) and leave it again."""
    await pilot.press("t")
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("escape")
    await settle(pilot)


async def each_view(pilot: Pilot) -> AsyncIterator[tuple[str, ...]]:
    """Show each of ``VIEWS`` in turn (settled), then the view the screen opened with."""
    for keys in VIEWS:
        await pilot.press(*keys)
        await settle(pilot)
        yield keys
    await pilot.press(*CLOSE_VIEWS)
    await settle(pilot)


async def escaped(pilot: Pilot) -> None:
    """The app started on a lesson, settled, then escape: the training screen."""
    await settle(pilot)
    await pilot.press("escape")
    await settle(pilot)
    assert pilot.app.screen is training(pilot.app)


@pytest.mark.parametrize("section", SECTIONS)
async def test_the_training_screen_holds_back_what_the_lesson_asks(section):
    """In three views, nothing the lesson's questions ask for is on the training screen
    while they are open; once they are answered, no panel shows a '?'."""
    lesson = load_lesson(section)
    app = BackpropApp(Session(lesson.preset, seed=SEED), lesson=lesson)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await escaped(pilot)
            async for keys in each_view(pilot):
                asked = open_values(lesson, app)
                shown = {form: asked[form] for form in asked.keys() & screen_numbers(app)}
                assert not shown, (keys, shown)
            mark_answered(app, section, *(q.id for q in lesson.questions))
            await revisit(pilot)
            async for keys in each_view(pilot):
                hidden = [panel for panel in PANELS if "?" in panel_text(app, panel)]
                assert not hidden, (keys, hidden)
    finally:
        app.close_session()


REVEALS = [
    pytest.param("1.0", (), "#gradients", id="1.0-gradient-norm"),
    pytest.param("1.1", ("i", "g"), "#diagram", id="1.1-selected-gradient"),
    pytest.param("1.1", ("L",), "#landscape", id="1.1-landscape"),
    pytest.param("1.2", (), "#diagram", id="1.2-output-neuron"),
    pytest.param("1.2", (), "#output", id="1.2-truth-table"),
]
"""Where the training screen prints a value a lesson asks for: the lesson, the keys that
show it and the panel."""


@pytest.mark.parametrize(("section", "keys", "panel"), REVEALS)
async def test_an_answer_reveals_its_value_on_the_training_screen(section, keys, panel):
    """``panel`` shows '?' where an open question's value would be; once the lesson's
    questions are answered (and the lesson opened and left), the value itself."""
    lesson = load_lesson(section)
    app = BackpropApp(Session(lesson.preset, seed=SEED), lesson=lesson)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await escaped(pilot)
            await pilot.press(*keys)
            await settle(pilot)
            asked = open_values(lesson, app)
            before = panel_text(app, panel)
            assert "?" in before and not asked.keys() & screen_numbers(app), before
            mark_answered(app, section, *(q.id for q in lesson.questions))
            await revisit(pilot)
            after = panel_text(app, panel)
            assert "?" not in after and asked.keys() & screen_numbers(app), after
    finally:
        app.close_session()


async def test_another_network_shows_its_values():
    """Lesson 1.2 holds σ(0) = 0.5 on the diagram; on a network it does not fit (xor has a
    hidden layer) nothing is held."""
    lesson = load_lesson("1.2")
    app = BackpropApp(Session(lesson.preset, seed=SEED), lesson=lesson)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await escaped(pilot)
            assert "?" in panel_text(app, "#diagram")
            assert load_preset(app.screen, "xor")
            await settle(pilot)
            assert not [panel for panel in PANELS if "?" in panel_text(app, panel)]
    finally:
        app.close_session()


async def test_the_lessons_own_status_bar_holds_back_too():
    """In lesson 2.4 after N (100 epochs), the status bar's loss would print row 2's
    cross-entropy output error, which a question asks for: the bar shows '?' there; its
    other numbers (epoch, learning rate) stay."""
    lesson = load_lesson("2.4")
    app = BackpropApp(Session(lesson.preset, seed=SEED), lesson=lesson)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("N")
            await settle(pilot)
            status = panel_text(app, "#status")
            held = set(open_values(lesson, app))
            assert "epoch 100" in status
            assert not {token.lstrip("-") for token in NUMBER.findall(status)} & held
    finally:
        app.close_session()
