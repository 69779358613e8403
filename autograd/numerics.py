"""IEEE-754 versions of the few `math` functions that raise instead of returning inf or nan.

Python's `math` raises ValueError, OverflowError or ZeroDivisionError where numpy and PyTorch
return an IEEE value (log(0) is -inf, exp(1000) is inf, 1/0 is inf). Each function here tries the
fast `math` call first and, only when it raises, computes the IEEE result with numpy, so the happy
path costs nothing extra.
"""

from __future__ import annotations

import math

import numpy as np


def _numpy_ieee(function: np.ufunc, *args: float) -> float:
    with np.errstate(all="ignore"):
        return float(function(*(np.float64(a) for a in args)))


def divide(a: float, b: float) -> float:
    """Return a / b, giving ±inf or nan for a zero divisor as IEEE-754 does."""
    try:
        return a / b
    except ZeroDivisionError:
        return _numpy_ieee(np.divide, a, b)


def power(base: float, exponent: float) -> float:
    """Return base ** exponent as a real number: nan for a negative base to a fractional power."""
    try:
        return math.pow(base, exponent)
    except (ValueError, OverflowError):
        return _numpy_ieee(np.power, base, exponent)


def exp(x: float) -> float:
    """Return e ** x, inf when it overflows."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def log(x: float) -> float:
    """Return the natural logarithm: -inf at 0, nan below 0."""
    try:
        return math.log(x)
    except ValueError:
        return _numpy_ieee(np.log, x)


def sqrt(x: float) -> float:
    """Return the square root: nan below 0 (and -0.0 at -0.0)."""
    try:
        return math.sqrt(x)
    except ValueError:
        return math.nan


def sigmoid(x: float) -> float:
    """Return 1 / (1 + e**-x), branching on the sign of x so that no exponential overflows."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def sigmoid_pair(x: float) -> tuple[float, float]:
    """Return (σ(x), σ(-x)) from one exponential. σ(-x) = 1 - σ(x), without the cancellation."""
    if x >= 0.0:
        e = math.exp(-x)
        return 1.0 / (1.0 + e), e / (1.0 + e)
    e = math.exp(x)
    return e / (1.0 + e), 1.0 / (1.0 + e)


def tanh_derivative(x: float) -> float:
    """Return 1 - tanh² x as 4e/(1 + e)² with e = e**-2|x|, which keeps its digits for large |x|.

    1 - tanh² x computed directly loses all of them once tanh x rounds to ±1 (|x| above about 19).
    """
    e = math.exp(-2.0 * abs(x))
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


def softplus(x: float) -> float:
    """Return log(1 + e**x) as max(x, 0) + log1p(e**-|x|), finite for every finite x."""
    if x != x:
        return x
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def sign(x: float) -> float:
    """Return -1.0, 0.0 or 1.0 by the sign of x (0.0 at ±0), and nan for nan."""
    if x > 0.0:
        return 1.0
    if x < 0.0:
        return -1.0
    if x == 0.0:
        return 0.0
    return math.nan
