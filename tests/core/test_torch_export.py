"""`core export --torch`: what someone carrying a network into PyTorch receives and checks.

Without torch: the safetensors file against the session's weights, the sample against the
engine, the folder rules. With torch: model.py's network reproduces the engine's outputs.
"""

import importlib.util
import json
import subprocess
import sys

import numpy as np
import pytest
from safetensors.numpy import load_file

from core.cli import main
from core.engine.activations import HIDDEN_ACTIVATIONS
from core.engine.network import Network
from core.presets.schema import load_preset
from core.session.torch_export import FolderNotEmpty, export_torch

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
        session.save(path)
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
