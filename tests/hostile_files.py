"""Hostile files, made small in a test's folder, for the core and app tests: each class of file
that once crashed, hung or flooded the program, and words its one error line must hold.

``HOSTILE`` lists them; ``run_limited`` runs a command line in a child process under a memory
limit and measures its wall time and peak memory.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.lib import format as npy

ROOT = Path(__file__).resolve().parent.parent
MEMORY_LIMIT = 1 << 30          # the child's address space: a regression fails, never swaps
TIMEOUT = 60                    # seconds: a regression that hangs fails
MAX_RSS_MB = 200                # what a refused file may cost at most (the figure)

GENERATED = '[data]\ngenerator = "circle"\n{data}\n[model]\nlayers = {layers}\n'
CSV_PRESET = ('[data]\ncsv = "{csv}"\ntargets = "{target}"\n{data}\n[model]\nlayers = [1, 2]\n'
              'output_activation = "softmax"\nloss = "cross_entropy"\n')


@dataclass(frozen=True)
class Hostile:
    """A hostile file: ``make(folder)`` writes it (and what it refers to) and returns the
    path to open; ``words`` are in the error line, besides the file's name."""

    id: str
    make: Callable[[Path], Path]
    words: tuple[str, ...]


@dataclass(frozen=True)
class Run:
    """A child process's exit code, output, wall time (s) and peak memory (MB)."""

    code: int
    out: str
    err: str
    seconds: float
    rss_mb: float


_MEASURE = """
import json, os, resource, sys, time
limit, report, args = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
start = time.monotonic()
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.execv(sys.executable, [sys.executable, *args])
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as file:
    json.dump({"code": os.waitstatus_to_exitcode(status), "seconds": time.monotonic() - start,
               "rss_mb": usage.ru_maxrss / 1024}, file)
"""
"""Runs a command in a grandchild and reports its exit code, wall time and peak memory: a
child's peak memory counts the memory of the process it was forked from, so that one is
this small script, not the test process."""


def run_limited(module: str, *args: str, cwd: Path | str = ROOT) -> Run:
    """``python -m module args`` under ``MEMORY_LIMIT`` of address space, killed after
    ``TIMEOUT`` seconds."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [sys.executable, "-c", _MEASURE, str(MEMORY_LIMIT), str(report), "-m",
                   module, *args]
        child = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 start_new_session=True)
        try:
            out, err = child.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)       # the command too, not only the runner
            child.communicate()
            return Run(-9, "", f"timed out after {TIMEOUT} s", TIMEOUT, 0.0)
        figures = json.loads(report.read_text())
    return Run(figures["code"], out, err, figures["seconds"], figures["rss_mb"])


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def _sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as file:
        file.truncate(size)
    return path


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _generated(data: str = "", layers: str = "[2, 4, 1]"):
    return lambda folder: _write(folder / "mine.toml", GENERATED.format(data=data,
                                                                         layers=layers))


def _with_csv(csv_text: str | Callable[[Path], object], target: str = "y", data: str = "",
              csv: str = "cells.csv"):
    def make(folder: Path) -> Path:
        if callable(csv_text):
            csv_text(folder / csv)
        else:
            (folder / csv).write_text(csv_text)
        return _write(folder / "mine.toml", CSV_PRESET.format(csv=csv, target=target, data=data))
    return make


def _csv_at(place: str):
    return lambda folder: _write(folder / "mine.toml",
                                 CSV_PRESET.format(csv=place, target="y", data=""))


def _toml(text: str):
    return lambda folder: _write(folder / "mine.toml", text)


# --- session files ------------------------------------------------------------------------

@functools.cache
def _session_arrays(preset: str = "xor") -> dict[str, np.ndarray]:
    """The arrays of a session saved after 3 epochs of ``preset`` with Adam."""
    from core.session import Session

    with tempfile.TemporaryDirectory() as folder, Session(preset, optimizer="adam") as session:
        session.step(3)
        path = session.files.save(Path(folder) / "xor.npz")
        with np.load(path) as archive:
            return {name: archive[name] for name in archive.files}


def _write_session(path: Path, arrays: dict[str, np.ndarray], extra=None) -> Path:
    """A session file of ``arrays``; ``extra(zip)`` adds members."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # zipfile warns of a duplicate name
        with zipfile.ZipFile(path, "w") as archive:
            for name, array in arrays.items():
                with archive.open(f"{name}.npy", "w") as member:
                    npy.write_array(member, array, allow_pickle=True)
            if extra is not None:
                extra(archive)
    return path


