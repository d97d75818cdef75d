"""`python -m core` as a script user meets it: its output, its files and its exit codes."""

import json
import subprocess
import sys

import numpy as np
import pytest

from core.arguments import MAX_ERROR_CHARS
from core.cli import main
from core.presets.schema import builtin_presets

JSON_KEYS = {"preset", "epochs", "final_loss", "test_loss", "accuracy", "test_accuracy",
             "from_epoch", "to_epoch", "seconds", "epochs_per_second", "diverged",
             "target_epoch", "oscillating", "suggested_learning_rate", "message"}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_prints_one_line_per_builtin_preset(capsys):
    code, out, _ = run(capsys, "list")
    lines = out.splitlines()
    assert code == 0
    assert len(lines) == len(builtin_presets())
    assert any(line.split()[0] == "xor" and "XOR" in line for line in lines)


def test_show_prints_description_and_settings(capsys):
    code, out, _ = run(capsys, "show", "xor")
    assert code == 0
    assert "2-2-1" in out and "learning rate" in out and "hidden" in out


def test_train_json_is_exactly_one_object_and_learns(capsys):
    code, out, _ = run(capsys, "train", "xor", "--epochs", "1500", "--json")
    report = json.loads(out)
    assert code == 0 and set(report) == JSON_KEYS
    assert report["epochs"] == 1500 and report["preset"] == "xor"
    assert report["final_loss"] < 0.05 and report["accuracy"] == 1.0
    assert report["test_loss"] is None and report["diverged"] is False
    assert report["test_accuracy"] is None


def test_train_json_gives_test_accuracy_beside_accuracy(capsys):
    code, out, _ = run(capsys, "train", "spiral", "--epochs", "3", "--json")
    report = json.loads(out)
    assert code == 0 and 0 <= report["test_accuracy"] <= 1 and 0 <= report["accuracy"] <= 1


def test_resume_without_epochs_goes_on_to_the_budget_and_says_from_where(capsys, tmp_path):
    file = tmp_path / "xor.npz"
    budget = next(p.epochs for p in builtin_presets() if p.name == "xor")
    run(capsys, "train", "xor", "--epochs", "30", "--save", str(file))
    code, out, err = run(capsys, "train", "--resume", str(file))
    assert code == 0 and err == ""
    assert out.startswith(f"xor: epochs 30 -> {budget}, {budget - 30} in ")


def test_resume_past_the_budget_says_it_trained_nothing_and_how_to_go_on(capsys, tmp_path):
    file = tmp_path / "xor.npz"
    budget = next(p.epochs for p in builtin_presets() if p.name == "xor")
    run(capsys, "train", "xor", "--epochs", str(budget + 1), "--save", str(file))
    code, out, _ = run(capsys, "train", "--resume", str(file))
    assert code == 0 and f"at epoch {budget + 1:,}, nothing trained" in out
    assert f"used up the budget of {budget:,} epochs" in out and "--epochs N" in out


def test_resume_of_weights_that_blow_up_says_it_diverged_where_it_started(capsys, tmp_path):
    """Weights of 1.7e308 (finite) diverge on the first step: training goes back to the
    saved epoch, not to an epoch before it replayed from the seed's weights."""
    file = tmp_path / "sine.npz"
    run(capsys, "train", "sine", "--epochs", "3", "--save", str(file))
    with np.load(file) as saved:
        arrays = dict(saved)
    arrays["weights.1"] = np.full_like(arrays["weights.1"], 1.7e308)
    np.savez(file, **arrays)
    code, out, _ = run(capsys, "train", "--resume", str(file), "--epochs", "2", "--json")
    report = json.loads(out)
    assert code == 0 and report["diverged"] is True
    assert (report["epochs"], report["from_epoch"], report["to_epoch"]) == (0, 3, 3)
    assert report["message"].startswith("training diverged") and "restored epoch 3" in \
        report["message"]


def test_train_overrides_and_regression_accuracy_is_null(capsys):
    code, out, _ = run(capsys, "train", "sine", "--epochs", "5", "--lr", "0.001",
                       "--optimizer", "momentum", "--batch-size", "8", "--seed", "3", "--json")
    report = json.loads(out)
    assert code == 0 and report["accuracy"] is None and report["epochs"] == 5


def test_save_then_resume_equals_an_uninterrupted_run(capsys, tmp_path):
    file = tmp_path / "spiral.npz"
    run(capsys, "train", "spiral", "--epochs", "30", "--optimizer", "adam", "--save", str(file))
    code, out, _ = run(capsys, "train", "--resume", str(file), "--epochs", "20", "--json")
    resumed = json.loads(out)
    _, out, _ = run(capsys, "train", "spiral", "--epochs", "50", "--optimizer", "adam", "--json")
    straight = json.loads(out)
    assert code == 0 and resumed["epochs"] == 20
    assert resumed["final_loss"] == straight["final_loss"]


def test_train_diverging_reports_it(capsys):
    code, out, _ = run(capsys, "train", "twice", "--lr", "10", "--epochs", "2000", "--json")
    report = json.loads(out)
    assert code == 0 and report["diverged"] is True and report["epochs"] < 2000
    assert np.isfinite(report["final_loss"])


def test_check_passes_on_a_preset(capsys):
    code, out, _ = run(capsys, "check", "chain")
    assert code == 0 and "w(1)" in out and "w(2)" in out
    assert "central finite differences" in out and "on 2 of 2 training samples" in out


def test_check_of_a_model_without_bias_has_no_bias_column(capsys):
    code, out, _ = run(capsys, "check", "twice")
    assert code == 0 and "biases" not in out and "weights" in out


