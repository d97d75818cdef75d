"""The trainer alone, in one thread: counters, history, checkpoints and divergence."""

import numpy as np

from core.engine import make_optimizer, train_epoch
from core.presets import load_preset
from core.session import CHECKPOINT_EVERY, Trainer

from .conftest import same_weights


def trainer(name="spiral", **changes):
    preset = load_preset(name)
    if changes:
        preset = preset.replace(**changes)
    return Trainer(preset, preset.load_data(), preset.build_network(), preset.seed,
                   preset.optimizer, preset.learning_rate)


def train_epochs(t, epochs):
    for _ in range(epochs * len(t.batches())):
        t.train_batch()


def test_epochs_of_batches_are_the_bare_training_loop_bitwise():
    t = trainer(batch_size=32)
    train_epochs(t, 3)
    assert (t.epoch, t.batch) == (3, 0)
    net, data, preset = t.preset.build_network(), t.data, t.preset
    optimizer = make_optimizer(preset.optimizer)
    for epoch in range(3):
        train_epoch(net, optimizer, data.X_train, data.Y_train, preset.learning_rate,
                    preset.batch_size, preset.seed, epoch)
    assert same_weights(t.net, net)
    epochs, values = t.history.arrays()
    assert epochs.tolist() == [1.0, 2.0, 3.0] and values.shape == (3, 1 + t.net.n_layers)


def test_a_batch_counts_within_its_epoch():
    t = trainer(batch_size=32)
    t.train_batch()
    assert (t.epoch, t.batch) == (0, 1)
    assert 0 < t.progress() < 1


def test_divergence_goes_back_to_finite_weights_and_says_where():
    t = trainer("twice", learning_rate=10.0)
    for _ in range(300):
        t.train_batch()
        if t.diverged:
            break
    assert t.diverged and t.message.startswith("diverged at epoch ")
    assert all(np.isfinite(p).all() for p in t.net.parameters())
    assert t.history.arrays()[0][-1:].tolist() in ([], [float(t.epoch)])


def test_a_lower_rate_after_a_divergence_trains_on():
    t = trainer("twice", learning_rate=10.0)
    while not t.diverged:
        t.train_batch()
    t.message = ""
    t.set_learning_rate(0.01)
    train_epochs(t, CHECKPOINT_EVERY + 1)
    assert not t.diverged and np.isfinite(t.net.loss(t.data.X_train, t.data.Y_train))


def test_saved_state_restores_into_a_fresh_trainer_exactly():
    t = trainer(batch_size=32)
    train_epochs(t, 2)
    t.train_batch()
    saved = t.saved()
    other = trainer(batch_size=32)
    other.restore(saved, "memory")
    assert (other.epoch, other.batch) == (t.epoch, t.batch)
    t.train_batch()
    other.train_batch()
    assert same_weights(t.net, other.net)


def test_the_watched_path_follows_the_epochs():
    t = trainer("twice")
    train_epochs(t, 3)
    assert [epoch for epoch, _ in t.path.points] == [0, 1, 2, 3]
    assert t.path.points[-1][1] == t.path.values(t.net)
