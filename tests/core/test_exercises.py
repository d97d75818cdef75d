"""Build it yourself: the starter file, and grading a learner's file against the engine.

The reference solutions (tests/core/exercises/reference_solution.py) are never imported
here: each test writes a copy, perhaps with one slip seeded in by an exact replacement, into
tmp_path and grades it, which runs it in a child process.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from core.cli import main
from core.exercises import EXERCISES, Limits, grade_file, grade_network, starter_text
from core.exercises.cases import preset_cases

REFERENCE = (Path(__file__).parent / "exercises" / "reference_solution.py").read_text()
FEW = 2                                 # random networks per exercise: enough to tell slips apart


def learner_file(tmp_path: Path, source: str, name: str = "mine.py") -> Path:
    """``source`` saved as the learner's file."""
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return path


def seeded(old: str, new: str) -> str:
    """The reference solutions with one exact replacement (which must be there)."""
    assert REFERENCE.count(old) == 1, old
    return REFERENCE.replace(old, new)


def test_reference_solutions_grade_right_on_every_preset_and_random_shape(tmp_path):
    """Every exercise of the reference file is right on each preset it fits and on the
    random networks, every function and every array within 1e-7."""
    report = grade_file(learner_file(tmp_path, REFERENCE), random_count=FEW)
    assert report.exit_code == 0 and report.passed == list(EXERCISES)
    for exercise in report.exercises:
        presets = [case.name for case in preset_cases(exercise.name)]
        assert exercise.cases[:len(presets)] == presets
        assert len(exercise.cases) == len(presets) + FEW
        for function in exercise.functions:
            assert function.status == "right", (exercise.name, function.name)
            assert all(q.right and q.cases > 0 for q in function.quantities)
    assert preset_cases("network")[-1].name == "adder"       # every sigmoid/mse preset
    assert [c.name for c in preset_cases("neuron")] == ["or", "and", "nand"]


