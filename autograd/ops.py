"""The operations of one or two values, each with its local derivative written twice, side by side.

Every operation computes its result and its local derivatives d(out)/d(parent) as floats in the
forward pass; `backward` only multiplies and adds those floats. Below each operation, a rule
registered in `VALUE_RULES` writes the same derivatives with Value arithmetic, so that
`grad(..., create_graph=True)` can build a graph of the gradient and differentiate it again.

A constant operand (int, float, bool or numpy scalar) is folded into the node instead of being
wrapped in a leaf Value, and the node's `saved` keeps what its Value rule needs:
- a binary node with two Value operands: None;
- a binary node with a constant right operand (x - 2; also 2 + x and 2 * x, stored as x + 2 and
  x * 2): the constant alone, a float;
- a binary node with a constant left operand (2 - x, 2 / x, 2 ** x): the operand tuple (2.0, x);
- "sum": the sum of the constant terms, a float;
- "dot": None for constant inputs, the number of weights (an int) when weights and inputs are
  all Values, else the tuple of each parent's factor.
`operands(node)` here and `autograd.nary.dot_partners(node)` decode these forms. The
operations of many values, `sum` and `dot`, are in `autograd.nary`.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable
from typing import Union

from autograd import numerics
from autograd.value import Value, as_float, new_node

Operand = Union[Value, float]
Rule = Callable[[Value], tuple[Union[Value, float], ...]]

VALUE_RULES: dict[str, Rule] = {}


def rule(op: str) -> Callable[[Rule], Rule]:
    """Register the Value form of an operation's local derivatives."""

    def register(function: Rule) -> Rule:
        VALUE_RULES[op] = function
        return function

    return register


def value_derivatives(out: Value) -> tuple[Value | float, ...]:
    """Return d(out)/d(parent) for each parent of `out`, as Values (or constant floats)."""
    return VALUE_RULES[out.op](out)


def as_operand(x: object, op: str) -> Operand:
    """Return a Value as it is and a real number as a float, or raise TypeError naming `op`."""
    if type(x) is Value or type(x) is float:
        return x
    if isinstance(x, Value):
        return x
    return as_float(x, f"The operand of {op}")


def data_of(x: Operand) -> float:
    """Return the number an operand stands for: a Value's data, or the constant itself."""
    return x.data if isinstance(x, Value) else x


def _binary(op: str, a: Operand, b: Operand, data: float, da: float, db: float) -> Value:
    """Build the node of a binary operation, folding a constant operand into `saved`.

    With the constant on the right (x - 2), `saved` is the constant alone, a float that the
    cyclic collector does not track. With it on the left (2 - x), `saved` is the operand tuple.
    """
    if isinstance(a, Value):
        if isinstance(b, Value):
            return new_node(data, op, (a, b), (da, db))
        return new_node(data, op, (a,), (da,), b)
    if not isinstance(b, Value):
        raise TypeError(f"{op} needs at least one Value operand, got {a!r} and {b!r}")
    return new_node(data, op, (b,), (db,), (a, b))


def operands(out: Value) -> tuple[Operand, ...]:
    """Return the operands of a binary node in order, constants included.

    Examples
    --------
    >>> from autograd import Value
    >>> x = Value(3.0)
    >>> operands(x - 2), operands(2 - x) == (2.0, x)
    ((Value(data=3.0, grad=0.0), 2.0), True)
    """
    saved = out.saved
    if saved is None:
        return out.parents
    if isinstance(saved, tuple):
        return saved
    return (out.parents[0], saved)  # type: ignore[return-value]


def constant_rule(out: Value) -> tuple[float, ...]:
    """Return `local_grads`: the Value rule of an operation whose derivatives are constants."""
    return out.local_grads


# Sums and differences.


