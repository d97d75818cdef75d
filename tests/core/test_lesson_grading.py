"""Every answer key grades what its prompt asks, with a tolerance that stays fair as the
network trains: checked against the engine itself (its forward pass, cost and gradients),
at epoch 0 and after 2,000 epochs, for every question of every lesson."""

from __future__ import annotations

import re

import numpy as np
import pytest

from core.explain.notes import (
    explain_snapshot,
    grade,
    load_lesson,
    load_lessons,
    lookup,
    network_from_snapshot,
    refusal,
    tolerance,
)
from core.explain.notes.grading import ZERO
from core.session import Session

EPOCHS = (0, 2000)
SIGN_TEXT = {"positive": "+", "negative": "-", "zero": "0"}


class Trained:
    """A lesson's preset trained for some epochs: the engine's network, its rows, the
    learning rate, and the section's worksheet on the same state."""

    def __init__(self, section: str, epochs: int, epsilon: float = 1e-3) -> None:
        lesson = load_lesson(section)
        session = Session(lesson.preset)
        try:
            snapshot = session.step(epochs) if epochs else session.snapshot()
            self.net = network_from_snapshot(snapshot, session.preset)
            self.X, self.Y = snapshot.X_train, snapshot.Y_train
            self.eta = snapshot.learning_rate
            self.sheet = explain_snapshot(section, snapshot, session.preset, epsilon=epsilon)
        finally:
            session.close()
        self.epsilon = epsilon

    def cost_with_first_weight(self, w: float) -> float:
        net = self.net.copy()
        net.weights[0][0, 0] = w
        return float(net.loss(self.X, self.Y))

    def through_output(self, k: int) -> float:
        """dC/dw(1)[1,1] with only output k's error: every other target is its output."""
        Y = self.net.forward(self.X).copy()
        Y[:, k] = self.Y[:, k]
        return float(self.net.gradients(self.X, Y)[0][0][0, 0])

    def engine(self, key: str) -> float:
        """The value the question ``key`` asks for, from the engine's own API."""
        a = self.net.forward_layers(self.X)
        dW, _ = self.net.gradients(self.X, self.Y)
        W = self.net.weights
        w = float(W[0][0, 0])
        values = {
            "one-sided": lambda: (self.cost_with_first_weight(w + self.epsilon)
                                  - self.cost_with_first_weight(w)) / self.epsilon,
            "1.1.6": lambda: dW[0][0, 0],
            "next w": lambda: w - self.eta * dW[0][0, 0],
            "1.2.1[1]": lambda: a[1][0, 0],
            "1.2.3[4]": lambda: a[1][3, 0] * (1 - a[1][3, 0]),
            "1.3.5": lambda: dW[0][0, 0],
            "1.4.1[2]": lambda: a[1][1, 0],
            "1.5.12": lambda: dW[0][0, 0],
            "next w(2)": lambda: W[1][0, 0] - self.eta * dW[1][0, 0],
            "1.6.1 l=1[2,1]": lambda: a[1][1, 0],
            "1.6.3 l=2[1,1]": lambda: a[2][0, 0] * (1 - a[2][0, 0]),
            "1.7.2 l=1[1,1]": lambda: dW[0][0, 0],
            "2.1.4[1]": lambda: self.through_output(0),
            "2.2.3 l=1[2,1]": lambda: dW[0][1, 0],
            "multiplications 2.2.3 l=1": lambda: W[0].shape[0] * len(self.X) * W[0].shape[1],
            "2.3.1": lambda: sum(p.size for p in self.net.weights + self.net.biases),
            "2.3.2": lambda: 2 * sum(p.size for p in self.net.weights + self.net.biases),
            "2.3.4": lambda: 2 * sum(p.size for p in self.net.weights + self.net.biases) / 3,
            "2.4.2 l=1[1]": lambda: np.prod([a[m][0, 0] * (1 - a[m][0, 0])
                                             for m in range(1, len(a))]),
            "2.4.5[2]": lambda: (a[-1][1, 0] - self.Y[1, 0]) / len(self.X),
        }
        return float(values[key]())


def number_questions():
    return [(lesson.section, q) for lesson in load_lessons() for q in lesson.questions
            if q.kind == "number"]


@pytest.mark.parametrize("epochs", EPOCHS)
@pytest.mark.parametrize("section, question", number_questions(),
                         ids=lambda v: v if isinstance(v, str) else v.id)
def test_a_number_question_takes_the_engines_value_and_nothing_else(section, question,
                                                                     epochs):
    trained = Trained(section, epochs)
    values = trained.sheet.live_values()
    engine = trained.engine(question.answer)

    def right(answer: float) -> bool:
        return grade(question, repr(answer), values).correct

    assert right(engine)
    if abs(engine) > ZERO:
        assert not right(0.0) and not right(2 * engine) and not right(engine / 2)
    else:                                   # rounding noise (twice has converged): it is 0
        assert right(0.0)
    base = question.answer.split("[")[0]
    if f"notes {base}" in values:
        assert not right(float(lookup(question.answer.replace(base, f"notes {base}"),
                                      values).value))
    refused = grade(question, "abc", values)
    assert not refused.understood and not refused.correct and refused.expected == ""
    assert refused.working_text == refusal(question, "abc")   # made without the value
    assert refused.working_text.count("\n") == 0 and "a number" in refused.working_text


