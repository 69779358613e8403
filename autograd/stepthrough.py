"""`step_through`: the backward pass as a slide show, one SVG frame per step and an HTML page.

Frame 0 shows the seed d(root)/d(root). Frame k shows backward step k of `explain`. The node
whose gradient is passed back is outlined, and its operation and input edges are highlighted.
The grads of its parents turn bold, and every grad computed so far is filled in (`?` elsewhere).
The page inlines every frame, so it opens offline, and links each frame's SVG file.
"""

from __future__ import annotations

import functools
import html
import os
import shutil
from pathlib import Path
from typing import Any

from autograd.backprop import topological_order
from autograd.drawing import build_drawing
from autograd.drawing_labels import format_number
from autograd.drawing_nodes import Frame, make_options
from autograd.explain import BackwardRow, Explanation, explain
from autograd.render import GraphvizNotFoundError, find_dot, pipe, write_atomically
from autograd.stepthrough_page import (
    GENERATOR,
    PAGE_END,
    PAGE_START,
    is_step_through_page,
    linked_frames,
)
from autograd.value import Value

PAGE_NAME = "index.html"
# The page has one frame per step and every frame draws every node, so its size grows with the
# square of the node count. Measured with graphviz-pure 0.2.2 on a chain of `* 1.01` nodes: 50
# nodes give a 5 MB page (10 MB with the frame files) in 1 to 2 s on 2 shared cores, and
# 200 nodes an 82 MB page.
MAX_NODES = 50


def step_through(
    root: Value,
    directory: str | os.PathLike[str],
    dot: str | os.PathLike[str] | None = None,
    **draw_options: Any,
) -> Path:
    """Write the backward pass of `root` as SVG frames plus an HTML page that plays them.

    The pass is computed on the side, as in `explain`, so no `.grad` changes.

    Parameters
    ----------
    root : Value
        The output to backpropagate from.
    directory : str or path
        The folder for `frame_000.svg`, `frame_001.svg`, ... and `index.html`; it is created
        if missing. step_through replaces or removes only files that an earlier step_through
        wrote there: its `index.html` and the frame files that this page links. Frames of an
        earlier, longer run are removed. Other files in the folder are left alone.
    dot : str or path, default=None
        The Graphviz program; None looks for `dot`, then `graphviz-pure` (see `find_dot`).
    **draw_options
        Passed to `draw_graph`, except `collapse`, which a step-by-step drawing cannot use.
        `max_nodes` defaults to 50 here (None: no limit), because the page contains one drawing
        of the whole graph per step: a 50-node graph gives a page of about 5 MB.

    Raises
    ------
    ValueError
        If the graph has more than `max_nodes` values, or `directory` ends in `.html`.
    FileExistsError
        If the folder has an `index.html` or frame file that step_through would overwrite but
        did not write; nothing is written then.
    GraphvizNotFoundError
        If no Graphviz program is found; nothing is written then.

    Returns
    -------
    pathlib.Path
        The HTML page: previous/next buttons (and the arrow keys) move between frames.

    Examples
    --------
    >>> import tempfile
    >>> from autograd import Value, step_through
    >>> x = Value(0.5, label="x")
    >>> y = x * x + x
    >>> page = step_through(y, tempfile.mkdtemp())
    >>> sorted(p.name for p in page.parent.iterdir())
    ['frame_000.svg', 'frame_001.svg', 'frame_002.svg', 'index.html']
    """
    if not isinstance(root, Value):
        raise TypeError(f"step_through needs a Value as `root`, got {type(root).__name__}")
    if draw_options.get("collapse") is not None:
        raise ValueError(
            "step_through draws every node, so `collapse` must be None; draw a collapsed "
            "graph with draw_graph or render instead"
        )
    draw_options.setdefault("max_nodes", MAX_NODES)
    options = make_options(**draw_options)
    order = topological_order(root)
    _check_size(len(order), options.max_nodes)
    folder = Path(directory)
    if folder.suffix.lower() in (".html", ".htm"):
        raise ValueError(
            f"`directory` must be a folder for the frames and {PAGE_NAME}, got {str(folder)!r}; "
            f"pass a folder such as {str(folder.with_suffix(''))!r} and open {PAGE_NAME} in it"
        )
    program = _find_program(dot)
    explanation = explain(root, digits=options.digits)
    frames = _frames(explanation)
    names = [f"frame_{index:03d}.svg" for index in range(len(frames))]
    earlier_frames = _check_folder(folder, names)
    folder.mkdir(parents=True, exist_ok=True)

    # One frame per step: draw it, lay it out, and keep the SVG for the page.
    slides = []
    for name, (caption, frame) in zip(names, frames):
        svg = pipe(build_drawing(order, options, frame).source, "svg", program)
        write_atomically(folder / name, svg)
        slides.append((name, caption, svg.decode("utf-8")))

    title = f"Backward pass of {explanation.names[root]}"
    page = write_atomically(folder / PAGE_NAME, _page(title, slides).encode("utf-8"))

    # Only frames that the earlier page linked are removed, so files the user put here stay.
    for name in earlier_frames.difference(names):
        (folder / name).unlink(missing_ok=True)
    return page


