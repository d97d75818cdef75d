"""The child process that runs a learner's file: ``python -I child.py FOLDER``.

Never imported by the grader: it runs alone, with numpy and the standard library only, in a
process of its own, so nothing the learner's code does reaches the process that grades it.
``FOLDER`` holds ``plan.json`` (the learner's file, the limits, the calls to make) and
``inputs.npz`` (the arrays the calls take). It writes one JSON line per event to
``log.jsonl`` and each call's results to ``c<N>.npz``: data only, read back with
``json`` and ``np.load(allow_pickle=False)``.
"""

import json
import os
import resource
import sys
import traceback

import numpy as np

MAX_LEAVES = 200            # arrays one call may return
MAX_ENTRIES = 1_000_000     # entries one returned array may hold
MAX_DEPTH = 4               # tuples and lists inside each other
MAX_MESSAGE = 500           # characters of an exception's message


def main(folder: str) -> None:
    """Set the limits, import the learner's file and make the planned calls."""
    with open(os.path.join(folder, "plan.json"), encoding="utf-8") as file:
        plan = json.load(file)
    log = open(os.path.join(folder, "log.jsonl"), "a", encoding="utf-8")  # noqa: SIM115

    def write(event: dict) -> None:
        log.write(json.dumps(event) + "\n")
        log.flush()

    limit(resource.RLIMIT_AS, plan["memory_bytes"])
    limit(resource.RLIMIT_CPU, int(plan["seconds"]) + 1)
    limit(resource.RLIMIT_CORE, 0)
    limit(resource.RLIMIT_FSIZE, plan["file_bytes"])    # what it prints, any file it writes
    inputs = dict(np.load(os.path.join(folder, "inputs.npz"), allow_pickle=False))
    path = plan["file"]
    module = load(path, write)
    if module is None:
        return
    for call in plan["calls"]:
        write({"event": "start", "call": call["id"]})
        function = getattr(module, call["function"], None)
        if not callable(function):
            write({"event": "done", "call": call["id"], "status": "missing"})
            continue
        args = [argument(spec, inputs) for spec in call["args"]]
        try:
            result = function(*args)
        except NotImplementedError:
            write({"event": "done", "call": call["id"], "status": "not_started"})
            continue
        except BaseException as error:   # the learner's code, whatever it raised
            write({"event": "done", "call": call["id"], "status": "error",
                   **described(error, path)})
            continue
        leaves: dict[str, np.ndarray] = {}
        try:
            structure = flatten(result, leaves, 0)
        except ValueError as error:
            write({"event": "done", "call": call["id"], "status": "bad_output",
                   "message": str(error)})
            continue
        np.savez(os.path.join(folder, f"c{call['id']}.npz"), **leaves)
        write({"event": "done", "call": call["id"], "status": "ok", "structure": structure})
    write({"event": "finished"})


def limit(kind: int, value: int) -> None:
    """Hold this process to ``value`` of resource ``kind`` (or to the lower limit it has)."""
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(kind, (value, value if kind != resource.RLIMIT_CPU else hard))


def load(path: str, write):
    """The learner's file imported as a module; None (with the reason logged) if it fails."""
    import importlib.util

    try:
        spec = importlib.util.spec_from_file_location("learner", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except BaseException as error:       # whatever importing their file raised
        write({"event": "import_failed", **described(error, path)})
        return None
    write({"event": "imported"})
    return module


def argument(spec: dict, inputs: dict):
    """One argument of a call: a float, an array, or a list of arrays (fresh copies, so
    that a function changing its input in place changes no later call's)."""
    if "float" in spec:
        return float(inputs[spec["float"]])
    if "array" in spec:
        return inputs[spec["array"]].copy()
    return [inputs[key].copy() for key in spec["list"]]


def flatten(value, leaves: dict, depth: int):
    """The structure of a returned value: nested lists of leaf names (its arrays kept in
    ``leaves``); ValueError if it is not numbers, tuples and lists of them."""
    if isinstance(value, (tuple, list)):
        if depth >= MAX_DEPTH:
            raise ValueError("tuples or lists nested too deep")
        return [flatten(item, leaves, depth + 1) for item in value]
    if len(leaves) >= MAX_LEAVES:
        raise ValueError(f"more than {MAX_LEAVES} arrays")
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"a {type(value).__name__} where numbers were expected") from None
    if array.size > MAX_ENTRIES:
        raise ValueError(f"an array of {array.size:,} entries")
    name = f"leaf{len(leaves)}"
    leaves[name] = array
    return name


def described(error: BaseException, path: str) -> dict:
    """What went wrong, in the learner's terms: their file's frames of the traceback (no
    grader's, no numpy's), the exception's type and message, and the line it came from."""
    own = os.path.realpath(path)
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if frame.filename and os.path.realpath(frame.filename) == own]
    if isinstance(error, SyntaxError) and error.lineno is not None:
        frames = []
        line = error.lineno
    else:
        line = frames[-1].lineno if frames else None
    message = error.msg if isinstance(error, SyntaxError) else str(error)
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE] + "…"
    kind = ("exit" if isinstance(error, SystemExit)
            else "memory" if isinstance(error, MemoryError) else "exception")
    return {"kind": kind, "type": type(error).__name__, "message": message, "line": line,
            "frames": [[frame.lineno, frame.name, (frame.line or "").strip()[:200]]
                       for frame in frames]}


if __name__ == "__main__":
    main(sys.argv[1])
