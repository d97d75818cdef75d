"""Editing a live session and its files: what an edit keeps, what it resets, what it refuses;
exports read back; a saved session resumed in place; a preset made from a CSV file."""

import csv
import json
import time
import tomllib

import numpy as np
import pytest

from core.files import WouldOverwrite
from core.presets import PresetError, columns, edit_choices, load_preset, preset_from_csv
from core.session import SessionFileError, write_preset_for_csv

from .conftest import same_weights

# --- what the form shows ------------------------------------------------------------------

def test_edit_values_show_the_live_settings(make):
    session = make("circle")
    session.set_learning_rate(0.25)
    session.set_optimizer("momentum")
    values = session.editing.edit_values()
    assert values["hidden"] == "6" and values["learning_rate"] == 0.25
    assert values["optimizer"] == "momentum" and values["penalty"] == "none"
    assert values["samples"] == 200 and values["features"] == ("x1", "x2")
    assert "samples" not in make("xor").editing.edit_values()   # inline data: no data fields
    sine = make("sine").editing.edit_values()
    assert "samples" in sine and "features" not in sine          # 1-D: no features
    choices = edit_choices()
    assert "relu" in choices["activation"] and "softmax" not in choices["activation"]
    assert choices["features"][:2] == ("x1", "x2") and "adam" in choices["optimizer"]


def test_preview_changes_nothing(make):
    session = make("circle")
    before = session.snapshot()
    edited, new_weights = session.editing.preview_edit(hidden="4-4")
    assert edited.layers == (2, 4, 4, 1) and new_weights
    assert session.preset.layers == (2, 6, 1) and session.snapshot() is before


# --- network edits: new weights -----------------------------------------------------------

def test_a_new_hidden_layer_gives_new_weights_at_epoch_zero(make):
    session = make("circle")
    session.step(5)
    assert session.editing.edit(hidden="6-3") is True
    snapshot = session.snapshot()
    assert snapshot.sizes == (2, 6, 3, 1) and snapshot.epoch == 0
    assert [w.shape for w in snapshot.weights] == [(2, 6), (6, 3), (3, 1)]
    assert len(snapshot.history_epochs) == 0 and snapshot.state == "paused"
    session.step(2)
    assert session.snapshot().epoch == 2 and np.isfinite(session.snapshot().loss)


@pytest.mark.parametrize("fields", [
    {"activation": "relu"}, {"output_activation": "tanh", "loss": "mse"}, {"bias": False},
    {"init": "uniform"},
])
def test_network_edits_reset_the_weights(make, fields):
    session = make("circle")
    session.step(3)
    assert session.editing.edit(**fields) is True
    snapshot = session.snapshot()
    assert snapshot.epoch == 0
    for key, value in fields.items():
        assert getattr(session.preset, key) == value


def test_an_edit_while_running_pauses_for_new_weights(make):
    session = make("spiral")
    session.run()
    time.sleep(0.05)
    assert session.editing.edit(hidden="8") is True
    assert not session.running and session.snapshot().sizes == (2, 8, 1)


def test_input_features_resize_the_first_layer(make):
    session = make("circle")
    assert session.editing.edit(features=["x1^2", "x2^2", "x1*x2"]) is True
    snapshot = session.snapshot()
    assert snapshot.sizes == (3, 6, 1) and snapshot.input_names == ("x1^2", "x2^2", "x1*x2")
    raw = load_preset("circle").load_data().X_train
    assert np.allclose(snapshot.X_train, np.column_stack([raw[:, 0] ** 2, raw[:, 1] ** 2,
                                                          raw[:, 0] * raw[:, 1]]))
    assert session.editing.edit_values()["features"] == ("x1^2", "x2^2", "x1*x2")
    session.step(3)
    assert np.isfinite(session.snapshot().loss)
    assert session.editing.edit(features=["x1", "x2"]) is True            # back to the raw inputs
    assert session.preset.data.features is None and session.snapshot().sizes == (2, 6, 1)


def test_the_same_features_are_no_change(make):
    session = make("circle")
    session.step(3)
    before = session.snapshot()
    assert session.editing.edit(features=("x1", "x2")) is False
    assert same_weights(session.snapshot(), before) and session.snapshot().epoch == 3


# --- training and data edits: the weights stay --------------------------------------------

def test_training_edits_keep_the_weights_epoch_and_history(make):
    session = make("circle")
    session.step(20)
    before = session.snapshot()
    assert session.editing.edit(learning_rate=0.05, batch_size=16) is False
    after = session.snapshot()
    assert same_weights(after, before)
    assert after.epoch == 20 and np.array_equal(after.history_loss, before.history_loss)
    assert after.learning_rate == 0.05 and after.batch_size == 16
    assert after.batches_per_epoch > before.batches_per_epoch
    session.step(1)
    assert session.snapshot().epoch == 21