@pytest.mark.parametrize("epochs", EPOCHS)
def test_sign_and_choice_questions_print_no_tolerance_and_refuse_what_they_cannot_read(
        epochs):
    for lesson in load_lessons():
        values = Trained(lesson.section, epochs).sheet.live_values()
        for question in lesson.questions:
            if question.kind in ("number", "formula", "steps"):  # other test files
                continue
            verdict = grade(question, "1" if question.kind == "choice" else "+", values)
            assert verdict.tolerance is None, (lesson.section, question.id)
            if question.kind == "sign":
                good = SIGN_TEXT[verdict.expected]
                bad = "0" if good != "0" else "+"
            else:
                good = verdict.expected
                bad = next((c for c in question.choices if c != good
                            and not grade(question, c, values).note), None)
            assert grade(question, good, values).correct, (lesson.section, question.id)
            if bad is not None:                     # None: every other option ties
                assert not grade(question, bad, values).correct, (lesson.section, question.id)
            refused = grade(question, "w9", values)
            assert not refused.understood and refused.expected == ""
            assert refusal(question, "w9") == refused.working_text


def test_lesson_1_0_asks_for_the_one_sided_quotient_at_the_epsilon_on_screen():
    question = load_lesson("1.0").questions[1]
    wide = Trained("1.0", 0, epsilon=1e-2)
    line = wide.sheet.equation("1.0.1").substituted.splitlines()[3]
    assert line.endswith("= -20.65292")                    # what the screen shows after *
    assert grade(question, "-20.65292", wide.sheet.live_values()).correct
    widest = Trained("1.0", 0, epsilon=1e-1)
    values = widest.sheet.live_values()
    assert grade(question, repr(widest.engine("one-sided")), values).correct
    assert not grade(question, repr(widest.sheet.equation("1.0.1").value), values).correct


@pytest.mark.parametrize("epsilon", [1e-1, 1e-3, 1e-8, 1e-12])
def test_the_one_sided_quotient_can_be_worked_from_the_costs_on_screen(epsilon):
    for epochs in EPOCHS:
        trained = Trained("1.0", epochs, epsilon)
        line = trained.sheet.equation("1.0.1").substituted.splitlines()[3]
        up, cost = (float(v) for v in re.search(r"\((\S+) − (\S+)\)", line).groups())
        question = load_lesson("1.0").questions[1]
        assert grade(question, repr((up - cost) / epsilon),
                     trained.sheet.live_values()).correct, (epochs, line)


def test_the_bias_question_grades_the_direction_of_the_step():
    question = load_lesson("1.3").questions[0]
    assert "up or down" in question.prompt
    for epochs, up in ((0, True), (2000, False)):
        trained = Trained("1.3", epochs)
        gradient = trained.sheet.equation("1.3.7").value
        assert (gradient < 0) == up                  # the step goes against the gradient
        values = trained.sheet.live_values()
        for said, means_up in (("up", True), ("+", True), ("down", False), ("-", False)):
            assert grade(question, said, values).correct == (means_up == up), (epochs, said)


def test_which_weight_moves_more_is_a_near_tie_at_the_start_and_argued_from_the_rows():
    question = load_lesson("1.5").questions[0]
    start = Trained("1.5", 0).sheet.live_values()
    for said in ("w(1)", "w(2)"):
        verdict = grade(question, said, start)
        assert verdict.correct and "near tie" in verdict.note
    later = Trained("1.5", 2000).sheet
    values = later.live_values()
    dW = {name: abs(values[f"dC/d{name}"].value) for name in ("w(1)", "w(2)")}
    winner = max(dW, key=dW.get)
    loser = min(dW, key=dW.get)
    assert winner == "w(2)" and dW[winner] > 2 * dW[loser]
    assert grade(question, winner, values).correct and not grade(question, loser, values).correct
    working = grade(question, winner, values).working_text
    assert "row 1 has x = 0" in working and "pull opposite ways" in working
    assert "the larger is w(2)" in working


@pytest.mark.parametrize("epochs", EPOCHS)
def test_next_w2_can_be_worked_from_the_numbers_the_worksheet_prints(epochs):
    sheet = Trained("1.5", epochs).sheet
    header = next(line for line in sheet.notation if line.startswith("Now "))
    w2 = float(re.search(r"w\(2\) = (\S+),", header).group(1))
    gradient = float(sheet.equation("1.5.4").substituted.splitlines()[-1].split("= ")[-1])
    eta = float(f"{sheet.learning_rate:.6g}")
    question = load_lesson("1.5").questions[2]
    assert grade(question, repr(w2 - eta * gradient), sheet.live_values()).correct
    if epochs == 0:                                  # forgetting the step is wrong
        assert not grade(question, repr(w2), sheet.live_values()).correct


def test_the_slope_near_one_can_be_worked_from_the_printed_output():
    sheet = Trained("1.2", 2000).sheet
    row = sheet.equation("1.2.3").substituted.splitlines()[3]
    a = float(re.search(r"= (\S+)·\(1 − ", row).group(1))
    assert a > 0.9999 - 1e-4                               # the output is nearly 1 here
    question = load_lesson("1.2").questions[1]
    assert grade(question, repr(a * (1 - a)), sheet.live_values()).correct


def test_the_tolerance_is_one_percent_and_never_below_rounding_noise():
    assert tolerance(-20.7129) == pytest.approx(0.207129)
    assert tolerance(-9.69e-05) == pytest.approx(9.69e-07)
    assert tolerance(3e-15) == ZERO
    assert np.isclose(tolerance(0.0), ZERO)
