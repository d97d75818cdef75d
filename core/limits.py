"""Size limits: one set for every way an experiment comes in.

A preset file, the edit form, a CSV file and a saved session are all held to these, checked
before anything of that size is allocated; an error names the limit. They leave room for
every built-in preset and the shared data sets (the largest, digits: 1,797 rows of 65
columns, a 64-32-10 network of 2,410 weights and biases, 190,000 values a pass), while
keeping the largest experiment they allow within a few hundred MB.
"""

import itertools

from .text import excerpt

MAX_HIDDEN_LAYERS = 8
"""The most hidden layers a network may have."""
MAX_NEURONS = 512
"""The most neurons a layer may have: a hidden layer, the inputs, the outputs (classes)."""
MAX_PARAMETERS = 300_000
"""The most weights and biases a network may have (two hidden layers of 512 fit)."""
MAX_SAMPLES = 100_000
"""The most samples (rows) data may have: generated, in a CSV file or written inline."""
MAX_ACTIVATIONS = 5_000_000
"""The most values one pass of every sample through the network computes: samples times
neurons over all layers (40 MB of float64; a pass holds a few such arrays)."""
MAX_EPOCHS = 1_000_000
"""The most epochs a preset's budget may ask for (``train`` without ``--epochs`` trains them;
the built-in presets ask for at most 2,000), and the most ``train --epochs`` and ``explain
--epoch`` take."""

MAX_PRESET_BYTES = 256 << 10
"""The largest preset file (256 KiB, parsed within a second; the built-in presets are under
2 KB, and data of more than a few thousand numbers belongs in a CSV file)."""
MAX_NESTING = 16
"""The deepest nesting of tables and lists in a preset (a preset needs 4)."""
MAX_NAME_CHARS = 100
"""The longest preset name (it names files: a saved session is ``<name>-epoch<N>.npz``)."""
MAX_CSV_BYTES = 16 << 20
"""The largest CSV file (16 MiB; digits.csv is 265 KB)."""
MAX_CSV_COLUMNS = 1_000
"""The most columns a CSV file may have."""
MAX_CELL_CHARS = 1_000
"""The longest cell of a CSV file's columns that are read, in characters (a column no preset
reads is held only to the file's size)."""
MAX_SESSION_BYTES = 64 << 20
"""The largest session file (64 MiB); each array in it must also have exactly the shape its
preset gives it."""

PACES = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, None)
"""The paces a run may keep, in epochs per second, slowest first; None is as fast as it goes."""
WATCHABLE_PACE = 50
"""At this pace (epochs per second) or slower, every epoch's state is drawn."""


def parameter_count(layers) -> int:
    """The weights and biases of a network of ``layers`` (biases counted even when they are
    off: the network holds them)."""
    return sum((fan_in + 1) * fan_out for fan_in, fan_out in itertools.pairwise(layers))


def network_size_problem(layers, samples: int) -> str | None:
    """What puts a network of ``layers`` trained on ``samples`` rows over the limits (hidden
    layers, neurons a layer, weights and biases, values a pass), or None if nothing does."""
    hidden = len(layers) - 2
    if hidden > MAX_HIDDEN_LAYERS:
        return f"at most {MAX_HIDDEN_LAYERS} hidden layers, got {hidden:,}"
    widest = max(layers)
    if widest > MAX_NEURONS:
        shown = f"{widest:,}" if widest < 10**15 else excerpt(str(widest), 20)
        return f"at most {MAX_NEURONS} neurons a layer, got {shown}"
    parameters = parameter_count(layers)
    if parameters > MAX_PARAMETERS:
        return (f"at most {MAX_PARAMETERS:,} weights and biases, a network of {list(layers)} "
                f"has {parameters:,}")
    values = samples * sum(layers)
    if values > MAX_ACTIVATIONS:
        return (f"at most {MAX_ACTIVATIONS:,} values a pass (samples x neurons): {samples:,} "
                f"samples through {sum(layers):,} neurons make {values:,}")
    return None