def _check_size(count: int, max_nodes: int | None) -> None:
    if max_nodes is None or count <= max_nodes:
        return
    raise ValueError(
        f"step_through: the graph has {count} nodes, more than max_nodes={max_nodes}. The "
        f"page draws the whole graph once per backward step, so its size grows with the "
        f"square of the node count (about 5 MB at 50 nodes). Options: pass a larger "
        f"max_nodes, or max_nodes=None for no limit; draw the whole graph once with "
        f"draw_graph or render, where collapse='layer' or 'neuron' draws one box per layer "
        f"or neuron; or step through a subgraph by passing an intermediate Value as the root."
    )


def _find_program(dot: str | os.PathLike[str] | None) -> Path:
    # Looked up before the folder is created, so a missing program leaves nothing behind.
    if dot is None:
        return find_dot()
    found = shutil.which(dot)
    if found is None:
        raise GraphvizNotFoundError(
            f"The Graphviz program {dot} was not found or is not executable; pass dot=None to "
            f"look for `dot`, then `graphviz-pure`"
        )
    return Path(found)


def _frames(explanation: Explanation) -> list[tuple[str, Frame]]:
    """Return the caption and drawing state of the seed frame and of each backward step."""
    root = explanation.root
    number = functools.partial(format_number, digits=explanation.digits)
    name = explanation.names[root]
    grads: dict[Value, float] = {root: explanation.seed}
    width = _grad_width(explanation)
    frames = [
        (
            f"Seed: d{name}/d{name} = {number(explanation.seed)}",
            Frame(grads=dict(grads), updated=frozenset({root}), grad_width=width),
        )
    ]
    steps = _rows_by_step(explanation.rows)
    for step, rows in enumerate(steps, start=1):
        node = rows[0].node
        inputs = ", ".join(row.parent_name for row in rows)
        lines = [
            f"Step {step} of {len(steps)}: {rows[0].node_name} ({rows[0].op} of {inputs}) "
            f"passes back its gradient {number(rows[0].upstream)}"
        ]
        for row in rows:
            grads[row.parent] = row.accumulated
            lines.append(
                f"{row.parent_name}.grad += {number(row.upstream)} × {number(row.local_grad)} "
                f"= {number(row.contribution)}, now {number(row.accumulated)}"
            )
        updated = frozenset(row.parent for row in rows)
        frame = Frame(grads=dict(grads), active=node, updated=updated, grad_width=width)
        frames.append(("\n".join(lines), frame))
    return frames


def _rows_by_step(rows: tuple[BackwardRow, ...]) -> list[list[BackwardRow]]:
    steps: list[list[BackwardRow]] = []
    for row in rows:
        if not steps or steps[-1][0].step != row.step:
            steps.append([])
        steps[-1].append(row)
    return steps


def _grad_width(explanation: Explanation) -> int:
    # An estimate of the widest grad text in points. Helvetica digits are 0.556 em wide, bold
    # or not (6.1 points at 11 points), so 7 per character leaves a margin. Wider text still
    # fits, but then its box grows and the layout may move between frames.
    longest = max(
        len(f"grad {format_number(g, explanation.digits)}") for g in explanation.grads.values()
    )
    return 7 * longest


def _check_folder(folder: Path, names: list[str]) -> set[str]:
    """Return the frames linked by an earlier step_through page in `folder`.

    Raise FileExistsError if writing `names` and the page would overwrite any other file.
    """
    # NOTE: a run stopped after writing frames but before the page leaves frames that no page
    # links, so the next run into this folder raises for them until they are removed.
    page = folder / PAGE_NAME
    if not page.exists():
        earlier_frames: set[str] = set()
    else:
        text = page.read_text(encoding="utf-8", errors="replace")
        if not is_step_through_page(text):
            raise FileExistsError(
                f"step_through: {page} exists and was not written by step_through, so it is "
                f"not replaced; pass an empty or new folder as `directory`, or move that file"
            )
        earlier_frames = linked_frames(text)

    foreign = [name for name in names if name not in earlier_frames and (folder / name).exists()]
    if foreign:
        raise FileExistsError(
            f"step_through: {folder} contains {', '.join(foreign)}, which no step_through page "
            f"there links, so they are not replaced; pass an empty or new folder as "
            f"`directory`, or move those files"
        )
    return earlier_frames


def _inline_svg(svg: str, index: int) -> str:
    # Drop the XML declaration, DOCTYPE and comments before <svg>, and make the ids unique
    # across frames, because every frame uses the same ids (graph0, node1, ...).
    start = svg.index("<svg")
    return svg[start:].replace(' id="', f' id="f{index}_')


def _page(title: str, slides: list[tuple[str, str, str]]) -> str:
    figures = []
    for index, (name, caption, svg) in enumerate(slides):
        figures.append(
            f'<figure class="frame" id="frame-{index}" hidden>\n'
            f"{_inline_svg(svg, index)}\n"
            f"<figcaption><pre>{html.escape(caption)}</pre>"
            f'<a href="{html.escape(name)}">{html.escape(name)}</a></figcaption>\n'
            f"</figure>"
        )
    start = PAGE_START.format(generator=GENERATOR, title=html.escape(title))
    return start + "\n".join(figures) + PAGE_END
