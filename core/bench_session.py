"""How much the Session costs over the bare engine: epochs per second three ways."""

from __future__ import annotations

import time
from dataclasses import dataclass

from .engine.optimizers import make_optimizer
from .engine.training import train_epoch
from .presets.schema import Preset, load_preset
from .session.session import Session


@dataclass(frozen=True)
class SessionBenchmark:
    """Epochs per second on one preset: the bare ``train_epoch`` loop, ``Session.run()``
    with no subscriber, and ``run()`` with a subscriber taking 20 snapshots a second."""

    preset: str
    bare: float
    run: float
    run_subscribed: float


def _bare(preset: Preset, seconds: float) -> float:
    data, net = preset.load_data(), preset.build_network()
    optimizer = make_optimizer(preset.optimizer)
    epoch, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        train_epoch(net, optimizer, data.X_train, data.Y_train, preset.learning_rate,
                    preset.batch_size, preset.seed, epoch)
        epoch += 1
    return epoch / (time.perf_counter() - start)


def _run(preset: Preset, seconds: float, subscribed: bool) -> float:
    with Session(preset) as session:
        if subscribed:
            session.subscribe(lambda snapshot: None, max_rate=20.0)
        start = time.perf_counter()
        session.run()
        time.sleep(seconds)
        session.pause()
        return session.epoch / (time.perf_counter() - start)


def session_benchmark(preset: str = "spiral", seconds: float = 6.0,
                      rounds: int = 6) -> SessionBenchmark:
    """Measure the three ways in turn, ``rounds`` times, for ``seconds`` in all; each figure
    is its best round, so that other work on the machine disturbs the ratios less."""
    loaded = load_preset(preset)
    slice_ = seconds / (3 * rounds)
    results = [(_bare(loaded, slice_), _run(loaded, slice_, False), _run(loaded, slice_, True))
               for _ in range(rounds)]
    bare, run, subscribed = (max(column) for column in zip(*results))
    return SessionBenchmark(preset, bare, run, subscribed)
