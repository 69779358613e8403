"""The engine against PyTorch float64: every operation, random graphs, second derivatives.

Skipped when torch cannot be imported. Where the two differ on purpose, a comment gives the reason.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable
from typing import Any

import pytest
from conftest import EDGE_POINTS, BinaryOp, UnaryOp, engine_softplus, make_program

from autograd import Value, grad

torch = pytest.importorskip("torch")


def torch_softplus(t: Any) -> Any:
    # log(1 + e^t) exactly; torch.nn.functional.softplus returns t itself above t = 20.
    return torch.logaddexp(t, torch.zeros_like(t))


TORCH_UNARY: dict[str, Callable[[Any], Any]] = {
    "neg": lambda t: -t,
    "abs": torch.abs,
    "exp": torch.exp,
    "log": torch.log,
    "sqrt": torch.sqrt,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "softplus": torch_softplus,
    "relu": torch.relu,
}


def leaf(x: float) -> Any:
    return torch.tensor(x, dtype=torch.float64, requires_grad=True)


def agree(ours: float, theirs: float, rel: float = 1e-12, abs_tol: float = 1e-15) -> bool:
    """Return True when both are nan, equal infinities, or close."""
    if math.isnan(theirs) or math.isinf(theirs):
        return math.isnan(ours) if math.isnan(theirs) else ours == theirs
    return math.isclose(ours, theirs, rel_tol=rel, abs_tol=abs_tol)


def _unary_points(name: str) -> list[float]:
    points = list(EDGE_POINTS)
    if name == "abs":
        # PyTorch takes sign(nan) as 0, so abs has derivative 0 at nan, but the engine keeps nan.
        points = [x for x in points if not math.isnan(x)]
    if name == "softplus":
        # The gradient of torch.logaddexp at ±inf is nan (inf - inf inside), not σ(±inf).
        points = [x for x in points if math.isfinite(x) or math.isnan(x)]
    return points


def test_unary_against_torch(unary_op: UnaryOp, rng: random.Random) -> None:
    points = _unary_points(unary_op.name) + [rng.uniform(-10.0, 10.0) for _ in range(20)]
    for x in points:
        ours = Value(x)
        out = unary_op.engine(ours)
        out.backward()
        theirs = leaf(x)
        reference = TORCH_UNARY[unary_op.name](theirs)
        reference.backward()

        assert agree(out.data, reference.item()), f"{unary_op.name}({x!r})"
        assert agree(ours.grad, theirs.grad.item()), f"d{unary_op.name}({x!r})"


BINARY_POINTS = (0.0, -2.5, 0.5, 3.0, 1000.0, -1000.0, math.nan, math.inf, -math.inf)


def test_binary_against_torch(binary_op: BinaryOp) -> None:
    for a, b in itertools.product(BINARY_POINTS, repeat=2):
        left, right = Value(a), Value(b)
        out = binary_op.engine(left, right)
        out.backward()
        ta, tb = leaf(a), leaf(b)
        reference = binary_op.engine(ta, tb)
        reference.backward()

        where = f"{a!r} {binary_op.name} {b!r}"
        assert agree(out.data, reference.item()), where
        assert agree(left.grad, ta.grad.item()), f"d/da of {where}"
        assert agree(right.grad, tb.grad.item()), f"d/db of {where}"


def test_binary_with_constant_against_torch(binary_op: BinaryOp, rng: random.Random) -> None:
    for _ in range(30):
        a = rng.uniform(binary_op.low, binary_op.high)
        b = rng.choice([0.0, 2.0, -1.0, rng.uniform(-3.0, 3.0)])
        ours, theirs = Value(a), leaf(a)

        binary_op.engine(ours, b).backward()
        binary_op.engine(theirs, b).backward()

        assert agree(ours.grad, theirs.grad.item()), f"{a!r} {binary_op.name} {b!r}"


def _torch_graph(program: Any, point: list[float]) -> tuple[Any, list[Any]]:
    leaves = [leaf(x) for x in point]
    return program.evaluate(leaves, torch_softplus), leaves


def test_random_graphs_against_torch(rng: random.Random) -> None:
    for _ in range(30):
        program = make_program(rng, rng.randint(1, 4), rng.randint(5, 30))
        point = [rng.uniform(-1.5, 1.5) for _ in range(program.n_leaves)]
        ours = [Value(x) for x in point]
        out = program.evaluate(ours, engine_softplus)
        out.backward()
        reference, theirs = _torch_graph(program, point)
        reference.backward()

        assert agree(out.data, reference.item(), rel=1e-10), program
        for index, (mine, other) in enumerate(zip(ours, theirs)):
            expected = other.grad.item() if other.grad is not None else 0.0
            assert agree(mine.grad, expected, rel=1e-9, abs_tol=1e-12), f"leaf {index}: {program}"


def test_random_graph_hessians_against_torch(rng: random.Random) -> None:
    for _ in range(15):
        program = make_program(rng, 3, rng.randint(5, 20))
        point = [rng.uniform(-1.0, 1.0) for _ in range(3)]
        ours = [Value(x) for x in point]
        first = grad(program.evaluate(ours, engine_softplus), ours, create_graph=True)
        reference, theirs = _torch_graph(program, point)
        torch_first = torch.autograd.grad(reference, theirs, create_graph=True, allow_unused=True)

        for i in range(3):
            row = grad(first[i], ours)
            if torch_first[i] is None or not torch_first[i].requires_grad:
                # torch returns None for an unused input, or a constant once nothing depends on
                # the leaves: every second derivative in that row is 0.
                assert row == (0.0, 0.0, 0.0), program
                continue
            torch_row = torch.autograd.grad(
                torch_first[i], theirs, retain_graph=True, allow_unused=True
            )
            for j in range(3):
                expected = torch_row[j].item() if torch_row[j] is not None else 0.0
                assert agree(row[j], expected, rel=1e-9, abs_tol=1e-12), f"{i},{j}: {program}"


def test_second_derivatives_against_torch(unary_op: UnaryOp, rng: random.Random) -> None:
    for _ in range(10):
        x = rng.uniform(unary_op.low, unary_op.high)
        ours = Value(x)
        (first,) = grad(unary_op.engine(ours), [ours], create_graph=True)
        (second,) = grad(first, [ours])
        theirs = leaf(x)
        (torch_first,) = torch.autograd.grad(
            TORCH_UNARY[unary_op.name](theirs), [theirs], create_graph=True
        )

        if not torch_first.requires_grad:
            assert second == 0.0
            continue
        (torch_second,) = torch.autograd.grad(torch_first, [theirs], allow_unused=True)
        expected = torch_second.item() if torch_second is not None else 0.0
        assert agree(second, expected, rel=1e-10), f"{unary_op.name}'' at {x!r}"


def test_pow_with_value_exponent_against_torch() -> None:
    for a, b in [(2.0, 3.0), (0.5, -1.5), (3.0, 0.0), (0.0, 2.0), (0.0, 0.0), (-2.0, 2.0)]:
        x, y = Value(a), Value(b)
        tx, ty = leaf(a), leaf(b)
        first = grad(x**y, [x, y], create_graph=True)
        torch_first = torch.autograd.grad(tx**ty, [tx, ty], create_graph=True)

        for i in range(2):
            assert agree(first[i].data, torch_first[i].item()), (a, b, i)
