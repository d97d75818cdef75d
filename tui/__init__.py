"""backprop-tui's terminal app: watch a small network learn, one key at a time.

``python -m tui [PRESET]`` (or ``backprop-tui``) opens :class:`tui.app.BackpropApp` on a
``core.session.Session``; the app shows it on a ``TrainingScreen``. The engine in ``core/``
never imports this package.
"""

import os

# The networks here are small: BLAS threads cost more than they give, and on a busy machine
# their spinning takes the cores that training and drawing need (a 2304x16 by 16x16 product
# took 1.8 ms with two OpenBLAS threads, 0.13 ms with one). Set before numpy is imported.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