def test_check_fails_when_backprop_is_wrong(capsys, monkeypatch):
    from core.engine.network import Network

    exact = Network.gradients

    def off_by_a_bit(self, X, Y):
        grad_w, grad_b = exact(self, X, Y)
        grad_w[0] = grad_w[0] * 1.001
        return grad_w, grad_b

    monkeypatch.setattr(Network, "gradients", off_by_a_bit)
    code, out, _ = run(capsys, "check", "xor")
    assert code == 1 and "FAILED" in out


@pytest.mark.parametrize("argv, words", [
    (["show", "nope"], ["nope", "unknown preset"]),
    (["train", "xor", "--lr", "-1"], ["--lr", "expected a finite number > 0, got -1.0"]),
    (["train", "xor", "--epochs", "ten"], ["--epochs", "ten"]),
    (["train", "xor", "--optimizer", "sgdx"], ["optimizer", "sgdx"]),
    (["train", "--epochs", "3"], ["PRESET"]),
    (["train", "--resume", "missing.npz", "--epochs", "3"], ["missing.npz"]),
    (["frobnicate"], ["frobnicate"]),
    (["train", "xor", "--save", "no/such/folder/xor.npz"], ["--save", "existing folder"]),
    (["show", "{tmp}/folder.toml"], ["folder.toml: cannot read: Is a directory"]),
    (["train", "--resume", "{tmp}/mine.toml", "--epochs", "3"], ["mine.toml", "not a session"]),
    (["show", "{tmp}/long.toml"], ["long.csv line 2", "a cell longer than 1,000 characters"]),
    (["show", "{tmp}/latin.toml"], ["latin.toml: cannot read: not UTF-8 text"]),
])
def test_bad_input_is_one_error_line_and_exit_2(capsys, tmp_path, argv, words):
    (tmp_path / "folder.toml").mkdir()
    (tmp_path / "mine.toml").write_text('name = "mine"\n')
    (tmp_path / "latin.toml").write_bytes('name = "Müller"\n'.encode("latin-1"))
    (tmp_path / "long.csv").write_text("x,y\n1," + "2" * 200_000 + "\n")
    (tmp_path / "long.toml").write_text('[data]\ncsv = "long.csv"\ntargets = ["y"]\n'
                                        '[model]\nlayers = [1, 1]\n')
    code, out, err = run(capsys, *(arg.format(tmp=tmp_path) for arg in argv))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")
    for word in words:
        assert word in err


def test_save_to_an_empty_name_is_refused_before_training(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("", " "):
        code, out, err = run(capsys, "train", "xor", "--epochs", "5", "--save", name)
        assert code == 2 and out == "" and list(tmp_path.iterdir()) == []
        assert err.startswith("error: ") and "--save" in err and err.count("\n") == 1


@pytest.mark.parametrize("argv", [
    ["train", "xor", "--epochs", "1000001"],
    ["train", "xor", "--epochs", "1" + "0" * 30],
    ["explain", "1.1", "--epoch", "1000001"],
])
def test_epochs_on_the_command_line_are_bounded_like_a_budget(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("error: ") and "1,000,000" in err


def test_explain_shows_training_progress_on_a_terminal_past_the_threshold(capsys, monkeypatch):
    """explain --epoch N trains with train's progress line (after a second on a terminal;
    the second is made zero here, so the test does not wait for a clock)."""
    import core.session.scripted

    monkeypatch.setattr(core.session.scripted, "PROGRESS_AFTER_SECONDS", 0.0)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, out, err = run(capsys, "explain", "1.1", "--epoch", "40")
    assert code == 0 and "after 40 epochs" in out
    assert "40/40 epochs" in err and err.endswith("\r")      # shown, then erased


LONG = "a" * 100_000


@pytest.mark.parametrize("argv", [
    [LONG], ["explain", LONG], ["train", "xor", "--epochs", LONG], ["train", "xor", "--lr", LONG],
    ["train", "xor", "--" + LONG], ["train", "--resume", LONG + ".npz"],
    ["train", "xor", "--save", LONG + "/x.npz"],
])
def test_an_error_line_quotes_a_long_argument_short(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("error: ") and len(err) <= MAX_ERROR_CHARS + 1 and "aaaa" in err


def test_bad_preset_file_and_truncated_session_file_exit_2_without_traceback(tmp_path):
    broken = tmp_path / "mine.toml"
    broken.write_text('name = "mine"\n[model\nlayers = [2, 1]\n')
    saved = tmp_path / "xor.npz"
    assert main(["train", "xor", "--epochs", "3", "--save", str(saved)]) == 0
    truncated = tmp_path / "cut.npz"
    truncated.write_bytes(saved.read_bytes()[:200])
    for argv, name in ((["check", str(broken)], "mine.toml"),
                       (["train", "--resume", str(truncated), "--epochs", "2"], "cut.npz")):
        result = subprocess.run([sys.executable, "-m", "core", *argv],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("error: ") and name in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_bench_json_reports_ratios_for_every_problem(capsys):
    code, out, _ = run(capsys, "bench", "--json", "--seconds", "0.05")
    report = json.loads(out)
    assert code == 0
    assert [p["problem"] for p in report["problems"]] == ["xor", "spiral", "digits", "wide"]
    for problem in report["problems"]:
        assert problem["engine_epochs_per_second"] > 0
        assert problem["engine_vs_reference"] == pytest.approx(
            problem["engine_epochs_per_second"] / problem["reference_epochs_per_second"])
    assert report["session"]["run_epochs_per_second"] > 0
