"""Session files: save and resume exactly; a bad file gives one clear error and harms nothing."""

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

import core.session.saved
from core.session import SavedSession, Session, SessionFileError, WouldOverwrite

from .conftest import same_weights


@pytest.fixture
def closing():
    """Sessions passed through this fixture are closed after the test."""
    sessions = []

    def register(session):
        sessions.append(session)
        return session

    yield register
    for session in sessions:
        session.close()


def test_a_resumed_session_trains_on_exactly_as_without_the_interruption(closing, tmp_path):
    uninterrupted = closing(Session("spiral", batch_size=32)).step(15)
    first = closing(Session("spiral", batch_size=32))
    first.step(7)
    for _ in range(3):
        first.step_batch()
    first.files.save(tmp_path / "spiral.npz")
    resumed = closing(Session.open(tmp_path / "spiral.npz"))
    assert (resumed.epoch, resumed.snapshot().batch) == (7, 3)
    finished = resumed.step(8)
    assert finished.epoch == 15 and finished.optimizer == "adam"
    assert same_weights(finished, uninterrupted)
    assert np.array_equal(finished.history_loss, uninterrupted.history_loss)
    assert all(np.array_equal(a, b) for a, b in zip(finished.grad_norm_history,
                                                     uninterrupted.grad_norm_history))


def test_open_restores_the_settings_and_the_preset(closing, tmp_path):
    session = closing(Session("iris"))
    session.set_learning_rate(0.01)
    session.set_optimizer("momentum")
    session.reset(seed=3)
    saved = session.step(12)
    session.files.save(tmp_path / "iris.npz")
    opened = closing(Session.open(tmp_path / "iris.npz"))
    restored = opened.snapshot()
    assert opened.preset == session.preset and opened.preset.path == session.preset.path
    for field in ("epoch", "batch", "learning_rate", "optimizer", "seed", "loss", "test_loss"):
        assert getattr(restored, field) == getattr(saved, field), field
    assert same_weights(restored, saved)
    assert np.array_equal(restored.history_test_loss, saved.history_test_loss)
    assert not opened.running


def test_save_does_not_overwrite_unless_asked(closing, tmp_path):
    session = closing(Session("xor"))
    path = session.files.save(tmp_path / "xor.npz")
    with pytest.raises(WouldOverwrite):
        session.files.save(path)
    session.step(5)
    session.files.save(path, overwrite=True)
    assert closing(Session.open(path)).epoch == 5


def test_a_failed_save_leaves_the_old_file_whole(closing, tmp_path, monkeypatch):
    session = closing(Session("xor"))
    path = session.files.save(tmp_path / "xor.npz")
    old = path.read_bytes()

    def failing_savez(file, **arrays):
        file.write(b"PK\x03\x04 half an archive")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(core.session.saved.np, "savez", failing_savez)
    session.step(5)
    with pytest.raises(SessionFileError, match="No space left"):
        session.files.save(path, overwrite=True)
    assert path.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["xor.npz"]


def test_saving_into_a_missing_folder_says_so_in_one_line(closing, tmp_path):
    session = closing(Session("xor"))
    target = tmp_path / "absent" / "xor.npz"
    with pytest.raises(SessionFileError) as raised:
        session.files.save(target)
    assert str(raised.value) == f"cannot write {target}: no folder {target.parent}"


# --- bad files ----------------------------------------------------------------------------

def rewrite_meta(path, **changes):
    with np.load(path) as archive:
        arrays = {name: archive[name] for name in archive.files}
    meta = json.loads(str(arrays["meta"][()]))
    meta.update(changes)
    arrays["meta"] = np.array(json.dumps(meta))
    with open(path, "wb") as file:
        np.savez(file, **arrays)


def rewrite_preset(path, old, new):
    saved = SavedSession.read(path)
    assert old in saved.preset_toml
    path.unlink()
    dataclasses.replace(saved, preset_toml=saved.preset_toml.replace(old, new)).write(path)


