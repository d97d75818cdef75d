"""The widgets of the training screen, one a module: the panels drawn from a ``Snapshot``
through Textual's Line API (``LayerDiagram``, ``OutputView``, ``GradientPanel``), the loss
plot (plotext), the status bar and the math views (``MathViews``: inspector, gradient check,
cost landscape). ``base`` holds their cached frame, ``canvas`` and ``render`` the drawing."""
