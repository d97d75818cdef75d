"""Where a grade's passes go: the course's progress store (``core.progress``).

The app hands its learner's store, so an exercise passed in the grading view is kept with
the lessons' answers; the command line has no learner's store and keeps nothing.
"""

from __future__ import annotations

from ..progress import Progress
from .results import GradeReport


def record_passes(report: GradeReport, progress: Progress | None = None) -> list[str]:
    """Keep in ``progress`` (if any) every exercise ``report`` found all right; returns
    their names."""
    if progress is not None:
        for name in report.passed:
            progress.record_exercise_passed(name)
    return report.passed
