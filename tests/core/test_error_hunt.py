"""Hunt the notes' errors: what the hunt shows and how it grades the learner's marks."""

from __future__ import annotations

import numpy as np
import pytest

from core.explain.notes import explain_snapshot
from core.explain.notes.error_hunt import (
    HUNT_SECTIONS,
    grade_hunt,
    hunt_grade,
    hunt_items,
    marks_text,
    read_marks,
)
from core.session import Session

PRESETS = {"1.4": "chain", "1.5": "chain", "1.7": "xor"}


def worksheet(section: str):
    session = Session(PRESETS[section], seed=3)
    try:
        return explain_snapshot(section, session.snapshot(), session.preset)
    finally:
        session.close()


@pytest.mark.parametrize("section", HUNT_SECTIONS)
def test_the_hunt_shows_what_the_notes_write_and_a_perfect_set_of_marks_is_right(section):
    sheet = worksheet(section)
    items = hunt_items(sheet)
    assert [i.key for i in items] == [e.key for e in sheet.equations]
    wrong = {e.key for e in sheet.errata}
    assert wrong
    for item, equation in zip(items, sheet.equations):
        shown = equation.notes_as_written if equation.key in wrong else equation.value
        assert np.allclose(item.value, shown)          # the notes' value, no erring mark
        if equation.key in wrong and item.referee is not None:
            assert not np.allclose(item.value, item.referee)    # the referee disagrees
    result = grade_hunt(sheet, wrong)
    assert result.correct and set(result.found) == wrong
    assert not result.missed and not result.accused
    assert hunt_grade(result).correct


def test_a_wrong_set_of_marks_reports_the_missed_and_the_wrongly_accused():
    sheet = worksheet("1.5")
    marks = {"1.5.12", "1.5.4"}            # one error found, two missed, one right accused
    result = grade_hunt(sheet, marks)
    assert result.found == ("1.5.12",)
    assert result.missed == ("1.5.7", "1.5.13")
    assert result.accused == ("1.5.4",)
    grade = hunt_grade(result)
    assert not grade.correct
    assert "missed: 1.5.7, 1.5.13" in grade.working_text
    assert "wrongly accused: 1.5.4" in grade.working_text
    # the corrections, with the notes' value, the true value and the referee's estimate
    twelve = sheet.equation("1.5.12")
    correction = next(c for c in result.corrections if c.startswith("(1.5.12)"))
    for label in ("as the notes write it", "true value", "finite differences"):
        assert label in correction
    assert f"{twelve.value:.6g}"[:6] in correction


def test_marks_are_kept_as_text_in_the_worksheet_s_order():
    sheet = worksheet("1.7")
    text = marks_text({"1.7.4 l=1", "1.7.2 l=1"}, sheet)
    assert text == "1.7.2 l=1, 1.7.4 l=1"
    assert read_marks(text) == ("1.7.2 l=1", "1.7.4 l=1")
    assert read_marks("") == ()
