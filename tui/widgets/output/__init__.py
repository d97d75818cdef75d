"""The output view's renderers, one a kind of problem; each paints a ``Canvas``."""
