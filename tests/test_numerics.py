"""IEEE-754 semantics: no operation raises ArithmeticError, and the stable functions stay finite."""

from __future__ import annotations

import itertools
import math

import pytest
from conftest import EDGE_POINTS, BinaryOp, UnaryOp, same_float

from autograd import Value, numerics


def test_unary_ops_never_raise(unary_op: UnaryOp) -> None:
    for x in EDGE_POINTS:
        leaf = Value(x)
        out = unary_op.engine(leaf)
        out.backward()

        assert type(out.data) is float
        assert type(leaf.grad) is float


def test_binary_ops_never_raise(binary_op: BinaryOp) -> None:
    for a, b in itertools.product(EDGE_POINTS, repeat=2):
        left, right = Value(a), Value(b)
        for out in (binary_op.engine(left, right), binary_op.engine(a, right)):
            out.backward()
            assert type(out.data) is float


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (lambda: Value(0.0).log(), -math.inf),
        (lambda: Value(-1.0).log(), math.nan),
        (lambda: 1 / Value(0.0), math.inf),
        (lambda: -1 / Value(0.0), -math.inf),
        (lambda: 1 / Value(-0.0), -math.inf),
        (lambda: Value(0.0) / 0.0, math.nan),
        (lambda: Value(1000.0).exp(), math.inf),
        (lambda: Value(-1000.0).exp(), 0.0),
        (lambda: Value(-8.0) ** (1 / 3), math.nan),
        (lambda: Value(10.0) ** 400, math.inf),
        (lambda: Value(0.0) ** -1, math.inf),
        (lambda: Value(-1.0).sqrt(), math.nan),
        (lambda: Value(math.inf) - math.inf, math.nan),
    ],
)
def test_ieee_results(expression: object, expected: float) -> None:
    out = expression()  # type: ignore[operator]

    assert same_float(out.data, expected)


@pytest.mark.parametrize("x", [1000.0, -1000.0, 1e308, -1e308, 710.0, -745.2, 37.0, -37.0])
def test_stable_functions_finite(x: float) -> None:
    for op in (Value.sigmoid, Value.tanh, Value.softplus):
        leaf = Value(x)
        out = op(leaf)
        out.backward()

        assert math.isfinite(out.data), op.__name__
        assert math.isfinite(leaf.grad), op.__name__


def test_stable_functions_exact_at_extremes() -> None:
    assert Value(1e308).sigmoid().data == 1.0
    assert Value(-1e308).sigmoid().data == 0.0
    assert Value(1000.0).softplus().data == 1000.0
    assert Value(-1000.0).softplus().data == 0.0
    assert Value(1e308).softplus().data == 1e308
    # σ(-700) ≈ e^-700 to full relative precision, which 1 - σ(700) = 1 - 1.0 would lose.
    assert math.isclose(Value(-700.0).sigmoid().data, math.exp(-700.0), rel_tol=1e-15)
    # softplus(-700) = log1p(e^-700) ≈ e^-700, which log(1 + e^-700) would round to 0.
    assert math.isclose(Value(-700.0).softplus().data, math.exp(-700.0), rel_tol=1e-15)


def test_sigmoid_derivative_keeps_digits_near_one() -> None:
    # At x = 40, σ(x) rounds to 1.0, so out·(1 - out) would be 0. σ(x)·σ(-x) keeps e^-40.
    x = Value(40.0)

    x.sigmoid().backward()

    assert math.isclose(x.grad, math.exp(-40.0), rel_tol=1e-14)


def test_zero_upstream_times_infinite_local_is_nan() -> None:
    # No shortcut skips a zero upstream gradient: 0 × inf is nan, as in IEEE-754 and PyTorch.
    x = Value(0.0)

    out = x.log() * 0.0
    out.backward()

    assert math.isnan(x.grad)


def test_nan_propagates_through_graph() -> None:
    x = Value(math.nan)
    y = Value(2.0)

    out = (x * y).tanh() + y
    out.backward()

    assert math.isnan(out.data)
    assert math.isnan(x.grad)
    assert math.isnan(y.grad)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [(1.0, 0.0, math.inf), (-1.0, 0.0, -math.inf), (1.0, -0.0, -math.inf), (0.0, 0.0, math.nan),
     (6.0, 3.0, 2.0)],
)
def test_divide(a: float, b: float, expected: float) -> None:
    assert same_float(numerics.divide(a, b), expected)


@pytest.mark.parametrize(
    ("base", "exponent", "expected"),
    [(-8.0, 1 / 3, math.nan), (10.0, 400.0, math.inf), (0.0, -1.0, math.inf),
     (-0.0, -1.0, -math.inf), (-2.0, 3.0, -8.0), (2.0, -1100.0, 0.0), (-10.0, 401.0, -math.inf)],
)
def test_power(base: float, exponent: float, expected: float) -> None:
    assert same_float(numerics.power(base, exponent), expected)


def test_exp_log_sqrt() -> None:
    assert numerics.exp(1000.0) == math.inf
    assert numerics.log(0.0) == -math.inf
    assert numerics.log(-0.0) == -math.inf
    assert math.isnan(numerics.log(-2.0))
    assert math.isnan(numerics.sqrt(-2.0))
    assert math.copysign(1.0, numerics.sqrt(-0.0)) == -1.0


@pytest.mark.parametrize("x", [0.0, 1.5, -1.5, 30.0, -30.0, 800.0, -800.0, math.inf, -math.inf])
def test_sigmoid_pair_sums_to_one(x: float) -> None:
    s, s_of_minus_x = numerics.sigmoid_pair(x)

    assert s == numerics.sigmoid(x)
    assert math.isclose(s + s_of_minus_x, 1.0, rel_tol=1e-15)
    assert s_of_minus_x == numerics.sigmoid(-x)


def test_sign() -> None:
    signs = [numerics.sign(x) for x in (2.0, -2.0, 0.0, -0.0, math.inf)]

    assert signs == [1.0, -1.0, 0.0, 0.0, 1.0]
    assert math.isnan(numerics.sign(math.nan))


def test_softplus_of_nan_and_infinities() -> None:
    assert math.isnan(numerics.softplus(math.nan))
    assert numerics.softplus(math.inf) == math.inf
    assert numerics.softplus(-math.inf) == 0.0


@pytest.mark.parametrize(
    ("x", "exact"),
    [
        # sech² x, from mpmath at 30 digits.
        (0.5, 0.7864477329659274),
        (10.0, 8.244614455767398e-09),
        (20.0, 1.6993417021166355e-17),
        (-20.0, 1.6993417021166355e-17),
        (300.0, 1.0601586212017241e-260),
    ],
)
def test_tanh_derivative_keeps_digits(x: float, exact: float) -> None:
    # 1 - tanh² x gives 0.0 at x = 20, where tanh x rounds to 1.
    assert Value(x).tanh().local_grads[0] == pytest.approx(exact, rel=1e-14)
