"""Screens over the main view: help, the preset picker and the learning-rate prompt."""

from .help import HelpScreen
from .learning_rate import LearningRateScreen
from .preset_picker import PresetPicker

__all__ = ["HelpScreen", "LearningRateScreen", "PresetPicker"]
