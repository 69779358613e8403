"""Bad input raises a clear error; detect_anomaly and gradcheck explain what went wrong."""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable

import numpy as np
import pytest

import autograd
from autograd import GradcheckError, Value, detect_anomaly, grad, gradcheck

# Each bad input class, with the type name the message must show and a word of its advice.
BAD_INPUTS = [
    pytest.param("1.5", "str", "float()", id="str"),
    pytest.param(None, "NoneType", "Pass a number", id="None"),
    pytest.param(1 + 2j, "complex", "Complex numbers are not supported", id="complex"),
    pytest.param(np.complex128(1j), "complex128", "Complex numbers", id="numpy-complex"),
    pytest.param([1.0, 2.0], "list", "one Value per element", id="list"),
    pytest.param((1.0,), "tuple", "one Value per element", id="tuple"),
    pytest.param(np.array([1.0, 2.0]), "ndarray", "one Value per element", id="array"),
    pytest.param(np.array(1.0), "ndarray", "array.item()", id="0-d-array"),
]

OPERATORS = [
    operator.add, operator.sub, operator.mul, operator.truediv, operator.pow,
]


def _expected_message(name: str, type_name: str) -> str:
    return rf"{re.escape(name)} must be a real number .*got {type_name}\b"


@pytest.mark.parametrize(("bad", "type_name", "advice"), BAD_INPUTS)
def test_bad_data(bad: object, type_name: str, advice: str) -> None:
    with pytest.raises(TypeError, match=_expected_message("Value data", type_name)) as error:
        Value(bad)

    assert advice in str(error.value)


@pytest.mark.parametrize(("bad", "type_name", "advice"), BAD_INPUTS)
@pytest.mark.parametrize("op", OPERATORS, ids=lambda op: op.__name__)
def test_bad_operand_either_side(
    op: Callable[[object, object], object], bad: object, type_name: str, advice: str
) -> None:
    x = Value(2.0)
    pattern = rf"The operand of \S+ must be a real number .*got {type_name}\b"

    with pytest.raises(TypeError, match=pattern) as right:
        op(x, bad)
    with pytest.raises(TypeError, match=pattern) as left:
        op(bad, x)

    assert advice in str(right.value)
    assert advice in str(left.value)


def test_value_as_data_suggests_detach() -> None:
    with pytest.raises(TypeError, match=r"got Value .*detach\(\)"):
        Value(Value(1.0))


def test_bad_label() -> None:
    with pytest.raises(TypeError, match=r"Value label must be a str, got int 3"):
        Value(1.0, label=3)  # type: ignore[arg-type]


def test_long_value_shortened_in_message() -> None:
    with pytest.raises(TypeError) as error:
        Value(list(range(1000)))

    assert len(str(error.value)) < 250
    assert "..." in str(error.value)


def test_bad_sum_terms() -> None:
    with pytest.raises(TypeError, match=r"A term of sum must be a real number .*got str 'a'"):
        autograd.sum([Value(1.0), "a"])
    with pytest.raises(TypeError, match=r"sum start must be a real number .*got NoneType"):
        autograd.sum([Value(1.0)], start=None)


def test_bad_dot_arguments() -> None:
    w = [Value(1.0), Value(2.0)]

    with pytest.raises(ValueError, match=r"as many weights as inputs, got 2 weights and 1 inputs"):
        autograd.dot(w, [1.0])
    with pytest.raises(TypeError, match=r"The operand of dot must be a real number .*got str"):
        autograd.dot(w, [1.0, "2"])
    with pytest.raises(TypeError, match=r"The operand of dot .*got NoneType"):
        autograd.dot(w, [1.0, 2.0], bias=None)


def test_bad_backward_gradient() -> None:
    out = Value(1.0) * 2.0

    with pytest.raises(TypeError, match=r"backward gradient must be a real number .*got str"):
        out.backward("1.0")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"backward gradient .*got NoneType"):
        out.backward(None)  # type: ignore[arg-type]


def test_bad_grad_arguments() -> None:
    x = Value(1.0)

    with pytest.raises(TypeError, match=r"grad needs a Value output, got float"):
        grad(1.0, [x])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"grad inputs must be Values, got float at index 1"):
        grad(x * 2.0, [x, 2.0])  # type: ignore[list-item]


def test_detect_anomaly_forward_message() -> None:
    x = Value(0.0, label="x")

    with pytest.raises(FloatingPointError) as error, detect_anomaly():
        x.log()

    message = str(error.value)
    assert message.startswith("log produced -inf from inputs (x=0.0)")
    assert "first non-finite value of the forward pass" in message


def test_detect_anomaly_forward_nonfinite_leaf() -> None:
    x = Value(math.inf, label="x")

    with pytest.raises(FloatingPointError) as error, detect_anomaly():
        x * 2

    message = str(error.value)
    assert message.startswith("* received a non-finite input (x=inf, 2.0) and produced inf")
    assert "first non-finite value" not in message


def test_detect_anomaly_forward_names_constant() -> None:
    x = Value(1.0, label="x")

    expected = r"/ produced inf from inputs \(x=1.0, 0.0\)"
    with pytest.raises(FloatingPointError, match=expected), detect_anomaly():
        x / 0.0


