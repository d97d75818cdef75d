"""Watching it learn: the pace a run keeps, undo, the target-loss milestone, typed weights."""

import json
import threading
import time

import numpy as np
import pytest

from core.session import UNDO_STEPS, Clock, Session, faster, parse_pace, slower
from core.session.history import History
from core.session.pace import Pacer

from .conftest import parameters, wait_until


class FakeClock(Clock):
    """A clock whose time moves only when the session waits on it, up to ``stop_at``; there
    it stops (waiting for real, briefly, so commands get in) and says so."""

    def __init__(self, stop_at: float) -> None:
        self.time, self.stop_at = 0.0, stop_at
        self.stopped = threading.Event()

    def now(self) -> float:
        return self.time

    def wait(self, condition, seconds):
        if self.time + seconds > self.stop_at:
            self.stopped.set()
            condition.wait(0.01)
        else:
            self.time += seconds


@pytest.mark.parametrize("pace", [1, 10, 50])
def test_a_free_run_trains_pace_epochs_a_second_on_the_sessions_clock(make, pace):
    """Over 5 s of the session's clock the epoch counter advances 5 x pace."""
    seconds = 5.0
    clock = FakeClock(stop_at=seconds)
    session = make("xor", pace=pace, clock=clock)
    session.run()
    clock.stopped.wait(10)
    started = session.epoch            # the epoch due at 5 s has started, the next has not
    session.pause()
    assert clock.time == seconds
    assert started - 1 == pace * seconds


def test_a_subscriber_can_take_fewer_snapshots_than_epochs_at_a_watchable_pace(make):
    """At a watchable pace every epoch is published, but a subscriber that asks for at most
    2 a second gets no more (a served tab that redraws every few seconds builds no snapshot
    per epoch); the commands' snapshots still come, and the last one is where it paused."""
    session = make("xor", pace=50)
    few = []
    session.subscribe(few.append, max_rate=2, watchable_rate=2)
    wait_until(lambda: len(few) == 1)
    started = time.monotonic()
    session.run()
    time.sleep(1.0)
    session.pause()
    elapsed = time.monotonic() - started
    wait_until(lambda: few[-1].state == "paused")
    assert len(few) - 1 <= 2 * elapsed + 3          # the run, the pause, one at the start
    assert few[-1].epoch == session.epoch


def test_a_run_at_pace_max_rests_to_train_only_its_share_of_the_time():
    """With a share of 1/4, an epoch that took 0.1 s is followed by a rest of 0.3 s (a
    command waking the run meanwhile does not end the rest early); at share 1 no rest."""
    asked = []

    class ManualClock(Clock):
        time = 0.0

        def now(self):
            return self.time

        def wait(self, condition, seconds):
            asked.append(round(seconds, 9))

    clock = ManualClock()
    pacer = Pacer(clock)
    pacer.share = 0.25
    condition = threading.Condition()
    assert pacer.wait_for_turn(condition)          # the first epoch starts at once
    clock.time = 0.1                               # ... and took 0.1 s
    assert not pacer.wait_for_turn(condition) and asked == [0.3]
    clock.time = 0.2                               # a command woke the run
    assert not pacer.wait_for_turn(condition) and asked == [0.3, 0.2]
    clock.time = 0.4
    assert pacer.wait_for_turn(condition)
    pacer.share = 1.0
    clock.time = 5.0
    assert pacer.wait_for_turn(condition) and len(asked) == 2
    with Session("xor") as session, pytest.raises(ValueError, match="share"):
        session.set_share(0)


def test_steps_and_counted_runs_ignore_the_pace(make):
    """n, N and scripted training go at full speed: the session's clock never waits."""
    clock = FakeClock(stop_at=0.0)
    session = make("xor", pace=1, clock=clock)
    session.step(30)
    session.run(epochs=20)
    wait_until(lambda: not session.running)
    session.step_batch()
    assert session.epoch == 51 and not clock.stopped.is_set()


def test_pace_keys_step_through_the_paces_and_typed_paces_are_checked():
    """< and > go 1, 2, 5 ... 1000, max; a typed pace that is not one names the field."""
    assert [faster(p) for p in (1, 500, 1000, None)] == [2, 1000, None, None]
    assert [slower(p) for p in (None, 2, 1)] == [1000, 1, 1]
    assert parse_pace(" MAX ") is None and parse_pace("20") == 20
    with pytest.raises(ValueError, match=r"^pace: expected one of 1, 2, .* or max, got '7'$"):
        parse_pace("7")


