"""The text of a drawn graph: escaping for Graphviz HTML-like labels, numbers, node and op names.

Every label is an HTML-like label (`<...>` in DOT): `&`, `<`, `>` and `"` become entities and a
newline becomes `<br/>`. Graphviz still expands `\\N` (the node name), `\\G` and the like in
HTML-like labels after decoding entities, and reads two backslashes as one, so each backslash
is written as two (`&#92;&#92;`). Characters outside ASCII pass through as UTF-8. The tests
render labels with graphviz-pure 0.2.2 (a port of Graphviz 16.1.0) and read them back.
"""

from __future__ import annotations

import math

from autograd.nary import dot_partners
from autograd.ops import operands
from autograd.value import BINARY_OPS, Value

_ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\\": "&#92;&#92;",
}


def escape_html(text: str) -> str:
    """Escape `text` for a Graphviz HTML-like label, so that it renders literally.

    Newlines become line breaks. Other control characters, which XML (and so SVG) cannot
    contain, are shown as their Python escape, for example `\\x01`.

    Examples
    --------
    >>> escape_html('a<b> & "c" \\\\ {d|e}')
    'a&lt;b&gt; &amp; &quot;c&quot; &#92;&#92; {d|e}'
    >>> escape_html("pérdida\\nfinal")
    'pérdida<br/>final'
    """
    pieces = []
    for char in text:
        if char == "\n":
            pieces.append("<br/>")
        elif char in _ENTITIES:
            pieces.append(_ENTITIES[char])
        elif char < " " or "\x7f" <= char <= "\x9f":
            pieces.append(escape_html(repr(char)[1:-1]))
        else:
            pieces.append(char)
    return "".join(pieces)


def format_number(x: float, digits: int) -> str:
    """Format `x` with `digits` digits after the point, switching to exponent form when needed.

    Fixed notation would print 1e-9 as 0.0000 and 1e12 with 13 digits, so magnitudes outside
    [1e-3, 1e6) use scientific notation. nan and inf print as `nan`, `inf` and `-inf`.

    Examples
    --------
    >>> format_number(2.0, 4), format_number(-1e-9, 4), format_number(float("inf"), 4)
    ('2.0000', '-1.0000e-09', 'inf')
    """
    if x == 0.0 or not math.isfinite(x) or 1e-3 <= abs(x) < 1e6:
        return f"{x:.{digits}f}"
    return f"{x:.{digits}e}"


def check_digits(digits: object) -> int:
    """Return `digits` if it is an int from 0 to 17 (the most a float64 needs), else raise."""
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= 17:
        raise ValueError(f"`digits` must be an integer from 0 to 17, got {digits!r}")
    return digits


def format_constant(x: float) -> str:
    """Format a constant operand with up to 6 significant digits (2.0 prints as `2`)."""
    return f"{x:.6g}"


def node_name(node: Value, index: int) -> str:
    """Return the name shown for a node: its label, or `#index` (its topological position)."""
    return node.label if node.label else f"#{index}"


def op_caption(node: Value) -> str:
    """Return the text of a node's operation, with a folded constant operand in place.

    x * 2 shows as `* 2` and 2 - x as `2 -`; a sum with a nonzero start shows it, as `sum + 1`.

    Examples
    --------
    >>> from autograd import Value, sum
    >>> x = Value(3.0)
    >>> op_caption(x * 2), op_caption(2 - x), op_caption(x.exp()), op_caption(sum([x], 1.0))
    ('* 2', '2 -', 'exp', 'sum + 1')
    """
    if node.op in BINARY_OPS and len(node.parents) == 1:
        left, right = operands(node)
        if isinstance(right, Value):
            return f"{format_constant(float(left))} {node.op}"
        return f"{node.op} {format_constant(float(right))}"
    if node.op == "sum" and isinstance(node.saved, float) and node.saved != 0.0:
        sign = "-" if node.saved < 0.0 else "+"
        return f"sum {sign} {format_constant(abs(node.saved))}"
    return node.op


def edge_captions(node: Value) -> list[str]:
    """Return one caption per parent edge: `× c` for a constant factor c of a dot, else ""."""
    if node.op != "dot":
        return [""] * len(node.parents)
    # The two fast layouts of dot always end with a Value bias, whose factor 1 needs no caption.
    # In the general layout a constant input of 1 and a Value bias look alike, so neither gets one.
    bias_known = node.saved is None or isinstance(node.saved, int)
    last = len(node.parents) - 1
    captions = []
    for index, partner in enumerate(dot_partners(node)):
        is_bias = index == last if bias_known else partner == 1.0
        if isinstance(partner, Value) or is_bias:
            captions.append("")
        else:
            captions.append(f"× {format_constant(partner)}")
    return captions
