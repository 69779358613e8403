"""`Module`: the base of every model part that owns parameters, with named access to them."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator, Mapping

from autograd import Value


class Module:
    """A model part that owns parameters directly or through child modules.

    A subclass lists its own parameters in `own_parameters` and its child modules in
    `children`; every other method works from those two. Names join the path with dots, as in
    PyTorch: ``layers.0.neurons.1.w.0`` is weight 0 of neuron 1 of layer 0.
    """

    def own_parameters(self) -> Iterator[tuple[str, Value]]:
        """Yield (name, parameter) for the parameters this module owns directly."""
        return iter(())

    def children(self) -> Iterator[tuple[str, Module]]:
        """Yield (name, module) for the direct child modules, in order."""
        return iter(())

    def named_parameters(self) -> list[tuple[str, Value]]:
        """Return (name, parameter) for every parameter of this module and its children.

        The order is stable: own parameters first, then each child's, depth first. The walk uses
        an explicit stack, so nesting depth is not limited by Python's recursion limit.

        Examples
        --------
        >>> from nn import MLP
        >>> [name for name, _ in MLP(2, [1], seed=0).named_parameters()]
        ['layers.0.neurons.0.w.0', 'layers.0.neurons.0.w.1', 'layers.0.neurons.0.b']
        """
        named: list[tuple[str, Value]] = []
        stack: list[tuple[str, Module]] = [("", self)]
        while stack:
            prefix, module = stack.pop()
            named.extend((prefix + name, p) for name, p in module.own_parameters())
            # Reversed, so that the first child is popped first.
            children = [(prefix + name + ".", child) for name, child in module.children()]
            stack.extend(reversed(children))
        return named

    def parameters(self) -> list[Value]:
        """Return every parameter, in the order of `named_parameters`."""
        return [p for _, p in self.named_parameters()]

    def label_parameters(self) -> None:
        """Set each parameter's label to its name, so rendered graphs and errors show it."""
        for name, p in self.named_parameters():
            p.label = name

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to 0.0."""
        for p in self.parameters():
            p.grad = 0.0

    def state_dict(self) -> dict[str, float]:
        """Return {name: value} for every parameter, in the order of `named_parameters`.

        Examples
        --------
        >>> from nn import MLP
        >>> list(MLP(1, [1], seed=0).state_dict())
        ['layers.0.neurons.0.w.0', 'layers.0.neurons.0.b']
        """
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, object]) -> None:
        """Set every parameter from `state`, a mapping {name: real number}.

        Every entry is checked before any parameter changes, so on error the model is unchanged.

        Raises
        ------
        TypeError
            If `state` is not a mapping.
        ValueError
            If a name is missing or unexpected, or a value is not a finite real number.
        """
        named = self.named_parameters()
        values = check_state(state, [name for name, _ in named])
        for (_, p), value in zip(named, values):
            p.data = value


def check_state(state: Mapping[str, object], names: list[str]) -> list[float]:
    """Return the values of `state` in the order of `names`.

    Raises TypeError if `state` is not a mapping, and ValueError naming the first bad entry.
    """
    if not isinstance(state, Mapping):
        raise TypeError(
            f"`state` must be a mapping of names to numbers, got {type(state).__name__}"
        )
    missing = [name for name in names if name not in state]
    if missing:
        raise ValueError(
            f"state dict is missing {_count(len(missing), 'parameter')}, first {missing[0]!r}"
        )
    expected = set(names)
    unexpected = [name for name in state if name not in expected]
    if unexpected:
        raise ValueError(
            f"state dict has {_count(len(unexpected), 'unexpected entry', 'unexpected entries')}, "
            f"first {unexpected[0]!r}; this model has {_count(len(names), 'parameter')}, "
            f"for example {names[0]!r}"
        )
    values = []
    for name in names:
        value = state[name]
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(
                f"state dict entry {name!r} must be a real number, got {type(value).__name__}"
            )
        if not math.isfinite(value):
            raise ValueError(f"state dict entry {name!r} must be finite, got {value!r}")
        values.append(float(value))
    return values


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"
