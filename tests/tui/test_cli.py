"""The app's command line: bad arguments are one error line and exit 2, --help, an app that
ends with an error exits non-zero, and the start runs without the garbage collector."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

import tui.__main__ as cli
from core.arguments import MAX_ERROR_CHARS, BadArgument, CommandLineParser
from tui.app import BackpropApp

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("args", [
    ["--lr", "0"], ["--lr", "-3"], ["--lr", "nan"], ["--lr", "x"], ["--seed", "x"],
    ["--seed", "-1"], ["--optimizer", "sgd"], ["--bogus"], ["xor", "extra"],
    ["no-such-preset"], ["missing/file.toml"],
])
def test_bad_arguments_exit_2_with_one_error_line(args):
    result = run_cli(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert result.stdout == ""


LONG = "a" * 100_000


@pytest.mark.parametrize("args", [
    ["--lesson", LONG], ["xor", LONG], ["--" + LONG], ["--optimizer", LONG],
    ["--seed", "9" * 5_000], [LONG + ".csv"],
])
def test_an_error_line_quotes_a_long_argument_short(args):
    result = run_cli(*args)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and len(lines[0]) <= MAX_ERROR_CHARS


def test_both_command_lines_share_one_parser_base():
    """python -m tui and python -m core parse with one base: a usage error of either is
    raised as BadArgument, which each prints as one error line."""
    from core.cli import build_parser as core_parser

    for parser, args in ((cli.build_parser(), ["--bogus"]), (core_parser(), ["list", "--bogus"])):
        assert isinstance(parser, CommandLineParser)
        with pytest.raises(BadArgument, match="unrecognized arguments: --bogus"):
            parser.parse_args(args)


def test_a_csv_file_on_the_command_line_says_how_to_open_it():
    """A CSV file is not a preset: one error line points to ctrl+o."""
    result = run_cli("presets/iris.csv")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "ctrl+o" in lines[0] and "iris.csv" in lines[0]


def test_help_exits_0():
    result = run_cli("--help")
    assert result.returncode == 0 and "--optimizer" in result.stdout


def test_an_app_that_ends_with_an_error_exits_non_zero(monkeypatch):
    """A crash is not reported to the shell as success."""
    monkeypatch.setattr(BackpropApp, "run", lambda app: app.exit(return_code=1))
    assert cli.main(["xor"]) == 1


def test_the_start_runs_without_garbage_collection_until_the_first_frame(monkeypatch):
    """Off while the app starts, on again (the start's objects frozen) once the app is up,
    and on whatever happens after."""
    seen = {}
    run = BackpropApp.run

    async def look(pilot) -> None:
        await pilot.pause()
        seen["up"] = gc.isenabled(), gc.get_freeze_count() > 0
        await pilot.press("q")

    def run_headless(app: BackpropApp) -> None:
        seen["starting"] = gc.isenabled()
        run(app, headless=True, size=(120, 40), auto_pilot=look)

    monkeypatch.setattr(BackpropApp, "run", run_headless)
    try:
        assert cli.main(["xor"]) == 0
        assert seen == {"starting": False, "up": (True, True)}
        assert gc.isenabled()
        with pytest.raises(SystemExit):
            cli.main(["xor", "--lr", "x"])
        assert gc.isenabled()
    finally:
        gc.unfreeze()
