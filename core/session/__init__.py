"""A training session: a trainer driven by thread-safe commands, its snapshots and its files."""

from ..files import WouldOverwrite
from .checkpoints import Checkpoint, Checkpoints
from .editing import EditCommands
from .exports import export_data_csv, export_loss_csv, export_preset, export_weights_json
from .file_menu import FileCommands
from .history import History, ParameterPath
from .notifier import Notifier
from .pace import PACE_RULE, Clock, check_pace, faster, pace_label, parse_pace, slower, watchable
from .runner import Runner
from .saved import SavedSession, SessionFileError
from .scripted import train_for
from .session import Session, SessionError
from .snapshot import CURVE_POINTS, GRID, Snapshot
from .torch_export import FolderNotEmpty, export_session_torch
from .trainer import CHECKPOINT_EVERY, EXPLOSION, TEST_EVERY, Trainer
from .undo import UNDO_STEPS, parse_value
from .views import GRADCHECK_ENTRIES, GRADCHECK_SAMPLES, MathViews

__all__ = [
    "CHECKPOINT_EVERY",
    "CURVE_POINTS",
    "EXPLOSION",
    "GRADCHECK_ENTRIES",
    "GRADCHECK_SAMPLES",
    "GRID",
    "PACE_RULE",
    "TEST_EVERY",
    "UNDO_STEPS",
    "Checkpoint",
    "Checkpoints",
    "Clock",
    "EditCommands",
    "FileCommands",
    "FolderNotEmpty",
    "History",
    "MathViews",
    "Notifier",
    "ParameterPath",
    "Runner",
    "SavedSession",
    "Session",
    "SessionError",
    "SessionFileError",
    "Snapshot",
    "Trainer",
    "WouldOverwrite",
    "check_pace",
    "export_data_csv",
    "export_loss_csv",
    "export_preset",
    "export_session_torch",
    "export_weights_json",
    "faster",
    "pace_label",
    "parse_pace",
    "parse_value",
    "slower",
    "train_for",
    "watchable",
]
