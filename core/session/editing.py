"""The edit form's commands: the experiment's fields as they are, a preview, and the edit.

``EditCommands`` keeps no state of its own: its commands work on the runner's trainer while
holding the runner's lock.
"""

from __future__ import annotations

from typing import Any

from ..presets.editing import edit_preset, form_values
from ..presets.schema import Preset
from .runner import Runner


class EditCommands:
    """The edit form's commands on the trainer of ``runner`` (a session's ``editing``)."""

    def __init__(self, runner: Runner) -> None:
        self._runner = runner

    def edit_values(self) -> dict[str, Any]:
        """The edit form's fields as they are now, with the learning rate and optimizer in
        use (see ``core.presets.editing.form_values``: data fields for generated data only)."""
        with self._runner.command(changes=False):
            return form_values(self._runner.trainer.edited_base())

    def preview_edit(self, **fields: Any) -> tuple[Preset, bool]:
        """The preset that ``edit(**fields)`` would train, and whether it needs new weights;
        changes nothing. Raises ``PresetError`` with the reason (and its ``field``) for a
        refused value."""
        with self._runner.command(changes=False):
            base = self._runner.trainer.edited_base()
        return edit_preset(base, **fields)

    def edit(self, **fields: Any) -> bool:
        """Change the experiment: ``fields`` as for ``core.presets.editing.edit_preset``
        (preset fields, ``hidden`` layers as text, ``samples``, ``noise``, ``data_seed`` and
        ``features`` of generated data). Returns True if the network got new weights.

        A network change (layers, activations, loss, bias, initialisation, input features,
        seed) starts again at epoch 0 with new weights, paused. Anything else keeps the
        weights, the epoch and the history: a new learning rate, penalty or batch size acts
        from the next batch, a new optimizer starts fresh (the same one keeps its state), and
        new data (samples, noise, data seed, test fraction) is trained on from the next
        epoch; a partly trained epoch starts over. A batch being stepped through starts
        again. A refused value raises ``PresetError`` and leaves the session exactly as it
        was.
        """
        runner = self._runner
        with runner.command():
            trainer = runner.trainer
            edited, new_weights = edit_preset(trainer.edited_base(), **fields)
            data = edited.load_data()
            if new_weights:
                seed = edited.seed if "seed" in fields else trainer.seed
                runner.pause()
                trainer.install(edited, data, edited.build_network(seed), seed,
                                edited.optimizer, edited.learning_rate)
                return True
            trainer.keep_weights_for(edited, data, fields)
            runner.stop_if_diverged()
            return False
