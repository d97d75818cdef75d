"""Nothing a file can say crashes, hangs or floods ``python -m core``: every class of hostile
file gets exit 2 and one ``error:`` line naming the file and the field, in a child process
under a memory limit, within ``MAX_RSS_MB`` and a generous timeout.

The files are small and made in each test (``tests/hostile_files.py``); a 17 MiB CSV file is
a sparse file.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np
import pytest

from core.data.datasets import DataError, from_rows, standardize
from core.presets import PresetError, load_preset
from core.session import Session, SessionFileError
from core.session.saved import SavedSession
from core.text import clean, excerpt

from ..hostile_files import HOSTILE, MAX_RSS_MB, TIMEOUT, run_limited, served_folder


def core_args(path: Path) -> list[str]:
    """The command that opens ``path``: train on a preset or resume a session."""
    if path.suffix == ".npz":
        return ["train", "--resume", str(path), "--epochs", "1"]
    return ["train", str(path), "--epochs", "1"]


def assert_refused(run, *words: str, code: int = 2) -> None:
    assert "Traceback" not in run.err, run.err
    lines = run.err.strip().splitlines()
    assert run.code == code, (run.code, run.err)
    assert len(lines) == 1 and lines[0].startswith("error: "), run.err
    assert len(lines[0]) < 400, lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert run.seconds < TIMEOUT and run.rss_mb < MAX_RSS_MB, (run.seconds, run.rss_mb)


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.id for h in HOSTILE])
def test_a_hostile_file_is_refused_in_one_line(tmp_path, hostile):
    path = hostile.make(tmp_path)
    run = run_limited("core", *core_args(path), cwd=tmp_path)
    assert_refused(run, path.name, *hostile.words)
    assert run.out == ""


def test_show_and_check_refuse_a_hostile_preset_too(tmp_path):
    path = HOSTILE[0].make(tmp_path)
    for command in ("show", "check"):
        assert_refused(run_limited("core", command, str(path)), path.name, "at most 512")


# --- regular files only ------------------------------------------------------------------

@pytest.mark.parametrize("place, words", [
    ("/dev/zero", ("zero", "not a regular file (a device)")),
    ("/dev/null", ("null", "not a regular file (a device)")),
    ("{tmp}", ("Is a directory",)),
])
def test_a_preset_path_that_is_not_a_regular_file_is_refused(tmp_path, place, words):
    run = run_limited("core", "show", place.format(tmp=tmp_path))
    assert_refused(run, *words)


# --- text from files ----------------------------------------------------------------------

def test_an_over_long_preset_name_is_an_unknown_preset_quoted_short():
    run = run_limited("core", "show", "x" * 100_000)
    assert_refused(run, "unknown preset", "x" * 40 + "…")
    assert "File name too long" not in run.err and "presets/" not in run.err


def test_a_misspelt_preset_name_still_gets_a_suggestion():
    assert_refused(run_limited("core", "show", "xr"), "unknown preset", "did you mean 'xor'")


@pytest.mark.parametrize("text, words", [
    ('[data]\ngenerator = "circle"\n[model]\nlayer = [2, 1]\n',
     ("[model].layer", "unknown key", "did you mean 'layers'")),
    ('[data]\ngenerator = "circle"\n[modle]\nlayers = [2, 1]\n',
     ("modle", "unknown section", "did you mean 'model'")),
])
def test_did_you_mean_holds_for_keys_and_sections(tmp_path, text, words):
    path = tmp_path / "mine.toml"
    path.write_text(text)
    assert_refused(run_limited("core", "show", str(path)), "mine.toml", *words)


def test_show_prints_a_title_and_description_without_escape_sequences(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('title = "\\u001b[31mRed\\u001b[0m \\u0007bell\\u009b2J"\n'
                    'description = "\\u001b]0;renamed\\u0007Hello \\u202eevil"\n'
                    '[data]\ngenerator = "circle"\n[model]\nlayers = [2, 1]\n')
    run = run_limited("core", "show", str(path))
    assert run.code == 0 and run.err == ""
    assert "Red bell" in run.out and "Hello evil" in run.out
    assert not any((ord(c) < 32 and c != "\n") or 0x7f <= ord(c) <= 0x9f or c == "\u202e"
                   for c in run.out)


def test_clean_and_excerpt_keep_what_prints():
    assert clean("a\x1b[1;31mb\x1b[0m\x1b]2;t\x07c\x1b(Bd\x07\x00e\tf\nG") == "abcde f G"
    assert clean("one\n\ntwo", lines=True) == "one\n\ntwo"
    assert excerpt("y" * 100) == "y" * 40 + "…" and excerpt("short") == "short"


# --- parser edge cases --------------------------------------------------------------------

HUGE = ('[data]\ninputs = [1e308, -1e308, 1e308, 5]\ntargets = [0, 1, 0, 1]\n'
        'standardize = {standardize}\n[model]\nlayers = [1, 1]\n{model}')


def test_huge_inputs_standardised_train_to_finite_json(tmp_path):
    path = tmp_path / "huge.toml"
    path.write_text(HUGE.format(standardize="true", model=""))
    run = run_limited("core", "train", str(path), "--epochs", "20", "--json")
    assert run.code == 0 and run.err == "", run.err
    report = json.loads(run.out, parse_constant=lambda name: pytest.fail(name))
    assert math.isfinite(report["final_loss"]) and "not_finite" not in report


def test_inline_rows_are_held_to_the_samples_limit_however_they_come():
    with pytest.raises(DataError, match="at most 100,000 rows, got 100,001"):
        from_rows([[0.0]] * 100_001, [[1.0]] * 100_001)


def test_standardize_gives_finite_inputs_however_large(tmp_path):
    data = standardize(from_rows([[1e308], [-1e308], [1e308], [5.0]], [[0], [1], [0], [1]]))
    assert np.isfinite(data.X_train).all()
    assert np.allclose(data.X_train.mean(axis=0), 0) and np.allclose(data.X_train.std(), 1)
    usual = from_rows([[1.0], [2.0], [4.0]], [[0], [1], [1]])
    assert standardize(usual).X_train.tolist() == ((usual.X_train - usual.X_train.mean())
                                                   / usual.X_train.std()).tolist()


def test_json_never_holds_nan_and_a_nan_gradient_check_fails(tmp_path):
    path = tmp_path / "overflow.toml"
    path.write_text(HUGE.format(standardize="false", model='output_activation = "linear"\n'
                                                          'init = "uniform"\n')
                    .replace("targets = [0, 1, 0, 1]", "targets = [1e308, 0, 1, 1]"))
    run = run_limited("core", "train", str(path), "--epochs", "5", "--json")
    assert run.code == 0 and run.err == "", run.err
    report = json.loads(run.out, parse_constant=lambda name: pytest.fail(name))
    assert report["diverged"] and report["final_loss"] is None
    assert report["not_finite"] == ["final_loss"]
    check = run_limited("core", "check", str(path))
    assert check.code == 1 and "FAILED" in check.out and "nan" in check.out
    assert "Warning" not in check.err and "Traceback" not in check.err


# --- writes -------------------------------------------------------------------------------

def test_save_to_a_long_name_keeps_the_temporary_name_within_the_limit(tmp_path):
    name = "s" * (os.pathconf(tmp_path, "PC_NAME_MAX") - 6) + ".npz"
    run = run_limited("core", "train", "xor", "--epochs", "2", "--save", name, cwd=tmp_path)
    assert run.code == 0, run.err
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert Session.open(tmp_path / name).epoch == 2


def test_save_refuses_to_replace_a_file_that_is_not_a_session(tmp_path):
    preset = tmp_path / "mine.toml"
    preset.write_text('[data]\ngenerator = "circle"\n[model]\nlayers = [2, 1]\n')
    before = preset.read_bytes()
    run = run_limited("core", "train", str(preset), "--epochs", "2", "--save", str(preset))
    assert_refused(run, "mine.toml", "not a saved session", "not replaced")
    assert run.out == "" and preset.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.toml"]


@pytest.mark.parametrize("target, words", [
    ("{tmp}/pipe.npz", ("pipe.npz", "named pipe")), ("/dev/null", ("/dev/null", "device")),
])
def test_save_refuses_a_named_pipe_or_a_device(tmp_path, target, words):
    os.mkfifo(tmp_path / "pipe.npz")
    run = run_limited("core", "train", "xor", "--epochs", "1", "--save",
                      target.format(tmp=tmp_path))
    assert_refused(run, *words, "not replaced")


def test_save_says_what_it_saved_and_what_it_replaced(tmp_path):
    run = run_limited("core", "train", "xor", "--epochs", "3", "--save", "xor.npz",
                      cwd=tmp_path)
    assert run.code == 0 and run.err == "saved xor.npz (epoch 3)\n", run.err
    again = run_limited("core", "train", "--resume", "xor.npz", "--epochs", "2", "--save",
                        "xor.npz", cwd=tmp_path)
    assert again.code == 0
    assert again.err == "saved xor.npz (epoch 5), replacing the session saved there\n"
    assert Session.open(tmp_path / "xor.npz").epoch == 5


# --- what is not refused ------------------------------------------------------------------

def test_the_largest_data_the_limits_allow_still_loads(tmp_path):
    """At the limits: 100,000 generated samples on a small network, two hidden layers of 512
    on a few hundred samples."""
    for data, layers in (("samples = 100000", "[2, 16, 16, 1]"),
                         ("samples = 400", "[2, 512, 512, 1]")):
        path = tmp_path / "big.toml"
        path.write_text(f'[data]\ngenerator = "circle"\n{data}\n[model]\nlayers = {layers}\n')
        run = run_limited("core", "show", str(path))
        assert run.code == 0, run.err


def test_the_limits_documented_are_the_limits_checked():
    from core import limits
    from core.files import size_text

    text = (Path(__file__).parents[2] / "presets" / "README.md").read_text()
    for number in (limits.MAX_HIDDEN_LAYERS, limits.MAX_NEURONS, limits.MAX_PARAMETERS,
                   limits.MAX_SAMPLES, limits.MAX_ACTIVATIONS, limits.MAX_EPOCHS,
                   limits.MAX_NESTING, limits.MAX_NAME_CHARS, limits.MAX_CSV_COLUMNS,
                   limits.MAX_CELL_CHARS):
        assert f"| {number:,}" in text or f" {number:,} " in text, number
    for size in (limits.MAX_PRESET_BYTES, limits.MAX_CSV_BYTES, limits.MAX_SESSION_BYTES):
        assert f"| {size_text(size)}" in text, size


@pytest.mark.parametrize("changes, field, words", [
    ({"hidden": "512-512-512"}, "hidden", "at most 300,000 weights and biases"),
    ({"hidden": "600"}, "hidden", "at most 512 neurons a layer"),
    ({"hidden": "4-4-4-4-4-4-4-4-4"}, "hidden", "at most 8"),
    ({"samples": 100_001}, "samples", "at most 100,000"),
    ({"samples": 100_000, "hidden": "64"}, "hidden", "at most 5,000,000 values a pass"),
])
def test_the_edit_form_is_held_to_the_same_limits(make, changes, field, words):
    from core.presets.validation import PresetError

    session = make("spiral")
    with pytest.raises(PresetError, match=words) as refused:
        session.editing.preview_edit(**changes)
    assert refused.value.field == field


# --- a served tab's folder ---------------------------------------------------------------

def test_a_folder_given_as_root_is_all_presets_and_sessions_read(tmp_path):
    """Told to read only inside ``root``, preset loading and session reading refuse a CSV file
    named outside (``..``, an absolute path, a link) and a preset that is a link out; the
    words are the same whether the file outside exists or not. The built-in presets' data
    stay readable; without ``root``, a preset reads where it says (the desktop app)."""
    root = served_folder(tmp_path)
    refusals = {}
    for name in ("dotdot.toml", "absent.toml", "absolute.toml", "via-link.toml"):
        with pytest.raises(PresetError) as refused:
            load_preset(root / name, root=root)
        refusals[name] = str(refused.value)
        assert "[data].csv" in refusals[name] and "outside the folder" in refusals[name]
    assert refusals["absent.toml"] == refusals["dotdot.toml"].replace(
        "dotdot", "absent").replace("secret", "absent")
    with pytest.raises(PresetError, match="linked.toml: outside the folder"):
        load_preset(root / "linked.toml", root=root)
    assert load_preset(root / "good.toml", root=root).data.csv == (root / "good.csv").resolve()
    assert load_preset("iris", root=root).name == "iris"
    assert load_preset(root / "dotdot.toml").load_data().n_inputs == 1

    with pytest.raises(SessionFileError, match=r"\[data\]\.csv: .*outside the folder"):
        SavedSession.read(root / "outside-data.npz", root=root)
    with pytest.raises(SessionFileError, match="outside the folder"):
        SavedSession.read(tmp_path / "outside" / "x.npz", root=root)
    with Session("xor") as session:
        with pytest.raises(SessionFileError, match="outside the folder"):
            session.files.resume(root / "outside-data.npz", root=root)
        assert session.snapshot().preset_name == "xor"
        iris = Session("iris")
        iris.files.save(root / "iris.npz")
        iris.close()
        session.files.resume(root / "iris.npz", root=root)
        assert session.snapshot().preset_name == "iris"
