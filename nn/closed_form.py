"""The closed-form batch formulas of an MLP's forward and backward pass, in numpy.

These are the formulas of the course this project follows (the slides "Entrenamiento de un MLP:
GD y SGD", Universidad ORT Uruguay, 2025), in their notation.

Rows are samples: X is (N, n_in), and layer k computes Z_k = A_{k-1} W_k + b_k and
A_k = A(Z_k), with W_k of shape (n_{k-1}, n_k), b_k broadcast over the rows and A_0 = X. The
backward pass is the δ recursion written for rows,

    Δ_K = dJ/dZ_K,    Δ_k = (Δ_{k+1} W_{k+1}ᵀ) ⊙ A'(Z_k),
    dJ/dW_k = A_{k-1}ᵀ Δ_k,    dJ/db_k = 1ᵀ Δ_k,

which is the column-vector form δ_k = A'(z_k) ⊙ (W_{k+1} δ_{k+1}) applied to every sample and
summed. The tests check the engine against these functions; the benchmark times them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def sigmoid(Z: Array) -> Array:
    """Return σ(Z) = 1 / (1 + e^-Z) element-wise, without overflow for large |Z|."""
    E = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1.0 / (1.0 + E), E / (1.0 + E))


def softplus(Z: Array) -> Array:
    """Return log(1 + e^Z) element-wise as max(Z, 0) + log1p(e^-|Z|)."""
    # The annotation pins the type, which numpy's stubs infer differently from version to version.
    result: Array = np.maximum(Z, 0.0) + np.log1p(np.exp(-np.abs(Z)))
    return result


def softmax(Z: Array) -> Array:
    """Return the softmax of each row, with the row maximum subtracted first."""
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    probabilities: Array = E / E.sum(axis=1, keepdims=True)
    return probabilities


# Each activation with its derivative A'(Z); relu' is 0 at 0, as in the engine and PyTorch.
ACTIVATIONS: dict[str, tuple[Callable[[Array], Array], Callable[[Array], Array]]] = {
    "relu": (lambda Z: np.maximum(Z, 0.0), lambda Z: (Z > 0).astype(np.float64)),
    "tanh": (np.tanh, lambda Z: 1.0 - np.tanh(Z) ** 2),
    "sigmoid": (sigmoid, lambda Z: sigmoid(Z) * sigmoid(-Z)),
    "softplus": (softplus, sigmoid),
    "linear": (lambda Z: Z, np.ones_like),
}


def example_forward(
    X: Array, W1: Array, b1: Array, W2: Array, b2: float
) -> tuple[Array, Array, Array]:
    """Return (Z, A, ŷ) of the example network ŷ = softplus(X W1 + b1) W2 + b2.

    Shapes: X (N, 1), W1 (1, 2), b1 (1, 2), W2 (2, 1), b2 a scalar; Z and A are (N, 2) and
    ŷ is (N, 1).

    Examples
    --------
    >>> import numpy as np
    >>> from nn import closed_form
    >>> X, W1, b1, W2 = np.zeros((3, 1)), np.ones((1, 2)), np.zeros((1, 2)), np.ones((2, 1))
    >>> Z, A, y_hat = closed_form.example_forward(X, W1, b1, W2, 1.0)
    >>> y_hat.shape, round(float(y_hat[0, 0]), 6)  # 2 softplus(0) + 1 = 2 log 2 + 1
    ((3, 1), 2.386294)
    """
    Z = X @ W1 + b1
    A = softplus(Z)
    y_hat = A @ W2 + b2
    return Z, A, y_hat


def example_gradients(
    X: Array, y: Array, W1: Array, b1: Array, W2: Array, b2: float
) -> dict[str, Array]:
    """Return dJ/db2, dJ/dW2, dJ/db1 and dJ/dW1 of the example network under MSE, in batch form.

    With r = ŷ - y of shape (N, 1) and softplus' = σ:

        dJ/db2 = (2/N) rᵀ 1_N                          a scalar
        dJ/dW2 = ((2/N) rᵀ A)ᵀ                         (2, 1): the formula gives (1, 2), W2's
                                                       transpose, so it is transposed back
        dJ/db1 = (2/N) 1_Nᵀ [(r W2ᵀ) ⊙ σ(Z)]           (1, 2)
        dJ/dW1 = (2/N) Xᵀ [(r W2ᵀ) ⊙ σ(Z)]             (1, 2)

    Each result has the shape of its parameter. y has shape (N, 1).

    Examples
    --------
    >>> import numpy as np
    >>> from nn import closed_form
    >>> X, y = np.zeros((2, 1)), np.zeros((2, 1))
    >>> W1, b1, W2 = np.ones((1, 2)), np.zeros((1, 2)), np.ones((2, 1))
    >>> grads = closed_form.example_gradients(X, y, W1, b1, W2, 0.0)
    >>> {name: g.shape for name, g in grads.items()}
    {'b2': (), 'W2': (2, 1), 'b1': (1, 2), 'W1': (1, 2)}
    """
    N = X.shape[0]
    Z, A, y_hat = example_forward(X, W1, b1, W2, b2)
    r = y_hat - y
    ones = np.ones((N, 1))
    D = (r @ W2.T) * sigmoid(Z)
    return {
        "b2": ((2.0 / N) * r.T @ ones).reshape(()),
        "W2": ((2.0 / N) * r.T @ A).T,
        "b1": (2.0 / N) * ones.T @ D,
        "W1": (2.0 / N) * X.T @ D,
    }


def forward(
    X: Array,
    weights: Sequence[Array],
    biases: Sequence[Array],
    activation: str,
    output_activation: str | None = None,
) -> tuple[list[Array], list[Array]]:
    """Return ([Z_1, ..., Z_K], [A_0, ..., A_K]) with A_0 = X.

    Hidden layers use `activation`; the last uses `output_activation` (None or "linear",
    "sigmoid" or "softmax"). Biases may have shape (n_k,) or (1, n_k).

    Examples
    --------
    >>> import numpy as np
    >>> from nn import closed_form
    >>> Zs, As = closed_form.forward(np.array([[1.0, 2.0]]), [np.ones((2, 1))], [np.zeros(1)],
    ...                              "relu")
    >>> Zs[0].tolist(), len(As)
    ([[3.0]], 2)
    """
    Zs: list[Array] = []
    As: list[Array] = [X]
    for k, (W, b) in enumerate(zip(weights, biases)):
        Z = As[-1] @ W + np.reshape(b, (1, -1))
        is_last = k == len(weights) - 1
        name = (output_activation or "linear") if is_last else activation
        A = softmax(Z) if name == "softmax" else ACTIVATIONS[name][0](Z)
        Zs.append(Z)
        As.append(A)
    return Zs, As


def loss(A_K: Array, Y: Array, kind: str) -> float:
    """Return J = (1/N) Σᵢ Lᵢ for "mse", "bce" or "cce"; Y has A_K's shape (one-hot for CCE).

    Examples
    --------
    >>> import numpy as np
    >>> from nn import closed_form
    >>> closed_form.loss(np.array([[3.0], [1.0]]), np.array([[1.0], [1.0]]), "mse")
    2.0
    """
    N = A_K.shape[0]
    if kind == "mse":
        return float(((A_K - Y) ** 2).sum() / N)
    if kind == "bce":
        return float(-(Y * np.log(A_K) + (1 - Y) * np.log(1 - A_K)).sum() / N)
    if kind == "cce":
        return float(-(Y * np.log(A_K)).sum() / N)
    raise ValueError(f"`kind` must be 'mse', 'bce' or 'cce', got {kind!r}")


def output_delta(
    A_K: Array, Z_K: Array, Y: Array, kind: str, output_activation: str | None
) -> Array:
    """Return Δ_K = dJ/dZ_K at the output.

    MSE: 2(Ŷ - Y)/N ⊙ A'(Z_K). BCE after a sigmoid and CCE after a softmax: (Ŷ - Y)/N, because
    the derivative of the loss and that of the activation cancel to that difference.

    Examples
    --------
    >>> import numpy as np
    >>> from nn import closed_form
    >>> A_K, Y = np.array([[3.0]]), np.array([[0.5]])
    >>> closed_form.output_delta(A_K, A_K, Y, "mse", None).tolist()  # 2 (3 - 0.5) / 1
    [[5.0]]
    """
    N = A_K.shape[0]
    pairs = {("bce", "sigmoid"), ("cce", "softmax")}
    if kind == "mse" and output_activation != "softmax":
        derivative = ACTIVATIONS[output_activation or "linear"][1]
        delta: Array = 2.0 * (A_K - Y) / N * derivative(Z_K)
        return delta
    if (kind, output_activation) in pairs:
        delta = (A_K - Y) / N
        return delta
    raise ValueError(
        f"no closed form for loss {kind!r} after output activation {output_activation!r}; "
        "use mse, bce after sigmoid or cce after softmax"
    )


def backward(
    weights: Sequence[Array], Zs: Sequence[Array], As: Sequence[Array], delta_K: Array,
    activation: str,
) -> list[tuple[Array, Array]]:
    """Return [(dJ/dW_k, dJ/db_k)] for k = 1..K from Δ_K by the δ recursion.

    dJ/dW_k has W_k's shape (n_{k-1}, n_k) and dJ/db_k has shape (n_k,).

    Examples
    --------
    >>> import numpy as np
    >>> from nn import closed_form
    >>> X, W = np.array([[1.0, 2.0]]), np.ones((2, 1))
    >>> Zs, As = closed_form.forward(X, [W], [np.zeros(1)], "relu")
    >>> [(dW, db)] = closed_form.backward([W], Zs, As, np.array([[5.0]]), "relu")
    >>> dW.ravel().tolist(), db.tolist()  # Xᵀ Δ and 1ᵀ Δ
    ([5.0, 10.0], [5.0])
    """
    derivative = ACTIVATIONS[activation][1]
    gradients: list[tuple[Array, Array]] = []
    delta = delta_K
    for k in range(len(weights) - 1, -1, -1):
        gradients.append((As[k].T @ delta, delta.sum(axis=0)))
        if k > 0:
            # With k counted from 0, `delta` is Δ of layer k + 1, and this gives Δ of layer k:
            # (Δ_{k+1} W_{k+1}ᵀ) ⊙ A'(Z_k), where W_{k+1} is weights[k] and Z_k is Zs[k - 1].
            delta = (delta @ weights[k].T) * derivative(Zs[k - 1])
    gradients.reverse()
    return gradients


def gradients(
    X: Array,
    Y: Array,
    weights: Sequence[Array],
    biases: Sequence[Array],
    activation: str,
    output_activation: str | None = None,
    kind: str = "mse",
) -> tuple[float, list[tuple[Array, Array]]]:
    """Return (J, [(dJ/dW_k, dJ/db_k)]) for a K-layer MLP on the batch (X, Y).

    Examples
    --------
    >>> import numpy as np
    >>> from nn import closed_form
    >>> X, Y = np.array([[1.0, 2.0]]), np.array([[0.5]])
    >>> J, grads = closed_form.gradients(X, Y, [np.ones((2, 1))], [np.zeros(1)], "relu")
    >>> J, grads[0][0].ravel().tolist()
    (6.25, [5.0, 10.0])
    """
    Zs, As = forward(X, weights, biases, activation, output_activation)
    J = loss(As[-1], Y, kind)
    delta_K = output_delta(As[-1], Zs[-1], Y, kind, output_activation)
    return J, backward(weights, Zs, As, delta_K, activation)


def sgd_step(
    X: Array,
    Y: Array,
    weights: list[Array],
    biases: list[Array],
    lr: float,
    activation: str,
    output_activation: str | None = None,
    kind: str = "mse",
) -> float:
    """Run one gradient-descent step in place, W_k ← W_k - lr dJ/dW_k (and b_k); return J.

    Examples
    --------
    >>> import numpy as np
    >>> from nn import closed_form
    >>> weights, biases = [np.ones((2, 1))], [np.zeros(1)]
    >>> closed_form.sgd_step(np.array([[1.0, 2.0]]), np.array([[0.5]]), weights, biases, 0.1,
    ...                      "relu")
    6.25
    >>> weights[0].ravel().tolist(), biases[0].tolist()  # 1 - 0.1 · (5, 10) and 0 - 0.1 · 5
    ([0.5, 0.0], [-0.5])
    """
    J, grads = gradients(X, Y, weights, biases, activation, output_activation, kind)
    for k, (dW, db) in enumerate(grads):
        weights[k] -= lr * dW
        biases[k] -= lr * db.reshape(np.shape(biases[k]))
    return J