def _state(session):
    """Everything undo promises to restore: parameters, optimizer state, history, counters."""
    trainer = session._trainer
    snapshot = session.snapshot()
    return (parameters(snapshot), trainer.optimizer.name,
            {k: np.array(v) for k, v in trainer.optimizer.state().items()},
            snapshot.history_epochs.tolist(), snapshot.history_loss.tolist(),
            snapshot.history_test_loss.tolist(), snapshot.epoch, snapshot.batch,
            trainer.epoch_cost, snapshot.loss)


def _equal(a, b):
    """Bitwise equality of two ``_state``s."""
    def same(x, y):
        if isinstance(x, dict):
            return x.keys() == y.keys() and all(same(x[k], y[k]) for k in x)
        if isinstance(x, list) and x and isinstance(x[0], np.ndarray):
            return len(x) == len(y) and all(np.array_equal(p, q) for p, q in zip(x, y))
        if isinstance(x, np.ndarray):
            return np.array_equal(x, y)
        return x == y
    return all(same(x, y) for x, y in zip(a, b))


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
def test_undo_then_step_again_gives_the_same_numbers_bit_for_bit(make, optimizer):
    """u after n shows the previous epoch exactly; n again reproduces the undone epoch."""
    session = make("moons", optimizer=optimizer, batch_size=16)
    session.step(12)
    before = _state(session)
    session.step(1)
    after = _state(session)
    assert not _equal(before, after)
    assert _equal(_state_after_undo(session), before)
    session.step(1)
    assert _equal(_state(session), after)


def _state_after_undo(session):
    assert session.undo() is not None
    return _state(session)


def test_undo_goes_back_one_batch_after_b_across_an_epoch_boundary(make):
    """b, b, ... past the end of an epoch: each u takes back exactly one batch."""
    session = make("moons", optimizer="adam", batch_size=64)
    batches = session.snapshot().batches_per_epoch
    session.step(3)
    states = [_state(session)]
    for _ in range(batches + 1):
        session.step_batch()
        states.append(_state(session))
    assert states[-1][6] == 4 and states[-1][7] == 1        # one batch into epoch 5
    for expected in reversed(states[:-1]):
        assert _equal(_state_after_undo(session), expected)
    for expected in states[1:]:
        session.step_batch()
        assert _equal(_state(session), expected)


def test_undo_keeps_the_last_hundred_steps_and_then_says_nothing_is_left(make):
    """After more steps than are kept, u goes back exactly UNDO_STEPS epochs, then stops."""
    session = make("xor")
    session.step(UNDO_STEPS + 20)
    for _ in range(UNDO_STEPS):
        assert session.undo() is not None
    assert session.epoch == 20 and session.undo() is None


def test_a_script_session_new_or_opened_keeps_nothing_to_undo(tmp_path):
    """undo_steps=0 (what `python -m core train` uses, --resume too) keeps no state to undo;
    a session opened with the default keeps them again."""
    path = tmp_path / "xor.npz"
    with Session("xor", undo_steps=0) as session:
        session.step(5)
        assert session.undo() is None
        session.files.save(path)
    with Session.open(path, undo_steps=0) as opened:
        opened.step(3)
        assert opened.undo() is None and opened.epoch == 8
    with Session.open(path) as opened:
        opened.step(3)
        assert opened.undo() is not None and opened.epoch == 7


def test_a_history_goes_back_across_a_merge_exactly():
    """Rewinding over the point where old rows were merged restores the rows as they were."""
    history = History(1, capacity=100, recent=20)
    for x in range(100):
        history.append(x, [x * 0.5])
    mark, before = history.mark(), history.state()
    history.append(100, [50.0])                 # full: merges the old rows first
    assert history.width > 1
    history.rewind(mark)
    assert all(np.array_equal(a, b) for a, b in zip(history.state().values(), before.values()))


def test_the_target_epoch_is_the_first_epoch_whose_loss_reached_the_target(make):
    """target_epoch is where the loss history first crosses target_loss; None before."""
    session = make("chain")
    losses = session.step(300).history_loss
    crossing = int(np.flatnonzero(losses <= session.preset.target_loss)[0]) + 1
    with make("chain") as fresh:
        assert fresh.step(crossing - 1).target_epoch is None
        assert fresh.step(1).target_epoch == crossing
    assert session.snapshot().target_epoch == crossing
    session.undo()
    assert session.snapshot().target_epoch == crossing      # still reached before the undo


def test_a_typed_weight_changes_exactly_that_parameter_and_is_undone_by_u(make):
    """Setting w(2)[1, 0] leaves every other weight and bias as it was; u restores it."""
    session = make("xor")
    before = parameters(session.step(5))
    session.set_parameter("w", 2, (1, 0), -1.25)
    after = session.snapshot()
    changed = [np.argwhere(a != b).tolist() for a, b in zip(before, parameters(after))]
    assert changed == [[], [[1, 0]], [], []] and after.weights[1][1, 0] == -1.25
    assert after.edit_epochs == (5.0,)
    session.undo()
    assert all(np.array_equal(a, b) for a, b in zip(before, parameters(session.snapshot())))