# (exercise, slip, old text, new text, first wrong: case, array, entry or "shape")
SLIPPED = [
    ("twice", "one_over_n", "return np.mean((x * w - y) ** 2)", "return np.sum((x * w - y) ** 2)",
     ("twice", "C", ())),
    ("twice", "factor_two", "return np.mean(2 * (x * w - y) * x)",
     "return np.mean((x * w - y) * x)", ("twice", "C'(w)", ())),
    ("twice", "sign", "return np.mean(2 * (x * w - y) * x)",
     "return np.mean(2 * (y - x * w) * x)", ("twice", "C'(w)", ())),
    ("neuron", "sigma_prime", "d = 2 / n * (a - z) * a * (1 - a)", "d = 2 / n * (a - z)",
     ("or", "∂C/∂w1", ())),
    ("neuron", "one_over_n", "d = 2 / n * (a - z)", "d = 2 * (a - z)", ("or", "∂C/∂w1", ())),
    ("neuron", "factor_two", "d = 2 / n * (a - z)", "d = 1 / n * (a - z)", ("or", "∂C/∂w1", ())),
    ("neuron", "sign", "d = 2 / n * (a - z)", "d = 2 / n * (z - a)", ("or", "∂C/∂w1", ())),
    ("neuron", "bias_not_summed", "np.sum(d * y), np.sum(d)  # neuron sums",
     "np.sum(d * y), d", ("or", "∂C/∂b", "shape")),
    ("chain", "sigma_prime", "d1 = d2 * w2 * a1 * (1 - a1)", "d1 = d2 * w2",
     ("chain", "∂C/∂w(1)", ())),
    ("chain", "one_over_n", "d2 = 2 / n * (a2 - y)", "d2 = 2 * (a2 - y)",
     ("chain", "∂C/∂w(2)", ())),
    ("chain", "factor_two", "d2 = 2 / n * (a2 - y)", "d2 = 1 / n * (a2 - y)",
     ("chain", "∂C/∂w(2)", ())),
    ("chain", "sign", "d2 = 2 / n * (a2 - y)", "d2 = 2 / n * (y - a2)",
     ("chain", "∂C/∂w(2)", ())),
    ("chain", "bias_not_summed", "np.sum(d1), np.sum(d2 * a1)", "d1, np.sum(d2 * a1)",
     ("chain", "∂C/∂b(1)", "shape")),
    ("chain", "x_for_a", "np.sum(d2 * a1), np.sum(d2)  # chain sums",
     "np.sum(d2 * x), np.sum(d2)", ("chain", "∂C/∂w(2)", ())),
    ("fork", "sigma_prime", "g1 = e * a1 * (1 - a1)", "g1 = e", ("fork", "∂C/∂w(1)", (0, 0))),
    ("fork", "transpose", "e = g2 @ W2.T", "e = g2 @ W2", ("fork", "∂C_i/∂a_i(1)", (0, 0))),
    ("fork", "one_over_n", "a1.T @ g2 / n", "a1.T @ g2", ("fork", "∂C/∂w(2)", (0, 0))),
    ("fork", "factor_two", "g2 = 2 * (a2 - Y)", "g2 = (a2 - Y)", ("fork", "∂C/∂w(2)", (0, 0))),
    ("fork", "sign", "g2 = 2 * (a2 - Y)", "g2 = 2 * (Y - a2)", ("fork", "∂C/∂w(2)", (0, 0))),
    ("fork", "bias_not_summed", "g1.sum(axis=0) / n", "g1 / n", ("fork", "∂C/∂b(1)", "shape")),
    ("fork", "wrong_axis", "g1.sum(axis=0) / n", "g1.sum(axis=1) / n",
     ("fork", "∂C/∂b(1)", "shape")),
    ("fork", "x_for_a", "a1.T @ g2 / n", "X.T @ g2 / n", ("fork", "∂C/∂w(2)", (0, 0))),
    ("network", "sigma_prime", "d = (d @ weights[l].T) * A[l - 1] * (1 - A[l - 1])",
     "d = d @ weights[l].T", ("chain", "Δ(1)", (0, 0))),
    ("network", "transpose", "dW[l] = below.T @ d", "dW[l] = d.T @ below",
     ("or", "dW(1)", "shape")),
    ("network", "one_over_n", "d = 2 / n * (A[-1] - Y)", "d = 2 * (A[-1] - Y)",
     ("or", "Δ(1)", (0, 0))),
    ("network", "factor_two", "d = 2 / n * (A[-1] - Y)", "d = 1 / n * (A[-1] - Y)",
     ("or", "Δ(1)", (0, 0))),
    ("network", "sign", "d = 2 / n * (A[-1] - Y)", "d = 2 / n * (Y - A[-1])",
     ("or", "Δ(1)", (0, 0))),
    ("network", "bias_not_summed", "db[l] = d.sum(axis=0)", "db[l] = d",
     ("or", "db(1)", "shape")),
    ("network", "wrong_axis", "db[l] = d.sum(axis=0)", "db[l] = d.sum(axis=1)",
     ("or", "db(1)", "shape")),
    ("network", "x_for_a", "below = A[l - 1] if l > 0 else X", "below = X",
     ("chain", "dW(2)", (0, 0))),
]


@pytest.mark.parametrize("exercise, slip, old, new, first", SLIPPED,
                         ids=[f"{row[0]}-{row[1]}" for row in SLIPPED])
def test_a_seeded_slip_grades_wrong_with_its_diagnosis_and_first_entry(
        tmp_path, exercise, slip, old, new, first):
    """One slip seeded into the reference: the exercise is wrong, the slip (and only it)
    is the diagnosis, and the first wrong entry is where the slip first shows, with the
    engine's value there agreeing with finite differences and the learner's not."""
    report = grade_file(learner_file(tmp_path, seeded(old, new)), [exercise], random_count=FEW)
    result = report.exercises[0]
    assert report.exit_code == 1 and result.status == "wrong"
    assert result.diagnosis == (slip,)
    _, quantity = result.first
    case, label, entry = first
    assert quantity.label == label
    if entry == "shape":
        assert quantity.first is None and f"on {case}," in quantity.shape_problem
        return
    difference = quantity.first
    assert (difference.case, difference.entry) == (case, entry)
    assert not np.isclose(difference.theirs, difference.engine, rtol=1e-6)
    if difference.finite_difference is not None:
        assert difference.finite_difference == pytest.approx(difference.engine, rel=1e-6)



