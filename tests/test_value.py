"""`Value`: construction, attributes, operators on either side, identity hashing, detach."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import Value


@pytest.mark.parametrize(
    "data",
    [3, 3.0, True, False, np.float64(3.0), np.float32(0.5), np.int64(-7), np.bool_(True), 10**20],
)
def test_real_numbers_stored_as_float(data: object) -> None:
    v = Value(data)

    assert type(v.data) is float
    assert v.data == float(data)  # type: ignore[arg-type]


def test_new_leaf_attributes() -> None:
    v = Value(2.5, label="w")

    assert v.grad == 0.0
    assert type(v.grad) is float
    assert v.label == "w"
    assert v.op == ""
    assert v.parents == ()
    assert v.local_grads == ()
    assert v.saved is None
    assert v.is_leaf


def test_result_attributes() -> None:
    a, b = Value(2.0), Value(3.0)

    out = a * b

    assert out.op == "*"
    assert out.parents == (a, b)
    assert type(out.parents) is tuple
    assert out.local_grads == (3.0, 2.0)
    assert out.label == ""
    assert not out.is_leaf


def test_parents_keep_operand_order() -> None:
    a, b = Value(2.0), Value(3.0)

    assert (b - a).parents == (b, a)
    assert (a - b).parents == (a, b)
    assert (a - b).data == -1.0
    assert (b - a).data == 1.0


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (lambda x: x + 2, 5.0),
        (lambda x: 2 + x, 5.0),
        (lambda x: x - 2, 1.0),
        (lambda x: 1 - x, -2.0),
        (lambda x: x * 2, 6.0),
        (lambda x: 2 * x, 6.0),
        (lambda x: x / 2, 1.5),
        (lambda x: 2 / x, 2.0 / 3.0),
        (lambda x: x**2, 9.0),
        (lambda x: 2**x, 8.0),
        (lambda x: x ** Value(2.0), 9.0),
        (lambda x: -x, -3.0),
        (lambda x: +x, 3.0),
        (lambda x: abs(-x), 3.0),
        (lambda x: sum([x, x, 1]), 7.0),
        (lambda x: np.float64(2.0) * x, 6.0),
        (lambda x: x * np.float64(2.0), 6.0),
        (lambda x: True + x, 4.0),
    ],
)
def test_operators_on_either_side(expression: object, expected: float) -> None:
    x = Value(3.0)

    out = expression(x)  # type: ignore[operator]

    assert isinstance(out, Value)
    assert math.isclose(out.data, expected, rel_tol=1e-15)


def test_numpy_scalar_on_left_returns_value() -> None:
    # Value opts out of ufuncs, because numpy would otherwise build an object array.
    x = Value(3.0)

    out = np.float64(2.0) + x

    assert type(out) is Value
    assert out.data == 5.0


def test_gradients_through_reflected_operators() -> None:
    x = Value(3.0)

    out = 1 - x + 2 / x + 2**x
    out.backward()

    # d/dx (1 - x + 2/x + 2^x) = -1 - 2/x² + 2^x·ln 2
    assert math.isclose(x.grad, -1.0 - 2.0 / 9.0 + 8.0 * math.log(2.0), rel_tol=1e-14)


def test_hash_by_identity() -> None:
    a, b = Value(1.0), Value(1.0)

    assert a != b
    assert len({a, b, a}) == 2
    assert {a: 1}[a] == 1
    assert hash(a) != hash(b)


def test_float_and_repr() -> None:
    v = Value(-1.25, label="b")
    v.grad = 0.5

    assert float(v) == -1.25
    assert repr(v) == "Value(data=-1.25, grad=0.5, label='b')"
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"


def test_detach_makes_new_leaf() -> None:
    x = Value(2.0, label="x")
    y = x * x

    d = y.detach()
    (d * 3.0).backward()

    assert d is not y
    assert d.is_leaf
    assert d.data == 4.0
    assert d.label == y.label
    assert d.grad == 3.0
    assert x.grad == 0.0


def test_label_settable() -> None:
    out = Value(1.0) + Value(2.0)

    out.label = "total"

    assert out.label == "total"
    assert "label='total'" in repr(out)


def test_no_instance_dict() -> None:
    # __slots__ keeps a node small, so a typo such as v.gard = 1 fails instead of adding a field.
    v = Value(1.0)

    with pytest.raises(AttributeError):
        v.gard = 1.0  # type: ignore[attr-defined]


class Parameter(Value):
    """A subclass, as a library built on the engine might define."""


def test_subclass_operands_are_values() -> None:
    a, b = Parameter(2.0), Parameter(3.0)

    product = a * b
    out = product + a / b - b**a
    out.backward()

    assert product.parents == (a, b)
    assert math.isclose(a.grad, 3.0 + 1.0 / 3.0 - 9.0 * math.log(3.0), rel_tol=1e-14)
    assert math.isclose(b.grad, 2.0 - 2.0 / 9.0 - 2.0 * 3.0, rel_tol=1e-14)


def test_subclass_in_dot_and_sum() -> None:
    import autograd

    w, x = Parameter(2.0), Parameter(5.0)

    out = autograd.sum([autograd.dot([w], [x], 1.0), w])
    out.backward()

    assert out.data == 2.0 * 5.0 + 1.0 + 2.0
    assert w.grad == 6.0
    assert x.grad == 2.0


def test_huge_integer_becomes_infinity() -> None:
    # float(10**400) raises OverflowError; IEEE rounding of an out-of-range number gives ±inf.
    assert Value(10**400).data == math.inf
    assert Value(-(10**400)).data == -math.inf
    assert (Value(2.0) + 10**400).data == math.inf
