"""Presets: a whole experiment in one small TOML file.

A preset names its data, the network's shape and the training settings, and tells the
learner what to watch. ``presets/README.md`` documents the schema. Every malformed preset
raises ``PresetError`` with a one-line message naming the file, the key and what was expected.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import json
import math
import re
import textwrap
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..data import datasets
from ..data.datasets import GENERATORS, DataError, Dataset
from ..data.features import with_features
from ..engine.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from ..engine.losses import CROSS_ENTROPY_OUTPUTS, LOSSES
from ..engine.network import INITS, Network
from ..engine.optimizers import OPTIMIZERS

BUILTIN_ORDER = ("twice", "or", "and", "nand", "xor", "chain",
                 "adder", "parity", "circle", "quadrants", "gaussians", "spiral", "moons",
                 "sine", "plane", "iris", "digits")
PENALTIES = ("none", "l1", "l2")


class PresetError(ValueError):
    """A preset that cannot be used; the message is one line: file, key, what was expected."""


# --- the [data] section -----------------------------------------------------------------

@dataclass(frozen=True)
class InlineData:
    """Data written into the preset: rows of inputs and rows of targets."""

    inputs: tuple[tuple[float, ...], ...]
    targets: tuple[tuple[float, ...], ...]
    input_names: tuple[str, ...] | None = None
    target_names: tuple[str, ...] | None = None
    task: str | None = None
    standardize: bool = False

    def load(self) -> Dataset:
        """All rows as training rows."""
        return datasets.from_rows(self.inputs, self.targets, self.input_names,
                                  self.target_names, self.task)

    def to_table(self) -> dict[str, Any]:
        """The [data] table that describes this data."""
        def rows(table):
            return [r[0] for r in table] if len(table[0]) == 1 else [list(r) for r in table]
        return _drop_none({"inputs": rows(self.inputs), "targets": rows(self.targets),
                           "input_names": self.input_names, "target_names": self.target_names,
                           "task": self.task, "standardize": self.standardize})


@dataclass(frozen=True)
class GeneratorData:
    """Data drawn by a named generator of ``core.data``; ``params`` holds every argument.

    ``features`` (2-D generators only) replaces the inputs x1, x2 by functions of them
    (``core.features``), one input column each; None keeps x1, x2.
    """

    generator: str
    params: tuple[tuple[str, int | float], ...]
    standardize: bool = False
    features: tuple[str, ...] | None = None

    def load(self) -> Dataset:
        """All generated rows as training rows."""
        dataset = GENERATORS[self.generator](**dict(self.params))
        return dataset if self.features is None else with_features(dataset, self.features)

    def to_table(self) -> dict[str, Any]:
        """The [data] table that describes this data."""
        return _drop_none({"generator": self.generator, **dict(self.params),
                           "standardize": self.standardize,
                           "features": None if self.features is None else list(self.features)})


@dataclass(frozen=True)
class CsvData:
    """Data read from a CSV file (``csv`` is an absolute path)."""

    csv: Path
    targets: str | tuple[str, ...]
    inputs: tuple[str, ...] | None = None
    task: str | None = None
    standardize: bool = False

    def load(self) -> Dataset:
        """All rows of the file as training rows."""
        try:
            return datasets.load_csv(self.csv, self.inputs, self.targets, self.task)
        except DataError as error:
            raise DataError("csv" if error.field == "path" else error.field, str(error)) from None

    def to_table(self) -> dict[str, Any]:
        """The [data] table that describes this data."""
        return _drop_none({"csv": str(self.csv), "inputs": self.inputs, "targets": self.targets,
                           "task": self.task, "standardize": self.standardize})


DataSpec = InlineData | GeneratorData | CsvData


def _drop_none(table: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in table.items() if value is not None}


@functools.lru_cache(maxsize=32)
def _raw_data(spec: DataSpec) -> Dataset:
    return spec.load()


@functools.lru_cache(maxsize=32)
def _prepared_data(spec: DataSpec, test_fraction: float, seed: int) -> Dataset:
    dataset = _raw_data(spec)
    if test_fraction > 0:
        dataset = datasets.split(dataset, test_fraction, seed)
    return datasets.standardize(dataset) if spec.standardize else dataset


# --- the preset -------------------------------------------------------------------------

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
            return _prepared_data(self.data, self.test_fraction, self.seed)
        except DataError as error:
            raise PresetError(f"{self.source}: [data].{error.field}: {error}") from None

    def replace(self, **changes: Any) -> Preset:
        """A copy with some fields changed (any field but ``path``), validated like a file."""
        document = self.document()
        for key, value in changes.items():
            if key == "data":
                document["data"] = value.to_table()
            elif key in _SECTION_OF:
                section = _SECTION_OF[key]
                target = document[section] if section else document
                target[key] = "none" if key == "penalty" and value is None else value
            else:
                raise PresetError(f"{self.source}: {key}: not a preset field"
                                  f"{_did_you_mean(key, [*_SECTION_OF, 'data'])}")
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
                         "penalty": self.penalty or "none", "penalty_rate": self.penalty_rate},
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


_SECTION_OF = {"name": "", "title": "", "description": "",
               **{key: "model" for key in ("layers", "activation", "output_activation", "loss",
                                           "bias", "init")},
               **{key: "training" for key in ("optimizer", "learning_rate", "batch_size",
                                              "epochs", "target_loss", "seed", "test_fraction",
                                              "penalty", "penalty_rate")}}


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


# --- reading and checking ---------------------------------------------------------------

def _did_you_mean(value: str, choices) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


class _Expected(Exception):
    """A value of the wrong kind; the message says what was expected, ``hint`` may suggest
    a correction."""

    def __init__(self, expected: str, hint: str = "") -> None:
        super().__init__(expected)
        self.hint = hint


class _Section:
    """The keys of one TOML table, read with checks; every error names the file and key."""

    def __init__(self, source: str, name: str, table: Any) -> None:
        self.source, self.name = source, name
        if not isinstance(table, dict):
            raise self.error(None, f"expected a table, got {table!r}")
        self.table = table

    def error(self, key: str | None, message: str) -> PresetError:
        """A PresetError for ``key`` of this section (the section itself when key is None)."""
        where = f"[{self.name}]" if self.name else ""
        if key is not None:
            where = f"{where}.{key}" if where else key
        return PresetError(f"{self.source}: {where}: {message}")

    def allow(self, keys) -> None:
        """Reject any key not in ``keys``, suggesting the closest allowed one."""
        for key in self.table:
            if key not in keys:
                what = "section" if isinstance(self.table[key], dict) else "key"
                raise self.error(key, f"unknown {what}{_did_you_mean(key, keys)}")

    def take(self, key: str, check, default: Any = inspect.Parameter.empty) -> Any:
        """The checked value of ``key``, or ``default`` when absent (absent and no default:
        an error)."""
        if key not in self.table:
            if default is inspect.Parameter.empty:
                raise self.error(key, "missing key")
            return default
        value = self.table[key]
        try:
            return check(value)
        except _Expected as expected:
            raise self.error(key, f"expected {expected}, got {_shown(value)}"
                                  f"{expected.hint}") from None


def _shown(value: Any) -> str:
    """A value as the user wrote it in TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_shown(item) for item in value) + "]"
    if isinstance(value, dict):
        return "a table"
    return repr(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text(value):
    if not isinstance(value, str):
        raise _Expected("a string")
    return value


def _name(value):
    if not isinstance(value, str) or not value.strip():
        raise _Expected("a non-empty string")
    return value.strip()


def _boolean(value):
    if not isinstance(value, bool):
        raise _Expected("true or false")
    return value


def _integer(minimum: int | None):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Expected("an integer" if minimum is None else f"an integer >= {minimum}")
        if minimum is not None and value < minimum:
            raise _Expected(f"an integer >= {minimum}")
        return value
    return check


def _number(expected: str, accept=lambda x: True):
    def check(value):
        if not _is_number(value) or not math.isfinite(value) or not accept(value):
            raise _Expected(expected)
        return float(value)
    return check


def _choice(names):
    def check(value):
        if not isinstance(value, str) or value not in names:
            hint = _did_you_mean(value, names) if isinstance(value, str) else ""
            raise _Expected(f"one of {', '.join(names)}", hint)
        return value
    return check


def _strings(value):
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise _Expected("a list of strings")
    return tuple(value)


def _layers(value):
    if (not isinstance(value, (list, tuple)) or len(value) < 2
            or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value)):
        raise _Expected("a list of at least two positive integers")
    return tuple(value)


