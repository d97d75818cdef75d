"""The file menu's commands: save and resume a session, export the experiment, and presets
for the user's own CSV files.

Every write is atomic and refuses to replace a file unasked (``WouldOverwrite``); a file
that cannot be written raises ``SessionFileError``, one line naming the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import WouldOverwrite, write_text
from ..presets import from_csv
from ..presets.schema import builtin_dir, load_preset, parse_preset
from ..presets.validation import PresetError
from . import exports
from .saved import SavedSession, SessionFileError
from .undo import UNDO_STEPS

if TYPE_CHECKING:
    from .session import Session


def _written(path: Path | str, write: Callable[[], Path]) -> Path:
    """Run ``write``; a file that cannot be written raises ``SessionFileError`` (one line
    naming the file), an existing one ``WouldOverwrite``, a bad CSV ``PresetError``."""
    try:
        return write()
    except (WouldOverwrite, PresetError, SessionFileError):
        raise
    except OSError as error:
        if error.strerror is None:      # core.files says what and where itself
            raise SessionFileError(str(error)) from None
        raise SessionFileError(f"{path}: cannot write: {error.strerror}") from None
    except ValueError as error:         # NaN weights cannot be written as JSON
        raise SessionFileError(f"{path}: {error}") from None


def restored(cls: type[Session], saved: SavedSession, path: Path | str,
             undo_steps: int = UNDO_STEPS) -> Session:
    """A new session of class ``cls`` restored from ``saved`` (read from ``path``), every
    check made (``SessionFileError`` if one fails)."""
    preset = saved.preset
    if preset is None:
        preset_path = None if saved.preset_path is None else Path(saved.preset_path)
        try:
            preset = parse_preset(saved.preset_toml, "saved preset", path=preset_path)
        except PresetError as error:
            raise SessionFileError(f"{path}: {error}") from None
    session = cls(preset, undo_steps=undo_steps)
    try:
        with session.command():
            session.trainer.restore(saved, path)
    except SessionFileError:
        session.close()
        raise
    return session


def write_preset_for_csv(csv_path: Path | str, targets: str | list[str],
                         overwrite: bool = False, toml: Path | str | None = None) -> Path:
    """Write ``core.presets.from_csv.preset_from_csv`` as ``toml`` (default: ``<name>.toml``
    beside the CSV file) and return its path (``load()`` it next). Raises ``PresetError`` for
    a bad CSV file, ``WouldOverwrite`` if the .toml exists and ``overwrite`` is false, and
    ``SessionFileError`` if it cannot be written or would go among the built-in presets."""
    toml = Path(csv_path).with_suffix(".toml") if toml is None else Path(toml)
    if toml.absolute().parent.resolve() == builtin_dir().resolve():
        raise SessionFileError(f"{toml}: the built-in presets' folder is not written to; "
                               f"choose another folder")
    return _written(toml, lambda: write_text(
        toml, from_csv.preset_from_csv(csv_path, targets).to_toml(), overwrite))


class FileCommands:
    """The session's file commands (each also a method of ``Session``)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def save(self, path: Path | str, overwrite: bool = False) -> Path:
        """Save the session to ``path`` atomically (training goes on); returns the path.

        Raises ``WouldOverwrite`` if the file exists and ``overwrite`` is false, and
        ``SessionFileError`` if it cannot be written.
        """
        with self._session.command(changes=False):
            saved = self._session.trainer.saved()
        return saved.write(path, overwrite)

    def resume(self, path: Path | str, root: Path | str | None = None) -> None:
        """Take over the session saved in ``path``, paused where it was saved (subscribers
        stay). A missing, truncated, corrupted or mismatched file raises
        ``SessionFileError`` and changes nothing; so does, with ``root`` (a served app's
        folder), a file or a CSV file outside it (``SavedSession.read``)."""
        session = self._session
        saved = SavedSession.read(path, root)
        trial = restored(type(session), saved, path)   # every check, on a session of its own
        trial.close()
        with session.command():
            session.pause_locked()
            preset, data = trial.trainer.preset, trial.trainer.data
            session.trainer.install(preset, data, preset.build_network(), saved.seed,
                                    saved.optimizer, saved.learning_rate)
            session.trainer.restore(saved, path)

    def export_preset(self, path: Path | str, overwrite: bool = False) -> Path:
        """Write the experiment as it is (the learning rate, optimizer and seed in use; named
        as a variant if it is not the preset as loaded) as a preset ``.toml`` file. Raises
        ``WouldOverwrite`` if the file exists and ``overwrite`` is
        false, ``SessionFileError`` if it cannot be written."""
        with self._session.command(changes=False):
            trainer = self._session.trainer
            preset, seed = trainer.edited_base(), trainer.seed
        try:
            loaded = load_preset(preset.path if preset.path is not None else preset.name)
        except (PresetError, OSError):
            loaded = None
        experiment = exports.experiment_preset(preset, seed, loaded)
        return _written(path, lambda: exports.export_preset(experiment, path, overwrite))

    def export_loss_csv(self, path: Path | str, overwrite: bool = False) -> Path:
        """Write the loss history as CSV (epoch, loss, test_loss); errors as for
        ``export_preset``."""
        snapshot = self._session.snapshot()
        return _written(path, lambda: exports.export_loss_csv(snapshot, path, overwrite))

    def export_data_csv(self, path: Path | str, overwrite: bool = False) -> Path:
        """Write the data as CSV (inputs, targets, split); errors as for ``export_preset``."""
        with self._session.command(changes=False):
            data = self._session.trainer.data
        return _written(path, lambda: exports.export_data_csv(data, path, overwrite))

    def export_weights_json(self, path: Path | str, overwrite: bool = False) -> Path:
        """Write the network's sizes, activations, weights and biases as JSON; errors as for
        ``export_preset`` (NaN weights too)."""
        with self._session.command(changes=False):
            net = self._session.trainer.net.copy()
        return _written(path, lambda: exports.export_weights_json(net, path, overwrite))