def add(a: object, b: object) -> Value:
    """a + b. d/da = 1, d/db = 1."""
    if type(a) is Value and type(b) is Value:
        # The common case, without operand checks. A literal tuple of constants is one shared
        # object, so no tuple is allocated for the local derivatives.
        return new_node(a.data + b.data, "+", (a, b), (1.0, 1.0))
    if type(b) is Value:
        # c + x is stored as x + c: the caption, the value and the derivative are the same.
        a, b = b, a
    b = as_operand(b, "+")
    if type(a) is Value and type(b) is float:
        return new_node(a.data + b, "+", (a,), (1.0,), b)
    a = as_operand(a, "+")
    return _binary("+", a, b, data_of(a) + data_of(b), 1.0, 1.0)


rule("+")(constant_rule)


def sub(a: object, b: object) -> Value:
    """a - b. d/da = 1, d/db = -1."""
    if type(a) is Value and type(b) is Value:
        return new_node(a.data - b.data, "-", (a, b), (1.0, -1.0))
    a, b = as_operand(a, "-"), as_operand(b, "-")
    if type(a) is Value and type(b) is float:
        return new_node(a.data - b, "-", (a,), (1.0,), b)
    return _binary("-", a, b, data_of(a) - data_of(b), 1.0, -1.0)


rule("-")(constant_rule)


def neg(a: Value) -> Value:
    """-a. d/da = -1."""
    return new_node(-a.data, "neg", (a,), (-1.0,))


rule("neg")(constant_rule)


# Products, quotients and powers.


def mul(a: object, b: object) -> Value:
    """a * b. d/da = b, d/db = a."""
    if type(a) is Value and type(b) is Value:
        ad, bd = a.data, b.data
        return new_node(ad * bd, "*", (a, b), (bd, ad))
    if type(b) is Value:
        # c * x is stored as x * c: the caption, the value and the derivative are the same.
        a, b = b, a
    b = as_operand(b, "*")
    if type(a) is Value and type(b) is float:
        return new_node(a.data * b, "*", (a,), (b,), b)
    a = as_operand(a, "*")
    ad, bd = data_of(a), data_of(b)
    return _binary("*", a, b, ad * bd, bd, ad)


@rule("*")
def _mul_rule(out: Value) -> tuple[Value | float, ...]:
    if len(out.parents) == 2:
        a, b = out.parents
        return (b, a)
    return out.local_grads


def div(a: object, b: object) -> Value:
    """a / b. d/da = 1/b, d/db = -a/b² = -out/b."""
    a, b = as_operand(a, "/"), as_operand(b, "/")
    ad, bd = data_of(a), data_of(b)
    data = numerics.divide(ad, bd)
    return _binary("/", a, b, data, numerics.divide(1.0, bd), numerics.divide(-data, bd))


@rule("/")
def _div_rule(out: Value) -> tuple[Value | float, ...]:
    a, b = operands(out)
    rules: list[Value | float] = []
    if isinstance(a, Value):
        # A constant divisor may be 0.0, where Python's `/` would raise ZeroDivisionError.
        rules.append(1.0 / b if isinstance(b, Value) else numerics.divide(1.0, b))
    if isinstance(b, Value):
        rules.append(-out / b)
    return tuple(rules)


def pow(a: object, b: object) -> Value:
    """a ** b. d/da = b·a^(b-1), d/db = out·log(a).

    As in PyTorch, d/da is 0 where b = 0, and d/db is 0 where a = 0 and b >= 0, so that x ** 0
    and 0 ** y have finite gradients. A negative base to a fractional power gives nan.
    """
    a, b = as_operand(a, "**"), as_operand(b, "**")
    ad, bd = data_of(a), data_of(b)
    data = numerics.power(ad, bd)
    da = 0.0 if bd == 0.0 else bd * numerics.power(ad, bd - 1.0)
    db = 0.0 if ad == 0.0 and bd >= 0.0 else data * numerics.log(ad)
    return _binary("**", a, b, data, da, db)


