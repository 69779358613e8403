"""Shared fixtures of the engine tests: fixed seeds, closed-form op tables, random graphs.

The op tables pair each engine operation with an independent float reference (numpy, whose IEEE
arithmetic returns inf and nan where `math` raises) and the closed form of its derivative.
Tests that request the fixture `unary_op` or `binary_op` run once per row.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

import autograd
from autograd import Value

SEED = 20261204

# Points where an implementation most often goes wrong: zeros of both signs, negative numbers,
# kinks, values whose exponential overflows, the largest floats, nan and infinities.
EDGE_POINTS = (
    0.0, -0.0, 0.5, -2.5, 1.0, -1.0, 3.0, 40.0, -40.0, 1000.0, -1000.0, 1e308, -1e308,
    math.nan, math.inf, -math.inf,
)


def ieee(function: Callable[..., Any], *args: float) -> float:
    """Evaluate a numpy expression on float64 scalars, with IEEE results instead of warnings."""
    with np.errstate(all="ignore"):
        return float(function(*(np.float64(a) for a in args)))


def _sigmoid(x: np.float64) -> np.float64:
    # exp(-|x|) never overflows. The two branches are σ(x) for x >= 0 and for x < 0.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_derivative(x: np.float64) -> np.float64:
    # σ'(x) = σ(x)·σ(-x) = e^-|x| / (1 + e^-|x|)², symmetric in x.
    e = np.exp(-np.abs(x))
    return e / (1.0 + e) ** 2


def _relu_derivative(x: np.float64) -> np.float64:
    # 0 at the kink and below; nan takes the x > 0 branch, as in PyTorch.
    return np.where(x <= 0, 0.0, 1.0)


@dataclass(frozen=True)
class UnaryOp:
    """An engine operation of one Value, its float reference and its derivative."""

    name: str
    engine: Callable[[Value], Value]
    reference: Callable[[float], float]
    derivative: Callable[[float], float]
    # Inputs where the function is smooth, for random tests against central differences.
    low: float
    high: float

    def __repr__(self) -> str:
        return self.name


@dataclass(frozen=True)
class BinaryOp:
    """An engine operation of two operands, its float reference and both partial derivatives."""

    name: str
    engine: Callable[[Any, Any], Value]
    reference: Callable[[float, float], float]
    derivatives: Callable[[float, float], tuple[float, float]]
    low: float
    high: float

    def __repr__(self) -> str:
        return self.name


def _pow_derivatives(a: float, b: float) -> tuple[float, float]:
    # d/da = b·a^(b-1), taken as 0 where b = 0, and d/db = a^b·log a, taken as 0 where a = 0 and
    # b >= 0. These are PyTorch's conventions, so that x ** 0 and 0 ** y have finite gradients.
    da = 0.0 if b == 0.0 else b * _power(a, b - 1.0)
    db = 0.0 if a == 0.0 and b >= 0.0 else _power(a, b) * ieee(np.log, a)
    return da, db


UNARY_OPS = (
    UnaryOp("neg", lambda v: -v, lambda x: -x, lambda x: -1.0, -5.0, 5.0),
    UnaryOp("abs", abs, abs, lambda x: ieee(np.sign, x), 0.1, 5.0),
    UnaryOp("exp", Value.exp, lambda x: ieee(np.exp, x), lambda x: ieee(np.exp, x), -5.0, 5.0),
    UnaryOp(
        "log", Value.log, lambda x: ieee(np.log, x), lambda x: ieee(np.reciprocal, x), 0.1, 5.0,
    ),
    UnaryOp(
        "sqrt", Value.sqrt, lambda x: ieee(np.sqrt, x),
        lambda x: ieee(lambda y: 0.5 / np.sqrt(y), x), 0.1, 5.0,
    ),
    UnaryOp(
        "tanh", Value.tanh, lambda x: ieee(np.tanh, x),
        lambda x: ieee(lambda y: 1.0 / np.cosh(y) ** 2, x), -5.0, 5.0,
    ),
    UnaryOp(
        "sigmoid", Value.sigmoid, lambda x: ieee(_sigmoid, x),
        lambda x: ieee(_sigmoid_derivative, x), -8.0, 8.0,
    ),
    UnaryOp(
        "softplus", Value.softplus, lambda x: ieee(lambda y: np.logaddexp(y, 0.0), x),
        lambda x: ieee(_sigmoid, x), -8.0, 8.0,
    ),
    UnaryOp(
        "relu", Value.relu, lambda x: ieee(lambda y: np.where(y <= 0, 0.0, y), x),
        lambda x: ieee(_relu_derivative, x), 0.1, 5.0,
    ),
)

def _power(a: float, b: float) -> float:
    # numpy 2.4 returns nan for (-inf) ** 0.5, but C99 pow, math.pow and PyTorch 2.13 return inf.
    if a == -math.inf and b > 0.0 and not b.is_integer():
        return math.inf
    return ieee(np.power, a, b)


BINARY_OPS = (
    BinaryOp(
        "+", lambda a, b: a + b, lambda a, b: ieee(np.add, a, b),
        lambda a, b: (1.0, 1.0), -5.0, 5.0,
    ),
    BinaryOp(
        "-", lambda a, b: a - b, lambda a, b: ieee(np.subtract, a, b),
        lambda a, b: (1.0, -1.0), -5.0, 5.0,
    ),
    BinaryOp("*", lambda a, b: a * b, lambda a, b: ieee(np.multiply, a, b), lambda a, b: (b, a),
             -5.0, 5.0),
    BinaryOp(
        "/", lambda a, b: a / b, lambda a, b: ieee(np.divide, a, b),
        lambda a, b: (ieee(np.reciprocal, b), ieee(lambda x, y: -x / y / y, a, b)), 0.5, 5.0,
    ),
    BinaryOp(
        "**", lambda a, b: a**b, _power, _pow_derivatives, 0.5, 3.0,
    ),
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run a test once per table row when it requests `unary_op` or `binary_op`."""
    if "unary_op" in metafunc.fixturenames:
        metafunc.parametrize("unary_op", UNARY_OPS, ids=[op.name for op in UNARY_OPS])
    if "binary_op" in metafunc.fixturenames:
        metafunc.parametrize("binary_op", BINARY_OPS, ids=[op.name for op in BINARY_OPS])


