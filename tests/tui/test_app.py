"""Pilot tests of the app: every key on a paused session driven by step keys, and quitting
(training running free: test_running; the controls' own rules: test_controls; the command
line: test_cli).

Keys are pressed only while training is paused: ``pilot.press`` waits for the app to be
idle, which a free-running session rarely is. Running training is started and stopped by
calling the action directly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.session import SessionError
from tui import file_flows
from tui.app import BackpropApp
from tui.controls import CONTROLS
from tui.screens.help import HelpScreen
from tui.screens.learning_rate import LearningRateScreen
from tui.screens.preset_picker import PresetPicker
from tui.widgets.loss_plot import LossPlot

from .conftest import record_notes, rendered, run_from_palette, settle, status_text, training

ROOT = Path(__file__).resolve().parents[2]


# --- the app on a paused session ---------------------------------------------------------

async def test_starts_paused_at_epoch_zero_with_everything_drawn(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.session.snapshot() is not None and app.session.snapshot().epoch == 0
        assert not app.session.running
        text = status_text(app)
        assert "epoch 0" in text and "paused" in text and "lr 2" in text
        assert "epochs/s" not in text
        titles = {w.border_title for w in training(app).query(".panel")}
        assert {"Network", "Output", "Loss", "Gradients"} <= {str(t) for t in titles}
        for panel in ("#diagram", "#output", "#gradients"):
            assert "waiting for the first epoch" not in rendered(app, panel)
        assert "No epochs yet" in str(training(app).query_one(LossPlot).render())


async def test_n_steps_one_epoch_and_N_a_hundred(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        assert app.session.snapshot().epoch == 1 and app.session.snapshot().epoch == 1
        assert "epoch 1 " in status_text(app) + " "
        await pilot.press("N")
        await settle(pilot)
        assert app.session.snapshot().epoch == 101
        await pilot.press("n", "n")
        await settle(pilot)
        assert app.session.snapshot().epoch == 103
        assert app.session.snapshot().epoch == 103
        assert not app.session.running


async def test_b_steps_one_mini_batch(make_app):
    app = make_app("digits")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        per_epoch = app.session.snapshot().batches_per_epoch
        assert per_epoch > 1
        await pilot.press("b")
        await settle(pilot)
        assert (app.session.snapshot().epoch, app.session.snapshot().batch) == (0, 1)
        assert f"batch 1/{per_epoch}" in status_text(app)
        await pilot.press("b", "b")           # pressed while the first trains: they add up
        await settle(pilot)
        assert f"batch 3/{per_epoch}" in status_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert app.session.snapshot().epoch >= 1


async def test_b_on_full_batch_preset_is_one_epoch(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b")
        await settle(pilot)
        assert app.session.snapshot().epoch == 1


async def test_a_step_the_session_refuses_says_why_and_stays_paused(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        notes = record_notes(app)
        run = app.session.run

        def refuse(**counted):
            raise SessionError("the session is closed")

        app.session.run = refuse
        await pilot.press("b")
        await settle(pilot)
        assert ("the session is closed", "error") in notes
        assert "paused" in status_text(app) and app.session.epoch == 0
        app.session.run = run
        await pilot.press("n")                # the next step trains as usual
        await settle(pilot)
        assert app.session.snapshot().epoch == 1


async def test_plus_and_minus_move_the_learning_rate_one_notch(make_app):
    app = make_app("xor", learning_rate=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.session.snapshot().learning_rate == 0.05
        await pilot.press("plus")
        assert app.session.snapshot().learning_rate == 0.1
        assert app.session.snapshot().learning_rate == 0.1
        assert "lr 0.1" in status_text(app)
        await pilot.press("minus")
        assert app.session.snapshot().learning_rate == 0.03
        assert app.session.snapshot().learning_rate == 0.03
        await pilot.press("minus", "n")
        await settle(pilot)
        assert app.session.snapshot().learning_rate == 0.01 and "lr 0.01" in status_text(app)


async def test_l_sets_a_typed_learning_rate(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l")
        assert isinstance(app.screen, LearningRateScreen)
        await pilot.press("ctrl+a", "ctrl+k", *"0.07", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, LearningRateScreen)
        assert app.session.snapshot().learning_rate == 0.07
        assert "lr 0.07" in status_text(app)


@pytest.mark.parametrize("typed", ["-1", "0", "nan", "inf", "fast"])
async def test_l_refuses_a_bad_learning_rate_inline_and_keeps_the_old(make_app, typed):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        before = app.session.snapshot().learning_rate
        await pilot.press("l")
        await pilot.press("ctrl+a", "ctrl+k", *typed, "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LearningRateScreen)          # still asking
        error = str(screen.query_one("#lr-error").render())
        assert error.startswith("Refused: expected a finite number > 0, got "), error
        assert app.session.snapshot().learning_rate == before
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LearningRateScreen)
        assert app.session.snapshot().learning_rate == before
        assert app.session.snapshot().learning_rate == before


async def test_o_cycles_the_optimizer(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.session.snapshot().optimizer == "gd"
        seen = []
        for _ in range(3):
            await pilot.press("o")
            seen.append((app.session.snapshot().optimizer, app.session.snapshot().optimizer))
        assert seen == [("momentum", "momentum"), ("adam", "adam"), ("gd", "gd")]
        await pilot.press("o", "n")
        await settle(pilot)
        assert "momentum" in status_text(app)


async def test_r_resets_to_new_initial_weights_on_the_same_preset(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        initial = [w.copy() for w in app.session.snapshot().weights]
        await pilot.press("N")
        await settle(pilot)
        assert app.session.snapshot().epoch == 100
        await pilot.press("r")
        await settle(pilot)
        assert app.session.snapshot().epoch == 0 and app.session.snapshot().preset_name == "xor"
        assert "epoch 0" in status_text(app)
        now = app.session.snapshot().weights
        assert any(not np.array_equal(a, b) for a, b in zip(initial, now, strict=True))
        assert not app.session.running


async def test_p_picks_a_preset_with_titles_and_descriptions(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p")
        picker = app.screen
        assert isinstance(picker, PresetPicker)
        names = [p.name for p in picker.presets]
        assert {"xor", "spiral", "digits", "twice"} <= set(names)
        from textual.widgets import OptionList
        options = picker.query_one(OptionList)
        assert options.highlighted == names.index("xor")
        prompt = str(options.get_option_at_index(names.index("spiral")).prompt)
        spiral = picker.presets[names.index("spiral")]
        assert spiral.title in prompt and spiral.description.split()[0] in prompt
        options.highlighted = names.index("spiral")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, PresetPicker)
        assert app.session.snapshot().preset_name == "spiral"
        assert app.session.snapshot().preset_name == "spiral" and app.session.snapshot().epoch == 0
        assert app.session.snapshot().learning_rate == app.session.snapshot().learning_rate
        assert app.session.snapshot().optimizer == "adam"


async def test_p_escape_keeps_the_preset(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p", "down", "escape")
        await settle(pilot)
        assert app.session.snapshot().preset_name == "xor"


async def test_a_preset_that_fails_to_load_is_reported_and_the_session_stays(make_app, tmp_path):
    app = make_app("xor")
    bad = tmp_path / "bad.toml"
    bad.write_text("name = 'bad'\n[model]\nlayers = 'many'\n")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N")
        await settle(pilot)
        notes = record_notes(app)
        for preset in ("no-such-preset", str(bad)):
            file_flows.load_preset(training(app), preset)
            await settle(pilot)
            assert app.session.snapshot().preset_name == "xor"
            assert app.session.snapshot().epoch == 100
        assert len(notes) == 2 and all(severity == "error" for _, severity in notes)
        assert "no-such-preset" in notes[0][0] and "bad.toml" in notes[1][0]


async def test_g_toggles_the_diagram_colours(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "lines: weights (g)" in subtitle(app) and "lines w " in rendered(app, "#diagram")
        await pilot.press("g")
        await pilot.pause()
        assert "lines: gradients (g)" in subtitle(app)
        assert "lines dC/dw " in rendered(app, "#diagram")
        await pilot.press("g")
        await pilot.pause()
        assert "lines: weights (g)" in subtitle(app)


async def test_y_toggles_the_loss_plot_log_scale(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N")
        await settle(pilot)
        plot = training(app).query_one(LossPlot)
        assert not plot.log_scale
        await pilot.press("y")
        assert plot.log_scale and "log" in str(plot.border_subtitle)
        await pilot.press("y")
        assert not plot.log_scale


async def test_question_mark_shows_help_for_every_key_and_panel(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        # training keys wait while help is open
        await pilot.press("n")
        await settle(pilot)
        assert app.session.snapshot().epoch == 0
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_every_action_is_in_the_command_palette(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        commands = list(app.get_system_commands(app.screen))
        titles = " ".join(c.title for c in commands)
        for control in CONTROLS:
            assert control.title in titles
        step = next(c for c in commands if c.title.startswith("Step 100 epochs"))
        await step.callback()
        await settle(pilot)
        assert app.session.snapshot().epoch == 100


async def test_the_command_palette_runs_actions(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await run_from_palette(pilot, "Step 100")
        assert app.session.snapshot().epoch == 100
        await run_from_palette(pilot, "Next optimizer")
        assert app.session.snapshot().optimizer == "momentum"


async def test_q_quits_and_closes_the_session(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("q", "q")          # the trained network is not saved: q twice
        await pilot.pause()
    assert app.session_closed and not app.session.running


def subtitle(app: BackpropApp) -> str:
    """The diagram's subtitle."""
    return str(training(app).diagram.border_subtitle)
