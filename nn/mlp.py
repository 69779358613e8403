"""`MLP`: a stack of layers, z_k = a_{k-1} W_k + b_k and a_k = A(z_k), with a_0 = x."""

from __future__ import annotations

import os
import pathlib
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from autograd import Value, no_grad
from nn.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, check_activation
from nn.data import Seed, as_features, as_sample, random_generator
from nn.layers import Layer, check_arrays, check_width
from nn.module import Module


class MLP(Module):
    """A multilayer perceptron on `autograd.Value`.

    Parameters
    ----------
    n_in : int
        The number of input features.
    layer_sizes : sequence of int or 1-D array of int
        The width of each layer, the last one being the number of outputs.
    activation : {"relu", "tanh", "sigmoid", "softplus", "linear"}, default="relu"
        The activation of every hidden layer.
    output_activation : {None, "linear", "sigmoid", "softmax"}, default=None
        The activation of the last layer; None is linear. Pair sigmoid with `bce_loss` and
        softmax with `cce_loss`, or keep it None and use the logit losses, which stay exact.
    seed : int, numpy Generator or None, default=None
        Seeds the weights: He normal N(0, 2/n_in) for relu layers, Xavier normal
        N(0, 2/(n_in + n_out)) for the others. Biases start at 0.

    Examples
    --------
    >>> from nn import MLP
    >>> model = MLP(2, [16, 16, 1], seed=0)
    >>> output = model([0.5, -1.0])
    >>> len(output), type(output[0]).__name__
    (1, 'Value')
    >>> model.predict([[0.5, -1.0], [0.0, 0.0]]).shape
    (2, 1)
    """

    def __init__(
        self,
        n_in: int,
        layer_sizes: Sequence[int],
        activation: str = "relu",
        output_activation: str | None = None,
        seed: Seed = None,
    ) -> None:
        n_in = check_width(n_in, "n_in")
        sizes = _check_sizes(layer_sizes)
        _check_activations(activation, output_activation)
        rng = random_generator(seed)
        widths = [n_in, *sizes]
        layers = []
        for k in range(len(sizes)):
            layer_activation = _layer_activation(k, len(sizes), activation, output_activation)
            layers.append(Layer(widths[k], widths[k + 1], layer_activation, seed=rng))
        self._set(layers, activation, output_activation)

    @classmethod
    def from_arrays(
        cls,
        weights: Sequence[NDArray[Any]],
        biases: Sequence[NDArray[Any]],
        activation: str = "relu",
        output_activation: str | None = None,
    ) -> MLP:
        """Build an MLP from weight and bias arrays in the row layout z = a W + b.

        W_k has shape (n_{k-1}, n_k). A bias may have shape (n_k,), (1, n_k), or () when n_k
        is 1.

        Examples
        --------
        >>> import numpy as np
        >>> from nn import MLP
        >>> model = MLP.from_arrays([np.ones((1, 2)), np.ones((2, 1))], [np.zeros((1, 2)), 0.0],
        ...                         activation="softplus")
        >>> model.layers[0].arrays()[0].shape, model.layers[1].arrays()[1].shape
        ((1, 2), (1,))
        """
        _check_activations(activation, output_activation)
        arrays = check_arrays(weights, biases)
        layers = []
        for k, (W, b) in enumerate(arrays):
            layer_activation = _layer_activation(k, len(arrays), activation, output_activation)
            layers.append(Layer.from_arrays(W, b, layer_activation))
        model = cls.__new__(cls)
        model._set(layers, activation, output_activation)
        return model

    def _set(self, layers: list[Layer], activation: str, output_activation: str | None) -> None:
        self.layers = layers
        self.activation = activation
        self.output_activation = output_activation
        self.n_in = layers[0].n_in
        self.layer_sizes = [layer.n_out for layer in layers]
        self.label_parameters()

    def children(self) -> Iterator[tuple[str, Module]]:
        for k, layer in enumerate(self.layers):
            yield f"layers.{k}", layer

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        """Return the outputs on one sample of n_in numbers, always as a list of Values.

        Raises TypeError if `x` is not a sequence of numbers or Values, and ValueError if its
        length is not n_in or a number is nan or ±inf.
        """
        a = as_sample(x, self.n_in)
        for layer in self.layers:
            a = layer(a)  # type: ignore[assignment]
        return a  # type: ignore[return-value]

    def predict(self, X: object) -> NDArray[np.float64]:
        """Return the outputs on every row of X as an array of shape (N, n_out), without a graph."""
        features = as_features(X, self.n_in)
        with no_grad():
            outputs = [[v.data for v in self(row)] for row in features.tolist()]
        return np.array(outputs, dtype=np.float64).reshape(len(features), self.layer_sizes[-1])

    def save(self, path: str | os.PathLike[str]) -> pathlib.Path:
        """Write the architecture and parameters to one .npz file, atomically, and return its path.

        The file contains float64 arrays and a JSON metadata entry and no pickle; see
        `nn.serialization` for the layout. A round trip through `load` is bit-exact.
        """
        from nn.serialization import save

        return save(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> MLP:
        """Read a model written by `save` as an instance of `cls`, without pickle.

        Raises FileNotFoundError for a missing file and ValueError for a bad one, as
        `nn.serialization.load` does.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from nn import MLP
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.npz"
        >>> _ = MLP(2, [3, 1], seed=0).save(path)
        >>> MLP.load(path).layer_sizes
        [3, 1]
        """
        from nn.serialization import load_as

        return load_as(cls, path)

    def load_parameters(self, path: str | os.PathLike[str]) -> None:
        """Set the parameters from a file saved from a model of the same shape; see `save`."""
        from nn.serialization import load_parameters

        load_parameters(self, path)

    def __repr__(self) -> str:
        return (
            f"MLP(n_in={self.n_in}, layer_sizes={self.layer_sizes}, "
            f"activation={self.activation!r}, output_activation={self.output_activation!r})"
        )


def _layer_activation(
    k: int, n_layers: int, activation: str, output_activation: str | None
) -> str:
    if k < n_layers - 1:
        return activation
    return output_activation or "linear"


def _check_activations(activation: str, output_activation: str | None) -> None:
    check_activation(activation, "activation", tuple(ACTIVATIONS))
    check_activation(output_activation, "output_activation", OUTPUT_ACTIVATIONS)


def _check_sizes(layer_sizes: Sequence[int]) -> list[int]:
    is_vector = isinstance(layer_sizes, np.ndarray) and layer_sizes.ndim == 1
    if isinstance(layer_sizes, str) or not (isinstance(layer_sizes, Sequence) or is_vector):
        raise ValueError(
            f"`layer_sizes` must be a list, tuple or 1-D array of widths, got {layer_sizes!r}"
        )
    if len(layer_sizes) == 0:
        raise ValueError("`layer_sizes` must contain at least one width, got an empty list")
    return [check_width(n, f"layer_sizes[{k}]") for k, n in enumerate(layer_sizes)]