def _rows(value):
    if not isinstance(value, (list, tuple)):
        raise _Expected("a list of rows, each a list of numbers")
    if all(_is_number(v) for v in value):
        return tuple((float(v),) for v in value)
    if not all(isinstance(row, (list, tuple)) and all(_is_number(v) for v in row) for row in value):
        raise _Expected("a list of rows, each a list of numbers")
    return tuple(tuple(float(v) for v in row) for row in value)


def _class_or_columns(value):
    if isinstance(value, str):
        return value
    try:
        return _strings(value)
    except _Expected:
        raise _Expected("a class column name or a list of column names") from None


_TASK = _choice(datasets.TASKS)


def _paragraphs(text: str) -> str:
    """Lines joined into paragraphs; blank lines separate paragraphs."""
    return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip())


def _read_data(section: _Section, base: Path) -> DataSpec:
    table = section.table
    if "generator" in table and "csv" in table:
        raise section.error(None, "expected exactly one data source (inline inputs/targets, "
                                  "generator or csv), got both generator and csv")
    if "generator" in table:
        name = section.take("generator", _choice(tuple(GENERATORS)))
        parameters = inspect.signature(GENERATORS[name]).parameters
        section.allow({"generator", "standardize", "features", *parameters})
        params = tuple(
            (key, section.take(key, _integer(None) if isinstance(p.default, int)
                               else _number("a finite number"), p.default))
            for key, p in parameters.items())
        return GeneratorData(name, params, section.take("standardize", _boolean, False),
                             section.take("features", _strings, None))
    if "csv" in table:
        section.allow({"csv", "inputs", "targets", "task", "standardize"})
        return CsvData(base / section.take("csv", _name),
                       targets=section.take("targets", _class_or_columns),
                       inputs=section.take("inputs", _strings, None),
                       task=section.take("task", _TASK, None),
                       standardize=section.take("standardize", _boolean, False))
    if "inputs" in table or "targets" in table:
        section.allow({"inputs", "targets", "input_names", "target_names", "task", "standardize"})
        return InlineData(section.take("inputs", _rows), section.take("targets", _rows),
                          input_names=section.take("input_names", _strings, None),
                          target_names=section.take("target_names", _strings, None),
                          task=section.take("task", _TASK, None),
                          standardize=section.take("standardize", _boolean, False))
    raise section.error(None, "expected a data source: inline inputs and targets, "
                              "generator = \"...\" or csv = \"...\"")


