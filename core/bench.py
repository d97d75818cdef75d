"""Speed of the engine: epochs per second on four problem shapes, beside references.

Each problem is trained through the engine's public API: per batch,
``dW, db = net.gradients(X, Y)``, then ``p -= lr * g`` in place on the live parameters. Beside
it, in the same run and alternating, a plain numpy reference (the textbook loop written
directly, no fusing or reuse) and, when importable, PyTorch on the CPU in float64
(``nn.Sequential`` + ``torch.optim.SGD``).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import numpy as np

from .engine.network import Network


@dataclass(frozen=True)
class Problem:
    """One benchmark shape: layer sizes, activations, loss, data size and batch size."""

    name: str
    sizes: tuple[int, ...]
    activation: str
    output_activation: str
    loss: str
    samples: int
    batch_size: int  # 0 = full batch

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        """Seeded random inputs and targets of the right shapes."""
        rng = np.random.default_rng(0)
        X = rng.normal(size=(self.samples, self.sizes[0]))
        if self.output_activation == "softmax":
            Y = np.eye(self.sizes[-1])[rng.integers(0, self.sizes[-1], self.samples)]
        else:
            Y = rng.integers(0, 2, (self.samples, self.sizes[-1])).astype(float)
        return X, Y

    def batches(self) -> list[slice]:
        """The batch slices of one epoch (fixed order: speed does not depend on it)."""
        size = self.batch_size or self.samples
        return [slice(i, i + size) for i in range(0, self.samples, size)]


PROBLEMS = (
    Problem("xor", (2, 2, 1), "sigmoid", "sigmoid", "mse", 4, 0),
    Problem("spiral", (2, 16, 16, 1), "tanh", "sigmoid", "mse", 400, 0),
    Problem("digits", (64, 32, 10), "sigmoid", "softmax", "cross_entropy", 1797, 32),
    Problem("wide", (256, 512, 512, 10), "relu", "softmax", "cross_entropy", 2048, 0),
)


def engine_epoch(problem: Problem, lr: float = 0.1):
    """A function running one epoch of ``problem`` through the engine's public API."""
    net = Network(problem.sizes, activation=problem.activation,
                  output_activation=problem.output_activation, loss=problem.loss, seed=0)
    X, Y = problem.data()
    batches = [(X[s], Y[s]) for s in problem.batches()]
    params = net.weights + net.biases

    def epoch() -> None:
        for xb, yb in batches:
            dW, db = net.gradients(xb, yb)
            for p, g in zip(params, dW + db):
                g *= lr
                p -= g
    return epoch


def reference_epoch(problem: Problem, lr: float = 0.1):
    """A function running one epoch with a plain numpy loop written as in a textbook."""
    rng = np.random.default_rng(0)
    sizes = problem.sizes
    W = [rng.normal(0, 1 / np.sqrt(a), (a, b)) for a, b in itertools.pairwise(sizes)]
    B = [np.zeros(b) for b in sizes[1:]]
    X, Y = problem.data()
    batches = [(X[s], Y[s]) for s in problem.batches()]

    def act(name, z):
        if name == "sigmoid":
            return 1 / (1 + np.exp(-z))
        if name == "tanh":
            return np.tanh(z)
        if name == "relu":
            return np.maximum(z, 0)
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def dact(name, a):
        if name == "sigmoid":
            return a * (1 - a)
        if name == "tanh":
            return 1 - a**2
        return (a > 0).astype(float)

    names = [problem.activation] * (len(sizes) - 2) + [problem.output_activation]

    def epoch() -> None:
        for xb, yb in batches:
            acts = [xb]
            for w, b, name in zip(W, B, names):
                acts.append(act(name, acts[-1] @ w + b))
            n = xb.shape[0]
            if problem.loss == "mse":
                delta = 2 * (acts[-1] - yb) / n * dact(names[-1], acts[-1])
            else:
                delta = (acts[-1] - yb) / n
            for layer in range(len(W) - 1, -1, -1):
                gw = acts[layer].T @ delta
                gb = delta.sum(axis=0)
                if layer:
                    delta = (delta @ W[layer].T) * dact(names[layer - 1], acts[layer])
                W[layer] -= lr * gw
                B[layer] -= lr * gb
    return epoch


def torch_epoch(problem: Problem, lr: float = 0.1):
    """A function running one epoch in PyTorch (float64, CPU), or None if it is missing."""
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(0)
    layers: list = []
    modules = {"sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}
    for i, (a, b) in enumerate(zip(problem.sizes[:-1], problem.sizes[1:])):
        layers.append(torch.nn.Linear(a, b, dtype=torch.float64))
        last = i == len(problem.sizes) - 2
        name = problem.output_activation if last else problem.activation
        if name in modules:
            layers.append(modules[name]())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    X, Y = problem.data()
    if problem.loss == "mse":
        criterion = torch.nn.MSELoss()
        targets = torch.from_numpy(Y)
    else:
        criterion = torch.nn.CrossEntropyLoss()  # softmax output folded into the loss
        targets = torch.from_numpy(Y.argmax(axis=1))
    inputs = torch.from_numpy(X)
    batches = [(inputs[s], targets[s]) for s in problem.batches()]

    def epoch() -> None:
        for xb, yb in batches:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
    return epoch


def epochs_per_second(epoch, seconds: float) -> float:
    """Epochs per second of ``epoch()`` over about ``seconds`` of wall time (after a warm-up)."""
    epoch()
    count, start = 0, time.perf_counter()
    while True:
        epoch()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return count / elapsed


@dataclass(frozen=True)
class BenchResult:
    """Epochs per second of one problem for the engine and its references."""

    problem: str
    shape: str
    engine: float
    reference: float
    torch: float | None

    def as_dict(self) -> dict:
        """A JSON-ready dict with the ratios."""
        return {
            "problem": self.problem, "shape": self.shape,
            "engine_epochs_per_second": self.engine,
            "reference_epochs_per_second": self.reference,
            "torch_epochs_per_second": self.torch,
            "engine_vs_reference": self.engine / self.reference,
            "engine_vs_torch": None if self.torch is None else self.engine / self.torch,
        }


def run_benchmarks(seconds: float = 1.0, rounds: int = 3, problems=PROBLEMS) -> list[BenchResult]:
    """Measure every problem, alternating engine, reference and PyTorch ``rounds`` times and
    keeping each side's best round (the least disturbed by the rest of the machine)."""
    results = []
    for problem in problems:
        sides = {"engine": engine_epoch(problem), "reference": reference_epoch(problem),
                 "torch": torch_epoch(problem)}
        best = {name: 0.0 for name in sides}
        for _ in range(rounds):
            for name, epoch in sides.items():
                if epoch is not None:
                    best[name] = max(best[name], epochs_per_second(epoch, seconds / rounds))
        results.append(BenchResult(
            problem.name, "-".join(map(str, problem.sizes)), best["engine"],
            best["reference"], best["torch"] if sides["torch"] else None))
    return results
