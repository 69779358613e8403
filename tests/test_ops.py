"""Each operation's value and local derivative against its closed form, edge points included."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from conftest import EDGE_POINTS, BinaryOp, UnaryOp, same_float

import autograd
from autograd import Value
from autograd.ops import operands, value_derivatives

# Operand pairs for the binary operations: small grids of the edge points, so every pairing of
# zero, sign, overflow and nan appears without running 256 cases per operation.
BINARY_POINTS = (0.0, -2.5, 0.5, 3.0, 1000.0, -1000.0, 1e308, math.nan, math.inf, -math.inf)


def test_unary_value_and_derivative_at_edges(unary_op: UnaryOp) -> None:
    for x in EDGE_POINTS:
        leaf = Value(x)
        out = unary_op.engine(leaf)
        out.backward()

        assert same_float(out.data, unary_op.reference(x)), f"{unary_op.name}({x!r})"
        assert same_float(leaf.grad, unary_op.derivative(x)), f"d{unary_op.name}({x!r})"


def test_binary_value_and_derivatives_at_edges(binary_op: BinaryOp) -> None:
    for a, b in itertools.product(BINARY_POINTS, repeat=2):
        left, right = Value(a), Value(b)
        out = binary_op.engine(left, right)
        out.backward()
        da, db = binary_op.derivatives(a, b)

        where = f"{a!r} {binary_op.name} {b!r}"
        assert same_float(out.data, binary_op.reference(a, b)), where
        assert same_float(left.grad, da), f"d/da of {where}"
        assert same_float(right.grad, db), f"d/db of {where}"


def test_binary_with_constant_operand(binary_op: BinaryOp) -> None:
    for a, b in itertools.product(BINARY_POINTS, repeat=2):
        da, db = binary_op.derivatives(a, b)
        where = f"{a!r} {binary_op.name} {b!r}"

        left = Value(a)
        out = binary_op.engine(left, b)
        out.backward()
        assert same_float(out.data, binary_op.reference(a, b)), where
        assert same_float(left.grad, da), f"d/da of {where}, b constant"

        right = Value(b)
        out = binary_op.engine(a, right)
        out.backward()
        assert same_float(out.data, binary_op.reference(a, b)), where
        assert same_float(right.grad, db), f"d/db of {where}, a constant"


@pytest.mark.parametrize("constant", [2, 2.0, True, np.float64(2.0), np.int32(2), np.float32(2.0)])
def test_constant_folded_into_node(binary_op: BinaryOp, constant: object) -> None:
    x = Value(3.0)

    right = binary_op.engine(x, constant)
    left = binary_op.engine(constant, x)

    for node in (right, left):
        assert node.parents == (x,)
        assert len(node.local_grads) == 1
        assert node.op == binary_op.name
    # A constant on the right is saved alone, as a float the collector does not track.
    assert right.saved == float(constant)
    assert type(right.saved) is float
    assert operands(right) == (x, float(constant))
    if binary_op.name in ("+", "*"):
        # Commutative: c + x and c * x are stored as x + c and x * c.
        assert left.saved == float(constant)
        assert operands(left) == (x, float(constant))
    else:
        assert left.saved == (float(constant), x)
        assert operands(left) == (float(constant), x)
        assert type(operands(left)[0]) is float


def test_two_value_operands_saved_none(binary_op: BinaryOp) -> None:
    a, b = Value(1.5), Value(2.0)

    out = binary_op.engine(a, b)

    assert out.parents == (a, b)
    assert out.saved is None
    assert operands(out) == (a, b)


def _value_rule_floats(out: Value) -> list[float]:
    return [float(d) for d in value_derivatives(out)]


def test_value_rules_match_unary_local_grads(unary_op: UnaryOp, rng: object) -> None:
    # Both signs and large magnitudes, where a rule written differently can lose digits.
    points = [rng.uniform(-50.0, 50.0) for _ in range(40)] + [0.3, 37.5, -37.5, 700.0]  # type: ignore[attr-defined]
    for x in points:
        out = unary_op.engine(Value(x))
        for rule, local in zip(_value_rule_floats(out), out.local_grads):
            assert same_float(rule, local, rel=1e-9), f"{unary_op.name} at {x!r}"


def test_value_rules_match_binary_local_grads(binary_op: BinaryOp, rng: object) -> None:
    for _ in range(40):
        a = rng.uniform(binary_op.low, binary_op.high)  # type: ignore[attr-defined]
        b = rng.uniform(-3.0, 3.0)  # type: ignore[attr-defined]
        for out in (
            binary_op.engine(Value(a), Value(b)),
            binary_op.engine(Value(a), b),
            binary_op.engine(a, Value(b)),
        ):
            rules = _value_rule_floats(out)
            assert len(rules) == len(out.parents)
            for rule, local in zip(rules, out.local_grads):
                assert same_float(rule, local, rel=1e-9), f"{a!r} {binary_op.name} {b!r}"


def test_value_rules_at_special_points() -> None:
    # A constant zero divisor and a zero base follow IEEE-754 and PyTorch's pow conventions.
    cases = [
        Value(2.0) / 0.0,
        Value(0.0) ** 2.0,
        Value(0.0) ** Value(0.0),
        2.0 ** Value(0.0),
        0.0 ** Value(1.5),
        Value(-8.0) ** (1.0 / 3.0),
        Value(40.0).sigmoid(),
    ]
    for out in cases:
        for rule, local in zip(_value_rule_floats(out), out.local_grads):
            assert same_float(rule, local), f"{out.op} with operands {operands(out)}"


def test_sum_node() -> None:
    a, b = Value(1.5), Value(-4.0)

    out = autograd.sum([a, 2, b, 0.25], start=10)
    out.backward()

    assert out.op == "sum"
    assert out.data == 1.5 + 2 - 4.0 + 0.25 + 10
    assert out.parents == (a, b)
    assert out.local_grads == (1.0, 1.0)
    assert out.saved == 12.25
    assert (a.grad, b.grad) == (1.0, 1.0)
    assert value_derivatives(out) == (1.0, 1.0)


def test_sum_of_one_value_twice() -> None:
    a = Value(3.0)

    out = autograd.sum([a, a, a])
    out.backward()

    assert out.data == 9.0
    assert a.grad == 3.0


def test_dot_of_values_layout() -> None:
    w = [Value(0.5), Value(-2.0)]
    x = [Value(3.0), Value(4.0)]
    bias = Value(0.25)

    out = autograd.dot(w, x, bias)
    out.backward()

    # 0.5·3 + (-2)·4 + 0.25 = 1.5 - 8 + 0.25
    assert out.data == -6.25
    assert out.parents == (*w, *x, bias)
    assert out.local_grads == (3.0, 4.0, 0.5, -2.0, 1.0)
    assert [v.grad for v in w] == [3.0, 4.0]
    assert [v.grad for v in x] == [0.5, -2.0]
    assert bias.grad == 1.0
    assert _value_rule_floats(out) == [3.0, 4.0, 0.5, -2.0, 1.0]


def test_dot_with_constant_inputs() -> None:
    w = [Value(0.5), Value(-2.0)]
    bias = Value(1.0)

    out = autograd.dot(w, [3.0, 4.0], bias)
    out.backward()

    assert out.data == 1.5 - 8.0 + 1.0
    assert out.parents == (*w, bias)
    assert [v.grad for v in w] == [3.0, 4.0]
    assert _value_rule_floats(out) == [3.0, 4.0, 1.0]


def test_dot_mixed_operands() -> None:
    w = [Value(0.5), 2]
    x = [3, Value(4.0)]

    out = autograd.dot(w, x, bias=1.5)
    out.backward()

    assert out.data == 0.5 * 3 + 2 * 4.0 + 1.5
    assert out.parents == (w[0], x[1])
    assert out.local_grads == (3.0, 2.0)
    assert (w[0].grad, x[1].grad) == (3.0, 2.0)
    assert _value_rule_floats(out) == [3.0, 2.0]


def test_dot_same_value_on_both_sides() -> None:
    # x·x: the value is a parent twice, and both edges add up to d/dx x² = 2x.
    x = Value(3.0)

    out = autograd.dot([x], [x], Value(0.0))
    out.backward()

    assert out.data == 9.0
    assert x.grad == 6.0


def test_relu_and_abs_kinks() -> None:
    for op in (Value.relu, abs):
        x = Value(0.0)
        op(x).backward()
        assert x.grad == 0.0

    nan_input = Value(math.nan)
    out = nan_input.relu()
    out.backward()
    assert math.isnan(out.data)
    assert nan_input.grad == 1.0


def test_pow_negative_base_is_nan_not_complex() -> None:
    out = Value(-8.0) ** (1.0 / 3.0)

    assert type(out.data) is float
    assert math.isnan(out.data)
