"""A training session: a trainer driven by thread-safe commands, its snapshots and its files."""

from ..files import WouldOverwrite
from .checkpoints import Checkpoint, Checkpoints
from .editing import EditCommands
from .exports import export_data_csv, export_loss_csv, export_preset, export_weights_json
from .file_menu import FileCommands
from .history import History, ParameterPath
from .notifier import Notifier
from .runner import Runner
from .saved import SavedSession, SessionFileError
from .scripted import train_for
from .session import Session, SessionError
from .snapshot import CURVE_POINTS, GRID, Snapshot
from .trainer import CHECKPOINT_EVERY, EXPLOSION, TEST_EVERY, Trainer
from .views import GRADCHECK_ENTRIES, GRADCHECK_SAMPLES, MathViews

__all__ = [
    "CHECKPOINT_EVERY", "CURVE_POINTS", "EXPLOSION", "GRADCHECK_ENTRIES", "GRADCHECK_SAMPLES",
    "GRID", "TEST_EVERY", "Checkpoint", "Checkpoints", "EditCommands", "FileCommands",
    "History", "MathViews", "Notifier", "ParameterPath", "Runner", "SavedSession", "Session",
    "SessionError", "SessionFileError", "Snapshot", "Trainer", "WouldOverwrite",
    "export_data_csv", "export_loss_csv", "export_preset", "export_weights_json", "train_for",
]
