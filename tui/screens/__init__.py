"""Screens over the main view: help, the preset picker, the learning-rate prompt, the edit
form and the file dialogs."""

from .edit_experiment import EditExperimentScreen
from .help import HelpScreen
from .learning_rate import LearningRateScreen
from .open_file import OpenFileScreen, TargetScreen
from .preset_picker import PresetPicker
from .save_session import ConfirmScreen, PathScreen

__all__ = ["ConfirmScreen", "EditExperimentScreen", "HelpScreen", "LearningRateScreen",
           "OpenFileScreen", "PathScreen", "PresetPicker", "TargetScreen"]
