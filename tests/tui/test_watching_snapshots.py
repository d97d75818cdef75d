"""Snapshot tests of watching it learn: per-neuron maps and labelled weights.

Each app starts paused from a fixed seed and is stepped with the step keys, so the picture is
the same on every run. Update with ``pytest tests/tui/test_watching_snapshots.py
--snapshot-update`` and look at the pictures.
"""

from __future__ import annotations

from .conftest import SEED, pressing


def test_circle_neuron_maps_120x40(snap_compare, make_app):
    """Circle after 200 epochs with v pressed: under each hidden tanh neuron and the output
    neuron of the diagram a small map of its activation over the input plane, in the
    output view's two class colours, the output neuron's a ring like the decision map."""
    assert snap_compare(make_app("circle", seed=SEED), terminal_size=(120, 40),
                        run_before=pressing("N", "N", "v"))


def test_chain_labelled_weights_120x40(snap_compare, make_app):
    """Chain after 100 epochs: both weight lines of the 1-1-1 network labelled with their
    values (about -4 and 4.6) in the line's sign colour, the biases under the neurons."""
    assert snap_compare(make_app("chain", seed=SEED), terminal_size=(120, 40),
                        run_before=pressing("N"))
