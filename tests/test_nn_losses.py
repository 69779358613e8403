"""Losses, softmax and log-softmax: values, gradients, stability and input checks."""

import math

import numpy as np
import pytest

from autograd import Value, grad
from nn import (
    PROBABILITY_EPS,
    bce_loss,
    bce_with_logits_loss,
    cce_loss,
    cross_entropy_loss,
    log_softmax,
    mse_loss,
    softmax,
)


def values(*numbers):
    return [Value(x) for x in numbers]


def test_mse_hand_computed():
    # ((1 - 0)² + (3 - 1)²) / 2 = 2.5; dJ/dŷ = 2(ŷ - y)/N = (1, 2).
    p = values(1.0, 3.0)
    loss = mse_loss(p, [0.0, 1.0])
    loss.backward()
    assert loss.data == 2.5
    assert [v.grad for v in p] == [1.0, 2.0]


def test_mse_sums_over_outputs():
    # Lᵢ = Σₖ (ŷᵢₖ - yᵢₖ)², so one sample with two outputs: (1² + 2²) / 1 = 5.
    loss = mse_loss([values(1.0, 2.0)], [[0.0, 0.0]])
    assert loss.data == 5.0


def test_bce_hand_computed():
    # -(log 0.8 + log(1 - 0.4)) / 2.
    loss = bce_loss(values(0.8, 0.4), [1.0, 0.0])
    assert loss.data == pytest.approx(-(math.log(0.8) + math.log(0.6)) / 2, rel=1e-15)


@pytest.mark.parametrize(("p", "y"), [(0.0, 1.0), (1.0, 0.0), (0.0, 0.0), (1.0, 1.0)])
def test_bce_finite_at_zero_and_one(p, y):
    probability = Value(p)
    loss = bce_loss([probability], [y])
    loss.backward()
    assert math.isfinite(loss.data)
    assert math.isfinite(probability.grad)


def test_bce_clamp_value():
    loss = bce_loss([Value(0.0)], [1.0])
    assert loss.data == pytest.approx(-math.log(PROBABILITY_EPS), rel=1e-12)


def test_cce_finite_at_zero():
    loss = cce_loss([values(0.0, 1.0)], [0])
    assert loss.data == pytest.approx(-math.log(PROBABILITY_EPS), rel=1e-12)


def test_bce_with_logits_large_logits():
    z = values(1000.0, -1000.0, 1000.0, -1000.0)
    loss = bce_with_logits_loss(z, [1.0, 0.0, 0.0, 1.0])
    loss.backward()
    # The two wrong predictions cost 1000 each: (0 + 0 + 1000 + 1000) / 4.
    assert loss.data == 500.0
    assert [v.grad for v in z] == [0.0, 0.0, 0.25, -0.25]


def test_bce_with_logits_matches_bce():
    z = values(0.3, -1.2)
    p = [v.sigmoid() for v in z]
    y = [1.0, 0.0]
    assert bce_with_logits_loss(z, y).data == pytest.approx(bce_loss(p, y).data, rel=1e-14)


def test_cross_entropy_large_logits():
    z = values(1000.0, -1000.0, 0.0)
    loss = cross_entropy_loss([z], [1])
    loss.backward()
    assert loss.data == 2000.0
    assert [v.grad for v in z] == [1.0, -1.0, 0.0]


def test_cross_entropy_matches_cce_of_softmax():
    z = values(0.5, -0.25, 2.0)
    assert cross_entropy_loss([z], [2]).data == pytest.approx(
        cce_loss([softmax(z)], [2]).data, rel=1e-14
    )


def test_cross_entropy_one_hot_equals_indices():
    rows = [values(0.1, 0.2, 0.3), values(1.0, -1.0, 0.0)]
    by_index = cross_entropy_loss(rows, [2, 0]).data
    by_one_hot = cross_entropy_loss(rows, [[0, 0, 1], [1, 0, 0]]).data
    assert by_index == by_one_hot


def test_softmax_sums_to_one_at_large_logits():
    p = softmax(values(1000.0, 999.0, -1000.0))
    assert sum(v.data for v in p) == pytest.approx(1.0, abs=1e-15)
    assert all(math.isfinite(v.data) for v in p)


@pytest.mark.parametrize("k", [0, 1, 2])
def test_softmax_gradient_sums_to_zero(k):
    # softmax is unchanged by adding c to every logit, so Σⱼ ∂pₖ/∂zⱼ = 0.
    z = values(0.3, -1.0, 2.5)
    gradients = grad(softmax(z)[k], z)
    assert abs(sum(gradients)) < 1e-15


def test_cross_entropy_gradient_sums_to_zero():
    z = values(0.3, -1.0, 2.5)
    assert abs(sum(grad(cross_entropy_loss([z], [1]), z))) < 1e-15


def test_log_softmax_matches_log_of_softmax():
    z = values(0.3, -1.0, 2.5)
    for a, b in zip(log_softmax(z), softmax(z)):
        assert a.data == pytest.approx(math.log(b.data), rel=1e-14)


def test_log_softmax_large_logits():
    out = log_softmax(values(1000.0, 0.0))
    assert [v.data for v in out] == [0.0, -1000.0]


