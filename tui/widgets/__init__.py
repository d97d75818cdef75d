"""The widgets of the training screen, one a module: the panels drawn from a ``Snapshot``
through Textual's Line API (``LayerDiagram``, ``OutputView``, ``GradientPanel``), the loss
plot (plotext) and the status bar (the math views are ``tui.math``'s). ``base`` holds their
cached frame, ``canvas`` and ``render`` the drawing."""