def _check_model(model: _Section, layers: tuple[int, ...], output: str, loss: str,
                 dataset: Dataset) -> None:
    if output == "softmax" and loss != "cross_entropy":
        raise model.error("output_activation", f'softmax needs loss = "cross_entropy", '
                                               f'got loss = "{loss}"')
    if loss == "cross_entropy" and output not in CROSS_ENTROPY_OUTPUTS:
        raise model.error("loss", f'cross_entropy needs output_activation "sigmoid" or '
                                  f'"softmax", got "{output}"')
    if output == "softmax" and layers[-1] < 2:
        raise model.error("output_activation", "softmax needs at least 2 outputs")
    if layers[0] != dataset.n_inputs:
        raise model.error("layers", f"expected the first size to be {dataset.n_inputs} "
                                    f"(the data's input columns), got {list(layers)}")
    if layers[-1] != dataset.n_outputs:
        what = "classes" if dataset.class_names and dataset.n_outputs > 1 else "target columns"
        raise model.error("layers", f"expected the last size to be {dataset.n_outputs} "
                                    f"(the data's {what}), got {list(layers)}")


def _build(document: dict[str, Any], source: str, path: Path | None) -> Preset:
    top = _Section(source, "", document)
    top.allow({"name", "title", "description", "data", "model", "training"})
    name = top.take("name", _name, path.stem if path else inspect.Parameter.empty)
    title = " ".join(top.take("title", _text, name).split())
    description = _paragraphs(top.take("description", _text, ""))
    for required in ("data", "model"):
        if required not in document:
            raise PresetError(f"{source}: [{required}]: missing section")

    data_section = _Section(source, "data", document["data"])
    spec = _read_data(data_section, path.absolute().parent if path else Path.cwd())
    try:
        dataset = _raw_data(spec)
    except DataError as error:
        raise data_section.error(error.field, str(error)) from None

    model = _Section(source, "model", document["model"])
    model.allow({"layers", "activation", "output_activation", "loss", "bias", "init"})
    layers = model.take("layers", _layers)
    if model.table.get("activation") == "softmax":
        raise model.error("activation", 'softmax is for the output layer only '
                                        '(output_activation = "softmax")')
    activation = model.take("activation", _choice(HIDDEN_ACTIVATIONS), "sigmoid")
    output = model.take("output_activation", _choice(tuple(ACTIVATIONS)), "sigmoid")
    loss = model.take("loss", _choice(tuple(LOSSES)), "mse")
    _check_model(model, layers, output, loss, dataset)

    training = _Section(source, "training", document.get("training", {}))
    training.allow({key for key, section in _SECTION_OF.items() if section == "training"})
    penalty = training.take("penalty", _choice(PENALTIES), "none")
    penalty_rate = training.take("penalty_rate", _number("a finite number >= 0", lambda x: x >= 0),
                                 0.0)
    if penalty == "none" and penalty_rate > 0:
        raise training.error("penalty_rate", 'has no effect without penalty = "l1" or "l2"')

    return Preset(
        name=name, title=title, description=description,
        path=path, data=spec, layers=layers, activation=activation, output_activation=output,
        loss=loss, bias=model.take("bias", _boolean, True),
        init=model.take("init", _choice(INITS), "default"),
        optimizer=training.take("optimizer", _choice(tuple(OPTIMIZERS)), "gd"),
        learning_rate=training.take("learning_rate",
                                    _number("a positive number", lambda x: x > 0), 0.1),
        batch_size=training.take("batch_size", _integer(0), 0),
        epochs=training.take("epochs", _integer(1), 1000),
        target_loss=training.take("target_loss",
                                  _number("a finite number >= 0", lambda x: x >= 0), 0.01),
        seed=training.take("seed", _integer(0), 0),
        test_fraction=training.take("test_fraction",
                                    _number("a number in [0, 1)", lambda x: 0 <= x < 1), 0.0),
        penalty=None if penalty == "none" else penalty, penalty_rate=penalty_rate,
    )


