"""A training session: a trainer driven by thread-safe commands, its snapshots and its files."""

from ..constants import UNDO_STEPS
from ..files import WouldOverwrite
from .checkpoints import Checkpoint, Checkpoints
from .editing import EditCommands
from .exports import export_data_csv, export_loss_csv, export_preset, export_weights_json
from .file_menu import FileCommands, write_preset_for_csv
from .history import History, ParameterPath
from .math_commands import GRADCHECK_ENTRIES, GRADCHECK_SAMPLES, MathCommands
from .notifier import Notifier
from .pace import PACE_RULE, Clock, check_pace, faster, pace_label, parse_pace, slower, watchable
from .runner import Runner
from .saved import SavedSession, SessionFileError
from .scripted import explain_preset, train_for
from .session import Session, SessionError
from .snapshot import CURVE_POINTS, GRID, Snapshot
from .torch_export import FolderNotEmpty, export_session_torch
from .trainer import CHECKPOINT_EVERY, EXPLOSION, GRADIENT_METHODS, TEST_EVERY, Trainer
from .undo import parse_value

__all__ = [
    "CHECKPOINT_EVERY",
    "CURVE_POINTS",
    "EXPLOSION",
    "GRADCHECK_ENTRIES",
    "GRADCHECK_SAMPLES",
    "GRADIENT_METHODS",
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
    "MathCommands",
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
    "explain_preset",
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
    "write_preset_for_csv",
]