def test_detect_anomaly_forward_unlabelled_inputs() -> None:
    a, b = Value(1e308), Value(10.0)

    expected = r"\* produced inf from inputs \(1e\+308, 10.0\)"
    with pytest.raises(FloatingPointError, match=expected), detect_anomaly():
        a * b


def test_detect_anomaly_backward_message() -> None:
    # sqrt(0) is finite, but its derivative 1/(2·sqrt(0)) is inf: only the backward pass fails.
    x = Value(0.0, label="x")
    root = x.sqrt()
    root.label = "root"
    out = root * 3.0

    with pytest.raises(FloatingPointError) as error, detect_anomaly():
        out.backward()

    message = str(error.value)
    assert "backward of sqrt at node 'root' produced gradient inf for input 0 (x)" in message
    assert "upstream gradient 3.0 × local derivative inf" in message
    assert "inputs were x=0.0" in message


def test_detect_anomaly_restored_and_quiet_outside() -> None:
    with pytest.raises(FloatingPointError), detect_anomaly():
        Value(-1.0).sqrt()

    out = Value(-1.0).sqrt()
    out.backward()

    assert out.data != out.data


def test_detect_anomaly_passes_finite_graph() -> None:
    x = Value(2.0, label="x")

    with detect_anomaly():
        out = (x * x).tanh() + x.exp()
        out.backward()

    assert x.grad > 0.0


def test_gradcheck_passes() -> None:
    inputs = [Value(0.5), Value(-1.2), Value(2.0)]

    assert gradcheck(lambda a, b, c: (a * b).tanh() + c.log() * a**2 / c, inputs)
    assert [x.data for x in inputs] == [0.5, -1.2, 2.0]
    assert [x.grad for x in inputs] == [0.0, 0.0, 0.0]


def test_gradcheck_failure_message() -> None:
    # A wrong derivative on purpose: the local gradient of b is twice the true slope a.
    def wrong(a: Value, b: Value) -> Value:
        out = a * b
        if out.parents:
            out.local_grads = (out.local_grads[0], 2.0 * out.local_grads[1])
        return out

    with pytest.raises(GradcheckError) as error:
        gradcheck(wrong, [Value(3.0), Value(4.0, label="b")])

    message = str(error.value)
    assert "gradcheck failed for input 1 ('b') at data=4.0" in message
    assert "analytic gradient 6.0" in message
    assert re.search(r"numeric gradient (3\.0000|2\.9999)\d*", message)


def test_gradcheck_catches_nan_gradient() -> None:
    def nan_gradient(a: Value) -> Value:
        out = a * 1.0
        if out.parents:
            out.local_grads = (float("nan"),)
        return out

    with pytest.raises(GradcheckError, match=r"input 0 .*analytic gradient nan"):
        gradcheck(nan_gradient, [Value(1.0)])


def test_gradcheck_restores_data_on_error() -> None:
    x = Value(1.5)

    def failing(a: Value) -> Value:
        if a.data != 1.5:
            raise RuntimeError("perturbed")
        return a * 2.0

    with pytest.raises(RuntimeError, match="perturbed"):
        gradcheck(failing, [x])

    assert x.data == 1.5


def test_gradcheck_bad_arguments() -> None:
    x = Value(1.0)

    with pytest.raises(TypeError, match=r"gradcheck inputs must be Values, got float at index 1"):
        gradcheck(lambda a, b: a, [x, 1.0])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"got a single Value. Wrap it in a list"):
        gradcheck(lambda a: a, x)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"gradcheck needs fn to return a Value, got float"):
        gradcheck(lambda a: 1.0, [x])  # type: ignore[arg-type, return-value]
    for eps in (0.0, -1e-6, float("nan")):
        with pytest.raises(ValueError, match=r"gradcheck eps must be > 0"):
            gradcheck(lambda a: a, [x], eps=eps)
    with pytest.raises(ValueError, match=r"gradcheck atol must be >= 0, got -1.0"):
        gradcheck(lambda a: a, [x], atol=-1.0)


def test_gradcheck_large_input() -> None:
    # At x = 1e9, floats are 1.2e-7 apart, so x ± 1e-6 is not a step of exactly 2e-6: dividing
    # by 2e-6 gave a numeric gradient of 2.86 for the exact 3.
    assert gradcheck(lambda v: v * 3.0, [Value(1e9)])


def test_gradcheck_step_rounds_to_zero() -> None:
    with pytest.raises(ValueError, match=r"eps=1e-06 is too small for input data=1000000000000.0"):
        gradcheck(lambda v: v * 3.0, [Value(1e12)])


def test_binary_op_without_value_operand() -> None:
    with pytest.raises(TypeError, match=r"\+ needs at least one Value operand, got 2.0 and 3.0"):
        autograd.ops.add(2, 3)


def test_sum_start_value_rejected() -> None:
    v = Value(1.0)

    with pytest.raises(TypeError, match=r"sum `start` must be a constant number"):
        autograd.sum([v], start=v)


def test_gradcheck_nonfinite_numeric_hint() -> None:
    # log(1e-7 - 1e-6) is nan, so the central difference is nan.
    with pytest.raises(GradcheckError, match=r"not finite at data ± eps \(eps=1e-06\)"):
        gradcheck(lambda v: v.log(), [Value(1e-7)])

    assert gradcheck(lambda v: v.log(), [Value(1e-7)], eps=1e-10, rtol=1e-2)
