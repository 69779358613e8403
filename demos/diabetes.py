"""Diabetes: regression with the mean squared error (MSE) on real patient data.

Three baseline variables of 442 patients (body mass index, blood pressure and the serum
measurement s5) predict disease progression one year later. Inputs and target are standardized
with the training set's statistics; the MLP 3 -> 8 (tanh) -> 1 has a linear output and the loss
is MSE = (ŷ - y)². The test error is reported in the target's own units.
"""

from __future__ import annotations

import numpy as np

import nn
from demos.common import (
    Options,
    Report,
    check_batch_size,
    prepare_output,
    render_graph,
    write_history,
    written_files,
)
from demos.datasets import load_diabetes, standardize, train_test_split
from demos.plots import plot_loss, plot_predicted_vs_true

DESCRIPTION = "regression (MSE) of disease progression on the real diabetes data"
DEFAULTS = Options(epochs=40, lr=0.05, batch_size=16, seed=0)
FEATURES = ("bmi", "bp", "s5")


def run(options: Options) -> Report:
    """Train on the diabetes data, report the test RMSE and R², and plot predicted against true.

    Files written into `options.out`: diabetes_history.json, diabetes_loss.png,
    diabetes_predictions.png and diabetes_graph.svg (the loss of one test sample).
    """
    out = prepare_output(options)
    X, y = load_diabetes(FEATURES)
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.2, seed=options.seed)
    X_train, X_test = standardize(X_train, X_test)
    check_batch_size(options.batch_size, len(y_train))
    y_mean, y_std = y_train.mean(), y_train.std()

    model = nn.MLP(len(FEATURES), [8, 1], activation="tanh", seed=options.seed)
    history = nn.fit(
        model,
        nn.mse_loss,
        X_train,
        (y_train - y_mean) / y_std,
        epochs=options.epochs,
        batch_size=options.batch_size,
        optimizer=nn.SGD(model.parameters(), lr=options.lr),
        seed=options.seed,
        progress=options.progress,
    )

    predicted = model.predict(X_test)[:, 0] * y_std + y_mean
    residual_sum = float(np.sum((y_test - predicted) ** 2))
    metrics = {
        "test_rmse": float(np.sqrt(residual_sum / len(y_test))),
        "test_r2": 1.0 - residual_sum / float(np.sum((y_test - y_test.mean()) ** 2)),
        "final_epoch_loss": history.epoch_loss[-1],
        "train_seconds": history.elapsed[-1],
    }

    loss = nn.mse_loss([model(X_test[0])], [float((y_test[0] - y_mean) / y_std)])
    loss.label = "MSE loss"
    model.zero_grad()
    loss.backward()

    title = f"Diabetes, test R² {metrics['test_r2']:.3f}"
    files = written_files(
        write_history(out / "diabetes_history.json", history, metrics, options),
        plot_loss(
            history.step_loss,
            history.epoch_loss,
            out / "diabetes_loss.png",
            "Diabetes: MSE (standardized target)",
        ),
        plot_predicted_vs_true(y_test, predicted, out / "diabetes_predictions.png", title),
        render_graph(loss, out / "diabetes_graph.svg", collapse="neuron"),
    )
    return Report("diabetes", metrics, files)