def test_a_batch_size_change_restarts_a_partly_trained_epoch(make):
    session = make("digits")
    session.step_batch()
    session.step_batch()
    assert session.snapshot().batch == 2
    session.editing.edit(batch_size=64)
    snapshot = session.snapshot()
    assert (snapshot.epoch, snapshot.batch, snapshot.batch_size) == (0, 0, 64)
    session.step(1)
    assert session.snapshot().epoch == 1


def test_the_same_optimizer_keeps_its_state_and_another_starts_fresh(make):
    session = make("spiral")                                    # Adam
    session.step(3)
    state = session._trainer.optimizer.state()
    session.editing.edit(optimizer="adam", learning_rate=0.01)
    assert all(np.array_equal(state[k], v) for k, v in session._trainer.optimizer.state().items())
    session.editing.edit(optimizer="momentum")
    assert session.snapshot().optimizer == "momentum" and session._trainer.optimizer.state() == {}


def test_a_penalty_acts_on_the_live_network(make):
    session = make("circle")
    session.step(10)
    before = session.snapshot()
    assert session.editing.edit(penalty="l2", penalty_rate=0.01) is False
    after = session.snapshot()
    squares = sum(float(np.vdot(w, w)) for w in before.weights)
    assert same_weights(after, before)
    assert after.loss == pytest.approx(before.loss + 0.01 * squares)
    assert session.editing.edit(penalty="none", penalty_rate=0.0) is False
    assert session.snapshot().loss == pytest.approx(before.loss)


def test_new_data_keeps_the_weights(make):
    session = make("circle")
    session.step(10)
    before = session.snapshot()
    assert session.editing.edit(samples=120, noise=0.1) is False
    after = session.snapshot()
    assert same_weights(after, before) and after.epoch == 10
    assert len(after.X_train) + len(after.X_test) == 120
    assert session.editing.edit(data_seed=7) is False                    # "regenerate"
    regenerated = session.snapshot()
    assert not np.array_equal(regenerated.X_train, after.X_train)
    assert dict(session.preset.data.params)["seed"] == 7
    assert session.editing.edit(test_fraction=0.5) is False
    assert len(session.snapshot().X_test) == 60
    session.step(2)
    assert session.snapshot().epoch == 12


@pytest.mark.parametrize("fields, reason", [
    ({"learning_rate": -1.0}, "learning_rate"),
    ({"hidden": "4-0"}, "0 neurons"),
    ({"samples": 1}, "samples"),
    ({"samples": 10_000_000}, "at most"),
    ({"output_activation": "softmax", "loss": "cross_entropy"}, "softmax"),
    ({"features": []}, "at least one feature"),
    ({"features": ["x3"]}, "unknown feature"),
    ({"penalty": "none", "penalty_rate": 0.1}, "penalty_rate"),
    ({"batch_size": -2}, "batch_size"),
    ({"test_fraction": 1.0}, "test_fraction"),
])
def test_a_refused_edit_leaves_the_session_as_it_was(make, fields, reason):
    session = make("circle")
    session.step(5)
    before = session.snapshot()
    preset = session.preset
    with pytest.raises(PresetError, match=reason):
        session.editing.edit(**fields)
    after = session.snapshot()
    assert session.preset is preset and after.epoch == 5
    assert same_weights(after, before) and after.sizes == before.sizes
    assert np.array_equal(after.X_train, before.X_train)


def test_data_fields_need_generated_data(make):
    with pytest.raises(PresetError, match="only generated data"):
        make("xor").editing.edit(samples=10)


# --- exports ------------------------------------------------------------------------------

def test_the_preset_export_carries_the_live_settings(make, tmp_path):
    session = make("circle")
    session.editing.edit(hidden="5", penalty="l1", penalty_rate=0.001)
    session.set_learning_rate(0.07)
    path = session.files.export_preset(tmp_path / "tuned.toml")
    preset = load_preset(path)
    assert preset.layers == (2, 5, 1) and preset.learning_rate == 0.07
    assert preset.penalty == "l1" and preset.data == session.preset.data
    with pytest.raises(WouldOverwrite):
        session.files.export_preset(path)
    session.set_learning_rate(0.5)
    session.files.export_preset(path, overwrite=True)
    assert load_preset(path).learning_rate == 0.5


def test_the_loss_export_holds_every_recorded_epoch(make, tmp_path):
    session = make("circle", batch_size=0)
    session.editing.edit(test_fraction=0.25)
    session.step(30)
    snapshot = session.snapshot()
    path = session.files.export_loss_csv(tmp_path / "loss.csv")
    rows = list(csv.DictReader(path.open()))
    assert [int(r["epoch"]) for r in rows] == list(range(1, 31))
    assert [float(r["loss"]) for r in rows] == snapshot.history_loss.tolist()
    tested = {int(r["epoch"]): float(r["test_loss"]) for r in rows if r["test_loss"]}
    assert tested and set(tested) == set(snapshot.history_test_epochs.astype(int).tolist())


