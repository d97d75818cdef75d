"""Fixtures and helpers shared by the core tests."""

import time

import numpy as np
import pytest

from core.session import Session


def wait_until(predicate, timeout=5.0):
    """Wait for ``predicate()`` to hold, failing after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def parameters(snapshot):
    """Copies of a snapshot's (or network's) weights, then biases."""
    return [np.array(a) for a in (*snapshot.weights, *snapshot.biases)]


def same_weights(a, b):
    """Whether two snapshots (or networks) hold bitwise equal weights and biases."""
    first, second = parameters(a), parameters(b)
    return len(first) == len(second) and all(np.array_equal(x, y) for x, y in zip(first, second))


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
