"""Reference solutions of every exercise: the tests grade this file (as text, in a child
process, never imported by the tests) and seed slips into copies of it.

Each line a slip changes carries a marker comment, so a slip is one exact replacement.
"""

import numpy as np


def twice_cost(w, x, y):
    return np.mean((x * w - y) ** 2)  # twice C


def twice_gradient(w, x, y):
    return np.mean(2 * (x * w - y) * x)  # twice C'


def sigmoid(t):
    return 1 / (1 + np.exp(-t))


def neuron_forward(x, y, w1, w2, b):
    return sigmoid(w1 * x + w2 * y + b)


def neuron_gradients(x, y, z, w1, w2, b):
    n = len(x)
    a = neuron_forward(x, y, w1, w2, b)
    d = 2 / n * (a - z) * a * (1 - a)  # neuron delta
    return np.sum(d * x), np.sum(d * y), np.sum(d)  # neuron sums


def chain_forward(x, w1, b1, w2, b2):
    a1 = sigmoid(x * w1 + b1)
    return a1, sigmoid(a1 * w2 + b2)


def chain_gradients(x, y, w1, b1, w2, b2):
    n = len(x)
    a1, a2 = chain_forward(x, w1, b1, w2, b2)
    d2 = 2 / n * (a2 - y) * a2 * (1 - a2)  # chain delta 2
    d1 = d2 * w2 * a1 * (1 - a1)  # chain delta 1
    return np.sum(d1 * x), np.sum(d1), np.sum(d2 * a1), np.sum(d2)  # chain sums


def fork_gradients(X, Y, W1, b1, W2, b2):
    n = len(X)
    a1 = sigmoid(X @ W1 + b1)
    a2 = sigmoid(a1 @ W2 + b2)
    g2 = 2 * (a2 - Y) * a2 * (1 - a2)  # fork output error
    e = g2 @ W2.T  # fork paths
    g1 = e * a1 * (1 - a1)  # fork hidden error
    return e, X.T @ g1 / n, g1.sum(axis=0) / n, a1.T @ g2 / n, g2.sum(axis=0) / n  # fork sums


def network_forward(X, weights, biases):
    Z, A, a = [], [], X
    for W, b in zip(weights, biases):
        z = a @ W + b  # network z
        a = sigmoid(z)
        Z.append(z)
        A.append(a)
    return Z, A


def network_backward(X, A, Y, weights):
    n, L = len(X), len(weights)
    D, dW, db = [None] * L, [None] * L, [None] * L
    d = 2 / n * (A[-1] - Y) * A[-1] * (1 - A[-1])  # network output delta
    for l in range(L - 1, -1, -1):
        below = A[l - 1] if l > 0 else X  # network below
        D[l] = d
        dW[l] = below.T @ d  # network dW
        db[l] = d.sum(axis=0)  # network db
        if l > 0:
            d = (d @ weights[l].T) * A[l - 1] * (1 - A[l - 1])  # network hidden delta
    return D, dW, db
