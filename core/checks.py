"""What counts as a number wherever a value comes in (preset files, saved sessions, arguments
of the Python API): Python's and numpy's ints and floats, but never a bool, though Python
counts ``True`` as the integer 1. Each caller adds its own range and its own message."""

import numpy as np


def is_number(value) -> bool:
    """Whether ``value`` is an int or a float (numpy's too), not a bool."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def is_integer(value) -> bool:
    """Whether ``value`` is an int (numpy's too), not a bool."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)
