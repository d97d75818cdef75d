"""Data sets: seeded generators, inline rows, CSV files, splits and standardisation."""

import ast
from pathlib import Path

import numpy as np
import pytest

from core.data import csv_table
from core.data.datasets import GENERATORS, DataError, from_rows, load_csv, split, standardize

CLASSIFIERS = ("circle", "quadrants", "gaussians", "spiral", "moons")


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_same_seed_gives_the_same_data_and_another_seed_other_data(name):
    first, again = GENERATORS[name](seed=3), GENERATORS[name](seed=3)
    other = GENERATORS[name](seed=4)
    assert np.array_equal(first.X_train, again.X_train)
    assert np.array_equal(first.Y_train, again.Y_train)
    assert not np.array_equal(first.X_train, other.X_train)


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_classification_generators_give_two_balanced_classes_near_the_unit_square(name):
    data = GENERATORS[name](samples=300, seed=1)
    assert data.task == "classification"
    assert data.X_train.shape == (300, 2) and data.Y_train.shape == (300, 1)
    assert set(np.unique(data.Y_train)) == {0.0, 1.0}
    assert 0.4 < data.Y_train.mean() < 0.6
    assert np.abs(data.X_train).max() < 1.5
    assert len(data.class_names) == 2 and data.X_test.shape == (0, 2)


def test_circle_labels_the_disc_inside_the_ring():
    data = GENERATORS["circle"](samples=400, noise=0.0)
    radius = np.hypot(data.X_train[:, 0], data.X_train[:, 1])
    assert np.array_equal(radius < 0.6, data.Y_train[:, 0] == 1)


def test_quadrants_is_xor_of_the_signs():
    data = GENERATORS["quadrants"](samples=400, noise=0.0)
    x1, x2 = data.X_train.T
    assert np.array_equal((x1 > 0) != (x2 > 0), data.Y_train[:, 0] == 1)


def test_regression_generators_follow_their_formula_without_noise():
    sine = GENERATORS["sine"](samples=50, noise=0.0)
    assert np.allclose(sine.Y_train[:, 0], np.sin(np.pi * sine.X_train[:, 0]))
    plane = GENERATORS["plane"](samples=50, noise=0.0)
    x1, x2 = plane.X_train.T
    assert np.allclose(plane.Y_train[:, 0], 0.6 * x1 - 0.4 * x2 + 0.2)
    assert sine.task == plane.task == "regression" and sine.class_names is None


def test_noise_moves_the_points():
    clean = GENERATORS["moons"](noise=0.0, seed=2)
    noisy = GENERATORS["moons"](noise=0.2, seed=2)
    assert not np.allclose(clean.X_train, noisy.X_train)


@pytest.mark.parametrize("argument, value", [("samples", 1), ("noise", -0.1), ("seed", -1)])
def test_generator_arguments_out_of_range_name_the_argument(argument, value):
    with pytest.raises(DataError) as caught:
        GENERATORS["circle"](**{argument: value})
    assert caught.value.field == argument


def test_dataset_arrays_are_read_only():
    data = GENERATORS["circle"]()
    with pytest.raises(ValueError):
        data.X_train[0, 0] = 5.0


def test_rows_of_zeros_and_ones_make_a_classification_task():
    assert from_rows([[0], [1]], [[0], [1]]).task == "classification"
    assert from_rows([[0], [1]], [[0], [2]]).task == "regression"
    assert from_rows([[0], [1]], [[0], [1]], task="regression").task == "regression"


@pytest.mark.parametrize("inputs, targets, field, words", [
    ([[0, 0], [1]], [[0], [1]], "inputs", "ragged"),
    ([], [], "inputs", "at least one row"),
    ([[0], [1]], [[0]], "targets", "expected 2 rows"),
    ([[0], [float("nan")]], [[0], [1]], "inputs", "NaN"),
    ([[0], [1]], [[0], [float("inf")]], "targets", "infinite"),
])
def test_bad_rows_are_refused(inputs, targets, field, words):
    with pytest.raises(DataError, match=words) as caught:
        from_rows(inputs, targets)
    assert caught.value.field == field


def test_split_is_a_deterministic_partition_of_the_rows():
    data = from_rows([[float(i)] for i in range(20)], [[0.0]] * 20)
    first, again, other = split(data, 0.25, 1), split(data, 0.25, 1), split(data, 0.25, 2)
    assert first.X_test.shape == (5, 1) and first.X_train.shape == (15, 1)
    assert np.array_equal(first.X_test, again.X_test)
    assert not np.array_equal(first.X_test, other.X_test)
    rows = np.concatenate([first.X_train, first.X_test])[:, 0]
    assert sorted(rows) == list(range(20))


