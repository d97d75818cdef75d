"""A user's own CSV becomes a preset that loads, fits its task and trains; a bad CSV gives one
line that names the file and the problem."""

import numpy as np
import pytest

from core.engine.optimizers import make_optimizer
from core.engine.training import train_epoch
from core.files import WouldOverwrite
from core.presets.from_csv import columns, preset_from_csv, write_preset_for_csv
from core.presets.schema import PresetError, load_preset


def _csv(tmp_path, text, name="mine.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _table(tmp_path, header, columns_, name="mine.csv"):
    rows = zip(*columns_)
    return _csv(tmp_path, header + "\n" + "".join(",".join(map(str, r)) + "\n" for r in rows), name)


@pytest.fixture
def flowers(tmp_path):
    """Two numeric measurements and a text class with three values, 30 rows."""
    rng = np.random.default_rng(0)
    species = ["red", "green", "blue"] * 10
    centre = {"red": 0.0, "green": 3.0, "blue": 6.0}
    length = [round(centre[s] + rng.normal(), 3) for s in species]
    width = [round(10 * centre[s] + rng.normal(), 3) for s in species]
    return _table(tmp_path, "length,width,species", [length, width, species])


def test_columns_lists_the_header(flowers):
    assert columns(flowers) == ["length", "width", "species"]


def test_text_class_column_makes_a_softmax_classifier_that_trains(flowers):
    preset = preset_from_csv(flowers, ["species"])
    assert preset.name == "mine"
    assert (preset.layers[0], preset.layers[-1]) == (2, 3)
    assert 8 <= preset.layers[1] <= 16 and len(preset.layers) == 3
    assert (preset.activation, preset.output_activation, preset.loss) == \
        ("tanh", "softmax", "cross_entropy")
    assert (preset.optimizer, preset.learning_rate) == ("adam", 0.01)
    data = preset.load_data()
    assert data.class_names == ("blue", "green", "red")
    assert np.allclose(data.X_train.mean(axis=0), 0) and np.allclose(data.X_train.std(axis=0), 1)
    assert len(data.X_test) == 6
    net, losses = preset.build_network(), []
    optimizer = make_optimizer(preset.optimizer)
    for epoch in range(100):
        losses.append(train_epoch(net, optimizer, data.X_train, data.Y_train,
                                  preset.learning_rate, preset.batch_size, preset.seed, epoch))
    assert losses[-1] < 0.5 * losses[0]


def test_two_text_classes_make_two_softmax_outputs(tmp_path):
    path = _table(tmp_path, "x,label", [[1, 2, 3, 4], ["no", "yes", "no", "yes"]])
    preset = preset_from_csv(path, ["label"])
    assert (preset.layers[-1], preset.output_activation) == (2, "softmax")


def test_zero_one_column_makes_one_sigmoid_output(tmp_path):
    path = _table(tmp_path, "a,b,y", [[0, 0, 1, 1], [0, 1, 0, 1], [0, 1, 1, 0]])
    preset = preset_from_csv(path, ["y"])
    assert preset.layers == (2, 8, 1)
    assert (preset.output_activation, preset.loss) == ("sigmoid", "cross_entropy")
    assert preset.test_fraction == 0.0


def test_few_whole_numbers_are_classes(tmp_path):
    path = _table(tmp_path, "x,grade", [list(range(12)), [1, 2, 3] * 4])
    preset = preset_from_csv(path, "grade")
    assert (preset.layers[-1], preset.output_activation) == (3, "softmax")
    assert preset.load_data().class_names == ("1", "2", "3")


def test_real_valued_target_is_regression(tmp_path):
    x = np.linspace(0, 50, 40)
    path = _table(tmp_path, "x,noise,price", [x, np.cos(x), 3 * x + 100])
    preset = preset_from_csv(path, ["price"])
    assert preset.layers[::2] == (2, 1)
    assert (preset.output_activation, preset.loss) == ("linear", "mse")
    assert preset.load_data().task == "regression"
    assert preset.target_loss == pytest.approx(0.01 * np.var(3 * x + 100), rel=1e-2)


def test_several_targets(tmp_path):
    one_hot = _table(tmp_path, "x,cat,dog", [[1, 2, 3, 4], [1, 0, 1, 0], [0, 1, 0, 1]])
    assert preset_from_csv(one_hot, ["cat", "dog"]).output_activation == "softmax"
    numbers = _table(tmp_path, "x,u,v", [[1, 2, 3, 4], [0.5, 1, 2, 3], [1, 2, 3, 7]], "two.csv")
    preset = preset_from_csv(numbers, ["u", "v"])
    assert (preset.layers[-1], preset.output_activation) == (2, "linear")


def test_written_preset_sits_beside_the_csv_and_loads_back_equal(flowers):
    path = write_preset_for_csv(flowers, ["species"])
    assert path == flowers.with_suffix(".toml")
    assert load_preset(path) == preset_from_csv(flowers, ["species"])


def test_a_csv_saved_by_a_spreadsheet_with_a_byte_order_mark_trains(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbfsize,kind\n" + b"".join(
        f"{i},{'big' if i > 4 else 'small'}\n".encode() for i in range(10)))
    preset = load_preset(write_preset_for_csv(path, "kind"))
    assert preset.load_data().input_names == ("size",)


