"""A learner's progress through the course, kept in one small JSON file.

``Progress`` holds every lesson's latest answer to each of its questions (what was typed,
the grade, the epoch it was graded at), the lesson last opened and the code exercises
passed. With a ``path`` it is saved whole after every change (written atomically, so a
crash leaves the old file or the new one) and read back at the start; without one it lives
as long as the program (a served browser tab). Reading is defensive: a file that is not
one of ours, or is damaged, is one line in ``problem`` and the progress starts afresh.

The file (``lessons/README.md`` documents it)::

    {"version": 1, "last_section": "1.5",
     "answers": {"1.5": {"w1-gradient": {"text": "-0.0169", "correct": true, "epoch": 0,
                                          "expected": "-0.0168515", "tolerance": 0.00017,
                                          "working": "...", "note": ""}}},
     "exercises": {"sigmoid": {"passed": true}}}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .checks import is_number
from .explain.notes import Grade
from .files import read_regular, write_text
from .text import shown_path

VERSION = 1
MAX_BYTES = 4 * 1024 * 1024
"""A progress file larger than this is not ours (a full course is a few kilobytes)."""


@dataclass(frozen=True)
class Answer:
    """One answer the learner gave: what they typed, its grade and the epoch it was
    graded at."""

    section: str
    question: str
    text: str
    grade: Grade
    epoch: int


class ProgressError(ValueError):
    """A progress file that cannot be read as one (one line)."""


def _answer_json(answer: Answer) -> dict[str, Any]:
    grade = answer.grade
    return {"text": answer.text, "correct": grade.correct, "epoch": answer.epoch,
            "expected": grade.expected, "tolerance": grade.tolerance,
            "working": grade.working_text, "note": grade.note}


def _field(table: dict, name: str, kind: type, where: str) -> Any:
    value = table.get(name)
    if type(value) is not kind:           # exactly: true is not an epoch
        raise ProgressError(f"{where}.{name}: expected {kind.__name__}")
    return value


def _answer(section: str, question: str, table: Any) -> Answer:
    where = f"answers.{section}.{question}"
    if not isinstance(table, dict):
        raise ProgressError(f"{where}: expected an object")
    tolerance = table.get("tolerance")
    if tolerance is not None and not is_number(tolerance):
        raise ProgressError(f"{where}.tolerance: expected a number or null")
    grade = Grade(_field(table, "correct", bool, where), _field(table, "expected", str, where),
                  None if tolerance is None else float(tolerance),
                  _field(table, "working", str, where), note=_field(table, "note", str, where))
    return Answer(section, question, _field(table, "text", str, where), grade,
                  _field(table, "epoch", int, where))


def parse_progress(document: Any) -> tuple[dict[tuple[str, str], Answer], str | None,
                                           dict[str, dict]]:
    """(answers, last section, exercises) from a progress file's JSON; ProgressError if it is
    not one."""
    if not isinstance(document, dict) or document.get("version") != VERSION:
        raise ProgressError(f"not a progress file of version {VERSION}")
    last = document.get("last_section")
    if last is not None and not isinstance(last, str):
        raise ProgressError("last_section: expected a section such as \"1.5\"")
    sections = document.get("answers", {})
    exercises = document.get("exercises", {})
    if not isinstance(sections, dict) or not isinstance(exercises, dict):
        raise ProgressError("answers and exercises: expected objects")
    answers = {}
    for section, questions in sections.items():
        if not isinstance(questions, dict):
            raise ProgressError(f"answers.{section}: expected an object")
        for question, table in questions.items():
            answers[(section, question)] = _answer(section, question, table)
    if not all(isinstance(record, dict) for record in exercises.values()):
        raise ProgressError("exercises: expected an object for each exercise")
    return answers, last, dict(exercises)


class Progress:
    """Every lesson's latest answer to each question, the lesson last opened
    (``last_section``) and the exercises passed; saved to ``path`` after each change (none:
    kept for as long as the program runs). ``problem`` is the one line saying why an
    existing file was not read, or why a save failed ('' if neither happened)."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = None if path is None else Path(path)
        self.answers: dict[tuple[str, str], Answer] = {}
        self.exercises: dict[str, dict] = {}
        self._last_section: str | None = None
        self.problem = ""
        if self.path is not None:
            self._load(self.path)

    def _load(self, path: Path) -> None:
        if not path.exists():
            return
        try:
            document = json.loads(read_regular(path, MAX_BYTES).decode("utf-8"))
            self.answers, self._last_section, self.exercises = parse_progress(document)
        except (OSError, UnicodeDecodeError, ValueError) as error:   # ProgressError, JSON
            reason = getattr(error, "strerror", None) or str(error).split("\n")[0]
            self.problem = f"{shown_path(path)}: {reason}; your progress starts afresh"

    @property
    def last_section(self) -> str | None:
        """The lesson last opened ("1.5"), if any."""
        return self._last_section

    @last_section.setter
    def last_section(self, section: str | None) -> None:
        if section != self._last_section:
            self._last_section = section
            self.save()

    def record(self, answer: Answer) -> None:
        """Keep ``answer`` (it replaces an earlier answer to the same question)."""
        self.answers[(answer.section, answer.question)] = answer
        self.save()

    def record_exercise_passed(self, exercise: str) -> None:
        """Keep that the code exercise named ``exercise`` was passed (the code exercises'
        seam: ``core.exercises.progress`` hands its passes here)."""
        self.exercises[exercise] = {"passed": True}
        self.save()

    def get(self, section: str, question: str) -> Answer | None:
        """The latest answer to question ``question`` of lesson ``section``, if any."""
        return self.answers.get((section, question))

    def of(self, section: str) -> dict[str, Answer]:
        """Lesson ``section``'s answers by question id."""
        return {q: a for (s, q), a in self.answers.items() if s == section}

    def count(self, section: str) -> tuple[int, int]:
        """(answered, right) for lesson ``section``."""
        mine = self.of(section).values()
        return len(mine), sum(a.grade.correct for a in mine)

    def clear(self) -> None:
        """Forget every answer and exercise (and the file's contents)."""
        self.answers, self.exercises, self._last_section = {}, {}, None
        self.save()

    def to_json(self) -> dict[str, Any]:
        """The progress file's object."""
        sections: dict[str, dict[str, Any]] = {}
        for (section, question), answer in sorted(self.answers.items()):
            sections.setdefault(section, {})[question] = _answer_json(answer)
        return {"version": VERSION, "last_section": self._last_section, "answers": sections,
                "exercises": self.exercises}

    def save(self) -> None:
        """Write the whole file (nothing without a path); a failure is kept in ``problem``
        and the progress stays in memory."""
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_text(self.path, json.dumps(self.to_json(), indent=1), overwrite=True)
        except OSError as error:
            self.problem = (f"{shown_path(self.path)}: cannot save your progress: "
                            f"{error.strerror or error}")
