"""Backpropagation: order the graph, then sweep it from the output back to the leaves."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Literal, overload

from autograd.mode import enable_grad, flags
from autograd.ops import value_derivatives
from autograd.value import Value, as_float


def topological_order(root: Value) -> list[Value]:
    """Return every node reachable from `root`, each after all of its parents; `root` is last.

    A depth-first search with an explicit stack, so a graph of any depth is walked without
    recursion. The order is deterministic because parents are ordered tuples.
    """
    order: list[Value] = []
    visited = {root}
    # Two parallel stacks, the node and the index of its next parent to visit, because a stack of
    # (node, iterator) pairs allocates two objects per node that the cyclic collector then scans.
    nodes = [root]
    positions = [0]
    while nodes:
        node = nodes[-1]
        parents = node.parents
        position = positions[-1]
        if position < len(parents):
            positions[-1] = position + 1
            parent = parents[position]
            if parent not in visited:
                visited.add(parent)
                nodes.append(parent)
                positions.append(0)
        else:
            # Every parent of `node` is already in `order`.
            nodes.pop()
            positions.pop()
            order.append(node)
    return order


def backward(root: Value, gradient: float = 1.0) -> None:
    """Add d(root)/d(node) to the `grad` of every leaf; set it on every interior node.

    Leaves accumulate across calls, as in PyTorch; interior nodes hold this pass only.
    """
    if not isinstance(root, Value):
        raise TypeError(f"backward needs a Value, got {type(root).__name__}")
    seed = as_float(gradient, "backward gradient")
    if not root.parents:
        root.grad += seed
        return

    # Order the graph by counting, for each interior node, the edges its children send back to it
    # (this also resets its gradient). Leaves send nothing back, so they are not counted.
    pending = _count_child_edges(root)

    # Seed: d(root)/d(root) = gradient.
    root.grad = seed

    # Sweep from the output back, in reverse topological order: a node is ready once every child
    # has sent it upstream gradient × local derivative, and a parent used several times adds up
    # what every use sends it.
    if flags.anomaly_enabled:
        _sweep_checked(root, pending)
        return
    ready = [root]
    while ready:
        node = ready.pop()
        upstream = node.grad
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += upstream * local
            # Leaves, most edges of a network, skip the dictionary: they wait for nothing.
            if parent.parents:
                remaining = pending[parent]
                if remaining == 1:
                    ready.append(parent)
                else:
                    pending[parent] = remaining - 1


def _count_child_edges(root: Value) -> dict[Value, int]:
    # One walk without recursion. A node's count reaches 0 in the sweep only after all of its
    # children are done, which is Kahn's algorithm run from the output. The order is never
    # stored as a list, and the walk creates no container per node for the collector to scan.
    pending: dict[Value, int] = {}
    counted = pending.get
    stack = [root]
    while stack:
        node = stack.pop()
        for parent in node.parents:
            if not parent.parents:
                continue
            count = counted(parent)
            if count is None:
                pending[parent] = 1
                parent.grad = 0.0
                stack.append(parent)
            else:
                pending[parent] = count + 1
    return pending


def _sweep_checked(root: Value, pending: dict[Value, int]) -> None:
    # The same sweep as in `backward`, stopping at the first non-finite gradient.
    ready = [root]
    while ready:
        node = ready.pop()
        upstream = node.grad
        for index, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            contribution = upstream * local
            if not math.isfinite(contribution):
                _raise_backward_anomaly(node, index, upstream, local, contribution)
            parent.grad += contribution
            if parent in pending:
                pending[parent] -= 1
                if not pending[parent]:
                    ready.append(parent)


def _raise_backward_anomaly(
    node: Value, index: int, upstream: float, local: float, contribution: float
) -> None:
    parent = node.parents[index]
    inputs = ", ".join(
        f"{p.label or 'input ' + str(i)}={p.data!r}" for i, p in enumerate(node.parents)
    )
    where = f" at node {node.label!r}" if node.label else ""
    raise FloatingPointError(
        f"backward of {node.op}{where} produced gradient {contribution!r} for input {index} "
        f"({parent.label or 'unlabelled'}): upstream gradient {upstream!r} × local derivative "
        f"{local!r}. The operation's inputs were {inputs}."
    )


@overload
def grad(
    output: Value, inputs: Value | Sequence[Value], create_graph: Literal[False] = ...
) -> tuple[float, ...]: ...


@overload
def grad(
    output: Value, inputs: Value | Sequence[Value], create_graph: Literal[True]
) -> tuple[Value, ...]: ...


@overload
def grad(
    output: Value, inputs: Value | Sequence[Value], create_graph: bool
) -> tuple[float, ...] | tuple[Value, ...]: ...


def grad(
    output: Value, inputs: Value | Sequence[Value], create_graph: bool = False
) -> tuple[float, ...] | tuple[Value, ...]:
    """Return d(output)/d(input) for each input, leaving every `.grad` untouched.

    Parameters
    ----------
    output : Value
        The value to differentiate.
    inputs : Value or sequence of Value
        The values to differentiate with respect to. An input that `output` does not depend on
        gets 0.0 (PyTorch raises there unless allow_unused=True).
    create_graph : bool, default=False
        False returns floats. True returns Values in a new graph built from each operation's
        derivative written with Values, so they can be differentiated again: second and higher
        derivatives, Hessians, Newton's method. The new graph is recorded even inside `no_grad`.

    Returns
    -------
    tuple of float, or tuple of Value when `create_graph` is True

    Examples
    --------
    >>> from autograd import Value, grad
    >>> x = Value(3.0)
    >>> y = x ** 3
    >>> grad(y, [x])
    (27.0,)
    >>> (dy_dx,) = grad(y, [x], create_graph=True)
    >>> grad(dy_dx, [x])
    (18.0,)
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad needs a Value output, got {type(output).__name__}")
    targets = _as_value_tuple(inputs)
    order = topological_order(output)
    if create_graph:
        with enable_grad():
            gradients = _gradients_as_values(order, targets)
            graph = set(order)
            return tuple(_new_value(g, graph) for g in gradients)
    return _gradients_as_floats(order, targets)


