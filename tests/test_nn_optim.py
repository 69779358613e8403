"""SGD and Adam against updates computed by hand over three steps."""

import math
import re

import numpy as np
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


@pytest.mark.parametrize("lr", [np.float32(0.5), np.float64(0.5), np.int64(1), 0.5])
def test_accepts_numpy_scalar_settings(lr):
    w = Value(1.0)
    w.grad = 1.0
    optimizer = SGD([w], lr=lr, momentum=np.float32(0.5))
    optimizer.step()
    assert type(optimizer.lr) is float
    assert w.data == 1.0 - float(lr)


@pytest.mark.parametrize("lr", ["0.1", None, [0.1], True])
def test_rejects_non_number_settings(lr):
    with pytest.raises(TypeError, match="`lr` must be a real number, got"):
        SGD([Value(1.0)], lr=lr)
    with pytest.raises(TypeError, match="`eps` must be a real number, got"):
        Adam([Value(1.0)], eps=lr)


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1), lambda ps: Adam(ps, lr=0.1)])
def test_rejects_duplicate_parameter(make):
    w, b = Value(1.0, label="w"), Value(0.0)
    message = re.escape("`parameters[2]` is the same Value as `parameters[0]`")
    with pytest.raises(ValueError, match=message):
        make([w, b, w])


def test_sgd_state_dict_round_trip():
    # Steps with g = 1: v = 1, then v = 0.9 * 1 + 1 = 1.9.
    w = Value(1.0)
    optimizer = SGD([w], lr=0.1, momentum=0.9)
    assert optimizer.state_dict() == {"velocity": None}
    w.grad = 1.0
    optimizer.step()
    saved = optimizer.state_dict()
    assert saved == {"velocity": [1.0]}
    optimizer.step()
    assert optimizer.velocity == [1.9]
    assert saved == {"velocity": [1.0]}
    optimizer.load_state_dict(saved)
    assert optimizer.state_dict() == {"velocity": [1.0]}


def test_adam_state_dict_round_trip():
    w = Value(1.0)
    optimizer = Adam([w], lr=0.1)
    w.grad = 0.5
    optimizer.step()
    saved, after_first = optimizer.state_dict(), w.data
    assert saved["t"] == 1
    optimizer.step()
    assert optimizer.t == 2
    optimizer.load_state_dict(saved)
    assert optimizer.state_dict() == saved

    # The restored state gives the same next update as the original second step did.
    w.data = after_first
    optimizer.step()
    twin = Adam([Value(1.0)], lr=0.1)
    twin.parameters[0].grad = 0.5
    twin.step()
    twin.step()
    assert w.data == twin.parameters[0].data


@pytest.mark.parametrize("optimizer", [SGD([Value(1.0)], lr=0.1), Adam([Value(1.0)])])
def test_load_state_dict_rejects_other_keys(optimizer):
    with pytest.raises(ValueError, match="state_dict\\(\\) with keys"):
        optimizer.load_state_dict({"momentum": 0.5})


def test_load_state_dict_rejects_wrong_length():
    optimizer = Adam([Value(1.0), Value(2.0)])
    state = optimizer.state_dict()
    state["m"] = [0.0]
    with pytest.raises(ValueError, match=re.escape("`state['m']` must be a list of 2 floats")):
        optimizer.load_state_dict(state)
