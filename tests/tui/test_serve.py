"""``python -m tui --serve``: the command each tab runs, the folder each tab is confined to, and
a served app answering keys over the websocket (as the browser's page talks to it)."""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from core.presets.schema import builtin_dir
from tui.__main__ import main
from tui.confine import OutsideFolder, confine
from tui.serve import ClassroomServer, app_arguments, files_folder, serve, serve_address
from tui.serve_service import TAB_FOLDER_PREFIX, tab_argv, tab_command

from .serving import alive, screen_text, served, wait_until

aiohttp = pytest.importorskip("aiohttp", reason="aiohttp comes with textual-serve")

TITLE = 'A "quoted" preset\'s title'


# -- the confinement rule ------------------------------------------------------------------


def test_paths_inside_the_folder_are_resolved_in_it(tmp_path: Path) -> None:
    """A relative name is in the folder; an absolute path inside it and the folder itself are
    accepted; ``..`` that stays inside is fine."""
    (tmp_path / "sub").mkdir()
    root = tmp_path.resolve()
    assert confine("run.npz", tmp_path) == root / "run.npz"
    assert confine("sub/../sub/x.csv", tmp_path) == root / "sub" / "x.csv"
    assert confine(root / "sub" / "new.toml", tmp_path) == root / "sub" / "new.toml"
    assert confine(".", tmp_path) == root
    assert confine(str(root), tmp_path) == root


@pytest.mark.parametrize("path", ["../escape.npz", "sub/../../escape.npz", "/etc/passwd",
                                  "/tmp", "~", "~/.bashrc", "..", "a\0b"])
def test_paths_outside_the_folder_are_refused(tmp_path: Path, path: str) -> None:
    """``..`` out of the folder, absolute paths elsewhere, the home folder and unusable paths
    are refused with one line that names the folder."""
    root = tmp_path / "files"
    (root / "sub").mkdir(parents=True)
    with pytest.raises(OutsideFolder) as refused:
        confine(path, root)
    message = str(refused.value)
    assert "\n" not in message
    assert str(root.resolve()) in message


def test_symbolic_links_out_of_the_folder_are_refused(tmp_path: Path) -> None:
    """A link inside the folder that points out of it is refused, as is a path through a linked
    folder outside and a link loop; a link to a file inside is followed."""
    root = tmp_path / "files"
    root.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("no")
    (root / "leak.txt").symlink_to(outside)
    (root / "elsewhere").symlink_to(tmp_path)
    (root / "loop").symlink_to(root / "loop")
    (root / "inside.csv").write_text("a,b\n")
    (root / "alias.csv").symlink_to(root / "inside.csv")
    for path in ("leak.txt", "elsewhere/secret.txt", "elsewhere/new.npz", "loop/x"):
        with pytest.raises(OutsideFolder):
            confine(path, root)
    assert confine("alias.csv", root) == (root / "inside.csv").resolve()


def test_a_folder_reached_through_a_link_is_the_folder(tmp_path: Path) -> None:
    """The folder itself may be given through a link: paths are compared after resolving
    both."""
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    assert confine("a.npz", tmp_path / "link") == real.resolve() / "a.npz"


# -- the command each tab runs -------------------------------------------------------------


def test_tab_command_quotes_every_argument(tmp_path: Path) -> None:
    """A preset path with spaces, quotes and shell characters survives the quoted command: a
    shell splits it back into exactly the arguments."""
    preset = str(tmp_path / "it's a \"test\" $(touch pwned); rm -rf ~ `x`.toml")
    args = app_arguments(preset, lr=0.5, seed=3, optimizer="adam")
    assert args[-2:] == ["--", preset]
    command = tab_command(args, tmp_path / "tab folder")
    assert shlex.split(command) == tab_argv(args, tmp_path / "tab folder")
    echoed = subprocess.run(["sh", "-c", command.replace(sys.executable, "printf '%s\\n'", 1)],
                            capture_output=True, text=True, check=True, cwd=tmp_path)
    assert echoed.stdout.splitlines() == tab_argv(args, tmp_path / "tab folder")[1:]
    assert not (tmp_path / "pwned").exists()


def test_preset_paths_are_made_absolute_and_names_kept(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Each tab starts in its own folder, so a relative preset path becomes absolute; a
    built-in name stays a name."""
    monkeypatch.chdir(tmp_path)
    assert app_arguments("my xor.toml", lr=None, seed=None, optimizer=None) == [
        "--", str(tmp_path / "my xor.toml")]
    assert app_arguments("xor", lr=None, seed=None, optimizer=None) == ["--", "xor"]


# -- the command line ----------------------------------------------------------------------


@pytest.mark.parametrize("argv, message", [
    (["--host", "0.0.0.0"], "--host is for --serve"),
    (["--files", "."], "--files is for --serve"),
    (["--serve", "--port", "0"], "expected a port from 1 to 65535"),
    (["--serve", "--files", "/no/such/folder"], "no such folder"),
    (["--serve", "nosuchpreset"], "unknown preset"),
])
def test_serve_options_are_checked_first(argv, message, capsys) -> None:
    """A bad serve option is one error line and exit code 2, before anything is served."""
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_a_port_in_use_is_one_error_line(capsys) -> None:
    """Serving on a port that is taken says so and returns 2."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert serve(["--", "xor"], host="127.0.0.1", port=port) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot serve on 127.0.0.1:{port}") and err.count("\n") == 1


