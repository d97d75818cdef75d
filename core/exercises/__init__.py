"""Build it yourself: the learner writes backpropagation in numpy, graded layer by layer
against the engine.

``python -m core exercise`` writes the starter file (``starter``); ``python -m core grade``
runs the learner's functions in a child process (``sandbox``), never in ours, and compares
what they return with the engine (``grading``), naming the known slip (``slips``) that
explains a difference.
"""

from .catalogue import EXERCISES, Exercise, ExerciseFunction
from .grading import GradeError, Limits, grade_file, grade_network, grade_snapshot
from .live import LiveGradients, ParameterGradient
from .progress import record_passes
from .report_text import exercise_lines, report_lines
from .results import ExerciseResult, FunctionResult, GradeReport, QuantityResult
from .slips import SLIPS
from .starter import DEFAULT_FILE, StarterExists, starter_text, write_starter

__all__ = [
    "DEFAULT_FILE", "EXERCISES", "SLIPS", "Exercise", "ExerciseFunction", "ExerciseResult",
    "FunctionResult", "GradeError", "GradeReport", "Limits", "LiveGradients",
    "ParameterGradient", "QuantityResult",
    "StarterExists", "exercise_lines", "grade_file", "grade_network", "grade_snapshot",
    "record_passes", "report_lines", "starter_text", "write_starter",
]
