"""Moons: binary classification with a sigmoid output and the binary cross-entropy loss (BCE).

Two interleaving half circles that no straight line separates. An MLP 2 -> 8 -> 8 -> 1 (relu)
ends in a sigmoid, so its output is P(class 1), and the loss is
BCE = -(y log ŷ + (1 - y) log(1 - ŷ)). The decision boundary is the contour P = 0.5.
"""

from __future__ import annotations

import numpy as np

import nn
from demos.common import (
    Options,
    Report,
    accuracy,
    check_batch_size,
    prepare_output,
    render_graph,
    write_history,
    written_files,
)
from demos.datasets import make_moons, train_test_split
from demos.plots import plot_decision_boundary, plot_loss

DESCRIPTION = "binary classification of two moons (sigmoid + BCE), decision boundary plot"
DEFAULTS = Options(epochs=100, lr=0.2, batch_size=16, seed=0)


def run(options: Options) -> Report:
    """Train on the moons, report the accuracies and plot the decision boundary.

    Files written into `options.out`: moons_history.json, moons_loss.png,
    moons_boundary.png and moons_graph.svg (the loss of one test sample).
    """
    out = prepare_output(options)
    X, y = make_moons(200, noise=0.2, seed=options.seed)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, 0.25, seed=options.seed, stratify=True
    )
    check_batch_size(options.batch_size, len(y_train))

    model = nn.MLP(2, [8, 8, 1], activation="relu", output_activation="sigmoid", seed=options.seed)
    history = nn.fit(
        model,
        nn.bce_loss,
        X_train,
        y_train,
        epochs=options.epochs,
        batch_size=options.batch_size,
        optimizer=nn.SGD(model.parameters(), lr=options.lr),
        seed=options.seed,
        progress=options.progress,
    )

    def probability(points: np.ndarray) -> np.ndarray:
        return model.predict(points)[:, 0]

    metrics = {
        "train_accuracy": accuracy(model.predict(X_train)[:, 0] > 0.5, y_train),
        "test_accuracy": accuracy(model.predict(X_test)[:, 0] > 0.5, y_test),
        "final_epoch_loss": history.epoch_loss[-1],
        "train_seconds": history.elapsed[-1],
    }

    loss = nn.bce_loss([model(X_test[0])], [float(y_test[0])])
    loss.label = "BCE loss"
    model.zero_grad()
    loss.backward()

    title = f"Moons, test accuracy {metrics['test_accuracy']:.3f}"
    files = written_files(
        write_history(out / "moons_history.json", history, metrics, options),
        plot_loss(history.step_loss, history.epoch_loss, out / "moons_loss.png", "Moons: BCE loss"),
        plot_decision_boundary(probability, X, y, out / "moons_boundary.png", title),
        render_graph(loss, out / "moons_graph.svg", collapse="neuron"),
    )
    return Report("moons", metrics, files)
