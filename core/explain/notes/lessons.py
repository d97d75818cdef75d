"""The lessons: one Markdown file a section of the notes, with TOML front matter.

``lessons/README.md`` documents the format. A lesson file starts with a TOML block between
two ``+++`` lines (section, title, preset, [[questions]]); the Markdown after it is the
lesson text, split into pages by lines holding only ``---``. Every malformed lesson raises
``LessonError`` with one line naming the file and the field.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...checks import is_integer
from .backward_pass import backward_passes, qualify, question_formula_key
from .sections import SECTIONS

KINDS = ("number", "sign", "choice", "formula", "steps")
STEP_KINDS = ("number", "formula")
PAGE_BREAK = "---"
FENCE = "+++"
LESSON_KEYS = ("section", "title", "preset", "questions")
QUESTION_KEYS = ("id", "prompt", "answer", "kind", "choices", "names", "reveal", "row",
                 "steps")
STEP_KEYS = ("id", "prompt", "answer", "kind", "names")


class LessonError(ValueError):
    """A lesson file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Question:
    """A "predict, then reveal" question about the live network.

    ``answer`` is a key into ``Worksheet.live_values()`` (``"1.1.6"``, ``"next w"``,
    ``"largest weight step"``, optionally with ``[i]`` / ``[i,j]``, 1-based); ``kind`` is
    ``number``, ``sign`` (positive, negative or zero; up or down), ``choice`` (one of
    ``choices``) or ``formula`` (an expression; ``answer`` is then a formula key of
    ``core.explain.formula.KEYS`` and ``names`` the names the answer may use, by default the
    key's) or ``steps`` (a backward pass by hand: ``steps`` are its steps, each a number or
    formula question whose ``answer`` is a qualified pass key, ``backward_pass.qualify``, on
    row ``row``); how close a number must be is the grader's rule (``grading.tolerance``).
    ``reveal`` is optional text shown with the working after grading.
    """

    id: str
    prompt: str
    answer: str
    kind: str
    choices: tuple[str, ...] = ()
    reveal: str = ""
    names: tuple[str, ...] = ()
    steps: tuple[Question, ...] = ()
    row: int = 0


@dataclass(frozen=True)
class Lesson:
    """One lesson: its section, title, default preset, pages of Markdown and questions."""

    section: str
    title: str
    preset: str
    pages: tuple[str, ...]
    questions: tuple[Question, ...]
    path: Path | None = None

    @property
    def text(self) -> str:
        """The whole lesson text (pages joined by horizontal rules)."""
        return f"\n\n{PAGE_BREAK}\n\n".join(self.pages)


def lessons_dir() -> Path:
    """The folder of the lessons (inside the installed package, else the source tree)."""
    core_dir = Path(__file__).resolve().parent.parent.parent
    installed = core_dir / "lessons"
    return installed if installed.is_dir() else core_dir.parent / "lessons"


def split_pages(body: str) -> tuple[str, ...]:
    """The pages of a lesson body: split at lines that hold only ``---`` outside code."""
    pages, current, in_code = [], [], False
    for line in body.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
        if not in_code and line.strip() == PAGE_BREAK:
            pages.append("\n".join(current).strip())
            current = []
        else:
            current.append(line)
    pages.append("\n".join(current).strip())
    return tuple(page for page in pages if page)


