"""The engine's gradients against the course's closed-form batch formulas (numpy, row layout).

Row layout throughout: Z_k = A_{k-1} W_k + b_k with W_k of shape (n_{k-1}, n_k), and the δ
recursion Δ_k = (Δ_{k+1} W_{k+1}ᵀ) ⊙ A'(Z_k).
"""

import numpy as np
import pytest

from autograd import Value
from nn import MLP, bce_loss, cce_loss, closed_form, mse_loss, softmax

ACTIVATIONS = ["relu", "tanh", "sigmoid", "softplus", "linear"]


def relative_error(actual, expected):
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    scale = np.maximum(np.abs(expected), 1e-300)
    return float(np.max(np.abs(actual - expected) / scale))


def example_parameters(seed, N):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, 1))
    y = rng.normal(size=(N, 1))
    W1 = rng.normal(size=(1, 2))
    b1 = rng.normal(size=(1, 2))
    W2 = rng.normal(size=(2, 1))
    b2 = float(rng.normal())
    return X, y, W1, b1, W2, b2


def engine_gradients(model, X, Y, loss_fn):
    model.zero_grad()
    outputs = [model(row) for row in X.tolist()]
    loss = loss_fn(outputs, Y)
    loss.backward()
    return loss, outputs


@pytest.mark.parametrize("N", [1, 7, 100])
def test_example_network_matches_batch_formulas(N):
    X, y, W1, b1, W2, b2 = example_parameters(seed=N, N=N)
    model = MLP.from_arrays([W1, W2], [b1, b2], activation="softplus")
    engine_gradients(model, X, y, mse_loss)
    expected = closed_form.example_gradients(X, y, W1, b1, W2, b2)

    dW1, db1 = model.layers[0].grad_arrays()
    dW2, db2 = model.layers[1].grad_arrays()
    assert relative_error(db2[0], expected["b2"]) < 1e-12
    assert relative_error(dW2, expected["W2"]) < 1e-12
    assert relative_error(db1, expected["b1"].ravel()) < 1e-12
    assert relative_error(dW1, expected["W1"]) < 1e-12


def test_example_batch_formula_shapes():
    X, y, W1, b1, W2, b2 = example_parameters(seed=0, N=5)
    expected = closed_form.example_gradients(X, y, W1, b1, W2, b2)
    assert expected["b2"].shape == ()
    assert expected["W2"].shape == W2.shape == (2, 1)
    assert expected["b1"].shape == b1.shape == (1, 2)
    assert expected["W1"].shape == W1.shape == (1, 2)


def test_example_forward_matches_engine():
    X, _, W1, b1, W2, b2 = example_parameters(seed=3, N=7)
    model = MLP.from_arrays([W1, W2], [b1, b2], activation="softplus")
    _, _, y_hat = closed_form.example_forward(X, W1, b1, W2, b2)
    assert relative_error(model.predict(X), y_hat) < 1e-14


def test_example_matches_general_recursion():
    X, y, W1, b1, W2, b2 = example_parameters(seed=4, N=9)
    example = closed_form.example_gradients(X, y, W1, b1, W2, b2)
    _, grads = closed_form.gradients(X, y, [W1, W2], [b1, np.array([b2])], "softplus")
    assert relative_error(grads[0][0], example["W1"]) < 1e-13
    assert relative_error(grads[1][0], example["W2"]) < 1e-13
    assert relative_error(grads[0][1], example["b1"].ravel()) < 1e-13


def random_network(rng, depth, n_in, n_out):
    widths = [n_in] + [int(w) for w in rng.integers(1, 5, size=depth - 1)] + [n_out]
    # Scale 0.5 keeps every probability far above the clamp of bce_loss and cce_loss.
    weights = [rng.normal(scale=0.5, size=(widths[k], widths[k + 1])) for k in range(depth)]
    biases = [rng.normal(size=widths[k + 1]) for k in range(depth)]
    return weights, biases


def targets_for(kind, rng, N, n_out):
    if kind == "mse":
        return rng.normal(size=(N, n_out))
    if kind == "bce":
        return rng.integers(0, 2, size=(N, n_out)).astype(float)
    return np.eye(n_out)[rng.integers(0, n_out, size=N)]


