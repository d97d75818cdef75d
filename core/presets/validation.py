"""Checking a preset's TOML document key by key.

Every problem raises ``PresetError`` with a one-line message naming the file, the key and
what was expected; ``field`` and ``section`` say which key it is, so a form can mark it.
What the file says is quoted as a short excerpt; its title, description and name are kept
without control characters; sizes are held to ``core.limits``.
"""

from __future__ import annotations

import inspect
import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..checks import is_integer, is_number
from ..data import datasets
from ..data.datasets import GENERATORS, DataError, Dataset
from ..engine.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from ..engine.losses import CROSS_ENTROPY_OUTPUTS, LOSSES
from ..engine.network import INITS
from ..engine.optimizers import OPTIMIZERS, check_learning_rate
from ..limits import MAX_EPOCHS, MAX_NAME_CHARS, MAX_NESTING, PACES, network_size_problem
from ..text import clean, did_you_mean, excerpt
from .sources import CsvData, DataSpec, GeneratorData, InlineData, confined, raw_data

PENALTIES = ("none", "l1", "l2")
FIELD_SECTIONS = {"name": "", "title": "", "description": "",
                  **{key: "model" for key in ("layers", "activation", "output_activation",
                                              "loss", "bias", "init")},
                  **{key: "training" for key in ("optimizer", "learning_rate", "batch_size",
                                                 "epochs", "target_loss", "seed",
                                                 "test_fraction", "penalty", "penalty_rate",
                                                 "pace")}}
"""Each preset field's TOML table ("" for the top level); the data are the [data] table."""


class PresetError(ValueError):
    """A preset that cannot be used; the message is one line: file, key, what was expected.

    ``field`` is the key at fault (a TOML key such as ``"learning_rate"``, or an edit-form
    field such as ``"hidden"``), None when the problem is not one key's; ``section`` is its
    TOML table (``"data"``, ``"model"``, ``"training"``, ``""`` for the top level) or None.
    """

    def __init__(self, message: str, field: str | None = None,
                 section: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.section = section


__all__ = ["FIELD_SECTIONS", "PENALTIES", "PresetError", "check_document", "did_you_mean"]


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
            raise self.error(None, f"expected a table, got {_shown(table)}")
        self.table = table

    def error(self, key: str | None, message: str) -> PresetError:
        """A PresetError for ``key`` of this section (the section itself when key is None)."""
        where = f"[{self.name}]" if self.name else ""
        if key is not None:
            where = f"{where}.{excerpt(key)}" if where else excerpt(key)
        return PresetError(f"{self.source}: {where}: {message}", key, self.name)

    def allow(self, keys) -> None:
        """Reject any key not in ``keys``, suggesting the closest allowed one."""
        for key in self.table:
            if key not in keys:
                what = "section" if isinstance(self.table[key], dict) else "key"
                raise self.error(key, f"unknown {what}{did_you_mean(key, keys)}")

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
    """A value as the user wrote it in TOML, cut to a short excerpt."""
    return excerpt(_toml(value))


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        return "a table"
    return repr(value)


def _text(value):
    if not isinstance(value, str):
        raise _Expected("a string")
    return value


def _name(value):
    if not isinstance(value, str) or not clean(value).strip():
        raise _Expected("a non-empty string")
    return clean(value).strip()


def _preset_name(value):
    name = _name(value)
    if len(name) > MAX_NAME_CHARS:
        raise _Expected(f"a name of at most {MAX_NAME_CHARS} characters")
    return name


def _boolean(value):
    if not isinstance(value, bool):
        raise _Expected("true or false")
    return value


def _integer(minimum: int | None, maximum: int | None = None):
    expected = "an integer" if minimum is None else f"an integer >= {minimum}"
    if maximum is not None:
        expected = f"an integer from {minimum} to {maximum:,}"

    def check(value):
        if not is_integer(value) or (minimum is not None and value < minimum) \
                or (maximum is not None and value > maximum):
            raise _Expected(expected)
        return int(value)
    return check


def _number(expected: str, accept=lambda x: True):
    def check(value):
        if not is_number(value) or not math.isfinite(value) or not accept(value):
            raise _Expected(expected)
        return float(value)
    return check


def _learning_rate(value):
    try:
        return check_learning_rate(value)
    except ValueError:
        raise _Expected("a positive number") from None


def _pace(value):
    if value == "max":
        return None
    if not is_integer(value) or value not in PACES:
        raise _Expected(", ".join(str(p) for p in PACES if p is not None) + ' or "max"')
    return int(value)


def _choice(names):
    def check(value):
        if not isinstance(value, str) or value not in names:
            hint = did_you_mean(value, names) if isinstance(value, str) else ""
            raise _Expected(f"one of {', '.join(names)}", hint)
        return value
    return check


def _strings(value):
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise _Expected("a list of strings")
    return tuple(value)


def _layers(value):
    if (not isinstance(value, (list, tuple)) or len(value) < 2
            or not all(is_integer(v) and v > 0 for v in value)):
        raise _Expected("a list of at least two positive integers")
    return tuple(int(v) for v in value)


def _rows(value):
    if not isinstance(value, (list, tuple)):
        raise _Expected("a list of rows, each a list of numbers")
    if all(is_number(v) for v in value):
        return tuple((float(v),) for v in value)
    if not all(isinstance(row, (list, tuple)) and all(is_number(v) for v in row) for row in value):
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
    """Lines joined into paragraphs (blank lines separate paragraphs), without control
    characters."""
    text = clean(text, lines=True)
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
                                    f"(the data's input columns), got {_shown(list(layers))}")
    if layers[-1] != dataset.n_outputs:
        what = "classes" if dataset.class_names and dataset.n_outputs > 1 else "target columns"
        raise model.error("layers", f"expected the last size to be {dataset.n_outputs} "
                                    f"(the data's {what}), got {_shown(list(layers))}")
    problem = network_size_problem(layers, len(dataset.X_train) + len(dataset.X_test))
    if problem:
        raise model.error("layers", problem)