@pytest.mark.parametrize("host", ["0", "::0", "000.0.0.0", "0.0.0.0", "::", "0x0"])
def test_every_spelling_of_every_interface_is_warned(host, capsys) -> None:
    """A host that is the unspecified address, however written, serves every interface: the
    server says so and gives the machine's name, not ``http://0:PORT``."""
    address = serve_address(host, 8123)
    ClassroomServer(["--", "xor"], address=address, port=8123, files=None).announce()
    out = capsys.readouterr().out
    assert address.every_interface and "every network interface" in out
    assert f"http://{host}:" not in out


@pytest.mark.parametrize("host, url", [("::1", "http://[::1]:8123"),
                                       ("127.1", "http://127.0.0.1:8123"),
                                       ("localhost", "http://localhost:8123")])
def test_one_machine_is_not_warned_and_ipv6_is_bracketed(host, url, capsys) -> None:
    """A loopback host serves this machine only (no warning); an IPv6 address is printed in
    brackets, as a browser needs it."""
    address = serve_address(host, 8123)
    ClassroomServer(["--", "xor"], address=address, port=8123, files=None).announce()
    out = capsys.readouterr().out
    assert not address.every_interface and "every network interface" not in out
    assert f"served at {url} " in out


@pytest.mark.parametrize("host", ["a..b", "x" * 300, " ", "no such host", "a\0b"])
def test_an_invalid_host_is_one_error_line(host, capsys) -> None:
    """A host that is not a valid name, or does not resolve, is one ``error:`` line naming
    --host and exit code 2 (``a..b`` was a traceback from the idna codec), before anything
    is served."""
    with pytest.raises(SystemExit) as exited:
        main(["--serve", "--host", host, "xor"])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and "Traceback" not in err
    assert err.startswith("error: --host: ") and err.count("\n") == 1 and len(err) < 200


def test_files_must_be_a_folder_the_server_can_read_and_write(tmp_path, capsys) -> None:
    """--files naming a file, or a folder nothing can be written in (/proc), is one error
    line and exit 2; a good folder is taken resolved."""
    file = tmp_path / "notes.txt"
    file.write_text("x")
    with pytest.raises(SystemExit) as exited:
        main(["--serve", "--files", str(file), "xor"])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and err.startswith("error: --files: ") and "not a folder" in err
    with pytest.raises(ValueError, match="read and write"):
        files_folder("/proc")
    assert files_folder(str(tmp_path / ".")) == tmp_path.resolve()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes every folder")
@pytest.mark.parametrize("mode", [0o300, 0o500])
def test_files_the_server_cannot_read_or_write_is_refused(tmp_path, mode) -> None:
    """A folder without read (listing) or write permission is refused at the start, not by
    every tab with a PermissionError."""
    folder = tmp_path / "locked"
    folder.mkdir(mode=mode)
    try:
        with pytest.raises(ValueError, match="read and write"):
            files_folder(str(folder))
    finally:
        folder.chmod(0o700)


def test_help_says_who_can_use_a_shared_server(capsys) -> None:
    """--help explains that --host 0.0.0.0 shares the app with anyone who can reach it."""
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--host 0.0.0.0 shares it on the network" in text
    assert "anyone who can reach it can use it" in text


# -- a served app over the websocket -------------------------------------------------------


def quoted_preset(folder: Path) -> Path:
    """The xor preset with a title to look for, in a file whose path has spaces and quotes."""
    folder.mkdir(parents=True)
    preset = folder / "my \"odd\" preset's copy.toml"
    text = (builtin_dir() / "xor.toml").read_text()
    title = next(line for line in text.splitlines() if line.startswith("title = "))
    escaped = TITLE.replace('"', '\\"')
    preset.write_text(text.replace(title, f'title = "{escaped}"'))
    return preset


async def read_until(ws, wanted: str, timeout: float = 20.0) -> str:
    """Read the terminal stream from ``ws`` until its text holds ``wanted``."""
    data = b""
    async with asyncio.timeout(timeout):
        while wanted not in screen_text(data):
            message = await ws.receive()
            if message.type == aiohttp.WSMsgType.BINARY:
                data += message.data
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                pytest.fail(f"the app closed before showing {wanted!r}: {screen_text(data)}")
    return screen_text(data)


