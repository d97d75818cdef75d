"""One full backward pass by hand: a steps question in the lesson's question panel.

The panel shows the steps answered so far and the one open step; the answer box grades
that step (enter), and ``?`` shows its answer, kept as given, not right. A step opens once
the one before it is right or given. Each step's latest reply is kept in the learner's
progress under ``QUESTION/STEP`` (so a pass continues after a restart); when the last step
is done the whole question is kept and shows its verdict like any other.
"""

from __future__ import annotations

from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from core.explain.notes import Held, Question, answer_format, grade, refusal
from core.explain.notes.grading import GIVE_UP, give, grade_pass
from core.progress import Answer


def done(answer: Answer | None) -> bool:
    """Whether a step's latest reply closes it: right, or given."""
    return answer is not None and (answer.grade.correct or answer.text == GIVE_UP)


def step_replies(app, section: str, question: Question) -> dict[str, Answer]:
    """The learner's latest reply to each step of ``question`` answered so far."""
    mine = app.answers.of(section)
    return {step.id: mine[step.id] for step in question.steps if step.id in mine}


def open_step(question: Question, replies: dict[str, Answer]) -> int | None:
    """The index of the first step not yet right or given (None: the pass is done)."""
    return next((i for i, s in enumerate(question.steps) if not done(replies.get(s.id))),
                None)


def _step_line(number: int, step: Question, answer: Answer) -> list[tuple[str, str] | str]:
    if answer.text == GIVE_UP:
        head = (f"? {number}. given: ", "bold $text-warning")
    else:
        head = (f"✓ {number}. ", "bold $text-success")
    said = "" if answer.text == GIVE_UP else f"you said {answer.text}, "
    return [head, step.prompt, "\n", ("     ", ""), (said, "dim"),
            (f"{answer.grade.expected}\n", "bold")]


def _masked(parts: list[tuple[str, str] | str], held: Held) -> Content:
    return Content.assemble(*(held.mask(p) if isinstance(p, str) else (held.mask(p[0]), p[1])
                              for p in parts))


def step_prompt(question: Question, replies: dict[str, Answer], position: str) -> Content:
    """Above the answer box: which step of how many, how to answer it, and its prompt."""
    index = open_step(question, replies)
    step = question.steps[index if index is not None else -1]
    return Content.assemble(
        (position, "bold $text-primary"),
        (f"step {question.steps.index(step) + 1} of {len(question.steps)}  ",
         "bold $text-primary"),
        (f"(answer with {answer_format(step)}; {GIVE_UP} shows it)\n", "dim"), step.prompt)


def pass_content(question: Question, replies: dict[str, Answer], held: Held) -> Content:
    """Below the answer box: after a wrong try, that it was not right; then the steps
    closed so far with their values, and the pass's own question."""
    index = open_step(question, replies)
    parts: list[tuple[str, str] | str] = []
    tried = replies.get(question.steps[index].id) if index is not None else None
    if tried is not None:
        parts += [(f"✗ Not quite: you said {tried.text}. Try again, or {GIVE_UP} to see "
                   f"it.\n", "bold $text-error")]
    closed = question.steps[:len(question.steps) if index is None else index]
    for number, step in enumerate(closed, start=1):
        parts += _step_line(number, step, replies[step.id])
    parts += [("A backward pass, step by step: ", "dim"), question.prompt]
    return _masked(parts, held)


def show_pass(panel: Widget, question: Question, position: str) -> None:
    """Show the open pass ``question`` in the question ``panel`` (``position``: which
    question of how many): the open step above the answer box, the pass so far below.
    The steps closed count among the panel's answers, so the lesson holds them no more."""
    replies = step_replies(panel.app, panel.app.answers.last_section or "", question)
    panel.answers.update({k: a for k, a in replies.items() if done(a)})  # held no more
    panel.query_one("#question-prompt", Static).update(
        step_prompt(question, replies, position))
    panel.query_one("#question-verdict", Static).update(
        pass_content(question, replies, panel.held))


def submit_step(panel: Widget, question: Question, text: str) -> bool:
    """Enter in the answer box on an open pass: grade the open step's reply on the lesson
    screen's worksheet (True), or refuse a reply that cannot be read in one line, not
    counted (False)."""
    replies = step_replies(panel.app, panel.app.answers.last_section or "", question)
    index = open_step(question, replies)
    if index is None:
        return False
    step = question.steps[index]
    refused = None if text == GIVE_UP else refusal(step, text)
    if refused is not None:
        panel.query_one("#question-verdict", Static).update(Content.assemble(
            pass_content(question, replies, panel.held), "\n",
            Content.styled(refused, "bold $text-warning")))
        return False
    grade_step(panel.screen, question, step, text)
    return True


def grade_step(screen: Screen, question: Question, step: Question, text: str) -> None:
    """Grade ``text`` for ``step`` of the pass ``question`` on the lesson ``screen``'s live
    worksheet and keep it; once every step is right or given, keep the whole pass and show
    its verdict."""
    worksheet, section = screen.worksheet, screen.lesson.section
    if worksheet is None:
        screen.notify("There are no live numbers to grade against: press t and enter to "
                      "load this lesson's preset.", title="Answer", severity="warning")
        return
    values = worksheet.live_values()
    try:
        verdict = give(step, values) if text == GIVE_UP else grade(step, text, values)
    except KeyError:
        screen.notify(f"This network has no value {step.answer!r} to grade "
                      f"against.", title="Answer", severity="error")
        return
    answers = screen.app.answers
    answers.record(Answer(section, step.id, text, verdict, worksheet.epoch))
    replies = step_replies(screen.app, section, question)
    panel = screen.questions
    if open_step(question, replies) is not None:
        panel.show_question()
        return
    whole = grade_pass(question, {k: (a.text, a.grade) for k, a in replies.items()})
    summary = ", ".join(a.text for a in replies.values())
    answer = Answer(section, question.id, summary, whole, worksheet.epoch)
    answers.record(answer)
    panel.record(answer)
