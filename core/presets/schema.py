"""Presets: a whole experiment in one small TOML file.

A preset names its data, the network's shape and the training settings, and tells the
learner what to watch. ``presets/README.md`` documents the schema. Every malformed preset
raises ``PresetError`` with a one-line message naming the file, the key and what was expected
(``core.presets.validation`` checks the keys).
"""

from __future__ import annotations

import json
import re
import textwrap
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..confinement import OutsideFolder, confine
from ..data.datasets import DataError, Dataset
from ..engine.network import Network
from ..files import read_regular, size_text
from ..limits import MAX_PRESET_BYTES
from ..text import excerpt, shown_path
from .sources import DataSpec, prepared_data
from .validation import FIELD_SECTIONS, PresetError, check_document, did_you_mean

BUILTIN_ORDER = ("twice", "or", "and", "nand", "chain", "xor", "fork", "deep-chain",
                 "adder", "parity", "circle", "quadrants", "gaussians", "spiral", "moons",
                 "sine", "plane", "iris", "digits")


@dataclass(frozen=True)
class Preset:
    """One experiment: data, network and training settings, and what to watch.

    ``path`` is the file it was read from (None for text); it does not take part in equality.
    """

    name: str
    title: str
    description: str
    path: Path | None = field(compare=False)
    data: DataSpec
    layers: tuple[int, ...]
    activation: str
    output_activation: str
    loss: str
    bias: bool
    init: str
    optimizer: str
    learning_rate: float
    batch_size: int
    epochs: int
    target_loss: float
    seed: int
    test_fraction: float
    penalty: str | None
    penalty_rate: float
    pace: int | None = None        # epochs/s a free run keeps; None: as fast as it goes

    @property
    def source(self) -> str:
        """How error messages name this preset: its file, else its name."""
        return str(self.path) if self.path else self.name

    def build_network(self, seed: int | None = None) -> Network:
        """A freshly initialised network for this preset (from ``seed``, default its own)."""
        return Network(self.layers, activation=self.activation,
                       output_activation=self.output_activation, loss=self.loss, bias=self.bias,
                       init=self.init, seed=self.seed if seed is None else seed,
                       penalty=self.penalty, penalty_rate=self.penalty_rate)

    def load_data(self) -> Dataset:
        """The preset's data, split into training and test rows from its seed and standardised
        if asked. Cached: loading the same data again costs nothing."""
        try:
            return prepared_data(self.data, self.test_fraction, self.seed)
        except DataError as error:
            raise PresetError(f"{self.source}: [data].{error.field}: {error}",
                              error.field, "data") from None

    def replace(self, **changes: Any) -> Preset:
        """A copy with some fields changed (any field but ``path``), validated like a file."""
        document = self.document()
        for key, value in changes.items():
            if key == "data":
                document["data"] = value.to_table()
            elif key in FIELD_SECTIONS:
                section = FIELD_SECTIONS[key]
                target = document[section] if section else document
                none = {"penalty": "none", "pace": "max"}.get(key)
                target[key] = none if value is None and none else value
            else:
                raise PresetError(f"{self.source}: {key}: not a preset field"
                                  f"{did_you_mean(key, [*FIELD_SECTIONS, 'data'])}", key)
        return _build(document, self.source, self.path)

    def document(self) -> dict[str, Any]:
        """The preset as the nested tables of its TOML file."""
        return {
            "name": self.name, "title": self.title, "description": self.description,
            "data": self.data.to_table(),
            "model": {"layers": list(self.layers), "activation": self.activation,
                      "output_activation": self.output_activation, "loss": self.loss,
                      "bias": self.bias, "init": self.init},
            "training": {"optimizer": self.optimizer, "learning_rate": self.learning_rate,
                         "batch_size": self.batch_size, "epochs": self.epochs,
                         "target_loss": self.target_loss, "seed": self.seed,
                         "test_fraction": self.test_fraction,
                         "penalty": self.penalty or "none", "penalty_rate": self.penalty_rate,
                         **({} if self.pace is None else {"pace": self.pace})},
        }

    def to_toml(self) -> str:
        """The preset as TOML text that parses back to an equal preset.

        A CSV file is referenced by its absolute path, so the text works wherever it is saved.
        """
        document = self.document()
        document["description"] = "\n\n".join(
            textwrap.fill(paragraph, 92, break_long_words=False, break_on_hyphens=False)
            for paragraph in self.description.split("\n\n"))
        lines = [f"{key} = {_toml_value(document[key])}"
                 for key in ("name", "title", "description")]
        for section in ("data", "model", "training"):
            lines += ["", f"[{section}]"]
            lines += [f"{key} = {_toml_value(value)}" for key, value in document[section].items()]
        return "\n".join(lines) + "\n"


