"""Session files: a saved training session in one ``.npz`` archive.

The archive holds the arrays (weights, biases, optimizer state, histories) and one JSON
document, ``meta``, with a format name and version, the preset's TOML text, the counters and
the settings. Files are written atomically (``core.files.atomic_write``). Reading checks the
whole structure first; any fault raises ``SessionFileError``, one line naming the file.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..data.datasets import Dataset
from ..engine.network import Network
from ..engine.optimizers import OPTIMIZERS, check_learning_rate, make_optimizer
from ..files import WouldOverwrite, atomic_write

FORMAT = "backprop-tui session"
VERSION = 1
_GROUPS = ("weights", "biases", "optimizer_state", "history", "test_history")


class SessionFileError(ValueError):
    """A session file that cannot be read, written or used; the message is one line that
    names the file and what is wrong with it."""


def _error(path: Path | str, what: str) -> SessionFileError:
    return SessionFileError(f"{path}: {what}")


@dataclass(frozen=True)
class SavedSession:
    """Everything needed to resume a session exactly where it was saved.

    ``batch`` and ``epoch_cost`` describe a partly trained epoch (batches done, sum of their
    costs); ``data_digest`` identifies the data the weights were trained on.
    """

    preset_toml: str
    preset_path: str | None
    data_digest: str
    seed: int
    epoch: int
    batch: int
    epoch_cost: float
    learning_rate: float
    optimizer: str
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    optimizer_state: dict[str, np.ndarray]
    history: dict[str, np.ndarray]
    test_history: dict[str, np.ndarray]

    def write(self, path: Path | str, overwrite: bool = False) -> Path:
        """Write the session to ``path`` atomically; returns the path.

        Raises ``WouldOverwrite`` if the file exists and ``overwrite`` is false, and
        ``SessionFileError`` if the file cannot be written.
        """
        meta = {"format": FORMAT, "version": VERSION}
        meta.update({key: getattr(self, key) for key in _FIELDS})
        arrays = {"meta": np.array(json.dumps(meta))}
        for group in _GROUPS:
            members = getattr(self, group)
            if isinstance(members, tuple):
                members = {str(i): array for i, array in enumerate(members)}
            arrays.update({f"{group}.{key}": array for key, array in members.items()})
        try:
            return atomic_write(path, lambda file: np.savez(file, **arrays), overwrite)
        except WouldOverwrite:
            raise
        except OSError as error:
            if error.strerror is None:      # core.files says what and where itself
                raise SessionFileError(str(error)) from None
            raise _error(path, f"cannot write: {error.strerror}") from None

    @classmethod
    def read(cls, path: Path | str) -> SavedSession:
        """The session saved in ``path`` (``SessionFileError`` if it is not a whole, valid
        session file of this format version)."""
        arrays = _load_arrays(path)
        meta = _meta(path, arrays.pop("meta", None))
        groups: dict[str, dict[str, np.ndarray]] = {group: {} for group in _GROUPS}
        for name, array in arrays.items():
            group, _, key = name.partition(".")
            if group not in groups or not key:
                raise _error(path, f"unexpected array {name!r}")
            if array.dtype.kind not in "fiu":
                raise _error(path, f"{name}: expected numbers, got {array.dtype}")
            groups[group][key] = array
        weights = _layers(path, groups["weights"], "weights", 2)
        biases = _layers(path, groups["biases"], "biases", 1)
        if len(biases) != len(weights):
            raise _error(path, f"expected as many bias vectors as weight matrices, "
                               f"got {len(biases)} and {len(weights)}")
        return cls(**{key: _field(path, meta, key) for key in _FIELDS}, weights=weights,
                   biases=biases, optimizer_state=groups["optimizer_state"],
                   history=groups["history"], test_history=groups["test_history"])


def data_digest(data: Dataset) -> str:
    """A short fingerprint of a dataset, so a session is resumed on the data it was saved with."""
    digest = hashlib.sha256()
    for array in (data.X_train, data.Y_train, data.X_test, data.Y_test):
        digest.update(repr(array.shape).encode())
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()[:16]


def check_fit(saved: SavedSession, path: Path | str, net: Network, data: Dataset,
              batches_per_epoch: int) -> None:
    """Raise ``SessionFileError`` unless ``saved`` can resume training ``net`` on ``data``:
    parameter shapes, finite values, the same data, the batch counter, the optimizer state."""
    for name, live, stored in (("weights", net.weights, saved.weights),
                               ("biases", net.biases, saved.biases)):
        expected, got = [a.shape for a in live], [a.shape for a in stored]
        if got != expected:
            raise _error(path, f"{name}: expected shapes {expected} for layers "
                               f"{list(net.sizes)}, got {got}")
    if not all(np.isfinite(a).all() for a in saved.weights + saved.biases):
        raise _error(path, "parameters: NaN or infinite values")
    if not all(np.isfinite(a).all() for a in saved.optimizer_state.values()):
        raise _error(path, "optimizer state: NaN or infinite values")
    if saved.data_digest != data_digest(data):
        raise _error(path, "the preset's data differ from the data this session was trained on")
    if saved.batch >= batches_per_epoch:
        raise _error(path, f"batch: expected less than {batches_per_epoch} (batches per epoch), "
                           f"got {saved.batch}")
    if not _optimizer_fits(saved.optimizer, saved.optimizer_state, net.parameters()):
        raise _error(path, f"optimizer state: does not fit {saved.optimizer} on this network")


def _optimizer_fits(name: str, state: dict[str, np.ndarray], parameters) -> bool:
    """True if ``state`` has the keys and shapes of optimizer ``name`` for these parameters,
    before its first step or after some."""
    fresh = make_optimizer(name)
    shapes = [{key: np.shape(value) for key, value in fresh.state().items()}]
    fresh.step([p.copy() for p in parameters], [np.zeros_like(p) for p in parameters], 0.0)
    shapes.append({key: np.shape(value) for key, value in fresh.state().items()})
    return {key: np.shape(value) for key, value in state.items()} in shapes


def _load_arrays(path: Path | str) -> dict[str, np.ndarray]:
    try:
        with open(path, "rb") as file:
            magic = file.read(2)
    except FileNotFoundError:
        raise _error(path, "no such file") from None
    except OSError as error:
        raise _error(path, f"cannot read: {error.strerror or error}") from None
    if not magic:
        raise _error(path, "empty file")
    if magic != b"PK":
        raise _error(path, "not a session file (not an .npz archive)")
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except Exception as error:  # zipfile and numpy raise many kinds on damaged bytes
        raise _error(path, f"truncated or corrupted ({error})") from None


def _meta(path: Path | str, array: np.ndarray | None) -> dict:
    if array is None or array.shape != () or array.dtype.kind != "U":
        raise _error(path, "not a backprop-tui session file (no metadata)")
    try:
        meta = json.loads(str(array[()]))
    except json.JSONDecodeError as error:
        raise _error(path, f"corrupted metadata ({error})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise _error(path, "not a backprop-tui session file")
    if meta.get("version") != VERSION:
        raise _error(path, f"session format version {meta.get('version')!r} is not supported "
                           f"(this program reads version {VERSION})")
    return meta


def _layers(path: Path | str, members: dict[str, np.ndarray], group: str,
            ndim: int) -> tuple[np.ndarray, ...]:
    if sorted(members) != [str(i) for i in range(len(members))] or not members:
        raise _error(path, f"{group}: expected arrays numbered 0 to n-1, got {sorted(members)}")
    layers = tuple(members[str(i)].astype(np.float64) for i in range(len(members)))
    for i, array in enumerate(layers):
        if array.ndim != ndim:
            raise _error(path, f"{group}.{i}: expected {ndim} dimensions, got shape {array.shape}")
    return layers


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_learning_rate(value) -> bool:
    try:
        check_learning_rate(value)
    except ValueError:
        return False
    return True


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


_FIELDS = {  # key in meta: (what is expected, test)
    "preset_toml": ("TOML text", lambda v: isinstance(v, str)),
    "preset_path": ("a path or null", lambda v: v is None or isinstance(v, str)),
    "data_digest": ("a digest", lambda v: isinstance(v, str)),
    "seed": ("an integer >= 0", _is_count),
    "epoch": ("an integer >= 0", _is_count),
    "batch": ("an integer >= 0", _is_count),
    "epoch_cost": ("a finite number", _is_number),
    "learning_rate": ("a number > 0", _is_learning_rate),
    "optimizer": (f"one of {', '.join(OPTIMIZERS)}", lambda v: v in OPTIMIZERS),
}
_FLOATS = ("epoch_cost", "learning_rate")


def _field(path: Path | str, meta: dict, key: str):
    expected, test = _FIELDS[key]
    value = meta.get(key)
    if not test(value):
        raise _error(path, f"{key}: expected {expected}, got {value!r}")
    return float(value) if key in _FLOATS else value
