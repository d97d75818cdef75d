"""The edit form's commands: the experiment's fields as they are, a preview, and the edit.

``EditCommands`` keeps no state of its own: its commands work on the session's trainer
while holding the session's lock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..presets.editing import edit_preset, form_values
from ..presets.schema import Preset

if TYPE_CHECKING:
    from .session import Session


class EditCommands:
    """The session's edit-form commands (each also a method of ``Session``)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def edit_values(self) -> dict[str, Any]:
        """The edit form's fields as they are now, with the learning rate and optimizer in
        use (see ``core.presets.editing.form_values``: data fields for generated data only)."""
        with self._session.command(changes=False):
            return form_values(self._session.trainer.edited_base())

    def preview_edit(self, **fields: Any) -> tuple[Preset, bool]:
        """The preset that ``edit(**fields)`` would train, and whether it needs new weights;
        changes nothing. Raises ``PresetError`` with the reason (and its ``field``) for a
        refused value."""
        with self._session.command(changes=False):
            base = self._session.trainer.edited_base()
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
        session = self._session
        with session.command():
            trainer = session.trainer
            edited, new_weights = edit_preset(trainer.edited_base(), **fields)
            data = edited.load_data()
            if new_weights:
                seed = edited.seed if "seed" in fields else trainer.seed
                session.pause_locked()
                trainer.install(edited, data, edited.build_network(seed), seed,
                                edited.optimizer, edited.learning_rate)
                return True
            trainer.keep_weights_for(edited, data, fields)
            session.stop_if_diverged()
            return False
