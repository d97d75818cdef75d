"""Size limits: how large an experiment the edit form accepts.

The engine itself takes any size; these keep what a learner types within what trains and
draws at a useful pace.
"""

MAX_HIDDEN_LAYERS = 8
"""The most hidden layers a network may have."""
MAX_NEURONS = 512
"""The most neurons a hidden layer may have."""
MAX_SAMPLES = 100_000
"""The most samples a generator may draw (they are generated within the UI's reach)."""

PACES = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, None)
"""The paces a run may keep, in epochs per second, slowest first; None is as fast as it goes."""
WATCHABLE_PACE = 50
"""At this pace (epochs per second) or slower, every epoch's state is drawn."""
