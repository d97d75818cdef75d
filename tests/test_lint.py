"""The code base passes the project's linter as configured in pyproject.toml."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_check_is_clean():
    """`ruff check .` reports nothing: the lint rules are part of the test suite."""
    if shutil.which("ruff") is None and not _ruff_module_available():
        pytest.fail("ruff is not installed: install the test extra (pip install -e '.[test]')")
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def _ruff_module_available() -> bool:
    try:
        import ruff  # noqa: F401
    except ImportError:
        return False
    return True
