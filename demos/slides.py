"""The slides' example network, with its gradients checked against the closed-form formulas.

The network is ŷ = softplus(x W1 + b1) W2 + b2 with W1 of shape (1, 2), b1 of shape (1, 2),
W2 of shape (2, 1) and a scalar b2, and the cost is J = (1/N) Σ (ŷᵢ - yᵢ)². With the batch
in rows (X of shape (N, 1), Z = X W1 + b1, A = softplus(Z), r = ŷ - y of shape (N, 1)) the
gradients are:

    dJ/db2 = (2/N) rᵀ 1_N
    dJ/dW2 = (2/N) rᵀ A, of shape (1, 2), so transposed to W2's shape (2, 1)
    dJ/db1 = (2/N) 1_Nᵀ [(r W2ᵀ) ⊙ σ(Z)]
    dJ/dW1 = (2/N) Xᵀ [(r W2ᵀ) ⊙ σ(Z)]

because d softplus(z)/dz = σ(z), the sigmoid. `nn.closed_form.example_gradients` computes these
in numpy. The demo prints the engine's gradients beside them at the initial weights, then trains
with GD on a small one-dimensional set.
"""

from __future__ import annotations

import numpy as np

import autograd
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
from demos.datasets import make_slides_data
from demos.plots import plot_loss, plot_regression_fit

DESCRIPTION = "the slides' network softplus(x W1 + b1) W2 + b2: gradients vs formulas, GD"
DEFAULTS = Options(epochs=300, lr=0.2, batch_size=None, seed=0)


def initial_arrays(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Draw W1 (1, 2), b1 (1, 2) and W2 (2, 1) from normal distributions, and b2 (1, 1) at 0."""
    rng = np.random.default_rng(seed)
    W1 = rng.normal(size=(1, 2))
    b1 = rng.normal(size=(1, 2))
    W2 = rng.normal(scale=0.5, size=(2, 1))
    b2 = np.zeros((1, 1))
    return W1, b1, W2, b2


def gradient_table(
    X: np.ndarray, y: np.ndarray, model: nn.MLP, arrays: tuple[np.ndarray, ...]
) -> tuple[str, float]:
    """Backpropagate J through the engine and format its gradients beside the formulas'.

    Returns the table and the largest absolute difference between the two.
    """
    W1, b1, W2, b2 = arrays
    expected = nn.closed_form.example_gradients(X, y.reshape(-1, 1), W1, b1, W2, float(b2[0, 0]))

    loss = nn.mse_loss([model(x) for x in X], y)
    model.zero_grad()
    loss.backward()
    dW1, db1 = model.layers[0].grad_arrays()
    dW2, db2 = model.layers[1].grad_arrays()
    engine = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}

    lines = [
        f"J at the initial weights = {loss.data:.6f}",
        f"{'':<10}{'engine':>14}{'formula':>14}",
    ]
    largest_difference = 0.0
    for name, gradient in engine.items():
        flat_engine = np.ravel(gradient)
        flat_formula = np.ravel(expected[name])
        for index, (mine, theirs) in enumerate(zip(flat_engine, flat_formula)):
            lines.append(f"{f'dJ/d{name}[{index}]':<10}{mine:>14.8f}{theirs:>14.8f}")
            largest_difference = max(largest_difference, abs(float(mine) - float(theirs)))
    return "\n".join(lines), largest_difference


def run(options: Options) -> Report:
    """Compare gradients at the first step, train with GD, and draw the fit and the graph.

    Files written into `options.out`: slides_history.json, slides_loss.png, slides_fit.png,
    slides_graph.svg (the loss of one sample) and slides_explain.txt (its backward pass, step by
    step).
    """
    out = prepare_output(options)
    X, y = make_slides_data(seed=options.seed)
    check_batch_size(options.batch_size, len(y))
    arrays = initial_arrays(options.seed)
    W1, b1, W2, b2 = arrays
    model = nn.MLP.from_arrays([W1, W2], [b1.ravel(), b2.ravel()], activation="softplus")

    table, gradient_difference = gradient_table(X, y, model, arrays)
    print(table)
    print(f"largest difference between engine and formula: {gradient_difference:.2e}")
    model.zero_grad()
    history = nn.fit(
        model,
        nn.mse_loss,
        X,
        y,
        epochs=options.epochs,
        batch_size=options.batch_size,
        optimizer=nn.SGD(model.parameters(), lr=options.lr),
        seed=options.seed,
        progress=options.progress,
    )

    loss = nn.mse_loss([model(X[0])], [float(y[0])])
    loss.label = "L"
    model.zero_grad()
    loss.backward()
    explain_path = out / "slides_explain.txt"
    explain_path.write_text(str(autograd.explain(loss)) + "\n")

    x_curve = np.linspace(-2.2, 2.2, 100).reshape(-1, 1)
    metrics = {
        "max_gradient_difference": gradient_difference,
        "final_cost": history.epoch_loss[-1],
        "train_seconds": history.elapsed[-1],
    }
    files = written_files(
        write_history(out / "slides_history.json", history, metrics, options),
        plot_loss(
            history.step_loss,
            history.epoch_loss,
            out / "slides_loss.png",
            f"Slides' network: MSE, batch size {options.batch_size or 'all (GD)'}",
        ),
        plot_regression_fit(
            X[:, 0],
            y,
            x_curve[:, 0],
            model.predict(x_curve)[:, 0],
            out / "slides_fit.png",
            "ŷ = softplus(x W1 + b1) W2 + b2",
        ),
        render_graph(loss, out / "slides_graph.svg"),
        explain_path,
    )
    return Report("slides", metrics, files)