LOSS_CASES = [
    ("mse", None, mse_loss),
    ("bce", "sigmoid", bce_loss),
    ("cce", "softmax", cce_loss),
]


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize(("kind", "output_activation", "loss_fn"), LOSS_CASES)
def test_delta_recursion_matches_engine(depth, activation, kind, output_activation, loss_fn):
    rng = np.random.default_rng(depth * 100 + ACTIVATIONS.index(activation))
    N, n_in = 6, 3
    n_out = 3 if kind == "cce" else 2
    weights, biases = random_network(rng, depth, n_in, n_out)
    X = rng.normal(size=(N, n_in))
    Y = targets_for(kind, rng, N, n_out)
    model = MLP.from_arrays(weights, biases, activation, output_activation)

    loss, _ = engine_gradients(model, X, Y, loss_fn)
    J, expected = closed_form.gradients(X, Y, weights, biases, activation, output_activation, kind)

    assert relative_error(loss.data, J) < 1e-12
    for k, (dW, db) in enumerate(expected):
        engine_dW, engine_db = model.layers[k].grad_arrays()
        assert np.allclose(engine_dW, dW, rtol=1e-10, atol=1e-14), f"dJ/dW_{k + 1}"
        assert np.allclose(engine_db, db, rtol=1e-10, atol=1e-14), f"dJ/db_{k + 1}"


def output_logit_gradients(kind, N=5, n_out=3, seed=0):
    # A linear model gives the logits z; the test applies the output activation itself, so the
    # gradient that reaches each logit Value is dJ/dz.
    rng = np.random.default_rng(seed)
    model = MLP(2, [4, n_out], activation="tanh", seed=seed)
    X = rng.normal(size=(N, 2))
    Y = targets_for(kind, rng, N, n_out)
    logits = [model(row) for row in X.tolist()]
    if kind == "mse":
        outputs, loss = logits, mse_loss(logits, Y)
    elif kind == "bce":
        outputs = [[z.sigmoid() for z in row] for row in logits]
        loss = bce_loss(outputs, Y)
    else:
        outputs = [softmax(row) for row in logits]
        loss = cce_loss(outputs, Y)
    loss.backward()
    dJ_dz = np.array([[z.grad for z in row] for row in logits])
    y_hat = np.array([[v.data for v in row] for row in outputs])
    return dJ_dz, y_hat, Y


def test_output_delta_mse():
    dJ_dz, y_hat, Y = output_logit_gradients("mse")
    assert np.allclose(dJ_dz, 2 * (y_hat - Y) / len(Y), rtol=1e-13, atol=0)


def test_output_delta_bce_with_sigmoid():
    dJ_dz, y_hat, Y = output_logit_gradients("bce")
    assert np.allclose(dJ_dz, (y_hat - Y) / len(Y), rtol=1e-10, atol=1e-15)


def test_output_delta_cce_with_softmax():
    dJ_dz, y_hat, Y = output_logit_gradients("cce")
    assert np.allclose(dJ_dz, (y_hat - Y) / len(Y), rtol=1e-10, atol=1e-15)


def test_closed_form_sgd_step_lowers_loss():
    rng = np.random.default_rng(0)
    weights, biases = random_network(rng, 2, 2, 1)
    X, Y = rng.normal(size=(20, 2)), rng.normal(size=(20, 1))
    first = closed_form.sgd_step(X, Y, weights, biases, 0.05, "tanh")
    second = closed_form.sgd_step(X, Y, weights, biases, 0.05, "tanh")
    assert second < first


def test_closed_form_rejects_unknown_pair():
    Z = np.zeros((2, 1))
    with pytest.raises(ValueError, match="no closed form"):
        closed_form.output_delta(Z, Z, Z, "bce", None)


def test_single_sample_value_call():
    model = MLP.from_arrays([np.array([[2.0]])], [np.array([1.0])], activation="relu")
    (output,) = model([Value(3.0)])
    assert output.data == 7.0
