"""Optimizers that update parameters in place from their `grad`: SGD (with momentum) and Adam.

Both follow PyTorch's update rules (torch.optim.SGD and torch.optim.Adam, without nesterov,
dampening or amsgrad), weight decay included: it adds weight_decay · w to each gradient.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from autograd import Value


class Optimizer:
    """The parameters to update and the shared `zero_grad`; subclasses define `step`.

    Subclasses that keep state between steps (momentum, moment estimates) also override
    `state_dict` and `load_state_dict`, so that a caller can undo a step.
    """

    def __init__(self, parameters: Iterable[Value], lr: float) -> None:
        self.parameters = list(parameters)
        if not self.parameters:
            raise ValueError("`parameters` is empty; pass model.parameters()")
        first_index: dict[int, int] = {}
        for index, p in enumerate(self.parameters):
            if not isinstance(p, Value) or not p.is_leaf:
                raise ValueError(
                    f"`parameters[{index}]` must be a leaf Value, got {p!r}; "
                    "pass model.parameters()"
                )
            # A parameter listed twice would be updated twice per step.
            if id(p) in first_index:
                raise ValueError(
                    f"`parameters[{index}]` is the same Value as "
                    f"`parameters[{first_index[id(p)]}]` ({p!r}); list each parameter once"
                )
            first_index[id(p)] = index
        self.lr = _check_number(lr, "lr", low=0.0, low_open=True)

    def zero_grad(self) -> None:
        """Set every parameter's `grad` to 0.0, because backward adds to the gradients of leaves."""
        for p in self.parameters:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter from its `grad`."""
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """Return a copy of the state that `step` updates, or {} for an optimizer without state.

        The copy shares no list with the optimizer, so later steps do not change it.

        Examples
        --------
        >>> from autograd import Value
        >>> from nn import SGD
        >>> w = Value(1.0)
        >>> optimizer = SGD([w], lr=0.1, momentum=0.9)
        >>> saved = optimizer.state_dict()
        >>> w.grad = 0.5
        >>> optimizer.step()
        >>> optimizer.load_state_dict(saved)
        >>> optimizer.state_dict() == saved
        True
        """
        return {}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restore the state saved by `state_dict` of this optimizer.

        Raises
        ------
        ValueError
            If `state` does not have the keys that `state_dict` returns.
        """
        _check_state_keys(state, self.state_dict(), type(self).__name__)

    def _per_parameter(self, values: Any, key: str) -> list[float]:
        # One float per parameter, or zip() in step() would silently skip parameters.
        if not isinstance(values, (list, tuple)) or len(values) != len(self.parameters):
            raise ValueError(
                f"`state[{key!r}]` must be a list of {len(self.parameters)} floats, one per "
                f"parameter, got {values!r}"
            )
        return [float(v) for v in values]


