"""Pilot tests of stepping inside an epoch: ``f`` computes the next layer forward, ``B`` the
previous layer's gradients and then the update, which equals an ordinary step bitwise; the
numbers shown are the engine's."""

from __future__ import annotations

import numpy as np
import pytest

from core.explain.numbers import num
from core.session.session import Session

from .conftest import (
    SEED,
    inspector_text,
    record_notes,
    same_parameters,
    settle,
    status_text,
    training,
    view_of,
)


@pytest.mark.parametrize("preset,optimizer", [("xor", None), ("chain", "momentum"),
                                              ("digits", "adam")])
async def test_f_and_B_take_a_batch_apart_and_equal_an_ordinary_step(make_app, preset,
                                                                     optimizer):
    options = {} if optimizer is None else {"optimizer": optimizer}
    app = make_app(preset, **options)
    plain = Session(preset, seed=SEED, **options)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("n")
            await settle(pilot)
            plain.step(1)
            screen = training(app)
            n_layers = app.session.snapshot().n_layers
            before = app.session.snapshot()
            highlights = []
            for key in ["f"] * n_layers:
                await pilot.press(key)
                await settle(pilot)
                highlights.append(screen.diagram.highlight_layer)
                assert view_of(app) == "inspector"
                assert f"done: forward: a({highlights[-1]})" in inspector_text(app)
            await pilot.press("f")               # the forward pass is over: f waits for B
            await settle(pilot)
            state = app.session.views.step_through()
            assert state.phase == "backward" and state.layer == n_layers
            for _ in range(n_layers):
                await pilot.press("B")
                await settle(pilot)
                highlights.append(screen.diagram.highlight_layer)
            assert highlights == list(range(1, n_layers + 1)) + list(range(n_layers, 0, -1))
            assert app.session.views.step_through().phase == "update"
            assert same_parameters(app.session.snapshot(), before)     # nothing updated yet
            await pilot.press("B")                # the next key applies the update
            await settle(pilot)
            plain.step_batch()
            stepped, reference = app.session.snapshot(), plain.snapshot()
            assert (stepped.epoch, stepped.batch) == (reference.epoch, reference.batch)
            assert same_parameters(stepped, reference)                 # bitwise
            assert f"epoch {reference.epoch}" in status_text(app)
            assert app.session.views.step_through().done and screen.diagram.highlight_layer is None
            assert "f starts the next batch" in training(app).query_one("#inspector").text
            await pilot.press("f")                # the next batch
            await settle(pilot)
            assert app.session.views.step_through().phase == "forward"
            assert screen.diagram.highlight_layer == 1
            await pilot.press("n")                # trained another way: the step-through ends
            await settle(pilot)
            assert app.session.views.step_through() is None
            assert screen.diagram.highlight_layer is None
    finally:
        plain.close()


async def test_B_before_the_forward_pass_only_explains(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        notes = record_notes(app)
        await pilot.press("B")
        await settle(pilot)
        assert app.session.views.step_through() is None and app.session.snapshot().epoch == 0
        assert notes and "f computes a(1)" in notes[-1][0]


async def test_the_step_numbers_are_the_engines(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", "f", "B")
        await settle(pilot)
        state, snapshot = app.session.views.step_through(), app.session.snapshot()
        assert np.array_equal(state.activations[2], snapshot.activations[2])
        assert np.array_equal(state.grad_w[1], snapshot.gradients_w[1])
        text = training(app).query_one("#inspector").text
        assert f"∂_{{w(2)}} C row 1 = [{num(snapshot.gradients_w[1][0, 0])}]" in text
        assert "next: backward: ∂_{w(1)} C" in text
