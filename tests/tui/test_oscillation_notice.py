"""The status bar tells a loss that has stopped falling and swings, with a lower learning
rate to try, as it tells a divergence; the notice goes once training finds new lows."""

from __future__ import annotations

from .conftest import settle, status_text


async def test_a_swinging_loss_shows_in_the_status_bar_until_a_lower_rate_calms_it(make_app):
    app = make_app("xor", learning_rate=50)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(10):                     # 1,000 epochs at a rate too high for xor
            await pilot.press("N")
            await settle(pilot)
        swinging = app.session.snapshot()
        assert swinging.oscillating and swinging.state == "paused"
        assert "loss oscillates: try lr 10" in status_text(app)
        await pilot.press("l", "ctrl+a", "ctrl+k", "1", "0", "enter")
        await pilot.press("N")
        await settle(pilot)
        assert app.session.snapshot().loss < swinging.history_loss.min()
        assert "lr 10" in status_text(app) and "oscillates" not in status_text(app)
