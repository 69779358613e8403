"""`Value`: a scalar that records the operations computing it, so gradients can flow back."""

from __future__ import annotations

import math
import numbers
from typing import Union

import numpy as np

from autograd.mode import flags

# The operand types an arithmetic operator accepts on either side of a Value.
Operand = Union["Value", int, float]

# Binary operations, which fold a constant operand into the node.
BINARY_OPS = frozenset({"+", "-", "*", "/", "**"})

# Every leaf shares one empty tuple for its parents and its local derivatives.
EMPTY: tuple[()] = ()


class Value:
    """A scalar node of a computation graph.

    Parameters
    ----------
    data : int, float, bool or numpy scalar
        The number, stored as a Python float.
    label : str, default=""
        A name shown by `repr`, error messages and rendered graphs.

    Attributes
    ----------
    data : float
        The value computed in the forward pass.
    grad : float
        d(output)/d(self) after `output.backward()`; 0.0 at creation. A leaf accumulates it across
        backward calls, as in PyTorch, so set it to 0.0 (or call an optimizer's `zero_grad`)
        between steps. An interior node keeps the gradient of the latest pass only.
    label : str
        The name given at creation or set later.
    op : str
        The operation that produced this value ("" for a leaf).
    parents : tuple of Value
        The Value inputs of that operation, in order. Constant operands are folded into the node
        and are not parents.
    local_grads : tuple of float
        d(self)/d(parent) for each parent, evaluated in the forward pass. Because they are stored,
        the gradients are those of the function as evaluated then: changing `data` afterwards does
        not change them.

    Examples
    --------
    >>> from autograd import Value
    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> c = a * b + b ** 2
    >>> c.backward()
    >>> c.data, a.grad, b.grad
    (3.0, -3.0, -4.0)
    """

    __slots__ = ("data", "grad", "label", "op", "parents", "local_grads", "saved")
    # Makes numpy hand `array * value` back to Value.__rmul__, which raises a clear TypeError,
    # instead of building an object array of Values one element at a time.
    __array_ufunc__ = None

    # NOTE: `data` and `grad` are plain slots, so assigning a str or an array to them is not
    # checked. The first operation or backward pass that uses the value fails instead, because a
    # property that checked every write would slow every operation of the engine.
    data: float
    grad: float
    label: str
    op: str
    parents: tuple[Value, ...]
    local_grads: tuple[float, ...]
    # The data an operation keeps for its derivative written with Values, used by create_graph
    # and by graph drawing: its constant operands, or the factors of a weighted sum. The forms
    # are listed in the docstring of autograd/ops.py.
    saved: object

    def __init__(self, data: object, label: str = "") -> None:
        self.data = data if type(data) is float else as_float(data, "Value data")
        self.grad = 0.0
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__} {label!r}")
        self.label = label
        self.op = ""
        self.parents = EMPTY
        self.local_grads = EMPTY
        self.saved = None

    @property
    def is_leaf(self) -> bool:
        """True for a value created by the user or under `no_grad`: it has no parents."""
        return not self.parents

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def __float__(self) -> float:
        return self.data

    # Arithmetic. Each operator takes a Value, int, float, bool or numpy scalar on either side.

    def __add__(self, other: Operand) -> Value:
        return ops.add(self, other)

    def __radd__(self, other: Operand) -> Value:
        return ops.add(other, self)

    def __sub__(self, other: Operand) -> Value:
        return ops.sub(self, other)

    def __rsub__(self, other: Operand) -> Value:
        return ops.sub(other, self)

    def __mul__(self, other: Operand) -> Value:
        return ops.mul(self, other)

    def __rmul__(self, other: Operand) -> Value:
        return ops.mul(other, self)

    def __truediv__(self, other: Operand) -> Value:
        return ops.div(self, other)

    def __rtruediv__(self, other: Operand) -> Value:
        return ops.div(other, self)

    def __pow__(self, other: Operand) -> Value:
        return ops.pow(self, other)

    def __rpow__(self, other: Operand) -> Value:
        return ops.pow(other, self)

    def __neg__(self) -> Value:
        return ops.neg(self)

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return ops.abs(self)

    # Functions of one value.

    def exp(self) -> Value:
        """Return e ** self (inf on overflow)."""
        return ops.exp(self)

    def log(self) -> Value:
        """Return the natural logarithm (-inf at 0, nan below 0)."""
        return ops.log(self)

    def sqrt(self) -> Value:
        """Return the square root (nan below 0)."""
        return ops.sqrt(self)

    def tanh(self) -> Value:
        """Return the hyperbolic tangent."""
        return ops.tanh(self)

    def sigmoid(self) -> Value:
        """Return 1 / (1 + e ** -self), finite for every finite input."""
        return ops.sigmoid(self)

    def relu(self) -> Value:
        """Return max(self, 0), nan for nan, with derivative 0 at 0."""
        return ops.relu(self)

    def softplus(self) -> Value:
        """Return log(1 + e ** self), finite for every finite input."""
        return ops.softplus(self)

    def detach(self) -> Value:
        """Return a new leaf with the same data and label and no history."""
        return Value(self.data, self.label)

    def backward(self, gradient: float = 1.0) -> None:
        """Backpropagate from this value, adding d(self)/d(leaf) to every leaf's `grad`.

        The pass walks the graph in reverse topological order without recursion. Interior nodes
        get the gradient of this pass only; leaves accumulate across calls, as in PyTorch.

        Parameters
        ----------
        gradient : float, default=1.0
            The seed d(self)/d(self); pass another number to scale every gradient.
        """
        from autograd.backprop import backward

        backward(self, gradient)


