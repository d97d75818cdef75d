"""Messages from training threads to the training screen."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from core.session import Snapshot


@dataclass
class SnapshotReady(Message):
    """The session has a new picture of itself.

    Posted with ``post_message`` from the session's subscriber callback (its own thread),
    which never blocks training. In a burst only the newest is handled (``can_replace``).
    A reset or a new preset starts a new subscription (``generation``), so snapshots still
    on their way from before are dropped.
    """

    snapshot: Snapshot
    generation: int = 0
    """The app's subscription this came from; snapshots of an older one are stale."""

    def can_replace(self, message: Message) -> bool:
        """A newer snapshot makes an older one still waiting pointless."""
        return isinstance(message, SnapshotReady)


@dataclass
class StepFailed(Message):
    """A step key's training stopped with an error (``reason`` says why)."""

    reason: str