# --- finding presets --------------------------------------------------------------------

def parse_preset(text: str, source: str = "<string>", *, path: Path | None = None) -> Preset:
    """A preset from TOML text. ``source`` names it in error messages; ``path`` is the file
    the text came from (relative CSV paths start from its folder, the name defaults to its
    stem)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PresetError(f"{source}: invalid TOML: {error}") from None
    return _build(document, source, path)


def builtin_dir() -> Path:
    """The folder of the built-in presets (inside the installed package, else the source tree)."""
    core_dir = Path(__file__).parent.parent
    installed = core_dir / "builtin_presets"
    return installed if installed.is_dir() else core_dir.parent / "presets"


def _read_file(path: Path) -> Preset:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PresetError(f"{path}: no such preset file") from None
    except OSError as error:
        raise PresetError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise PresetError(f"{path}: cannot read: not UTF-8 text ({error.reason} at byte "
                          f"{error.start})") from None
    return parse_preset(text, str(path), path=path.absolute())


def builtin_presets() -> list[Preset]:
    """Every built-in preset: the notes' presets in the notes' order, then the classics."""
    order = {name: i for i, name in enumerate(BUILTIN_ORDER)}
    presets = [_read_file(file) for file in builtin_dir().glob("*.toml")]
    return sorted(presets, key=lambda p: (order.get(p.name, len(order)), p.name))


def load_preset(name_or_path: str | Path) -> Preset:
    """A built-in preset by name (``"xor"``), or the preset in a ``.toml`` file."""
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or text.endswith(".toml") or "/" in text or "\\" in text:
        return _read_file(Path(name_or_path))
    file = builtin_dir() / f"{text}.toml"
    if file.is_file():
        return _read_file(file)
    names = sorted(p.stem for p in builtin_dir().glob("*.toml"))
    raise PresetError(f"{text}: unknown preset{_did_you_mean(text, names)} "
                      f"(built-in: {', '.join(names)}; or give a path to a .toml file)")