def _build(document: dict[str, Any], source: str, path: Path | None,
           folders: tuple[Path, ...] = ()) -> Preset:
    return Preset(path=path, **check_document(document, source, path, folders))


def _readable(root: Path | str | None) -> tuple[Path, ...]:
    """The folders a preset read for an app kept to ``root`` takes its data from: ``root``
    and the built-in presets' folder (none: anywhere, when ``root`` is None)."""
    return () if root is None else (Path(root), builtin_dir())


# --- writing TOML -----------------------------------------------------------------------

def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    items = [_toml_value(item) for item in value]
    if any(isinstance(item, (list, tuple)) for item in value):
        return "[\n" + "".join(f"    {item},\n" for item in items) + "]"
    return "[" + ", ".join(items) + "]"


def _toml_string(text: str) -> str:
    if "\n" not in text or re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text):
        return json.dumps(text, ensure_ascii=False)
    escaped = text.replace("\\", "\\\\").replace('"""', '""\\"')
    return f'"""\n{escaped}\n"""'


# --- finding presets --------------------------------------------------------------------

def parse_preset(text: str, source: str = "<string>", *, path: Path | None = None,
                 root: Path | str | None = None) -> Preset:
    """A preset from TOML text. ``source`` names it in error messages; ``path`` is the file
    the text came from (relative CSV paths start from its folder, the name defaults to its
    stem). Text over ``MAX_PRESET_BYTES`` characters is refused before it is parsed. With
    ``root`` (a served app's folder) a CSV file is read only inside ``root`` or among the
    built-in presets; one elsewhere is a ``PresetError`` on ``[data].csv``."""
    if len(text) > MAX_PRESET_BYTES:
        raise PresetError(f"{source}: too large: more than {size_text(MAX_PRESET_BYTES)} "
                          f"of TOML")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PresetError(f"{source}: invalid TOML: {error}") from None
    except RecursionError:
        raise PresetError(f"{source}: invalid TOML: nested too deep") from None
    except ValueError as error:       # e.g. an integer of more than 4,300 digits
        raise PresetError(f"{source}: invalid TOML: {excerpt(str(error), 80)}") from None
    return _build(document, source, path, _readable(root))


def builtin_dir() -> Path:
    """The folder of the built-in presets (inside the installed package, else the source tree)."""
    core_dir = Path(__file__).parent.parent
    installed = core_dir / "builtin_presets"
    return installed if installed.is_dir() else core_dir.parent / "presets"


def _read_file(path: Path, root: Path | str | None = None) -> Preset:
    shown = shown_path(path)
    try:
        text = read_regular(path, MAX_PRESET_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise PresetError(f"{shown}: no such preset file") from None
    except OSError as error:
        raise PresetError(f"{shown}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise PresetError(f"{shown}: cannot read: not UTF-8 text ({error.reason} at byte "
                          f"{error.start})") from None
    return parse_preset(text, shown, path=path.absolute(), root=root)


def builtin_presets() -> list[Preset]:
    """Every built-in preset: the notes' presets in the notes' order, then the classics."""
    order = {name: i for i, name in enumerate(BUILTIN_ORDER)}
    presets = [_read_file(file) for file in builtin_dir().glob("*.toml")]
    return sorted(presets, key=lambda p: (order.get(p.name, len(order)), p.name))


def load_preset(name_or_path: str | Path, root: Path | str | None = None) -> Preset:
    """A built-in preset by name (``"xor"``), or the preset in a ``.toml`` file.

    With ``root`` (a served app's folder), the file and the CSV file it names are read only
    inside ``root`` (``core.confinement``: links and ``..`` are followed) or among the
    built-in presets; a path elsewhere is a ``PresetError``.
    """
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or text.endswith(".toml") or "/" in text or "\\" in text:
        path = Path(name_or_path)
        if root is not None:
            try:
                path = confine(path.absolute(), root, also=[builtin_dir()])
            except OutsideFolder as error:
                raise PresetError(str(error)) from None
        return _read_file(path, root)
    names = sorted(p.stem for p in builtin_dir().glob("*.toml"))
    if text in names:
        return _read_file(builtin_dir() / f"{text}.toml", root)
    raise PresetError(f"{excerpt(text)}: unknown preset{did_you_mean(text, names)} "
                      f"(built-in: {', '.join(names)}; or give a path to a .toml file)")
