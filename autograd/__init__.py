"""autograd: a scalar automatic-differentiation engine for learning how networks are trained.

A `Value` records the operations that compute it; `backward` runs backpropagation over that graph
in reverse topological order. See the README for the semantics in full.
"""

from autograd.backprop import grad, topological_order
from autograd.drawing import draw_graph
from autograd.explain import BackwardRow, Explanation, explain
from autograd.gradcheck import GradcheckError, gradcheck
from autograd.mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from autograd.nary import dot, sum
from autograd.render import GraphvizNotFoundError, find_dot, render
from autograd.stepthrough import step_through
from autograd.value import Value

__all__ = [
    "BackwardRow",
    "Explanation",
    "GradcheckError",
    "GraphvizNotFoundError",
    "Value",
    "detect_anomaly",
    "dot",
    "draw_graph",
    "enable_grad",
    "explain",
    "find_dot",
    "grad",
    "gradcheck",
    "is_grad_enabled",
    "no_grad",
    "render",
    "step_through",
    "sum",
    "topological_order",
]