def session_file(folder: Path, preset: str, change: Callable[[dict], dict]) -> Path:
    """``folder/mine.npz``: a session of ``preset`` after 3 epochs, its arrays (by member
    name) replaced by ``change(arrays)``."""
    arrays = {name: array.copy() for name, array in _session_arrays(preset).items()}
    return _write_session(folder / "mine.npz", change(arrays))


def _session(change: Callable[[dict], None] | None = None, extra=None):
    """A session file with ``change(arrays)`` applied; ``extra(zip)`` adds members."""
    def make(folder: Path) -> Path:
        arrays = {name: array.copy() for name, array in _session_arrays().items()}
        if change is not None:
            change(arrays)
        return _write_session(folder / "mine.npz", arrays, extra)
    return make


def _bomb(archive: zipfile.ZipFile) -> None:
    """weights.0 again, declared 400 MB of zeros: 1 MB once deflated."""
    info = zipfile.ZipInfo("weights.0.npy")
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as member:
        npy.write_array_header_1_0(member, {"descr": "<f8", "fortran_order": False,
                                            "shape": (50_000, 1_000)})
        chunk = bytes(8_000_000)
        for _ in range(50):
            member.write(chunk)


def _bomb_session(folder: Path) -> Path:
    def drop(arrays):
        del arrays["weights.0"]
    return _session(drop, _bomb)(folder)


def _many_members(archive: zipfile.ZipFile) -> None:
    for i in range(5_000):
        archive.writestr(f"history.{i}.npy", b"")


def _set(name: str, value) -> Callable[[dict], None]:
    def change(arrays: dict) -> None:
        arrays[name] = np.asarray(value) if not isinstance(value, np.ndarray) else value
    return change


def _nan_history(arrays: dict) -> None:
    arrays["history.y"][0, 0] = np.nan


def _meta_nested(arrays: dict) -> None:
    arrays["meta"] = np.array("[" * 100_000 + "]" * 100_000)


def _object_array(arrays: dict) -> None:
    arrays["history.x"] = np.array([{"a": 1}, None, 3], dtype=object)


def _float32(arrays: dict) -> None:
    arrays["weights.0"] = arrays["weights.0"].astype(np.float32)


def _meta_value(**changes) -> Callable[[dict], None]:
    def change(arrays: dict) -> None:
        meta = json.loads(str(arrays["meta"][()]))
        meta.update(changes)
        arrays["meta"] = np.array(json.dumps(meta))
    return change


def _duplicate(archive: zipfile.ZipFile) -> None:
    with archive.open("history.x.npy", "w") as member:
        npy.write_array(member, _session_arrays()["history.x"])


# --- the classes --------------------------------------------------------------------------

def _columns(count: int, duplicate: bool = False) -> str:
    names = [f"c{i}" for i in range(count - 1)] + ["c0" if duplicate else "y"]
    return ",".join(names) + "\n" + ",".join("1" for _ in names) + "\n"


