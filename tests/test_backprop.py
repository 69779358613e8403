"""Backpropagation: random graphs against central differences, accumulation, deep chains,
reference cycles, `grad` and `no_grad`."""

from __future__ import annotations

import gc
import math
import random
import sys
from collections.abc import Iterator

import pytest
from conftest import central_differences, engine_softplus, make_program, program_function

import autograd
from autograd import Value, enable_grad, grad, is_grad_enabled, no_grad, topological_order


def test_random_graphs_match_central_differences(rng: random.Random) -> None:
    for _ in range(40):
        program = make_program(rng, n_leaves=rng.randint(1, 4), n_steps=rng.randint(5, 25))
        point = [rng.uniform(-1.5, 1.5) for _ in range(program.n_leaves)]
        leaves = [Value(x) for x in point]

        out = program.evaluate(leaves, engine_softplus)
        out.backward()
        numeric = central_differences(program_function(program), point)

        # Rounding errors of a central difference grow with the size of the output.
        tolerance = 1e-6 * max(1.0, abs(out.data))
        for index, (leaf, expected) in enumerate(zip(leaves, numeric)):
            assert math.isclose(leaf.grad, expected, rel_tol=1e-5, abs_tol=tolerance), (
                f"leaf {index} of {program} at {point}: analytic {leaf.grad}, numeric {expected}"
            )


def test_grad_equals_backward_on_random_graphs(rng: random.Random) -> None:
    for _ in range(20):
        program = make_program(rng, n_leaves=3, n_steps=20)
        leaves = [Value(rng.uniform(-1.0, 1.0)) for _ in range(3)]
        out = program.evaluate(leaves, engine_softplus)

        returned = grad(out, leaves)
        out.backward()

        # The two walks may add a leaf's contributions in another order, so equal up to rounding.
        for value, leaf in zip(returned, leaves):
            assert math.isclose(value, leaf.grad, rel_tol=1e-13, abs_tol=1e-15)


def test_node_used_several_times() -> None:
    x = Value(2.0)

    out = x * x * x + x
    out.backward()

    # d/dx (x³ + x) = 3x² + 1 = 13 at x = 2: a dropped fan-out edge or `=` for `+=` gives less.
    assert out.data == 10.0
    assert x.grad == 13.0


def test_diamond() -> None:
    # x feeds a and b, which meet again in out: out = (2x)·(x + 1), d/dx = 4x + 2.
    x = Value(3.0)
    a = x * 2.0
    b = x + 1.0

    out = a * b
    out.backward()

    assert x.grad == 14.0
    assert a.grad == 4.0
    assert b.grad == 6.0


def test_backward_twice_doubles_leaves_only() -> None:
    x, y = Value(2.0), Value(-3.0)
    hidden = x * y
    out = hidden * hidden + x

    out.backward()
    first = (x.grad, y.grad, hidden.grad, out.grad)
    out.backward()

    # d/dx = 2·hidden·y + 1 = 2·(-6)·(-3) + 1 = 37, and d/dy = 2·hidden·x = -24: exact in
    # floats, so a second pass must give exactly twice as much on the leaves.
    assert first[:2] == (37.0, -24.0)
    assert x.grad == 74.0
    assert y.grad == -48.0
    assert hidden.grad == first[2] == -12.0
    assert out.grad == first[3] == 1.0


def test_interior_gradient_of_latest_pass_only() -> None:
    x = Value(1.5)
    shared = x * x
    first = shared * 3.0
    second = shared * 5.0

    first.backward()
    second.backward()

    assert shared.grad == 5.0
    assert x.grad == (3.0 + 5.0) * 2.0 * 1.5


def test_data_changed_after_forward() -> None:
    x = Value(3.0)
    out = x * x

    x.data = 100.0
    out.backward()

    # The gradient of the function evaluated at forward time: 2·3, not 2·100.
    assert x.grad == 6.0
    assert out.data == 9.0


def test_backward_seed_scales_gradients() -> None:
    x = Value(2.0)
    out = x.exp()

    out.backward(gradient=0.5)

    assert out.grad == 0.5
    assert x.grad == 0.5 * math.exp(2.0)


def test_backward_on_leaf_accumulates_seed() -> None:
    x = Value(2.0)

    x.backward()
    x.backward(3)

    assert x.grad == 4.0


@pytest.fixture
def default_recursion_limit() -> Iterator[None]:
    """Run the test at Python's default recursion limit, 1000, whatever the runner set."""
    previous_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    yield
    sys.setrecursionlimit(previous_limit)


@pytest.mark.usefixtures("default_recursion_limit")
def test_million_node_chain_backward() -> None:
    x, step = Value(0.5), Value(1.0)
    out = x
    for _ in range(1_000_000):
        out = out + step

    out.backward()

    assert x.grad == 1.0
    assert step.grad == 1_000_000.0
    # Freeing the chain must not overflow the C stack either.
    del out


