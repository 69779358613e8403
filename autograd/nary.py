"""Operations of many values, each one node however many inputs: `sum` and `dot`.

One n-ary node per weighted sum, instead of one node per + and ×, is what makes a scalar engine
fast enough to train an MLP: backward then loops over floats, and the graph has far fewer
objects. Each operation writes its local derivatives as floats and registers its Value rule, as
the operations of one or two values in `autograd.ops` do.
"""

from __future__ import annotations

import builtins
import operator
from collections.abc import Sequence

from autograd.ops import Operand, as_operand, constant_rule, data_of, rule
from autograd.value import Value, as_float, new_node


def sum(values: Sequence[object], start: object = 0.0) -> Value:
    """Return start + Σ values as one node. d/dvalue = 1 for each Value in `values`.

    Python's built-in `sum` works on Values too, but it builds one "+" node per term. This builds a
    single node whose parents are the Value terms, in order, with the constant terms folded in.

    Parameters
    ----------
    values : sequence of Value or real numbers
        The terms.
    start : real number, default=0.0
        A constant added to the terms.

    Examples
    --------
    >>> from autograd import Value, sum
    >>> a, b = Value(2.0), Value(3.0)
    >>> total = sum([a, b, 1.0])
    >>> total.data, total.parents == (a, b)
    (6.0, True)
    """
    parents: list[Value] = []
    if isinstance(start, Value):
        raise TypeError("sum `start` must be a constant number; put Values in `values`")
    constant = as_float(start, "sum start")
    for term in values:
        if type(term) is Value or isinstance(term, Value):
            parents.append(term)
        else:
            constant += as_float(term, "A term of sum")
    data = builtins.sum([p.data for p in parents], constant)
    return new_node(data, "sum", tuple(parents), (1.0,) * len(parents), constant)


rule("sum")(constant_rule)


def dot(weights: Sequence[object], inputs: Sequence[object], bias: object = 0.0) -> Value:
    """Return the weighted sum Σ wᵢ·xᵢ + bias as one node: a neuron's pre-activation.

    d/dwᵢ = xᵢ, d/dxᵢ = wᵢ and d/dbias = 1. The parents are the Value weights, then the Value
    inputs, then the bias if it is a Value. One node per weighted sum, instead of one per + and ×,
    is what makes a scalar engine fast enough to train an MLP.

    Parameters
    ----------
    weights, inputs : sequences of Value or real numbers, of equal length
        The factors. Either may hold constants, such as a sample's features.
    bias : Value or real number, default=0.0

    Examples
    --------
    >>> from autograd import Value, dot
    >>> w = [Value(0.5), Value(-1.0)]
    >>> b = Value(0.25)
    >>> z = dot(w, [2.0, 3.0], b)
    >>> z.backward()
    >>> z.data, w[0].grad, w[1].grad, b.grad
    (-1.75, 2.0, 3.0, 1.0)
    """
    if len(weights) != len(inputs):
        raise ValueError(
            f"dot needs as many weights as inputs, got {len(weights)} weights "
            f"and {len(inputs)} inputs"
        )
    weight_types = set(map(type, weights))
    input_types = set(map(type, inputs))
    if weight_types <= _VALUE_TYPE and type(bias) is Value:
        if input_types <= _VALUE_TYPE:
            return _dot_of_values(weights, inputs, bias)  # type: ignore[arg-type]
        if input_types <= _FLOAT_TYPE:
            return _dot_with_constant_inputs(weights, inputs, bias)  # type: ignore[arg-type]
    return _dot_general(weights, inputs, bias)


_VALUE_TYPE = frozenset({Value})
_FLOAT_TYPE = frozenset({float})
_get_data = operator.attrgetter("data")


def _dot_of_values(weights: Sequence[Value], inputs: Sequence[Value], bias: Value) -> Value:
    # The layout (w..., x..., bias) lets the Value rule find each partner from the number of
    # weights, saved as an int, instead of keeping a tuple of partners per node.
    wd = list(map(_get_data, weights))
    xd = list(map(_get_data, inputs))
    data = builtins.sum(map(operator.mul, wd, xd)) + bias.data
    return new_node(
        data, "dot", (*weights, *inputs, bias), (*xd, *wd, 1.0), len(weights)
    )


def _dot_with_constant_inputs(
    weights: Sequence[Value], inputs: Sequence[float], bias: Value
) -> Value:
    # Constant inputs are the local derivatives of the weights and are not parents.
    wd = list(map(_get_data, weights))
    data = builtins.sum(map(operator.mul, wd, inputs)) + bias.data
    return new_node(data, "dot", (*weights, bias), (*inputs, 1.0))


def _dot_general(weights: Sequence[object], inputs: Sequence[object], bias: object) -> Value:
    w = [as_operand(v, "dot") for v in weights]
    x = [as_operand(v, "dot") for v in inputs]
    b = as_operand(bias, "dot")
    data = builtins.sum(data_of(wi) * data_of(xi) for wi, xi in zip(w, x)) + data_of(b)

    # Each Value parent is listed with its partner: the factor it is multiplied by.
    parents: list[Value] = []
    partners: list[Operand] = []
    for own, other in ((w, x), (x, w)):
        for v, partner in zip(own, other):
            if isinstance(v, Value):
                parents.append(v)
                partners.append(partner)
    if isinstance(b, Value):
        parents.append(b)
        partners.append(1.0)
    local_grads = tuple(data_of(p) for p in partners)
    return new_node(data, "dot", tuple(parents), local_grads, tuple(partners))


@rule("dot")
def dot_partners(out: Value) -> tuple[Value | float, ...]:
    """Return, for each parent of a "dot" node, the factor it is multiplied by: d(out)/d(parent).

    The bias is multiplied by 1. A constant factor (an input of a sample, say) is a float.

    Examples
    --------
    >>> from autograd import Value, dot
    >>> w, x, b = Value(2.0), Value(3.0), Value(0.5)
    >>> dot_partners(dot([w], [x], b)) == (x, w, 1.0)
    True
    """
    saved = out.saved
    if saved is None:
        # Constant inputs: every partner is a constant, already in local_grads.
        return out.local_grads
    if isinstance(saved, int):
        # Layout (w..., x..., bias): the partner of wᵢ is xᵢ and the partner of xᵢ is wᵢ.
        n = saved
        weights, inputs = out.parents[:n], out.parents[n : 2 * n]
        return (*inputs, *weights, 1.0)
    return saved  # type: ignore[return-value]
