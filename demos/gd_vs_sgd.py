"""GD against SGD and mini-batch SGD: the same model, data, initial weights and learning rate.

Gradient descent (GD) takes one step per epoch with the gradient of the cost J over the whole
training set. SGD takes one step per sample with the gradient of that sample's loss, and
mini-batch SGD one step per batch of n samples with the gradient of J_B = (1/n) Σ_B Lᵢ. Each
SGD step is noisier but far cheaper, so after the same number of epochs, and the same
wall-clock time, SGD and mini-batches have usually lowered J much more than GD.

The data are the diabetes set's three standardized features and standardized target, with an
MLP 3 -> 8 (tanh) -> 1 and the MSE loss.
"""

from __future__ import annotations

import json
import time

import numpy as np
from tqdm import tqdm

import nn
from demos.common import Options, Report, check_batch_size, prepare_output
from demos.datasets import load_diabetes, standardize
from demos.plots import plot_cost_comparison

DESCRIPTION = "GD, SGD and mini-batch SGD (--batch-size): cost J against epochs and time"
DEFAULTS = Options(epochs=15, lr=0.05, batch_size=32, seed=0)


def cost(model: nn.MLP, X: np.ndarray, y: np.ndarray) -> float:
    """Return J = (1/N) Σ (ŷᵢ - yᵢ)² over the whole set, computed without a graph."""
    return float(np.mean((model.predict(X)[:, 0] - y) ** 2))


def train(
    X: np.ndarray, y: np.ndarray, batch_size: int | None, options: Options, bar: tqdm
) -> tuple[list[float], list[float]]:
    """Train a fresh model; return J after each epoch and the training seconds up to then.

    J starts the lists at epoch 0, before any step. Evaluating J is left out of the time.
    """
    model = nn.MLP(X.shape[1], [8, 1], activation="tanh", seed=options.seed)
    optimizer = nn.SGD(model.parameters(), lr=options.lr)
    costs, elapsed = [cost(model, X, y)], [0.0]

    for epoch in range(options.epochs):
        start = time.perf_counter()
        # The slides' loop: pick a batch B, step against the gradient of J_B, repeat.
        for X_batch, y_batch in nn.batches(
            X, y, batch_size, shuffle=True, seed=options.seed + epoch
        ):
            optimizer.zero_grad()
            loss = nn.mse_loss([model(x) for x in X_batch.tolist()], y_batch)
            loss.backward()
            optimizer.step()
        elapsed.append(elapsed[-1] + time.perf_counter() - start)
        costs.append(cost(model, X, y))
        bar.update(1)
    return costs, elapsed


def run(options: Options) -> Report:
    """Train the three ways, plot J against epochs and seconds, and write the curves as JSON.

    Files written into `options.out`: gd_vs_sgd.json and gd_vs_sgd.png.
    """
    out = prepare_output(options)
    X, y = load_diabetes()
    (X,) = standardize(X)
    y = (y - y.mean()) / y.std()
    check_batch_size(options.batch_size, len(y))

    runs = {
        "GD (whole set)": None,
        f"mini-batch SGD (n = {options.batch_size or len(y)})": options.batch_size,
        "SGD (one sample)": 1,
    }
    costs: dict[str, list[float]] = {}
    elapsed: dict[str, list[float]] = {}
    with tqdm(total=len(runs) * options.epochs, desc="epochs", disable=not options.progress) as bar:
        for name, batch_size in runs.items():
            costs[name], elapsed[name] = train(X, y, batch_size, options, bar)

    record: dict[str, object] = {
        "options": {"epochs": options.epochs, "lr": options.lr, "seed": options.seed}
    }
    record["runs"] = {
        name: {"cost": costs[name], "elapsed_seconds": elapsed[name]} for name in runs
    }
    history_path = out / "gd_vs_sgd.json"
    history_path.write_text(json.dumps(record, indent=2) + "\n")

    metrics = {f"final J, {name}": values[-1] for name, values in costs.items()}
    metrics.update({f"seconds, {name}": values[-1] for name, values in elapsed.items()})
    title = f"Diabetes data, MLP 3-8-1, learning rate {options.lr}"
    figure_path = plot_cost_comparison(costs, elapsed, out / "gd_vs_sgd.png", title)
    return Report("gd-vs-sgd", metrics, [history_path, figure_path])
