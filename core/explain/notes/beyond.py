"""Sections 2.1-2.4: ours, beyond the notes (the notes stop at 1.7; the numbering after it
is this project's). Each is (number, title, default preset, equations, worksheet)."""

from .cost_count import TITLE as TITLE_2_3
from .cost_count import section_2_3
from .depth import TITLE as TITLE_2_4
from .depth import section_2_4
from .forks import TITLE as TITLE_2_1
from .forks import section_2_1
from .matrix_form import TITLE as TITLE_2_2
from .matrix_form import section_2_2

BEYOND = (
    ("2.1", TITLE_2_1, "fork", 7, section_2_1),
    ("2.2", TITLE_2_2, "xor", 5, section_2_2),
    ("2.3", TITLE_2_3, "xor", 7, section_2_3),
    ("2.4", TITLE_2_4, "deep-chain", 5, section_2_4),
)
"""The sections after the notes, in order."""
