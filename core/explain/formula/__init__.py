"""Formula answers: a learner types an expression, graded on the live network and beyond.

    key = formula_key("1.5.12")
    verdict = check_formula(key, "2(a2 - y) a2 (1 - a2) w2 a1 (1 - a1) x", state)
    verdict.correct, verdict.diagnosis, verdict.working

``parse`` reads only its grammar (numbers, the question's names, + − × ÷ ^, σ, σ', exp, Σ,
juxtaposition) and refuses anything else with a one-line ``FormulaError``; nothing a learner
types is ever run as code. ``KEYS`` lists the questions' keys; ``SLIPS`` the slips the tutor
names.
"""

from .check import FormulaVerdict, check_formula
from .diagnosis import Diagnosis
from .keys import KEYS, FormulaKey, SlipForm, formula_key
from .names import Vocabulary
from .parser import MAX_DEPTH, MAX_EXPONENT, MAX_LENGTH, FormulaError, parse
from .slips import SLIPS, Slip
from .state import RANDOM_STATES, NetworkState, random_states

__all__ = [
    "KEYS", "MAX_DEPTH", "MAX_EXPONENT", "MAX_LENGTH", "RANDOM_STATES", "SLIPS", "Diagnosis",
    "FormulaError", "FormulaKey", "FormulaVerdict", "NetworkState", "Slip", "SlipForm",
    "Vocabulary", "check_formula", "formula_key", "parse", "random_states",
]
