"""A network handed to PyTorch: its weights as safetensors, a ``model.py`` and a sample.

``export_torch`` writes three files into one folder:

- ``model.safetensors``: the parameters under the names ``nn.Sequential`` gives them
  (``"0.weight"``, ``"0.bias"``, ``"2.weight"``, ...: Linear modules at even indices, each
  followed by its activation module), in ``nn.Linear``'s layout. This project computes
  ``a @ w + b`` with ``w`` of shape (in, out); ``nn.Linear`` computes ``a @ weight.T + bias``
  with ``weight`` of shape (out, in), so ``weight = w.T``.
- ``model.py``: a standalone script whose ``load(path)`` builds the ``nn.Sequential`` in
  float64 and loads the weights; run as a script it prints the outputs for the sample.
- ``sample.json``: up to 16 input rows as the network sees them (after features and
  standardisation) and this project's outputs for them, so the receiver can check the port.

Only ``safetensors`` is needed to write them (imported here, lazily); PyTorch is needed only
to load them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..engine.network import Network
from ..explain.notes.sections import network_from_snapshot
from ..files import WouldOverwrite
from ..whole_folder import write_together

SAMPLE_ROWS = 16
FILES = ("model.safetensors", "model.py", "sample.json")

TORCH_MODULES = {  # the engine's activation name: the torch module that computes it
    "sigmoid": "nn.Sigmoid()",
    "tanh": "nn.Tanh()",
    "relu": "nn.ReLU()",
    "linear": "nn.Identity()",
    "softmax": "nn.Softmax(dim=1)",
}


class FolderNotEmpty(WouldOverwrite):
    """The export folder holds files and the caller did not allow replacing them."""

    def __init__(self, path: Path) -> None:
        FileExistsError.__init__(self, f"{path}: the folder holds files; not replaced")
        self.path = path


def torch_state(network: Network) -> dict[str, np.ndarray]:
    """The parameters of ``network`` as the state dict of the ``nn.Sequential`` of
    ``model.py``: ``"{2l}.weight"`` = w(l+1).T of shape (out, in) and ``"{2l}.bias"`` of
    shape (out,) (only when the network has biases), contiguous float64 copies."""
    state = {}
    for layer, (w, b) in enumerate(zip(network.weights, network.biases)):
        state[f"{2 * layer}.weight"] = np.ascontiguousarray(np.asarray(w).T, dtype=np.float64)
        if network.bias:
            state[f"{2 * layer}.bias"] = np.array(b, dtype=np.float64)
    return state


def sample_rows(inputs: np.ndarray, rows: int = SAMPLE_ROWS) -> np.ndarray:
    """At most ``rows`` rows of ``inputs``, evenly spaced from the first (so a sorted data
    set contributes every class)."""
    inputs = np.asarray(inputs, dtype=np.float64)
    every = max(1, -(-len(inputs) // rows))
    return inputs[::every]


def _cost_comment(network: Network) -> list[str]:
    """Comment lines on how this network was trained, for the receiver who trains on."""
    output = network.output_activation
    if network.loss_name == "mse":
        lines = ["# Trained on C = the squared error summed over the outputs, averaged over the",
                 "# samples: nn.MSELoss(reduction=\"sum\")(model(x), y) / len(x)."]
    elif output == "softmax":
        lines = ["# Trained with cross-entropy. nn.CrossEntropyLoss wants the logits, not these",
                 "# probabilities: train model[:-1] (without this Softmax), e.g.",
                 "# nn.CrossEntropyLoss()(model[:-1](x), y) with y one-hot or class indices."]
    else:
        lines = ["# Trained with binary cross-entropy on each output. nn.BCEWithLogitsLoss wants",
                 "# the logits: train model[:-1] (without this Sigmoid), e.g.",
                 "# nn.BCEWithLogitsLoss(reduction=\"sum\")(model[:-1](x), y) / len(x)."]
    if network.penalty is not None and network.penalty_rate > 0:
        term = "|w|" if network.penalty == "l1" else "w^2"
        lines.append(f"# Plus the penalty {network.penalty_rate:g} * sum of {term} over the "
                     f"weights (not the biases).")
    return lines


def model_source(network: Network, about: str = "") -> str:
    """The text of ``model.py`` for ``network``: ``load(path) -> nn.Sequential`` in float64,
    and a ``__main__`` that loads ``model.safetensors`` and prints the sample's outputs.

    Only whole numbers and this module's own tables are written as code; ``about`` (text
    from a preset file: "xor, epoch 500") is written as one string literal, ``ABOUT``.
    """
    sizes = [int(size) for size in network.sizes]
    names = [network.activation] * (len(sizes) - 2) + [network.output_activation]
    modules = []
    for layer, name in enumerate(names):
        bias = "" if network.bias else ", bias=False"
        modules.append(f"        nn.Linear({sizes[layer]}, {sizes[layer + 1]}{bias}, "
                       f"dtype=torch.float64),")
        if layer == len(names) - 1:
            modules.extend("        " + line for line in _cost_comment(network))
        modules.append(f"        {TORCH_MODULES[name]},")
    return f'''"""A backprop-tui network for PyTorch (ABOUT says which).

    pip install torch safetensors
    python model.py      # loads model.safetensors and prints the outputs for sample.json

