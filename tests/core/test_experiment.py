"""The edit form's rules: what a typed value means, what is refused and why, and which
changes cost the network its weights."""

import numpy as np
import pytest

from core.data.datasets import DataError, circle
from core.data.features import FEATURES, apply_features, with_features
from core.presets.editing import edit_preset, format_hidden_layers, parse_hidden_layers
from core.presets.schema import PresetError, load_preset, parse_preset


@pytest.mark.parametrize("text, sizes", [
    ("4-4", (4, 4)), ("16 16", (16, 16)), ("", ()), ("  ", ()), ("8", (8,)),
    ("3, 5", (3, 5)), ("4 - 2", (4, 2)),
])
def test_hidden_layers_as_typed(text, sizes):
    assert parse_hidden_layers(text) == sizes


@pytest.mark.parametrize("text, reason", [
    ("4-0", "layer 2 has 0 neurons"),
    ("-4", "-4 neurons"),
    ("4--4", "-4 neurons"),
    ("4.5", "'4.5' is not a whole number"),
    ("two", "'two' is not a whole number"),
    ("4-", "separated by '-' or spaces"),
    ("4-100000", "at most 512 neurons"),
    ("1-1-1-1-1-1-1-1-1", "at most 8 layers"),
])
def test_hidden_layers_refused_with_a_reason(text, reason):
    with pytest.raises(PresetError, match=reason):
        parse_hidden_layers(text)


def test_hidden_layers_shown_as_typed():
    assert format_hidden_layers((2, 4, 4, 1)) == "4-4"
    assert format_hidden_layers((2, 1)) == ""
    assert parse_hidden_layers(format_hidden_layers((2, 16, 8, 1))) == (16, 8)


@pytest.fixture
def circle_preset():
    return load_preset("circle")


def test_new_hidden_layers_need_new_weights(circle_preset):
    edited, new_weights = edit_preset(circle_preset, hidden="4-4")
    assert edited.layers == (2, 4, 4, 1) and new_weights
    assert edited.build_network().sizes == (2, 4, 4, 1)
    assert edit_preset(circle_preset, hidden="")[0].layers == (2, 1)
    assert circle_preset.layers == (2, 6, 1)


@pytest.mark.parametrize("fields", [
    {"activation": "relu"}, {"output_activation": "tanh", "loss": "mse"}, {"bias": False},
    {"init": "he"},
])
def test_network_changes_need_new_weights(circle_preset, fields):
    assert edit_preset(circle_preset, **fields)[1]


@pytest.mark.parametrize("fields", [
    {"optimizer": "momentum"}, {"learning_rate": 0.5}, {"batch_size": 16},
    {"penalty": "l2", "penalty_rate": 0.001}, {"hidden": "6"}, {"activation": "tanh"},
])
def test_training_changes_and_unchanged_values_keep_the_weights(circle_preset, fields):
    edited, new_weights = edit_preset(circle_preset, **fields)
    assert not new_weights
    assert all(getattr(edited, key) == value for key, value in fields.items() if key != "hidden")


def test_data_changes_give_new_data_for_the_same_network(circle_preset):
    edited, new_weights = edit_preset(circle_preset, samples=60, noise=0.2, data_seed=9,
                                      test_fraction=0.5)
    assert not new_weights
    assert dict(edited.data.params) == {"samples": 60, "noise": 0.2, "seed": 9}
    data = edited.load_data()
    assert len(data.X_train) + len(data.X_test) == 60 and len(data.X_test) == 30


@pytest.mark.parametrize("fields, reason", [
    ({"learning_rate": -1.0}, r"^\[training\].learning_rate: expected a positive number"),
    ({"output_activation": "softmax", "loss": "cross_entropy"}, "softmax needs at least 2"),
    ({"samples": 1}, r"\[data\].samples: expected an integer >= 2"),
    ({"hidden": "4-0"}, "layer 2 has 0 neurons"),
    ({"activation": "softmax"}, "output layer only"),
])
def test_invalid_edits_are_refused_and_the_preset_kept(circle_preset, fields, reason):
    before = load_preset("circle")
    with pytest.raises(PresetError, match=reason):
        edit_preset(circle_preset, **fields)
    assert circle_preset == before