async def test_a_preset_path_with_spaces_and_quotes_serves(tmp_path: Path) -> None:
    """A tab's app starts from a preset whose path has spaces and quotes, answers n with
    epoch 1, and ends with its own folder removed when the tab closes."""
    preset = quoted_preset(tmp_path / "it's a \"classroom\" folder")
    with served([str(preset)], cwd=tmp_path) as server:
        async with aiohttp.ClientSession() as http:
            async with http.get(server.url) as response:
                page = await response.text()
            websocket_url = server.url.replace("http:", "ws:") + "/ws"
            assert f'data-session-websocket-url="{websocket_url}"' in page
            async with http.ws_connect(server.url + "/ws?width=140&height=45&name=Lin") as ws:
                await read_until(ws, TITLE)
                [app] = server.apps()
                folder = Path(os.readlink(f"/proc/{app}/cwd"))
                assert folder.name.startswith(TAB_FOLDER_PREFIX) and folder.is_dir()
                await ws.send_json(["stdin", "n"])
                await read_until(ws, "epoch 1")
        wait_until(lambda: not alive(app) and not folder.exists(), 10,
                   "the closed tab's app ended and its folder was removed")


async def test_files_folder_is_every_tabs_folder(tmp_path: Path) -> None:
    """With --files DIR each tab's app runs confined to DIR, which stays when the tab
    closes."""
    files = tmp_path / "class files"
    files.mkdir()
    with served(["--files", str(files), "xor"], cwd=tmp_path) as server:
        assert f"every tab opens, saves and exports in {files}" in "".join(server.output)
        async with (aiohttp.ClientSession() as http,
                    http.ws_connect(server.url + "/ws?width=120&height=40&name=Lin") as ws):
            await read_until(ws, "epoch 0")
            [app] = server.apps()
            assert Path(os.readlink(f"/proc/{app}/cwd")) == files
        wait_until(lambda: not alive(app), 10, "the closed tab's app ended")
        assert files.is_dir()


# -- a served app's dialogs ----------------------------------------------------------------


async def test_a_served_app_refuses_paths_outside_its_folder(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """In an app confined to a folder: save, export and open refuse paths outside it (``..``,
    absolute, a link out) with a message and nothing written or opened; a plain name is
    written inside the folder whatever the current folder."""
    from textual.widgets import Input, Label

    from core.session.session import Session
    from tui import file_flows
    from tui.app import BackpropApp
    from tui.screens.open_file import OpenFileScreen
    from tui.screens.save_session import PathScreen

    from .conftest import record_notes, training

    root, elsewhere = tmp_path / "files", tmp_path / "elsewhere"
    root.mkdir()
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    secret = tmp_path / "secret.npz"
    Session("xor", seed=3).files.save(str(secret), False)
    (root / "link.npz").symlink_to(secret)

    async def answer(pilot, text: str) -> str:
        """Type ``text`` in the path dialog and enter; the dialog's error line after."""
        assert isinstance(pilot.app.screen, PathScreen)
        pilot.app.screen.query_one(Input).value = text
        await pilot.press("enter")
        await pilot.pause()
        screen = pilot.app.screen
        return str(screen.query_one("#path-error", Label).render()) if isinstance(
            screen, PathScreen) else ""

    app = BackpropApp(Session("xor", seed=3), files_root=root)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            notes = record_notes(app)
            await pilot.press("s")
            await pilot.pause()
            assert "outside the folder" in await answer(pilot, "../outside.npz")
            assert isinstance(app.screen, PathScreen), "asked again"
            await answer(pilot, "inside.npz")
            assert (root / "inside.npz").is_file()
            assert not (tmp_path / "outside.npz").exists()
            assert not (elsewhere / "inside.npz").exists()

            await app.run_action("file_flow('export', 'weights')", training(app))
            await pilot.pause()
            assert "outside the folder" in await answer(pilot, str(tmp_path / "weights.json"))
            await pilot.press("escape")
            await pilot.pause()
            assert not (tmp_path / "weights.json").exists()

            for typed in (str(secret), "link.npz", "../elsewhere"):
                await pilot.press("ctrl+o")
                await pilot.pause()
                assert isinstance(app.screen, OpenFileScreen)
                field = app.screen.query_one("#open-path", Input)
                field.focus()
                field.value = typed
                await pilot.press("enter")
                await pilot.pause()
                error = str(app.screen.query_one("#open-error", Label).render())
                assert "outside the folder" in error, typed
                await pilot.press("escape")
                await pilot.pause()

            before = len(notes)
            await file_flows.open_path(training(app), str(root / "link.npz"))
            assert "outside the folder" in notes[before][0]
            assert app.session.snapshot().epoch == 0
    finally:
        app.close_session()
