"""The same MLPs, losses and optimizers in PyTorch float64 give the same numbers."""

import numpy as np
import pytest

from autograd import Value
from nn import (
    MLP,
    SGD,
    Adam,
    bce_loss,
    bce_with_logits_loss,
    cce_loss,
    cross_entropy_loss,
    mse_loss,
)

torch = pytest.importorskip("torch")
F = torch.nn.functional

TORCH_ACTIVATIONS = {
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "softplus": F.softplus,
    "linear": lambda z: z,
}


def torch_forward(model, X):
    params = []
    a = torch.tensor(X, dtype=torch.float64)
    for k, layer in enumerate(model.layers):
        W, b = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in layer.arrays())
        params.append((W, b))
        z = a @ W + b
        last = k == len(model.layers) - 1
        name = (model.output_activation or "linear") if last else model.activation
        a = torch.softmax(z, dim=1) if name == "softmax" else TORCH_ACTIVATIONS[name](z)
    return a, params


def torch_loss(kind, out, Y):
    if kind == "mse":
        return ((out - Y) ** 2).sum(dim=1).mean()
    if kind == "bce":
        return F.binary_cross_entropy(out, Y, reduction="none").sum(dim=1).mean()
    if kind == "bce_logits":
        return F.binary_cross_entropy_with_logits(out, Y, reduction="none").sum(dim=1).mean()
    if kind == "cce":
        return F.nll_loss(torch.log(out), Y)
    return F.cross_entropy(out, Y)


CASES = [
    ("mse", None, mse_loss),
    ("bce", "sigmoid", bce_loss),
    ("bce_logits", None, bce_with_logits_loss),
    ("cce", "softmax", cce_loss),
    ("cross_entropy", None, cross_entropy_loss),
]


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "softplus", "linear"])
@pytest.mark.parametrize(("kind", "output_activation", "loss_fn"), CASES)
def test_loss_and_gradients_match_torch(activation, kind, output_activation, loss_fn):
    rng = np.random.default_rng(0)
    N, n_out = 8, 3
    model = MLP(4, [5, 3, n_out], activation=activation, output_activation=output_activation,
                seed=1)
    X = rng.normal(size=(N, 4))
    if kind in ("cce", "cross_entropy"):
        labels = rng.integers(0, n_out, size=N)
        Y, Y_torch = labels, torch.tensor(labels)
    elif kind == "mse":
        Y = rng.normal(size=(N, n_out))
        Y_torch = torch.tensor(Y)
    else:
        Y = rng.integers(0, 2, size=(N, n_out)).astype(float)
        Y_torch = torch.tensor(Y)

    loss = loss_fn([model(row) for row in X.tolist()], Y)
    loss.backward()
    out, params = torch_forward(model, X)
    expected = torch_loss(kind, out, Y_torch)
    expected.backward()

    assert loss.data == pytest.approx(expected.item(), rel=1e-12)
    for k, (W, b) in enumerate(params):
        dW, db = model.layers[k].grad_arrays()
        np.testing.assert_allclose(dW, W.grad.numpy(), rtol=1e-10, atol=1e-15)
        np.testing.assert_allclose(db, b.grad.numpy(), rtol=1e-10, atol=1e-15)


def run_both(make_ours, make_theirs, gradients):
    start = [0.5, -1.5, 2.0]
    ours = [Value(v) for v in start]
    theirs = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    optimizer, torch_optimizer = make_ours(ours), make_theirs([theirs])
    for g in gradients:
        for p, gi in zip(ours, g):
            p.grad = gi
        theirs.grad = torch.tensor(g, dtype=torch.float64)
        optimizer.step()
        torch_optimizer.step()
    return [p.data for p in ours], theirs.detach().numpy()


GRADIENTS = [[0.3, -2.0, 1.0], [1.5, 0.25, -0.75], [-0.5, 1.0, 4.0]]


def test_sgd_momentum_weight_decay_matches_torch():
    ours, theirs = run_both(
        lambda p: SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01),
        lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01),
        GRADIENTS,
    )
    np.testing.assert_allclose(ours, theirs, rtol=1e-14)


def test_adam_matches_torch():
    ours, theirs = run_both(
        lambda p: Adam(p, lr=0.01, betas=(0.8, 0.99), weight_decay=0.1),
        lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), weight_decay=0.1),
        GRADIENTS,
    )
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
