"""The math made visible: the chain rule with live numbers, the cost landscape, and one
batch of training taken apart."""

from .chain_rule import (
    TERMS_SHOWN,
    GradientReport,
    NeuronReport,
    bias_report,
    neuron_report,
    weight_report,
)
from .cost_landscape import (
    Param,
    contour_cells,
    contour_levels,
    cost_curve,
    cost_surface,
    default_range,
    locate,
    partial_derivatives,
    value_of,
)
from .math_views import (
    MAX_LANDSCAPE_SIZE,
    CostLandscape,
    SteppedBatch,
    StepThrough,
    all_parameters,
    check_parameters,
    cost_landscape,
    default_parameters,
    param_name,
)
from .step_through import PHASES, BatchStepper, Step

__all__ = [
    "MAX_LANDSCAPE_SIZE", "PHASES", "TERMS_SHOWN",
    "BatchStepper",
    "CostLandscape", "GradientReport", "NeuronReport", "Param", "Step", "StepThrough",
    "SteppedBatch", "all_parameters", "bias_report", "check_parameters", "contour_cells",
    "contour_levels", "cost_curve", "cost_landscape", "cost_surface", "default_parameters",
    "default_range", "locate", "neuron_report", "param_name", "partial_derivatives",
    "value_of", "weight_report",
]
