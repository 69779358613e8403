"""SGD and Adam against updates computed by hand over three steps."""

import math

import pytest

from autograd import Value
from nn import SGD, Adam


def run(optimizer, w, gradients):
    history = []
    for g in gradients:
        w.grad = g
        optimizer.step()
        history.append(w.data)
    return history


def test_sgd_plain_three_steps():
    # w ← w - 0.1 g: 1 - 0.1·0.5 = 0.95, 0.95 - 0.1·(-1) = 1.05, 1.05 - 0.1·2 = 0.85.
    w = Value(1.0)
    assert run(SGD([w], lr=0.1), w, [0.5, -1.0, 2.0]) == pytest.approx(
        [0.95, 1.05, 0.85], rel=1e-15
    )


def test_sgd_momentum_three_steps():
    # μ = 0.9, lr = 0.1. v₁ = g₁ = 1, w = 1 - 0.1 = 0.9.
    # v₂ = 0.9·1 + 2 = 2.9, w = 0.9 - 0.29 = 0.61.
    # v₃ = 0.9·2.9 - 1 = 1.61, w = 0.61 - 0.161 = 0.449.
    w = Value(1.0)
    assert run(SGD([w], lr=0.1, momentum=0.9), w, [1.0, 2.0, -1.0]) == pytest.approx(
        [0.9, 0.61, 0.449], rel=1e-14
    )


def test_sgd_weight_decay_three_steps():
    # g' = g + 0.5 w with g = 0, lr = 0.1: w ← w (1 - 0.05), three times from 2.
    w = Value(2.0)
    assert run(SGD([w], lr=0.1, weight_decay=0.5), w, [0.0, 0.0, 0.0]) == pytest.approx(
        [1.9, 1.805, 1.71475], rel=1e-14
    )


def test_adam_three_steps():
    # β₁ = 0.9, β₂ = 0.999, lr = 0.1, eps = 1e-8; gradients 1, -2, 0.5.
    # t=1: m = 0.1, v = 0.001; m̂ = 1, v̂ = 1; w = 1 - 0.1·1/(1 + 1e-8).
    # t=2: m = 0.09 - 0.2 = -0.11, v = 0.000999 + 0.004 = 0.004999;
    #      m̂ = -0.11/0.19, v̂ = 0.004999/0.001999.
    # t=3: m = -0.099 + 0.05 = -0.049, v = 0.004994001 + 0.00025 = 0.005244001;
    #      m̂ = -0.049/0.271, v̂ = 0.005244001/0.002997001.
    w = Value(1.0)
    expected = []
    data = 1.0
    for m_hat, v_hat in [(1.0, 1.0), (-0.11 / 0.19, 0.004999 / 0.001999),
                         (-0.049 / 0.271, 0.005244001 / 0.002997001)]:
        data -= 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8)
        expected.append(data)
    assert run(Adam([w], lr=0.1), w, [1.0, -2.0, 0.5]) == pytest.approx(expected, rel=1e-12)


def test_adam_first_step_is_lr_times_sign():
    w = Value(0.0)
    run(Adam([w], lr=0.01), w, [-123.0])
    assert w.data == pytest.approx(0.01, rel=1e-9)


def test_zero_grad():
    a, b = Value(1.0), Value(2.0)
    a.grad, b.grad = 3.0, 4.0
    SGD([a, b], lr=0.1).zero_grad()
    assert (a.grad, b.grad) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"lr": 0.0}, "`lr` must be > 0"),
     ({"lr": -0.1}, "got -0.1"),
     ({"lr": math.nan}, "finite"),
     ({"lr": 0.1, "momentum": 1.0}, "`momentum` must be >= 0.0 and < 1.0"),
     ({"lr": 0.1, "weight_decay": -1.0}, "`weight_decay`")],
)
def test_sgd_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SGD([Value(1.0)], **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"betas": (0.9,)}, "pair"),
     ({"betas": (1.0, 0.999)}, "betas\\[0\\]"),
     ({"eps": 0.0}, "`eps` must be > 0")],
)
def test_adam_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Adam([Value(1.0)], **kwargs)


def test_rejects_empty_parameters():
    with pytest.raises(ValueError, match="empty"):
        SGD([], lr=0.1)


def test_rejects_interior_node():
    a = Value(1.0)
    with pytest.raises(ValueError, match="leaf Value"):
        SGD([a * 2.0], lr=0.1)
