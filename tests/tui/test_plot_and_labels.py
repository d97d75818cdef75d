"""What the loss plot's log axis and the diagram's labels say on screen: readable tick labels
at powers of ten, biases in one format, no bias on a model without one, labels that never
run into each other, a legend never cut inside a number."""

from __future__ import annotations

import dataclasses
import itertools
import math
import re

import numpy as np
import pytest
from rich.style import Style
from textual.color import Color
from textual.geometry import Region

from tests.tui.conftest import rendered, settle, training
from tests.tui.panel_app import XOR_X, XOR_Y, PanelApp, make_snapshot, text
from tui.widgets.canvas import Canvas, shortened
from tui.widgets.diagram import LayerDiagram
from tui.widgets.diagram_text import draw_legend
from tui.widgets.loss_plot import LossPlot
from tui.widgets.render import Palette

TICK = re.compile(r"^\s*(\S+)┤")
BRAILLE = "\u2800-\u28ff"


def screen_lines(widget) -> list[str]:
    """The widget's rows as the user sees them (border included)."""
    return [strip.text for strip in widget.render_lines(Region(0, 0, *widget.outer_size))]


def y_ticks(plot: LossPlot) -> list[tuple[int, str]]:
    """(row, label) of every labelled tick on the plot's y axis."""
    lines = [line.strip("│") for line in screen_lines(plot)]
    return [(row, match.group(1)) for row, line in enumerate(lines)
            if (match := TICK.match(line))]


def assert_decade_axis(ticks: list[tuple[int, str]]) -> None:
    """At least two labels, each at most 8 characters and a power of ten, the same number of
    decades and of rows apart."""
    assert len(ticks) >= 2, ticks
    rows, labels = zip(*ticks)
    assert all(len(label) <= 8 for label in labels), labels
    exponents = [math.log10(float(label)) for label in labels]
    assert all(abs(e - round(e)) < 1e-9 for e in exponents), labels
    assert len({round(a - b) for a, b in itertools.pairwise(exponents)}) == 1, labels
    assert len({b - a for a, b in itertools.pairwise(rows)}) == 1, ticks


async def test_log_scale_labels_twice_at_powers_of_ten(make_app):
    """On twice after 100 epochs, y: short labels at powers of ten, evenly spaced."""
    app = make_app("twice")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N")
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
        plot = training(app).query_one(LossPlot)
        ticks = y_ticks(plot)
        assert_decade_axis(ticks)
        assert plot.size.width - max(len(label) for _, label in ticks) > 40


def loss_history_snapshot(losses: np.ndarray):
    """A small snapshot whose training loss history is ``losses`` (epochs 1, 2, ...)."""
    snapshot = make_snapshot(XOR_X, XOR_Y, epochs=1)
    epochs = np.arange(1, len(losses) + 1, dtype=float)
    return dataclasses.replace(snapshot, epoch=len(losses), history_epochs=epochs,
                               history_loss=np.asarray(losses, dtype=float), loss=losses[-1])


async def test_log_scale_ticks_are_even_over_a_long_fall():
    """A loss falling from about 1 to 2e-5 (as digits' does) gets evenly spaced ticks."""
    plot = LossPlot()
    snapshot = loss_history_snapshot(np.geomspace(1.07129, 0.00002, 100))
    app = PanelApp(plot, snapshot)
    async with app.run_test(size=(58, 15)) as pilot:
        plot.log_scale = True
        await pilot.pause()
        assert_decade_axis(y_ticks(plot))


async def test_the_loss_line_ends_at_the_status_bars_loss_when_a_step_blows_up(make_app):
    """twice at learning rate 1: epoch 1 left weights whose loss is many times the loss it
    trained at; the plot reaches that far, as the status bar says."""
    app = make_app("twice")
    async with app.run_test(size=(120, 40)) as pilot:
        app.session.set_learning_rate(1.0)
        await pilot.press("n")
        await settle(pilot)
        snapshot = app.session.snapshot()
        assert snapshot.loss > 10 * snapshot.history_loss[-1]
        top = max(float(label) for _, label in y_ticks(training(app).query_one(LossPlot)))
        assert top > snapshot.loss / 2


async def test_log_scale_keeps_epochs_whose_loss_is_zero():
    """A loss that reaches exactly 0 at epoch 200 is drawn on to epoch 300, at the axis'
    bottom."""
    plot = LossPlot()
    losses = np.concatenate([np.geomspace(1.0, 1e-12, 199), np.zeros(101)])
    app = PanelApp(plot, loss_history_snapshot(losses))
    async with app.run_test(size=(60, 16)) as pilot:
        plot.log_scale = True
        await pilot.pause()
        lines = screen_lines(plot)
        assert "300" in " ".join(lines[-3:]).split()
        bottom = max(row for row, _ in y_ticks(plot))
        inside = [line.strip("│") for line in lines]
        assert re.search(f"[{BRAILLE}]┤?$|[{BRAILLE}]│?$", inside[bottom].rstrip())


