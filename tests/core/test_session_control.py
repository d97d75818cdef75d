"""Prompt control of the session: a run for a number of epochs stops paused after exactly
that many (and can be paused or given a new target), a pause during a batch makes it the
last one, a pause interrupts a long step in another thread, a step pauses a run, and a
failing batch leaves the session paused, ready to run again."""

import threading
import time

import pytest

import core.session.trainer

from .conftest import same_weights, wait_until


def test_run_with_epochs_stops_paused_after_exactly_that_many(make):
    session = make("spiral", batch_size=32)
    seen = []
    session.subscribe(seen.append, max_rate=1000.0)
    session.step_batch()                  # an unfinished epoch counts as the first
    session.run(epochs=3)
    wait_until(lambda: session.snapshot().state == "paused" and not session.running)
    ran = session.snapshot()
    assert (ran.epoch, ran.batch) == (3, 0)
    wait_until(lambda: seen and seen[-1].epoch == 3 and seen[-1].state == "paused")
    stepped = make("spiral", batch_size=32)
    stepped.step(3)
    assert same_weights(ran, stepped.snapshot())
    session.run(epochs=2)                 # again, from where it stopped
    wait_until(lambda: not session.running)
    assert session.epoch == 5


def test_run_with_epochs_can_be_paused_or_rearmed(make):
    session = make("spiral")
    session.run(epochs=10_000_000)
    wait_until(lambda: session.epoch >= 1)
    session.run(epochs=1)                 # a new target from where the run stands
    wait_until(lambda: not session.running)
    stopped = session.epoch
    time.sleep(0.05)
    assert session.epoch == stopped and session.snapshot().state == "paused"
    session.run(epochs=10_000_000)
    session.pause()
    assert not session.running
    with pytest.raises(ValueError, match="epochs"):
        session.run(epochs=0)


def test_pause_during_a_batch_makes_it_the_last_one(make, monkeypatch):
    session = make("spiral", batch_size=32)
    calls, paused = [], []
    real_train_batch = core.session.trainer.train_batch

    def counting_train_batch(*args):
        calls.append(1)
        if len(calls) == 25:
            pausing = threading.Thread(target=lambda: (session.pause(), paused.append(1)))
            pausing.start()
            time.sleep(0.05)    # the pause is now waiting for this batch to end
        return real_train_batch(*args)

    monkeypatch.setattr(core.session.trainer, "train_batch", counting_train_batch)
    session.run()
    wait_until(lambda: paused)
    time.sleep(0.05)
    assert len(calls) == 25
    assert session.snapshot().state == "paused"


def test_pause_interrupts_a_long_step_in_another_thread(make):
    session = make("spiral")
    result = []
    stepping = threading.Thread(target=lambda: result.append(session.step(10**9)))
    stepping.start()
    wait_until(lambda: session.epoch >= 3)
    session.pause()
    stepping.join(timeout=5)
    assert result and result[0].state == "paused" and result[0].epoch < 10**9
    assert not session.running


def test_step_pauses_a_run(make):
    session = make("xor")
    session.run()
    snapshot = session.step(2)
    epoch = session.epoch
    time.sleep(0.02)
    assert snapshot.state == "paused" and session.epoch == epoch


def test_a_failing_batch_pauses_the_run_and_run_starts_again(make, monkeypatch):
    session = make("xor")
    real_train_batch = core.session.trainer.train_batch
    failures, reported = [RuntimeError("out of memory")], []

    def failing_once(*args):
        if failures:
            raise failures.pop()
        return real_train_batch(*args)

    monkeypatch.setattr(core.session.trainer, "train_batch", failing_once)
    monkeypatch.setattr(threading, "excepthook", reported.append)
    session.run()
    wait_until(lambda: reported)
    assert str(reported[0].exc_value) == "out of memory" and not session.running
    session.run()
    wait_until(lambda: session.epoch > 100)


def test_a_failing_step_leaves_the_session_paused(make, monkeypatch):
    session = make("xor")

    def failing(*args):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(core.session.trainer, "train_batch", failing)
    with pytest.raises(RuntimeError, match="out of memory"):
        session.step(3)
    assert not session.running and session.snapshot().state == "paused"