HOSTILE = [
    # sizes, checked before anything of that size is made
    Hostile("neurons-1e7", _generated(layers="[2, 10000000, 1]"),
            ("[model].layers", "at most 512 neurons a layer")),
    Hostile("network-1e5x1e5", _generated(layers="[2, 100000, 100000, 1]"),
            ("[model].layers", "at most 512 neurons a layer")),
    Hostile("layer-1e30", _generated(layers="[2, " + "1" + "0" * 30 + ", 1]"),
            ("[model].layers", "at most 512 neurons a layer")),
    Hostile("hidden-layers", _generated(layers="[2" + ", 4" * 9 + ", 1]"),
            ("[model].layers", "at most 8 hidden layers")),
    Hostile("parameters", _generated(layers="[2, 512, 512, 512, 1]"),
            ("[model].layers", "at most 300,000 weights and biases")),
    Hostile("values-a-pass", _generated("samples = 100000", "[2, 64, 1]"),
            ("[model].layers", "at most 5,000,000 values a pass")),
    Hostile("samples-1e9", _generated("samples = 1000000000"),
            ("[data].samples", "at most 100,000 samples")),
    Hostile("epochs-1e18", _toml(GENERATED.format(data="", layers="[2, 1]")
                                 + "[training]\nepochs = 1000000000000000000\n"),
            ("[training].epochs", "an integer from 1 to 1,000,000")),
    Hostile("inline-bytes", _toml("[data]\ninputs = [" + "0, " * 100_001 + "]\ntargets = ["
                                  + "1, " * 100_001 + "]\n[model]\nlayers = [1, 1]\n"),
            ("too large", "at most 256 KiB")),
    Hostile("csv-rows", _with_csv("x,y\n" + "1,a\n" * 100_001),
            ("[data].csv", "cells.csv line 100002", "more than 100,000 rows")),
    Hostile("csv-bytes", _with_csv(lambda path: _sparse(path, 17 << 20)),
            ("[data].csv", "too large", "at most 16 MiB")),
    Hostile("csv-columns", _with_csv(_columns(300_000)),
            ("[data].csv", "cells.csv line 1", "300,000 columns, at most 1,000")),
    Hostile("csv-duplicate-header", _with_csv(_columns(1_000, duplicate=True)),
            ("[data].csv", "cells.csv line 1", "'c0' appears twice")),
    Hostile("csv-long-cell", _with_csv("x,y,note\n1,a,b\n2," + "c" * 100_000 + ",b\n",
                                       data='inputs = ["x"]'),
            ("[data].csv", "cells.csv line 3", "a cell longer than 1,000 characters")),
    Hostile("csv-classes", _with_csv("x,y\n" + "".join(f"1,c{i}\n" for i in range(1_000))),
            ("[data].targets", "more than 512 distinct values")),
    Hostile("toml-bytes", lambda folder: _sparse(folder / "mine.toml", 2 << 20),
            ("too large", "at most 256 KiB")),
    Hostile("toml-recursion", _toml("x = " + "[" * 100_000 + "]" * 100_000 + "\n"),
            ("invalid TOML", "nested too deep")),
    Hostile("toml-nesting", _toml("x = " + "[" * 20 + "]" * 20 + "\n"),
            ("nested more than 16 deep",)),
    Hostile("toml-huge-integer", _toml("seed = 1" + "0" * 5_000 + "\n"), ("invalid TOML",)),
    # regular files only
    Hostile("csv-device", _csv_at("/dev/zero"), ("[data].csv", "/dev/zero",
                                                 "not a regular file (a device)")),
    Hostile("csv-fifo", _with_csv(_fifo), ("[data].csv", "cells.csv",
                                           "not a regular file (a named pipe)")),
    Hostile("csv-folder", _csv_at("."), ("[data].csv", "Is a directory")),
    Hostile("preset-fifo", lambda folder: _fifo(folder / "mine.toml"),
            ("not a regular file (a named pipe)",)),
    Hostile("session-fifo", lambda folder: _fifo(folder / "mine.npz"),
            ("not a regular file (a named pipe)",)),
    Hostile("session-bytes", lambda folder: _sparse(folder / "mine.npz", 65 << 20),
            ("too large", "at most 64 MiB")),
    # session archives: shapes and types before data, every member, values never written
    Hostile("session-bomb", _bomb_session, ("weights: expected shapes [(2, 2), (2, 1)]",)),
    Hostile("session-not-npy", _session(extra=lambda z: z.writestr("notes.txt", "hi")),
            ("'notes.txt': not an array (.npy)",)),
    Hostile("session-object-array", _session(_object_array),
            ("'history.x': expected numbers or text, got object",)),
    Hostile("session-unexpected", _session(_set("extra", [1.0])), ("unexpected array 'extra'",)),
    Hostile("session-adam-steps", _session(_set("optimizer_state.t", -5)),
            ("Adam's step count t", "got -5")),
    Hostile("session-history-nan", _session(_nan_history), ("history: y: NaN values",)),
    Hostile("session-directory", _session(extra=_many_members),
            ("5,022 arrays", "at most 64")),
    Hostile("session-meta-nesting", _session(_meta_nested), ("corrupted metadata",)),
    Hostile("session-duplicate", _session(extra=_duplicate), ("'history.x' appears twice",)),
    Hostile("session-float32", _session(_float32), ("weights.0: expected float64",)),
    Hostile("session-epoch", _session(_meta_value(epoch=10**400)),
            ("epoch: expected an integer from 0 to 2^53",)),
    # text from files, quoted as a short excerpt
    Hostile("long-key", _toml("x" * 100_000 + " = 1\n"), ("unknown key",)),
    Hostile("long-value", _generated(layers='[2, 1]\nactivation = "' + "x" * 100_000 + '"'),
            ("[model].activation", "expected one of")),
    Hostile("long-name", _toml('name = "' + "n" * 100_000 + '"\n'),
            ("name: expected a name of at most 100 characters",)),
]
"""Every class of hostile file: each is refused with exit 2 and one error line."""



