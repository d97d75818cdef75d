"""The live network's gradients as the learner's code computed them, beside the engine's:
what the app's grading view shows for the weight or bias selected in its diagram."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..explain.equations import bias, weight
from ..explain.numbers import num, relative_error_text
from .compare import TOLERANCE, estimate, relative_errors, same_shape
from .expected import GradingCase


@dataclass(frozen=True)
class ParameterGradient:
    """dC/d of one parameter (``name`` as the notes write it, numbered from 1): the
    learner's value (None, with ``problem`` saying why, where their code gave none), the
    engine's, the finite-difference estimate and the relative error of theirs."""

    name: str
    yours: float | None
    problem: str
    engine: float
    finite_difference: float
    relative_error: float | None

    @property
    def right(self) -> bool:
        """Whether the learner's value is within the grader's tolerance of the engine's."""
        return self.relative_error is not None and self.relative_error <= TOLERANCE

    def line(self) -> str:
        """``∂C/∂w(2)[1,1]: yours 0.01234, engine 0.01234, finite difference 0.01234,
        relative error < 1e-8 ✓``."""
        parts = [f"yours {num(self.yours)}" if self.yours is not None
                 else f"yours: {self.problem}",
                 f"engine {num(self.engine)}", f"finite difference {num(self.finite_difference)}"]
        if self.relative_error is not None:
            parts.append(f"relative error {relative_error_text(self.relative_error)} "
                         f"{'✓' if self.right else '✗'}")
        return f"∂C/∂{self.name}: " + ", ".join(parts)


@dataclass(frozen=True)
class LiveGradients:
    """The gradients of one graded network: the learner's arrays (``yours``) and the
    engine's (``engine``), each by index into ``case.net.parameters()`` (dW(1..L), then
    db(1..L)); ``missing`` says why the learner's are absent, where they are."""

    case: GradingCase
    yours: dict[int, np.ndarray]
    engine: dict[int, np.ndarray]
    missing: str = ""

    def compared(self, parameter: tuple) -> ParameterGradient | None:
        """The learner's, the engine's and the finite-difference gradient of
        ``parameter``, ``("w", l, i, j)`` or ``("b", l, j)`` (l from 1, i and j from 0), or
        None where the network has no such parameter."""
        layers = self.case.net.n_layers
        if parameter[0] == "w" and len(parameter) == 4:
            _, l, i, j = parameter
            index, entry, name = l - 1, (i, j), weight(l, i, j)
        elif parameter[0] == "b" and len(parameter) == 3:
            _, l, j = parameter
            index, entry, name = layers + l - 1, (j,), bias(l, j)
        else:
            return None
        expected = self.engine.get(index) if 1 <= l <= layers else None
        if expected is None or not all(0 <= k < n for k, n in zip(entry, expected.shape)):
            return None
        flat = int(np.ravel_multi_index(entry, expected.shape))
        fd = estimate(self.case.net, self.case.X, self.case.Y, index, flat)
        theirs, problem, error = self.yours.get(index), "", None
        if theirs is None:
            problem = self.missing or "not returned"
        elif not same_shape(theirs, expected):
            problem = f"shape {theirs.shape}, expected {expected.shape}"
        else:
            theirs = float(theirs.reshape(expected.shape)[entry])
            error = float(relative_errors(np.array(theirs), expected[entry]))
        return ParameterGradient(name, theirs if error is not None else None, problem,
                                 float(expected[entry]), fd, error)
