"""`Neuron` and `Layer`: a layer computes a = A(z) with z = x W + b, W of shape (n_in, n_out).

Weight initialization, from a seeded numpy Generator: He normal, N(0, 2 / n_in), for relu, and
Xavier (Glorot) normal, N(0, 2 / (n_in + n_out)), for every other activation. Biases start at 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from autograd import Value, dot
from nn.activations import ACTIVATIONS, LAYER_ACTIVATIONS, check_activation, softmax
from nn.data import Seed, random_generator
from nn.module import Module


def init_weights(n_in: int, n_out: int, activation: str, seed: Seed = None) -> NDArray[np.float64]:
    """Draw a (n_in, n_out) weight matrix: He normal for relu, Xavier normal otherwise.

    Examples
    --------
    >>> init_weights(3, 2, "relu", seed=0).shape
    (3, 2)
    """
    rng = random_generator(seed)
    variance = 2.0 / n_in if activation == "relu" else 2.0 / (n_in + n_out)
    return rng.normal(0.0, math.sqrt(variance), size=(n_in, n_out))


def check_width(value: object, argument: str) -> int:
    """Return `value` as an int, raising TypeError for a non-integer and ValueError below 1."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(
            f"`{argument}` must be an integer >= 1, got {type(value).__name__} {value!r}"
        )
    if value < 1:
        raise ValueError(f"`{argument}` must be an integer >= 1, got {value!r}")
    return int(value)


