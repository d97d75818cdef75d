"""Cost functions C and their gradient with respect to the output pre-activation.

``mse`` is the notes' cost (1.1.1, 1.3.2): the mean over samples of the squared error summed
over outputs, with no 1/2. ``cross_entropy`` pairs with softmax (categorical) or with sigmoid
outputs (binary, one term per output).
"""

from __future__ import annotations

import numpy as np

from .activations import Activation


class Loss:
    """A cost C(a, y), averaged over the n samples (rows)."""

    name = ""

    def cost(self, z: np.ndarray, a: np.ndarray, y: np.ndarray, sigma: Activation) -> float:
        """C for output pre-activations ``z``, outputs ``a = sigma(z)`` and targets ``y``."""
        raise NotImplementedError

    def output_delta(self, a: np.ndarray, y: np.ndarray, sigma: Activation) -> np.ndarray:
        """dC/dz at the output layer, where a = sigma(z): a new (n, k) array."""
        raise NotImplementedError


class MeanSquaredError(Loss):
    """C = (1/n) sum_i sum_j (a_ij - y_ij)^2; dC/dz = (2/n)(a - y) sigma'(z) (1.5.4-1.5.5)."""

    name = "mse"

    def cost(self, z, a, y, sigma):
        diff = a - y
        return float(np.vdot(diff, diff)) / a.shape[0]

    def output_delta(self, a, y, sigma):
        delta = np.subtract(a, y)
        np.multiply(delta, np.array(2.0 / a.shape[0]), out=delta)
        return sigma.scale_by_derivative(delta, a)


class CrossEntropy(Loss):
    """C = -(1/n) sum_i sum_j y_ij log a_ij (softmax) or its binary form (sigmoid outputs).

    With sigmoid outputs dC/dz = (a - y)/n; with softmax dC/dz_j = (a_j sum_k y_k - y_j)/n,
    which is (a - y)/n when each row of y sums to 1 (one-hot targets). The cost is computed
    from the logits z with log-sum-exp and softplus, so it is finite and exact whatever the
    logits.
    """

    name = "cross_entropy"

    def cost(self, z, a, y, sigma):
        n = z.shape[0]
        if sigma.name == "softmax":
            shifted = z - z.max(axis=1, keepdims=True)
            log_a = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            return float(-np.vdot(y, log_a)) / n
        log_a = -np.logaddexp(0.0, -z)
        log_one_minus_a = -np.logaddexp(0.0, z)
        return float(-(np.vdot(y, log_a) + np.vdot(1.0 - y, log_one_minus_a))) / n

    def output_delta(self, a, y, sigma):
        if sigma.name == "softmax":
            delta = np.multiply(a, y.sum(axis=1, keepdims=True))
            delta -= y
        else:
            delta = np.subtract(a, y)
        return np.multiply(delta, np.array(1.0 / a.shape[0]), out=delta)


LOSSES: dict[str, Loss] = {cls.name: cls() for cls in (MeanSquaredError, CrossEntropy)}
CROSS_ENTROPY_OUTPUTS = ("sigmoid", "softmax")
