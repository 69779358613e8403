"""`draw_graph`: the computation graph of a Value as a Graphviz drawing.

Building the drawing and reading its DOT text (`.source`) need no Graphviz program; showing it
in Jupyter or writing an image with `autograd.render` does.
"""

from __future__ import annotations

from collections.abc import Iterable

from autograd.backprop import topological_order
from autograd.collapse import build_collapsed
from autograd.drawing_labels import node_name
from autograd.drawing_nodes import (
    DEFAULT_MAX_NODES,
    Collapse,
    DrawOptions,
    Frame,
    add_legend,
    add_op_node,
    check_size,
    make_options,
    new_digraph,
    node_role,
    value_label,
)
from autograd.graph_drawing import GraphDrawing
from autograd.value import Value


def draw_graph(
    root: Value,
    rankdir: str = "LR",
    show_grad: bool = True,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    collapse: Collapse = None,
    parameters: Iterable[Value] | None = None,
    digits: int = 4,
    legend: bool = True,
) -> GraphDrawing:
    """Draw the computation graph that produced `root`.

    Each value is a box with its name, data and grad. Each operation is a small ellipse with
    edges from its inputs, in order, and one to its result. A constant operand shows in the
    operation (`* 2`), and a constant factor of a "dot" node on its input's edge (`× 0.5`).
    Unlabelled values are named `#i`, their position in `topological_order(root)`, the same
    names `explain` uses. The DOT text is deterministic: the same graph gives the same text.

    Parameters
    ----------
    root : Value
        The output whose history is drawn.
    rankdir : {"LR", "RL", "TB", "BT"}, default="LR"
        The direction of the edges: left to right, right to left, top to bottom, bottom to top.
    show_grad : bool, default=True
        Show each value's current `.grad` (call `root.backward()` first to fill them in).
    max_nodes : int or None, default=500
        The maximum number of values drawn (operations are not counted), or None for no
        limit. A larger graph raises ValueError with its node count and these options: a
        larger `max_nodes`, `collapse`, or a subgraph.
    collapse : {None, "layer", "neuron"} or callable, default=None
        Draw one box per group instead of every node. "layer" groups by the label prefix
        `layers.<k>` and "neuron" by `layers.<k>.neurons.<j>`, the names that nn gives to
        parameters. A function receives each leaf's label and returns its group name or None.
        See `autograd.collapse.assign_groups` for which interior nodes join a group.
    parameters : iterable of Value, default=None
        The leaves to colour as parameters; every other leaf is then an input. With None, a
        labelled leaf is a parameter and an unlabelled leaf an input.
    digits : int, default=4
        Digits after the decimal point for data and grad.
    legend : bool, default=True
        Add a legend of the role colours: input, parameter, intermediate, output.

    Returns
    -------
    GraphDrawing
        A `graphviz.Digraph` that Jupyter shows inline; `.source` is the DOT text, and
        `.render()` and `.pipe()` write SVG or PNG with the program `autograd.render` finds.

    Examples
    --------
    >>> from autograd import Value, draw_graph
    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> c = a * b
    >>> c.backward()
    >>> graph = draw_graph(c, legend=False)
    >>> print(graph.source)  # doctest: +ELLIPSIS
    digraph computation_graph {
    ...
        v0 [label=<...<b>a</b>...data 2.0000...grad -3.0000...>...]
    ...
        v1 -> op_v2
        op_v2 -> v2
    }
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw_graph needs a Value as `root`, got {type(root).__name__}")
    options = make_options(rankdir, show_grad, max_nodes, collapse, parameters, digits, legend)
    order = topological_order(root)
    if options.collapse is not None:
        return build_collapsed(order, options)
    check_size(len(order), options, "nodes")
    return build_drawing(order, options, Frame())


def build_drawing(order: list[Value], options: DrawOptions, frame: Frame) -> GraphDrawing:
    """Draw every node of `order` (a topological order, root last) with the state of `frame`."""
    graph = new_digraph(options)
    root = order[-1]
    ids = {node: f"v{i}" for i, node in enumerate(order)}
    roles = [node_role(node, root, options.parameters) for node in order]

    # Values first, in topological order, so the DOT text lists inputs before results.
    for i, node in enumerate(order):
        label = value_label(node, node_name(node, i), roles[i], options, frame)
        graph.node(ids[node], label, shape="plain")

    # Then each operation with its edges.
    for node in order:
        if node.parents:
            add_op_node(graph, node, ids[node], [ids[p] for p in node.parents], frame)

    if options.legend:
        add_legend(graph, roles)
    return graph
