"""Hypothesis-generated inputs: closed forms, central differences and Value rules everywhere."""

from __future__ import annotations

import math
import random

from conftest import (
    BinaryOp,
    UnaryOp,
    central_differences,
    engine_softplus,
    make_program,
    program_function,
    same_float,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd import Value, grad, topological_order
from autograd.ops import value_derivatives

# Tests parametrized by an op-table fixture reuse one fixture object for all of their examples.
# The health check warns about that, but the op tables are immutable, so it is safe.
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

any_float = st.floats(allow_nan=True, allow_infinity=True)
unit = st.floats(min_value=0.0, max_value=1.0)


def _between(low: float, high: float, fraction: float) -> float:
    return low + (high - low) * fraction


@PROPERTY_SETTINGS
@given(x=any_float)
def test_unary_matches_closed_form_on_any_float(unary_op: UnaryOp, x: float) -> None:
    leaf = Value(x)
    out = unary_op.engine(leaf)
    out.backward()

    assert same_float(out.data, unary_op.reference(x), rel=1e-12)
    assert same_float(leaf.grad, unary_op.derivative(x), rel=1e-12)


@PROPERTY_SETTINGS
@given(fraction=unit)
def test_unary_matches_central_difference(unary_op: UnaryOp, fraction: float) -> None:
    x = _between(unary_op.low, unary_op.high, fraction)
    leaf = Value(x)

    (analytic,) = grad(unary_op.engine(leaf), [leaf])

    numeric = (unary_op.reference(x + 1e-6) - unary_op.reference(x - 1e-6)) / 2e-6
    assert math.isclose(analytic, numeric, rel_tol=1e-5, abs_tol=1e-6)


@PROPERTY_SETTINGS
@given(a=any_float, b=any_float)
def test_binary_matches_closed_form_on_any_floats(binary_op: BinaryOp, a: float, b: float) -> None:
    left, right = Value(a), Value(b)
    out = binary_op.engine(left, right)
    out.backward()
    da, db = binary_op.derivatives(a, b)

    assert same_float(out.data, binary_op.reference(a, b), rel=1e-12)
    assert same_float(left.grad, da, rel=1e-12)
    assert same_float(right.grad, db, rel=1e-12)


@PROPERTY_SETTINGS
@given(a=unit, b=st.floats(min_value=0.5, max_value=3.0), negative=st.booleans())
def test_binary_matches_central_differences(
    binary_op: BinaryOp, a: float, b: float, negative: bool
) -> None:
    # |b| >= 0.5 keeps the divisor away from 0, where a quotient has no derivative.
    point = [_between(binary_op.low, binary_op.high, a), -b if negative else b]
    leaves = [Value(x) for x in point]

    analytic = grad(binary_op.engine(*leaves), leaves)
    numeric = central_differences(lambda p: binary_op.reference(p[0], p[1]), point)

    for i in range(2):
        assert math.isclose(analytic[i], numeric[i], rel_tol=1e-5, abs_tol=1e-6), i


@PROPERTY_SETTINGS
@given(x=st.floats(min_value=-700.0, max_value=700.0))
def test_unary_value_rule_matches_local_grad(unary_op: UnaryOp, x: float) -> None:
    out = unary_op.engine(Value(x))

    (rule,) = value_derivatives(out)

    assert same_float(float(rule), out.local_grads[0], rel=1e-9)


@PROPERTY_SETTINGS
@given(a=st.floats(-100.0, 100.0), b=st.floats(-5.0, 5.0))
def test_binary_value_rules_match_local_grads(binary_op: BinaryOp, a: float, b: float) -> None:
    for out in (
        binary_op.engine(Value(a), Value(b)),
        binary_op.engine(Value(a), b),
        binary_op.engine(a, Value(b)),
    ):
        rules = value_derivatives(out)
        assert len(rules) == len(out.local_grads)
        for rule, local in zip(rules, out.local_grads):
            assert same_float(float(rule), local, rel=1e-9)


graph_seeds = st.integers(min_value=0, max_value=2**32 - 1)


@settings(max_examples=60, deadline=None)
@given(seed=graph_seeds, data=st.data())
def test_random_graph_matches_central_differences(seed: int, data: st.DataObject) -> None:
    rng = random.Random(seed)
    program = make_program(rng, rng.randint(1, 4), rng.randint(3, 25))
    point = data.draw(st.lists(st.floats(-1.5, 1.5), min_size=program.n_leaves,
                               max_size=program.n_leaves))
    leaves = [Value(x) for x in point]

    out = program.evaluate(leaves, engine_softplus)
    out.backward()
    numeric = central_differences(program_function(program), point)

    # Rounding errors of a central difference grow with the size of the output.
    tolerance = 1e-6 * max(1.0, abs(out.data))
    for leaf, expected in zip(leaves, numeric):
        assert math.isclose(leaf.grad, expected, rel_tol=1e-5, abs_tol=tolerance)


@settings(max_examples=60, deadline=None)
@given(seed=graph_seeds)
def test_random_graph_value_rules_match(seed: int) -> None:
    rng = random.Random(seed)
    program = make_program(rng, 3, 25)
    out = program.evaluate([Value(rng.uniform(-2.0, 2.0)) for _ in range(3)], engine_softplus)

    for node in topological_order(out):
        if node.parents:
            rules = value_derivatives(node)
            assert len(rules) == len(node.parents), node.op
            for rule, local in zip(rules, node.local_grads):
                assert same_float(float(rule), local, rel=1e-9), node.op
