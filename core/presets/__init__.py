"""Presets: an experiment in a TOML file, the built-ins, the edit form's rules, CSV presets."""

from .editing import (
    edit_choices,
    edit_preset,
    form_values,
    format_hidden_layers,
    parse_hidden_layers,
)
from .from_csv import columns, preset_from_csv, write_preset_for_csv
from .schema import BUILTIN_ORDER, Preset, builtin_dir, builtin_presets, load_preset, parse_preset
from .sources import CsvData, DataSpec, GeneratorData, InlineData
from .validation import PENALTIES, PresetError

__all__ = [
    "BUILTIN_ORDER", "PENALTIES", "CsvData", "DataSpec", "GeneratorData", "InlineData", "Preset",
    "PresetError", "builtin_dir", "builtin_presets", "columns", "edit_choices", "edit_preset",
    "form_values", "format_hidden_layers", "load_preset", "parse_hidden_layers", "parse_preset",
    "preset_from_csv", "write_preset_for_csv",
]