def test_a_live_grade_keeps_the_learners_gradients_entry_by_entry(tmp_path):
    """Graded on one network, the report keeps the learner's dW and db: with every dW
    transposed, w(1)[1,2] shows the engine's w(1)[2,1] (the square layer), w(2)[1,1] the
    wrong shape instead of a value, b(2)[1] equal to the engine's and the finite difference;
    a backward pass not written yet says so. A grade over many networks keeps none."""
    [case] = [c for c in preset_cases("network") if c.name == "xor"]
    path = learner_file(tmp_path, seeded("dW[l] = below.T @ d", "dW[l] = (below.T @ d).T"))
    live = grade_network(path, case.net, case.X, case.Y).live
    swapped, mirror = live.compared(("w", 1, 0, 1)), live.compared(("w", 1, 1, 0))
    assert swapped.yours == pytest.approx(mirror.engine, rel=1e-9) and not swapped.right
    shape = live.compared(("w", 2, 0, 0))
    assert shape.yours is None and "yours: shape (1, 2), expected (2, 1)," in shape.line()
    bias = live.compared(("b", 2, 0))
    assert bias.right and bias.yours == pytest.approx(bias.engine, rel=1e-9)
    assert bias.finite_difference == pytest.approx(bias.engine, rel=1e-6)
    assert live.compared(("w", 3, 0, 0)) is None and live.compared(("b", 1, 2)) is None
    unwritten = learner_file(tmp_path, "def network_backward(X, A, Y, weights):\n"
                                       "    raise NotImplementedError\n", "unwritten.py")
    line = grade_network(unwritten, case.net, case.X, case.Y).live.compared(("b", 1, 0)).line()
    assert line.startswith("∂C/∂b(1)[1]: yours: network_backward not started, engine ")
    assert grade_file(path, ["twice"], random_count=1).live is None

def test_a_slip_in_one_exercise_leaves_the_others_right(tmp_path):
    """Grading the whole file: only the exercise with the slip is wrong."""
    source = seeded("d1 = d2 * w2 * a1 * (1 - a1)", "d1 = d2 * w2")
    report = grade_file(learner_file(tmp_path, source), random_count=1)
    assert {e.name: e.status for e in report.exercises} == {
        "twice": "right", "neuron": "right", "chain": "wrong", "fork": "right",
        "network": "right"}
    assert report.passed == ["twice", "neuron", "fork", "network"]


def stub(body: str, at_import: str = "") -> str:
    """A learner's file whose twice_cost runs ``body`` (and ``at_import`` on import)."""
    return f"import sys\nimport numpy as np\n{at_import}\n\ndef twice_cost(w, x, y):\n" + \
        "".join(f"    {line}\n" for line in body.splitlines())


def test_an_endless_loop_is_stopped_at_the_time_limit(tmp_path):
    """A function that never returns is stopped at the time limit, said in one line; the
    calls after it are not run."""
    report = grade_file(learner_file(tmp_path, stub("while True:\n    pass")), ["twice"],
                        random_count=1, limits=Limits(seconds=1))
    cost, gradient = report.exercises[0].functions
    assert cost.status == "error" and "time limit of 1 s" in cost.failure
    assert "\n" not in cost.failure
    assert gradient.status == "error" and "not run" in gradient.failure


def test_a_cancelled_grade_stops_the_child(tmp_path):
    """A grade nobody waits for any more (the app's view closed) stops its child, whatever
    time is left."""
    report = grade_file(learner_file(tmp_path, stub("while True:\n    pass")), ["twice"],
                        random_count=1, limits=Limits(seconds=600, cancelled=lambda: True))
    cost = report.exercises[0].functions[0] if report.exercises else None
    said = cost.failure if cost is not None else report.failure
    assert "the grade was cancelled" in said


def test_a_10_gb_allocation_stops_at_the_memory_limit(tmp_path):
    """Asking numpy for 10 GB fails at the memory limit inside the child, reported in one
    line with the learner's own line."""
    report = grade_file(learner_file(tmp_path, stub("big = np.ones(10 * 1024**3 // 8)\n"
                                                    "return 1.0")), ["twice"], random_count=1)
    cost = report.exercises[0].functions[0]
    assert cost.status == "error"
    assert "ran out of memory (line 6)" in cost.failure and "\n" not in cost.failure
    assert 'File "mine.py", line 6, in twice_cost' in cost.traceback


