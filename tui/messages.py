"""Messages to the app: the session's snapshots (from its notifier's thread) and a lesson
screen's wish for another lesson."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from core.session import Snapshot


@dataclass
class SnapshotReady(Message):
    """The session has a new picture of itself.

    Posted with ``post_message`` from the session's subscriber callback (its own thread),
    which never blocks training. In a burst only the newest is handled (``can_replace``).
    """

    snapshot: Snapshot

    def can_replace(self, message: Message) -> bool:
        """A newer snapshot makes an older one still waiting pointless."""
        return isinstance(message, SnapshotReady)


@dataclass
class LessonStep(Message):
    """The learner asked for the lesson ``step`` places after lesson ``section`` (-1: the
    one before)."""

    section: str
    step: int
