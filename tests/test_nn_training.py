"""`fit`: histories, determinism, learning on a separable problem and non-finite losses."""

import gc
import math
import re

import numpy as np
import pytest

import nn
from nn import (
    MLP,
    SGD,
    Adam,
    History,
    bce_loss,
    bce_with_logits_loss,
    cce_loss,
    fit,
    mse_loss,
)


def two_blobs(n=40, seed=0):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, size=n)
    centers = np.where(labels[:, None] == 1, 1.5, -1.5)
    return centers + rng.normal(scale=0.5, size=(n, 2)), labels.astype(float)


def test_fit_reduces_loss_on_separable_problem():
    X, y = two_blobs()
    model = MLP(2, [8, 1], activation="tanh", seed=0)
    history = fit(model, bce_with_logits_loss, X, y, epochs=15, batch_size=8, lr=0.2, seed=0,
                  progress=False)
    assert history.epoch_loss[-1] < 0.5 * history.epoch_loss[0]
    predictions = (model.predict(X)[:, 0] > 0).astype(float)
    assert np.mean(predictions == y) >= 0.95


def test_fit_is_deterministic_for_a_seed():
    X, y = two_blobs()
    runs = []
    for _ in range(2):
        model = MLP(2, [4, 1], seed=1)
        history = fit(model, mse_loss, X, y, epochs=3, batch_size=5, lr=0.05, seed=42,
                      progress=False)
        runs.append((history.step_loss, model.state_dict()))
    assert runs[0] == runs[1]


def test_fit_seed_changes_order():
    X, y = two_blobs()
    losses = []
    for seed in (1, 2):
        model = MLP(2, [4, 1], seed=1)
        losses.append(fit(model, mse_loss, X, y, epochs=1, batch_size=5, lr=0.05, seed=seed,
                          progress=False).step_loss)
    assert losses[0] != losses[1]


@pytest.mark.parametrize(("batch_size", "steps"), [(None, 1), (1, 40), (16, 3)])
def test_history_lengths(batch_size, steps):
    X, y = two_blobs()
    history = fit(MLP(2, [3, 1], seed=0), mse_loss, X, y, epochs=2, batch_size=batch_size,
                  lr=0.01, seed=0, progress=False)
    assert isinstance(history, History)
    assert history.steps_per_epoch == steps
    assert len(history.step_loss) == 2 * steps
    assert len(history.epoch_loss) == len(history.elapsed) == 2
    assert 0.0 < history.elapsed[0] <= history.elapsed[1]


def test_gradient_descent_epoch_loss_is_step_loss():
    X, y = two_blobs()
    history = fit(MLP(2, [3, 1], seed=0), mse_loss, X, y, epochs=3, lr=0.01, progress=False)
    assert history.epoch_loss == pytest.approx(history.step_loss, rel=1e-15)


def test_epoch_loss_weights_batches_by_size():
    # Batches of 16, 16 and 8: the epoch loss is Σ |B| J_B / 40.
    X, y = two_blobs()
    history = fit(MLP(2, [3, 1], seed=0), mse_loss, X, y, epochs=1, batch_size=16, lr=0.01,
                  seed=0, progress=False)
    first, second, third = history.step_loss
    assert history.epoch_loss[0] == pytest.approx((16 * first + 16 * second + 8 * third) / 40)


def test_fit_with_adam():
    X, y = two_blobs()
    model = MLP(2, [4, 1], seed=0)
    history = fit(model, bce_with_logits_loss, X, y, epochs=10, batch_size=10,
                  optimizer=Adam(model.parameters(), lr=0.05), seed=0, progress=False)
    assert history.epoch_loss[-1] < history.epoch_loss[0]


def test_non_finite_loss_stops_with_last_finite_parameters():
    # lr = 1e200 sends the weights to about 1e200 after the first step, still finite; the next
    # loss overflows to inf, so fit stops at epoch 2, step 1 without applying that step.
    X, y = np.array([[1.0], [2.0]]), np.array([1.0, 2.0])
    after_one_epoch = MLP(1, [1], activation="linear", seed=0)
    fit(after_one_epoch, mse_loss, X, y, epochs=1, lr=1e200, progress=False)
    model = MLP(1, [1], activation="linear", seed=0)
    with pytest.raises(FloatingPointError, match="epoch 2, step 1: the loss is inf") as error:
        fit(model, mse_loss, X, y, epochs=5, lr=1e200, progress=False)
    assert "smaller learning rate" in str(error.value)
    assert model.state_dict() == after_one_epoch.state_dict()
    assert all(math.isfinite(v) for v in model.state_dict().values())