class Neuron(Module):
    """One unit: a = A(w · x + b), with its weighted sum as one `autograd.dot` node.

    Parameters
    ----------
    n_in : int
        The number of inputs.
    activation : {"relu", "tanh", "sigmoid", "softplus", "linear"}, default="relu"
    seed : int, numpy Generator or None, default=None
        Seeds the weight draw (He for relu, Xavier otherwise, with n_out = 1). The bias is 0.

    Examples
    --------
    >>> from nn import Neuron
    >>> neuron = Neuron.from_weights([2.0, -1.0], 0.5, activation="linear")
    >>> neuron([1.0, 3.0]).data
    -0.5
    """

    def __init__(self, n_in: int, activation: str = "relu", seed: Seed = None) -> None:
        n_in = check_width(n_in, "n_in")
        check_activation(activation, "activation", tuple(ACTIVATIONS))
        weights = init_weights(n_in, 1, activation, seed)[:, 0]
        self._set(weights.tolist(), 0.0, activation)

    @classmethod
    def from_weights(
        cls, weights: Sequence[float], bias: float, activation: str = "relu"
    ) -> Neuron:
        """Build a neuron with the given weights and bias.

        Examples
        --------
        >>> from nn import Neuron
        >>> neuron = Neuron.from_weights([2.0, -1.0], 0.5, activation="linear")
        >>> neuron([1.0, 1.0]).data  # 2 · 1 - 1 · 1 + 0.5
        1.5
        """
        check_activation(activation, "activation", tuple(ACTIVATIONS))
        if len(weights) < 1:
            raise ValueError("`weights` must contain at least one number, got none")
        neuron = cls.__new__(cls)
        neuron._set([float(w) for w in weights], float(bias), activation)
        return neuron

    def _set(self, weights: list[float], bias: float, activation: str) -> None:
        # A tuple, so that dot() reads the weights without a copy.
        self.w = tuple(Value(w, label=f"w.{i}") for i, w in enumerate(weights))
        self.b = Value(bias, label="b")
        self.activation = activation
        self._apply = ACTIVATIONS[activation]

    def own_parameters(self) -> Iterator[tuple[str, Value]]:
        for i, w in enumerate(self.w):
            yield f"w.{i}", w
        yield "b", self.b

    def pre_activation(self, x: Sequence[Value | float]) -> Value:
        """Return z = w · x + b as one node; d z/d wᵢ = xᵢ, d z/d xᵢ = wᵢ, d z/d b = 1."""
        return dot(self.w, x, self.b)

    def __call__(self, x: Sequence[Value | float]) -> Value:
        return self._apply(dot(self.w, x, self.b))

    def __repr__(self) -> str:
        return f"Neuron(n_in={len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """A layer of `n_out` neurons that share their inputs: a = A(x W + b).

    Parameters
    ----------
    n_in, n_out : int
        The numbers of inputs and of neurons (outputs). Any width >= 1 works.
    activation : {"relu", "tanh", "sigmoid", "softplus", "linear", "softmax"}, default="relu"
        Applied to each output, except softmax, which normalizes the whole layer.
    seed : int, numpy Generator or None, default=None
        Seeds the weight draw (He for relu, Xavier otherwise). Biases are 0.

    Examples
    --------
    >>> from nn import Layer
    >>> layer = Layer(3, 2, activation="tanh", seed=0)
    >>> len(layer([1.0, 2.0, 3.0])), layer.arrays()[0].shape
    (2, (3, 2))
    """

    def __init__(
        self, n_in: int, n_out: int, activation: str = "relu", seed: Seed = None
    ) -> None:
        n_in, n_out = check_width(n_in, "n_in"), check_width(n_out, "n_out")
        check_activation(activation, "activation", LAYER_ACTIVATIONS)
        weights = init_weights(n_in, n_out, activation, seed)
        self._set(weights, np.zeros(n_out), activation)

    @classmethod
    def from_arrays(cls, W: NDArray[Any], b: NDArray[Any], activation: str = "relu") -> Layer:
        """Build a layer from W of shape (n_in, n_out) and b of shape (n_out,).

        Examples
        --------
        >>> import numpy as np
        >>> from nn import Layer
        >>> layer = Layer.from_arrays(np.ones((2, 3)), np.zeros(3), activation="linear")
        >>> [v.data for v in layer([1.0, 2.0])]
        [3.0, 3.0, 3.0]
        """
        check_activation(activation, "activation", LAYER_ACTIVATIONS)
        ((W, b),) = check_arrays([W], [b])
        layer = cls.__new__(cls)
        layer._set(W, b, activation)
        return layer

    def _set(self, W: NDArray[Any], b: NDArray[Any], activation: str) -> None:
        if activation == "softmax" and W.shape[1] == 1:
            raise ValueError(
                "softmax over a single output is always 1 and its gradient is 0, so nothing "
                "would train. For two classes use one output with output_activation='sigmoid' "
                "and bce_loss, or None and bce_with_logits_loss; for K classes use K outputs."
            )

        # Softmax is applied across the layer, so each neuron stays linear under it.
        neuron_activation = "linear" if activation == "softmax" else activation
        self.neurons = [
            Neuron.from_weights(W[:, j].tolist(), float(b[j]), neuron_activation)
            for j in range(W.shape[1])
        ]
        self.activation = activation
        self.n_in, self.n_out = W.shape
        self.label_parameters()

    def children(self) -> Iterator[tuple[str, Module]]:
        for j, neuron in enumerate(self.neurons):
            yield f"neurons.{j}", neuron

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        """Return the layer's outputs on one sample, always as a list, whatever the width."""
        # The same as [neuron(x) for neuron in self.neurons], one call level shallower.
        outputs = [n._apply(dot(n.w, x, n.b)) for n in self.neurons]
        if self.activation == "softmax":
            return softmax(outputs)
        return outputs

    def arrays(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return (W, b) as float64 arrays of shapes (n_in, n_out) and (n_out,)."""
        W = np.array([[w.data for w in n.w] for n in self.neurons]).T
        b = np.array([n.b.data for n in self.neurons])
        return W, b

    def grad_arrays(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return (dJ/dW, dJ/db) from the parameters' `grad`, in the shapes of `arrays`."""
        dW = np.array([[w.grad for w in n.w] for n in self.neurons]).T
        db = np.array([n.b.grad for n in self.neurons])
        return dW, db

    def set_arrays(self, W: NDArray[Any], b: NDArray[Any]) -> None:
        """Copy W of shape (n_in, n_out) and b of shape (n_out,) into the parameters.

        Both arrays are checked before any parameter changes.

        Raises
        ------
        ValueError
            If a shape differs from the layer's, or a value is nan or ±inf.

        Examples
        --------
        >>> import numpy as np
        >>> from nn import Layer
        >>> layer = Layer(2, 1, seed=0)
        >>> layer.set_arrays(np.array([[1.0], [2.0]]), np.array([0.5]))
        >>> layer.arrays()[0].ravel().tolist(), layer.arrays()[1].tolist()
        ([1.0, 2.0], [0.5])
        """
        W = np.asarray(W, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        if W.shape != (self.n_in, self.n_out) or b.shape != (self.n_out,):
            raise ValueError(
                f"`W` and `b` must have shapes ({self.n_in}, {self.n_out}) and ({self.n_out},) "
                f"for this layer, got {W.shape} and {b.shape}"
            )
        if not (np.isfinite(W).all() and np.isfinite(b).all()):
            raise ValueError("`W` and `b` must be finite, got nan or inf")
        for j, neuron in enumerate(self.neurons):
            for i, w in enumerate(neuron.w):
                w.data = float(W[i, j])
            neuron.b.data = float(b[j])

    def __repr__(self) -> str:
        return f"Layer(n_in={self.n_in}, n_out={self.n_out}, activation={self.activation!r})"


def check_arrays(
    weights: Sequence[object], biases: Sequence[object]
) -> list[tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """Return (W, b) float64 pairs with b flattened, or raise ValueError naming the bad array."""
    if len(weights) != len(biases) or not weights:
        raise ValueError(
            f"`weights` and `biases` must be non-empty lists of equal length, "
            f"got {len(weights)} and {len(biases)}"
        )
    arrays: list[tuple[NDArray[np.float64], NDArray[np.float64]]] = []
    n_in = None
    for k, (W_raw, b_raw) in enumerate(zip(weights, biases)):
        W = np.asarray(W_raw, dtype=np.float64)
        b = np.asarray(b_raw, dtype=np.float64)
        if W.ndim != 2 or 0 in W.shape:
            raise ValueError(f"`weights[{k}]` must be a 2-D (n_in, n_out) array, got {W.shape}")
        if n_in is not None and W.shape[0] != n_in:
            raise ValueError(
                f"`weights[{k}]` must have {n_in} rows (the width of layer {k - 1}), "
                f"got shape {W.shape}"
            )
        if b.size != W.shape[1] or b.ndim > 2 or (b.ndim == 2 and b.shape[0] != 1):
            raise ValueError(
                f"`biases[{k}]` must have shape ({W.shape[1]},) or (1, {W.shape[1]}) to match "
                f"`weights[{k}]` of shape {W.shape}, got {b.shape}"
            )
        if not (np.isfinite(W).all() and np.isfinite(b).all()):
            raise ValueError(f"`weights[{k}]` and `biases[{k}]` must be finite")
        arrays.append((W, b.reshape(-1)))
        n_in = W.shape[1]
    return arrays
