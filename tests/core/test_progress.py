"""The progress file: written whole, read back the same, and read defensively (a damaged
file is one line and a fresh start, never an exception)."""

from __future__ import annotations

import pytest

from core.explain.notes import Grade
from core.progress import Answer, Progress


def test_progress_is_read_back_as_it_was_kept(tmp_path):
    path = tmp_path / "data" / "progress.json"
    kept = Progress(path)
    kept.record(Answer("1.5", "w1-gradient", "-0.0169",
                       Grade(True, "-0.0168515", 0.000168, "working"), 12))
    kept.last_section = "1.5"
    kept.record_exercise_passed("sigmoid")
    again = Progress(path)
    assert again.problem == "" and again.last_section == "1.5"
    assert again.get("1.5", "w1-gradient") == kept.get("1.5", "w1-gradient")
    assert again.count("1.5") == (1, 1) and again.exercises == {"sigmoid": {"passed": True}}
    again.clear()
    assert Progress(path).answers == {}


@pytest.mark.parametrize("content", [
    b"{not json", b"\xff\xfe", b"[]", b'{"version": 2}',
    b'{"version": 1, "answers": {"1.1": {"sign": {"text": "-", "correct": true, '
    b'"epoch": true, "expected": "negative", "tolerance": null, "working": "", '
    b'"note": ""}}}}',
    b'{"version": 1, "answers": {"1.1": []}}',
])
def test_a_damaged_file_is_one_line_and_a_fresh_start(tmp_path, content):
    path = tmp_path / "progress.json"
    path.write_bytes(content)
    progress = Progress(path)
    assert progress.answers == {} and "progress.json" in progress.problem
    assert "\n" not in progress.problem and "afresh" in progress.problem


def test_a_folder_where_the_file_goes_is_one_line_and_nothing_is_lost(tmp_path):
    (tmp_path / "progress.json").mkdir()
    progress = Progress(tmp_path / "progress.json")
    progress.record(Answer("1.1", "sign", "+", Grade(False, "negative", None, ""), 0))
    assert progress.get("1.1", "sign") is not None and "\n" not in progress.problem
    assert progress.problem


def test_without_a_path_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    progress = Progress()
    progress.record(Answer("1.1", "sign", "+", Grade(False, "negative", None, ""), 0))
    assert progress.get("1.1", "sign") is not None and not any(tmp_path.iterdir())
