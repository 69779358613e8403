"""Activation functions by name, and softmax and log-softmax built from Value operations.

Softmax and log-softmax subtract the maximum logit before exponentiating (the log-sum-exp
trick), so they stay finite for logits of any size. The maximum is subtracted as a constant:
softmax(z - c) = softmax(z) for every c, so treating it as a constant leaves every gradient exact.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from autograd import Value
from autograd import sum as value_sum

Activation = Callable[[Value], Value]


def _identity(z: Value) -> Value:
    return z


# Element-wise activations; each maps a pre-activation z to a(z).
ACTIVATIONS: dict[str, Activation] = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "softplus": Value.softplus,
    "linear": _identity,
}

# The activations a layer accepts: the element-wise ones, plus softmax across the layer.
LAYER_ACTIVATIONS = (*ACTIVATIONS, "softmax")

# The output activations of an MLP, with None meaning linear.
OUTPUT_ACTIVATIONS = (None, "linear", "sigmoid", "softmax")


def check_activation(name: object, argument: str, allowed: Sequence[object]) -> None:
    """Raise ValueError unless `name` is one of `allowed`, naming the argument and the choices."""
    if name not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"`{argument}` must be one of {choices}, got {name!r}")


def log_softmax(values: Sequence[Value]) -> list[Value]:
    """Return log softmax(z)ₖ = zₖ - log Σⱼ exp(zⱼ) for each logit, finite for any finite logits.

    d/dzⱼ log softmax(z)ₖ = [j = k] - softmax(z)ⱼ.

    Parameters
    ----------
    values : sequence of Value
        The logits z of one sample.

    Returns
    -------
    list of Value
        One log-probability per logit.

    Examples
    --------
    >>> from autograd import Value
    >>> from nn import log_softmax
    >>> [round(v.data, 6) for v in log_softmax([Value(1000.0), Value(0.0)])]
    [0.0, -1000.0]
    """
    logits = _check_logits(values, "log_softmax")
    normalizer = log_sum_exp(logits)
    return [z - normalizer for z in logits]


def softmax(values: Sequence[Value]) -> list[Value]:
    """Return softmax(z)ₖ = exp(zₖ) / Σⱼ exp(zⱼ) for each logit, computed as exp(zₖ - max z) / Σ.

    d softmax(z)ₖ / dzⱼ = softmax(z)ₖ·([j = k] - softmax(z)ⱼ), so the derivatives of one output
    with respect to all logits sum to zero.

    Parameters
    ----------
    values : sequence of Value
        The logits z of one sample.

    Returns
    -------
    list of Value
        Probabilities that sum to 1.

    Examples
    --------
    >>> from autograd import Value
    >>> from nn import softmax
    >>> [round(p.data, 4) for p in softmax([Value(1.0), Value(1.0), Value(1000.0)])]
    [0.0, 0.0, 1.0]
    """
    logits = _check_logits(values, "softmax")
    shift = _max_data(logits)
    exps = [(z - shift).exp() for z in logits]
    total = value_sum(exps)
    return [e / total for e in exps]


def log_sum_exp(logits: Sequence[Value]) -> Value:
    """Return log Σ exp(zⱼ) as m + log Σ exp(zⱼ - m) with m = max z, so no exponential overflows."""
    shift = _max_data(logits)
    total = value_sum([(z - shift).exp() for z in logits])
    return total.log() + shift


def _max_data(logits: Sequence[Value]) -> float:
    shift = max(z.data for z in logits)
    # With an infinite maximum, z - shift would be nan; shifting by 0 keeps inf - inf out.
    return shift if math.isfinite(shift) else 0.0


def _check_logits(values: Sequence[Value], function: str) -> list[Value]:
    logits = list(values)
    if not logits:
        raise ValueError(f"{function} needs at least one value, got an empty sequence")
    for index, z in enumerate(logits):
        if not isinstance(z, Value):
            raise TypeError(
                f"{function} needs Values, got {type(z).__name__} at index {index}; "
                "wrap numbers with Value(x)"
            )
    return logits