@pytest.mark.usefixtures("default_recursion_limit")
def test_deep_chain_walks_without_recursion() -> None:
    x = Value(0.5)
    out = _chain(x, 50_000)

    order = topological_order(out)
    (first,) = grad(out, [x], create_graph=True)
    (second,) = grad(first, [x])

    assert len(order) == 100_001
    assert order[0] is x
    assert first.data == 1.0
    assert second == 0.0
    assert autograd.gradcheck(lambda v: _chain(v, 5_000) * 2.0, [x])


def _chain(x: Value, length: int) -> Value:
    # Two nodes per step, with derivative 1 each: the chain's derivative is exactly 1.
    out = x
    for _ in range(length):
        out = out * 1.0 + 0.0
    return out


def test_dropped_graph_leaves_no_cycles(rng: random.Random) -> None:
    gc.collect()
    gc.disable()
    try:
        before = _count_values()
        leaves = [Value(rng.uniform(-1.0, 1.0)) for _ in range(4)]
        outputs = []
        for _ in range(10):
            out = make_program(rng, 4, 30).evaluate(leaves, engine_softplus)
            out.backward()
            (first,) = grad(out, leaves[0], create_graph=True)
            (second,) = grad(first, leaves[0], create_graph=True)
            second.backward()
            outputs += [out, second]
        after_build = _count_values()
        del leaves, out, first, second, outputs
        after_drop = _count_values()
        unreachable = gc.collect()
    finally:
        gc.enable()

    # Reference counting alone freed every node, so the collector had nothing to collect.
    assert after_build > before + 500
    assert after_drop == before
    assert unreachable == 0


def _count_values() -> int:
    return sum(1 for obj in gc.get_objects() if type(obj) is Value)


def test_topological_order_puts_parents_first(rng: random.Random) -> None:
    program = make_program(rng, 3, 30)
    leaves = [Value(1.0), Value(2.0), Value(-0.5)]
    out = program.evaluate(leaves, engine_softplus)

    order = topological_order(out)
    position = {node: i for i, node in enumerate(order)}

    assert order[-1] is out
    assert len(position) == len(order)
    for node in order:
        for parent in node.parents:
            assert position[parent] < position[node]
    assert topological_order(out) == order


def test_grad_leaves_grad_untouched() -> None:
    x, y = Value(2.0), Value(5.0)
    out = x * y

    returned = grad(out, [x, y])

    assert returned == (5.0, 2.0)
    assert (x.grad, y.grad, out.grad) == (0.0, 0.0, 0.0)


def test_grad_of_unused_input_is_zero() -> None:
    x, unused = Value(2.0), Value(7.0)

    assert grad(x * 3.0, [x, unused]) == (3.0, 0.0)
    assert grad(x * 3.0, unused) == (0.0,)
    assert grad(x, x) == (1.0,)


def test_no_grad_context_records_nothing() -> None:
    x = Value(3.0)

    with no_grad():
        inside = is_grad_enabled()
        y = x * x + 1.0
        z = autograd.dot([x], [y], 0.5)

    assert not inside
    assert is_grad_enabled()
    assert y.data == 10.0
    assert z.data == 30.5
    assert y.is_leaf
    assert z.is_leaf
    assert y.saved is None


def test_no_grad_decorator() -> None:
    @no_grad()
    def square(v: Value) -> Value:
        assert not is_grad_enabled()
        return v * v

    out = square(Value(4.0))

    assert out.data == 16.0
    assert out.is_leaf
    assert is_grad_enabled()


def test_no_grad_bare_decorator() -> None:
    @no_grad
    def square(v: Value) -> Value:
        assert not is_grad_enabled()
        return v * v

    out = square(Value(4.0))

    assert out.data == 16.0
    assert out.is_leaf
    assert is_grad_enabled()
    assert square.__name__ == "square"


def test_no_grad_decorator_reentrant() -> None:
    @no_grad()
    def depth(n: int) -> int:
        return 0 if n == 0 else 1 + depth(n - 1)

    assert depth(5) == 5
    assert is_grad_enabled()


def test_no_grad_restored_after_error() -> None:
    with pytest.raises(ValueError, match="inside"), no_grad():
        raise ValueError("inside")

    assert is_grad_enabled()


def test_enable_grad_inside_no_grad() -> None:
    x = Value(2.0)

    with no_grad():
        with enable_grad():
            recorded = x * x
        not_recorded = x * x

    assert recorded.parents == (x, x)
    assert not_recorded.is_leaf


def test_update_under_no_grad_keeps_parameter_a_leaf() -> None:
    w = Value(1.0)
    loss = (w * 3.0 - 2.0) ** 2
    loss.backward()

    with no_grad():
        w.data -= 0.1 * w.grad

    # d/dw (3w - 2)² = 6(3w - 2) = 6 at w = 1.
    assert w.data == pytest.approx(0.4)
    assert w.is_leaf
