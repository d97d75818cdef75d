"""The file menu's commands: save and resume a session, export the experiment, and presets
for the user's own CSV files.

Every write is atomic and refuses to replace a file unasked (``WouldOverwrite``); a file
that cannot be written raises ``SessionFileError``, one line naming the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..files import WouldOverwrite, write_text
from ..presets import from_csv
from ..presets.schema import Preset, builtin_dir, load_preset, parse_preset
from ..presets.validation import PresetError
from . import exports
from .runner import Runner
from .saved import SavedSession, SessionFileError
from .trainer import Trainer, starting_trainer


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


def saved_preset(saved: SavedSession, path: Path | str) -> Preset:
    """The preset ``saved`` (read from ``path``) was trained on; ``SessionFileError`` naming
    ``path`` if it is not a valid preset."""
    if saved.preset is not None:
        return saved.preset
    preset_path = None if saved.preset_path is None else Path(saved.preset_path)
    try:
        return parse_preset(saved.preset_toml, "saved preset", path=preset_path)
    except PresetError as error:
        raise SessionFileError(f"{path}: {error}") from None


def restored_trainer(saved: SavedSession, path: Path | str) -> Trainer:
    """A new trainer restored from ``saved`` (read from ``path``), every check made
    (``SessionFileError`` if one fails); it keeps no undo steps."""
    trainer = starting_trainer(saved_preset(saved, path), undo_steps=0)
    trainer.restore(saved, path)
    return trainer


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
    """The file menu's commands on the trainer of ``runner`` (a session's ``files``)."""

    def __init__(self, runner: Runner) -> None:
        self._runner = runner

    def save(self, path: Path | str, overwrite: bool = False) -> Path:
        """Save the session to ``path`` atomically (training goes on); returns the path.

        Raises ``WouldOverwrite`` if the file exists and ``overwrite`` is false, and
        ``SessionFileError`` if it cannot be written.
        """
        with self._runner.command(changes=False):
            saved = self._runner.trainer.saved()
        return saved.write(path, overwrite)

    def resume(self, path: Path | str, root: Path | str | None = None) -> None:
        """Take over the session saved in ``path``, paused where it was saved (subscribers
        stay). A missing, truncated, corrupted or mismatched file raises
        ``SessionFileError`` and changes nothing; so does, with ``root`` (a served app's
        folder), a file or a CSV file outside it (``SavedSession.read``)."""
        saved = SavedSession.read(path, root)
        trial = restored_trainer(saved, path)   # every check, on a trainer of its own
        with self._runner.command():
            self._runner.pause()
            preset, trainer = trial.preset, self._runner.trainer
            trainer.install(preset, trial.data, preset.build_network(), saved.seed,
                            saved.optimizer, saved.learning_rate)
            trainer.restore(saved, path)

    def export_preset(self, path: Path | str, overwrite: bool = False) -> Path:
        """Write the experiment as it is (the learning rate, optimizer and seed in use; named
        as a variant if it is not the preset as loaded) as a preset ``.toml`` file. Raises
        ``WouldOverwrite`` if the file exists and ``overwrite`` is
        false, ``SessionFileError`` if it cannot be written."""
        with self._runner.command(changes=False):
            trainer = self._runner.trainer
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
        snapshot = self._runner.snapshot_unlocked()
        return _written(path, lambda: exports.export_loss_csv(snapshot, path, overwrite))

    def export_data_csv(self, path: Path | str, overwrite: bool = False) -> Path:
        """Write the data as CSV (inputs, targets, split); errors as for ``export_preset``."""
        with self._runner.command(changes=False):
            data = self._runner.trainer.data
        return _written(path, lambda: exports.export_data_csv(data, path, overwrite))

    def export_weights_json(self, path: Path | str, overwrite: bool = False) -> Path:
        """Write the network's sizes, activations, weights and biases as JSON; errors as for
        ``export_preset`` (NaN weights too)."""
        with self._runner.command(changes=False):
            net = self._runner.trainer.net.copy()
        return _written(path, lambda: exports.export_weights_json(net, path, overwrite))
