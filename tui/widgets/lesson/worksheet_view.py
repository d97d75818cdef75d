"""The worksheet panel: every equation of a section in the notes' notation, with the live
network's numbers, and where the notes err, their version beside the true value and the
finite-difference referee."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from core.explain.notes import NOTHING, Equation, Held, Worksheet
from core.explain.numbers import RESULT_DIGITS, vec

from ..hanging import hang
from .epsilon_plot import EpsilonPlot

RESULT = re.compile(r"(^|\s)= (-?[\d.]+(e[+-]?\d+)?|\[[-\d.e+, \[\]]*\])$")
"""A line's result: a number or a bracketed list of numbers after its last '= '."""
NAMED = re.compile(r"(^|\s)[^\W\d]\w*$")
"""What a given value follows (``at w = 0.27``): a bare name, not a computation."""


def number_text(value) -> str:
    """A value as the worksheet prints it: a result's six significant digits, or nested
    brackets for per-sample and weight-shaped values."""
    return vec(value, RESULT_DIGITS)


def held_back(line: str) -> str:
    """A line of working with its result replaced by '?' (the numbers it starts from stay);
    a line of given values (``w = 0.27, ε = 0.001``) as it is."""
    body = line.lstrip()
    result = RESULT.search(line)
    if (result is None or not (body.startswith("= ") or "(" in body or "[" in body)
            or NAMED.search(line[:result.start()].rstrip())):
        return line
    return line[:result.start()] + result.group(1) + "= ?"


def equation_content(equation: Equation, held: bool = False) -> list[tuple[str, str] | str]:
    """The parts of one equation: its number and formula, the numbers substituted, then the
    referee's estimate, or where the notes err what they write against the truth. ``held``:
    the results are held back (an open question asks for them) and only the working shows."""
    where = "" if equation.layer is None else f"  (layer l = {equation.layer})"
    parts: list[tuple[str, str] | str] = [
        (f"({equation.number}) ", "bold $text-primary"), (equation.formula, "bold"),
        (where, "dim"), "\n"]
    if held:
        return parts + ["  " + held_back(line) + "\n" for line in equation.substituted.splitlines()]
    parts += ["  " + line + "\n" for line in equation.substituted.splitlines()]
    if equation.notes_err:
        parts += [("  ✗ the notes err: ", "bold $text-error"), (equation.wrong or "", ""),
                  "\n",
                  ("    as the notes write it  ", "dim"),
                  (number_text(equation.notes_as_written), "$text-error"), "\n",
                  ("    true value             ", "dim"),
                  (number_text(equation.value), "$text-success"),
                  (f"   ({equation.corrected})" if equation.corrected else "", "dim"), "\n"]
        if equation.finite_difference is not None:
            parts += [("    finite differences     ", "dim"),
                      (number_text(equation.finite_difference), "$text-success"),
                      ("   (the referee)", "dim"), "\n"]
    elif equation.finite_difference is not None:
        parts += [("  finite differences: ", "dim"),
                  (number_text(equation.finite_difference), ""), "\n"]
    return parts + ["\n"]


HELD_NOTE = ("  ? An open question asks for this result: answer it (a) to see it.\n",
             "italic $text-warning")


def masked(parts: list[tuple[str, str] | str], held: Held) -> list[tuple[str, str] | str]:
    """``parts`` with every number that shows a held value replaced by '?'."""
    return [held.mask(part) if isinstance(part, str) else (held.mask(part[0]), part[1])
            for part in parts]


def worksheet_content(worksheet: Worksheet, width: int = 0, held: Held = NOTHING) -> Content:
    """The whole worksheet as styled text: the setting, the notation, every equation; lines
    longer than ``width`` (if given) wrap with a hanging indent. What ``held`` holds is '?'
    wherever it would show: the equations it names show their working without the results,
    and any other number printed from a held value is a '?' too."""
    rate = ("" if worksheet.learning_rate is None
            else f" · η = {number_text(worksheet.learning_rate)}")
    parts: list[tuple[str, str] | str] = [
        (f"{worksheet.section} {worksheet.title}\n", "bold"),
        (f"preset {worksheet.preset} · epoch {worksheet.epoch}{rate}\n", "dim")]
    parts += [(f"· {line}\n", "italic") for line in worksheet.notation]
    wrong = ", ".join(e.key for e in worksheet.errata)
    parts += [(f"The notes err in {wrong}: see ✗ below.\n" if wrong
               else "The notes are right throughout this section.\n", "dim"), "\n"]
    for equation in worksheet.equations:
        if equation.key in held.equations:
            parts += [*equation_content(equation, held=True), HELD_NOTE, "\n"]
        else:
            parts += equation_content(equation)
    lines = Content.assemble(*masked(parts, held)).split("\n")
    return Content("\n").join([piece for line in lines for piece in hang(line, width)])


class WorksheetView(VerticalScroll, can_focus=False):
    """The live worksheet of the open lesson (or a line saying why there is none); in
    section 1.0 it starts with the plot of error against epsilon. What the lesson's open
    questions ask for is held back (``hold``). It opens at the top."""

    def compose(self) -> ComposeResult:
        """The epsilon plot (section 1.0 only) above the equations."""
        yield EpsilonPlot(id="epsilon-plot")
        yield Static("", id="worksheet-text")

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.worksheet: Worksheet | None = None
        self.problem = ""
        self.held: Held = NOTHING

    def show(self, worksheet: Worksheet | None, problem: str = "",
             held: Held = NOTHING) -> None:
        """Show ``worksheet`` with what ``held`` holds back as '?'; without one,
        ``problem`` says why."""
        self.worksheet, self.problem = worksheet, problem
        self._set_held(held)
        self.draw()

    def hold(self, held: Held) -> None:
        """Hold back what ``held`` holds (NOTHING: show every value)."""
        if self._set_held(held):
            self.draw()

    def _set_held(self, held: Held) -> bool:
        """Note what is held back; whether that changed."""
        if held == self.held:
            return False
        self.held = held
        self.query_one(EpsilonPlot).held = held
        return True

    def on_resize(self) -> None:
        """Wrap the lines to the new width."""
        self.draw()

    def draw(self) -> None:
        """Draw the worksheet (or the problem) at the panel's width."""
        worksheet, problem = self.worksheet, self.problem
        plot = self.query_one(EpsilonPlot)
        study = worksheet.epsilon if worksheet is not None else None
        plot.display = study is not None
        plot.study = study
        text = self.query_one("#worksheet-text", Static)
        if worksheet is None:
            text.update(Content.styled(problem, "$text-warning"))
        else:
            width = self.scrollable_content_region.width - 2     # room for the scrollbar
            text.update(worksheet_content(worksheet, width, self.held))

    @property
    def text(self) -> str:
        """The worksheet as plain text (what the learner reads)."""
        return str(self.query_one("#worksheet-text", Static).render())
