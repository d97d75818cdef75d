"""The learning-rate prompt (``l``): type an exact rate; bad input is refused inline."""

from __future__ import annotations

from core.engine import parse_learning_rate

from .number_prompt import NumberPrompt


class LearningRateScreen(NumberPrompt):
    """Ask for a learning rate. Dismisses with the new rate, or None on escape; a value
    that is not a positive finite number is refused with a message and the prompt stays."""

    def __init__(self, current: float) -> None:
        super().__init__(ids="lr", title="Learning rate",
                         intro=f"Now {current:g}. Type a positive number, e.g. 0.05 or 3e-4.",
                         value=f"{current:g}", placeholder="learning rate",
                         parse=parse_learning_rate,
                         keeps=f"The learning rate stays {current:g}.")
