"""`core export --torch`: what someone carrying a network into PyTorch receives and checks.

Without torch: the safetensors file against the session's weights, the sample against the
engine, the folder rules. With torch: model.py's network reproduces the engine's outputs.
"""

import ast
import errno
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file

from core import whole_folder
from core.cli import main
from core.engine.activations import HIDDEN_ACTIVATIONS
from core.engine.network import Network
from core.presets.schema import builtin_dir, load_preset
from core.session.torch_export import FILES, FolderNotEmpty, export_torch, model_source

from ..hostile_files import session_file

try:
    import torch
    from torch import nn
except ImportError:
    torch = None
needs_torch = pytest.mark.skipif(
    torch is None, reason="torch is not installed (pip install -e '.[torch]' to run this)")

# Every activation the engine has, as hidden and as output, and both losses (mse, and
# cross-entropy on sigmoid and on softmax outputs); two of them without biases.
SIGMOID_CROSS_ENTROPY = dict(activation="relu", output_activation="sigmoid", loss="cross_entropy")
SOFTMAX_NO_BIAS = dict(activation="sigmoid", output_activation="softmax", loss="cross_entropy",
                       bias=False)
LINEAR_NO_BIAS = dict(activation="tanh", output_activation="linear", loss="mse", bias=False)
NETWORKS = [
    *[dict(activation=hidden, output_activation="sigmoid", loss="mse")
      for hidden in HIDDEN_ACTIVATIONS],
    *[dict(activation="tanh", output_activation=output, loss="mse")
      for output in ("tanh", "relu", "linear")],
    SIGMOID_CROSS_ENTROPY,
    dict(activation="tanh", output_activation="softmax", loss="cross_entropy"),
    SOFTMAX_NO_BIAS,
    LINEAR_NO_BIAS,
]


