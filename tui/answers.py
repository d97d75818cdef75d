"""The learner's answers to the lessons' questions, kept for as long as the app runs."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.explain.notes import Grade


@dataclass(frozen=True)
class Answer:
    """One answer the learner gave: what they typed, its grade and the epoch it was
    graded at."""

    section: str
    question: str
    text: str
    grade: Grade
    epoch: int


@dataclass
class AnswerBook:
    """Every lesson's latest answer to each of its questions, and the lesson last opened
    (``last_section``), for as long as the app runs."""

    answers: dict[tuple[str, str], Answer] = field(default_factory=dict)
    last_section: str | None = None

    def record(self, answer: Answer) -> None:
        """Keep ``answer`` (it replaces an earlier answer to the same question)."""
        self.answers[(answer.section, answer.question)] = answer

    def get(self, section: str, question: str) -> Answer | None:
        """The latest answer to question ``question`` of lesson ``section``, if any."""
        return self.answers.get((section, question))

    def count(self, section: str) -> tuple[int, int]:
        """(answered, right) for lesson ``section``."""
        mine = [a for (s, _), a in self.answers.items() if s == section]
        return len(mine), sum(a.grade.correct for a in mine)
