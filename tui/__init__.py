"""backprop-tui's terminal app: watch a small network learn, one key at a time.

``python -m tui [PRESET]`` (or ``backprop-tui``) opens :class:`tui.app.BackpropApp` on a
``core.session.Session``; the app shows it on a ``TrainingScreen``. The engine in ``core/``
never imports this package.
"""