async def test_a_model_without_bias_shows_no_bias_in_the_diagram(make_app):
    """twice has no bias: no ``b`` label under its output neuron."""
    app = make_app("twice")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N")
        await settle(pilot)
        shown = text(training(app).diagram)
        assert not re.search(r"\bb[+-]\d", shown)
        assert "0.00" in shown     # the neurons are drawn


async def test_biases_share_one_format():
    """Biases of -0.02, -1.1 and -15 read b-0.02, b-1.10 and b-15.0."""
    layers = [(np.ones((2, 3)), np.array([-0.02, -1.1, -15.0])), (np.ones((3, 1)), np.zeros(1))]
    snapshot = make_snapshot(XOR_X, XOR_Y, hidden=(3,), layers=layers)
    diagram = LayerDiagram()
    app = PanelApp(diagram, snapshot)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        labels = re.findall(r"b[+-][\d.e]+", text(diagram))
        assert {"b-0.02", "b-1.10", "b-15.0", "b+0.00"} == set(labels), labels


WORD = re.compile(rf"[^\s{BRAILLE}▐▌]+")
GLUED = re.compile(r"\d[-+.]?\d*[-+]\.?\d")    # two numbers run together: -5.32-0.93


@pytest.mark.parametrize("preset, room", [("moons", True), ("spiral", False)])
async def test_the_selected_weight_label_touches_no_other_label_at_80x24(make_app, preset, room):
    """At 80x24 with the inspector open, whichever weight on screen is selected, its value
    never runs into a neuron's, a bias' or a name's text: it is drawn whole where its line
    has room (moons' lines do), else left to the inspector (spiral's lines are short)."""
    app = make_app(preset)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("N")
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = training(app)
        snapshot = app.session.snapshot()
        columns = screen.diagram.geometry(snapshot, *screen.diagram.size).columns
        for l, matrix in enumerate(snapshot.weights):
            for (i, j), value in np.ndenumerate(matrix):
                if i not in columns[l].units or j not in columns[l + 1].units:
                    continue        # a unit left out for lack of rows: no line to label
                screen.selected = ("weight", l, i, j)
                await pilot.pause()
                words = WORD.findall(text(screen.diagram))
                label = f"{value:.2f}"
                assert not [word for word in words if GLUED.search(word)], words
                assert not [word for word in words if label in word and word != label]
                if room:
                    assert label in words, (words, label)


def test_the_diagram_legend_never_shows_a_count_cut_short():
    snapshot = make_snapshot(XOR_X, XOR_Y, hidden=(2,))
    grey = Color(128, 128, 128)
    palette = Palette(*[grey] * 9, classes=(grey,))
    pieces = ["sample 1/4  ", "lines w ", "━ +", " ", "━ -", "   strongest 1234 of 56789"]
    for width in range(8, len("".join(pieces)) + 3):
        canvas = Canvas(width, 3)
        draw_legend(canvas, palette, snapshot, "weights", 0, 1234, 56789)
        line = canvas.strips(Style())[-1].text.rstrip()
        fitting = [p for k, p in enumerate(pieces) if len("".join(pieces[:k + 1])) <= width]
        assert line == "".join(fitting).rstrip(), width


@pytest.mark.parametrize("preset", ["digits", "iris"])
async def test_the_panels_captions_are_whole_words_at_80x24(make_app, preset):
    app = make_app(preset)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        gradients = rendered(app, "#gradients").splitlines()[0].rstrip()
        output = rendered(app, "#output").splitlines()[0].rstrip()
    assert gradients.endswith(" + -") and gradients.startswith("‖dC/dw‖")
    assert output.endswith(("(target)", " right", "predicted", "predicted →")), output


def test_names_cut_to_fit_stay_told_apart():
    measures = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    for width in range(5, 12):
        short = shortened(measures, width)
        assert len(set(short)) == 4 and all(len(s) <= width for s in short), short
    assert shortened(["first arm", "second arm"], 6) == ["first…", "secon…"]
    assert shortened(["x1", "x2"], 6) == ["x1", "x2"]


async def test_a_short_diagram_keeps_the_samples_target_and_prediction():
    """64-32-10 in 10 rows: not every output fits, but the selected sample's target and
    predicted outputs are shown even when their weights are the weakest."""
    rng = np.random.default_rng(0)
    X, Y = rng.random((40, 64)), np.eye(10)[rng.integers(0, 10, 40)]
    snapshot = make_snapshot(X, Y, hidden=(32,), activation="relu",
                             output_activation="softmax", loss="cross_entropy")
    target, predicted = int(Y[0].argmax()), int(snapshot.activations[-1][0].argmax())
    weights = [w.copy() for w in snapshot.weights]
    weights[-1][:, [target, predicted]] = 0.0
    snapshot = dataclasses.replace(snapshot, weights=tuple(weights))
    diagram = LayerDiagram()
    async with PanelApp(diagram, snapshot).run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        kept = diagram.geometry(snapshot, *diagram.size).columns[-1].units
    assert len(kept) < 10 and {target, predicted} <= set(kept)