class SGD(Optimizer):
    """Stochastic gradient descent: w ← w - lr · v, with v = g (no momentum) or v ← μ v + g.

    g = dJ/dw + weight_decay · w. With momentum μ > 0 the first step sets v = g, as in PyTorch.

    Parameters
    ----------
    parameters : iterable of Value
    lr : float
        The learning rate η, > 0.
    momentum : float, default=0.0
        μ in [0, 1).
    weight_decay : float, default=0.0
        The L2 penalty coefficient, >= 0.

    Examples
    --------
    >>> from autograd import Value
    >>> from nn import SGD
    >>> w = Value(1.0)
    >>> w.grad = 0.5
    >>> SGD([w], lr=0.1).step()
    >>> w.data
    0.95
    """

    def __init__(
        self,
        parameters: Iterable[Value],
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(parameters, lr)
        self.momentum = _check_number(momentum, "momentum", low=0.0, high=1.0)
        self.weight_decay = _check_number(weight_decay, "weight_decay", low=0.0)
        self.velocity: list[float] | None = None

    def step(self) -> None:
        gradients = _gradients(self.parameters, self.weight_decay)
        if self.momentum == 0.0:
            for p, g in zip(self.parameters, gradients):
                p.data -= self.lr * g
            return

        # Momentum: v ← μ v + g, except on the first step, where v = g.
        if self.velocity is None:
            self.velocity = gradients
        else:
            mu = self.momentum
            self.velocity = [mu * v + g for v, g in zip(self.velocity, gradients)]
        for p, v in zip(self.parameters, self.velocity):
            p.data -= self.lr * v

    def state_dict(self) -> dict[str, Any]:
        """Return a copy of the momentum buffer v as {"velocity": list of float or None}.

        The velocity is None before the first step, and always when momentum is 0.
        """
        velocity = None if self.velocity is None else list(self.velocity)
        return {"velocity": velocity}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restore the momentum buffer saved by `state_dict`."""
        _check_state_keys(state, self.state_dict(), "SGD")
        velocity = state["velocity"]
        self.velocity = None if velocity is None else self._per_parameter(velocity, "velocity")


class Adam(Optimizer):
    """Adam: w ← w - lr · m̂ / (√v̂ + eps), with bias-corrected moment estimates.

    m ← β₁ m + (1 - β₁) g, v ← β₂ v + (1 - β₂) g², m̂ = m / (1 - β₁ᵗ), v̂ = v / (1 - β₂ᵗ) at
    step t = 1, 2, ..., with g = dJ/dw + weight_decay · w.

    Parameters
    ----------
    parameters : iterable of Value
    lr : float, default=1e-3
    betas : tuple of float, default=(0.9, 0.999)
        β₁ and β₂, each in [0, 1).
    eps : float, default=1e-8
        Added to √v̂ so that the update stays finite; > 0.
    weight_decay : float, default=0.0

    Examples
    --------
    >>> from autograd import Value
    >>> from nn import Adam
    >>> w = Value(1.0)
    >>> w.grad = 0.5
    >>> Adam([w], lr=0.1).step()
    >>> round(w.data, 6)
    0.9
    """

    def __init__(
        self,
        parameters: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(parameters, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"`betas` must be a pair (beta1, beta2), got {betas!r}")
        self.beta1 = _check_number(betas[0], "betas[0]", low=0.0, high=1.0)
        self.beta2 = _check_number(betas[1], "betas[1]", low=0.0, high=1.0)
        self.eps = _check_number(eps, "eps", low=0.0, low_open=True)
        self.weight_decay = _check_number(weight_decay, "weight_decay", low=0.0)
        self.t = 0
        self.m = [0.0] * len(self.parameters)
        self.v = [0.0] * len(self.parameters)

    def step(self) -> None:
        gradients = _gradients(self.parameters, self.weight_decay)
        self.t += 1
        b1, b2 = self.beta1, self.beta2

        # Moment estimates, then their bias corrections for step t.
        self.m = [b1 * m + (1.0 - b1) * g for m, g in zip(self.m, gradients)]
        self.v = [b2 * v + (1.0 - b2) * g * g for v, g in zip(self.v, gradients)]
        correction1 = 1.0 - b1**self.t
        correction2 = 1.0 - b2**self.t

        for p, m, v in zip(self.parameters, self.m, self.v):
            m_hat = m / correction1
            v_hat = v / correction2
            p.data -= self.lr * m_hat / (math.sqrt(v_hat) + self.eps)

    def state_dict(self) -> dict[str, Any]:
        """Return a copy of the step count t and the moment estimates m and v as a dict."""
        return {"t": self.t, "m": list(self.m), "v": list(self.v)}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restore the step count and moment estimates saved by `state_dict`."""
        _check_state_keys(state, self.state_dict(), "Adam")
        m = self._per_parameter(state["m"], "m")
        v = self._per_parameter(state["v"], "v")
        self.t, self.m, self.v = int(state["t"]), m, v


def _gradients(parameters: list[Value], weight_decay: float) -> list[float]:
    if weight_decay == 0.0:
        return [p.grad for p in parameters]
    return [p.grad + weight_decay * p.data for p in parameters]


def _check_state_keys(state: Mapping[str, Any], current: dict[str, Any], owner: str) -> None:
    if not isinstance(state, Mapping) or set(state) != set(current):
        found = sorted(state) if isinstance(state, Mapping) else type(state).__name__
        raise ValueError(
            f"`state` must be a dict from {owner}.state_dict() with keys {sorted(current)}, "
            f"got {found}"
        )


def _check_number(
    value: object,
    name: str,
    low: float,
    high: float | None = None,
    low_open: bool = False,
) -> float:
    # Checks low <= value (low < value when low_open) and value < high. numbers.Real includes
    # numpy's float and integer scalars, such as np.float32(0.1).
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a real number, got {type(value).__name__} {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"`{name}` must be a finite number, got {value!r}")
    too_low = number <= low if low_open else number < low
    too_high = high is not None and number >= high
    if too_low or too_high:
        bounds = f"{'>' if low_open else '>='} {low}"
        if high is not None:
            bounds += f" and < {high}"
        raise ValueError(f"`{name}` must be {bounds}, got {value!r}")
    return number
