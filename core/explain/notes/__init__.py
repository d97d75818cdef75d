"""The notes, alive: every numbered equation of sections 1.0-1.7 with the live network's
numbers, the lessons that teach them, and a grader for their questions.

For a view (the app's lesson screen)::

    ws = explain_snapshot("1.5", snapshot, session.preset)   # or explain(section, net, X, Y)
    ws.equations        # Equation: number, formula, substituted, value, notes_as_written...
    ws.errata           # where the notes err, with the true value and finite differences
    ws.epsilon          # section 1.0: estimates against epsilon (EpsilonStudy)
    lesson = load_lesson("1.5"); lesson.pages; lesson.questions
    grade(lesson.questions[0], "0.12", ws.live_values())
"""

from .grading import Grade, answer_format, grade, lookup, parse_number, refusal, tolerance
from .held import NOTHING, Held, held_values
from .lessons import Lesson, LessonError, Question, lessons_dir, load_lesson, load_lessons
from .sections import (
    SECTIONS,
    Section,
    explain,
    explain_snapshot,
    fits,
    network_from_snapshot,
    section,
)
from .worksheet import (
    EpsilonPoint,
    EpsilonStudy,
    Equation,
    ExplainError,
    LiveValue,
    Named,
    Worksheet,
)

__all__ = [
    "NOTHING", "SECTIONS", "EpsilonPoint", "EpsilonStudy", "Equation", "ExplainError", "Grade",
    "Held", "Lesson", "LessonError", "LiveValue", "Named", "Question", "Section", "Worksheet",
    "answer_format", "explain", "explain_snapshot", "fits", "grade", "held_values",
    "lessons_dir", "load_lesson", "load_lessons", "lookup", "network_from_snapshot",
    "parse_number", "refusal", "section", "tolerance",
]
