"""Pictures the demos write: loss curves, a confusion matrix, a decision boundary, fits.

Every function draws a `matplotlib.figure.Figure` made without pyplot and saves it to `path`.
Such a figure renders with the non-interactive Agg canvas, so the demos run on machines without
a display, and importing this module leaves pyplot's backend (in Jupyter, for example) alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

DPI = 100


def save(figure: Figure, path: Path) -> Path:
    """Save `figure` to `path`, in the format its suffix names, and return the path."""
    figure.tight_layout()
    figure.savefig(path, dpi=DPI)
    return path


def plot_loss(
    step_loss: Sequence[float], epoch_loss: Sequence[float], path: Path, title: str
) -> Path:
    """Plot the loss of every optimizer step and the mean loss of every epoch."""
    figure = Figure(figsize=(6, 4))
    axes = figure.subplots()
    steps_per_epoch = len(step_loss) / max(1, len(epoch_loss))
    step_epochs = np.arange(1, len(step_loss) + 1) / steps_per_epoch
    axes.plot(step_epochs, step_loss, color="tab:blue", alpha=0.3, linewidth=0.8, label="each step")
    axes.plot(np.arange(1, len(epoch_loss) + 1), epoch_loss, color="tab:blue", label="epoch mean")
    axes.set_xlabel("epoch")
    axes.set_ylabel("loss")
    axes.set_yscale("log")
    axes.set_title(title)
    axes.legend()
    return save(figure, path)


def plot_confusion_matrix(
    matrix: np.ndarray, class_names: Sequence[str], path: Path, title: str
) -> Path:
    """Plot a confusion matrix, rows the true class and columns the predicted class."""
    figure = Figure(figsize=(4.8, 4.2))
    axes = figure.subplots()
    axes.imshow(matrix, cmap="Blues")
    ticks = np.arange(len(class_names))
    axes.set_xticks(ticks, class_names)
    axes.set_yticks(ticks, class_names)
    axes.set_xlabel("predicted class")
    axes.set_ylabel("true class")
    axes.set_title(title)

    # Dark text on light cells and light text on dark ones.
    threshold = matrix.max() / 2.0
    for row, column in np.ndindex(matrix.shape):
        color = "white" if matrix[row, column] > threshold else "black"
        axes.text(column, row, str(matrix[row, column]), ha="center", va="center", color=color)
    return save(figure, path)


def plot_decision_boundary(
    predict: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    path: Path,
    title: str,
) -> Path:
    """Plot the predicted probability of class 1 over the plane, with the samples on top.

    `predict` maps an (M, 2) array of points to M probabilities; the 0.5 contour is the boundary.
    """
    margin = 0.5
    x_grid, y_grid = np.meshgrid(
        np.linspace(X[:, 0].min() - margin, X[:, 0].max() + margin, 60),
        np.linspace(X[:, 1].min() - margin, X[:, 1].max() + margin, 60),
    )
    points = np.column_stack([x_grid.ravel(), y_grid.ravel()])
    probability = np.asarray(predict(points)).reshape(x_grid.shape)

    figure = Figure(figsize=(6, 4.5))
    axes = figure.subplots()
    filled = axes.contourf(
        x_grid, y_grid, probability, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6
    )
    axes.contour(x_grid, y_grid, probability, levels=[0.5], colors="black", linewidths=1.5)
    axes.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu_r", edgecolors="black", linewidths=0.5, s=20)
    figure.colorbar(filled, ax=axes, label="P(class 1)")
    axes.set_title(title)
    return save(figure, path)


def plot_cost_comparison(
    epoch_costs: Mapping[str, Sequence[float]],
    elapsed: Mapping[str, Sequence[float]],
    path: Path,
    title: str,
) -> Path:
    """Plot the cost J of several runs against epochs (left) and wall-clock seconds (right).

    Entry 0 of each run is J at the initial weights, and entry k is J after epoch k.
    """
    figure = Figure(figsize=(10, 4))
    by_epoch, by_time = figure.subplots(1, 2, sharey=True)
    for name, costs in epoch_costs.items():
        epochs = np.arange(len(costs))
        by_epoch.plot(epochs, costs, marker=".", label=name)
        by_time.plot(elapsed[name], costs, marker=".", label=name)

    by_epoch.set_xlabel("epoch")
    by_epoch.set_ylabel("cost J on the training set")
    by_epoch.set_yscale("log")
    by_time.set_xlabel("training time (s)")
    by_epoch.legend()
    figure.suptitle(title)
    return save(figure, path)


def plot_regression_fit(
    x: np.ndarray, y: np.ndarray, x_curve: np.ndarray, y_curve: np.ndarray, path: Path, title: str
) -> Path:
    """Plot one-dimensional samples and the model's curve through them."""
    figure = Figure(figsize=(6, 4))
    axes = figure.subplots()
    axes.scatter(x, y, s=15, color="tab:gray", label="samples")
    axes.plot(x_curve, y_curve, color="tab:red", label="model")
    axes.set_xlabel("x")
    axes.set_ylabel("y")
    axes.set_title(title)
    axes.legend()
    return save(figure, path)


def plot_predicted_vs_true(true: np.ndarray, predicted: np.ndarray, path: Path, title: str) -> Path:
    """Plot predicted against true targets; a perfect model puts every point on the diagonal."""
    figure = Figure(figsize=(5, 5))
    axes = figure.subplots()
    low = float(min(true.min(), predicted.min()))
    high = float(max(true.max(), predicted.max()))
    axes.plot([low, high], [low, high], color="black", linewidth=1, label="predicted = true")
    axes.scatter(true, predicted, s=15, alpha=0.7)
    axes.set_xlabel("true target")
    axes.set_ylabel("predicted target")
    axes.set_title(title)
    axes.legend()
    return save(figure, path)