@rule("**")
def _pow_rule(out: Value) -> tuple[Value | float, ...]:
    a, b = operands(out)
    ad, bd = data_of(a), data_of(b)
    rules: list[Value | float] = []
    if isinstance(a, Value):
        rules.append(0.0 if bd == 0.0 else b * a ** (b - 1.0))
    if isinstance(b, Value):
        rules.append(0.0 if ad == 0.0 and bd >= 0.0 else out * _log_operand(a))
    return tuple(rules)


def _log_operand(x: Operand) -> Operand:
    return x.log() if isinstance(x, Value) else numerics.log(x)


# Functions of one value.


def exp(x: Value) -> Value:
    """e^x. d/dx = e^x = out."""
    data = numerics.exp(x.data)
    return new_node(data, "exp", (x,), (data,))


@rule("exp")
def _exp_rule(out: Value) -> tuple[Value | float, ...]:
    return (out,)


def log(x: Value) -> Value:
    """log x. d/dx = 1/x."""
    return new_node(numerics.log(x.data), "log", (x,), (numerics.divide(1.0, x.data),))


@rule("log")
def _log_rule(out: Value) -> tuple[Value | float, ...]:
    return (1.0 / out.parents[0],)


def sqrt(x: Value) -> Value:
    """√x. d/dx = 1/(2√x) = 0.5/out."""
    data = numerics.sqrt(x.data)
    return new_node(data, "sqrt", (x,), (numerics.divide(0.5, data),))


@rule("sqrt")
def _sqrt_rule(out: Value) -> tuple[Value | float, ...]:
    return (0.5 / out,)


def tanh(x: Value) -> Value:
    """tanh x. d/dx = 1 - tanh² x = 1 - out²."""
    t = math.tanh(x.data)
    return new_node(t, "tanh", (x,), (numerics.tanh_derivative(x.data),))


@rule("tanh")
def _tanh_rule(out: Value) -> tuple[Value | float, ...]:
    # 1 - out² written as the float form computes it, 4e/(1 + e)² with e = e**-2|x|, so that
    # both keep their digits for large |x|. `abs` here is this module's Value operation.
    e = (abs(out.parents[0]) * -2.0).exp()
    return (4.0 * e / ((1.0 + e) * (1.0 + e)),)


def sigmoid(x: Value) -> Value:
    """σ(x) = 1/(1 + e^-x). d/dx = σ(x)·σ(-x) = out·(1 - out)."""
    s, s_of_minus_x = numerics.sigmoid_pair(x.data)
    # σ(-x) equals 1 - σ(x) but keeps its digits when σ(x) rounds to 1.
    return new_node(s, "sigmoid", (x,), (s * s_of_minus_x,))


@rule("sigmoid")
def _sigmoid_rule(out: Value) -> tuple[Value | float, ...]:
    # σ(x)·σ(-x) rather than out·(1 - out), because 1 - out is 0.0 once σ(x) rounds to 1.0,
    # for x above about 36.7.
    return (out * sigmoid(neg(out.parents[0])),)


def softplus(x: Value) -> Value:
    """softplus(x) = log(1 + e^x). d/dx = σ(x)."""
    return new_node(numerics.softplus(x.data), "softplus", (x,), (numerics.sigmoid(x.data),))


@rule("softplus")
def _softplus_rule(out: Value) -> tuple[Value | float, ...]:
    return (out.parents[0].sigmoid(),)


def relu(x: Value) -> Value:
    """max(x, 0). d/dx = 1 for x > 0 and 0 for x <= 0; relu(nan) is nan."""
    xd = x.data
    if xd <= 0.0:
        return new_node(0.0, "relu", (x,), (0.0,))
    # nan lands here too: relu(nan) is nan and, as in PyTorch, its local derivative is 1.
    return new_node(xd, "relu", (x,), (1.0,))


rule("relu")(constant_rule)


def abs(x: Value) -> Value:
    """|x|. d/dx = sign(x), 0 at 0."""
    return new_node(builtins.abs(x.data), "abs", (x,), (numerics.sign(x.data),))


rule("abs")(constant_rule)