@pytest.mark.parametrize("fields, field", [
    ({"learning_rate": -1.0}, "learning_rate"),
    ({"learning_rate": "fast"}, "learning_rate"),
    ({"output_activation": "softmax", "loss": "cross_entropy"}, "output_activation"),
    ({"samples": 1}, "samples"),
    ({"samples": 10**9}, "samples"),
    ({"noise": -1.0}, "noise"),
    ({"data_seed": -1}, "data_seed"),
    ({"hidden": "4-0"}, "hidden"),
    ({"hidden": "x"}, "hidden"),
    ({"layers": (2, 0, 1)}, "layers"),
    ({"batch_size": -1}, "batch_size"),
    ({"penalty_rate": -0.5}, "penalty_rate"),
    ({"test_fraction": 1.0}, "test_fraction"),
    ({"features": ("x1", "cube")}, "features"),
    ({"colour": "red"}, "colour"),
])
def test_a_refused_edit_names_its_form_field(circle_preset, fields, field):
    with pytest.raises(PresetError) as refused:
        edit_preset(circle_preset, **fields)
    assert refused.value.field == field


def test_a_refused_preset_file_names_its_key_and_table():
    with pytest.raises(PresetError) as refused:
        parse_preset('name = "mine"\n[data]\ngenerator = "circle"\n[model]\nlayers = [2, 1]\n'
                     '[training]\nlearning_rate = 0\n')
    assert (refused.value.field, refused.value.section) == ("learning_rate", "training")
    with pytest.raises(PresetError) as refused:
        parse_preset("not toml [")
    assert (refused.value.field, refused.value.section) == (None, None)


def test_data_fields_need_generated_data():
    with pytest.raises(PresetError, match="only generated data"):
        edit_preset(load_preset("xor"), samples=10)


def test_features_as_in_playground():
    X = np.array([[0.5, -2.0], [np.pi / 2, 0.0]])
    names = list(FEATURES)
    assert names == ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin x1", "sin x2"]
    expected = [[0.5, -2.0, 0.25, 4.0, -1.0, np.sin(0.5), np.sin(-2.0)],
                [np.pi / 2, 0.0, np.pi ** 2 / 4, 0.0, 0.0, 1.0, 0.0]]
    assert np.allclose(apply_features(X, names), expected)
    dataset = with_features(circle(samples=20), ["x1^2", "x2^2"])
    assert dataset.input_names == ("x1^2", "x2^2") and dataset.n_inputs == 2
    assert np.allclose(dataset.X_train, circle(samples=20).X_train ** 2)


@pytest.mark.parametrize("names, X, reason", [
    (["x3"], np.zeros((2, 2)), "unknown feature 'x3'"),
    ([], np.zeros((2, 2)), "at least one feature"),
    (["x1", "x1"], np.zeros((2, 2)), "each feature once"),
    (["x1"], np.zeros((2, 1)), "need a 2-D problem"),
])
def test_bad_features_are_refused(names, X, reason):
    with pytest.raises(DataError, match=reason):
        apply_features(X, names)


def test_new_features_resize_the_input_layer(circle_preset):
    edited, new_weights = edit_preset(circle_preset, features=["x1^2", "x2^2", "x1*x2"])
    assert new_weights and edited.layers == (3, 6, 1)
    assert edited.load_data().input_names == ("x1^2", "x2^2", "x1*x2")


def test_features_in_a_preset_file_round_trip():
    text = load_preset("circle").to_toml().replace(
        'generator = "circle"', 'generator = "circle"\nfeatures = ["x1^2", "x2^2"]').replace(
        "layers = [2, 6, 1]", "layers = [2, 1]")
    preset = parse_preset(text, "squares.toml")
    assert preset.data.features == ("x1^2", "x2^2")
    assert preset.load_data().input_names == ("x1^2", "x2^2")
    assert parse_preset(preset.to_toml(), "again.toml") == preset
    with pytest.raises(PresetError, match=r"\[data\].features: unknown feature 'x3'"):
        parse_preset(text.replace('"x2^2"', '"x3"'), "bad.toml")
    with pytest.raises(PresetError, match=r"\[model\].layers: expected the first size to be 2"):
        parse_preset(text.replace("layers = [2, 1]", "layers = [3, 1]"), "bad.toml")
