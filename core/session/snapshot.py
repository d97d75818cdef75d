"""The immutable picture of a training session that a view draws from.

A ``Snapshot`` is built by the session's own thread and handed to subscribers; every array
in it is a read-only copy, so a view may keep it while training goes on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Snapshot:
    """Everything a view needs about a session at one moment.

    Arrays are read-only. ``activations[l]`` is a(l) on the training inputs (a(0) = X_train),
    ``gradients_w[l]`` / ``gradients_b[l]`` are dC/dw(l), dC/db(l) of the training cost at
    these weights. Histories are downsampled for long runs (the most recent epochs exact).
    """

    # which experiment
    preset_name: str
    preset_title: str
    sizes: tuple[int, ...]
    activation: str
    output_activation: str
    loss_name: str
    task: str                      # "classification" or "regression"
    input_names: tuple[str, ...]
    target_names: tuple[str, ...]
    class_names: tuple[str, ...] | None
    # progress and state
    epoch: int                     # completed epochs
    batch: int                     # batches completed within the current epoch
    batches_per_epoch: int
    state: str                     # "paused", "running" or "diverged"
    message: str                   # e.g. "diverged at epoch 812 with learning rate 30"
    learning_rate: float
    optimizer: str                 # "gd", "momentum" or "adam"
    batch_size: int                # 0 = full batch
    seed: int
    epochs_per_second: float
    # quality at these weights
    loss: float                    # training cost C at these weights
    test_loss: float | None        # None without a test split
    accuracy: float | None         # training accuracy; None for regression
    test_accuracy: float | None
    # parameters and gradients
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    gradients_w: tuple[np.ndarray, ...]
    gradients_b: tuple[np.ndarray, ...]
    # the data and the network's view of it
    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    activations: tuple[np.ndarray, ...]   # a(0..L) on X_train
    test_outputs: np.ndarray              # a(L) on X_test (0 rows without a test split)
    # histories, for plots
    history_epochs: np.ndarray            # epoch numbers (float64, ascending)
    history_loss: np.ndarray              # training loss at those epochs
    history_test_epochs: np.ndarray
    history_test_loss: np.ndarray
    grad_norm_history: tuple[np.ndarray, ...]  # per layer: ||dC/dw(l)|| at history_epochs
    # the network's outputs over the input space, for the output view (None where not drawn)
    decision_grid: np.ndarray | None = None    # 2 inputs: a(L) on a G x G grid, shape (G, G, k);
    #   [i, j] is at x1 = linspace(xmin, xmax, G)[j], x2 = linspace(ymin, ymax, G)[i]
    grid_extent: tuple[float, float, float, float] | None = None  # (xmin, xmax, ymin, ymax)
    curve_x: np.ndarray | None = None          # 1 input: evenly spaced inputs over the data, (m,)
    curve_y: np.ndarray | None = None          # a(L) at curve_x, shape (m, k)

    @property
    def outputs(self) -> np.ndarray:
        """The network's outputs a(L) on the training inputs."""
        return self.activations[-1]

    @property
    def n_layers(self) -> int:
        """The number of weight layers L."""
        return len(self.weights)
