"""The session is thread-safe: an edit and a load from two threads, and random commands from
many threads while it runs, leave every snapshot consistent (shapes, history, a loss that is
the weights' own), epochs never going backward, and no thread behind once closed."""

import itertools
import random
import threading

import core.session.editing

from .conftest import wait_until


def check_consistent(snapshot, template):
    """Invariants every snapshot must satisfy, whatever happens around it."""
    assert snapshot.sizes == (2, 16, 16, 1)
    assert [w.shape for w in snapshot.weights] == [(2, 16), (16, 16), (16, 1)]
    assert [g.shape for g in snapshot.gradients_w] == [w.shape for w in snapshot.weights]
    assert [a.shape for a in snapshot.activations] == [(320, 2), (320, 16), (320, 16), (320, 1)]
    assert 0 <= snapshot.batch < snapshot.batches_per_epoch == 10
    assert snapshot.state in ("paused", "running")
    assert not snapshot.weights[0].flags.writeable
    for history in (snapshot.history_loss, *snapshot.grad_norm_history):
        assert len(history) == len(snapshot.history_epochs)
    if len(snapshot.history_epochs):
        assert snapshot.history_epochs[-1] == snapshot.epoch
    for live, weights in zip(template.parameters(), snapshot.weights + snapshot.biases):
        live[...] = weights
    assert template.loss(snapshot.X_train, snapshot.Y_train) == snapshot.loss


def test_an_edit_and_a_load_from_two_threads_leave_a_consistent_session(make, monkeypatch):
    session = make("xor")
    real_edit_preset = core.session.editing.edit_preset
    loaded = []

    def edit_preset_while_another_thread_loads(preset, **fields):
        loading = threading.Thread(target=lambda: (session.load("iris"), loaded.append(1)))
        loading.start()
        loading.join(timeout=0.2)
        return real_edit_preset(preset, **fields)

    monkeypatch.setattr(core.session.editing, "edit_preset",
                        edit_preset_while_another_thread_loads)
    session.editing.edit(batch_size=2)
    wait_until(lambda: loaded)
    snapshot = session.snapshot()
    assert snapshot.preset_name == "iris"
    assert snapshot.sizes[0] == snapshot.X_train.shape[1] == 4


def test_random_commands_from_many_threads_keep_the_session_consistent(make, tmp_path):
    session = make("spiral", batch_size=32)
    template = session.preset.build_network()
    seen, errors, seeds = [], [], iter(range(1, 10**6))
    session.subscribe(seen.append, max_rate=200)
    session.run()

    def command(rng):
        choice = rng.random()
        if choice < 0.15:
            session.run()
        elif choice < 0.25:
            session.pause()
        elif choice < 0.35:
            return session.step(rng.randint(1, 3))
        elif choice < 0.50:
            return session.step_batch()
        elif choice < 0.65:
            session.set_learning_rate(rng.uniform(0.001, 0.05))
        elif choice < 0.75:
            session.set_optimizer(rng.choice(["gd", "momentum", "adam"]))
        elif choice < 0.77:
            session.reset(seed=next(seeds))
        elif choice < 0.775:
            assert len(session.views.gradient_check()) == 3
        elif choice < 0.78:
            session.files.save(tmp_path / "stress.npz", overwrite=True)
        elif choice < 0.79:
            session.subscribe(lambda snapshot: None, max_rate=50)()
        else:
            return session.snapshot()

    def worker(seed):
        rng = random.Random(seed)
        try:
            for _ in range(500):
                snapshot = command(rng)
                if snapshot is not None:
                    check_consistent(snapshot, template.copy())
        except Exception as error:  # reported below with its traceback
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    session.close()
    assert not errors, errors[0]
    assert len(seen) > 100
    for before, after in itertools.pairwise(seen):
        check_consistent(after, template)
        assert after.epoch >= before.epoch or after.seed != before.seed, "epoch went backward"
    assert not [t for t in threading.enumerate() if t.name.startswith("session-")]
