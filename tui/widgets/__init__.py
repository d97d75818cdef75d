"""The panels of the main screen, each drawn from a ``Snapshot`` with Textual's Line API:
``LayerDiagram``, ``GradientPanel`` and ``OutputView``."""
