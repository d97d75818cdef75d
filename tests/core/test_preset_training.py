"""Every built-in preset keeps its promise: from its own seed, within its own epoch budget,
the training loss reaches its own target."""

import pytest

from core.engine.optimizers import make_optimizer
from core.engine.training import train_epoch
from core.presets.schema import builtin_presets


@pytest.mark.parametrize("preset", builtin_presets(), ids=lambda p: p.name)
def test_builtin_preset_reaches_its_target_loss(preset):
    data = preset.load_data()
    net = preset.build_network()
    optimizer = make_optimizer(preset.optimizer)
    start = net.loss(data.X_train, data.Y_train)
    for epoch in range(preset.epochs):
        epoch_loss = train_epoch(net, optimizer, data.X_train, data.Y_train,
                                 preset.learning_rate, preset.batch_size, preset.seed, epoch)
        if epoch_loss <= preset.target_loss:
            break
    final = net.loss(data.X_train, data.Y_train)
    assert final <= preset.target_loss < start, (
        f"{preset.name}: loss {final:.4g} after {epoch + 1} epochs, target {preset.target_loss}")
