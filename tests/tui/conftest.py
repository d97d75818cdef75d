"""Fixtures for the app's tests: an app on a real session from a fixed seed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.session.session import Session
from tui.app import BackpropApp

SEED = 3


@pytest.fixture
def make_app() -> Callable[..., BackpropApp]:
    """``make_app(preset="xor", seed=SEED, **session_options)``; sessions closed afterwards."""
    apps: list[BackpropApp] = []

    def make(preset: str = "xor", seed: int = SEED, **options) -> BackpropApp:
        app = BackpropApp(Session(preset, seed=seed, **options))
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close_session()