def rewrite_array(path, name, value=None):
    """Replace the archive's array ``name`` by ``value``, or drop it when ``value`` is None."""
    with np.load(path) as archive:
        arrays = {key: archive[key] for key in archive.files if key != name}
    if value is not None:
        arrays[name] = np.asarray(value)
    with open(path, "wb") as file:
        np.savez(file, **arrays)


def flip_middle_bytes(path):
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 8] = bytes(b ^ 0xFF for b in data[middle:middle + 8])
    path.write_bytes(bytes(data))


DAMAGES = {
    "truncated": (lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
                  "truncated or corrupted"),
    "corrupted": (flip_middle_bytes, "corrupted"),
    "empty": (lambda p: p.write_bytes(b""), "empty file"),
    "text": (lambda p: p.write_text("epoch = 3\n"), "not a session file"),
    "missing": (lambda p: p.unlink(), "no such file"),
    "newer version": (lambda p: rewrite_meta(p, version=2), "version 2 is not supported"),
    "other format": (lambda p: rewrite_meta(p, format="something else"),
                     "not a backprop-tui session file"),
    "bad field": (lambda p: rewrite_meta(p, learning_rate=-1), "learning_rate: expected"),
    "other layers": (lambda p: rewrite_preset(p, "layers = [2, 16, 16, 1]", "layers = [2, 8, 1]"),
                     "weights: expected shapes"),
    "other data": (lambda p: rewrite_preset(p, "samples = 400", "samples = 300"),
                   "data differ"),
    "broken preset": (lambda p: rewrite_preset(p, "[model]", "[model"),
                      "saved preset: invalid TOML"),
    "history width not a number": (lambda p: rewrite_array(p, "history.width", [1, 2]),
                                   "history: width: expected an integer >= 1"),
    "history row count": (lambda p: rewrite_array(p, "test_history.x", 3.0),
                          "test_history: expected at most"),
    "history array missing": (lambda p: rewrite_array(p, "history.count"),
                              "history: missing array 'count'"),
    "optimizer state NaN": (lambda p: rewrite_array(p, "optimizer_state.m0",
                                                    np.full((2, 16), np.nan)),
                            "optimizer state: NaN or infinite"),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_bad_file_raises_one_clear_error_and_leaves_the_session_untouched(closing, tmp_path,
                                                                           damage):
    current = closing(Session("spiral"))
    before = current.step(5)
    path = current.files.save(tmp_path / "session.npz")
    spoil, reason = DAMAGES[damage]
    spoil(path)
    with pytest.raises(SessionFileError) as raised:
        Session.open(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ") and reason in message and "\n" not in message
    after = current.snapshot()
    assert after.epoch == 5 and same_weights(before, after)
    assert current.step(1).epoch == 6


def test_a_session_saved_in_its_first_epoch_with_another_seed_resumes_identically(closing,
                                                                                  tmp_path):
    uninterrupted = closing(Session("spiral", batch_size=32))
    uninterrupted.reset(seed=4)
    first = closing(Session("spiral", batch_size=32))
    first.reset(seed=4)
    first.step_batch()
    first.step_batch()
    first.files.save(tmp_path / "early.npz")
    resumed = closing(Session.open(tmp_path / "early.npz"))
    assert same_weights(resumed.step(3), uninterrupted.step(3))


PREVIOUS_RELEASE = Path(__file__).parent / "data"


@pytest.mark.parametrize("name, epoch, batch, optimizer", [
    ("spiral-adam-previous-release.npz", 7, 3, "adam"),
    ("xor-momentum-previous-release.npz", 30, 0, "momentum"),
])
def test_a_session_saved_by_the_previous_release_opens_and_trains_on(closing, name, epoch,
                                                                       batch, optimizer):
    """Files the release before the archive checks wrote (commit 5115497) still open."""
    session = closing(Session.open(PREVIOUS_RELEASE / name))
    snapshot = session.snapshot()
    assert (snapshot.epoch, snapshot.batch, snapshot.optimizer) == (epoch, batch, optimizer)
    assert session.step(2).epoch == epoch + 2