@pytest.mark.parametrize("value", ["0.5", float("nan"), True])
def test_a_typed_weight_that_is_not_a_finite_number_is_refused(make, value):
    """One clear line naming the field; nothing changes."""
    session = make("xor")
    with pytest.raises(ValueError, match=r"^value: expected a finite number, got "):
        session.set_parameter("w", 1, (0, 0), value)


def test_a_parameter_that_does_not_exist_is_refused(make):
    """A weight outside the network names the parameter asked for."""
    session = make("xor")
    with pytest.raises(ValueError, match=r"^parameter: no w\(2, 0\) in layer 2$"):
        session.set_parameter("w", 2, (2, 0), 1.0)


def test_train_json_names_the_epoch_the_target_was_reached(capsys):
    """`python -m core train --json` says target_epoch: the crossing in the run's history,
    null when the run stops short of it."""
    from core.cli import main
    with Session("xor") as session:
        losses = session.step(800).history_loss
    crossing = int(np.flatnonzero(losses <= session.preset.target_loss)[0]) + 1
    main(["train", "xor", "--epochs", str(crossing + 5), "--json"])
    assert json.loads(capsys.readouterr().out)["target_epoch"] == crossing
    main(["train", "xor", "--epochs", str(crossing - 1), "--json"])
    assert json.loads(capsys.readouterr().out)["target_epoch"] is None


def test_a_run_stops_at_the_target_when_asked(make):
    """With stop-at-target a run pauses at the epoch where the loss first reached the target."""
    session = make("chain")
    session.set_stop_at_target(True)
    session.run(epochs=session.preset.epochs)
    wait_until(lambda: not session.running)
    snapshot = session.snapshot()
    assert snapshot.epoch == snapshot.target_epoch
    assert snapshot.history_loss[-1] <= snapshot.target_loss < snapshot.history_loss[-2]


@pytest.mark.parametrize(("preset", "param"), [("xor", ("w", 1, 1, 0)), ("moons", ("w", 2, 3, 0)),
                                               ("xor", ("b", 1, 1))])
def test_each_samples_term_of_the_gradient_is_its_own_finite_difference(preset, param):
    """The inspector's per-sample terms, largest first, are (1/n) dC_k/dw by finite
    differences of sample k's cost alone, and their shares add up to the whole."""
    from core.explain import bias_report, weight_report
    from core.presets import load_preset

    spec = load_preset(preset)
    net, data = spec.build_network(), spec.load_data()
    X, Y = data.X_train, data.Y_train
    n = len(X)
    report = (weight_report(net, X, Y, *param[1:]) if param[0] == "w"
              else bias_report(net, X, Y, *param[1:]))
    terms = report.largest_terms(n)
    array = (net.weights if param[0] == "w" else net.biases)[param[1] - 1]
    index = tuple(param[2:])
    eps = 1e-6
    for k, term, _ in terms:
        saved = array[index]
        array[index] = saved + eps
        up = net.loss(X[k:k + 1], Y[k:k + 1])
        array[index] = saved - eps
        down = net.loss(X[k:k + 1], Y[k:k + 1])
        array[index] = saved
        assert term == pytest.approx((up - down) / (2 * eps) / n, rel=1e-5, abs=1e-10)
    sizes = [abs(term) for _, term, _ in terms]
    assert sizes == sorted(sizes, reverse=True)
    assert sum(share for *_, share in terms) == pytest.approx(1.0)
    assert f"sample {terms[0][0] + 1}: " in "\n".join(report.lines())


def test_a_session_keeps_the_presets_pace_only_when_asked(make):
    """Full speed unless told; "preset" takes the preset's pace, and a loaded preset's."""
    session = make("xor")
    assert session.pace is None
    session.set_pace("preset")
    assert session.pace == session.preset.pace is not None
    session.load("spiral")
    assert session.pace is None and session.preset.pace is None
    session.load("twice")
    assert session.pace == session.preset.pace is not None


def test_the_update_of_a_batch_taken_apart_is_undone_like_a_batch(make):
    """f, f, B, B, update on xor: one u goes back to before that update, exactly."""
    session = make("xor")
    session.step(3)
    before = _state(session)
    while session.epoch == 3:
        session.views.advance_step_through()
    assert not _equal(_state(session), before)
    assert _equal(_state_after_undo(session), before)
