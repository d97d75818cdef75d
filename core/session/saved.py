"""Session files: a saved training session in one ``.npz`` archive.

The archive holds the arrays (weights, biases, optimizer state, histories) and one JSON
document, ``meta``, with a format name and version, the preset's TOML text, the counters and
the settings. Files are written atomically (``core.files.atomic_write``).

Reading trusts nothing (``core.session.archive``): the file must be a regular file within
``MAX_SESSION_BYTES``; every member must be a ``.npy`` array of an expected name, and its
declared shape and type must be exactly what the saved preset's network gives it before any
array is read; then values the program never writes (NaN in the history, a negative Adam
step count) are refused. Any fault raises ``SessionFileError``, one line naming the file.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..checks import is_integer, is_number
from ..confinement import OutsideFolder, confine
from ..data.datasets import Dataset
from ..engine.network import Network
from ..engine.optimizers import OPTIMIZERS, check_learning_rate, make_optimizer
from ..files import WouldOverwrite, atomic_write, check_replaceable
from ..limits import MAX_HIDDEN_LAYERS, MAX_PRESET_BYTES, MAX_SESSION_BYTES
from ..presets.schema import Preset, builtin_dir, parse_preset
from ..presets.validation import PresetError
from ..text import excerpt, quoted
from .archive import ArchiveError, Member, NpzArchive
from .history import CAPACITY

FORMAT = "backprop-tui session"
VERSION = 1
_GROUPS = ("weights", "biases", "optimizer_state", "history", "test_history")
_MAX_LAYERS = MAX_HIDDEN_LAYERS + 1
MAX_MEMBERS = 1 + 2 * _MAX_LAYERS + (1 + 4 * _MAX_LAYERS) + 2 * 4
"""The most arrays a session file holds: meta, weights and biases, Adam's step count and
moments, and the two histories' four arrays."""
_META_BYTES = 4 * (6 * MAX_PRESET_BYTES + (1 << 16))
"""The largest metadata array: JSON escapes a character into at most 6, and numpy stores
text in 4 bytes a character."""
_HISTORY_KEYS = ("x", "y", "count", "width")
_EPOCH_LIMIT = 2**53    # epochs are recorded as float64


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
    preset: Preset | None = field(default=None, compare=False, repr=False)
    """The saved preset parsed, when the session was read from a file (not written)."""

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
    def read(cls, path: Path | str, root: Path | str | None = None) -> SavedSession:
        """The session saved in ``path`` (``SessionFileError`` if it is not a whole, valid
        session file of this format version).

        With ``root`` (a served app's folder), ``path`` and the CSV file its preset names
        must be inside ``root`` (the data may also be a built-in preset's), else
        ``SessionFileError``; a preset file it names outside is forgotten (``preset_path``
        None), the preset being saved whole in the session.
        """
        try:
            if root is not None:
                path = confine(Path(path).absolute(), root)
            with NpzArchive(path, MAX_SESSION_BYTES, MAX_MEMBERS) as archive:
                return _read(cls, path, archive, root)
        except OutsideFolder as error:
            raise SessionFileError(str(error)) from None
        except FileNotFoundError:
            raise _error(path, "no such file") from None
        except ArchiveError as error:
            raise _error(path, str(error)) from None
        except OSError as error:
            raise _error(path, f"cannot read: {error.strerror or error}") from None


def replaceable_session(path: Path | str) -> bool:
    """Whether ``path`` holds a session file that may be replaced (True) or nothing (False);
    ``SessionFileError`` if it holds anything else, which is never replaced unasked."""
    try:
        if not check_replaceable(path):
            return False
    except OSError as error:
        raise _error(path, f"{error.strerror}; not replaced") from None
    try:
        with NpzArchive(path, MAX_SESSION_BYTES, MAX_MEMBERS) as archive:
            meta = archive.members.get("meta")
            if meta is not None and _is_text(meta):
                _meta(path, archive.read("meta"))
                return True
    except (OSError, ValueError):
        pass
    raise _error(path, "holds a file that is not a saved session; not replaced")


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
    state = {key: np.shape(value) for key, value in saved.optimizer_state.items()}
    if state not in _optimizer_shapes(saved.optimizer, [p.shape for p in net.parameters()]):
        raise _error(path, f"optimizer state: does not fit {saved.optimizer} on this network")


def _optimizer_shapes(name: str, shapes: list[tuple[int, ...]]) -> list[dict]:
    """The keys and shapes of optimizer ``name``'s state for parameters of ``shapes``: before
    its first step, and after some."""
    fresh = make_optimizer(name)
    states = [{key: np.shape(value) for key, value in fresh.state().items()}]
    fresh.step([np.zeros(shape) for shape in shapes], [np.zeros(shape) for shape in shapes], 0.0)
    states.append({key: np.shape(value) for key, value in fresh.state().items()})
    return states


