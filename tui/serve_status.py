"""What a served tab tells the teacher: a small JSON file in the tab's own folder, rewritten
when it changes (at most every ``EVERY`` seconds), that the server reads for the teacher's
view (``tui.classroom.teacher``). No database and nothing shared between tabs: each tab
writes only its own file, the server only reads.

The status comes from what the app holds: the student's name (given in the tab's address, or
typed when the tab opens), the lesson on screen and its page, the learner's answers to that
lesson's questions (right, wrong or not yet: the progress the app keeps, ``app.answers``),
and the session's epoch and training loss.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from pathlib import Path
from typing import Any

STATUS_VARIABLE = "BACKPROP_TUI_STATUS"
"""Names the file a served tab writes its status to (set by the server, in the tab's folder)."""
NAME_VARIABLE = "BACKPROP_TUI_NAME"
"""The student's name from the tab's address; set but empty, the tab asks for it."""
EVERY = 0.5        # seconds between two looks at whether the status changed


def tab_status(app: Any) -> dict[str, Any]:
    """The status of ``app`` (a ``BackpropApp``): lesson, page, answers, epoch and loss."""
    from .screens.lesson import LessonScreen

    lesson = next((screen for screen in reversed(app.screen_stack)
                   if isinstance(screen, LessonScreen)), None)
    snapshot = app.controller.snapshot
    status: dict[str, Any] = {"lesson": None, "page": None, "pages": None, "questions": [],
                              "epoch": None, "loss": None, "state": None}
    if snapshot is not None:
        status.update(epoch=snapshot.epoch, state=snapshot.state,
                      loss=snapshot.loss if math.isfinite(snapshot.loss) else None)
    if lesson is not None:
        given = app.answers.of(lesson.lesson.section)
        status.update(
            lesson=f"{lesson.lesson.section} {lesson.lesson.title}", page=lesson.page + 1,
            pages=len(lesson.lesson.pages),
            questions=[[question.id, _verdict(given.get(question.id))]
                       for question in lesson.lesson.questions])
    return status


def _verdict(answer: Any) -> str:
    """right, wrong or not yet."""
    if answer is None:
        return "not yet"
    return "right" if answer.grade.correct else "wrong"


class StatusWriter:
    """Writes ``app``'s status, with the student's ``name``, to ``path`` whenever it changed
    (``look``, every ``EVERY`` seconds); atomically, so the server never reads half a file."""

    def __init__(self, app: Any, path: Path, name: str = "") -> None:
        self.app, self.path, self.name = app, path, name
        self.written: dict[str, Any] | None = None

    def named(self, name: str | None) -> None:
        """The student typed ``name`` (empty or None: none); told at the next look."""
        self.name = name or ""

    def look(self) -> None:
        """Write the status if it changed since it was last written."""
        try:
            status = tab_status(self.app)
        except Exception:          # the app is starting or ending: nothing to tell yet
            return
        status["name"] = self.name or None
        if status == self.written:
            return
        partial = self.path.with_name(self.path.name + ".new")
        with contextlib.suppress(OSError):
            partial.write_text(json.dumps(status))
            os.replace(partial, self.path)
            self.written = status


def start_status(app: Any) -> None:
    """Write ``app``'s status every ``EVERY`` seconds to the file the server named (none:
    nothing is written), first asking the student's name if the server says to; on the
    app's thread, once it runs."""
    path = os.environ.get(STATUS_VARIABLE)
    if not path:
        return
    name = os.environ.get(NAME_VARIABLE)
    writer = StatusWriter(app, Path(path), name or "")
    app.set_interval(EVERY, writer.look)
    if name == "":
        from .screens.name_prompt import NamePrompt

        app.push_screen(NamePrompt(), callback=writer.named)
