"""backprop-tui's engine: a numpy network, its exact gradients, and the finite-difference referee.

Never imports Textual; the app and the CLI drive it through ``Session``.
"""

from .gradcheck import LayerCheck, gradient_check, numerical_gradients
from .network import Network
from .optimizers import make_optimizer

__all__ = ["LayerCheck", "Network", "gradient_check", "make_optimizer", "numerical_gradients"]
