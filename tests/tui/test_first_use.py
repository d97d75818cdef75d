"""What a new user reads on screen: states that must not mislead (finite-difference training,
divergence, the inspector's numbers) and dialogs that keep what was typed."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from core.presets import builtin_dir
from tui.screens.open_file import TargetScreen
from tui.screens.save_session import ConfirmScreen, PathScreen

from .conftest import record_notes, run_from_palette, settle, status_text, text_of, training
from .test_cli import run_cli


def gradients_title(app) -> str:
    """The gradients panel's title."""
    return str(training(app).query_one("#gradients").border_title)


async def test_F_shows_finite_difference_training_in_the_status_bar_and_gradients(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "finite differences" not in status_text(app)
        await pilot.press("F")
        await settle(pilot)
        assert "gradient descent by finite differences" in status_text(app)
        assert "finite differences" in gradients_title(app)
        await pilot.press("c")          # close the gradient check F opened
        await pilot.press("F")
        await settle(pilot)
        assert "finite differences" not in status_text(app) + gradients_title(app)
        assert training(app).math.view is None


async def test_a_divergence_notice_says_where_training_went_back_and_a_rate_that_trains(
        make_app):
    app = make_app("spiral", learning_rate=1e9)
    async with app.run_test(size=(80, 24)) as pilot:
        notes = record_notes(app)
        await pilot.press("n")
        await settle(pilot)
        notices = [message for message, _ in notes]
        snapshot = app.session.snapshot()
        assert snapshot.state == "diverged" and f"epoch {snapshot.epoch}" in status_text(app)
        rate = snapshot.suggested_learning_rate
        assert notices == [f"Training diverged at epoch 1 with learning rate 1e+09; restored "
                           f"epoch 0. Try learning rate {rate:g} or lower (l to type it), then "
                           f"space to go on or r for new weights."]
        await pilot.press("n")          # the same divergence again is said again
        await settle(pilot)
        assert len(notes) == 2 and notes[1] == notes[0]
        assert len(app._notifications) == 2       # both notices are up ...
        await pilot.press("r")
        await settle(pilot)
        assert len(app._notifications) == 0       # ... until r makes them moot


async def test_a_model_without_bias_shows_no_bias_in_the_inspector_or_gradient_check(make_app):
    app = make_app("twice")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        await settle(pilot)
        check = text_of(app, "#gradient-check")
        assert "weights" in check and "biases" not in check
        await pilot.press("c", "i")
        await settle(pilot)
        inspector = text_of(app, "#inspector")
        assert "a_1(1)[1] = " in inspector and "b(1)" not in inspector   # a(1) = a(0) w(1)


async def test_ctrl_o_then_typing_a_path_and_enter_opens_it(make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N")
        await settle(pilot)
        app.session.files.save(tmp_path / "xor-100.npz")
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("ctrl+o", *"xor-100.npz", "enter")
        await settle(pilot)
        assert app.screen is training(app)
        assert "epoch 100" in status_text(app)


async def import_csv(pilot, path: Path) -> None:
    """ctrl+o, type the CSV file's path, enter; then enter in the target chooser."""
    await pilot.press("ctrl+o")
    await pilot.pause()
    pilot.app.screen.query_one("#open-path", Input).value = str(path)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, TargetScreen)
    await pilot.press("enter")
    await pilot.pause()


async def test_a_csv_beside_an_existing_preset_may_get_another_name(make_app, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,0\n2,1\n3,0\n4,1\n")
    (tmp_path / "t.toml").write_text("mine")
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await import_csv(pilot, path)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")                          # not "replace": another name
        await pilot.pause()
        assert isinstance(app.screen, PathScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert (tmp_path / "t.toml").read_text() == "mine"
        assert app.session.preset.path == tmp_path / "t-2.toml"
        assert app.session.snapshot().preset_name == "t"


async def test_a_builtin_csv_never_writes_among_the_builtin_presets(make_app, tmp_path,
                                                                    monkeypatch):
    monkeypatch.chdir(tmp_path)
    builtin = builtin_dir() / "iris.toml"
    before = builtin.read_bytes()
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        notes = record_notes(app)
        await import_csv(pilot, builtin_dir() / "iris.csv")
        assert isinstance(app.screen, PathScreen)       # asked where, not whether to replace
        assert any("built-in presets' folder" in message for message, _ in notes)
        await pilot.press("enter")
        await settle(pilot)
        assert builtin.read_bytes() == before
        assert app.session.preset.path == tmp_path / "iris.toml"


async def test_an_exported_variant_says_so_and_p_lists_it_from_the_folder(make_app, tmp_path,
                                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")                          # new weights: the seed in use is 4
        await settle(pilot)
        app.session.editing.edit(layers=(2, 4, 1))
        await run_from_palette(pilot, "Export preset")
        await pilot.press("enter")                      # the default name, in this folder
        await settle(pilot)
        text = (tmp_path / "xor-preset.toml").read_text()
        assert 'name = "xor-variant"' in text and "seed = 4" in text
        assert "training seed 4" in text
        await pilot.press("p")
        await pilot.pause()
        listed = pilot.app.screen.query_one("#picker-list", OptionList)
        ids = [listed.get_option_at_index(i).id for i in range(listed.option_count)]
        assert ids[-1] == "xor-variant"
        listed.highlighted = len(ids) - 1
        await pilot.press("enter")
        await settle(pilot)
        snapshot = app.session.snapshot()
        assert snapshot.preset_name == "xor-variant" and snapshot.sizes == (2, 4, 1)


async def test_the_palette_exports_for_pytorch_and_asks_before_replacing(make_app, tmp_path):
    app = make_app("xor")
    folder = tmp_path / "for-torch"
    folder.mkdir()
    (folder / "model.py").write_text("old")
    async with app.run_test(size=(120, 40)) as pilot:
        notes = record_notes(app)
        await run_from_palette(pilot, "Export for PyTorch")
        assert app.screen.query_one(Input).value == "xor-torch"
        app.screen.query_one(Input).value = str(folder)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "holds files. Replace them?" in str(app.screen.query_one("#confirm-question")
                                                   .render())
        await pilot.press("y")
        await settle(pilot)
        assert sorted(p.name for p in folder.iterdir()) == ["model.py", "model.safetensors",
                                                             "sample.json"]
        assert (folder / "model.py").read_text() != "old"
        assert any("model.safetensors" in message for message, _ in notes)


def test_a_bad_learning_rate_on_the_command_line_says_what_is_expected():
    result = run_cli("xor", "--lr", "-3")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: argument --lr: expected a finite number > 0, got -3.0"


async def test_digits_inspects_a_weight_that_matters_in_short_lines(make_app):
    app = make_app("digits")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await settle(pilot)
        header = text_of(app, "#inspector").splitlines()[0]
        watched = app.session.views.watched_parameters()[0]
        assert header.startswith(f"weight w({watched[1]})[{watched[2] + 1},{watched[3] + 1}] ·")
        assert not header.startswith("weight w(1)[0,0]")     # pixel p0: always 0
        await pilot.press("left")                       # the hidden neuron it comes from
        await settle(pilot)
        lines = text_of(app, "#inspector").splitlines()
        for entries in ("σ'(z) a_", "σ'(z) w("):         # 1.6.2's and 1.6.4's numbers
            line = next(line for line in lines if entries in line)
            assert len(line) < 160 and "…" in line, line


async def test_the_inspector_opens_at_its_top_after_r_p_or_reopening(make_app):
    app = make_app("digits")
    async with app.run_test(size=(80, 24)) as pilot:
        panel = training(app).query_one("#inspector")
        for keys in (("r",), ("i", "i")):
            await pilot.press("i" if not panel.display else "n")
            await settle(pilot)
            await pilot.press("pagedown", "pagedown")
            await pilot.pause()
            assert panel.scroll_y > 0
            await pilot.press(*keys)
            await settle(pilot)
            assert panel.display and panel.scroll_y == 0


def screen_lines(app) -> list[str]:
    """The screen's rows as the terminal shows them."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def test_sine_shows_its_target_in_three_digits(make_app):
    app = make_app("sine")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        target = float(app.session.snapshot().Y_train[0, 0])
        text = "\n".join(screen_lines(app))
        assert f"y={target:.3g}" in text and f"{target:g}" not in text


async def test_the_edit_forms_checkboxes_read_differently_on_and_off(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        flag = app.screen.query_one("#field-bias")
        on = str(flag.render())
        flag.value = False
        await pilot.pause()
        assert on != str(flag.render())
        assert "✓" in on and "✓" not in str(flag.render())


async def test_the_keys_line_ends_with_the_palette_key(make_app):
    for size in ((80, 24), (100, 30)):
        app = make_app("xor")
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            assert screen_lines(app)[-1].rstrip().endswith("^p palette")


async def test_below_80x24_a_notice_says_the_terminal_is_too_small(make_app):
    for size, small in (((79, 24), True), ((80, 23), True), ((80, 24), False)):
        app = make_app("xor")
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            text = " ".join(" ".join(screen_lines(app)).split())
            assert ("The terminal is too small: backprop-tui needs at least 80 columns and 24 "
                    "rows." in text) == small
            assert ("‖ paused" in text) != small
