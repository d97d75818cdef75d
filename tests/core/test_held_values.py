"""What a lesson holds back is derived from the answer keys alone, and every way a panel
prints a held value is masked while the numbers it is worked from stay."""

from __future__ import annotations

from core.explain.notes import Question, held_values, lookup
from core.explain.numbers import num
from core.session import explain_preset


def test_a_new_question_is_held_without_new_code():
    worksheet = explain_preset("1.3")
    asked = Question("new", "What is ∂_{w2} C?", "1.3.6", "number")
    held = held_values(worksheet, [asked], answered=())
    value = worksheet.equation("1.3.6").value
    assert "1.3.6" in held.equations and held.covers(value) and held.covers(-value)
    for text in (num(value, 4), num(value, 6), f"{value:.8g}", f"= {value:.6g}  (words after)"):
        assert "?" in held.mask(text) and num(value, 4) not in held.mask(text)
    assert held_values(worksheet, [asked], answered=("new",)).magnitudes == ()


def test_a_choice_holds_the_size_of_every_option_and_a_step_its_gradient():
    worksheet = explain_preset("1.3")
    live = worksheet.live_values()
    choice = Question("c", "Which moves most?", "largest step", "choice", ("w1", "w2", "b"))
    sign = Question("s", "Up or down?", "step b", "sign")
    held = held_values(worksheet, [choice, sign], answered=())
    for name in ("w1", "w2", "b"):
        assert held.covers(lookup(f"dC/d{name}", live).value)
    assert {"1.3.5", "1.3.6", "1.3.7"} <= held.equations


def test_masking_keeps_names_equation_numbers_and_the_numbers_worked_from():
    worksheet = explain_preset("1.5")
    question = Question("q", "∂C/∂w(1)?", "1.5.12", "number")
    held = held_values(worksheet, [question], answered=())
    gradient = worksheet.equation("1.5.12").value
    line = (f"(1.5.12) ∂_{{w(1)}} C = (1/2)[0 + (-0.0337)] = {num(gradient, 6)} "
            f"(equal to ∂_{{w(1)}} C(2)), w(1)[1,1] = 0.4744, a_i(1) = 0.5")
    assert held.mask(line) == ("(1.5.12) ∂_{w(1)} C = (1/2)[0 + (-0.0337)] = ? "
                               "(equal to ∂_{w(1)} C(2)), w(1)[1,1] = 0.4744, a_i(1) = 0.5")