def trained_like(settings: dict, sizes=(3, 5, 4, 3)) -> tuple[Network, np.ndarray]:
    """A network with weights and biases far from their start, and 40 input rows."""
    net = Network(list(sizes), init="uniform", seed=1, **settings)
    rng = np.random.default_rng(2)
    for p in net.parameters():
        p += rng.normal(0.0, 0.5, p.shape)
    return net, rng.normal(0.0, 1.5, (40, sizes[0]))


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A session trained a little on the iris preset and saved (with its own Session)."""
    from core.session.session import Session

    path = tmp_path_factory.mktemp("saved") / "iris.npz"
    with Session("iris") as session:
        session.step(20)
        session.files.save(path)
        snapshot = session.snapshot()
    return path, snapshot


def test_weights_are_linear_layout_under_sequential_names(capsys, saved, tmp_path):
    path, snapshot = saved
    code, out, _ = run(capsys, "export", path, "--torch", tmp_path / "out")
    tensors = load_file(tmp_path / "out" / "model.safetensors")
    assert code == 0 and "model.safetensors" in out and "epoch 20" in out
    assert sorted(tensors) == ["0.bias", "0.weight", "2.bias", "2.weight"]
    for layer, (w, b) in enumerate(zip(snapshot.weights, snapshot.biases)):
        weight, bias = tensors[f"{2 * layer}.weight"], tensors[f"{2 * layer}.bias"]
        assert weight.dtype == np.float64 and weight.shape == (w.shape[1], w.shape[0])
        np.testing.assert_array_equal(weight, w.T)
        np.testing.assert_array_equal(bias, b)


def test_sample_is_the_engines_inputs_and_outputs(capsys, saved, tmp_path):
    path, snapshot = saved
    run(capsys, "export", path, "--torch", tmp_path)
    sample = json.loads((tmp_path / "sample.json").read_text())
    inputs, outputs = np.array(sample["inputs"]), np.array(sample["outputs"])
    assert 1 < len(inputs) <= 16 and outputs.shape == (len(inputs), 3)
    rows = [int(np.flatnonzero((snapshot.X_train == x).all(axis=1))[0]) for x in inputs]
    assert len(set(rows)) == len(rows)              # distinct rows of the training inputs
    np.testing.assert_array_equal(outputs, snapshot.outputs[rows])
    assert len({int(np.argmax(y)) for y in snapshot.Y_train[rows]}) == 3   # every class


def test_model_py_is_python_with_the_networks_modules(tmp_path):
    net, X = trained_like(SOFTMAX_NO_BIAS)
    export_torch(net, X, tmp_path)
    source = (tmp_path / "model.py").read_text()
    compile(source, "model.py", "exec")
    assert "def load(path)" in source and "__main__" in source
    assert "nn.Softmax(dim=1)" in source and "CrossEntropyLoss" in source
    assert "bias=False" in source and "torch.float64" in source


def test_without_biases_no_bias_tensors(tmp_path):
    net, X = trained_like(LINEAR_NO_BIAS)
    export_torch(net, X, tmp_path)
    assert sorted(load_file(tmp_path / "model.safetensors")) == [
        "0.weight", "2.weight", "4.weight"]


def test_folder_with_files_is_refused_unless_replace(capsys, saved, tmp_path):
    path, _ = saved
    other = tmp_path / "notes.txt"
    other.write_text("mine")
    code, out, err = run(capsys, "export", path, "--torch", tmp_path)
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert err.startswith("error:") and str(tmp_path) in err and "--replace" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    (tmp_path / "model.py").write_text("old")
    code, _, _ = run(capsys, "export", path, "--torch", tmp_path, "--replace")
    assert code == 0 and other.read_text() == "mine"
    assert "def load" in (tmp_path / "model.py").read_text()
    net, X = trained_like(NETWORKS[0])
    with pytest.raises(FolderNotEmpty):         # the app asks, as for any existing file
        export_torch(net, X, tmp_path)


def test_missing_folder_is_created_and_bad_session_is_one_error_line(capsys, saved, tmp_path):
    path, _ = saved
    code, _, _ = run(capsys, "export", path, "--torch", tmp_path / "a" / "b")
    assert code == 0 and len(list((tmp_path / "a" / "b").iterdir())) == 3
    broken = tmp_path / "broken.npz"
    broken.write_bytes(path.read_bytes()[:200])
    for bad in (tmp_path / "missing.npz", broken):
        code, out, err = run(capsys, "export", bad, "--torch", tmp_path / "c")
        assert code == 2 and out == "" and len(err.splitlines()) == 1
        assert err.startswith("error:") and bad.name in err
        assert not (tmp_path / "c").exists()
    code, _, err = run(capsys, "export", "no-such-preset", "--torch", tmp_path / "c")
    assert code == 2 and err.startswith("error:") and "no-such-preset" in err


def test_a_preset_exports_its_untrained_network(capsys, tmp_path):
    code, out, _ = run(capsys, "export", "xor", "--torch", tmp_path)
    start = load_preset("xor").build_network()
    assert code == 0 and "epoch 0" in out
    np.testing.assert_array_equal(load_file(tmp_path / "model.safetensors")["0.weight"],
                                  start.weights[0].T)


def test_a_diverged_network_is_refused(tmp_path):
    net, X = trained_like(NETWORKS[0])
    net.weights[0][0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        export_torch(net, X, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def load_model_py(directory):
    spec = importlib.util.spec_from_file_location("exported_model", directory / "model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.load(directory / "model.safetensors")


@needs_torch
@pytest.mark.parametrize("settings", NETWORKS, ids=lambda s: "-".join(
    [s["activation"], s["output_activation"], s["loss"]] + ([] if s.get("bias", True)
                                                            else ["nobias"])))
def test_torch_reproduces_the_engines_outputs(tmp_path, settings):
    net, X = trained_like(settings)
    export_torch(net, X, tmp_path)
    model = load_model_py(tmp_path)
    with torch.no_grad():
        outputs = model(torch.from_numpy(X)).numpy()
    assert outputs.dtype == np.float64
    np.testing.assert_allclose(outputs, net.forward(X), rtol=0, atol=1e-10)
    sample = json.loads((tmp_path / "sample.json").read_text())
    with torch.no_grad():
        ported = model(torch.tensor(sample["inputs"], dtype=torch.float64)).numpy()
    np.testing.assert_allclose(ported, sample["outputs"], rtol=0, atol=1e-10)


@needs_torch
@pytest.mark.parametrize("settings", [NETWORKS[0], SIGMOID_CROSS_ENTROPY, SOFTMAX_NO_BIAS],
                         ids=["mse", "sigmoid-cross-entropy", "softmax-cross-entropy"])
def test_the_loss_model_py_names_is_the_engines_cost(tmp_path, settings):
    net, X = trained_like(settings)
    rng = np.random.default_rng(3)
    if net.output_activation == "softmax":
        Y = np.eye(net.sizes[-1])[rng.integers(0, net.sizes[-1], len(X))]
    else:
        Y = rng.integers(0, 2, (len(X), net.sizes[-1])).astype(float)
    export_torch(net, X, tmp_path)
    model, x, y = load_model_py(tmp_path), torch.from_numpy(X), torch.from_numpy(Y)
    with torch.no_grad():      # the expressions model.py's comment gives
        if net.loss_name == "mse":
            cost = nn.MSELoss(reduction="sum")(model(x), y) / len(x)
        elif net.output_activation == "softmax":
            cost = nn.CrossEntropyLoss()(model[:-1](x), y)
        else:
            cost = nn.BCEWithLogitsLoss(reduction="sum")(model[:-1](x), y) / len(x)
    assert cost.item() == pytest.approx(net.loss(X, Y), rel=1e-12)


@needs_torch
def test_model_py_runs_as_a_script(capsys, saved, tmp_path):
    path, _ = saved
    run(capsys, "export", path, "--torch", tmp_path)
    result = subprocess.run([sys.executable, tmp_path / "model.py"], capture_output=True,
                            text=True, cwd="/", timeout=120)
    assert result.returncode == 0, result.stderr
    difference = float(result.stdout.strip().splitlines()[-1].split()[-1])
    assert "tensor(" in result.stdout and difference <= 1e-10


# --- what a file says never runs, and the folder is whole --------------------------------

HOSTILE_NAMES = [
    'x"""; open("PWNED","w").write("ran"); """',
    "a\\N{x",
    "a\nimport os; open('PWNED', 'w')\n# ",
    "'''; open('PWNED', 'w'); '''\\",
    "\\",
    "#\r\nopen('PWNED', 'w')",
    "\u2028open('PWNED', 'w')\x00",
]


def plain_shape(source: str) -> str:
    """``source``'s syntax tree with every string constant emptied: what it does, not what
    it says."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = ""
    return ast.dump(tree)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_model_py_holds_a_hostile_name_as_one_string(name):
    """Quotes, backslashes, newlines and ``\\N{`` in the preset's name compile, and the script
    does exactly what it does for a plain name: the name is the value of ABOUT, nothing
    else."""
    net, _ = trained_like(NETWORKS[0])
    source = model_source(net, f"{name}, epoch 3")
    assert plain_shape(source) == plain_shape(model_source(net, "xor, epoch 3"))
    about = next(node.value for node in ast.parse(source).body
                 if isinstance(node, ast.Assign) and node.targets[0].id == "ABOUT")
    assert ast.literal_eval(about) == f"{name}, epoch 3"


