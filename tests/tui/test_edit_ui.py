"""Pilot tests of the edit form (``e``): every kind of edit reaches the session and the
panels, a refused value is explained beside its field and changes nothing, and the keys that
add or remove layers and neurons.

Keys are pressed only on a paused session (see test_app.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from textual.widgets import Input, Label, Select, Static

from tui import file_flows
from tui.screens.edit_experiment import EditExperimentScreen, Field, parse_value
from tui.screens.edit_fields import change_layers

from .conftest import paste, run_from_palette, settle, status_text, training


def diagram_text(app) -> str:
    diagram = training(app).diagram
    return "\n".join(diagram.render_line(y).text for y in range(diagram.size.height))


def parameters(snapshot):
    return [a.copy() for a in snapshot.weights + snapshot.biases]


def same(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


async def open_form(pilot) -> EditExperimentScreen:
    await pilot.press("e")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, EditExperimentScreen)
    return screen


async def type_into(pilot, screen, key: str, text: str) -> None:
    """Focus a field of the form, clear it and paste ``text`` (the form checks itself after
    each change: one for the paste, one a key when typed)."""
    screen.query_one(f"#field-{key}", Input).focus()
    await pilot.pause()
    await pilot.press("ctrl+a", "ctrl+k")
    await paste(pilot, text)


def note(screen, key: str) -> str:
    return str(screen.query_one(f"#note-{key}", Label).render())


def status(screen) -> str:
    return str(screen.query_one("#edit-status", Static).render())


# --- pure helpers ------------------------------------------------------------------------

@pytest.mark.parametrize("text, cursor, neurons, layers, expected", [
    ("6", 1, 1, 0, ("7", 1)),
    ("6", 1, -1, 0, ("5", 1)),
    ("1", 1, -1, 0, None),                  # a layer keeps at least one neuron
    ("4-8", 0, 1, 0, ("5-8", 1)),          # the layer under the cursor
    ("4-8", 3, -2, 0, ("4-6", 3)),
    ("4-8", 0, 0, 1, ("4-4-8", 3)),        # a copy after the cursor's layer
    ("4-8", 3, 0, -1, ("4", 1)),
    ("4", 1, 0, -1, ("", 0)),
    ("", 0, 0, 1, ("4", 1)),
    ("", 0, 1, 0, ("1", 1)),
    ("", 0, 0, -1, None),
    ("4 x", 0, 1, 0, None),                # not plain sizes: left alone
    ("16, 16", 5, 0, 1, ("16-16-16", 8)),
])
def test_layer_keys_change_the_layer_under_the_cursor(text, cursor, neurons, layers, expected):
    assert change_layers(text, cursor, neurons, layers) == expected


def test_typed_values_and_messages_map_to_fields():
    assert parse_value(Field("n", "n", "int"), " 12 ") == 12
    assert parse_value(Field("x", "x", "float"), "3e-4") == 3e-4
    for kind, text in (("int", "1.5"), ("int", ""), ("float", "fast"), ("float", "nan")):
        with pytest.raises(ValueError):
            parse_value(Field("k", "k", kind), text)


# --- the form ----------------------------------------------------------------------------

async def test_e_shows_the_experiment_as_it_is(make_app):
    app = make_app("circle")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_form(pilot)
        assert screen.query_one("#field-hidden", Input).value == "6"
        assert screen.query_one("#field-activation", Select).value == "tanh"
        assert screen.query_one("#field-samples", Input).value == "200"
        assert [str(box.label) for box in screen.query(".feature") if box.value] == ["x1", "x2"]
        assert "No changes" in status(screen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, EditExperimentScreen)


async def test_a_layer_added_with_a_key_shows_in_the_diagram_and_the_shapes(make_app):
    app = make_app("circle")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N")
        await settle(pilot)
        assert "a(2)" in diagram_text(app) and "a(3)" not in diagram_text(app)
        screen = await open_form(pilot)
        await pilot.press("right_square_bracket")        # a copy of the 6-neuron layer
        assert screen.query_one("#field-hidden", Input).value == "6-6"
        await pilot.press("up")                          # one more in the new layer
        assert screen.query_one("#field-hidden", Input).value == "6-7"
        assert "new weights" in status(screen)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, EditExperimentScreen)
        snapshot = app.session.snapshot()
        assert snapshot.sizes == (2, 6, 7, 1) and snapshot.epoch == 0
        assert [w.shape for w in snapshot.weights] == [(2, 6), (6, 7), (7, 1)]
        assert app.session.snapshot().sizes == (2, 6, 7, 1)
        assert "a(3)" in diagram_text(app)
        assert "epoch 0" in status_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert app.session.snapshot().epoch == 1


async def test_typed_layers_and_a_removed_layer(make_app):
    app = make_app("spiral")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_form(pilot)
        assert screen.query_one("#field-hidden", Input).value == "16-16"
        await pilot.press("left_square_bracket")
        assert screen.query_one("#field-hidden", Input).value == "16"
        await type_into(pilot, screen, "hidden", "8 4")
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.snapshot().sizes == (2, 8, 4, 1)


async def test_network_choices_give_new_weights(make_app):
    app = make_app("circle")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N")
        await settle(pilot)
        screen = await open_form(pilot)
        screen.query_one("#field-activation", Select).value = "relu"
        screen.query_one("#field-init", Select).value = "he"
        await pilot.pause()
        assert "new weights" in status(screen)
        screen.query_one("#field-hidden", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        snapshot = app.session.snapshot()
        assert snapshot.activation == "relu" and app.session.preset.init == "he"
        assert snapshot.epoch == 0 and app.session.snapshot().activation == "relu"


async def test_training_settings_keep_the_weights(make_app):
    app = make_app("circle")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N")
        await settle(pilot)
        before = parameters(app.session.snapshot())
        screen = await open_form(pilot)
        await type_into(pilot, screen, "learning_rate", "0.2")
        await type_into(pilot, screen, "batch_size", "32")
        screen.query_one("#field-optimizer", Select).value = "momentum"
        screen.query_one("#field-penalty", Select).value = "l2"
        await type_into(pilot, screen, "penalty_rate", "0.001")
        await pilot.pause()
        assert "keeps the weights" in status(screen) and "epoch 100" in status(screen)
        await pilot.press("enter")
        await settle(pilot)
        snapshot = app.session.snapshot()
        assert same(parameters(snapshot), before) and snapshot.epoch == 100
        assert (snapshot.learning_rate, snapshot.batch_size, snapshot.optimizer) == (
            0.2, 32, "momentum")
        assert app.session.preset.penalty == "l2"
        now = app.session.snapshot()
        assert now.learning_rate == 0.2 and now.optimizer == "momentum"
        assert "lr 0.2" in status_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert app.session.snapshot().epoch == 101


async def test_data_settings_and_regenerate_keep_the_weights(make_app):
    app = make_app("circle")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        before = app.session.snapshot()
        screen = await open_form(pilot)
        await type_into(pilot, screen, "samples", "100")
        await type_into(pilot, screen, "noise", "0.1")
        await pilot.press("ctrl+r")                       # regenerate: a new data seed
        assert screen.query_one("#field-data_seed", Input).value == "2"
        await pilot.press("enter")
        await settle(pilot)
        after = app.session.snapshot()
        assert same(parameters(after), parameters(before)) and after.epoch == 1
        assert len(after.X_train) + len(after.X_test) == 100
        assert training(app).query_one("#output").snapshot.X_train is after.X_train


async def test_regenerate_after_a_refused_seed_still_draws_new_data(make_app):
    """A data seed typed as -5 is refused; ctrl+r then goes on from the experiment's own
    seed (1), so the data drawn are new."""
    app = make_app("circle")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_form(pilot)
        await type_into(pilot, screen, "data_seed", "-5")
        await pilot.press("ctrl+r")
        assert screen.query_one("#field-data_seed", Input).value == "2"
        await pilot.press("escape")


async def test_input_features_change_the_first_layer(make_app):
    app = make_app("circle")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_form(pilot)
        boxes = {str(box.label): box for box in screen.query(".feature")}
        boxes["x1"].value = boxes["x2"].value = False
        await pilot.pause()
        assert "at least one feature" in note(screen, "features")
        for name in ("x1^2", "x2^2", "x1*x2"):
            boxes[name].value = True
        await pilot.pause()
        assert note(screen, "features") == "" and "new weights" in status(screen)
        await pilot.press("enter")
        await settle(pilot)
        snapshot = app.session.snapshot()
        assert snapshot.sizes == (3, 6, 1)
        assert snapshot.input_names == ("x1^2", "x2^2", "x1*x2")
        assert app.session.snapshot().sizes == (3, 6, 1) and "x1*x2" in diagram_text(app)


@pytest.mark.parametrize("key, typed, reason", [
    ("learning_rate", "-1", "expected a positive number"),
    ("learning_rate", "fast", "expected a number"),
    ("hidden", "4-0", "layer 2 has 0 neurons"),
    ("samples", "1", "expected an integer >= 2"),
    ("batch_size", "2.5", "expected a whole number"),
    ("test_fraction", "1", "in [0, 1)"),
    ("penalty_rate", "0.5", "has no effect without"),
])
async def test_a_refused_value_is_explained_and_changes_nothing(make_app, key, typed, reason):
    app = make_app("circle")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N")
        await settle(pilot)
        before = app.session.snapshot()
        preset = app.session.preset
        screen = await open_form(pilot)
        await type_into(pilot, screen, key, typed)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen                     # still asking
        assert reason in note(screen, key)
        assert "Refused" in status(screen)
        assert screen.query_one(f"#field-{key}").has_class("-refused")
        await pilot.press("escape")
        await settle(pilot)
        after = app.session.snapshot()
        assert app.session.preset is preset and after.epoch == 100
        assert same(parameters(after), parameters(before))
        assert after.learning_rate == before.learning_rate == app.session.snapshot().learning_rate


async def test_every_refused_field_gets_its_own_reason(make_app):
    app = make_app("circle")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_form(pilot)
        await type_into(pilot, screen, "hidden", "4-x")
        await type_into(pilot, screen, "learning_rate", "-1")
        await type_into(pilot, screen, "samples", "1")
        await pilot.pause()
        assert "not a whole number" in note(screen, "hidden")
        assert "positive" in note(screen, "learning_rate")
        assert ">= 2" in note(screen, "samples")
        assert "hidden layer sizes, learning rate, samples" in status(screen)
        await type_into(pilot, screen, "hidden", "4")
        await type_into(pilot, screen, "learning_rate", "0.1")
        await type_into(pilot, screen, "samples", "50")
        await pilot.pause()
        assert note(screen, "hidden") == note(screen, "samples") == ""
        assert "Refused" not in status(screen)


async def test_softmax_with_cross_entropy_is_checked_together(make_app):
    app = make_app("iris")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_form(pilot)
        assert "samples" not in screen.values                # CSV data: no generator fields
        assert screen.query("#field-test_fraction")
        screen.query_one("#field-output_activation", Select).value = "sigmoid"
        screen.query_one("#field-loss", Select).value = "mse"
        await pilot.pause()
        assert "Refused" not in status(screen)
        screen.query_one("#field-output_activation", Select).value = "softmax"
        await pilot.pause()
        assert "cross_entropy" in note(screen, "output_activation")


async def test_the_form_opens_from_the_command_palette(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await run_from_palette(pilot, "Edit experiment")
        assert isinstance(app.screen, EditExperimentScreen)
        assert "features" not in app.screen.values           # inline data: no features


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_form_fits_small_terminals(make_app, size):
    app = make_app("circle")
    async with app.run_test(size=size) as pilot:
        screen = await open_form(pilot)
        await pilot.press("right_square_bracket", "enter")
        await settle(pilot)
        assert app.session.snapshot().sizes == (2, 6, 6, 1)
        assert not isinstance(app.screen, type(screen))


async def test_space_toggles_a_checkbox_and_enter_applies(make_app):
    app = make_app("circle")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_form(pilot)
        boxes = {str(box.label): box for box in screen.query(".feature")}
        boxes["x1*x2"].focus()
        await pilot.press("space")
        assert boxes["x1*x2"].value and "new weights" in status(screen)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, EditExperimentScreen)
        assert app.session.snapshot().input_names == ("x1", "x2", "x1*x2")


async def test_edits_while_training_runs(make_app):
    """Without keys (training runs free): a training edit keeps it running, a network edit
    pauses it with the new network."""
    import asyncio

    app = make_app("spiral")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.action_run_pause()
        await asyncio.sleep(0.2)
        file_flows.apply_edit(training(app), {"learning_rate": 0.01})
        assert "running" in status_text(app) and app.session.running
        assert app.session.snapshot().learning_rate == 0.01
        file_flows.apply_edit(training(app), {"hidden": "3"})
        assert not app.session.running
        await settle(pilot)
        assert app.session.snapshot().sizes == (2, 3, 1) and app.session.snapshot().epoch == 0


async def test_a_list_opens_with_space_and_enter_applies(make_app):
    app = make_app("circle")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_form(pilot)
        choice = screen.query_one("#field-optimizer", Select)
        choice.focus()
        await pilot.press("space")                       # open the list
        await pilot.pause()
        assert choice.expanded
        await pilot.press("up", "enter")                 # gd, momentum, adam: adam -> momentum
        await pilot.pause()
        assert not choice.expanded and choice.value == "momentum"
        assert app.screen is screen
        await pilot.press("enter")                       # the closed list: apply
        await settle(pilot)
        assert not isinstance(app.screen, EditExperimentScreen)
        assert app.session.snapshot().optimizer == "momentum" and "momentum" in status_text(app)
