"""Size limits: one set for every way an experiment comes in.

A preset file, the edit form, a CSV file and a saved session are all held to these, checked
before anything of that size is allocated; an error names the limit. They leave room for
every built-in preset and the shared data sets (the largest, digits: 1,797 rows of 65
columns, a 64-32-10 network of 2,410 weights and biases, 190,000 values a pass), while
keeping the largest experiment they allow within a few hundred MB.
"""

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

MAX_PRESET_BYTES = 1 << 20
"""The largest preset file (1 MiB; the built-in presets are under 2 KB)."""
MAX_NESTING = 16
"""The deepest nesting of tables and lists in a preset (a preset needs 4)."""
MAX_NAME_CHARS = 100
"""The longest preset name (it names files: a saved session is ``<name>-epoch<N>.npz``)."""
MAX_CSV_BYTES = 16 << 20
"""The largest CSV file (16 MiB; digits.csv is 265 KB)."""
MAX_CSV_COLUMNS = 1_000
"""The most columns a CSV file may have."""
MAX_CELL_CHARS = 1_000
"""The longest cell of a CSV file, in characters."""
MAX_SESSION_BYTES = 64 << 20
"""The largest session file (64 MiB); each array in it must also have exactly the shape its
preset gives it."""

PACES = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, None)
"""The paces a run may keep, in epochs per second, slowest first; None is as fast as it goes."""
WATCHABLE_PACE = 50
"""At this pace (epochs per second) or slower, every epoch's state is drawn."""
