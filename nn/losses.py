"""The course's losses, each averaged over the batch: J = (1/N) Σᵢ Lᵢ.

Each loss takes one entry per sample: a Value for a single output, or a sequence of Values (one
per output or class), as returned by `MLP.__call__`. With several outputs, Lᵢ is the sum over the
outputs, so dJ/dŷ is 2(ŷ - y)/N for MSE, whatever the width.

The probability forms clamp before the logarithm, so no term is inf or nan:

- `bce_loss` clamps p to [PROBABILITY_EPS, 1 - PROBABILITY_EPS]. At p = 0 or p = 1 the term is
  about 27.6 when the output is wrong and about 1e-12 when it is right, and its gradient is 0.
- `cce_loss` clamps p to [PROBABILITY_EPS, 1]. At p = 0 for the target class the term is about
  27.6 with gradient 0. At p = 1 nothing is clamped, so the term is 0 and dL/dp = -1.

The gradient in a clamped region is 0, as with torch.clamp, so a saturated wrong output stops
learning there. The logit forms (`bce_with_logits_loss`, `cross_entropy_loss`) need no clamp.
They are exact and finite for logits of ±1000 and far beyond. Only where the true loss itself
overflows float64 (above about 1.8e308, for example logits of -1e308 and 1e308 in
`cross_entropy_loss`) is the result inf. NOTE: every loss sums its terms before dividing by N,
so that sum must also stay below about 1.8e308, or the result is inf.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import Value
from autograd import sum as value_sum
from nn.activations import log_sum_exp
from nn.loss_targets import check_unit_interval_targets, class_targets, real_targets

PROBABILITY_EPS = 1e-12

Entries = Sequence[Value | Sequence[Value]]


def mse_loss(predictions: Entries, targets: object) -> Value:
    """Return J = (1/N) Σᵢ Σₖ (ŷᵢₖ - yᵢₖ)², the mean squared error. dJ/dŷᵢₖ = 2(ŷᵢₖ - yᵢₖ)/N.

    Parameters
    ----------
    predictions : sequence of Value or of sequences of Value
        One entry per sample.
    targets : array-like of shape (N,) or (N, n_outputs)

    Examples
    --------
    >>> from autograd import Value
    >>> from nn import mse_loss
    >>> mse_loss([Value(1.0), Value(3.0)], [0.0, 1.0]).data
    2.5
    """
    rows = _entries(predictions, "predictions")
    y = real_targets(targets, rows, "targets")
    squares = []
    for row, target in zip(rows, y):
        for prediction, value in zip(row, target):
            difference = prediction - value
            squares.append(difference * difference)
    return value_sum(squares) / len(rows)


def bce_loss(probabilities: Entries, targets: object) -> Value:
    """Return the binary cross-entropy J = -(1/N) Σᵢ [yᵢ log pᵢ + (1 - yᵢ) log(1 - pᵢ)].

    For a sigmoid output p = σ(z), dJ/dz = (p - y)/N. Each probability is clamped to
    [PROBABILITY_EPS, 1 - PROBABILITY_EPS], so p = 0 or p = 1 gives a term of about 27.6 when
    wrong and about 1e-12 when right, with gradient 0. Prefer `bce_with_logits_loss`, which is
    exact.

    Examples
    --------
    >>> from autograd import Value
    >>> from nn import bce_loss
    >>> round(bce_loss([Value(0.5)], [1.0]).data, 6)
    0.693147
    """
    rows = _entries(probabilities, "probabilities")
    _check_probabilities(rows, "bce_loss", "bce_with_logits_loss")
    y = real_targets(targets, rows, "targets")
    check_unit_interval_targets(y)
    terms = []
    for row, target in zip(rows, y):
        for p, value in zip(row, target):
            clamped = _clamp(p, PROBABILITY_EPS, 1.0 - PROBABILITY_EPS)
            if value != 0.0:
                terms.append(clamped.log() * value)
            if value != 1.0:
                terms.append((1.0 - clamped).log() * (1.0 - value))
    return -value_sum(terms) / len(rows)


def bce_with_logits_loss(logits: Entries, targets: object) -> Value:
    """Return the binary cross-entropy of σ(z), computed from the logits z as softplus(z) - y·z.

    log σ(z) = -softplus(-z) and log(1 - σ(z)) = -softplus(z), so each term is
    softplus(z) - y·z, which is exact for any finite z: about |z| for a wrong z of ±1e308.
    dJ/dz = (σ(z) - y)/N.

    Examples
    --------
    >>> from autograd import Value
    >>> from nn import bce_with_logits_loss
    >>> bce_with_logits_loss([Value(1000.0), Value(-1000.0)], [1.0, 0.0]).data
    0.0
    """
    rows = _entries(logits, "logits")
    y = real_targets(targets, rows, "targets")
    check_unit_interval_targets(y)
    terms = []
    for row, target in zip(rows, y):
        for z, value in zip(row, target):
            terms.append(z.softplus() - z * value)
    return value_sum(terms) / len(rows)


def cce_loss(probabilities: Entries, targets: object) -> Value:
    """Return the categorical cross-entropy J = -(1/N) Σᵢ log pᵢ[yᵢ] of softmax outputs.

    Targets are class indices or one-hot rows. For p = softmax(z), dJ/dz = (p - y)/N. Each
    probability is clamped to [PROBABILITY_EPS, 1]: p = 0 for the target class gives a term of
    about 27.6 with gradient 0, and p = 1 gives 0 with dL/dp = -1. Prefer `cross_entropy_loss`,
    which is exact.

    Examples
    --------
    >>> from autograd import Value
    >>> from nn import cce_loss
    >>> round(cce_loss([[Value(0.25), Value(0.75)]], [1]).data, 6)
    0.287682
    """
    rows = _entries(probabilities, "probabilities")
    _check_probabilities(rows, "cce_loss", "cross_entropy_loss")
    classes = class_targets(targets, rows)
    terms = [_clamp(row[k], PROBABILITY_EPS, 1.0).log() for row, k in zip(rows, classes)]
    return -value_sum(terms) / len(rows)


def cross_entropy_loss(logits: Entries, targets: object) -> Value:
    """Return J = (1/N) Σᵢ -log softmax(zᵢ)[yᵢ], computed as log Σⱼ exp(zᵢⱼ) - zᵢ[yᵢ].

    The log-sum-exp subtracts the largest logit, so the loss is exact and finite for logits of
    ±1000 and far beyond. It is inf only where the true per-sample loss, about the gap between
    the largest logit and the target's, exceeds the float64 maximum of about 1.8e308.
    Targets are class indices or one-hot rows. dJ/dz = (softmax(z) - y)/N.

    Examples
    --------
    >>> from autograd import Value
    >>> from nn import cross_entropy_loss
    >>> cross_entropy_loss([[Value(1000.0), Value(-1000.0)]], [0]).data
    0.0
    """
    rows = _entries(logits, "logits")
    classes = class_targets(targets, rows)
    terms = [log_sum_exp(row) - row[k] for row, k in zip(rows, classes)]
    return value_sum(terms) / len(rows)


def _clamp(p: Value, low: float, high: float) -> Value:
    # Outside [low, high] the result is the bound, with derivative 0 (p · 0 + bound); nan stays nan.
    if low <= p.data <= high:
        return p
    return p * 0.0 + (low if p.data < low else high)


def _entries(outputs: Entries, argument: str) -> list[list[Value]]:
    if isinstance(outputs, Value) or not isinstance(outputs, Sequence) or not outputs:
        raise ValueError(
            f"`{argument}` must be a non-empty list with one entry per sample, got {outputs!r}"
        )
    rows = [_entry_values(entry, argument, i) for i, entry in enumerate(outputs)]
    width = len(rows[0])
    for i, row in enumerate(rows):
        if not row:
            raise ValueError(
                f"`{argument}[{i}]` contains no Values; pass one model output per sample"
            )
        if len(row) != width:
            raise ValueError(
                f"`{argument}` entries must all have the same number of Values, got {width} "
                f"for sample 0 and {len(row)} for sample {i}"
            )
    return rows


def _entry_values(entry: object, argument: str, index: int) -> list[Value]:
    if isinstance(entry, Value):
        return [entry]
    row = list(entry) if isinstance(entry, Sequence) else [entry]
    values = []
    for v in row:
        if not isinstance(v, Value):
            raise TypeError(
                f"`{argument}[{index}]` must contain Values, got {type(v).__name__}; "
                "pass the model's outputs"
            )
        values.append(v)
    return values


def _check_probabilities(rows: list[list[Value]], loss: str, logit_form: str) -> None:
    for i, row in enumerate(rows):
        for p in row:
            if p.data < 0.0 or p.data > 1.0:
                raise ValueError(
                    f"{loss} needs probabilities in [0, 1], got {p.data!r} for sample {i}; "
                    f"for logits use {logit_form}"
                )