def _read(cls: type[SavedSession], path: Path | str, archive: NpzArchive,
          root: Path | str | None) -> SavedSession:
    """Check ``archive``'s members against its saved preset, then read and check them
    (``SavedSession.read`` says what ``root`` changes)."""
    members = dict(archive.members)
    meta_member = members.pop("meta", None)
    if meta_member is None or not _is_text(meta_member):
        raise _error(path, "not a backprop-tui session file (no metadata)")
    meta = _meta(path, archive.read("meta"))
    fields = {key: _field(path, meta, key) for key in _FIELDS}
    if root is not None and fields["preset_path"] is not None:
        try:
            confine(fields["preset_path"], root, also=[builtin_dir()])
        except OutsideFolder:
            fields["preset_path"] = None
    preset_path = fields["preset_path"]
    try:
        preset = parse_preset(fields["preset_toml"], "saved preset",
                              path=None if preset_path is None else Path(preset_path), root=root)
    except PresetError as error:
        raise _error(path, str(error)) from None
    groups: dict[str, dict[str, Member]] = {group: {} for group in _GROUPS}
    for name, member in members.items():
        group, _, key = name.partition(".")
        if group not in groups or not key:
            raise _error(path, f"unexpected array {quoted(name)}")
        groups[group][key] = member
    sizes = preset.layers
    shapes = {"weights": list(itertools.pairwise(sizes)), "biases": [(n,) for n in sizes[1:]]}
    for group, expected in shapes.items():
        _check_layers(path, groups[group], group, expected, sizes)
    _check_optimizer(path, groups["optimizer_state"], fields["optimizer"],
                     shapes["weights"] + shapes["biases"])
    _check_history(path, groups["history"], "history", len(sizes))
    _check_history(path, groups["test_history"], "test_history", 1)

    arrays = {group: {key: archive.read(f"{group}.{key}") for key in groups[group]}
              for group in _GROUPS}
    _check_optimizer_values(path, arrays["optimizer_state"], fields["optimizer"])
    for group in ("history", "test_history"):
        _check_history_values(path, arrays[group], group, fields["epoch"])
    layers = len(sizes) - 1
    return cls(**fields, weights=tuple(arrays["weights"][str(i)] for i in range(layers)),
               biases=tuple(arrays["biases"][str(i)] for i in range(layers)),
               optimizer_state=arrays["optimizer_state"], history=arrays["history"],
               test_history=arrays["test_history"], preset=preset)


def _is_text(member: Member) -> bool:
    return member.shape == () and member.dtype.kind == "U" and \
        member.dtype.itemsize <= _META_BYTES


def _is_float64(member: Member) -> bool:
    return member.dtype.kind == "f" and member.dtype.itemsize == 8


def _is_integer(member: Member) -> bool:
    return member.dtype.kind in "iu" and member.shape == ()


def _check_float64(path: Path | str, group: str, members: dict[str, Member]) -> None:
    for key, member in members.items():
        if not _is_float64(member):
            raise _error(path, f"{group}.{key}: expected float64 numbers, got {member.dtype}")


def _check_layers(path: Path | str, members: dict[str, Member], group: str,
                  expected: list[tuple[int, ...]], sizes: tuple[int, ...]) -> None:
    """The weight matrices or bias vectors: numbered 0 to n-1, of the preset's shapes."""
    numbered = [str(i) for i in range(len(members))]
    if sorted(members) != sorted(numbered):
        got = ", ".join(quoted(key, 8) for key in sorted(members)[:12])
        raise _error(path, f"{group}: expected arrays numbered 0 to n-1, got [{got}]")
    got_shapes = [members[key].shape for key in numbered]
    if got_shapes != expected:
        raise _error(path, f"{group}: expected shapes {expected} for layers {list(sizes)}, "
                           f"got {excerpt(str(got_shapes), 120)}")
    _check_float64(path, group, members)


def _check_optimizer(path: Path | str, members: dict[str, Member], name: str,
                     shapes: list[tuple[int, ...]]) -> None:
    """The optimizer state: the arrays of optimizer ``name`` for parameters of ``shapes``,
    before its first step or after some."""
    if {key: member.shape for key, member in members.items()} not in \
            _optimizer_shapes(name, shapes):
        raise _error(path, f"optimizer state: does not fit {name} on this network")
    for key, member in members.items():
        fits = _is_integer(member) if key == "t" else _is_float64(member)
        if not fits:
            raise _error(path, f"optimizer_state.{key}: expected "
                               f"{'an integer' if key == 't' else 'float64 numbers'}, "
                               f"got {member.dtype}")


