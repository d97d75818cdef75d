"""The engine: activations, losses, the network and its record of a pass, optimizers,
training steps, and the finite-difference referee."""

from .activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, Activation
from .finite_differences import (
    AGREEMENT_THRESHOLD,
    ComputationCancelled,
    LayerCheck,
    gradient_check,
    numerical_gradients,
    relative_error,
)
from .losses import CROSS_ENTROPY_OUTPUTS, LOSSES, Loss
from .network import INITS, PENALTIES, Network, Pass
from .optimizers import (
    LEARNING_RATE_RULE,
    OPTIMIZER_TITLES,
    OPTIMIZERS,
    Optimizer,
    check_learning_rate,
    make_optimizer,
    parse_learning_rate,
)
from .training import batch_slices, numeric_train_batch, train_batch, train_epoch

__all__ = [
    "ACTIVATIONS", "AGREEMENT_THRESHOLD", "CROSS_ENTROPY_OUTPUTS", "HIDDEN_ACTIVATIONS", "INITS",
    "LEARNING_RATE_RULE", "LOSSES", "OPTIMIZERS", "OPTIMIZER_TITLES", "PENALTIES", "Activation",
    "ComputationCancelled", "LayerCheck", "Loss", "Network", "Optimizer", "Pass",
    "batch_slices", "check_learning_rate", "gradient_check", "make_optimizer",
    "numeric_train_batch", "numerical_gradients", "parse_learning_rate", "relative_error",
    "train_batch", "train_epoch",
]