def _text(source: str, where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LessonError(f"{source}: {where}: expected a non-empty string, got {value!r}")
    return value.strip()


def _check_keys(source: str, prefix: str, table: dict, kind: str, allowed: tuple[str, ...],
                required: tuple[str, ...]) -> None:
    for key in table:
        if key not in allowed:
            raise LessonError(f"{source}: {prefix}{key}: not a {kind} field (expected "
                              f"{', '.join(allowed)})")
    for key in required:
        if key not in table:
            raise LessonError(f"{source}: {prefix}{key}: missing")


def _question(source: str, index: int, table: Any, section: str) -> Question:
    where = f"questions[{index}]"
    if not isinstance(table, dict):
        raise LessonError(f"{source}: {where}: expected a table")
    _check_keys(source, f"{where}.", table, "question", QUESTION_KEYS,
                ("id", "prompt", "answer", "kind"))
    kind = table["kind"]
    if kind not in KINDS:
        raise LessonError(f"{source}: {where}.kind: expected one of {', '.join(KINDS)}, "
                          f"got {kind!r}")
    choices = table.get("choices", [])
    if kind == "choice":
        if not (isinstance(choices, list) and len(choices) >= 2
                and all(isinstance(c, str) and c.strip() for c in choices)):
            raise LessonError(f"{source}: {where}.choices: expected a list of at least two "
                              f"strings, got {choices!r}")
    elif choices:
        raise LessonError(f"{source}: {where}.choices: only a choice question has choices")
    reveal = table.get("reveal", "")
    if not isinstance(reveal, str):
        raise LessonError(f"{source}: {where}.reveal: expected a string, got {reveal!r}")
    answer = _text(source, f"{where}.answer", table["answer"])
    names = _formula_names(source, where, table, answer) if kind == "formula" else ()
    if kind != "formula" and "names" in table:
        raise LessonError(f"{source}: {where}.names: only a formula question has names")
    if kind != "steps" and ("steps" in table or "row" in table):
        raise LessonError(f"{source}: {where}.steps: only a steps question has steps and a row")
    question_id = _text(source, f"{where}.id", table["id"])
    steps, row = _steps(source, where, table, section, question_id) if kind == "steps" \
        else ((), 0)
    return Question(question_id, _text(source, f"{where}.prompt", table["prompt"]), answer,
                    kind, tuple(c.strip() for c in choices), reveal.strip(), names, steps, row)


def _steps(source: str, where: str, table: dict, section: str,
           question_id: str) -> tuple[tuple[Question, ...], int]:
    """A steps question's steps, each a number or formula question on a pass key of
    ``section``, and the row it works on."""
    passes = backward_passes()
    if section not in passes:
        raise LessonError(f"{source}: {where}.kind: a steps question needs a backward pass "
                          f"of its section (sections {', '.join(passes)})")
    row = table.get("row")
    if not is_integer(row) or row < 1:
        raise LessonError(f"{source}: {where}.row: expected the row's number (1, 2, ...), "
                          f"got {row!r}")
    tables = table.get("steps")
    if not isinstance(tables, list) or not tables:
        raise LessonError(f"{source}: {where}.steps: expected at least one "
                          f"[[questions.steps]] table")
    steps = []
    for index, step in enumerate(tables, start=1):
        at = f"{where}.steps[{index}]"
        if not isinstance(step, dict):
            raise LessonError(f"{source}: {at}: expected a table")
        _check_keys(source, f"{at}.", step, "step", STEP_KEYS, ("id", "prompt", "answer", "kind"))
        kind = step["kind"]
        if kind not in STEP_KINDS:
            raise LessonError(f"{source}: {at}.kind: expected one of {', '.join(STEP_KINDS)}, "
                              f"got {kind!r}")
        key = _text(source, f"{at}.answer", step["answer"])
        if key not in passes[section].keys:
            raise LessonError(f"{source}: {at}.answer: expected one of "
                              f"{', '.join(passes[section].keys)}, got {key!r}")
        if kind == "number" and "names" in step:
            raise LessonError(f"{source}: {at}.names: only a formula step has names")
        answer = qualify(section, key, row if kind == "number" else None)
        names = _formula_names(source, at, step, answer) if kind == "formula" else ()
        steps.append(Question(f"{question_id}/{_text(source, f'{at}.id', step['id'])}",
                              _text(source, f"{at}.prompt", step["prompt"]), answer, kind,
                              names=names))
    ids = [s.id for s in steps]
    if len(set(ids)) != len(ids):
        raise LessonError(f"{source}: {where}.steps: ids must be unique, got {ids}")
    return tuple(steps), row


def _formula_names(source: str, where: str, table: dict, answer: str) -> tuple[str, ...]:
    """A formula question's names: its ``names`` (each the key's, and enough to write the
    truth), or the key's own."""
    from ..formula import FormulaError, parse

    try:
        key = question_formula_key(answer)
    except KeyError as error:
        raise LessonError(f"{source}: {where}.answer: {error.args[0]}") from None
    names = table.get("names", list(key.names))
    if not (isinstance(names, list) and names and all(isinstance(n, str) for n in names)):
        raise LessonError(f"{source}: {where}.names: expected a list of names, got {names!r}")
    unknown = [n for n in names if n not in key.model.spellings]
    if unknown:
        raise LessonError(f"{source}: {where}.names: {', '.join(unknown)} not among "
                          f"{', '.join(key.model.spellings)}")
    try:
        parse(key.row, key.vocabulary(names))
    except FormulaError as error:
        raise LessonError(f"{source}: {where}.names: the truth cannot be written in them "
                          f"({error})") from None
    return tuple(names)


def _front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    """A lesson file's front matter, read as TOML, and the Markdown after it."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE:
        raise LessonError(f"{source}: front matter: expected the file to start with a "
                          f"'{FENCE}' line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise LessonError(f"{source}: front matter: no closing '{FENCE}' line") from None
    try:
        meta = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as error:
        raise LessonError(f"{source}: front matter: invalid TOML: {error}") from None
    return meta, "\n".join(lines[end + 1:])


def _lesson(meta: dict[str, Any], body: str, source: str, path: Path | None) -> Lesson:
    """The lesson of a file's front matter ``meta`` and Markdown ``body``."""
    _check_keys(source, "", meta, "lesson", LESSON_KEYS, LESSON_KEYS)
    section = meta["section"]
    if section not in SECTIONS:
        raise LessonError(f"{source}: section: expected one of {', '.join(SECTIONS)}, "
                          f"got {section!r}")
    questions = meta["questions"]
    if not isinstance(questions, list) or not questions:
        raise LessonError(f"{source}: questions: expected at least one [[questions]] table")
    parsed = tuple(_question(source, i + 1, q, section) for i, q in enumerate(questions))
    ids = [q.id for q in parsed]
    if len(set(ids)) != len(ids):
        raise LessonError(f"{source}: questions: ids must be unique, got {ids}")
    pages = split_pages(body)
    if not pages:
        raise LessonError(f"{source}: text: the lesson has no text after the front matter")
    return Lesson(section, _text(source, "title", meta["title"]),
                  _text(source, "preset", meta["preset"]), pages, parsed, path)


def parse_lesson(text: str, source: str = "<string>", path: Path | None = None) -> Lesson:
    """A lesson from its file text; ``source`` names it in error messages."""
    meta, body = _front_matter(text, source)
    return _lesson(meta, body, source, path)


def _lesson_files(folder: Path | None) -> list[Path]:
    """The lesson files in ``folder`` (default: the built-in lessons), by name."""
    folder = lessons_dir() if folder is None else Path(folder)
    return [p for p in sorted(folder.glob("*.md")) if p.name != "README.md"]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise LessonError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise LessonError(f"{path}: cannot read: not UTF-8 text ({error.reason})") from None


def load_lessons(folder: Path | None = None) -> list[Lesson]:
    """Every lesson in ``folder`` (default: the built-in lessons), in section order."""
    lessons = [parse_lesson(_read(p), str(p), p) for p in _lesson_files(folder)]
    seen: dict[str, Path | None] = {}
    for lesson in lessons:
        if lesson.section in seen:
            raise LessonError(f"{lesson.path}: section: {lesson.section} is also the section "
                              f"of {seen[lesson.section]}")
        seen[lesson.section] = lesson.path
    return sorted(lessons, key=lambda lesson: tuple(map(int, lesson.section.split("."))))


def load_lesson(section: str, folder: Path | None = None) -> Lesson:
    """The lesson of ``section`` ("1.0" ... "2.4"), or LessonError. The files are read in
    order as far as the lesson's own: a lesson opens without reading the others."""
    wanted = str(section).strip()
    for path in _lesson_files(folder):
        meta, body = _front_matter(_read(path), str(path))
        if meta.get("section") == wanted:
            return _lesson(meta, body, str(path), path)
    raise LessonError(f"lesson: no lesson for section {section!r} (lessons: "
                      f"{', '.join(lesson.section for lesson in load_lessons(folder))})")


def formula_questions(section: str, folder: Path | None = None) -> list[dict[str, Any]]:
    """The formula questions of ``section``'s lesson as ``explain --json`` lists them: id,
    prompt, key, the names allowed and the true expression in the same grammar (none for a
    section without a lesson)."""
    from ..formula import formula_key

    try:
        lesson = load_lesson(section, folder)
    except LessonError:
        return []
    out = []
    for question in lesson.questions:
        if question.kind == "formula":
            key = formula_key(question.answer)
            out.append({"id": question.id, "prompt": question.prompt, "key": key.key,
                        "names": list(question.names), "truth": key.truth,
                        "row": key.row, "summed": key.summed})
    return out