def test_overflowing_update_is_undone():
    X, y = np.array([[1.0]]), np.array([100.0])
    model = MLP(1, [1], activation="linear", seed=0)
    before = model.state_dict()
    with pytest.raises(FloatingPointError, match="epoch 1, step 1: the update made"):
        fit(model, mse_loss, X, y, epochs=1, lr=1e307, progress=False)
    assert model.state_dict() == before


def test_bad_epochs():
    X, y = two_blobs()
    with pytest.raises(ValueError, match="`epochs` must be an integer >= 1, got 0"):
        fit(MLP(2, [1], seed=0), mse_loss, X, y, epochs=0, progress=False)


def test_loss_fn_must_return_value():
    X, y = two_blobs()
    with pytest.raises(TypeError, match="`loss_fn` must return a Value"):
        fit(MLP(2, [1], seed=0), lambda outputs, targets: 0.0, X, y, epochs=1, progress=False)


def test_progress_bar_on_stderr(capsys):
    X, y = two_blobs(n=4)
    fit(MLP(2, [1], seed=0), mse_loss, X, y, epochs=2, lr=0.01, progress=True)
    assert "fit" in capsys.readouterr().err


def test_training_step_leaves_no_cyclic_garbage():
    # Reference counting alone must free the graph: the collector then finds nothing.
    X, y = two_blobs(n=10)
    model = MLP(2, [4, 1], seed=0)
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        loss = mse_loss([model(row) for row in X.tolist()], y)
        loss.backward()
        del loss
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()


def test_mse_non_finite_message_omits_logits():
    X, y = np.array([[1.0]]), np.array([100.0])
    with pytest.raises(FloatingPointError) as error:
        fit(MLP(1, [1], activation="linear", seed=0), mse_loss, X, y, epochs=1, lr=1e307,
            progress=False)
    assert "smaller learning rate (lr is 1e+307)" in str(error.value)
    assert "logit" not in str(error.value)


@pytest.mark.parametrize(
    ("loss_fn", "output_activation", "y", "suggested"),
    [(bce_loss, "sigmoid", [1.0], "bce_with_logits_loss"),
     (cce_loss, "softmax", [1], "cross_entropy_loss")],
)
def test_non_finite_message_for_probability_loss(loss_fn, output_activation, y, suggested):
    # With an input of 10 the first weight gradient is a few units, so lr = 1e308 overflows it.
    X = np.array([[10.0]])
    n_out = 1 if output_activation == "sigmoid" else 2
    model = MLP(1, [n_out], output_activation=output_activation, seed=0)
    with pytest.raises(FloatingPointError, match="the update made") as error:
        fit(model, loss_fn, X, np.array(y), epochs=1, lr=1e308, progress=False)
    assert suggested in str(error.value)


def test_optimizer_of_other_model_is_rejected():
    X, y = two_blobs(n=6)
    old, model = MLP(2, [1], seed=0), MLP(2, [1], seed=1)
    before = model.state_dict()
    with pytest.raises(ValueError, match="updates none of the model's parameters"):
        fit(model, mse_loss, X, y, epochs=1, optimizer=SGD(old.parameters(), lr=0.1),
            progress=False)
    assert model.state_dict() == before


def test_optimizer_of_some_parameters_freezes_the_rest():
    X, y = two_blobs(n=6)
    model = MLP(2, [3, 1], seed=0)
    first_layer = model.layers[0].parameters()
    state = model.state_dict()
    frozen = {name: value for name, value in state.items() if name.startswith("layers.1")}
    fit(model, mse_loss, X, y, epochs=2, optimizer=SGD(first_layer, lr=0.1), progress=False)
    after = model.state_dict()
    assert all(after[name] == value for name, value in frozen.items())
    assert any(after[name] != value for name, value in MLP(2, [3, 1], seed=0).state_dict().items())


def test_epochs_accepts_numpy_integer():
    X, y = two_blobs(n=6)
    history = fit(MLP(2, [1], seed=0), mse_loss, X, y, epochs=np.int64(2), progress=False)
    assert len(history.epoch_loss) == 2


