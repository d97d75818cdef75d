"""Fixtures shared by the core tests."""

import pytest

from core.session.session import Session


@pytest.fixture
def make():
    """Sessions made through this fixture are closed after the test."""
    sessions = []

    def make_session(preset, **overrides):
        session = Session(preset, **overrides)
        sessions.append(session)
        return session

    yield make_session
    for session in sessions:
        session.close()
