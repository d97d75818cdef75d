"""Predict, then reveal: a lesson's questions, an answer box, and the verdict with the
working once the learner has answered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from core.explain.notes import NOTHING, Held, Question, answer_format, refusal
from core.progress import Answer

from .backward_pass import show_pass, submit_step

PLACEHOLDER = "a: answer here · enter grades · ↑↓ questions · esc leaves"


def tolerance_text(answer: Answer) -> str:
    """How close a number had to be, in words ('' for a sign or a choice)."""
    tolerance = answer.grade.tolerance
    return "" if tolerance is None else f" (within ±{tolerance:.2g})"


def verdict(answer: Answer, held: Held = NOTHING) -> Content:
    """What the app says about an answer: right or not, the expected value and, for a
    number, the tolerance; a near tie said as such; then the working from the live
    network, with what ``held`` holds back (other open questions' values) as '?'. A reply
    that could not be read is its one-line refusal only."""
    grade = answer.grade
    if not grade.understood:
        return Content.styled(grade.working_text, "bold $text-warning")
    if grade.note:
        head = (f"≈ Too close to call: {answer.text}", "bold $text-warning")
    elif grade.correct:
        head = (f"✓ Right: {answer.text}", "bold $text-success")
    else:
        head = (f"✗ Not quite: you said {answer.text}", "bold $text-error")
    return Content.assemble(
        head, (f"  (epoch {answer.epoch})\n", "dim"),
        *((grade.note + "\n", "$text-warning"),) if grade.note else (),
        ("expected ", "dim"), (held.mask(grade.expected), "bold"),
        (f"{tolerance_text(answer)} · working:\n", "dim"), held.mask(grade.working_text))


def first_open(questions: Sequence[Question], answers: dict[str, Answer]) -> int | None:
    """The index of the first question not yet answered (None: all are)."""
    return next((i for i, q in enumerate(questions) if q.id not in answers), None)


class QuestionPanel(VerticalScroll, can_focus=False):
    """One question at a time: its prompt, an answer box (``a`` focuses it; enter grades,
    ↑↓ choose another question, escape leaves it) and the verdict with the working.

    The questions are answered in order: ↑↓ reach the answered ones and the first open one,
    and a later question opens once the one before it is answered (its working may show
    what the earlier one asks for). ``hold`` says what the verdicts must show as '?'."""

    BINDINGS = [Binding("up", "question(-1)", "question", show=False),
                Binding("down", "question(1)", "question", show=False),
                Binding("escape", "leave", "leave the box", show=False)]

    @dataclass
    class Submitted(Message):
        """The learner answered ``question`` with ``text``."""

        question: Question
        text: str

    class Shown(Message):
        """Another question is on show, or the one on show was answered."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.questions: tuple[Question, ...] = ()
        self.answers: dict[str, Answer] = {}
        self.index = 0
        self.held: Held = NOTHING

    def compose(self) -> ComposeResult:
        """The prompt, the answer box and the verdict."""
        yield Static("", id="question-prompt")
        yield Input(placeholder=PLACEHOLDER, compact=True, id="answer")
        yield Static("", id="question-verdict")

    def set_questions(self, questions: Sequence[Question], answers: dict[str, Answer]) -> None:
        """Show ``questions`` from the first not yet answered (the first, once all are);
        ``answers`` are the learner's earlier ones by question id."""
        self.questions = tuple(questions)
        self.answers = {q.id: answers[q.id] for q in self.questions if q.id in answers}
        self.index = first_open(self.questions, self.answers) or 0
        self.show_question()

    def hold(self, held: Held) -> None:
        """Show what ``held`` holds back as '?' in the verdict on show."""
        if held != self.held:
            self.held = held
            self.show_question(announce=False)

    @property
    def question(self) -> Question | None:
        """The question on show."""
        return self.questions[self.index] if self.questions else None

    def show_question(self, announce: bool = True) -> None:
        """Show the current question and, if answered, its verdict; ``announce``: post
        ``Shown``."""
        question = self.question
        if question is None:
            return
        if question.kind == "steps" and question.id not in self.answers:
            show_pass(self, question, f"Question {self.index + 1} of {len(self.questions)}, ")
            self.set_class(False, "-answered")
            if announce:
                self.post_message(self.Shown())
            return
        how = f"answer with {answer_format(question)}"
        self.query_one("#question-prompt", Static).update(Content.assemble(
            (f"Question {self.index + 1} of {len(self.questions)}  ", "bold $text-primary"),
            (f"({how})\n", "dim"), question.prompt))
        answer = self.answers.get(question.id)
        self.set_class(answer is not None, "-answered")
        self.query_one("#question-verdict", Static).update(
            verdict(answer, self.held) if answer else Content.styled(
                "Predict first, then press a, type your answer and enter.", "dim"))
        if announce:
            self.post_message(self.Shown())

    def record(self, answer: Answer) -> None:
        """Show the verdict on ``answer`` (to the question on show)."""
        self.answers[answer.question] = answer
        self.show_question()
        self.scroll_home(animate=False)
        self.screen.set_focus(None)        # the lesson's keys work again

    def action_question(self, step: int) -> None:
        """↑ and ↓ in the answer box: the previous or next question, among those answered
        and the first open one."""
        if self.questions:
            opened = first_open(self.questions, self.answers)
            reachable = len(self.questions) if opened is None else opened + 1
            self.index = (self.index + step) % reachable
            self.query_one("#answer", Input).value = ""
            self.show_question()

    def action_leave(self) -> None:
        """Escape in the answer box: back to the lesson's keys."""
        self.screen.set_focus(None)

    def focus_answer(self) -> None:
        """Put the cursor in the answer box."""
        self.query_one("#answer", Input).focus()

    @on(Input.Submitted, "#answer")
    def submit(self, event: Input.Submitted) -> None:
        """Enter: hand the answer to the screen to grade (an empty box is ignored); a reply
        that cannot be read is refused here in one line and is not an attempt."""
        event.stop()
        question, text = self.question, event.value.strip()
        if question is None or not text:
            return
        if question.kind == "steps" and question.id not in self.answers:
            if submit_step(self, question, text):
                event.input.value = ""
            return
        refused = refusal(question, text)
        if refused is not None:
            self.query_one("#question-verdict", Static).update(
                Content.styled(refused, "bold $text-warning"))
            return
        self.post_message(self.Submitted(question, text))
        event.input.value = ""

    @property
    def text(self) -> str:
        """The prompt and verdict as the learner reads them."""
        return "\n".join(str(self.query_one(s, Static).render())
                         for s in ("#question-prompt", "#question-verdict"))
