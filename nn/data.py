"""Input checks for samples and data sets, and `batches`, which splits a data set for GD and SGD."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from autograd import Value

Seed = int | np.random.Generator | None


def random_generator(seed: object, argument: str = "seed") -> np.random.Generator:
    """Return a numpy Generator for `seed`: None, a non-negative int, or a Generator used as is.

    Raises
    ------
    TypeError
        If `seed` is of another type, such as a str, a float or a bool.
    ValueError
        If `seed` is a negative int.

    Examples
    --------
    >>> from nn.data import random_generator
    >>> float(random_generator(0).random()) == float(random_generator(0).random())
    True
    """
    if seed is None or isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(
            f"`{argument}` must be a non-negative int, a numpy Generator or None, "
            f"got {type(seed).__name__} {seed!r}"
        )
    if seed < 0:
        raise ValueError(
            f"`{argument}` must be a non-negative int, a numpy Generator or None, got {int(seed)}"
        )
    return np.random.default_rng(int(seed))


def as_sample(x: object, n_in: int, argument: str = "x") -> list[Value | float]:
    """Return one sample as a list of n_in Python floats (or Values), checking its length.

    Python floats, not numpy scalars, because `autograd.dot` has a fast path for float inputs.

    Raises
    ------
    TypeError
        If `x` is not a sequence, or an entry is neither a Value nor a real number.
    ValueError
        If `x` does not contain n_in entries, or a number is nan or ±inf, as in `as_features`.
    """
    if (
        isinstance(x, list)
        and len(x) == n_in
        and all(type(v) is float for v in x)
        and all(map(math.isfinite, x))
    ):
        return x
    if isinstance(x, (str, bytes)) or not hasattr(x, "__len__"):
        raise TypeError(f"`{argument}` must be a sequence of {n_in} numbers, got {x!r}")
    values = list(x)  # type: ignore[call-overload]
    if len(values) != n_in:
        raise ValueError(
            f"`{argument}` must contain {n_in} features (the model's n_in), got {len(values)}"
        )
    return [v if isinstance(v, Value) else _as_number(v, argument, i) for i, v in enumerate(values)]


def _as_number(v: object, argument: str, index: int) -> float:
    try:
        number = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise TypeError(
            f"`{argument}[{index}]` must be a number, got {type(v).__name__} {v!r}"
        ) from None
    if not math.isfinite(number):
        raise ValueError(
            f"`{argument}[{index}]` must be finite, got {number!r}; remove or impute those "
            "values first"
        )
    return number


def as_features(X: object, n_in: int | None = None, argument: str = "X") -> NDArray[np.float64]:
    """Return X as a float64 array of shape (N, n_in), or raise ValueError saying what is wrong.

    Rejected: ragged rows, a wrong number of features, non-numbers, nan and no samples.
    """
    rows = _rows_of(X, argument)
    try:
        array = np.asarray(rows, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"`{argument}` must contain only numbers: {error}") from None
    if array.ndim == 1:
        # One feature per sample, given as a flat sequence.
        array = array.reshape(-1, 1)
    if array.ndim != 2 or array.shape[0] == 0:
        raise ValueError(
            f"`{argument}` must have shape (n_samples, n_features) with at least one sample, "
            f"got shape {array.shape}"
        )
    if n_in is not None and array.shape[1] != n_in:
        raise ValueError(
            f"`{argument}` must have {n_in} features per sample (the model's n_in), "
            f"got shape {array.shape}"
        )
    bad = np.argwhere(~np.isfinite(array))
    if bad.size:
        row, column = bad[0]
        raise ValueError(
            f"`{argument}` must be finite, got {array[row, column]} at row {row}, "
            f"column {column}; remove or impute those values first"
        )
    return array


def _rows_of(X: object, argument: str) -> object:
    if isinstance(X, np.ndarray):
        return X
    if isinstance(X, (str, bytes)) or not isinstance(X, Sequence):
        raise ValueError(
            f"`{argument}` must be a 2-D array or a list of rows, got {type(X).__name__}"
        )
    lengths = [_row_length(row) for row in X]
    for index, length in enumerate(lengths):
        if length != lengths[0]:
            raise ValueError(
                f"`{argument}` is ragged: row 0 has {lengths[0]} values, row {index} has "
                f"{length}; every row must have the same number of features"
            )
    return X


def _row_length(row: object) -> int | str:
    if isinstance(row, (str, bytes)) or not hasattr(row, "__len__"):
        return "a scalar"
    return len(row)


def as_targets(y: object, n_samples: int, argument: str = "y") -> NDArray[Any]:
    """Return y as a numpy array with one entry per sample, or raise ValueError."""
    try:
        array = np.asarray(y)
    except ValueError as error:
        raise ValueError(f"`{argument}` must be an array of numbers: {error}") from None
    if array.ndim == 0 or array.dtype.kind not in "biuf":
        raise ValueError(
            f"`{argument}` must be an array of numbers with one entry per sample, "
            f"got {type(y).__name__} of dtype {array.dtype} and shape {array.shape}"
        )
    if array.shape[0] != n_samples:
        raise ValueError(
            f"`{argument}` must have one entry per sample ({n_samples}), got {array.shape[0]}"
        )
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ValueError(f"`{argument}` must be finite, got nan or inf")
    return array


def batches(
    X: object,
    y: object,
    batch_size: int | None = None,
    shuffle: bool = True,
    seed: Seed = None,
) -> Iterator[tuple[NDArray[np.float64], NDArray[Any]]]:
    """Split a data set into (X_batch, y_batch) pairs that cover it once: one epoch.

    The arguments are checked when `batches` is called, before any batch is produced.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like with n_samples entries
    batch_size : int or None, default=None
        None yields the whole set as one batch, in its order: gradient descent (GD). 1 yields one
        sample at a time: stochastic gradient descent (SGD). n yields batches of n samples:
        mini-batch SGD; the last batch contains the n_samples mod n that remain, if any.
    shuffle : bool, default=True
        Visit the samples in a random order (ignored when batch_size is None).
    seed : int, numpy Generator or None, default=None
        Seeds the order. Pass one Generator to successive epochs to get a new order each epoch.

    Examples
    --------
    >>> from nn import batches
    >>> X, y = [[0.0], [1.0], [2.0]], [0.0, 1.0, 2.0]
    >>> [b.tolist() for b, _ in batches(X, y, batch_size=2, shuffle=False)]
    [[[0.0], [1.0]], [[2.0]]]
    """
    features = as_features(X)
    targets = as_targets(y, len(features))
    n_samples = len(features)
    if batch_size is None:
        return iter([(features, targets)])
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
        raise ValueError(f"`batch_size` must be None or an int, got {batch_size!r}")
    if not 1 <= batch_size <= n_samples:
        raise ValueError(
            f"`batch_size` must be between 1 and {n_samples} (the number of samples), "
            f"got {batch_size}; use None for the whole set"
        )
    rng = random_generator(seed)
    order = rng.permutation(n_samples) if shuffle else np.arange(n_samples)
    return _slices(features, targets, order, int(batch_size))


def _slices(
    features: NDArray[np.float64], targets: NDArray[Any], order: NDArray[Any], batch_size: int
) -> Iterator[tuple[NDArray[np.float64], NDArray[Any]]]:
    for start in range(0, len(order), batch_size):
        index = order[start : start + batch_size]
        yield features[index], targets[index]
