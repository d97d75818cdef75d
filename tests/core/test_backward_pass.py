"""One full backward pass by hand: the steps format, each step's key and its grading."""

from __future__ import annotations

import numpy as np
import pytest

from core.explain.notes import explain_snapshot, held_values, load_lesson, lookup
from core.explain.notes.backward_pass import closed, pass_values
from core.explain.notes.grading import GIVE_UP, give, grade, grade_pass
from core.explain.notes.lessons import LessonError, parse_lesson
from core.session import Session

HEAD = '+++\nsection = "1.5"\ntitle = "t"\npreset = "chain"\n'
PASS = '''[[questions]]
id = "pass"
prompt = "p"
answer = "1.5.12"
kind = "steps"
row = 2
'''
STEP = '''[[questions.steps]]
id = "{id}"
prompt = "p"
answer = "{answer}"
kind = "{kind}"
'''


def lesson_text(questions: str) -> str:
    return HEAD + questions + "+++\ntext\n"


def live(section: str):
    lesson = load_lesson(section)
    session = Session(lesson.preset, seed=3)
    try:
        return lesson, explain_snapshot(section, session.snapshot(), session.preset)
    finally:
        session.close()


@pytest.mark.parametrize("section, row", [("1.5", 2), ("1.7", 3)])
def test_each_step_is_the_engine_s_row_value_and_their_product_its_gradient(section, row):
    lesson, worksheet = live(section)
    question = lesson.questions[-1]
    assert question.kind == "steps" and question.row == row
    values = worksheet.live_values()
    network = values["network"].value
    x = np.asarray(network["inputs"], dtype=float)[row - 1, 0]
    # worked apart from the pass keys: the chain rule from the worksheet's own parameters
    w1 = np.asarray(network["parameters"]["w(1)"], dtype=float)
    b1 = np.asarray(network["parameters"]["b(1)"], dtype=float)
    w2 = np.asarray(network["parameters"]["w(2)"], dtype=float)
    b2 = np.asarray(network["parameters"]["b(2)"], dtype=float)
    xs = np.asarray(network["inputs"], dtype=float)[row - 1]
    a1 = 1 / (1 + np.exp(-(xs @ w1 + b1)))
    a2 = float((1 / (1 + np.exp(-(a1 @ w2 + b2))))[0])
    y = float(np.asarray(network["targets"], dtype=float)[row - 1, 0])
    expected = {"output-error": 2 * (a2 - y), "output-slope": a2 * (1 - a2),
                "passed-back": 2 * (a2 - y) * a2 * (1 - a2) * w2[0, 0],
                "hidden-slope": a1[0] * (1 - a1[0]), "input": x}
    expected["product"] = (expected["passed-back"] * expected["hidden-slope"] * x)
    truths = {"output-slope": "a2 (1 - a2)", "input": "x" if section == "1.5" else "x1",
              "passed-back": "2(a2 - y) a2 (1 - a2) w2[1,1]",
              "hidden-slope": "a(1)[1] (1 - a(1)[1])"}
    replies = {}
    for step in question.steps:
        name = step.id.split("/")[1]
        text = truths[name] if step.kind == "formula" else repr(float(expected[name]))
        verdict = grade(step, text, values)
        assert verdict.correct, (step.id, verdict)
        replies[step.id] = (text, verdict)
        if step.kind == "number":        # off by a factor of two is wrong
            assert not grade(step, repr(float(2 * expected[name] + 1e-3)), values).correct
    whole = grade_pass(question, replies)
    assert whole.correct
    # the product, taken on every row, averages to the equation the pass ends in
    rows = pass_values(question.steps[-1].answer, values)
    (products,) = rows.values()
    assert np.isclose(np.mean(products.value), lookup(question.answer, values).value)


def test_a_step_given_with_a_question_mark_is_recorded_as_given_not_right():
    lesson, worksheet = live("1.5")
    question = lesson.questions[-1]
    values = worksheet.live_values()
    replies = {}
    for step in question.steps:
        shown = give(step, values)
        assert not shown.correct and shown.expected
        replies[step.id] = (GIVE_UP, shown)
    whole = grade_pass(question, replies)
    assert not whole.correct
    assert whole.working_text.count("given:") == len(question.steps)


def test_a_formula_step_names_the_missing_slope():
    lesson, worksheet = live("1.7")
    step = lesson.questions[-1].steps[2]          # the error passed back
    verdict = grade(step, "2(a2 - y) w2[1,1]", worksheet.live_values())
    assert not verdict.correct
    assert "σ'" in verdict.working_text or "slope" in verdict.working_text


@pytest.mark.parametrize("questions, field", [
    (PASS, "questions[1].steps: expected at least one"),
    (PASS.replace("row = 2", "row = 0"), "questions[1].row: expected the row's number"),
    (PASS + STEP.format(id="a", answer="output error", kind="sign"),
     "questions[1].steps[1].kind: expected one of number, formula"),
    (PASS + STEP.format(id="a", answer="the error", kind="number"),
     "questions[1].steps[1].answer: expected one of output error"),
    (PASS + STEP.format(id="a", answer="output error", kind="number")
     + STEP.format(id="a", answer="input", kind="number"), "steps: ids must be unique"),
    (PASS.replace('kind = "steps"', 'kind = "number"'),
     "questions[1].steps: only a steps question"),
])
def test_a_malformed_pass_is_one_line_naming_the_field(questions, field):
    with pytest.raises(LessonError) as caught:
        parse_lesson(lesson_text(questions), "x.md")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("x.md: ") and field in message, message


def test_a_pass_in_a_section_without_one_is_refused():
    text = lesson_text(PASS + STEP.format(id="a", answer="output error", kind="number"))
    with pytest.raises(LessonError, match="needs a backward pass"):
        parse_lesson(text.replace('"1.5"', '"1.3"', 1), "x.md")


def test_a_wrong_try_leaves_a_step_open_for_what_is_held():
    lesson, worksheet = live("1.5")
    values = worksheet.live_values()
    question = lesson.questions[-1]
    first, second, third = question.steps[:3]
    answers = {"moves-most": Kept("w(1)", grade(lesson.questions[0], "w(1)", values)),
               first.id: Kept("123", grade(first, "123", values)),
               second.id: Kept(GIVE_UP, give(second, values)),
               third.id: Kept("1", grade(third, "1", values))}
    # a wrong answer closes a question, but a step only once right or given
    assert closed(answers) == {"moves-most", second.id}
    held = held_values(worksheet, lesson.questions, closed(answers))
    (output_error,) = pass_values(first.answer, values).values()
    assert held.covers(output_error.value[question.row - 1])      # still held
    assert "1.5.12" in held.equations


class Kept:
    """An answer as the progress keeps it: what was typed and its grade."""

    def __init__(self, text, grade):
        self.text, self.grade = text, grade
