"""`render`: write a drawn graph as SVG or PNG with a Graphviz `dot` program.

The program is looked up in this order:

1. the system Graphviz `dot` on PATH;
2. the `graphviz-pure` command on PATH (a self-contained port of dot, from the package index);
3. `graphviz-pure` in the folder of the running interpreter. pip puts the commands of a
   virtual environment there, and that folder is not on PATH unless the environment is active.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from autograd.value import Value

logger = logging.getLogger(__name__)

FORMATS = ("svg", "png")
# Seconds a single layout may take before the program is stopped.
RENDER_TIMEOUT = 120.0
INSTALL_HELP = (
    "Install one of them: the system Graphviz (for example `apt-get install graphviz`, "
    "`brew install graphviz`, or the installer from graphviz.org), or the graphviz-pure "
    "command with `pip install graphviz-pure` (included in `pip install gradiente[demos]`)."
)


class GraphvizNotFoundError(FileNotFoundError):
    """Raised when neither the system `dot` nor the `graphviz-pure` command can be found."""


def find_dot(
    search_path: str | None = None, interpreter_dir: str | os.PathLike[str] | None = None
) -> Path:
    """Return the program that renders DOT: `dot`, else `graphviz-pure`.

    Parameters
    ----------
    search_path : str, default=None
        The folders to search, joined by `os.pathsep`; None uses the PATH environment variable.
    interpreter_dir : str or path, default=None
        The folder searched last for `graphviz-pure`; None uses the folder of `sys.executable`.

    Raises
    ------
    GraphvizNotFoundError
        If no folder contains either program. The message names the folders and how to install.

    Examples
    --------
    >>> find_dot().name in ("dot", "dot.exe", "graphviz-pure", "graphviz-pure.exe")
    True
    """
    path = os.environ.get("PATH", os.defpath) if search_path is None else search_path
    folders = [folder for folder in path.split(os.pathsep) if folder]
    for name in ("dot", "graphviz-pure"):
        found = _which(name, folders)
        if found is not None:
            return found

    interpreter = Path(sys.executable).parent if interpreter_dir is None else Path(interpreter_dir)
    found = _which("graphviz-pure", [str(interpreter)])
    if found is not None:
        return found
    raise GraphvizNotFoundError(
        f"No Graphviz program found to render the graph: `dot` and `graphviz-pure` are missing "
        f"from PATH ({os.pathsep.join(folders) or 'empty'}) and `graphviz-pure` from the "
        f"interpreter's folder ({interpreter}). {INSTALL_HELP}"
    )


def _which(name: str, folders: list[str]) -> Path | None:
    # shutil.which would search the current directory for an empty folder list.
    if not folders:
        return None
    found = shutil.which(name, path=os.pathsep.join(folders))
    return Path(found) if found is not None else None


def pipe(source: str, format: str, dot: str | os.PathLike[str] | None = None) -> bytes:
    """Lay out DOT `source` with a Graphviz program and return the image in `format`.

    Parameters
    ----------
    source : str
        DOT text, for example `draw_graph(root).source`.
    format : {"svg", "png"}
    dot : str or path, default=None
        The program to run; None runs `find_dot()`.

    Raises
    ------
    GraphvizNotFoundError
        If no program is found.
    RuntimeError
        If the program fails or takes longer than 120 seconds; the message has its error output.
    """
    check_format(format)
    program = find_dot() if dot is None else Path(dot)
    command = [str(program), f"-T{format}"]
    try:
        result = subprocess.run(
            command, input=source.encode("utf-8"), capture_output=True, timeout=RENDER_TIMEOUT
        )
    except FileNotFoundError as error:
        raise GraphvizNotFoundError(
            f"The Graphviz program {program} was not found. {INSTALL_HELP}"
        ) from error
    except subprocess.TimeoutExpired as error:
        raise RuntimeError(
            f"{' '.join(command)} did not finish within {RENDER_TIMEOUT:.0f} s; draw fewer "
            f"nodes (max_nodes, collapse, or an intermediate Value as the root)."
        ) from error
    errors = result.stderr.decode("utf-8", errors="replace").strip()
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed with exit code {result.returncode}: {errors}"
        )
    if errors:
        # graphviz-pure 0.2.2 warns about font metrics of non-ASCII text, and still draws it.
        logger.debug("%s wrote to stderr: %s", program, errors)
    return result.stdout


def render(
    root: Any,
    path: str | os.PathLike[str],
    format: str | None = None,
    dot: str | os.PathLike[str] | None = None,
    **draw_options: Any,
) -> Path:
    """Draw the graph of `root` and write it to `path` as SVG or PNG.

    Parameters
    ----------
    root : Value or graphviz.Digraph
        The output whose graph is drawn with `draw_graph(root, **draw_options)`, or a drawing
        already made (then `draw_options` must be empty).
    path : str or path
        The file to write. Missing parent folders are created, and the file is replaced in one
        step, so a reader never sees half an image.
    format : {None, "svg", "png"}, default=None
        None takes the format from the suffix of `path`: `.svg` or `.png`. A `path` without a
        suffix gets `.svg`, or `.png` with `format="png"`. Any other suffix, or a suffix that
        disagrees with `format`, raises ValueError.
    dot : str or path, default=None
        The Graphviz program to run; None looks for `dot`, then `graphviz-pure` (see
        `find_dot`).
    **draw_options
        Passed to `draw_graph`: rankdir, show_grad, max_nodes, collapse, parameters, digits,
        legend.

    Returns
    -------
    pathlib.Path
        The file written: `path`, with the suffix added if it had none.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from autograd import Value, render
    >>> x = Value(3.0, label="x")
    >>> y = (x * x).tanh()
    >>> y.backward()
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> render(y, folder / "graph.svg").read_text(encoding="utf-8").count("data 3.0000")
    1
    >>> render(y, folder / "graph", format="png").name
    'graph.png'
    """
    from autograd.drawing import draw_graph

    target, image_format = image_path(Path(path), format)
    if isinstance(root, Value):
        source = draw_graph(root, **draw_options).source
    elif isinstance(getattr(root, "source", None), str) and not draw_options:
        source = root.source
    else:
        raise TypeError(
            f"render needs a Value, or a drawing from draw_graph with no draw options, got "
            f"{type(root).__name__}"
            + (f" and options {sorted(draw_options)}" if draw_options else "")
        )
    image = pipe(source, image_format, dot)
    return write_atomically(target, image)


def image_path(path: Path, format: str | None) -> tuple[Path, str]:
    """Return the file to write and its format, from the suffix of `path` and `format`.

    Raises ValueError for an unsupported format or suffix, or when the two disagree.
    """
    if format is not None:
        check_format(format)
    if not path.suffix:
        image_format = "svg" if format is None else format
        return path.with_name(f"{path.name}.{image_format}"), image_format

    suffix_format = path.suffix[1:].lower()
    if suffix_format not in FORMATS:
        raise ValueError(
            f"render writes {' or '.join(FORMATS)} files, but the path {str(path)!r} ends in "
            f"{path.suffix!r}; end it in .svg or .png (graphviz-pure does not write pdf or ps)"
        )
    if format is not None and format != suffix_format:
        raise ValueError(
            f"`format` is {format!r} but the path {str(path)!r} ends in {path.suffix!r}; "
            f"pass format=None to take the format from the suffix, or change the suffix"
        )
    return path, suffix_format


def write_atomically(path: Path, data: bytes) -> Path:
    """Write `data` to `path` through a temporary file in the same folder, then rename it.

    The data is flushed to disk before the rename, so after a crash `path` contains either the
    old or the new contents. The new file gets the permissions 0o666 minus the umask, as with
    a plain open(), and an unrelated file that happens to share the temporary name is never
    opened or removed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary, descriptor = _create_temporary(path)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


# O_BINARY (Windows only) stops newline translation in the bytes written.
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _create_temporary(path: Path) -> tuple[Path, int]:
    # os.open with mode 0o666 lets the umask set the permissions, where tempfile.mkstemp would
    # always give 0o600. O_EXCL makes a name collision fail instead of sharing a file, and the
    # random part keeps two threads or processes writing the same path apart.
    for _ in range(100):
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        try:
            return temporary, os.open(temporary, _CREATE_FLAGS, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(
        f"failed to create a temporary file next to {path}: 100 random names were all taken; "
        f"remove the .{path.name}.*.tmp files in {path.parent}"
    )


def check_format(format: str) -> None:
    if format not in FORMATS:
        raise ValueError(
            f"`format` must be one of {', '.join(FORMATS)}, got {format!r}; "
            f"graphviz-pure does not write pdf or ps"
        )
