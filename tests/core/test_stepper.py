"""A stepped batch equals an ordinary step bitwise; finite-difference training follows backprop."""

import numpy as np
import pytest

from core.engine.network import Network
from core.engine.optimizers import make_optimizer
from core.engine.training import numeric_train_batch, train_batch
from core.explain.step_through import BatchStepper

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])

NETS = {
    "2-3-2-1": (dict(sizes=(2, 3, 2, 1)), XOR_Y),
    "2-3-2-1 tanh, l2": (dict(sizes=(2, 3, 2, 1), activation="tanh", penalty="l2",
                              penalty_rate=0.01), XOR_Y),
    "softmax": (dict(sizes=(2, 3, 2), output_activation="softmax", loss="cross_entropy"),
                np.hstack([XOR_Y, 1 - XOR_Y])),
}


def network(name):
    settings, Y = NETS[name]
    settings = dict(settings)
    return Network(settings.pop("sizes"), init="uniform", seed=7, **settings), Y


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
@pytest.mark.parametrize("name", NETS)
def test_stepped_batches_equal_train_batch_bitwise(name, optimizer):
    stepped, Y = network(name)
    plain = stepped.copy()
    stepped_opt, plain_opt = make_optimizer(optimizer), make_optimizer(optimizer)
    for _ in range(3):                       # several steps, so optimizer state matters too
        stepper = BatchStepper(stepped, stepped_opt, XOR_X, Y, 0.5)
        cost, grad_w, grad_b = stepper.run()
        plain_cost, plain_w, plain_b = train_batch(plain, plain_opt, XOR_X, Y, 0.5)
        assert cost == plain_cost
        assert all(np.array_equal(g, h) for g, h in zip(grad_w + grad_b, plain_w + plain_b))
        assert all(np.array_equal(p, q) for p, q in zip(stepped.parameters(), plain.parameters()))
    state, plain_state = stepped_opt.state(), plain_opt.state()
    assert state.keys() == plain_state.keys()
    assert all(np.array_equal(state[k], plain_state[k]) for k in state)


def test_phases_in_order_with_partial_results():
    net, Y = network("2-3-2-1")
    before = [p.copy() for p in net.parameters()]
    activations = net.forward_layers(XOR_X)
    grad_w, grad_b = net.gradients(XOR_X, Y)
    stepper = BatchStepper(net, make_optimizer("gd"), XOR_X, Y, 0.1)
    assert stepper.description == "forward: a(1) = σ(a(0) w(1) + b(1))  (1.6.1)"
    order = []
    while not stepper.done:
        phase, layer = stepper.phase, stepper.layer
        step = stepper.advance()
        assert (step.phase, step.layer) == (phase, layer) and stepper.last == step
        order.append((phase, layer))
        if phase == "forward":
            assert len(stepper.activations) == layer + 1
            assert np.array_equal(stepper.activations[layer], activations[layer])
        if phase == "backward":
            assert np.array_equal(stepper.grad_w[layer - 1], grad_w[layer - 1])
            assert np.array_equal(stepper.grad_b[layer - 1], grad_b[layer - 1])
            assert stepper.grad_w[:layer - 1] == [None] * (layer - 1)
        if phase != "update":
            assert all(np.array_equal(p, q) for p, q in zip(before, net.parameters()))
    assert order == [("forward", 1), ("forward", 2), ("forward", 3),
                     ("backward", 3), ("backward", 2), ("backward", 1), ("update", None)]
    assert stepper.phase == "done" and stepper.layer is None
    with pytest.raises(ValueError, match="done"):
        stepper.advance()


def test_descriptions_name_the_equations():
    net, Y = network("softmax")
    stepper = BatchStepper(net, make_optimizer("adam"), XOR_X, Y, 0.01)
    lines = [stepper.advance().description for _ in range(5)]
    assert lines[1] == "forward: a(2) = softmax(a(1) w(2) + b(2))"     # softmax: not 1.6.1
    assert lines[2].startswith("backward: ∂_{z(2)} C = (a(2) − y)/n, "
                               "∂_{w(2)} C = a(1)ᵀ ∂_{z(2)} C")
    assert "∂_{z(1)} C = (∂_{z(2)} C w(2)ᵀ) ⊙ σ'(z(1))" in lines[2]
    assert lines[4].startswith("update: w <- w - eta m_hat") and "Adam, eta = 0.01" in lines[4]


def test_bad_batches_are_refused():
    net, Y = network("2-3-2-1")
    with pytest.raises(ValueError, match="X"):
        BatchStepper(net, make_optimizer("gd"), XOR_X[:, :1], Y, 0.1)
    with pytest.raises(ValueError, match="Y"):
        BatchStepper(net, make_optimizer("gd"), XOR_X, Y[:3], 0.1)


@pytest.mark.parametrize("optimizer", ["gd", "adam"])
def test_finite_difference_training_follows_backprop(optimizer):
    numeric, _ = network("2-3-2-1")
    exact = numeric.copy()
    numeric_opt, exact_opt = make_optimizer(optimizer), make_optimizer(optimizer)
    for _ in range(20):
        cost, grad_w, grad_b = numeric_train_batch(numeric, numeric_opt, XOR_X, XOR_Y, 0.5)
        exact_cost, exact_w, exact_b = train_batch(exact, exact_opt, XOR_X, XOR_Y, 0.5)
        assert cost == pytest.approx(exact_cost, abs=1e-6)
        assert [g.shape for g in grad_w + grad_b] == [g.shape for g in exact_w + exact_b]
    for p, q in zip(numeric.parameters(), exact.parameters()):
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-6)
    assert not all(np.array_equal(p, q) for p, q in zip(numeric.parameters(), exact.parameters()))