# --- a served tab's folder and what lies outside it ----------------------------------------

TWO_CLASSES = "x,y\n1,a\n2,b\n3,a\n4,b\n"
REACHING_OUT = ("dotdot.toml", "absent.toml", "absolute.toml", "via-link.toml", "linked.toml",
                "outside-data.npz")
"""The files in ``served_folder`` that name, or are, a file outside it."""


def served_folder(base: Path) -> Path:
    """``base/files``, a served tab's folder, and ``base/outside`` beside it; returns the
    folder. Inside: ``good.toml`` (its CSV file inside) and the ``REACHING_OUT`` files: presets
    whose CSV is ``../outside/secret.csv``, a missing ``../outside/absent.csv``, an absolute
    path outside, or ``link.csv`` (a link out); ``linked.toml``, a link to a preset outside;
    ``outside-data.npz``, a session of ``good.toml`` whose saved preset names the CSV
    outside; and ``elsewhere``, a link to the folder outside."""
    outside, root = base / "outside", base / "files"
    outside.mkdir()
    root.mkdir()
    secret = outside / "secret.csv"
    secret.write_text(TWO_CLASSES)
    _write(outside / "out.toml", CSV_PRESET.format(csv="secret.csv", target="y", data=""))
    (root / "good.csv").write_text(TWO_CLASSES)
    for name, csv in (("good", "good.csv"), ("dotdot", "../outside/secret.csv"),
                      ("absent", "../outside/absent.csv"), ("absolute", str(secret)),
                      ("via-link", "link.csv")):
        _write(root / f"{name}.toml", CSV_PRESET.format(csv=csv, target="y", data=""))
    (root / "link.csv").symlink_to(secret)
    (root / "linked.toml").symlink_to(outside / "out.toml")
    (root / "elsewhere").symlink_to(outside, target_is_directory=True)

    def to_secret(arrays: dict) -> dict:
        meta = json.loads(str(arrays["meta"][()]))
        meta["preset_toml"] = meta["preset_toml"].replace(str(root / "good.csv"), str(secret))
        arrays["meta"] = np.array(json.dumps(meta))
        return arrays
    session_file(root, str(root / "good.toml"), to_secret).rename(root / "outside-data.npz")
    return root