def test_running_model_py_runs_nothing_from_the_preset(capsys, tmp_path):
    """The issue's preset exports; ``python model.py`` without torch stops at ``import
    torch`` and creates no PWNED, in the folder it runs in or beside the script."""
    preset = tmp_path / "evil.toml"
    text = (builtin_dir() / "xor.toml").read_text()
    preset.write_text(text.replace('name = "xor"', f"name = {json.dumps(HOSTILE_NAMES[0])}", 1))
    code, _, err = run(capsys, "export", preset, "--torch", tmp_path / "out")
    assert code == 0, err
    no_torch = tmp_path / "no-torch"
    no_torch.mkdir()
    (no_torch / "torch.py").write_text("raise ImportError('torch is not installed here')\n")
    result = subprocess.run([sys.executable, tmp_path / "out" / "model.py"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(no_torch)})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "ImportError: torch is not installed here")
    assert not (tmp_path / "PWNED").exists() and not (tmp_path / "out" / "PWNED").exists()


def export_files(folder):
    """The bytes of each file an export writes, by name (None where there is none)."""
    return {name: (folder / name).read_bytes() if (folder / name).is_file() else None
            for name in FILES}


def blocked_by_folder(folder, monkeypatch):
    (folder / "sample.json").unlink()
    (folder / "sample.json").mkdir()


def blocked_by_fifo(folder, monkeypatch):
    (folder / "sample.json").unlink()
    os.mkfifo(folder / "sample.json")


def disk_full_on_the_third(folder, monkeypatch):
    calls = []

    def fsync(descriptor):
        calls.append(descriptor)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(whole_folder.os, "fsync", fsync)


def move_fails_on_the_third(folder, monkeypatch):
    replace, failed = os.replace, []

    def failing(source, target):
        if Path(target) == folder / "sample.json" and not failed:
            failed.append(target)
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        replace(source, target)
    monkeypatch.setattr(whole_folder.os, "replace", failing)


@pytest.mark.parametrize("block", [blocked_by_folder, blocked_by_fifo, disk_full_on_the_third,
                                   move_fails_on_the_third])
def test_replace_leaves_the_old_export_when_the_third_file_fails(capsys, saved, tmp_path,
                                                                 monkeypatch, block):
    """--replace over an export whose third file cannot be written (a folder or a FIFO at its
    name, a full disk, a failed move): one error line naming sample.json, and the folder
    holds the old export's files as they were, with nothing left beside it."""
    path, _ = saved
    out = tmp_path / "out"
    export_torch(*trained_like(NETWORKS[0], sizes=(4, 3, 3)), out)
    block(out, monkeypatch)
    before = export_files(out)
    code, stdout, err = run(capsys, "export", path, "--torch", out, "--replace")
    assert code == 2 and stdout == "" and len(err.splitlines()) == 1
    assert err.startswith("error: ") and str(out / "sample.json") in err
    assert export_files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)


def test_a_new_folder_is_not_left_half_written(tmp_path, monkeypatch):
    """An export into a new folder that fails leaves no folder."""
    disk_full_on_the_third(tmp_path, monkeypatch)
    with pytest.raises(OSError, match="sample.json: cannot write: No space left"):
        export_torch(*trained_like(NETWORKS[0]), tmp_path / "new" / "out")
    assert list(tmp_path.iterdir()) == []


def test_weights_whose_outputs_overflow_name_the_file_and_write_nothing(capsys, tmp_path):
    """A saved session with finite weights of 1.7e308 on a linear output: the export says
    which file cannot hold what, and writes no file (it said 'Out of range float values are
    not JSON compliant' after writing two of the three)."""
    huge = session_file(tmp_path, "plane", lambda arrays: {
        name: np.full_like(array, 1.7e308) if name.startswith("weights.") else array
        for name, array in arrays.items()})
    code, out, err = run(capsys, "export", huge, "--torch", tmp_path / "out")
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert str(tmp_path / "out" / "sample.json") in err and "overflow" in err
    assert "1.7e+308" in err and not (tmp_path / "out").exists()
