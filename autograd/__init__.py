"""autograd: a scalar automatic-differentiation engine for learning how networks are trained.

A `Value` records the operations that compute it; `backward` runs backpropagation over that graph
in reverse topological order. See the README for the semantics in full.
"""

from autograd.backprop import grad, topological_order
from autograd.gradcheck import GradcheckError, gradcheck
from autograd.mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from autograd.ops import dot, sum
from autograd.value import Value

__all__ = [
    "GradcheckError",
    "Value",
    "detect_anomaly",
    "dot",
    "enable_grad",
    "grad",
    "gradcheck",
    "is_grad_enabled",
    "no_grad",
    "sum",
    "topological_order",
]