@pytest.mark.parametrize(
    ("targets", "message"),
    [([3], "class indices must be integers from 0 to 2"),
     ([-1], "targets\\[0\\]"),
     ([0.5], "integers"),
     ([[0, 1, 1]], "one-hot row"),
     ([[0, 1]], "shape \\(1, 3\\)")],
)
def test_class_targets_rejected(targets, message):
    with pytest.raises(ValueError, match=message):
        cross_entropy_loss([values(0.0, 1.0, 2.0)], targets)


def test_targets_wrong_length():
    with pytest.raises(ValueError, match="shape \\(2,\\) or \\(2, 1\\)"):
        mse_loss(values(1.0, 2.0), [1.0, 2.0, 3.0])


def test_bce_rejects_logits():
    with pytest.raises(ValueError, match="bce_with_logits_loss"):
        bce_loss([Value(2.5)], [1.0])


def test_cce_rejects_logits():
    with pytest.raises(ValueError, match="cross_entropy_loss"):
        cce_loss([values(2.5, -1.0)], [0])


def test_bce_targets_outside_unit_interval():
    with pytest.raises(ValueError, match="in \\[0, 1\\]"):
        bce_with_logits_loss([Value(0.0)], [2.0])


def test_entries_must_be_values():
    with pytest.raises(TypeError, match="must contain Values"):
        mse_loss([1.0, 2.0], [1.0, 2.0])


def test_empty_predictions():
    with pytest.raises(ValueError, match="non-empty"):
        mse_loss([], [])


def test_ragged_predictions():
    with pytest.raises(ValueError, match="same number of Values"):
        mse_loss([values(1.0, 2.0), values(1.0)], [[0, 0], [0, 0]])


def test_targets_with_nan():
    with pytest.raises(ValueError, match="finite"):
        mse_loss([Value(1.0)], [np.nan])


@pytest.mark.parametrize("loss", [mse_loss, bce_with_logits_loss])
def test_target_shape_message_lists_accepted_shape(loss):
    with pytest.raises(ValueError) as error:
        loss([values(1.0, 0.0, 0.0)], [1.0])
    message = str(error.value)
    assert "must have shape (1, 3) for 1 sample with 3 outputs, got shape (1,)" in message
    assert "(1,) or" not in message
    assert "cross_entropy_loss" in message


def test_target_shape_message_without_labels():
    # 0.5 is no class index, so no classification advice.
    with pytest.raises(ValueError) as error:
        mse_loss([values(1.0, 0.0), values(0.0, 1.0)], [0.5, 1.0])
    assert "must have shape (2, 2) for 2 samples with 2 outputs" in str(error.value)
    assert "cross_entropy_loss" not in str(error.value)


def test_class_index_message_shows_plain_int():
    with pytest.raises(ValueError, match=r"`targets\[0\]` is 3, but") as error:
        cross_entropy_loss([values(0.0, 1.0, 2.0)], np.array([3]))
    assert "np.int64" not in str(error.value)


def test_cce_clamps_only_below():
    # Clamped at p = 0 of the target class: -log(1e-12) with gradient 0. At p = 1 nothing is
    # clamped: loss 0 and dL/dp = -1/p = -1.
    low, high = Value(0.0), Value(1.0)
    loss = cce_loss([[low, high]], [0])
    assert loss.data == pytest.approx(-math.log(PROBABILITY_EPS))
    assert grad(loss, [low]) == (0.0,)
    top = Value(1.0)
    loss = cce_loss([[top, Value(0.0)]], [0])
    assert loss.data == 0.0
    assert grad(loss, [top]) == (-1.0,)


def test_bce_clamps_both_ends():
    # Wrong at p = 0 or 1: about 27.6; right: -log(1 - 1e-12), about 1e-12. Gradient 0 at both.
    cases = [(0.0, 1.0, 27.63), (1.0, 0.0, 27.63), (1.0, 1.0, 1e-12), (0.0, 0.0, 1e-12)]
    for p, y, expected in cases:
        probability = Value(p)
        loss = bce_loss([probability], [y])
        assert loss.data == pytest.approx(expected, rel=1e-3)
        assert grad(loss, [probability]) == (0.0,)


@pytest.mark.parametrize("z", [1e3, 1e300, 1e308])
def test_logit_losses_finite_far_out(z):
    # The true losses are |z| (wrong) and 0 (right), both representable.
    assert bce_with_logits_loss([Value(-z)], [1.0]).data == z
    assert bce_with_logits_loss([Value(z)], [1.0]).data == 0.0
    assert cross_entropy_loss([[Value(z / 2), Value(-z / 2)]], [1]).data == z
    assert cross_entropy_loss([[Value(z), Value(-z)]], [0]).data == 0.0


def test_cross_entropy_overflows_only_with_true_loss():
    # The true loss is 2e308, above the float64 maximum of about 1.8e308.
    assert cross_entropy_loss([[Value(-1e308), Value(1e308)]], [0]).data == math.inf


@pytest.mark.parametrize("entries", [[[], []], [values(1.0), []]])
def test_empty_entry_names_sample(entries):
    index = 0 if not entries[0] else 1
    with pytest.raises(ValueError, match=rf"`predictions\[{index}\]` contains no Values"):
        mse_loss(entries, [0.0, 0.0])