def as_float(x: object, name: str) -> float:
    """Convert a real number to float, or raise TypeError naming `name` and the type received.

    An integer too large for a float becomes ±inf, as IEEE-754 rounding gives, instead of
    Python's OverflowError.
    """
    if isinstance(x, float):
        return float(x)
    if isinstance(x, (numbers.Real, np.bool_)):
        try:
            return float(x)
        except OverflowError:
            if not isinstance(x, numbers.Integral):
                raise
            return math.inf if int(x) > 0 else -math.inf
    raise TypeError(
        f"{name} must be a real number (int, float, bool or a numpy scalar), "
        f"got {type(x).__name__} {_preview(x)}. "
        + _advice(x)
    )


def _preview(x: object) -> str:
    text = repr(x)
    return text if len(text) <= 60 else text[:57] + "..."


def _advice(x: object) -> str:
    if isinstance(x, Value):
        return "Use the Value itself, or value.detach() for a copy without history."
    if isinstance(x, str):
        return "Convert it with float() first."
    if isinstance(x, complex):
        return "Complex numbers are not supported; use the real part or the modulus."
    if isinstance(x, np.ndarray) and x.ndim == 0:
        return "Convert a 0-d array with float() or array.item() first."
    if hasattr(x, "__len__"):
        return "Make one Value per element, for example [Value(v) for v in values]."
    return "Pass a number."


def new_node(
    data: float,
    op: str,
    parents: tuple[Value, ...],
    local_grads: tuple[float, ...],
    saved: object = None,
) -> Value:
    """Create the result of an operation, recording its parents unless `no_grad` is active."""
    out = object.__new__(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out.op = op
    if flags.grad_enabled:
        out.parents = parents
        out.local_grads = local_grads
        out.saved = saved
    else:
        out.parents = EMPTY
        out.local_grads = EMPTY
        out.saved = None
    if flags.anomaly_enabled and not math.isfinite(data):
        _raise_forward_anomaly(out, parents, saved)
    return out


def _raise_forward_anomaly(out: Value, parents: tuple[Value, ...], saved: object) -> None:
    operands: list[object] = list(parents)
    # A binary operation with one Value parent keeps its constant operand in `saved`: alone when
    # it is the right operand, else inside the operand tuple.
    if out.op in BINARY_OPS and len(parents) == 1:
        operands = list(saved) if isinstance(saved, tuple) else [parents[0], saved]
    shown = ", ".join(
        f"{x.label}={x.data!r}" if isinstance(x, Value) and x.label else repr(float(x))  # type: ignore[arg-type]
        for x in operands
    )
    if all(math.isfinite(float(x)) for x in operands):  # type: ignore[arg-type]
        raise FloatingPointError(
            f"{out.op} produced {out.data!r} from inputs ({shown}): this is the first non-finite "
            "value of the forward pass. Check these inputs, or use a numerically stable form "
            "(for example bce_with_logits_loss or cross_entropy_loss on logits)."
        )
    raise FloatingPointError(
        f"{out.op} received a non-finite input ({shown}) and produced {out.data!r}: the inf or "
        "nan was already in the data of a leaf, or was computed outside detect_anomaly."
    )


# The operations build Values, so they are imported once this module has defined Value.
from autograd import ops  # noqa: E402
