"""Formula questions in the lessons: each is graded through the lesson grader on the
worksheet's live network (before and after training), refuses code in one line that is not
an attempt, lists its names, and ``explain --json`` prints its names and true expression."""

from __future__ import annotations

import json

import pytest

from core.cli import main
from core.explain.formula import KEYS, formula_key, parse
from core.explain.notes import (
    LessonError,
    answer_format,
    explain_snapshot,
    grade,
    load_lesson,
    load_lessons,
    refusal,
)
from core.explain.notes.lessons import parse_lesson
from core.session import Session

FORMULA_LESSON = """+++
section = "1.5"
title = "t"
preset = "chain"

[[questions]]
id = "q"
prompt = "p"
answer = "{answer}"
kind = "{kind}"
{extra}
+++
# text
"""


def worksheets(section: str):
    """The section's worksheet on its lesson's preset at epoch 0 and after 300 epochs."""
    session = Session(load_lesson(section).preset)
    try:
        yield explain_snapshot(section, session.snapshot(), session.preset)
        yield explain_snapshot(section, session.step(300), session.preset)
    finally:
        session.close()


def formula_questions():
    return [(lesson.section, q) for lesson in load_lessons() for q in lesson.questions
            if q.kind == "formula"]


def test_every_section_from_1_1_to_1_7_asks_for_a_formula():
    asked = {question.answer for _, question in formula_questions()}
    assert {f"1.{k}" for k in range(1, 8)} <= {formula_key(key).section for key in asked} | {
        "2.1", "2.2", "2.4"}
    assert {"1.4.2", "1.5.12", "1.7.2 l=1[1,1]", "1.7.4 l=2[1]"} <= asked


@pytest.mark.parametrize("section, question", formula_questions(),
                         ids=lambda v: getattr(v, "id", v))
def test_a_formula_question_is_graded_on_the_live_network(section, question):
    key = formula_key(question.answer)
    assert key.section == section
    assert all(name in answer_format(question) for name in question.names)
    for sheet in worksheets(section):
        values = sheet.live_values()
        right = grade(question, key.row, values)
        assert right.correct and right.expected == key.truth and right.tolerance is None
        wrong = grade(question, "1", values)
        assert not wrong.correct and wrong.understood and "Not counted" not in \
            wrong.working_text and f"for one row i: {key.row}" in wrong.working_text
        code = "__import__('os').system('echo hi')"
        refused = grade(question, code, values)
        assert not refused.understood and refused.expected == ""
        assert refused.working_text == refusal(question, code)
        assert refused.working_text.startswith("Not counted: unknown name '__import__'")
        assert "\n" not in refused.working_text and "system" not in refused.working_text


def test_the_notes_1_5_12_typed_in_gets_the_sigma_prime_diagnosis():
    question = next(q for _, q in formula_questions() if q.answer == "1.5.12")
    sheet = next(worksheets("1.5"))
    verdict = grade(question, "2 (a_i(2) − y_i) a_i(2)(1 − a_i(2)) w(2) x_i",
                    sheet.live_values())
    assert not verdict.correct
    assert "σ' missing" in verdict.working_text and "as the notes write 1.5.12" in \
        verdict.working_text


@pytest.mark.parametrize("answer, kind, extra, message", [
    ("1.5.99", "formula", "", "questions[1].answer: no formula key '1.5.99'"),
    ("1.5.12", "formula", 'names = ["x", "q"]', "questions[1].names: q not among"),
    ("1.5.12", "formula", 'names = ["x", "y"]',
     "questions[1].names: the truth cannot be written in them (unknown name 'a(2)'"),
    ("1.5.12", "number", 'names = ["x"]', "questions[1].names: only a formula question"),
    ("1.5.12", "formula", "names = []", "questions[1].names: expected a list of names"),
])
def test_a_malformed_formula_question_is_one_line_naming_the_field(answer, kind, extra,
                                                                   message):
    with pytest.raises(LessonError) as error:
        parse_lesson(FORMULA_LESSON.format(answer=answer, kind=kind, extra=extra), "q.md")
    assert message in str(error.value) and "\n" not in str(error.value)


def test_explain_json_lists_each_formula_question_with_its_names_and_truth(capsys):
    assert main(["explain", "1.7", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["formulas"]
    asked = [q for q in load_lesson("1.7").questions if q.kind == "formula"]
    assert [f["id"] for f in listed] == [q.id for q in asked]
    for entry, question in zip(listed, asked):
        key = KEYS[entry["key"]]
        assert entry["names"] == list(question.names) and entry["truth"] == key.truth
        parse(entry["truth"], key.vocabulary(entry["names"]))   # the printed key parses