def same_float(actual: float, expected: float, rel: float = 1e-12) -> bool:
    """Return True when both are nan, both the same infinity, or close within `rel`."""
    if math.isnan(expected) or math.isinf(expected):
        return math.isnan(actual) if math.isnan(expected) else actual == expected
    return math.isclose(actual, expected, rel_tol=rel, abs_tol=1e-300)


@pytest.fixture
def rng() -> random.Random:
    """A random generator with a fixed seed, so a failure can be replayed."""
    return random.Random(SEED)


# Random expression graphs. A program is a list of steps that each apply an operation to earlier
# entries of a growing pool, so the same program runs on engine Values, perturbed copies for
# central differences, and PyTorch tensors.

Step = tuple[str, int, int]

STEP_KINDS = (
    "+", "-", "*", "ratio", "square", "power", "tanh", "sigmoid", "softplus", "exp_tanh", "dot",
    "affine",
)


@dataclass(frozen=True)
class GraphProgram:
    """A random expression graph over `n_leaves` inputs: shared subexpressions, fan-in, diamonds."""

    n_leaves: int
    steps: tuple[Step, ...]
    # The output is the sum of these pool entries, so several paths meet at the root.
    outputs: tuple[int, ...]

    def evaluate(self, leaves: Sequence[Any], softplus: Callable[[Any], Any]) -> Any:
        """Evaluate on Values or tensors; `softplus` is the backend's softplus function."""
        pool = list(leaves)
        for kind, i, j in self.steps:
            a, b = pool[i], pool[j]
            pool.append(_apply(kind, a, b, softplus))
        total = pool[self.outputs[0]]
        for index in self.outputs[1:]:
            total = total + pool[index]
        return total


def _apply(kind: str, a: Any, b: Any, softplus: Callable[[Any], Any]) -> Any:
    # Every step is smooth, and its result is at most 3·max(|a|, |b|) + 3 in size, so values
    # stay moderate and central differences stay accurate.
    if kind == "+":
        return a + b
    if kind == "-":
        return a - b
    if kind == "*":
        return a * b.tanh()
    if kind == "ratio":
        return a / (1.0 + b * b)
    if kind == "square":
        return a.tanh() ** 2
    if kind == "power":
        # A Value base in (0.5, 1.5) to a Value exponent in (-1, 1).
        return (a.sigmoid() + 0.5) ** b.tanh()
    if kind == "tanh":
        return (a + b).tanh()
    if kind == "sigmoid":
        return (a * b).sigmoid()
    if kind == "softplus":
        return softplus(a - b)
    if kind == "exp_tanh":
        return a.tanh().exp()
    if kind == "dot":
        if isinstance(a, Value):
            return autograd.dot([a, b], [b.tanh(), a.tanh()], a)
        return a * b.tanh() + b * a.tanh() + a
    if isinstance(a, Value):
        return autograd.dot([a, 0.5], [2.0, b], 1.0)
    return a * 2.0 + 0.5 * b + 1.0


def make_program(rng: random.Random, n_leaves: int, n_steps: int) -> GraphProgram:
    """Draw a random program. Operands come mostly from recent entries, which builds depth, and
    sometimes from any earlier entry, which shares subexpressions and closes diamonds."""
    steps: list[Step] = []
    size = n_leaves
    for _ in range(n_steps):
        kind = rng.choice(STEP_KINDS)
        i = size - 1 - rng.randrange(min(size, 3)) if rng.random() < 0.7 else rng.randrange(size)
        j = rng.randrange(size)
        steps.append((kind, i, j))
        size += 1
    count = rng.randint(1, min(4, size))
    outputs = tuple(rng.sample(range(size), count))
    return GraphProgram(n_leaves, tuple(steps), outputs)


def engine_softplus(v: Value) -> Value:
    """The engine's softplus, in the form `GraphProgram.evaluate` takes."""
    return v.softplus()


def central_differences(
    function: Callable[[Sequence[float]], float], point: Sequence[float], eps: float = 1e-6
) -> list[float]:
    """Return (f(x + eps·eᵢ) - f(x - eps·eᵢ)) / (2·eps) for each coordinate i."""
    gradient = []
    for i in range(len(point)):
        above = list(point)
        below = list(point)
        above[i] += eps
        below[i] -= eps
        gradient.append((function(above) - function(below)) / (2.0 * eps))
    return gradient


def program_function(program: GraphProgram) -> Callable[[Sequence[float]], float]:
    """Return the program as a function of plain floats, evaluated by the engine's forward pass."""

    def function(point: Sequence[float]) -> float:
        with autograd.no_grad():
            return float(program.evaluate([Value(x) for x in point], engine_softplus))

    return function