def test_the_data_export_holds_every_row(make, tmp_path):
    session = make("circle")
    session.editing.edit(test_fraction=0.25, features=["x1", "x2", "x1*x2"])
    snapshot = session.snapshot()
    path = session.files.export_data_csv(tmp_path / "data.csv")
    rows = list(csv.reader(path.open()))
    assert rows[0] == ["x1", "x2", "x1*x2", snapshot.target_names[0], "split"]
    values = np.array([[float(v) for v in row[:-1]] for row in rows[1:]])
    assert np.array_equal(values, np.vstack([
        np.hstack([snapshot.X_train, snapshot.Y_train]),
        np.hstack([snapshot.X_test, snapshot.Y_test])]))
    assert [row[-1] for row in rows[1:]].count("test") == len(snapshot.X_test) == 50


def test_the_weights_export_matches_the_network(make, tmp_path):
    session = make("circle")
    session.step(4)
    snapshot = session.snapshot()
    document = json.loads(session.files.export_weights_json(tmp_path / "w.json").read_text())
    assert document["sizes"] == list(snapshot.sizes)
    for stored, live in zip(document["weights"] + document["biases"],
                            snapshot.weights + snapshot.biases):
        assert np.array_equal(np.array(stored), live)


def test_an_export_that_cannot_be_written_says_where(make, tmp_path):
    session = make("xor")
    with pytest.raises(SessionFileError, match="no folder"):
        session.files.export_data_csv(tmp_path / "missing" / "data.csv")
    assert not (tmp_path / "missing").exists()


# --- resuming a saved session in place ----------------------------------------------------

def test_resume_takes_over_a_saved_session_and_keeps_the_subscribers(make, tmp_path):
    session = make("spiral", batch_size=32)
    session.step(7)
    session.step_batch()
    saved = session.snapshot()
    path = session.files.save(tmp_path / "s.npz")
    other = make("xor")
    seen = []
    other.subscribe(seen.append)
    other.files.resume(path)
    resumed = other.snapshot()
    assert resumed.preset_name == "spiral" and (resumed.epoch, resumed.batch) == (7, 1)
    assert same_weights(resumed, saved)
    assert np.array_equal(resumed.history_loss, saved.history_loss)
    session.step(2)
    other.step(2)
    assert same_weights(other.snapshot(), session.snapshot())
    deadline = time.monotonic() + 5
    while not any(s.preset_name == "spiral" for s in seen) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert any(s.preset_name == "spiral" for s in seen)


def test_a_bad_session_file_leaves_the_session_as_it_was(make, tmp_path):
    good = make("circle")
    good.step(3)
    path = good.files.save(tmp_path / "good.npz")
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(path.read_bytes()[:300])
    session = make("xor")
    session.step(4)
    before = session.snapshot()
    for bad in (truncated, tmp_path / "missing.npz"):
        with pytest.raises(SessionFileError, match=bad.name):
            session.files.resume(bad)
        after = session.snapshot()
        assert after.preset_name == "xor" and after.epoch == 4
        assert same_weights(after, before)


# --- a preset from a CSV file -------------------------------------------------------------

def test_a_csv_file_becomes_a_preset_beside_it(make, tmp_path):
    path = tmp_path / "houses.csv"
    rng = np.random.default_rng(0)
    lines = ["rooms,area,price"] + [f"{r},{a:.1f},{10 * r + a:.2f}"
                                    for r, a in zip(rng.integers(1, 6, 40), rng.random(40))]
    path.write_text("\n".join(lines) + "\n")
    assert columns(path) == ["rooms", "area", "price"]
    preset = preset_from_csv(path, ["price"])
    assert preset.layers[0] == 2 and preset.output_activation == "linear"
    toml = write_preset_for_csv(path, ["price"])
    assert toml == path.with_suffix(".toml") and tomllib.loads(toml.read_text())
    with pytest.raises(WouldOverwrite):
        write_preset_for_csv(path, ["price"])
    session = make("xor")
    session.load(toml)
    assert session.snapshot().sizes[0] == 2 and session.snapshot().target_names == ("price",)


def test_a_ragged_csv_is_refused_with_its_line(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,y\n1,2,0\n3,4\n5,6,1\n")
    with pytest.raises(PresetError, match="ragged.csv line 3: ragged row"):
        columns(path)
    with pytest.raises(PresetError, match="ragged"):
        write_preset_for_csv(path, ["y"])
    assert not path.with_suffix(".toml").exists()


def test_an_edit_ends_a_batch_stepped_through(make):
    session = make("circle")
    session.views.begin_step_through()
    assert session.views.step_through() is not None
    session.editing.edit(samples=150)
    assert session.views.step_through() is None
    session.step(1)
    assert session.snapshot().epoch == 1
