"""`gradcheck`: compare backpropagation with central differences."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from autograd.backprop import grad
from autograd.mode import no_grad
from autograd.value import Value


class GradcheckError(RuntimeError):
    """Raised by `gradcheck` when an analytic gradient does not match the numeric one."""


def gradcheck(
    fn: Callable[..., Value],
    inputs: Sequence[Value],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Check the gradients of `fn(*inputs)` against central differences.

    For each input x, the numeric gradient is (f(x + eps) - f(x - eps)) / (2·eps), computed under
    `no_grad` with the other inputs fixed. It must match the backpropagated gradient within
    atol + rtol·|numeric|. Each input's `data` is restored afterwards, even on error.

    Parameters
    ----------
    fn : callable
        Takes the inputs as positional arguments and returns a Value.
    inputs : sequence of Value
        The points at which to check the gradient.
    eps : float, default=1e-6
        The step of the central difference, absolute (not relative to x). For a large |x| the
        step is taken as float rounding makes it, and ValueError is raised if it rounds to 0.
    atol, rtol : float, default=1e-5 and 1e-3
        The absolute and relative tolerances.

    Returns
    -------
    bool
        True when every gradient matches.

    Raises
    ------
    GradcheckError
        At the first mismatch, naming the input index, the analytic and the numeric value.

    Examples
    --------
    >>> from autograd import Value, gradcheck
    >>> gradcheck(lambda x, y: (x * y).tanh(), [Value(0.5), Value(-1.5)])
    True
    """
    _check_tolerances(eps, atol, rtol)
    inputs = _check_inputs(inputs)
    output = fn(*inputs)
    if not isinstance(output, Value):
        raise TypeError(f"gradcheck needs fn to return a Value, got {type(output).__name__}")
    analytic = grad(output, inputs)

    for index, x in enumerate(inputs):
        numeric = _central_difference(fn, inputs, x, eps)
        if not abs(analytic[index] - numeric) <= atol + rtol * abs(numeric):
            label = f" ({x.label!r})" if x.label else ""
            hint = ""
            if not math.isfinite(numeric):
                hint = (
                    f". fn is not finite at data ± eps (eps={eps!r}): near the edge of its domain "
                    "(log or sqrt of a small number, say) pass a smaller eps"
                )
            raise GradcheckError(
                f"gradcheck failed for input {index}{label} at data={x.data!r}: analytic "
                f"gradient {analytic[index]!r}, numeric gradient {numeric!r}, allowed "
                f"difference atol + rtol·|numeric| = {atol + rtol * abs(numeric):.3g}{hint}"
            )
    return True


def _check_tolerances(eps: float, atol: float, rtol: float) -> None:
    # `not x > 0` also rejects nan, which would make every comparison fail.
    if not eps > 0.0:
        raise ValueError(f"gradcheck eps must be > 0, got {eps!r}. The default is 1e-6.")
    for name, tolerance in (("atol", atol), ("rtol", rtol)):
        if not tolerance >= 0.0:
            raise ValueError(f"gradcheck {name} must be >= 0, got {tolerance!r}")


def _check_inputs(inputs: Sequence[Value]) -> list[Value]:
    if isinstance(inputs, Value):
        raise TypeError(
            "gradcheck inputs must be a sequence of Values, got a single Value. "
            "Wrap it in a list: gradcheck(fn, [x])"
        )
    checked = list(inputs)
    for index, x in enumerate(checked):
        if not isinstance(x, Value):
            raise TypeError(
                f"gradcheck inputs must be Values, got {type(x).__name__} at index {index}"
            )
    return checked


def _central_difference(
    fn: Callable[..., Value], inputs: list[Value], x: Value, eps: float
) -> float:
    original = x.data
    # Floats round x ± eps, and for |x| past about 1e10 that changes the step, so the difference
    # is divided by the step actually taken.
    upper, lower = original + eps, original - eps
    try:
        with no_grad():
            x.data = upper
            above = float(fn(*inputs))
            x.data = lower
            below = float(fn(*inputs))
    finally:
        x.data = original
    if upper == lower:
        raise ValueError(
            f"gradcheck eps={eps!r} is too small for input data={original!r}: x + eps == x - eps. "
            "Pass a larger eps."
        )
    return (above - below) / (upper - lower)
