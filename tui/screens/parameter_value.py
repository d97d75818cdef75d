"""The weight prompt (``=``): type a new value for the selected weight or bias; bad input is
refused inline."""

from __future__ import annotations

from core.session import parse_value

from .number_prompt import NumberPrompt


class ParameterScreen(NumberPrompt):
    """Ask for a value of the parameter ``name`` (now ``current``). Dismisses with the new
    value, or None on escape; a value that is not a finite number is refused with one line
    and the prompt stays."""

    def __init__(self, name: str, current: float) -> None:
        super().__init__(ids="parameter", title=f"Set {name}",
                         intro=f"{name} is {current:.6g} now. Type a number, e.g. -1.5; "
                               f"training goes on from it (u undoes it).",
                         value=f"{current:.6g}", placeholder="value", parse=parse_value,
                         keeps=f"{name} stays {current:.6g}.")