def _nesting(document: dict[str, Any]) -> int:
    """How deep tables and lists nest in ``document`` (1: no nesting), counted without
    recursion and only up to ``MAX_NESTING + 1``."""
    deepest, level = 1, [document]
    while level and deepest <= MAX_NESTING:
        inner = []
        for value in level:
            children = value.values() if isinstance(value, dict) else value
            inner += [child for child in children if isinstance(child, (dict, list))]
        if inner:
            deepest += 1
        level = inner
    return deepest


def check_document(document: dict[str, Any], source: str, path: Path | None,
                   folders: Sequence[Path] = ()) -> dict[str, Any]:
    """The fields of a ``Preset`` from the tables of its TOML ``document``, every key checked;
    ``source`` names it in messages, ``path`` is its file (None for text). With ``folders``,
    a CSV file is read only inside one of them (``sources.confined``)."""
    if _nesting(document) > MAX_NESTING:
        raise PresetError(f"{source}: tables and lists nested more than {MAX_NESTING} deep")
    top = _Section(source, "", document)
    top.allow({"name", "title", "description", "data", "model", "training"})
    stem = (clean(path.stem).strip()[:MAX_NAME_CHARS] or "preset") if path else None
    name = top.take("name", _preset_name, stem or inspect.Parameter.empty)
    title = " ".join(clean(top.take("title", _text, name)).split())
    description = _paragraphs(top.take("description", _text, ""))
    for required in ("data", "model"):
        if required not in document:
            raise PresetError(f"{source}: [{required}]: missing section", None, required)

    data_section = _Section(source, "data", document["data"])
    spec = _read_data(data_section, path.absolute().parent if path else Path.cwd())
    try:
        spec = confined(spec, folders) if folders else spec
        dataset = raw_data(spec)
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
    training.allow({key for key, section in FIELD_SECTIONS.items() if section == "training"})
    penalty = training.take("penalty", _choice(PENALTIES), "none")
    penalty_rate = training.take("penalty_rate", _number("a finite number >= 0", lambda x: x >= 0),
                                 0.0)
    if penalty == "none" and penalty_rate > 0:
        raise training.error("penalty_rate", 'has no effect without penalty = "l1" or "l2"')

    return dict(
        name=name, title=title, description=description,
        data=spec, layers=layers, activation=activation, output_activation=output,
        loss=loss, bias=model.take("bias", _boolean, True),
        init=model.take("init", _choice(INITS), "default"),
        optimizer=training.take("optimizer", _choice(tuple(OPTIMIZERS)), "gd"),
        learning_rate=training.take("learning_rate", _learning_rate, 0.1),
        batch_size=training.take("batch_size", _integer(0), 0),
        epochs=training.take("epochs", _integer(1, MAX_EPOCHS), 1000),
        target_loss=training.take("target_loss",
                                  _number("a finite number >= 0", lambda x: x >= 0), 0.01),
        seed=training.take("seed", _integer(0), 0),
        test_fraction=training.take("test_fraction",
                                    _number("a number in [0, 1)", lambda x: 0 <= x < 1), 0.0),
        penalty=None if penalty == "none" else penalty, penalty_rate=penalty_rate,
        pace=training.take("pace", _pace, None),
    )
