"""The starter file a learner fills in: ``python -m core exercise [NAME]``.

Plain numpy: one function a task, its signature and docstring in the notes' notation, its
body ``raise NotImplementedError`` until the learner writes it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from .catalogue import EXERCISES, Exercise

DEFAULT_FILE = "my_backprop.py"


class StarterExists(ValueError):
    """The starter file is there already and ``replace`` was not given."""


def starter_text(names: list[str], file_name: str = DEFAULT_FILE) -> str:
    """The starter file's source for the exercises ``names`` (in the catalogue's order),
    saved as ``file_name``."""
    chosen = [exercise for exercise in EXERCISES.values() if exercise.name in names]
    grade = f"python -m core grade {file_name}" + ("" if len(chosen) > 1
                                                   else f" {chosen[0].name}")
    header = f'''"""Backpropagation, written by you: {", ".join(e.name for e in chosen)}.

Fill in each function's body with numpy. Then

    {grade}

runs your functions in a separate process on the built-in presets they fit and on random
networks, and compares every value with the engine's, layer by layer: the largest relative
error, the first entry that differs (with the finite-difference estimate), and which known
slip explains it. In the app, x grades the network exercise against the live network.
Equation numbers 1.x.y are the notes' (gradient-descent-notes.md), 2.x.y the lessons'
own; one row of an array is one sample.
"""

import numpy as np
'''
    return header + "".join(_exercise_text(exercise) for exercise in chosen)


def _exercise_text(exercise: Exercise) -> str:
    rule = "# " + "-" * 86
    setup = textwrap.indent(textwrap.dedent(exercise.setup).strip(), "# ")
    parts = [f"\n\n{rule}\n# {exercise.heading}\n#\n{setup}\n{rule}\n"]
    for function in exercise.functions:
        doc = textwrap.indent(textwrap.dedent(function.doc).strip(), "    ")
        parts.append(f"\n\ndef {function.name}({function.parameters}):\n"
                     f'    """{doc.lstrip()}\n    """\n    raise NotImplementedError\n')
    return "".join(parts)


def write_starter(folder: Path, names: list[str], file_name: str = DEFAULT_FILE,
                  replace: bool = False) -> Path:
    """Write the starter file for ``names`` into ``folder``; StarterExists if a file is
    there and ``replace`` is False. Returns its path."""
    path = folder / file_name
    if path.is_dir():
        raise StarterExists(f"{path} is a folder")
    if path.exists() and not replace:
        raise StarterExists(f"{path} exists already: --replace writes over it, or choose "
                            f"another --dir")
    path.write_text(starter_text(names, file_name), encoding="utf-8")
    return path
