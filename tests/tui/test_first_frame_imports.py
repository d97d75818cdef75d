"""The first frame of ``python -m tui`` (lesson 1.0) waits for nothing it does not show: the
formula grader, the dialogs and the error hunt load when first used, and the lesson is read
from its own file only (``tui.bench`` times the first frame)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.explain.notes import LessonError, lessons_dir, load_lesson, load_lessons

FIRST_FRAME = """
import json, sys
from tui.__main__ import build_app, build_parser

app = build_app(build_parser().parse_args([]))

async def first_frame(pilot):
    await pilot.pause()
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump({"screen": type(app.screen).__name__,
                   "status": str(app.screen.query_one("#status").render()),
                   "modules": sorted(sys.modules)}, out)
    app.exit()

app.run(headless=True, size=(120, 40), auto_pilot=first_frame)
"""
NOT_ON_THE_FIRST_SCREEN = ("core.explain.formula", "tui.screens.error_hunt",
                           "tui.screens.learning_rate", "tui.screens.quit_confirm")


def test_lesson_start_loads_only_what_it_shows(tmp_path):
    """Lesson 1.0 on screen, its status bar at epoch 0, and none of the formula parser, the
    error hunt or the dialogs loaded."""
    out = tmp_path / "first_frame.json"
    subprocess.run([sys.executable, "-c", FIRST_FRAME, str(out)], check=True, timeout=120,
                   cwd=Path(__file__).resolve().parents[2])
    seen = json.loads(out.read_text(encoding="utf-8"))
    assert seen["screen"] == "LessonScreen"
    assert "epoch 0" in seen["status"]
    loaded = [m for m in seen["modules"] if m.startswith(NOT_ON_THE_FIRST_SCREEN)]
    assert loaded == []


def test_a_lesson_opens_without_reading_the_lessons_after_it(tmp_path):
    """A broken lesson file later in the folder stops the list of lessons, not lesson 1.0."""
    first = next(p for p in sorted(lessons_dir().glob("*.md")) if p.name.startswith("1.0"))
    (tmp_path / first.name).write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "1.1-broken.md").write_text("no front matter\n", encoding="utf-8")
    assert load_lesson("1.0", tmp_path).title == load_lesson("1.0").title
    with pytest.raises(LessonError, match="1.1-broken.md: front matter"):
        load_lessons(tmp_path)
