"""Checks of the loss targets: real values for MSE and BCE, class indices for cross-entropy."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from autograd import Value


def real_targets(targets: object, rows: list[list[Value]], argument: str) -> NDArray[Any]:
    """Return the targets as a float64 array of shape (N, n_outputs), or raise ValueError."""
    y = np.asarray(targets, dtype=np.float64)
    n, width = len(rows), len(rows[0])
    if y.ndim == 1 and width == 1:
        y = y.reshape(-1, 1)
    if y.shape != (n, width):
        raise ValueError(_shape_message(y, n, width, argument))
    if not np.isfinite(y).all():
        raise ValueError(f"`{argument}` must be finite, got nan or inf")
    return y


def _shape_message(y: NDArray[Any], n: int, width: int, argument: str) -> str:
    accepted = f"({n},) or ({n}, 1)" if width == 1 else f"({n}, {width})"
    samples = "1 sample" if n == 1 else f"{n} samples"
    outputs = "1 output" if width == 1 else f"{width} outputs"
    message = (
        f"`{argument}` must have shape {accepted} for {samples} with {outputs}, got shape {y.shape}"
    )
    looks_like_labels = (
        width > 1 and y.shape == (n,) and bool(np.all((y == np.round(y)) & (y >= 0) & (y < width)))
    )
    if looks_like_labels:
        message += (
            "; these targets look like class indices, so for classification use "
            f"cross_entropy_loss on the logits, or pass one-hot rows of shape ({n}, {width})"
        )
    return message


def check_unit_interval_targets(y: NDArray[Any]) -> None:
    """Raise ValueError at the first binary cross-entropy target outside [0, 1]."""
    outside = np.argwhere((y < 0.0) | (y > 1.0))
    if outside.size:
        i, k = outside[0]
        raise ValueError(f"`targets` must be in [0, 1] for binary cross-entropy, got {y[i, k]}")


def class_targets(targets: object, rows: list[list[Value]]) -> list[int]:
    """Return one class index per sample from indices or one-hot rows, or raise ValueError."""
    y = np.asarray(targets)
    n, n_classes = len(rows), len(rows[0])
    if y.ndim == 2:
        return _one_hot_classes(y, n, n_classes)
    if y.shape != (n,) or y.dtype.kind not in "biuf":
        raise ValueError(
            f"`targets` must be {n} class indices or a ({n}, {n_classes}) one-hot array, "
            f"got shape {y.shape} and dtype {y.dtype}"
        )
    classes = y.astype(np.int64)
    bad = np.flatnonzero((classes != y) | (classes < 0) | (classes >= n_classes))
    if bad.size:
        i = bad[0]
        raise ValueError(
            f"`targets[{i}]` is {y[i].item()!r}, but class indices must be integers from 0 to "
            f"{n_classes - 1} ({n_classes} classes)"
        )
    return classes.tolist()  # type: ignore[no-any-return]


def _one_hot_classes(y: NDArray[Any], n: int, n_classes: int) -> list[int]:
    if y.shape != (n, n_classes):
        raise ValueError(
            f"one-hot `targets` must have shape ({n}, {n_classes}), got {y.shape}"
        )
    valid = np.isin(y, (0, 1)).all(axis=1) & (y.sum(axis=1) == 1)
    bad = np.flatnonzero(~valid)
    if bad.size:
        raise ValueError(
            f"`targets[{bad[0]}]` must be a one-hot row (a single 1, zeros elsewhere), "
            f"got {y[bad[0]].tolist()}"
        )
    return y.argmax(axis=1).tolist()  # type: ignore[no-any-return]
