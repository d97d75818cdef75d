"""backprop-tui's engine: a numpy network, its exact gradients, and the finite-difference referee.

Never imports Textual; the app and the CLI drive it through ``core.session.Session``. The
subpackages group it by idea: ``engine``, ``data``, ``presets``, ``session``, ``explain``.
"""

from .engine.finite_differences import LayerCheck, gradient_check, numerical_gradients
from .engine.network import Network
from .engine.optimizers import make_optimizer

__all__ = ["LayerCheck", "Network", "gradient_check", "make_optimizer", "numerical_gradients"]