def _as_value_tuple(inputs: Value | Iterable[Value]) -> tuple[Value, ...]:
    if isinstance(inputs, Value):
        return (inputs,)
    targets = tuple(inputs)
    for index, x in enumerate(targets):
        if not isinstance(x, Value):
            raise TypeError(
                f"grad inputs must be Values, got {type(x).__name__} at index {index}"
            )
    return targets


def _gradients_as_floats(order: list[Value], targets: tuple[Value, ...]) -> tuple[float, ...]:
    # The same sweep as `backward`, with gradients kept in a dictionary instead of `.grad`.
    grads = {order[-1]: 1.0}
    for node in reversed(order):
        upstream = grads[node]
        for parent, local in zip(node.parents, node.local_grads):
            grads[parent] = grads.get(parent, 0.0) + upstream * local
    return tuple(grads.get(x, 0.0) for x in targets)


def _gradients_as_values(
    order: list[Value], targets: tuple[Value, ...]
) -> list[Value | float]:
    # Gradients stay floats while they are constants, and become Values once a Value
    # derivative enters them, so constant parts of the new graph cost no nodes.
    grads: dict[Value, Value | float] = {order[-1]: 1.0}
    for node in reversed(order):
        if not node.parents:
            continue
        upstream = grads[node]
        for parent, local in zip(node.parents, value_derivatives(node)):
            contribution = _times(upstream, local)
            if parent in grads:
                grads[parent] = grads[parent] + contribution
            else:
                grads[parent] = contribution
    return [grads.get(x, 0.0) for x in targets]


def _times(upstream: Value | float, local: Value | float) -> Value | float:
    # Multiplying by a constant 1.0 would only add a node that changes nothing.
    if type(upstream) is float and upstream == 1.0:
        return local
    if type(local) is float and local == 1.0:
        return upstream
    return upstream * local


def _new_value(g: Value | float, graph: set[Value]) -> Value:
    # d(x·y)/dx is y itself, a node of the original graph. The caller gets a new node instead,
    # so that relabelling or differentiating the gradient cannot touch the original graph's nodes.
    if not isinstance(g, Value):
        return Value(g)
    if g in graph:
        return g + 0.0
    return g
