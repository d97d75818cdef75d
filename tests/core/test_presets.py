"""Preset files: loading, the built-ins, writing back, and one clear error per kind of mistake."""

import re

import numpy as np
import pytest

from core.presets import (
    BUILTIN_ORDER,
    CsvData,
    PresetError,
    builtin_dir,
    builtin_presets,
    load_preset,
    parse_preset,
)

VALID = """\
name = "mine"

[data]
inputs = [[0, 0], [0, 1], [1, 0], [1, 1]]
targets = [0, 1, 1, 0]

[model]
layers = [2, 2, 1]
activation = "sigmoid"
output_activation = "sigmoid"
loss = "mse"

[training]
optimizer = "gd"
learning_rate = 0.5
test_fraction = 0.0
"""


def error_message(tmp_path, text: str) -> str:
    """The PresetError message for ``text`` saved as mine.toml; it must be one line naming
    the file."""
    path = tmp_path / "mine.toml"
    path.write_text(text)
    with pytest.raises(PresetError) as caught:
        load_preset(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message[len(f"{path}: "):]


def changed(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new)


def test_the_valid_example_loads_with_defaults(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(VALID)
    preset = load_preset(path)
    assert preset.layers == (2, 2, 1) and preset.learning_rate == 0.5
    defaults = (preset.bias, preset.init, preset.batch_size, preset.penalty)
    assert defaults == (True, "default", 0, None)
    assert preset.title == "mine" and preset.path == path


@pytest.mark.parametrize("old, new, expected", [
    # TOML syntax, with the line
    ("layers = [2, 2, 1]", "layers = [2, 2, 1", "invalid TOML: .*line 9"),
    # unknown keys and sections, with a suggestion
    ("learning_rate = 0.5", "learnig_rate = 0.5",
     r"\[training\].learnig_rate: unknown key; did you mean 'learning_rate'\?"),
    ("[training]", "[trainig]", r"trainig: unknown section; did you mean 'training'\?"),
    ('loss = "mse"', 'loss = "mse"\nbiass = false',
     r"\[model\].biass: unknown key; did you mean 'bias'\?"),
    # wrong types
    ("learning_rate = 0.5", 'learning_rate = "fast"',
     r'\[training\].learning_rate: expected a positive number, got "fast"'),
    ('loss = "mse"', 'loss = "mse"\nbias = "yes"',
     r'\[model\].bias: expected true or false, got "yes"'),
    ("test_fraction = 0.0", "test_fraction = 0.0\nepochs = 1.5",
     r"\[training\].epochs: expected an integer from 1 to 1,000,000, got 1.5"),
    ("targets = [0, 1, 1, 0]", 'targets = ["no", "yes", "yes", "no"]',
     r"\[data\].targets: expected a list of rows, each a list of numbers"),
    # missing sections and keys
    ("[model]", "[modell]", r"modell: unknown section; did you mean 'model'\?"),
    ("layers = [2, 2, 1]\n", "", r"\[model\].layers: missing key"),
    # sizes
    ("layers = [2, 2, 1]", "layers = [2, 0, 1]",
     r"\[model\].layers: expected a list of at least two positive integers, got \[2, 0, 1\]"),
    ("layers = [2, 2, 1]", "layers = [2]", r"\[model\].layers: expected a list of at least two"),
    ("layers = [2, 2, 1]", "layers = [3, 2, 1]",
     r"\[model\].layers: expected the first size to be 2 \(the data's input columns\)"),
    ("layers = [2, 2, 1]", "layers = [2, 2, 2]",
     r"\[model\].layers: expected the last size to be 1 \(the data's target columns\)"),
    # names checked against the engine
    ('activation = "sigmoid"', 'activation = "sigmoidd"',
     r"\[model\].activation: expected one of sigmoid, tanh, relu, linear, got \"sigmoidd\"; "
     r"did you mean 'sigmoid'\?$"),
    ('loss = "mse"', 'loss = "mae"', r"\[model\].loss: expected one of mse, cross_entropy"),
    ('optimizer = "gd"', 'optimizer = "adma"', r"\[training\].optimizer: .*did you mean 'adam'\?"),
    ("learning_rate = 0.5", 'learning_rate = 0.5\npenalty = "l3"',
     r"\[training\].penalty: expected one of none, l1, l2"),
    # softmax
    ('output_activation = "sigmoid"', 'output_activation = "softmax"',
     r'\[model\].output_activation: softmax needs loss = "cross_entropy", got loss = "mse"'),
    ('activation = "sigmoid"', 'activation = "softmax"',
     r"\[model\].activation: softmax is for the output layer only"),
    ('loss = "mse"', 'loss = "cross_entropy"\ninit = "xavier"',
     r"\[model\].init: expected one of default"),
    # inline data
    ("[0, 1], [1, 0]", "[0], [1, 0]",
     r"\[data\].inputs: ragged rows: row 1 has 2 values, row 2 has 1"),
    ("inputs = [[0, 0], [0, 1], [1, 0], [1, 1]]", "inputs = []",
     r"\[data\].inputs: expected at least one row, got none"),
    ("targets = [0, 1, 1, 0]", "targets = [0, 1, 1]", r"\[data\].targets: expected 4 rows"),
    ("[1, 0], [1, 1]]", "[1, nan], [1, 1]]",
     r"\[data\].inputs: row 3 holds a NaN or infinite value"),
    ("targets = [0, 1, 1, 0]", "targets = [0, inf, 1, 0]",
     r"\[data\].targets: row 2 holds a NaN or infinite"),
    ("targets = [0, 1, 1, 0]\n", "", r"\[data\].targets: missing key"),
    # training numbers
    ("learning_rate = 0.5", "learning_rate = -0.5",
     r"\[training\].learning_rate: expected a positive number, got -0.5"),
    ("test_fraction = 0.0", "test_fraction = 1.0",
     r"\[training\].test_fraction: expected a number in \[0, 1\), got 1.0"),
    ("test_fraction = 0.0", "test_fraction = -0.1",
     r"\[training\].test_fraction: expected a number in \[0, 1\)"),
    ("test_fraction = 0.0", "batch_size = -1",
     r"\[training\].batch_size: expected an integer >= 0, got -1"),
    ("learning_rate = 0.5", "learning_rate = 0.5\npenalty_rate = 0.1",
     r'\[training\].penalty_rate: has no effect without penalty = "l1" or "l2"'),
])
def test_each_mistake_names_the_file_the_key_and_what_was_expected(tmp_path, old, new, expected):
    assert re.match(expected, error_message(tmp_path, changed(old, new)))


def test_a_missing_section_is_named(tmp_path):
    text = VALID.split("[model]")[0]
    assert error_message(tmp_path, text) == "[model]: missing section"
    no_data = 'name = "x"\n[model]\nlayers = [1, 1]\n'
    assert error_message(tmp_path, no_data) == "[data]: missing section"


GENERATED = """\
[data]
generator = "{generator}"
{extra}
[model]
layers = [2, 4, 1]
"""


@pytest.mark.parametrize("generator, extra, expected", [
    ("spirl", "", r"\[data\].generator: expected one of circle, .*; did you mean 'spiral'\?"),
    ("spiral", "nosie = 0.1", r"\[data\].nosie: unknown key; did you mean 'noise'\?"),
    ("spiral", "samples = 1", r"\[data\].samples: expected an integer >= 2, got 1"),
    ("spiral", "samples = 10.5", r"\[data\].samples: expected an integer, got 10.5"),
    ("spiral", "turns = -1", r"\[data\].turns: expected a number in \(0, 10\]"),
    ("spiral", 'csv = "x.csv"', r"\[data\]: expected exactly one data source"),
])
def test_generator_mistakes_are_named(tmp_path, generator, extra, expected):
    text = GENERATED.format(generator=generator, extra=extra)
    assert re.match(expected, error_message(tmp_path, text))


def test_no_data_source_is_named(tmp_path):
    text = "[data]\nstandardize = true\n[model]\nlayers = [1, 1]\n"
    assert error_message(tmp_path, text).startswith("[data]: expected a data source")


CSV = """\
[data]
csv = "{csv}"
targets = {targets}

[model]
layers = {layers}
output_activation = "softmax"
loss = "cross_entropy"
"""


def csv_preset(tmp_path, table: str, targets='"kind"', layers="[2, 3]") -> str:
    (tmp_path / "table.csv").write_text(table)
    return CSV.format(csv="table.csv", targets=targets, layers=layers)


@pytest.mark.parametrize("table, targets, layers, expected", [
    ("a,b,kind\n1,2,x\n", '"kind"', "[2, 3]", None),
    ("a,b,kind\n1,2,x\n3,4\n", '"kind"', "[2, 3]", r"\[data\].csv: table.csv line 3: ragged row"),
    ("a,b,kind\n1,z,x\n", '"kind"', "[2, 3]",
     r"\[data\].csv: table.csv line 2, column 'b': expected a number, got 'z'"),
    ("a,b,kind\n1,2,x\n", '"knid"', "[2, 3]",
     r"\[data\].targets: no column 'knid' .*did you mean 'kind'\?"),
    ("a,b,kind\n1,2,x\n3,4,y\n5,6,z\n", '"kind"', "[2, 2]",
     r"\[model\].layers: expected the last size to be 3 \(the data's classes\), got \[2, 2\]"),
])
def test_csv_mistakes_are_named(tmp_path, table, targets, layers, expected):
    text = csv_preset(tmp_path, table, targets, layers)
    if expected is None:
        text = text.replace('csv = "table.csv"', 'csv = "absent.csv"')
        expected = r"\[data\].csv: cannot read .*absent.csv: no such file"
    assert re.match(expected, error_message(tmp_path, text))


def test_a_csv_path_is_relative_to_the_preset_file(tmp_path):
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    text = csv_preset(folder, "a,b,kind\n1,2,x\n3,4,y\n5,6,z\n")
    (folder / "mine.toml").write_text(text)
    data = load_preset(folder / "mine.toml").load_data()
    assert data.class_names == ("x", "y", "z") and data.X_train.shape == (3, 2)


def test_toml_text_without_a_name_is_refused_but_a_file_is_named_by_its_stem(tmp_path):
    text = VALID.replace('name = "mine"\n', "")
    with pytest.raises(PresetError, match=r"^<string>: name: missing key$"):
        parse_preset(text)
    (tmp_path / "nameless.toml").write_text(text)
    assert load_preset(tmp_path / "nameless.toml").name == "nameless"


def test_an_unknown_preset_name_gets_a_suggestion():
    with pytest.raises(PresetError, match=r"^xro: unknown preset; did you mean 'xor'\?"):
        load_preset("xro")


def test_a_missing_preset_file_is_named(tmp_path):
    with pytest.raises(PresetError, match="absent.toml: no such preset file"):
        load_preset(tmp_path / "absent.toml")


def test_descriptions_join_lines_and_keep_paragraphs():
    description = 'description = """\nOne\ntwo.\n\n  Three.\n"""'
    text = VALID.replace('name = "mine"', f'name = "mine"\n{description}')
    assert parse_preset(text).description == "One two.\n\nThree."


# --- the built-in presets ---------------------------------------------------------------

def test_builtins_come_in_the_notes_order_then_the_classics():
    names = [preset.name for preset in builtin_presets()]
    assert names == list(BUILTIN_ORDER)
    assert names[:6] == ["twice", "or", "and", "nand", "chain", "xor"]


@pytest.mark.parametrize("preset", builtin_presets(), ids=lambda p: p.name)
def test_every_builtin_explains_itself_and_fits_its_data(preset):
    assert preset.title and len(preset.description) > 200
    data = preset.load_data()
    assert (preset.layers[0], preset.layers[-1]) == (data.n_inputs, data.n_outputs)
    assert load_preset(preset.name) == preset


def test_builtin_dir_holds_the_presets_and_their_data():
    assert {"iris.csv", "digits.csv", "xor.toml"} <= {p.name for p in builtin_dir().iterdir()}


def test_iris_is_split_standardised_and_one_hot():
    data = load_preset("iris").load_data()
    assert data.X_train.shape == (120, 4) and data.X_test.shape == (30, 4)
    assert data.class_names == ("setosa", "versicolor", "virginica")
    assert np.allclose(data.X_train.mean(axis=0), 0.0)
    assert np.allclose(data.X_train.std(axis=0), 1.0)
    assert (data.Y_train.sum(axis=1) == 1).all()


def test_digits_load_once_and_are_then_shared():
    first = load_preset("digits").load_data()
    assert first.X_train.shape[1] == 64 and first.n_outputs == 10
    assert first.X_train.shape[0] + first.X_test.shape[0] == 1797
    assert load_preset("digits").load_data() is first


def test_twice_keeps_its_rows_in_order():
    data = load_preset("twice").load_data()
    assert data.X_train[:, 0].tolist() == [0, 1, 2, 3, 4]
    assert data.Y_train[:, 0].tolist() == [0, 2, 4, 6, 8]


# --- networks, changes and writing back -------------------------------------------------

def test_build_network_follows_the_preset_and_its_seed():
    preset = load_preset("xor")
    net = preset.build_network()
    assert net.sizes == (2, 2, 1) and net.activation == "sigmoid"
    assert np.array_equal(net.weights[0], preset.build_network().weights[0])
    assert not np.array_equal(net.weights[0], preset.build_network(seed=1).weights[0])
    assert not load_preset("twice").build_network().bias


def test_replace_changes_fields_and_checks_them():
    preset = load_preset("xor")
    faster = preset.replace(learning_rate=5.0, optimizer="adam", layers=(2, 3, 1))
    assert (faster.learning_rate, faster.optimizer, faster.layers) == (5.0, "adam", (2, 3, 1))
    assert preset.learning_rate == 2.0
    bad_rate = r"xor.toml: \[training\].learning_rate: expected a positive"
    with pytest.raises(PresetError, match=bad_rate):
        preset.replace(learning_rate=-1.0)
    with pytest.raises(PresetError, match=r"\[model\].layers: expected the first size to be 2"):
        preset.replace(layers=(3, 1))
    typo = r"learnng_rate: not a preset field; did you mean 'learning_rate'"
    with pytest.raises(PresetError, match=typo):
        preset.replace(learnng_rate=1.0)


def test_replace_can_switch_the_data_and_set_a_penalty():
    preset = load_preset("iris")
    changed = preset.replace(penalty="l2", penalty_rate=0.001, test_fraction=0.5)
    assert changed.penalty == "l2" and changed.load_data().X_test.shape == (75, 4)
    assert changed.replace(penalty=None, penalty_rate=0.0).penalty is None
    no_split = preset.replace(data=CsvData(preset.data.csv, "species"))
    assert no_split.data.inputs is None and no_split.load_data().n_inputs == 4


@pytest.mark.parametrize("preset", builtin_presets(), ids=lambda p: p.name)
def test_to_toml_parses_back_to_an_equal_preset(preset):
    again = parse_preset(preset.to_toml())
    assert again == preset
    assert again.description == preset.description


def test_a_written_csv_preset_loads_from_anywhere(tmp_path):
    iris = load_preset("iris")
    moved = tmp_path / "saved" / "copy.toml"
    moved.parent.mkdir()
    moved.write_text(iris.to_toml())
    assert load_preset(moved) == iris


def test_unusual_strings_survive_the_round_trip():
    preset = parse_preset(VALID).replace(title='Quotes " and \\ backslashes',
                                         description='Line """ one\n\nTab\tand ünïcode.')
    assert parse_preset(preset.to_toml()) == preset


def test_the_readme_example_is_a_valid_preset(tmp_path):
    readme = (builtin_dir() / "README.md").read_text()
    example = re.search(r"```toml\n(.*?)```", readme, re.S).group(1)
    preset = parse_preset(example)
    assert (preset.name, preset.penalty, preset.data.generator) == ("mine", "l2", "moons")

