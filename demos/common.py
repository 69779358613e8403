"""Parts shared by the demos: options, report, history file, graph rendering and metrics."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import autograd
import nn


class OptionError(ValueError):
    """A command-line option value that a demo rejects, with the option's command-line name.

    The command line prints it as `argument --out: ...` and exits with status 2, as argparse does
    for the values it checks itself.
    """

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option


@dataclass(frozen=True)
class Options:
    """Settings of one demo run; the command line fills them from a demo's defaults.

    Attributes
    ----------
    epochs : int
        Passes over the training set.
    lr : float
        Learning rate η of the optimizer.
    batch_size : int or None
        Samples per optimizer step: None is the whole training set (GD), 1 is SGD.
    seed : int
        Seed of the weight initialization, the data split and the batch order.
    out : Path
        Folder for the pictures and the history; created if missing.
    progress : bool
        Show a progress bar while training.
    """

    epochs: int
    lr: float
    batch_size: int | None
    seed: int = 0
    out: Path = Path("out")
    progress: bool = True


@dataclass
class Report:
    """The metrics of a demo run and the files it wrote."""

    name: str
    metrics: dict[str, float] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        """Format the metrics and the written files as lines for the terminal."""
        lines = [f"{self.name} finished"]
        lines += [f"  {key}: {format_metric(value)}" for key, value in self.metrics.items()]
        lines += [f"  wrote {path}" for path in self.files]
        return "\n".join(lines)


def format_metric(value: float) -> str:
    """Format a metric with four decimals, or in scientific notation when it is tiny or huge.

    Examples
    --------
    >>> format_metric(1.0), format_metric(55.0123), format_metric(4.4e-16), format_metric(3e300)
    ('1.0000', '55.0123', '4.40e-16', '3.00e+300')
    """
    if value != 0.0 and not 1e-3 <= abs(value) < 1e6:
        return f"{value:.2e}"
    return f"{value:.4f}"


@dataclass(frozen=True)
class Demo:
    """A runnable demo: its one-line description, default options and entry point."""

    description: str
    defaults: Options
    run: Callable[[Options], Report]


def prepare_output(options: Options) -> Path:
    """Create the output folder and return it.

    Raises
    ------
    OptionError
        If `options.out` is an existing file, or the folder cannot be created.
    """
    out = options.out
    if out.exists() and not out.is_dir():
        raise OptionError(
            "--out", f"{str(out)!r} is an existing file, not a folder. Choose another path."
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OptionError(
            "--out",
            f"cannot create the folder {str(out)!r}: {error.strerror or error}. "
            f"Choose a path under a folder you can write to.",
        ) from error
    return out


def check_batch_size(batch_size: int | None, n_samples: int) -> None:
    """Reject a batch size larger than the training set, naming the command-line values.

    Raises
    ------
    OptionError
        If `batch_size` is larger than `n_samples`. None (the whole set) is always accepted.
    """
    if batch_size is not None and batch_size > n_samples:
        raise OptionError(
            "--batch-size",
            f"{batch_size} is larger than the training set of {n_samples} samples. "
            f"Use 1 to {n_samples}, or full for the whole set.",
        )


def write_history(
    path: Path, history: nn.History, metrics: dict[str, float], options: Options
) -> Path:
    """Write the training history, the final metrics and the options as JSON."""
    record = {
        "options": {
            "epochs": options.epochs,
            "lr": options.lr,
            "batch_size": options.batch_size,
            "seed": options.seed,
        },
        "metrics": metrics,
        "step_loss": [float(loss) for loss in history.step_loss],
        "epoch_loss": [float(loss) for loss in history.epoch_loss],
        "elapsed_seconds": [float(seconds) for seconds in history.elapsed],
    }
    path.write_text(json.dumps(record, indent=2) + "\n")
    return path


def render_graph(root: autograd.Value, path: Path, **draw_options: Any) -> Path | None:
    """Render the computation graph ending at `root` to an SVG file at `path`.

    Without a Graphviz program, print a one-line warning to stderr that names how to install one,
    skip the graph and return None, so that a learner still gets the other files.
    """
    try:
        return autograd.render(root, path, format="svg", **draw_options)
    except autograd.GraphvizNotFoundError:
        print(
            f"warning: skipped {path.name} because no Graphviz program was found. Install one "
            f"with `pip install graphviz-pure` or the system package (`apt-get install graphviz`).",
            file=sys.stderr,
        )
        return None


def written_files(*paths: Path | None) -> list[Path]:
    """Return the paths that were written, dropping the None of a skipped graph."""
    return [path for path in paths if path is not None]


def accuracy(predicted: np.ndarray, true: np.ndarray) -> float:
    """Return the fraction of predicted class indices equal to the true ones."""
    return float(np.mean(predicted == true))


def confusion_matrix(true: np.ndarray, predicted: np.ndarray, n_classes: int) -> np.ndarray:
    """Count samples by true class (row) and predicted class (column).

    Examples
    --------
    >>> confusion_matrix(np.array([0, 1, 1]), np.array([0, 1, 0]), 2).tolist()
    [[1, 0], [1, 1]]
    """
    matrix = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(matrix, (true, predicted), 1)
    return matrix
