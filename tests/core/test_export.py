"""Exports read back as a user would: the preset loads equal, the CSVs and JSON hold the run,
and no export ever replaces a file unasked or leaves half a file behind."""

import csv
import json

import numpy as np
import pytest

from core.engine.network import Network
from core.files import WouldOverwrite, atomic_write
from core.presets.schema import load_preset
from core.session.exports import (
    export_data_csv,
    export_loss_csv,
    export_preset,
    export_weights_json,
)
from core.session.snapshot import Snapshot


def _snapshot(net, dataset, epochs, loss, test_epochs, test_loss):
    """A snapshot of ``net`` on ``dataset`` with the given loss histories."""
    activations = tuple(net.forward_layers(dataset.X_train))
    fields = dict(
        preset_name="test", preset_title="test", sizes=net.sizes, activation=net.activation,
        output_activation=net.output_activation, loss_name=net.loss_name, task=dataset.task,
        input_names=dataset.input_names, target_names=dataset.target_names,
        class_names=dataset.class_names, epoch=int(epochs[-1]), batch=0, batches_per_epoch=1,
        state="paused", message="", learning_rate=0.1, optimizer="gd", batch_size=0, seed=0,
        epochs_per_second=0.0, loss=loss[-1], test_loss=test_loss[-1], accuracy=None,
        test_accuracy=None, weights=tuple(net.weights), biases=tuple(net.biases),
        gradients_w=tuple(net.weights), gradients_b=tuple(net.biases),
        X_train=dataset.X_train, Y_train=dataset.Y_train, X_test=dataset.X_test,
        Y_test=dataset.Y_test, activations=activations,
        test_outputs=net.forward(dataset.X_test),
        history_epochs=np.array(epochs, float), history_loss=np.array(loss, float),
        history_test_epochs=np.array(test_epochs, float),
        history_test_loss=np.array(test_loss, float), grad_norm_history=())
    return Snapshot(**fields)


@pytest.fixture
def circle():
    return load_preset("circle")


@pytest.fixture
def snapshot(circle):
    return _snapshot(circle.build_network(), circle.load_data(), [1, 2, 3, 4],
                     [0.7, 0.5, 1 / 3, 0.25], [2, 4], [0.6, 0.3])


@pytest.mark.parametrize("name", ["circle", "xor", "iris"])
def test_exported_preset_loads_back_equal(tmp_path, name):
    preset = load_preset(name).replace(learning_rate=0.123)
    path = export_preset(preset, tmp_path / "tuned.toml")
    assert load_preset(path) == preset


def test_export_refuses_to_overwrite_and_keeps_the_old_file(tmp_path, circle):
    path = tmp_path / "mine.toml"
    path.write_text("my notes\n")
    with pytest.raises(FileExistsError, match="mine.toml already exists"):
        export_preset(circle, path)
    assert path.read_text() == "my notes\n"
    assert list(tmp_path.iterdir()) == [path]
    export_preset(circle, path, overwrite=True)
    assert load_preset(path) == circle


def test_failed_write_leaves_no_partial_file(tmp_path):
    def half_then_fail(file):
        file.write(b"half of it")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(tmp_path / "new.json", half_then_fail)
    assert list(tmp_path.iterdir()) == []
    old = tmp_path / "old.json"
    old.write_text("old")
    with pytest.raises(RuntimeError):
        atomic_write(old, half_then_fail, overwrite=True)
    assert old.read_text() == "old" and list(tmp_path.iterdir()) == [old]


def test_write_into_a_missing_folder_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="no folder"):
        atomic_write(tmp_path / "nowhere" / "x.toml", lambda file: None)


def test_loss_csv_holds_every_epoch_and_both_losses(tmp_path, snapshot):
    path = export_loss_csv(snapshot, tmp_path / "loss.csv")
    with open(path, newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["epoch"] for row in rows] == ["1", "2", "3", "4"]
    assert [float(row["loss"]) for row in rows] == [0.7, 0.5, 1 / 3, 0.25]
    assert [row["test_loss"] for row in rows] == ["", "0.6", "", "0.3"]
    with pytest.raises(WouldOverwrite):
        export_loss_csv(snapshot, path)


def test_data_csv_names_columns_and_marks_the_split(tmp_path, circle):
    dataset = circle.load_data()
    path = export_data_csv(dataset, tmp_path / "data.csv")
    with open(path, newline="") as file:
        reader = csv.reader(file)
        header = next(reader)
        rows = list(reader)
    assert header == ["x1", "x2", "inside", "split"]
    splits = [row[-1] for row in rows]
    assert splits.count("train") == len(dataset.X_train) == 160
    assert splits.count("test") == len(dataset.X_test) == 40
    values = np.array([row[:-1] for row in rows], dtype=float)
    assert np.array_equal(values, np.vstack([
        np.hstack([dataset.X_train, dataset.Y_train]),
        np.hstack([dataset.X_test, dataset.Y_test])]))


def test_weights_json_rebuilds_the_same_network(tmp_path, circle):
    net = circle.build_network(seed=7)
    path = export_weights_json(net, tmp_path / "weights.json")
    document = json.loads(path.read_text())
    assert document["sizes"] == [2, 6, 1]
    assert document["activations"] == ["tanh", "sigmoid"]
    rebuilt = Network(document["sizes"], activation=document["activations"][0],
                      output_activation=document["activations"][-1], loss=document["loss"])
    rebuilt.weights = [np.array(w) for w in document["weights"]]
    rebuilt.biases = [np.array(b) for b in document["biases"]]
    X = circle.load_data().X_train
    assert np.array_equal(rebuilt.forward(X), net.forward(X))


def test_weights_json_from_a_snapshot(tmp_path, snapshot):
    document = json.loads(export_weights_json(snapshot, tmp_path / "w.json").read_text())
    for written, live in zip(document["weights"], snapshot.weights):
        assert np.array_equal(np.array(written), live)


def test_diverged_weights_are_refused_with_a_reason(tmp_path, circle):
    net = circle.build_network()
    net.weights[0][0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        export_weights_json(net, tmp_path / "w.json")
    assert list(tmp_path.iterdir()) == []
