"""Watching it learn in the app: the pace keys, undo, the target milestone, typed weights."""

from __future__ import annotations

import pytest
from textual.widgets import Label

from core.presets import load_preset
from tui.math import selection as selecting

from .conftest import record_notes, settle, status_text, training


def lines_of(widget) -> str:
    """A widget's rendered text, line by line."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


async def test_u_after_n_shows_the_previous_epochs_loss_exactly(make_app):
    """n then u: the status bar shows the epoch and loss it showed before the n."""
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N")
        await settle(pilot)
        before = status_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert status_text(app) != before
        await pilot.press("u")
        await settle(pilot)
        assert status_text(app) == before and "epoch 100 " in before


async def test_u_with_nothing_to_undo_says_so(make_app):
    """u on a fresh session changes nothing and says there is nothing to undo."""
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        notes = record_notes(app)
        await pilot.press("u")
        await settle(pilot)
        assert ("Nothing left to undo.", "information") in notes
        assert "epoch 0 " in status_text(app)


async def test_pace_keys_step_through_the_paces_and_say_so(make_app):
    """> from the preset's pace goes one step faster, < two steps slower; each says the pace."""
    app = make_app("xor", pace=10)
    async with app.run_test(size=(120, 40)) as pilot:
        notes = record_notes(app)
        await pilot.press("greater_than_sign")
        await pilot.press("less_than_sign", "less_than_sign")
        await settle(pilot)
        assert [text.split(" while")[0] for text, _ in notes if text.startswith("Pace")] == [
            "Pace: 20 epochs/s", "Pace: 10 epochs/s", "Pace: 5 epochs/s"]
        assert app.session.pace == 5


async def test_the_target_loss_is_announced_once_and_noted_in_the_status_bar(make_app):
    """Stepping past the epoch where the loss reaches the target: one announcement, and the
    status bar names that epoch; stepping on does not announce it again."""
    app = make_app("twice")
    async with app.run_test(size=(120, 40)) as pilot:
        notes = record_notes(app)
        await pilot.press("N")
        await settle(pilot)
        reached = app.session.snapshot().target_epoch
        assert reached is not None and f"target ✓ epoch {reached}" in status_text(app)
        await pilot.press("N")
        await settle(pilot)
        announced = [text for text, _ in notes if "reached the target" in text]
        assert announced == [f"The training loss reached the target "
                             f"{app.session.preset.target_loss:g} at epoch {reached}."]


async def test_equals_sets_the_selected_weight_and_refuses_what_is_not_a_number(make_app):
    """i selects a weight; = asks for its value; 'abc' is refused in one line naming the
    field; -2.5 is set, shown on its line in the diagram and in the inspector's numbers."""
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await settle(pilot)
        screen = training(app)
        kind, layer, i, j = selecting.parameter(screen.selected, True)
        assert kind == "w"
        await pilot.press("equals_sign")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *"abc", "enter")
        await pilot.pause()
        error = str(app.screen.query_one("#parameter-error", Label).render())
        assert error.startswith("Refused: expected a finite number, got 'abc'.")
        await pilot.press("ctrl+a", "ctrl+k", *"-2.5", "enter")
        await app.workers.wait_for_complete([w for w in app.workers if w.group == "dialog"])
        await settle(pilot)
        assert app.session.snapshot().weights[layer - 1][i, j] == -2.5
        assert "-2.50" in lines_of(screen.diagram)
        assert "-2.5)" in screen.query_one("#inspector").text


async def test_the_output_view_marks_the_samples_that_make_the_selected_gradient(make_app):
    """With the inspector on a weight of moons, the map marks exactly as many samples ✱ as
    the inspector lists, and its legend says what ✱ means; closing the inspector clears them."""
    app = make_app("moons")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N")
        await settle(pilot)
        screen = training(app)
        output = screen.query_one("#output")
        assert "✱" not in lines_of(output)
        await pilot.press("i")
        await settle(pilot)
        listed = [line for line in screen.query_one("#inspector").text.splitlines()
                  if line.strip().startswith("sample ") and "%" in line]
        shown = lines_of(output)
        assert "✱ make dC/dw" in shown and len(listed) == 5
        assert 1 <= shown.count("✱") - 1 <= len(listed)     # two may share a cell
        await pilot.press("i")
        await settle(pilot)
        assert "✱" not in lines_of(output)


def test_pace_option_sets_the_pace_and_a_bad_one_is_one_line(capsys):
    """--pace 10 trains 10 epochs a second; --pace max full speed; no --pace the preset's;
    --pace 7 fails with one error line naming the option and the paces allowed."""
    from tui import __main__ as cli

    for argv, expected in ((["xor", "--pace", "10"], 10), (["xor", "--pace", "max"], None),
                           (["xor"], load_preset("xor").pace)):
        app = cli.build_app(cli.build_parser().parse_args(argv))
        try:
            assert app.session.pace == expected and not app.session.stop_at_target
        finally:
            app.close_session()
    app = cli.build_app(cli.build_parser().parse_args(["xor", "--stop-at-target"]))
    try:
        assert app.session.stop_at_target
    finally:
        app.close_session()
    with pytest.raises(SystemExit):
        cli.main(["xor", "--pace", "7"])
    assert capsys.readouterr().err == ("error: argument --pace: expected one of 1, 2, 5, 10, "
                                       "20, 50, 100, 200, 500, 1000 or max, got '7'\n")


def test_served_tabs_get_the_pace_and_stop_at_target_options():
    """--serve hands each tab the --pace and --stop-at-target it was given."""
    from tui.serve import app_arguments

    assert app_arguments("xor", lr=None, seed=None, optimizer=None, pace=10,
                         stop_at_target=True) == ["--pace", "10", "--stop-at-target", "--", "xor"]
    assert app_arguments("xor", lr=None, seed=None, optimizer=None, pace="max") == [
        "--pace", "max", "--", "xor"]
