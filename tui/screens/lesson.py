"""The lesson screen: a lesson of the course beside the live network and its worksheet.

The lesson's text is shown a page at a time (``Prose``, Textual's ``Markdown``); beside it
the layer diagram and the section's worksheet, every equation with the live numbers,
recomputed as the learner trains (``n``, ``N``, ``b``, ``space``). The questions below the
text are graded against the same worksheet and the answers kept in the learner's progress
(``app.answers``, ``core.progress``); the lesson opens at its first unanswered question.
While questions are open, every value they ask for is '?' in every panel: the worksheet,
the diagram, the epsilon plot and the other questions' working (``core.explain.notes.held``).
Narrower than ``NARROW_WIDTH`` the lesson takes the whole width and ``w`` swaps in the
worksheet.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import var

from core.constants import FINITE_DIFFERENCE_STEP
from core.explain.notes import (
    NOTHING,
    Held,
    Lesson,
    Question,
    Worksheet,
    explain_snapshot,
    fits,
    grade,
    held_values,
)
from core.presets import Preset
from core.progress import Answer
from core.session import Session, Snapshot

from ..controls import CONTROLS, Control
from ..messages import LessonStep
from ..widgets.diagram import LayerDiagram
from ..widgets.keys_footer import KeysFooter
from ..widgets.lesson.questions import QuestionPanel
from ..widgets.lesson.worksheet_view import WorksheetView
from ..widgets.prose import Prose
from ..widgets.status_bar import StatusBar
from .lesson_paths import clear_paths, show_next_paths
from .session_screen import SessionScreen

NARROW_WIDTH = 100
EPSILON_RANGE = (1e-15, 1.0)

TRAINING_KEYS = frozenset({"n", "N", "b", "f", "B", "space", "plus", "minus", "l", "r",
                           "less_than_sign", "greater_than_sign", "u"})
"""The training screen's keys that work the same in a lesson."""

LESSON_CONTROLS = (
    Control("escape", "esc", "close", "full view", "Close the lesson",
            "Back to the full training view (t opens the lessons again)"),
    Control("right", "→", "page(1)", "page", "Next page", "The lesson's next page"),
    Control("left", "←", "page(-1)", "page", "Previous page", "The lesson's previous page"),
    Control("full_stop", ".", "lesson(1)", "lesson", "Next lesson",
            "The next lesson, on its own preset"),
    Control("comma", ",", "lesson(-1)", "lesson", "Previous lesson",
            "The previous lesson, on its own preset"),
    Control("t", "t", "app.lessons", "lessons", "Lessons", "The list of lessons; enter opens one"),
    Control("a", "a", "answer", "answer", "Answer",
            "Answer the question: type, enter grades it and shows the working; ↑↓ in the "
            "box for another question, esc leaves the box"),
    Control("h", "h", "hunt", "hunt", "Hunt the notes' errors",
            "Lessons 1.4, 1.5, 1.7: mark the equations the notes get wrong (space), with the "
            "finite-difference referee as evidence (c); enter grades the marks"),
    Control("p", "p", "paths", "paths", "Paths of a weight",
            "Lesson 2.1: the diagram highlights every path from a first-layer weight to the "
            "outputs; p again for the next weight"),
    Control("w", "w", "worksheet", "worksheet", "Worksheet",
            "Show the worksheet (the live equations) in place of the lesson, or back"),
    Control("down", "↓", "scroll(1)", "scroll", "Scroll down",
            "Scroll the lesson's page (or the worksheet, when w shows it)"),
    Control("up", "↑", "scroll(-1)", "scroll", "Scroll up", "Scroll back up"),
    Control("pagedown", "pgdn", "scroll_worksheet(1)", "sheet", "Worksheet down",
            "Scroll the worksheet down a page (below 100 columns, in the lesson: the "
            "question's working)"),
    Control("pageup", "pgup", "scroll_worksheet(-1)", "sheet", "Worksheet up",
            "Scroll the worksheet (or the question's working) up a page"),
    Control("home", "home", "worksheet_edge(0)", "top", "Worksheet top",
            "The worksheet's first equation (or the top of the question's working)"),
    Control("end", "end", "worksheet_edge(1)", "end", "Worksheet end",
            "The worksheet's last equation (or the end of the question's working)"),
    Control("asterisk", "*", "epsilon(10)", "ε×10", "Epsilon x10",
            "Lesson 1.0: finite-difference step ε ten times larger"),
    Control("slash", "/", "epsilon(0.1)", "ε÷10", "Epsilon /10",
            "Lesson 1.0: finite-difference step ε ten times smaller"),
    *(c for c in CONTROLS if c.key in TRAINING_KEYS),
    Control("question_mark", "?", "help", "help", "Help", "The lesson's keys"),
    Control("q", "q", "app.quit", "quit", "Quit",
            "Quit (stops training first; asks once if a trained network is not saved)"),
)
LESSON_FOOTER = frozenset({"escape", "right", "full_stop", "t", "a", "w",
                           "n", "question_mark"})