def _check_optimizer_values(path: Path | str, state: dict[str, np.ndarray], name: str) -> None:
    """Adam's step count t: 0 before its first step, from 1 on after; its second moments v
    are never negative."""
    if name != "adam":
        return
    steps = int(state["t"])
    moments = any(key != "t" for key in state)
    if steps < 0 or (steps == 0) == moments:
        raise _error(path, f"optimizer state: Adam's step count t: expected "
                           f"{'an integer >= 1' if moments else '0 before the first step'}, "
                           f"got {steps}")
    if any(key.startswith("v") and not (value >= 0).all() for key, value in state.items()):
        raise _error(path, "optimizer state: Adam's second moments v: negative or NaN values")


def _check_history(path: Path | str, members: dict[str, Member], group: str,
                   columns: int) -> None:
    """A history's arrays (``History.state``): x, y and count of n <= CAPACITY rows of
    ``columns`` values, and the integer width."""
    for key in _HISTORY_KEYS:
        if key not in members:
            raise _error(path, f"{group}: missing array {key!r}")
    for key in members:
        if key not in _HISTORY_KEYS:
            raise _error(path, f"unexpected array {quoted(f'{group}.{key}')}")
    x, y, count = (members[key].shape for key in ("x", "y", "count"))
    n = x[0] if len(x) == 1 else -1
    if not 0 <= n <= CAPACITY or y != (n, columns) or count != (n,):
        raise _error(path, f"{group}: expected at most {CAPACITY} rows of {columns} values, "
                           f"got shapes {x} and {y}")
    width = members["width"]
    if not _is_integer(width):
        raise _error(path, f"{group}: width: expected an integer >= 1, got shape "
                           f"{width.shape} of {width.dtype}")
    _check_float64(path, group, {key: members[key] for key in ("x", "y", "count")})


def _check_history_values(path: Path | str, arrays: dict[str, np.ndarray], group: str,
                          epoch: int) -> None:
    """What a history holds: ascending epochs up to the saved one, whole counts >= 1, no
    NaN, a width >= 1."""
    x, y, count = arrays["x"], arrays["y"], arrays["count"]
    if not (np.all(x >= 0) and np.all(x <= epoch) and np.all(np.diff(x) >= 0)):
        raise _error(path, f"{group}: x: expected ascending epochs from 0 to {epoch}")
    if not (np.all(count >= 1) and np.all(count <= _EPOCH_LIMIT)
            and np.all(count == np.round(count))):
        raise _error(path, f"{group}: count: expected whole numbers >= 1")
    if np.isnan(y).any():
        raise _error(path, f"{group}: y: NaN values, which this program never writes")
    if int(arrays["width"]) < 1:
        raise _error(path, f"{group}: width: expected an integer >= 1, "
                           f"got {int(arrays['width'])}")


def _meta(path: Path | str, array: np.ndarray) -> dict:
    try:
        meta = json.loads(str(array[()]))
    except (ValueError, RecursionError) as error:
        raise _error(path, f"corrupted metadata ({excerpt(str(error), 80)})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise _error(path, "not a backprop-tui session file")
    if meta.get("version") != VERSION:
        raise _error(path, f"session format version {excerpt(repr(meta.get('version')))} is "
                           f"not supported (this program reads version {VERSION})")
    return meta


def _is_count(value) -> bool:
    return is_integer(value) and 0 <= value <= _EPOCH_LIMIT


def _is_path(value) -> bool:
    return value is None or (isinstance(value, str) and "\0" not in value and len(value) <= 4096)


def _is_learning_rate(value) -> bool:
    try:
        check_learning_rate(value)
    except ValueError:
        return False
    return True


_FIELDS = {  # key in meta: (what is expected, test)
    "preset_toml": ("TOML text", lambda v: isinstance(v, str)),
    "preset_path": ("a path or null", _is_path),
    "data_digest": ("a digest", lambda v: isinstance(v, str) and len(v) <= 64),
    "seed": ("an integer >= 0", lambda v: is_integer(v) and v >= 0),
    "epoch": ("an integer from 0 to 2^53", _is_count),
    "batch": ("an integer from 0 to 2^53", _is_count),
    "epoch_cost": ("a finite number >= 0", lambda v: is_number(v) and math.isfinite(v) and v >= 0),
    "learning_rate": ("a number > 0", _is_learning_rate),
    "optimizer": (f"one of {', '.join(OPTIMIZERS)}", lambda v: v in OPTIMIZERS),
}
_FLOATS = ("epoch_cost", "learning_rate")


def _field(path: Path | str, meta: dict, key: str):
    expected, test = _FIELDS[key]
    value = meta.get(key)
    if not test(value):
        raise _error(path, f"{key}: expected {expected}, got {excerpt(repr(value))}")
    return float(value) if key in _FLOATS else value
