"""The session's subscribers: a snapshot after each command and a bounded rate while
running, a stuck subscriber does not stop training, and an unsubscribed callback is not
called again."""

import threading
import time

from .conftest import wait_until


def test_subscribers_get_a_snapshot_after_each_command_and_a_bounded_rate_while_running(make):
    session = make("xor")
    got = []
    session.subscribe(got.append, max_rate=20)
    wait_until(lambda: len(got) == 1)
    session.set_learning_rate(0.5)
    wait_until(lambda: got[-1].learning_rate == 0.5)
    count = len(got)
    session.run()
    time.sleep(0.5)
    session.pause()
    wait_until(lambda: got[-1].state == "paused")
    assert 5 <= len(got) - count <= 0.5 * 20 + 3
    assert any(s.state == "running" and s.epochs_per_second > 0 for s in got)


def test_a_stuck_subscriber_does_not_stop_training(make):
    session = make("xor")
    release = threading.Event()
    session.subscribe(lambda snapshot: release.wait(5))
    session.run()
    wait_until(lambda: session.epoch > 1000)
    release.set()


def test_unsubscribed_callbacks_are_not_called_again(make):
    session = make("xor")
    got = []
    unsubscribe = session.subscribe(got.append)
    wait_until(lambda: len(got) == 1)
    unsubscribe()
    session.step(5)
    time.sleep(0.05)
    assert len(got) == 1
