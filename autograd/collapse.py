"""Collapsed drawings: one box per layer or neuron of a network, found from parameter labels.

nn names each parameter by its place, for example `layers.0.neurons.1.w.0`, and sets that name
as the label. A leaf whose label starts with a group's name belongs to that group, and interior
nodes join as `assign_groups` describes. Nodes outside every group are drawn in full.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Union

from autograd.drawing_labels import escape_html, format_number, node_name
from autograd.drawing_nodes import (
    ROLE_COLORS,
    DrawOptions,
    Frame,
    add_legend,
    add_op_node,
    check_size,
    new_digraph,
    node_role,
    value_label,
)
from autograd.graph_drawing import GraphDrawing
from autograd.value import Value

_SCHEME_PATTERNS = {
    "layer": re.compile(r"^(.*?layers\.\d+)\."),
    "neuron": re.compile(r"^(.*?layers\.\d+\.neurons\.\d+)\."),
}
ACTIVATION_OPS = frozenset({"relu", "tanh", "sigmoid", "softplus"})

# A scheme name, or a function from a leaf label to its group name (None: no group).
Scheme = Union[str, Callable[[str], Union[str, None]]]


def group_of_label(label: str, scheme: Scheme) -> str | None:
    """Return the group a leaf label belongs to under `scheme`, or None.

    Examples
    --------
    >>> group_of_label("layers.0.neurons.1.w.0", "layer")
    'layers.0'
    >>> group_of_label("layers.0.neurons.1.w.0", "neuron")
    'layers.0.neurons.1'
    >>> print(group_of_label("x", "neuron"))
    None
    """
    if callable(scheme):
        group = scheme(label)
        if group is not None and not isinstance(group, str):
            raise TypeError(
                f"the `collapse` function must return a str or None, got "
                f"{type(group).__name__} {group!r} for label {label!r}"
            )
        return group
    match = _SCHEME_PATTERNS[scheme].match(label)
    return match.group(1) if match else None


def assign_groups(order: list[Value], scheme: Scheme) -> dict[Value, str | None]:
    """Return the group of every node of `order` (a topological order), or None for no group.

    A leaf is in the group its label names. An interior node joins group G in three cases:

    - it takes leaves of G, and of no other group, directly as inputs (a weighted sum of G's
      parameters);
    - it has two or more inputs, all in G (the additions of a neuron built from + and *);
    - it is an activation (relu, tanh, sigmoid, softplus) of a node in G.

    Losses, softmax and everything computed from several groups stay ungrouped.
    """
    groups: dict[Value, str | None] = {}
    for node in order:
        if not node.parents:
            groups[node] = group_of_label(node.label, scheme) if node.label else None
        else:
            groups[node] = _interior_group(node, groups)
    return groups


def _interior_group(node: Value, groups: dict[Value, str | None]) -> str | None:
    leaf_groups = {groups[p] for p in node.parents if not p.parents and groups[p] is not None}
    if leaf_groups:
        return leaf_groups.pop() if len(leaf_groups) == 1 else None
    parent_groups = {groups[p] for p in node.parents}
    if len(parent_groups) != 1:
        return None
    (group,) = parent_groups
    if len(node.parents) >= 2 or node.op in ACTIVATION_OPS:
        return group
    return None


def build_collapsed(order: list[Value], options: DrawOptions) -> GraphDrawing:
    """Draw `order` with one box per group and every ungrouped node in full."""
    assert options.collapse is not None
    groups = assign_groups(order, options.collapse)
    # Group boxes are numbered by name, with numbers compared as numbers (layers.2 < layers.10).
    names = sorted({g for g in groups.values() if g is not None}, key=_natural_key)
    group_ids = {group: f"g{k}" for k, group in enumerate(names)}
    ungrouped = sum(1 for g in groups.values() if g is None)
    check_size(
        len(group_ids) + ungrouped,
        options,
        f"boxes after collapse={options.collapse!r} ({len(group_ids)} groups and "
        f"{ungrouped} ungrouped nodes)",
    )

    graph = new_digraph(options)
    root = order[-1]
    ids = {}
    for i, node in enumerate(order):
        group = groups[node]
        ids[node] = f"v{i}" if group is None else group_ids[group]

    # Group boxes first, then the ungrouped nodes.
    members, outputs = _members_and_outputs(order, groups)
    for group, group_id in group_ids.items():
        label = _group_label(group, members[group], outputs[group], options)
        graph.node(group_id, label, shape="plain")

    # Ungrouped values with their operations, as in the full drawing.
    roles = []
    frame = Frame()
    for i, node in enumerate(order):
        if groups[node] is not None:
            continue
        role = node_role(node, root, options.parameters)
        roles.append(role)
        graph.node(
            ids[node], value_label(node, node_name(node, i), role, options, frame), shape="plain"
        )
        if node.parents:
            add_op_node(graph, node, ids[node], [ids[p] for p in node.parents], frame)

    _add_group_edges(graph, order, groups, ids)
    if options.legend:
        add_legend(graph, [*roles, "group"])
    return graph


def _members_and_outputs(
    order: list[Value], groups: dict[Value, str | None]
) -> tuple[dict[str, list[Value]], dict[str, list[Value]]]:
    # A group's outputs are its members read by a node outside the group, and the root.
    members: dict[str, list[Value]] = {}
    outputs: dict[str, dict[Value, None]] = {}
    for node in order:
        group = groups[node]
        if group is not None:
            members.setdefault(group, []).append(node)
            outputs.setdefault(group, {})
        for parent in node.parents:
            parent_group = groups[parent]
            if parent_group is not None and parent_group != group:
                outputs[parent_group][parent] = None
    root_group = groups[order[-1]]
    if root_group is not None:
        outputs[root_group][order[-1]] = None
    return members, {group: list(found) for group, found in outputs.items()}


def _group_label(
    group: str, members: list[Value], outputs: list[Value], options: DrawOptions
) -> str:
    parameters = sum(1 for node in members if not node.parents)
    rows = [f"<b>{escape_html(group)}</b>", f"{len(members)} nodes, {parameters} parameters"]
    if len(outputs) == 1:
        # A group with one result (a neuron on one sample) shows that result's numbers.
        (out,) = outputs
        rows.append(f"out data {format_number(out.data, options.digits)}")
        if options.show_grad:
            rows.append(f"out grad {format_number(out.grad, options.digits)}")
    cells = "".join(f"<tr><td>{row}</td></tr>" for row in rows)
    return (
        f'<<table border="1" cellborder="0" cellspacing="0" cellpadding="3" '
        f'bgcolor="{ROLE_COLORS["group"]}">{cells}</table>>'
    )


def _add_group_edges(
    graph: GraphDrawing, order: list[Value], groups: dict[Value, str | None], ids: dict[Value, str]
) -> None:
    # One edge per pair of boxes that a grouped node connects, labelled with the count if > 1.
    counts: dict[tuple[str, str], int] = {}
    for node in order:
        if groups[node] is None:
            continue
        for parent in node.parents:
            pair = (ids[parent], ids[node])
            if pair[0] != pair[1]:
                counts[pair] = counts.get(pair, 0) + 1
    for (tail, head), count in counts.items():
        if count > 1:
            graph.edge(tail, head, label=f"{count} edges")
        else:
            graph.edge(tail, head)


def _natural_key(name: str) -> list[tuple[int, int | str]]:
    # Digit runs compare as integers; the leading int keeps ints and strs from being compared.
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", name)]
