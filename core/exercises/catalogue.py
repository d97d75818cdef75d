"""The exercises of "Build it yourself", in order, and the functions each asks for.

Each function is given to the learner as a signature and a docstring in the notes'
notation, with the equations it computes by number; its body is theirs to write. Where the
notes get an equation wrong, the docstring says so (and does not give the answer).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExerciseFunction:
    """One function to write: its name, parameters and docstring."""

    name: str
    parameters: str
    doc: str


@dataclass(frozen=True)
class Exercise:
    """One exercise: its name, the notes' sections, a title, a paragraph that sets it up
    and its functions, in the order they are graded."""

    name: str
    sections: str
    title: str
    setup: str
    functions: tuple[ExerciseFunction, ...]

    @property
    def heading(self) -> str:
        """``name (sections): title``."""
        return f"{self.name} ({self.sections}): {self.title}"


TWICE = Exercise("twice", "1.1", "one weight, no bias, no σ", """
The model is y = x w: one input, one weight, no bias and no activation. The samples are
(x_i, y_i), i = 1..n, with the targets y_i = 2 x_i of the preset "twice".""", (
    ExerciseFunction("twice_cost", "w, x, y", """
    The cost C(w) of (1.1.1): the mean over the samples of the squared miss x_i w − y_i.

    w: a float. x, y: arrays of shape (n,), the inputs x_i and the targets y_i.
    Returns C(w), a float.
    """),
    ExerciseFunction("twice_gradient", "w, x, y", """
    C'(w), the slope of the cost in w: derive it as 1.1.2-1.1.6 do, term by term.

    Same arguments as twice_cost. Returns C'(w), a float.
    """),
))

NEURON = Exercise("neuron", "1.2-1.3", "one sigmoid neuron with two inputs", """
One neuron: a_i = σ(w1 x_i + w2 y_i + b) (1.3.1), σ the sigmoid (1.2.2). As in the notes'
1.3, the two inputs of sample i are x_i and y_i and its target is z_i. The cost is
C = (1/n) Σ_i (a_i − z_i)² (1.3.2; the notes write the sum from i = 0, read i = 1..n).""", (
    ExerciseFunction("neuron_forward", "x, y, w1, w2, b", """
    The outputs a_i = σ(w1 x_i + w2 y_i + b) of (1.3.1), with σ(t) = 1 / (1 + e^(−t))
    (1.2.2).

    x, y: arrays of shape (n,), the two inputs. w1, w2, b: floats.
    Returns a: an array of shape (n,).
    """),
    ExerciseFunction("neuron_gradients", "x, y, z, w1, w2, b", """
    The three gradients of the cost (1.3.2): ∂_{w1} C (1.3.3-1.3.5), ∂_{w2} C (1.3.6) and
    ∂_b C (1.3.7). σ' is 1.2.3.

    x, y: the inputs, z: the targets, arrays of shape (n,). w1, w2, b: floats.
    Returns (dC_dw1, dC_dw2, dC_db): three floats.
    """),
))

CHAIN = Exercise("chain", "1.4-1.5", "two sigmoid neurons in a row", """
Two neurons in a chain, one input: a_i(1) = σ(x_i w(1) + b(1)) (1.4.1) and
a_i(2) = σ(a_i(1) w(2) + b(2)) (1.4.4). The cost is C = (1/n) Σ_i (a_i(2) − y_i)² (1.5.1).""", (
    ExerciseFunction("chain_forward", "x, w1, b1, w2, b2", """
    The forward pass: a(1) of (1.4.1) and a(2) of (1.4.4), for every sample.

    x: an array of shape (n,). w1, b1, w2, b2: floats, the notes' w(1), b(1), w(2), b(2).
    Returns (a1, a2): two arrays of shape (n,).
    """),
    ExerciseFunction("chain_gradients", "x, y, w1, b1, w2, b2", """
    The gradients of C (1.5.1) in all four parameters: ∂C/∂w(2) and ∂C/∂b(2) (1.5.2-1.5.5),
    then, through ∂C/∂a_i(1), ∂C/∂w(1) and ∂C/∂b(1) (1.5.6-1.5.13).

    Careful: 1.5.12 and 1.5.13 as the notes write them lose a factor on the way from
    1.5.11, and 1.5.6 sums over the samples what each sample passes back on its own.
    Derive these two with the chain rule yourself; the grader's finite differences are
    the referee.

    x, y: arrays of shape (n,), the inputs and targets. w1, b1, w2, b2: floats.
    Returns (dC_dw1, dC_db1, dC_dw2, dC_db2): four floats.
    """),
))

FORK = Exercise("fork", "2.1", "where paths fork: several outputs", """
Lesson 2.1, beyond the notes: one hidden layer of sigmoid neurons feeds several sigmoid
outputs, so each hidden neuron's error is a sum over the outputs it feeds. Row i's cost is
C_i = Σ_k (a_i(2)[k] − y_i[k])² and C = (1/n) Σ_i C_i. w(l)[j, k] joins neuron j below to
neuron k above; a_i(1) = σ(x_i w(1) + b(1)) and a_i(2) = σ(a_i(1) w(2) + b(2)).""", (
    ExerciseFunction("fork_gradients", "X, Y, W1, b1, W2, b2", """
    The error each row passes back to the hidden layer, ∂C_i/∂a_i(1) (2.1.2: one term for
    each output it feeds), and the gradients of C in every parameter (2.1.1-2.1.7).

    X: the inputs (n, m(0)), one row a sample. Y: the targets (n, m(2)). W1 (m(0), m(1)),
    b1 (m(1),), W2 (m(1), m(2)), b2 (m(2),): the notes' w(1), b(1), w(2), b(2).
    Returns (E, dW1, db1, dW2, db2): E of shape (n, m(1)) with E[i, j] = ∂C_i/∂a_i(1)[j]
    (row i's own cost, no 1/n), then ∂C/∂w(1), ∂C/∂b(1), ∂C/∂w(2), ∂C/∂b(2), each shaped
    like its parameter.
    """),
))

NETWORK = Exercise("network", "1.6-1.7", "any depth, as matrices", """
A network of L layers of sigmoid neurons, one sample a row: A(0) = X, and for l = 1..L
Z(l) = A(l−1) W(l) + b(l), A(l) = σ(Z(l)) (1.6.1). W(l) has shape (m(l−1), m(l)): entry
[j, k] joins neuron j below to neuron k above. The cost is C = (1/n) Σ_i Σ_k
(A(L)[i, k] − Y[i, k])². Lists hold the layers 1..L in order: weights[l − 1] is W(l).""", (
    ExerciseFunction("network_forward", "X, weights, biases", """
    The forward pass (1.6.1) through every layer.

    X: an array (n, m(0)), one sample a row. weights: the L arrays W(l), biases: the L
    arrays b(l), of shape (m(l),).
    Returns (Z, A): two lists of L arrays, Z[l − 1] = Z(l) and A[l − 1] = A(l), each of
    shape (n, m(l)).
    """),
    ExerciseFunction("network_backward", "X, A, Y, weights", """
    The backward pass: for l = L down to 1, Δ(l) = ∂C/∂Z(l) (entry [i, k] is ∂C/∂z_ik(l),
    with the mean's 2/n in it: lesson 1.7's δ(l) keeps the 2/n outside, Δ(l) = (2/n) δ(l)),
    then ∂C/∂W(l) and ∂C/∂b(l).

    Careful: 1.7.2-1.7.4 as the notes write them are not backpropagation (lesson 1.7
    says why): every layer's error there is a(l) − y, 1.7.2 has x_i where the layer below
    belongs, and a factor is lost. Pass Δ down from the layer above instead.

    X: the inputs (n, m(0)). A: the activations A(1)..A(L) of the forward pass.
    Y: the targets (n, m(L)). weights: W(1)..W(L).
    Returns (D, dW, db): three lists of L arrays, D[l − 1] = Δ(l) of shape (n, m(l)),
    dW[l − 1] = ∂C/∂W(l) shaped like W(l), db[l − 1] = ∂C/∂b(l) shaped like b(l).
    """),
))

EXERCISES = {exercise.name: exercise for exercise in (TWICE, NEURON, CHAIN, FORK,
                                                        NETWORK)}
"""The exercises by name, in order."""


def function_names() -> dict[str, str]:
    """Every exercise function's name, with the exercise it belongs to."""
    return {function.name: exercise.name for exercise in EXERCISES.values()
            for function in exercise.functions}