def test_written_preset_never_replaces_a_file_unasked(flowers):
    toml = flowers.with_suffix(".toml")
    toml.write_text("mine\n")
    with pytest.raises(WouldOverwrite, match="mine.toml already exists"):
        write_preset_for_csv(flowers, ["species"])
    assert toml.read_text() == "mine\n"
    write_preset_for_csv(flowers, ["species"], overwrite=True)
    assert load_preset(toml).name == "mine"


@pytest.mark.parametrize("text, target, message", [
    ("a,b,y\n1,2,3\n4,5\n6,7,8\n", "y",
     r"^mine.csv line 3: ragged row, expected 3 values .* got 2$"),
    ("", "y", r"^mine.csv: empty file"),
    ("a,y\n", "y", r"^mine.csv: expected at least one row"),
    ("a,y\n1,2\nfoo,3\n", "y", r"^mine.csv line 3: column 'a': expected a number, got 'foo'"),
    ("a,y\n1,2\n3,4\n", "z", r"^mine.csv: no column 'z'; the columns are a, y$"),
    ("a,y\n1,2\n3,2\n", "y", r"^mine.csv: target column 'y' has a single value"),
    ("a,y\n1,2\n,3\n", "y", r"^mine.csv line 3: column 'a' has an empty cell$"),
    ("a,a,y\n1,2,3\n", "y", r"^mine.csv line 1: column 'a' appears twice"),
    ("a,y\n1,2\nnan,3\n", "y", r"^mine.csv line 3: column 'a' holds a NaN"),
])
def test_bad_csv_gives_one_line_naming_file_and_problem(tmp_path, text, target, message):
    path = _csv(tmp_path, text)
    with pytest.raises(PresetError, match=message) as error:
        preset_from_csv(path, [target])
    assert "\n" not in str(error.value)


def test_text_column_among_several_targets_is_refused(tmp_path):
    path = _table(tmp_path, "x,u,kind", [[1, 2, 3], [1.5, 2, 3], ["a", "b", "a"]])
    with pytest.raises(PresetError, match="'kind' holds text.*only target"):
        preset_from_csv(path, ["u", "kind"])


def test_missing_file(tmp_path):
    with pytest.raises(PresetError, match="no such file"):
        columns(tmp_path / "gone.csv")


def test_a_preset_trains_beside_a_free_text_column_with_a_long_cell(tmp_path):
    """Only the columns a preset reads are held to the cell limit (the file still is held to
    its size limit)."""
    notes = "".join(f"{i % 2},{i},{'x' * (100_000 if i == 3 else 5)}\n" for i in range(8))
    _csv(tmp_path, "label,size,notes\n" + notes)
    (tmp_path / "mine.toml").write_text('[data]\ncsv = "mine.csv"\ntargets = "label"\n'
                                        'inputs = ["size"]\n[model]\nlayers = [1, 2]\n'
                                        'output_activation = "softmax"\n'
                                        'loss = "cross_entropy"\n')
    data = load_preset(tmp_path / "mine.toml").load_data()
    assert data.input_names == ("size",) and len(data.X_train) + len(data.X_test) == 8
