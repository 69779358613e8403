"""The pieces of a drawn graph: options, roles and colours, value boxes, operation nodes, legend.

A value is a box with its name, data and grad. An operation is a small ellipse between its
inputs and its result, so a value that feeds several operations visibly fans out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Union

from autograd.drawing_labels import (
    check_digits,
    edge_captions,
    escape_html,
    format_number,
    op_caption,
)
from autograd.graph_drawing import GraphDrawing
from autograd.value import Value

# Fill colour of each role, in legend order; "group" is a collapsed layer or neuron.
ROLE_COLORS = {
    "input": "#cfe2ff",
    "parameter": "#ffe08a",
    "intermediate": "#f1f3f5",
    "output": "#b2f2bb",
    "group": "#e5dbff",
}
HIGHLIGHT_COLOR = "#d6336c"
RANKDIRS = ("LR", "RL", "TB", "BT")
COLLAPSE_SCHEMES = ("layer", "neuron")
DEFAULT_MAX_NODES = 500

# A scheme name, or a function from a leaf label to its group name (None: no group).
Collapse = Union[str, Callable[[str], Union[str, None]], None]


@dataclass(frozen=True)
class DrawOptions:
    """The validated options of `draw_graph`; see its docstring for their meaning."""

    rankdir: str = "LR"
    show_grad: bool = True
    max_nodes: int | None = DEFAULT_MAX_NODES
    collapse: Collapse = None
    parameters: frozenset[Value] | None = None
    digits: int = 4
    legend: bool = True


@dataclass(frozen=True)
class Frame:
    """The state a drawing shows beyond the graph itself: the gradients and the active step.

    `grads` None shows each node's `.grad`; a mapping shows its values and `?` for nodes
    missing from it. `active` is the node whose backward step is highlighted, and `updated`
    contains the parents that step has just added a contribution to. A positive `grad_width`
    keeps every box the same size from frame to frame, so the layout does not move. Each grad
    cell is then at least that many points wide, and every box has an outline, transparent
    unless the box is active.
    """

    grads: Mapping[Value, float] | None = None
    active: Value | None = None
    updated: frozenset[Value] = field(default_factory=frozenset)
    grad_width: int = 0


def make_options(
    rankdir: str = "LR",
    show_grad: bool = True,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    collapse: Collapse = None,
    parameters: Iterable[Value] | None = None,
    digits: int = 4,
    legend: bool = True,
) -> DrawOptions:
    """Check the drawing options and return them as a `DrawOptions`, or raise naming the bad one."""
    if rankdir not in RANKDIRS:
        raise ValueError(f"`rankdir` must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    if max_nodes is not None and (
        isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1
    ):
        raise ValueError(
            f"`max_nodes` must be an integer >= 1, or None for no limit, got {max_nodes!r}"
        )
    check_digits(digits)
    if not (collapse is None or collapse in COLLAPSE_SCHEMES or callable(collapse)):
        raise ValueError(
            f"`collapse` must be None, 'layer', 'neuron' or a function from a parameter label "
            f"to a group name, got {collapse!r}"
        )
    return DrawOptions(
        rankdir=rankdir,
        show_grad=bool(show_grad),
        max_nodes=max_nodes,
        collapse=collapse,
        parameters=None if parameters is None else _as_parameter_set(parameters),
        digits=digits,
        legend=bool(legend),
    )


def _as_parameter_set(parameters: Iterable[Value]) -> frozenset[Value]:
    if isinstance(parameters, Value):
        return frozenset({parameters})
    values = list(parameters)
    for position, p in enumerate(values):
        if not isinstance(p, Value):
            raise TypeError(
                f"`parameters` must contain only Values, got {type(p).__name__} at position "
                f"{position}; pass model.parameters() or a list of Values"
            )
    return frozenset(values)


def check_size(count: int, options: DrawOptions, what: str) -> None:
    """Raise ValueError when a drawing would have more than `options.max_nodes` boxes.

    None as `max_nodes` means no limit.
    """
    if options.max_nodes is None or count <= options.max_nodes:
        return
    raise ValueError(
        f"draw_graph: the graph has {count} {what}, more than max_nodes={options.max_nodes}. "
        f"Options: pass a larger max_nodes, or max_nodes=None for no limit (layout gets slow "
        f"and hard to read past a few hundred nodes); pass collapse='layer' or "
        f"collapse='neuron' to draw one box per layer or neuron of an nn model (groups come "
        f"from parameter labels such as 'layers.0.neurons.1.w.0'), or a function from label "
        f"to group name; or draw a subgraph by passing an intermediate Value as the root."
    )


def node_role(node: Value, root: Value, parameters: frozenset[Value] | None) -> str:
    """Return the role of a node: "output", "intermediate", "parameter" or "input".

    Without an explicit `parameters` set, a labelled leaf counts as a parameter (nn labels
    every parameter with its name) and an unlabelled leaf as an input.
    """
    if node is root:
        return "output"
    if node.parents:
        return "intermediate"
    if parameters is None:
        return "parameter" if node.label else "input"
    return "parameter" if node in parameters else "input"


def new_digraph(options: DrawOptions) -> GraphDrawing:
    """Create an empty drawing with the graph-wide attributes."""
    graph = GraphDrawing("computation_graph", format="svg")
    graph.attr(rankdir=options.rankdir, fontname="Helvetica", nodesep="0.3", ranksep="0.4")
    graph.attr("node", fontname="Helvetica", fontsize="11")
    graph.attr("edge", fontname="Helvetica", fontsize="10", arrowsize="0.7")
    return graph


def value_label(node: Value, name: str, role: str, options: DrawOptions, frame: Frame) -> str:
    """Return the HTML-like label of a value box: name, data and (optionally) grad rows."""
    if node.label:
        title = f"<b>{escape_html(name)}</b>"
    else:
        title = f'<font color="#868e96">{escape_html(name)}</font>'
    rows = [("", title), ("", f"data {format_number(node.data, options.digits)}")]
    if options.show_grad:
        width = f' width="{frame.grad_width}"' if frame.grad_width > 0 else ""
        rows.append((width, _grad_text(node, options, frame)))

    # Cells inherit the table's colour, so a transparent outline needs black cells.
    if node is frame.active:
        border = f'border="3" color="{HIGHLIGHT_COLOR}"'
    elif frame.grad_width > 0:
        border = 'border="3" color="transparent"'
        rows = [(f'{attributes} color="black"', text) for attributes, text in rows]
    else:
        border = 'border="0"'
    cells = "".join(f"<tr><td{attributes}>{text}</td></tr>" for attributes, text in rows)
    table = (
        f'<table {border} cellborder="1" cellspacing="0" cellpadding="3" '
        f'bgcolor="{ROLE_COLORS[role]}">{cells}</table>'
    )
    return f"<{table}>"


def _grad_text(node: Value, options: DrawOptions, frame: Frame) -> str:
    if frame.grads is None:
        grad: float | None = node.grad
    else:
        grad = frame.grads.get(node)
    text = "grad ?" if grad is None else f"grad {format_number(grad, options.digits)}"
    if node in frame.updated:
        return f'<font color="{HIGHLIGHT_COLOR}"><b>{text}</b></font>'
    return text


def add_op_node(
    graph: GraphDrawing, node: Value, node_id: str, parent_ids: list[str], frame: Frame
) -> None:
    """Add the operation that produced `node`: an ellipse, edges from each parent, and one to it.

    Parent edges follow the order of `node.parents`; a parent used twice gets two edges.
    """
    active = node is frame.active
    style = {"color": HIGHLIGHT_COLOR, "penwidth": "2.5"} if active else {}
    op_id = f"op_{node_id}"
    graph.node(
        op_id,
        f"<{escape_html(op_caption(node))}>",
        shape="ellipse",
        style="filled",
        fillcolor="white",
        margin="0.04,0.02",
        **style,
    )
    for parent_id, caption in zip(parent_ids, edge_captions(node)):
        label = {"label": f"<{escape_html(caption)}>"} if caption else {}
        graph.edge(parent_id, op_id, **label, **style)
    graph.edge(op_id, node_id, **style)


def add_legend(graph: GraphDrawing, roles: Iterable[str]) -> None:
    """Add a cluster that shows the colour of each role present, in a fixed order."""
    present = set(roles)
    with graph.subgraph(name="cluster_legend") as legend:
        legend.attr(label="legend", style="rounded", color="#adb5bd", fontsize="10")
        for role, color in ROLE_COLORS.items():
            if role in present:
                legend.node(f"legend_{role}", role, shape="box", style="filled", fillcolor=color)
