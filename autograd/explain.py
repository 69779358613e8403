"""`explain`: the backward pass of a graph as a table, one row per (node, parent) term.

The pass is computed on the side, in a dictionary, with the same arithmetic as `backward`:
each node, in reverse topological order, sends upstream gradient × local derivative to each
parent, and a parent adds up what it receives. No `.grad` is read or changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from autograd.backprop import topological_order
from autograd.drawing_labels import check_digits, format_number, node_name, op_caption
from autograd.value import Value, as_float

# Rows printed by `str(explanation)`; the rest are counted in a last line.
MAX_ROWS = 100
_COLUMNS = ("step", "node", "op", "upstream", "parent", "local grad", "contribution", "parent grad")


@dataclass(frozen=True)
class BackwardRow:
    """One term of the backward pass: `node` sends `upstream × local_grad` to one parent.

    Attributes
    ----------
    step : int
        The backward step, from 1: the position of `node` among the nodes with parents, in
        reverse topological order. Step k is frame k of `step_through`.
    node, parent : Value
        The node whose gradient is passed back, and the parent (input) that receives a share.
    node_name, parent_name : str
        Their labels, or `#i` with i the position in `topological_order(root)`.
    op : str
        The operation of `node`, with a folded constant (`* 2`).
    parent_index : int
        The position of `parent` in `node.parents`.
    upstream : float
        d(root)/d(node), complete when the step runs.
    local_grad : float
        d(node)/d(parent), evaluated in the forward pass.
    contribution : float
        upstream × local_grad.
    accumulated : float
        d(root)/d(parent) so far: everything the parent has received, this term included.
    """

    step: int
    node: Value
    node_name: str
    op: str
    upstream: float
    parent: Value
    parent_name: str
    parent_index: int
    local_grad: float
    contribution: float
    accumulated: float


@dataclass(frozen=True)
class Explanation:
    """The backward pass of `root`: its rows, the final gradients, and a printable table.

    `grads` maps every node to d(root)/d(node) for this pass alone; a leaf's `.grad` after
    `backward()` also contains what earlier passes accumulated. `rows` is always complete,
    but `str()` prints at most `max_rows` of them (None: all) and counts the rest.
    """

    root: Value
    seed: float
    rows: tuple[BackwardRow, ...]
    grads: Mapping[Value, float]
    names: Mapping[Value, str]
    digits: int = 4
    max_rows: int | None = MAX_ROWS

    def grad_of(self, value: Value) -> float:
        """Return d(root)/d(value) for this pass; raise KeyError if `value` is not in the graph."""
        if value not in self.grads:
            raise KeyError(f"{value!r} is not in the graph of {self.names[self.root]}")
        return self.grads[value]

    def __str__(self) -> str:
        def number(x: float) -> str:
            return format_number(x, self.digits)

        shown = self.rows if self.max_rows is None else self.rows[: self.max_rows]
        lines = [[str(c) for c in _COLUMNS]]
        previous_step = 0
        for row in shown:
            # A node with several parents shows its step, name, op and upstream once.
            first = row.step != previous_step
            previous_step = row.step
            lines.append(
                [
                    str(row.step) if first else "",
                    row.node_name if first else "",
                    row.op if first else "",
                    number(row.upstream) if first else "",
                    row.parent_name,
                    number(row.local_grad),
                    number(row.contribution),
                    number(row.accumulated),
                ]
            )
        widths = [max(len(line[i]) for line in lines) for i in range(len(_COLUMNS))]
        title = (
            f"Backward pass of {self.names[self.root]}: seed d{self.names[self.root]}"
            f"/d{self.names[self.root]} = {number(self.seed)}"
        )
        table = [
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip()
            for line in lines
        ]
        hidden = len(self.rows) - len(shown)
        if hidden:
            table.append(
                f"... {hidden} more rows of {len(self.rows)} not shown; they are in `.rows`, "
                f"or print explain(root, max_rows=None) to show all"
            )
        return "\n".join([title, *table])


def explain(
    root: Value, gradient: float = 1.0, digits: int = 4, max_rows: int | None = MAX_ROWS
) -> Explanation:
    """Compute the backward pass of `root` as a table, without changing any `.grad`.

    Parameters
    ----------
    root : Value
        The output to backpropagate from.
    gradient : float, default=1.0
        The seed d(root)/d(root), as in `root.backward(gradient)`.
    digits : int, default=4
        Digits after the decimal point in the printed table (the rows keep full floats).
    max_rows : int or None, default=100
        The maximum number of rows in the printed table, or None for all. A last line counts
        the rows left out. `.rows` always contains every row.

    Returns
    -------
    Explanation
        `.rows` in reverse topological order, `.grads` per node, and `str()` as a table.

    Examples
    --------
    >>> from autograd import Value, explain
    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> c = a * b
    >>> c.label = "c"
    >>> print(explain(c))
    Backward pass of c: seed dc/dc = 1.0000
    step  node  op  upstream  parent  local grad  contribution  parent grad
    1     c     *   1.0000    a       -3.0000     -3.0000       -3.0000
                              b       2.0000      2.0000        2.0000
    >>> a.grad
    0.0
    """
    if not isinstance(root, Value):
        raise TypeError(f"explain needs a Value as `root`, got {type(root).__name__}")
    seed = as_float(gradient, "explain `gradient`")
    check_digits(digits)
    if max_rows is not None and (
        isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 0
    ):
        raise ValueError(f"`max_rows` must be an integer >= 0, or None for all, got {max_rows!r}")
    order = topological_order(root)
    names = {node: node_name(node, i) for i, node in enumerate(order)}

    # Seed, then sweep from the output back, adding each contribution as `backward` does.
    grads: dict[Value, float] = {root: 0.0 + seed}
    rows: list[BackwardRow] = []
    step = 0
    for node in reversed(order):
        if not node.parents:
            continue
        step += 1
        upstream = grads[node]
        caption = op_caption(node)
        for index, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            contribution = upstream * local
            grads[parent] = grads.get(parent, 0.0) + contribution
            rows.append(
                BackwardRow(
                    step=step,
                    node=node,
                    node_name=names[node],
                    op=caption,
                    upstream=upstream,
                    parent=parent,
                    parent_name=names[parent],
                    parent_index=index,
                    local_grad=local,
                    contribution=contribution,
                    accumulated=grads[parent],
                )
            )
    return Explanation(root, seed, tuple(rows), grads, names, digits, max_rows)