@pytest.mark.parametrize("at_import, said", [
    ("sys.exit(0)", "mine.py: called sys.exit(0) (line 3): nothing after it ran"),
    ("import no_such_module_here",
     "mine.py: ModuleNotFoundError: No module named 'no_such_module_here' (line 3)"),
])
def test_an_exit_or_an_import_error_is_one_line(tmp_path, at_import, said):
    """sys.exit(0) or a failed import while the file loads: one line, nothing graded."""
    report = grade_file(learner_file(tmp_path, stub("return 0.0", at_import)), ["twice"])
    assert report.failure == said and report.exercises == [] and report.exit_code == 1


def test_an_exception_shows_only_the_learners_frames(tmp_path):
    """A shape error raised inside numpy: the traceback names the learner's lines only."""
    source = seeded("dW[l] = below.T @ d", "dW[l] = below @ d")
    report = grade_file(learner_file(tmp_path, source), ["network"], random_count=1)
    backward = report.exercises[0].functions[1]
    assert backward.status == "error" and backward.failure.startswith("on or: ValueError")
    lines = backward.traceback.splitlines()
    assert lines[0] == "Traceback (your code only):"
    line = source.splitlines().index("        dW[l] = below @ d  # network dW") + 1
    assert [line for line in lines if line.startswith("  File")] == [
        f'  File "mine.py", line {line}, in network_backward']
    assert "core/" not in backward.traceback and "site-packages" not in backward.traceback
    assert "child.py" not in backward.traceback


def test_the_learners_code_runs_in_another_process_and_its_prints_are_cleaned(tmp_path):
    """What the file prints never reaches our output: it is kept, escape sequences removed;
    the process id it prints is not ours."""
    source = "import os\nprint('\\x1b[2J\\x1b[31mpid', os.getpid(), '\\a')\n" + REFERENCE
    report = grade_file(learner_file(tmp_path, source), ["twice"], random_count=1)
    assert report.exit_code == 0
    words = report.printed.split()
    assert words[0] == "pid" and int(words[1]) != os.getpid()
    assert "\x1b" not in report.printed and "\a" not in report.printed


def test_the_starter_is_plain_numpy_and_every_function_is_not_started(tmp_path, capsys):
    """``exercise`` writes every function with its docstring and NotImplementedError;
    grading it says nothing is started (exit 1); a second ``exercise`` refuses to write
    over it in one error line (exit 2) unless --replace."""
    assert main(["exercise", "--dir", str(tmp_path)]) == 0
    path = tmp_path / "my_backprop.py"
    text = path.read_text()
    compile(text, str(path), "exec")
    for exercise in EXERCISES.values():
        for function in exercise.functions:
            assert f"def {function.name}({function.parameters}):" in text
    assert text.count("raise NotImplementedError") == 9 and "import numpy as np" in text
    assert "(1.5.12" not in text or "lose a factor" in text
    capsys.readouterr()
    assert main(["grade", str(path)]) == 1
    assert "network (1.6-1.7): any depth, as matrices: NOT STARTED" in capsys.readouterr().out
    assert main(["exercise", "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "--replace" in err
    assert main(["exercise", "chain", "--dir", str(tmp_path), "--replace"]) == 0
    assert "def network_forward" not in path.read_text()


def test_list_names_every_exercise_in_order(capsys):
    """``exercise --list``: one line an exercise, in order."""
    assert main(["exercise", "--list"]) == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == \
        ["twice", "neuron", "chain", "fork", "network"]


def test_grade_exit_codes_and_json(tmp_path, capsys):
    """grade: 0 all right, 1 some wrong, 2 bad input (one error line); --json is one
    object naming the slip."""
    right = learner_file(tmp_path, REFERENCE, "right.py")
    assert main(["grade", str(right), "twice"]) == 0
    wrong = learner_file(tmp_path, seeded("d = 2 / n * (A[-1] - Y)", "d = 2 * (A[-1] - Y)"),
                         "wrong.py")
    capsys.readouterr()
    assert main(["grade", str(wrong), "network", "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    first = document["exercises"][0]["first_wrong"]
    assert (first["array"], first["case"]) == ("Δ(1)", "or")
    assert first["diagnosis"][0].startswith("the 1/n")
    for argv in (["grade", str(tmp_path / "none.py")], ["grade", str(right), "nope"],
                 ["grade", str(right), "--seconds", "0"], ["grade", str(tmp_path)]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.count("\n") == 1


def test_starter_names_the_file_it_is_saved_as():
    """The starter tells how to grade it under its own name."""
    assert "python -m core grade mine.py network" in starter_text(["network"], "mine.py")
