"""Lessons 2.1-2.4 in the app: --lesson 2.3 opens on its preset with its live worksheet, the
list of lessons groups the notes' lessons and ours under two headings, and , and . cross
between 1.7 and 2.1 in both directions, each lesson on its own preset; in 2.1, p highlights
the paths of one first-layer weight after another on the diagram."""

from __future__ import annotations

import re

from rich.style import Style
from textual.color import Color
from textual.widgets import OptionList

import tui.__main__ as cli
from tui.screens.lesson import LessonScreen
from tui.widgets.canvas import Canvas
from tui.widgets.diagram import LayerDiagram
from tui.widgets.diagram_lines import draw_weight_lines
from tui.widgets.render import Palette

from .conftest import record_notes
from .lesson_pilot import settled


async def test_lesson_2_3_opens_from_the_command_line_and_steps_across_the_notes_end():
    app = cli.build_app(cli.build_parser().parse_args(["--lesson", "2.3", "--seed", "3"]))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await settled(pilot)
            assert isinstance(screen, LessonScreen) and screen.lesson.section == "2.3"
            assert app.session.preset.name == "xor"
            assert "(2.3.1)" in screen.worksheet_view.text
            seen = []
            for key in ("comma", "comma", "comma", "full_stop", "full_stop"):
                await pilot.press(key)
                screen = await settled(pilot)
                assert screen.worksheet is not None, screen.worksheet_view.text
                seen.append((screen.lesson.section, app.session.preset.name))
            assert seen == [("2.2", "xor"), ("2.1", "fork"), ("1.7", "xor"), ("2.1", "fork"),
                            ("2.2", "xor")]
            assert "(2.2.1)" in screen.worksheet_view.text
    finally:
        app.close_session()


async def test_the_list_of_lessons_has_the_notes_then_ours_under_headings(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        shown = [options.get_option_at_index(i) for i in range(options.option_count)]
        headings = [str(o.prompt) for o in shown if o.disabled]
        assert headings == ["The notes (1.0-1.7)", "Beyond the notes (2.1-2.4)"]
        assert [o.id for o in shown] == [None, *(f"1.{k}" for k in range(8)), None,
                                         *(f"2.{k}" for k in range(1, 5))]
        await pilot.press("end", "enter")
        screen = await settled(pilot)
        assert isinstance(screen, LessonScreen) and screen.lesson.section == "2.4"
        assert app.session.preset.name == "deep-chain"
        assert "(2.4.1)" in screen.worksheet_view.text


def accent_weights(diagram: LayerDiagram) -> tuple[set, set]:
    """Which weights (l, i, j) the diagram draws in the accent colour, judged where a line's
    cells touch no other line: (those in accent, those that could be judged)."""
    geometry = diagram.geometry(diagram.snapshot, *diagram.size)
    accent = Palette.of(diagram).accent.rgb
    colours = {}
    for y in range(diagram.size.height):
        x = 0
        for segment in diagram.render_line(y):
            colour = segment.style.color if segment.style else None
            for _ in segment.text:
                colours[x, y] = colour.triplet if colour and colour.triplet else None
                x += 1
    owners: dict[tuple[int, int], set] = {}
    for l, (source, target) in enumerate(zip(geometry.columns, geometry.columns[1:])):
        for weight in ((l, i, j) for i in source.units for j in target.units):
            alone = Canvas(*diagram.size)
            draw_weight_lines(alone, geometry, [weight], Color(255, 255, 255))
            for y, strip in enumerate(alone.strips(Style())):
                for x, char in enumerate(strip.text):
                    if char != " ":
                        owners.setdefault((x, y), set()).add(weight)
    lit, judged = set(), set()
    for cell, weights in owners.items():
        if len(weights) == 1:
            judged |= weights
            if colours.get(cell) is not None and tuple(colours[cell]) == accent:
                lit |= weights
    return lit, judged


def accent_hidden_units(diagram: LayerDiagram) -> set[int]:
    """The hidden neurons whose box the diagram fills with the accent colour."""
    geometry = diagram.geometry(diagram.snapshot, *diagram.size)
    accent = Palette.of(diagram).accent.rgb
    column = geometry.columns[1]
    found = set()
    for unit, row in zip(column.units, column.rows):
        cells = diagram.render_line(row).crop(column.x, column.x + 1)
        background = next(iter(cells)).style.bgcolor
        if background is not None and tuple(background.triplet) == accent:
            found.add(unit)
    return found


async def test_p_in_lesson_2_1_highlights_the_paths_of_each_first_layer_weight_in_turn():
    app = cli.build_app(cli.build_parser().parse_args(["--lesson", "2.1", "--seed", "3"]))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await settled(pilot)
            diagram = screen.query_one(LayerDiagram)
            before = re.findall(r"-?\d+\.\d+|\?", "\n".join(
                diagram.render_line(y).text for y in range(diagram.size.height)))
            lit, judged = accent_weights(diagram)
            assert lit == set() and len(judged) == 8 and accent_hidden_units(diagram) == set()
            for i, j in ((0, 0), (0, 1), (1, 0), (1, 1), (0, 0)):
                await pilot.press("p")
                await pilot.pause()
                expected = {(0, i, j), (1, j, 0), (1, j, 1)}
                assert accent_weights(diagram) == (expected, judged)
                assert accent_hidden_units(diagram) == {j}
                assert diagram.border_subtitle.startswith(
                    f"paths of w(1)[{i + 1},{j + 1}]: through output 1 and output 2")
            shown = "\n".join(diagram.render_line(y).text for y in range(diagram.size.height))
            assert re.findall(r"-?\d+\.\d+|\?", shown) == before
            await pilot.press("full_stop")
            screen = await settled(pilot)
            assert screen.lesson.section == "2.2"
            assert accent_weights(screen.query_one(LayerDiagram))[0] == set()
            notes = record_notes(app)
            await pilot.press("p")
            await pilot.pause()
            assert notes == [("Paths are lesson 2.1's: press t to open it.", "information")]
    finally:
        app.close_session()