@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [("a", TypeError, "`seed` must be a non-negative int, a numpy Generator or None, got str"),
     (1.5, TypeError, "got float 1.5"),
     (True, TypeError, "got bool True"),
     (-1, ValueError, "`seed` must be a non-negative int, a numpy Generator or None, got -1"),
     (np.int64(-2), ValueError, "got -2")],
)
def test_fit_rejects_invalid_seed(seed, error, message):
    X, y = two_blobs(n=6)
    with pytest.raises(error, match=re.escape(message)):
        fit(MLP(2, [1], seed=0), mse_loss, X, y, epochs=1, seed=seed, progress=False)


def test_fit_class_labels_with_mse_suggests_cross_entropy():
    X, y = two_blobs(n=6)
    message = re.escape("must have shape (6, 2) for 6 samples")
    with pytest.raises(ValueError, match=message) as error:
        fit(MLP(2, [2], seed=0), mse_loss, X, y.astype(int), epochs=1, progress=False)
    assert "(6,) or" not in str(error.value)
    assert "cross_entropy_loss" in str(error.value)


@pytest.mark.parametrize(
    ("make", "lr"),
    [(lambda ps: SGD(ps, lr=0.01, momentum=0.9), 1e307),
     (lambda ps: Adam(ps, lr=0.01), 1e308)],
)
def test_overflowing_update_restores_optimizer_state(make, lr):
    # A few finite steps give the optimizer a non-zero state (velocity, or t, m and v). Then a
    # huge lr times a gradient of about -200 overflows the next update to inf.
    X, y = np.array([[1.0]]), np.array([100.0])
    model = MLP(1, [1], activation="linear", seed=0)
    optimizer = make(model.parameters())
    fit(model, mse_loss, X, y, epochs=3, optimizer=optimizer, progress=False)
    optimizer.lr = lr
    state, parameters = optimizer.state_dict(), model.state_dict()
    assert state not in ({"velocity": None}, {"t": 0, "m": [0.0, 0.0], "v": [0.0, 0.0]})

    with pytest.raises(FloatingPointError, match="epoch 1, step 1: the update made"):
        fit(model, mse_loss, X, y, epochs=1, optimizer=optimizer, progress=False)
    assert optimizer.state_dict() == state
    assert model.state_dict() == parameters


def test_frozen_parameters_grad_is_latest_step():
    # GD on the whole set: the second step's gradients are those of the model after one step.
    X, y = two_blobs(n=6)
    after_one_step = MLP(2, [3, 1], seed=0)
    layer0 = after_one_step.layers[0].parameters()
    fit(after_one_step, mse_loss, X, y, epochs=1, optimizer=SGD(layer0, lr=0.1), progress=False)
    after_one_step.zero_grad()
    mse_loss([after_one_step(row) for row in X.tolist()], y).backward()
    expected = after_one_step.layers[1].grad_arrays()

    model = MLP(2, [3, 1], seed=0)
    layer0 = model.layers[0].parameters()
    fit(model, mse_loss, X, y, epochs=2, optimizer=SGD(layer0, lr=0.1), progress=False)
    dW, db = model.layers[1].grad_arrays()
    np.testing.assert_allclose(dW, expected[0], rtol=1e-12)
    np.testing.assert_allclose(db, expected[1], rtol=1e-12)


def test_fit_rejects_non_integer_epochs():
    X, y = two_blobs(n=6)
    for epochs in (2.0, True, "2"):
        expected = f"`epochs` must be an integer >= 1, got {type(epochs).__name__} {epochs!r}"
        with pytest.raises(TypeError, match=re.escape(expected)):
            fit(MLP(2, [1], seed=0), mse_loss, X, y, epochs=epochs, progress=False)


@pytest.mark.parametrize(
    ("output_activation", "loss_name"),
    [("sigmoid", "bce_with_logits_loss"), ("softmax", "cross_entropy_loss")],
)
def test_fit_warns_activation_applied_twice(output_activation: str, loss_name: str) -> None:
    width = 1 if output_activation == "sigmoid" else 2
    model = nn.MLP(2, [3, width], output_activation=output_activation, seed=0)
    X, y = [[0.0, 1.0], [1.0, 0.0]], [0, 1]

    with pytest.warns(UserWarning, match=r"applied twice"):
        nn.fit(model, getattr(nn, loss_name), X, y, epochs=1, progress=False)
