"""Second and higher derivatives through `grad(..., create_graph=True)`."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import pytest
from conftest import BinaryOp, UnaryOp, engine_softplus, make_program

from autograd import Value, grad, no_grad


def _sigmoid(x: float) -> float:
    return 0.5 * (1.0 + math.tanh(0.5 * x))


# f''(x) in closed form for every operation of one value.
SECOND_DERIVATIVES: dict[str, Callable[[float], float]] = {
    "neg": lambda x: 0.0,
    "abs": lambda x: 0.0,
    "exp": math.exp,
    "log": lambda x: -1.0 / x**2,
    "sqrt": lambda x: -0.25 * x**-1.5,
    "tanh": lambda x: -2.0 * math.tanh(x) * (1.0 - math.tanh(x) ** 2),
    "sigmoid": lambda x: _sigmoid(x) * (1.0 - _sigmoid(x)) * (1.0 - 2.0 * _sigmoid(x)),
    "softplus": lambda x: _sigmoid(x) * (1.0 - _sigmoid(x)),
    "relu": lambda x: 0.0,
}


def _first_derivative(function: Callable[[Value], Value], x: float) -> float:
    leaf = Value(x)
    (derivative,) = grad(function(leaf), [leaf])
    return derivative


def _second_derivative(function: Callable[[Value], Value], x: float) -> float:
    leaf = Value(x)
    (first,) = grad(function(leaf), [leaf], create_graph=True)
    (second,) = grad(first, [leaf])
    return second


def test_unary_second_derivative_closed_form(unary_op: UnaryOp, rng: random.Random) -> None:
    for _ in range(20):
        x = rng.uniform(unary_op.low, unary_op.high)

        second = _second_derivative(unary_op.engine, x)

        expected = SECOND_DERIVATIVES[unary_op.name](x)
        assert math.isclose(second, expected, rel_tol=1e-9, abs_tol=1e-12), f"at {x!r}"


def test_unary_second_derivative_by_differences(unary_op: UnaryOp, rng: random.Random) -> None:
    h = 1e-5
    for _ in range(20):
        x = rng.uniform(unary_op.low + h, unary_op.high - h)

        second = _second_derivative(unary_op.engine, x)

        above = _first_derivative(unary_op.engine, x + h)
        below = _first_derivative(unary_op.engine, x - h)
        numeric = (above - below) / (2.0 * h)
        assert math.isclose(second, numeric, rel_tol=1e-5, abs_tol=1e-6), f"at {x!r}"


def test_binary_hessian_by_differences(binary_op: BinaryOp, rng: random.Random) -> None:
    h = 1e-5
    for _ in range(20):
        point = [rng.uniform(binary_op.low, binary_op.high), rng.uniform(0.5, 2.5)]
        leaves = [Value(point[0]), Value(point[1])]
        first = grad(binary_op.engine(*leaves), leaves, create_graph=True)

        for i in range(2):
            row = grad(first[i], leaves)
            for j in range(2):
                above, below = list(point), list(point)
                above[j] += h
                below[j] -= h
                numeric = (_partial(binary_op, above, i) - _partial(binary_op, below, i)) / (2 * h)
                assert math.isclose(row[j], numeric, rel_tol=1e-5, abs_tol=1e-6), (
                    f"d²/d{i}d{j} of {binary_op.name} at {point}"
                )


def _partial(binary_op: BinaryOp, point: list[float], index: int) -> float:
    leaves = [Value(point[0]), Value(point[1])]
    return grad(binary_op.engine(*leaves), leaves)[index]


def test_second_derivative_with_constant_operand(binary_op: BinaryOp) -> None:
    # With b fixed at 2: d²/da² of a+2, a-2, 2a, a/2, a² is 0, 0, 0, 0, 2.
    expected = {"+": 0.0, "-": 0.0, "*": 0.0, "/": 0.0, "**": 2.0}
    a = Value(1.5)

    (first,) = grad(binary_op.engine(a, 2.0), [a], create_graph=True)
    (second,) = grad(first, [a])

    assert second == expected[binary_op.name]


def test_hessian_two_variables() -> None:
    # f(x, y) = x³·y + exp(x·y)
    # f_xx = 6xy + y²·e^(xy), f_xy = 3x² + e^(xy)·(1 + xy), f_yy = x²·e^(xy).
    x, y = Value(0.5), Value(-1.5)
    out = x**3 * y + (x * y).exp()

    gx, gy = grad(out, [x, y], create_graph=True)
    hessian = [grad(gx, [x, y]), grad(gy, [x, y])]

    e = math.exp(0.5 * -1.5)
    expected = [
        [6 * 0.5 * -1.5 + 1.5**2 * e, 3 * 0.25 + e * (1 + 0.5 * -1.5)],
        [3 * 0.25 + e * (1 + 0.5 * -1.5), 0.25 * e],
    ]
    for i in range(2):
        for j in range(2):
            assert math.isclose(hessian[i][j], expected[i][j], rel_tol=1e-12), (i, j)
    assert x.grad == 0.0
    assert y.grad == 0.0


def test_newton_method_finds_minimum() -> None:
    # f(x) = x³ - 2x has a local minimum where f'(x) = 3x² - 2 = 0, at x = √(2/3).
    x = Value(1.0)
    for _ in range(8):
        out = x**3 - 2 * x
        (first,) = grad(out, [x], create_graph=True)
        (second,) = grad(first, [x])
        with no_grad():
            x.data -= first.data / second

    assert math.isclose(x.data, math.sqrt(2.0 / 3.0), rel_tol=1e-14)


def test_newton_method_finds_root() -> None:
    # Newton's root iteration x ← x - f/f' on f(x) = x³ - 2x converges to √2 from x = 2.
    x = Value(2.0)
    for _ in range(10):
        out = x**3 - 2 * x
        (slope,) = grad(out, [x])
        x.data -= out.data / slope

    assert math.isclose(x.data, math.sqrt(2.0), rel_tol=1e-14)


def test_third_and_fourth_derivatives() -> None:
    x = Value(2.0)
    out = x**4

    (d1,) = grad(out, [x], create_graph=True)
    (d2,) = grad(d1, [x], create_graph=True)
    (d3,) = grad(d2, [x], create_graph=True)
    (d4,) = grad(d3, [x], create_graph=True)

    assert (d1.data, d2.data, d3.data, d4.data) == (32.0, 48.0, 48.0, 24.0)


def test_value_exponent_second_derivative() -> None:
    # d²/dy² x^y = x^y·(ln x)², and d²/dxdy x^y = x^(y-1)·(1 + y·ln x).
    x, y = Value(3.0), Value(2.0)

    _, gy = grad(x**y, [x, y], create_graph=True)
    gyx, gyy = grad(gy, [x, y])

    assert math.isclose(gyy, 9.0 * math.log(3.0) ** 2, rel_tol=1e-14)
    assert math.isclose(gyx, 3.0 * (1.0 + 2.0 * math.log(3.0)), rel_tol=1e-14)


def test_create_graph_first_derivative_matches_floats(rng: random.Random) -> None:
    for _ in range(20):
        program = make_program(rng, 3, 20)
        leaves = [Value(rng.uniform(-1.0, 1.0)) for _ in range(3)]
        out = program.evaluate(leaves, engine_softplus)

        as_values = grad(out, leaves, create_graph=True)
        as_floats = grad(out, leaves)

        for value, number in zip(as_values, as_floats):
            assert isinstance(value, Value)
            assert math.isclose(value.data, number, rel_tol=1e-12, abs_tol=1e-15)


def test_random_graph_second_derivatives_by_differences(rng: random.Random) -> None:
    h = 1e-5
    for _ in range(20):
        program = make_program(rng, 2, 15)
        point = [rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0)]
        leaves = [Value(x) for x in point]
        first = grad(program.evaluate(leaves, engine_softplus), leaves, create_graph=True)
        hessian = [grad(g, leaves) for g in first]

        for j in range(2):
            above, below = list(point), list(point)
            above[j] += h
            below[j] -= h
            gradient_above = _program_gradient(program, above)
            gradient_below = _program_gradient(program, below)
            for i in range(2):
                numeric = (gradient_above[i] - gradient_below[i]) / (2 * h)
                assert math.isclose(hessian[i][j], numeric, rel_tol=1e-4, abs_tol=1e-5), (
                    f"d²/d{i}d{j} of {program} at {point}"
                )


def _program_gradient(program: object, point: list[float]) -> tuple[float, ...]:
    leaves = [Value(x) for x in point]
    return grad(program.evaluate(leaves, engine_softplus), leaves)  # type: ignore[attr-defined]


def test_create_graph_inside_no_grad_records() -> None:
    x = Value(3.0)
    out = x**2

    with no_grad():
        (first,) = grad(out, [x], create_graph=True)

    assert not first.is_leaf
    assert grad(first, [x]) == (2.0,)


@pytest.mark.parametrize("divisor", [0.0, -0.0])
def test_create_graph_constant_zero_divisor(divisor: float) -> None:
    x = Value(2.0)

    (first,) = grad(x / divisor, [x], create_graph=True)

    assert first.data == math.copysign(math.inf, divisor)


def test_create_graph_gradient_is_new_node() -> None:
    x, y = Value(2.0, label="x"), Value(3.0, label="y")

    (dz_dx,) = grad(x * y, [x], create_graph=True)
    dz_dx.label = "dz/dx"

    assert dz_dx is not y
    assert y.label == "y"
    assert dz_dx.data == 3.0
    assert grad(dz_dx, [y]) == (1.0,)
