"""Pilot tests of the cost landscape (L): on twice, the whole one-weight cost with the path
and the next step (the step then taken); on chain, a map of two weights, the selection
choosing the parameter and m marking a second axis.

Keys are pressed on a paused session only (see test_app.py).
"""

from __future__ import annotations

from .conftest import (
    settle,
    training,
)


async def test_L_on_twice_draws_the_whole_cost_with_path_and_next_step(make_app):
    app = make_app("twice", learning_rate=0.16)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(4):
            await pilot.press("n")
            await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        panel = training(app).query_one("#landscape")
        land = panel.landscape
        assert panel.display and str(panel.border_title) == "Cost landscape"
        snapshot = app.session.snapshot()
        assert land.dims == 1 and not land.is_slice and land.params == (("w", 1, 0, 0),)
        assert land.current == (snapshot.weights[0][0, 0],)
        assert land.current_cost == snapshot.loss
        assert land.path_epochs.tolist() == [0, 1, 2, 3, 4]
        assert land.costs.size >= 100                    # two points a cell across
        assert land.axes[0][0] < 2.0 < land.axes[0][-1]
        expected_next = snapshot.weights[0][0, 0] - 0.16 * snapshot.gradients_w[0][0, 0]
        assert land.next_point == (expected_next,)
        await pilot.press("n")
        await settle(pilot)
        assert app.session.snapshot().weights[0][0, 0] == expected_next        # the step taken
        assert panel.landscape.path_epochs.tolist() == [0, 1, 2, 3, 4, 5]


async def test_L_on_chain_maps_two_weights_and_m_marks_axes(make_app):
    app = make_app("chain")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N", "L")
        await settle(pilot)
        panel = training(app).query_one("#landscape")
        land = panel.landscape
        assert land.dims == 2 and land.is_slice
        assert land.names == ("w(1)[0,0]", "w(2)[0,0]")
        assert land.costs.shape[0] == land.costs.shape[1] >= 24     # a map that fills the room
        assert land.path.shape == (101, 2)
        assert training(app).diagram.selected == ("weight", 0, 0, 0)
        await pilot.press("right")                   # the neuron a(1): its bias b(1)
        await settle(pilot)
        assert panel.landscape.params == (("b", 1, 0),) and panel.landscape.dims == 1
        await pilot.press("right", "m")              # mark w(2) beside it: a map again
        await settle(pilot)
        assert panel.landscape.params == (("b", 1, 0), ("w", 2, 0, 0))
        await pilot.press("m")                       # unmark it
        await settle(pilot)
        assert panel.landscape.params == (("b", 1, 0),)
