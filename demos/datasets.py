"""Data for the demos: the shipped CSV files, two small generated sets, splitting and scaling.

Iris and diabetes are real data read from `demos/data/` (source and licence in the README
there); nothing is downloaded. The moons and slides sets are generated from a seed.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"
IRIS_CLASSES = ("setosa", "versicolor", "virginica")
DIABETES_FEATURES = ("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6")


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    """Read a CSV file with a header line into the header and the rows of strings."""
    with path.open(newline="") as file:
        rows = list(csv.reader(file))
    if not rows:
        raise ValueError(f"data file {path} is empty; restore it from the repository")
    return rows[0], rows[1:]


def load_iris() -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Load Fisher's Iris data: 150 flowers, four measurements in cm, three species.

    Returns
    -------
    X : ndarray of shape (150, 4)
        Sepal length, sepal width, petal length and petal width, in cm.
    y : ndarray of shape (150,)
        The class index of each flower, into `class_names`.
    class_names : tuple of str
        ("setosa", "versicolor", "virginica").

    Examples
    --------
    >>> X, y, names = load_iris()
    >>> X.shape, np.bincount(y).tolist(), names[2]
    ((150, 4), [50, 50, 50], 'virginica')
    """
    _, rows = read_csv(DATA_DIR / "iris.csv")
    X = np.array([[float(cell) for cell in row[:4]] for row in rows])
    y = np.array([IRIS_CLASSES.index(row[4]) for row in rows])
    return X, y, IRIS_CLASSES


def load_diabetes(features: Sequence[str] = ("bmi", "bp", "s5")) -> tuple[np.ndarray, np.ndarray]:
    """Load the diabetes data: 442 patients, the chosen baseline variables and the progression.

    Parameters
    ----------
    features : sequence of str, default=("bmi", "bp", "s5")
        Columns to return, from `DIABETES_FEATURES`. The default keeps three of the variables
        most correlated with the target, so a small network trains in seconds.

    Returns
    -------
    X : ndarray of shape (442, len(features))
        The raw (unscaled) values of the chosen columns.
    y : ndarray of shape (442,)
        Disease progression one year after baseline.

    Examples
    --------
    >>> X, y = load_diabetes(["bmi"])
    >>> X.shape, y.shape
    ((442, 1), (442,))
    """
    unknown = [name for name in features if name not in DIABETES_FEATURES]
    if unknown or not features:
        raise ValueError(
            f"features must be a non-empty selection of {DIABETES_FEATURES}, got {list(features)}"
        )

    header, rows = read_csv(DATA_DIR / "diabetes.csv")
    columns = [header.index(name) for name in features]
    X = np.array([[float(row[column]) for column in columns] for row in rows])
    y = np.array([float(row[-1]) for row in rows])
    return X, y


def make_moons(
    n_samples: int = 200, noise: float = 0.15, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Generate two interleaving half circles, a binary set that no straight line separates.

    Examples
    --------
    >>> X, y = make_moons(10, seed=1)
    >>> X.shape, sorted(set(y.tolist()))
    ((10, 2), [0, 1])
    """
    rng = np.random.default_rng(seed)
    n_upper = n_samples // 2
    n_lower = n_samples - n_upper

    angles_upper = np.linspace(0.0, np.pi, n_upper)
    angles_lower = np.linspace(0.0, np.pi, n_lower)
    upper = np.column_stack([np.cos(angles_upper), np.sin(angles_upper)])
    lower = np.column_stack([1.0 - np.cos(angles_lower), 0.5 - np.sin(angles_lower)])

    X = np.vstack([upper, lower]) + rng.normal(scale=noise, size=(n_samples, 2))
    y = np.concatenate([np.zeros(n_upper, dtype=int), np.ones(n_lower, dtype=int)])
    return X, y


def make_slides_data(
    n_samples: int = 40, noise: float = 0.1, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Generate a one-dimensional regression set y = x²/2 + noise for x in [-2, 2].

    The slides' network softplus(x W1 + b1) W2 + b2 has two softplus units, and
    softplus(x) + softplus(-x) is U-shaped, so that network can fit this curve.

    Returns
    -------
    X : ndarray of shape (n_samples, 1)
    y : ndarray of shape (n_samples,)

    Examples
    --------
    >>> X, y = make_slides_data(5)
    >>> X.ravel().tolist()
    [-2.0, -1.0, 0.0, 1.0, 2.0]
    """
    rng = np.random.default_rng(seed)
    x = np.linspace(-2.0, 2.0, n_samples)
    y = 0.5 * x**2 + rng.normal(scale=noise, size=n_samples)
    return x.reshape(-1, 1), y


def train_test_split(
    X: np.ndarray, y: np.ndarray, test_fraction: float = 0.2, seed: int = 0, stratify: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split samples at random into a training and a test set.

    With `stratify=True` each class keeps its proportion in both sets (y must hold class
    indices), so a small test set still contains every class.

    Examples
    --------
    >>> X, y = np.arange(20.0).reshape(10, 2), np.array([0, 1] * 5)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, 0.4, stratify=True)
    >>> X_train.shape, np.bincount(y_test).tolist()
    ((6, 2), [2, 2])
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1 (exclusive), got {test_fraction}")

    rng = np.random.default_rng(seed)
    groups = (
        [np.flatnonzero(y == label) for label in np.unique(y)] if stratify else [np.arange(len(y))]
    )
    test_parts = []
    for indices in groups:
        shuffled = rng.permutation(indices)
        n_test = max(1, round(test_fraction * len(indices)))
        test_parts.append(shuffled[:n_test])

    test_index = np.sort(np.concatenate(test_parts))
    train_index = np.setdiff1d(np.arange(len(y)), test_index)
    return X[train_index], X[test_index], y[train_index], y[test_index]


def standardize(train: np.ndarray, *others: np.ndarray) -> list[np.ndarray]:
    """Scale each column to mean 0 and standard deviation 1, with the training set's statistics.

    The test set is scaled with the training mean and deviation, so nothing about it leaks into
    training.

    Examples
    --------
    >>> train, test = standardize(np.array([[1.0], [3.0]]), np.array([[5.0]]))
    >>> train.ravel().tolist(), test.ravel().tolist()
    ([-1.0, 1.0], [3.0])
    """
    mean = train.mean(axis=0)
    std = train.std(axis=0)
    std[std == 0.0] = 1.0
    return [(array - mean) / std for array in (train, *others)]
