"""`GraphDrawing`: the drawing `draw_graph` returns, shown with the program of `render`.

graphviz.Digraph runs a program named `dot` to display, render or pipe itself, which fails
where only the graphviz-pure command is installed. This subclass runs the program `find_dot`
returns instead, for SVG and PNG.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import graphviz

from autograd.render import check_format, image_path, pipe, write_atomically


class GraphDrawing(graphviz.Digraph):  # type: ignore[misc]
    """A `graphviz.Digraph` that shows and renders itself with the program `find_dot` returns.

    The plain Digraph runs a program named `dot`, which fails where only graphviz-pure is
    installed. This subclass overrides Jupyter's display, `render` and `pipe`, for SVG and PNG
    only. `.source` is the DOT text and needs no program at all.
    """

    def _repr_image_svg_xml(self) -> str:
        return pipe(self.source, "svg").decode("utf-8")

    def _repr_image_png(self) -> bytes:
        return pipe(self.source, "png")

    def pipe(
        self, format: str | None = None, *, encoding: str | None = None, **unsupported: Any
    ) -> bytes | str:
        """Lay out the graph and return the image in `format` (default `self.format`).

        The image is bytes, or text decoded with `encoding` if it is set. Raises
        NotImplementedError for the Digraph options renderer, formatter, neato_no_op and
        engine, which the `dot` lookup of `autograd.render` does not support.
        """
        _reject_options("pipe", unsupported)
        image = pipe(self.source, self.format if format is None else format)
        return image if encoding is None else image.decode(encoding)

    def render(
        self,
        filename: str | os.PathLike[str] | None = None,
        directory: str | os.PathLike[str] | None = None,
        view: bool = False,
        cleanup: bool = False,
        format: str | None = None,
        *,
        outfile: str | os.PathLike[str] | None = None,
        **unsupported: Any,
    ) -> str:
        """Save the DOT source, write the image next to it, and return the image's path.

        As in graphviz.Digraph: the source goes to `directory/filename` (default
        `self.filename`) and the image to that path plus `.<format>`, or to `outfile`, whose
        suffix gives the format. `cleanup` deletes the source afterwards. `view` raises
        NotImplementedError, as do the options listed in `pipe`.
        """
        if view:
            raise NotImplementedError(
                "GraphDrawing.render cannot open a viewer (view=True); open the returned path "
                "yourself, or show the drawing inline in Jupyter"
            )
        _reject_options("render", unsupported)
        if outfile is None:
            image_format = self.format if format is None else format
            check_format(image_format)
        else:
            # As in graphviz 0.21: `outfile` is relative to `self.directory` unless `directory`
            # is given. Without `filename`, the source goes beside it with the suffix .gv.
            base = self.directory if directory is None else ""
            target, image_format = image_path(Path(base, outfile), format)
            if filename is None:
                filename = target.with_suffix(".gv")

        # Lay out first, so a missing program or a bad graph leaves no file behind.
        image = pipe(self.source, image_format)
        source_path = Path(self.save(filename, directory=directory))
        if outfile is None:
            target = source_path.with_name(f"{source_path.name}.{image_format}")
        write_atomically(target, image)
        if cleanup:
            source_path.unlink()
        return str(target)


def _reject_options(method: str, options: dict[str, Any]) -> None:
    # Arguments left at their Digraph defaults change nothing, so they are accepted. `quiet`
    # and `quiet_view` are accepted with any value: program output is logged, never printed.
    defaults = {
        "renderer": None,
        "formatter": None,
        "neato_no_op": None,
        "engine": None,
        "raise_if_result_exists": False,
        "overwrite_source": False,
    }
    options = {k: v for k, v in options.items() if k not in ("quiet", "quiet_view")}
    unknown = sorted(name for name in options if name not in defaults)
    if unknown:
        raise TypeError(f"GraphDrawing.{method} got unexpected arguments {unknown}")
    changed = sorted(name for name, value in options.items() if value != defaults[name])
    if changed:
        raise NotImplementedError(
            f"GraphDrawing.{method} does not support {changed}: it runs the program that "
            f"autograd.render finds (`dot` or `graphviz-pure`) for SVG or PNG only; use "
            f"autograd.render(root, path) or pass the DOT text (`.source`) to Graphviz yourself"
        )