model.safetensors holds the weights in nn.Linear's layout: weight of shape (out, in), so
each Linear computes x @ weight.T + bias (backprop-tui writes a @ w + b, w = weight.T).
"""

import json
from pathlib import Path

import torch
from safetensors.torch import load_file
from torch import nn

ABOUT = {str(about)!r}
LAYERS = {sizes!r}


def load(path) -> nn.Sequential:
    """The network with the weights saved in ``path`` (model.safetensors), in float64."""
    model = nn.Sequential(
{chr(10).join(modules)}
    )
    model.load_state_dict(load_file(path))
    return model.eval()


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    model = load(here / "model.safetensors")
    sample = json.loads((here / "sample.json").read_text())
    with torch.no_grad():
        outputs = model(torch.tensor(sample["inputs"], dtype=torch.float64))
    torch.set_printoptions(precision=8)
    print(ABOUT, "-".join(map(str, LAYERS)))
    print(outputs)
    expected = torch.tensor(sample["outputs"], dtype=torch.float64)
    print(f"largest difference from sample.json: {{(outputs - expected).abs().max().item():.1e}}")
'''


def _check_folder(directory: Path, replace: bool) -> None:
    """Refuse a ``directory`` that is not a folder, or one holding files unless ``replace``."""
    if directory.exists() and not directory.is_dir():
        raise NotADirectoryError(f"{directory}: not a folder")
    if not replace and directory.is_dir() and any(directory.iterdir()):
        raise FolderNotEmpty(directory)


def export_torch(network: Network, inputs, directory: Path | str, replace: bool = False,
                 about: str = "") -> list[Path]:
    """Write ``network`` for PyTorch into the folder ``directory``; returns the files written.

    Writes ``model.safetensors``, ``model.py`` and ``sample.json`` (see the module docstring),
    the sample being up to 16 evenly spaced rows of ``inputs`` (the network's input rows) and
    the network's outputs for them; ``about`` (e.g. "xor, epoch 500") heads ``model.py``.
    The folder is created if missing. One that holds any file raises ``FolderNotEmpty`` (a
    ``WouldOverwrite``) unless ``replace`` is true; then the three files are replaced and
    other files left alone. The three are written whole or not at all: one that cannot be
    written raises ``NotWritten`` (an ``OSError``) naming it, and the folder stays as it was.
    Raises ``ValueError`` if a parameter is NaN or infinite, or the sample's outputs are.
    """
    from safetensors.numpy import save

    directory = Path(directory)
    if not all(np.isfinite(p).all() for p in network.parameters()):
        raise ValueError("cannot export the network: some weights are NaN or infinite "
                         "(the run diverged)")
    X = sample_rows(inputs)
    if X.ndim != 2 or X.shape[1] != network.sizes[0] or not np.isfinite(X).all():
        raise ValueError(f"inputs: expected rows of {network.sizes[0]} finite values, "
                         f"got shape {X.shape}")
    with np.errstate(all="ignore"):
        outputs = network.forward(X)
    if not np.isfinite(outputs).all():
        raise ValueError(f"{directory / FILES[2]}: the network's outputs for the sample "
                         f"overflow float64 (its largest weight is {_largest(network):.3g}); "
                         f"nothing written")
    sample = {"inputs": X.tolist(), "outputs": outputs.tolist()}
    metadata = {"format": "pt", "source": "backprop-tui",
                "layers": "-".join(map(str, network.sizes)),
                "activations": f"{network.activation},{network.output_activation}",
                "loss": network.loss_name}
    contents = [save(torch_state(network), metadata=metadata),
                model_source(network, about).encode("utf-8"),
                (json.dumps(sample, allow_nan=False) + "\n").encode("utf-8")]
    _check_folder(directory, replace)
    return write_together(directory, dict(zip(FILES, contents)))


def _largest(network: Network) -> float:
    """The largest magnitude among ``network``'s parameters."""
    return max(float(np.abs(p).max(initial=0.0)) for p in network.parameters())


def session_network(session) -> tuple[Network, np.ndarray, str]:
    """The network of a ``Session`` now (a copy), its training inputs and a description
    ("xor, epoch 500"), read through the session's public snapshot."""
    snapshot = session.snapshot()
    try:
        network = network_from_snapshot(snapshot, session.preset)
    except ValueError:
        raise ValueError("the network changed while exporting; try again") from None
    return network, snapshot.X_train, f"{snapshot.preset_name}, epoch {snapshot.epoch}"


def export_session_torch(session, directory: Path | str, replace: bool = False) -> list[Path]:
    """``export_torch`` for a ``Session``'s network as it is now, sampled on its training
    inputs: what the app's palette calls. Errors as for ``export_torch``."""
    network, inputs, about = session_network(session)
    return export_torch(network, inputs, directory, replace, about)


def export_file_torch(source: Path | str, directory: Path | str,
                      replace: bool = False) -> str:
    """``python -m core export SOURCE --torch DIR``: export a saved session (a ``.npz``
    file) or a preset's untrained network (a built-in name or ``.toml``); returns the
    one-line report. A bad file raises ``SessionFileError`` or ``PresetError``; a folder
    holding files without ``replace`` raises ``ValueError`` naming it."""
    from .session import Session

    session = Session.open(source) if str(source).lower().endswith(".npz") else Session(source)
    try:
        network, inputs, about = session_network(session)
    finally:
        session.close()
    try:
        paths = export_torch(network, inputs, directory, replace, about)
    except FolderNotEmpty as error:
        raise ValueError(f"{error.path}: the folder holds files; pass --replace to write "
                         f"{', '.join(FILES)} into it anyway") from None
    return f"{about}: wrote {', '.join(str(p) for p in paths)}"
