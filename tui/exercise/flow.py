"""``x`` and the palette's "Grade my backprop…": ask for the file, then open the grading
view over the live network. A served app refuses: grading runs the file's code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from core.exercises import DEFAULT_FILE

from .prompt import GradeFilePrompt

if TYPE_CHECKING:
    from ..screens.session_screen import SessionScreen

SERVED_REFUSAL = ("Grading runs your code, and a served app never runs code it is sent (that "
                  "would be remote execution on the machine serving it): grade on your own "
                  "computer with python -m core grade.")


@work(group="dialog")
async def grade_backprop(screen: SessionScreen) -> None:
    """Ask which file to grade (default ``my_backprop.py`` here), then grade it against
    the live network in the grading view."""
    app = screen.app
    if getattr(app, "files_root", None) is not None:
        screen.notify(SERVED_REFUSAL, title="Grade my backprop", severity="error", timeout=10,
                      markup=False)
        return
    path = await app.push_screen_wait(GradeFilePrompt(DEFAULT_FILE))
    if path is not None:
        from .screen import GradingScreen

        await app.push_screen(GradingScreen(screen.session, path))