def test_split_keeps_a_training_row():
    data = from_rows([[0.0], [1.0]], [[0.0], [1.0]])
    assert split(data, 0.9, 0).X_train.shape == (1, 1)


def test_standardize_centres_and_scales_the_training_inputs():
    data = split(from_rows([[i, 5.0, i * i] for i in range(10)], [[0.0]] * 10), 0.2, 0)
    scaled = standardize(data)
    assert np.allclose(scaled.X_train.mean(axis=0), 0.0)
    assert np.allclose(scaled.X_train.std(axis=0), [1.0, 0.0, 1.0])
    assert scaled.X_test.shape == data.X_test.shape and np.isfinite(scaled.X_test).all()


def write(tmp_path, text, name="table.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_string_labels_become_one_hot_targets(tmp_path):
    path = write(tmp_path, "a,b,kind\n1,2,cat\n3,4,dog\n5,6,cat\n7,8,emu\n")
    data = load_csv(path, targets="kind")
    assert data.class_names == ("cat", "dog", "emu")
    assert data.input_names == ("a", "b")
    assert data.Y_train.tolist() == [[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1]]
    assert data.task == "classification"


def test_numeric_labels_are_ordered_by_value(tmp_path):
    path = write(tmp_path, "x,label\n1,10\n2,9\n3,2\n")
    assert load_csv(path, targets="label").class_names == ("2", "9", "10")


def test_numeric_target_columns_are_used_as_they_are(tmp_path):
    path = write(tmp_path, "x,unused,y\n1,0,2.5\n2,0,4.5\n")
    data = load_csv(path, inputs=["x"], targets=["y"])
    assert data.X_train.tolist() == [[1.0], [2.0]] and data.Y_train.tolist() == [[2.5], [4.5]]
    assert data.task == "regression"


@pytest.mark.parametrize("text, targets, field, words", [
    ("a,y\n1,2\n3\n", ["y"], "path", "line 3: ragged row"),
    ("a,y\n1,2\nx,3\n", ["y"], "path", "line 3, column 'a': expected a number"),
    ("a,y\n1,nan\n", ["y"], "path", "NaN or infinite"),
    ("a,y\n", ["y"], "path", "at least one row"),
    ("a,y\n1,2\n", ["why"], "targets", "no column 'why'"),
    ("a,a,y\n1,2,3\n", ["y"], "path", "line 1: column 'a' appears twice"),
])
def test_bad_csv_files_are_refused(tmp_path, text, targets, field, words):
    with pytest.raises(DataError, match=words) as caught:
        load_csv(write(tmp_path, text), targets=targets)
    assert caught.value.field == field


def test_a_misspelt_column_gets_a_suggestion(tmp_path):
    path = write(tmp_path, "petal_length,species\n1,a\n")
    with pytest.raises(DataError, match="did you mean 'petal_length'"):
        load_csv(path, inputs=["petal_lenght"], targets="species")


def test_a_missing_csv_file_is_refused(tmp_path):
    with pytest.raises(DataError, match="no such file") as caught:
        load_csv(tmp_path / "absent.csv", targets="y")
    assert caught.value.field == "path"


def test_a_cell_too_long_for_the_csv_reader_is_refused_in_one_line(tmp_path):
    path = write(tmp_path, "a,y\n1," + "9" * 200_000 + "\n")
    with pytest.raises(DataError, match=r"table.csv line 2: a cell longer than 1,000 characters$"):
        load_csv(path, targets=["y"])


@pytest.mark.parametrize("length", [100_000, 200_000])
def test_a_long_cell_in_a_column_not_read_does_not_matter(tmp_path, length):
    """Free text beside the data (longer than the csv module's own 128 KiB cell limit too)."""
    path = write(tmp_path, "x,note,y\n1,short,a\n2," + "n" * length + ",b\n")
    data = load_csv(path, inputs=["x"], targets="y")
    assert data.X_train.ravel().tolist() == [1, 2] and data.class_names == ("a", "b")
    with pytest.raises(DataError, match=r"table.csv line 3: a cell longer than 1,000 char"):
        load_csv(path, inputs=["x", "note"], targets="y")


def test_the_csv_reader_does_not_import_the_loaders_that_use_it():
    """csv_table reads the file for datasets.load_csv: the import goes one way."""
    tree = ast.parse(Path(csv_table.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "datasets" not in imported and "errors" in imported


def test_a_byte_order_mark_is_not_part_of_the_first_column_name(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbfx,y\n1,2\n3,4\n")
    assert load_csv(path, targets=["y"]).input_names == ("x",)
