"""Global switches of the engine: `no_grad` and `detect_anomaly`.

Both are process-wide flags read by every operation, as in PyTorch's grad mode, and both restore
the previous setting on exit so that they nest. They are not thread-local.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, overload

F = TypeVar("F", bound=Callable[..., Any])


class _Flags:
    """The switches every operation reads. One shared instance, `flags`."""

    __slots__ = ("grad_enabled", "anomaly_enabled")

    def __init__(self) -> None:
        self.grad_enabled = True
        self.anomaly_enabled = False


flags = _Flags()


class NoGradMode(contextlib.ContextDecorator):
    """The context manager and decorator that `no_grad()` returns."""

    def __init__(self) -> None:
        # A stack, because one decorator instance may be entered again by a recursive call.
        self._previous: list[bool] = []

    def __enter__(self) -> NoGradMode:
        self._previous.append(flags.grad_enabled)
        flags.grad_enabled = False
        return self

    def __exit__(self, *exc_info: object) -> None:
        flags.grad_enabled = self._previous.pop()


@overload
def no_grad() -> NoGradMode: ...


@overload
def no_grad(function: F) -> F: ...


def no_grad(function: F | None = None) -> NoGradMode | F:
    """Disable graph recording, as a context manager or a decorator (`@no_grad` or `@no_grad()`).

    Results computed inside have the right `data` but no parents, so they are leaves and
    backpropagation does not reach through them: calling `backward()` on such a result only adds
    1 to its own `grad` (PyTorch raises there instead). Use it for evaluation and parameter
    updates.

    Examples
    --------
    >>> from autograd import Value, no_grad
    >>> x = Value(3.0)
    >>> with no_grad():
    ...     y = x * x
    >>> y.is_leaf
    True
    >>> @no_grad
    ... def square(v):
    ...     return v * v
    >>> square(x).is_leaf
    True
    """
    if function is None:
        return NoGradMode()
    return NoGradMode()(function)


def is_grad_enabled() -> bool:
    """Return True when operations record the graph (outside `no_grad`)."""
    return flags.grad_enabled


@contextlib.contextmanager
def enable_grad() -> Iterator[None]:
    """Record the graph inside the block, even within `no_grad`."""
    previous = flags.grad_enabled
    flags.grad_enabled = True
    try:
        yield
    finally:
        flags.grad_enabled = previous


@contextlib.contextmanager
def detect_anomaly() -> Iterator[None]:
    """Raise FloatingPointError at the first inf or nan an operation or backward step produces.

    The message names the operation, its input values and the labels of the nodes involved, so a
    learner finds where a loss first became nan. Checking every value slows the engine down, so use
    it to debug, not to train. When it raises in a backward pass, the leaves keep the part of
    their gradients added before that step, so reset them before backpropagating again.

    Examples
    --------
    >>> from autograd import Value, detect_anomaly
    >>> with detect_anomaly():
    ...     Value(0.0, label="x").log()
    Traceback (most recent call last):
    ...
    FloatingPointError: log produced -inf from inputs (x=0.0): ...
    """
    previous = flags.anomaly_enabled
    flags.anomaly_enabled = True
    try:
        yield
    finally:
        flags.anomaly_enabled = previous