class LessonScreen(SessionScreen):
    """A lesson beside the live network and its worksheet; its keys are
    ``LESSON_CONTROLS``."""

    BINDINGS = [Binding(c.key, c.action, c.footer, key_display=c.display, tooltip=c.help,
                        show=c.key in LESSON_FOOTER) for c in LESSON_CONTROLS]
    AUTO_FOCUS = ""          # nothing: the keys are the screen's; a focuses the answer box
    announces = False        # the training screen below tells divergence and the target

    epsilon: var[float] = var(FINITE_DIFFERENCE_STEP, init=False)
    """Section 1.0's finite-difference step."""

    def __init__(self, session: Session, lesson: Lesson) -> None:
        super().__init__(session)
        self.lesson = lesson
        self.page = 0
        self.worksheet: Worksheet | None = None
        self.held: Held = NOTHING

    def compose(self) -> ComposeResult:
        """The lesson and its questions on the left; the network and the worksheet on the
        right; the status bar and the keys below."""
        with Horizontal(id="lesson-main"):
            with Vertical(id="lesson-left", classes="panel"):
                with VerticalScroll(id="lesson-page", can_focus=False):
                    yield Prose(self.lesson.pages[self.page], id="lesson-text")
                yield QuestionPanel(id="lesson-questions")
            with Vertical(id="lesson-right"):
                yield LayerDiagram(id="lesson-diagram", classes="panel")
                yield WorksheetView(id="lesson-worksheet", classes="panel")
        yield StatusBar(id="status").data_bind(SessionScreen.snapshot)
        yield KeysFooter(compact=True)

    @property
    def questions(self) -> QuestionPanel:
        """The questions panel."""
        return self.query_one(QuestionPanel)

    @property
    def worksheet_view(self) -> WorksheetView:
        """The worksheet panel."""
        return self.query_one(WorksheetView)

    def on_mount(self) -> None:
        """Title the panels, show the lesson and follow the session."""
        diagram = self.query_one(LayerDiagram)
        diagram.border_title, diagram.can_focus = "Network", False  # arrows: the lesson's keys
        self.worksheet_view.border_title = "Worksheet: the notes' equations, live"
        self.show_lesson(self.lesson)
        self.follow_session()

    @on(events.ScreenResume)
    def styled_when_mounted(self, event: events.ScreenResume) -> None:
        """First shown, its widgets were just styled as they mounted: no restyle of all."""
        if not self.stack_updates:     # not shown before (a dialog closing shows it again)
            event.refresh_styles = False

    def on_resize(self, event: events.Resize) -> None:
        """Narrow screens show the lesson or the worksheet, not both."""
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    # --- the lesson -----------------------------------------------------------------------

    def show_lesson(self, lesson: Lesson) -> None:
        """Show ``lesson`` from its first page and the worksheet from its top, at the first
        question the learner has not answered."""
        self.lesson, self.page = lesson, 0
        self.app.answers.last_section = lesson.section
        self.epsilon = FINITE_DIFFERENCE_STEP
        clear_paths(self.query_one(LayerDiagram))
        self.questions.set_questions(lesson.questions, self.app.answers.of(lesson.section))
        self.show_page()
        self.worksheet_view.scroll_home(animate=False)
        if self.snapshot is not None:
            self.update_worksheet(self.snapshot)

    def show_page(self) -> None:
        """The current page of the lesson's text, titled with the lesson and page number."""
        lesson, prose = self.lesson, self.query_one("#lesson-text", Prose)
        if prose.source != lesson.pages[self.page]:     # the first page is composed with it
            prose.update(lesson.pages[self.page])
        self.query_one("#lesson-page").scroll_home(animate=False)
        left = self.query_one("#lesson-left")
        left.border_title = f"Lesson {lesson.section}: {lesson.title}"
        left.border_subtitle = f"page {self.page + 1}/{len(lesson.pages)} · ← →"

    def action_page(self, step: int) -> None:
        """← and →: the previous or next page (the first and last pages stay)."""
        page = min(max(self.page + step, 0), len(self.lesson.pages) - 1)
        if page != self.page:
            self.page = page
            self.show_page()

    def action_lesson(self, step: int) -> None:
        """, and .: the previous or next lesson, on its own preset (the app opens it)."""
        self.post_message(LessonStep(self.lesson.section, step))

    def action_close(self) -> None:
        """escape: back to the full training view."""
        self.app.pop_screen()

    def action_worksheet(self) -> None:
        """w: the worksheet in place of the lesson, or the lesson again."""
        self.toggle_class("-worksheet")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Pages turn only where the lesson's text is on show (not while w shows the
        worksheet in its place)."""
        return not (action == "page" and self.has_class("-worksheet"))

    def action_scroll(self, step: int) -> None:
        """↑ and ↓: scroll the page on show (the worksheet when ``w`` shows it)."""
        target = (self.worksheet_view if self.has_class("-worksheet")
                  else self.query_one("#lesson-page", VerticalScroll))
        target.scroll_relative(y=step * 2, animate=False)

    def action_scroll_worksheet(self, pages: int) -> None:
        """Page down and page up: scroll the worksheet (or the question's working) a page."""
        view = side_view(self)
        view.scroll_relative(y=pages * max(1, view.size.height - 2), animate=False)

    def action_worksheet_edge(self, end: int) -> None:
        """Home and end: the worksheet's (or the question's working's) top or end."""
        (side_view(self).scroll_end if end else side_view(self).scroll_home)(animate=False)

    def action_hunt(self) -> None:
        """h: hunt the notes' errors in this lesson's section (``screens.error_hunt``)."""
        from .error_hunt import open_hunt

        open_hunt(self)

    def action_paths(self) -> None:
        """p: lesson 2.1: the paths of the next first-layer weight on the diagram."""
        refused = show_next_paths(self.query_one(LayerDiagram), self.lesson.section)
        if refused:
            self.notify(refused, title="Paths")

    def action_help(self) -> None:
        """?: the lesson's keys."""
        from .help import HelpScreen

        self.app.push_screen(HelpScreen([(c.display, c.help) for c in LESSON_CONTROLS]))

    # --- the worksheet and the questions ---------------------------------------------------

    def draw_panels(self, snapshot: Snapshot) -> None:
        """Draw ``snapshot``: the worksheet, then the diagram with what it holds back."""
        self.update_worksheet(snapshot)
        self.query_one(LayerDiagram).show(snapshot)

    def update_worksheet(self, snapshot: Snapshot) -> None:
        """Work the lesson's section on ``snapshot`` (or say why it cannot be) and hold back
        what the open questions ask for."""
        problem = ""
        try:
            self.worksheet = explain_snapshot(self.lesson.section, snapshot,
                                              self.session.preset, epsilon=self.epsilon)
        except ValueError as error:            # ExplainError: no worksheet for this network
            self.worksheet = None
            problem = no_worksheet(str(error), self.lesson, self.session.preset)
        self.worksheet_view.show(self.worksheet, problem, held=self.hold_back())

    @on(QuestionPanel.Shown)
    def hold_answers(self) -> None:
        """An answer, or another question on show: every panel holds back what the open
        questions ask for."""
        self.worksheet_view.hold(self.hold_back())

    def hold_back(self) -> Held:
        """What the open questions ask for on the worksheet on show (``held``, until the
        learner answers them), held back on the diagram, the status bar and in the other
        questions' working; returned for the worksheet."""
        self.held = held_values(self.worksheet, self.lesson.questions, self.questions.answers)
        self.query_one(LayerDiagram).held = self.query_one(StatusBar).held = self.held
        self.questions.hold(self.held)
        return self.held

    def action_epsilon(self, factor: float) -> None:
        """* and /: section 1.0's epsilon ten times larger or smaller."""
        epsilon, refused = stepped_epsilon(self.lesson.section, self.epsilon, factor)
        if refused:
            self.notify(refused, title="Epsilon")
            return
        self.epsilon = epsilon
        if self.snapshot is not None:
            self.update_worksheet(self.snapshot)

    def action_answer(self) -> None:
        """a: put the cursor in the answer box (bringing the lesson back where w showed the
        worksheet in its place)."""
        if self.has_class("-worksheet"):
            self.action_worksheet()
        self.questions.focus_answer()

    @on(QuestionPanel.Submitted)
    def grade_answer(self, message: QuestionPanel.Submitted) -> None:
        """Grade an answer against the live worksheet, keep it and show the working."""
        grade_and_keep(self, message.question, message.text)

    def action_step_through(self, direction: str) -> None:
        """f and B: take a batch apart layer by layer, as in the full view; the diagram
        marks the layer just computed, a notice says what it was, and the worksheet follows
        once the update is applied."""
        layer, notice, timeout = step_inside(self.session, direction)
        self.query_one(LayerDiagram).highlight_layer = layer
        self.notify(notice, title="Step inside an epoch", timeout=timeout)


def side_view(screen: LessonScreen) -> WorksheetView | QuestionPanel:
    """The worksheet, or where it is hidden (narrow, the lesson on show) the question's
    working: what page up, page down, home and end scroll on ``screen``."""
    hidden = screen.has_class("-narrow") and not screen.has_class("-worksheet")
    return screen.questions if hidden else screen.worksheet_view


def stepped_epsilon(section: str, epsilon: float, factor: float) -> tuple[float, str]:
    """Lesson ``section``'s epsilon times ``factor`` (rounded to a power of ten), or why it
    stays ("" when it moves)."""
    if section != "1.0":
        return epsilon, "Epsilon is lesson 1.0's: press t to open it."
    low, high = EPSILON_RANGE
    stepped = float(f"{epsilon * factor:.0e}")
    if not low <= stepped <= high:
        return epsilon, f"ε stays between {low:g} and {high:g}."
    return stepped, ""


def no_worksheet(error: str, lesson: Lesson, preset: Preset) -> str:
    """Why the lesson shows no worksheet (``error``), and what to press."""
    if preset.name == lesson.preset and fits(lesson.section, preset) is None:
        return f"{error}\nPress r for new weights (and - for a lower learning rate)."
    return f"{error}\nPress t and enter to load this lesson's preset, {lesson.preset}."


def grade_and_keep(screen: LessonScreen, question: Question, text: str) -> None:
    """Grade ``text`` for ``question`` against the screen's live worksheet, keep it in the
    learner's progress (a notice if the progress file could not be written) and show the
    verdict with its working."""
    worksheet, answers = screen.worksheet, screen.app.answers
    if worksheet is None:
        screen.notify("There are no live numbers to grade against: press t and enter to "
                      "load this lesson's preset.", title="Answer", severity="warning")
        return
    try:
        verdict = grade(question, text, worksheet.live_values())
    except KeyError:
        screen.notify(f"This network has no value {question.answer!r} to grade against.",
                      title="Answer", severity="error")
        return
    answer = Answer(screen.lesson.section, question.id, text, verdict, worksheet.epoch)
    problem = answers.problem
    answers.record(answer)
    if answers.problem != problem:
        screen.notify(answers.problem, title="Progress", severity="warning", timeout=8,
                      markup=False)
    screen.questions.record(answer)


def step_inside(session: Session, direction: str) -> tuple[int | None, str, float | None]:
    """Pause training and take its batch apart one layer further (``direction``
    "forward") or back ("backward"): the layer the diagram marks (None: none), what to say
    and for how long (None: as long as notices stay)."""
    from ..math.requests import step_through

    if session.running:
        session.pause()
    refused = step_through(session, direction)
    state = session.views.step_through()
    last = state.last if state is not None else None
    layer = last.layer if last is not None and last.phase in ("forward", "backward") else None
    if refused or last is None:
        return layer, refused or "Nothing to step.", None
    after = "" if state.done else f" Next: {state.next}."
    return layer, f"{last.description}.{after}", 4
