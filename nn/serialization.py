"""Saving and loading an MLP as one .npz file: float64 arrays plus a JSON metadata entry.

Entries: ``metadata`` (a JSON string: format name and version, n_in, layer_sizes, activation,
output_activation and the parameter names) and, for each layer k, ``layers.k.W`` of shape
(n_in, n_out) and ``layers.k.b`` of shape (n_out,). Files are read with allow_pickle=False, so
loading never runs code, and written to a temporary file in the same folder that is then renamed
over the target, so a reader never sees half a file. The temporary file is created with mode
0o666 minus the umask, the mode a plain `open(path, "w")` would give.
"""

from __future__ import annotations

import json
import math
import os
import pathlib
import secrets
import zipfile
from typing import Any, BinaryIO

import numpy as np
from numpy.typing import NDArray

from nn.mlp import MLP

FORMAT = "gradiente.nn.MLP"
FORMAT_VERSION = 1


def save(model: MLP, path: str | os.PathLike[str]) -> pathlib.Path:
    """Write `model` to `path` atomically and return the path.

    Every parameter is checked before anything is written.

    Raises
    ------
    ValueError
        If a parameter's `data` is not a finite float. The message names the parameter.
    FileNotFoundError
        If the folder of `path` does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from nn import MLP
    >>> model = MLP(2, [3, 1], seed=0)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.npz"
    >>> loaded = MLP.load(model.save(path))
    >>> loaded.state_dict() == model.state_dict()
    True
    """
    target = pathlib.Path(path)
    _check_parameters(model)
    arrays: dict[str, NDArray[Any]] = {"metadata": np.array(json.dumps(_metadata(model)))}
    for k, layer in enumerate(model.layers):
        arrays[f"layers.{k}.W"], arrays[f"layers.{k}.b"] = layer.arrays()
    if not target.parent.is_dir():
        raise FileNotFoundError(
            f"cannot save the model to {target}: the folder {target.parent} does not exist; "
            "create it first"
        )

    # The temporary file is closed inside the try block and removed if anything fails.
    temporary, handle = _create_temporary(target)
    try:
        with handle:
            np.savez(handle, **arrays)  # type: ignore[arg-type]
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def _check_parameters(model: MLP) -> None:
    for name, p in model.named_parameters():
        if not isinstance(p.data, float) or not math.isfinite(p.data):
            raise ValueError(
                f"cannot save the model: parameter {name!r} must be a finite float, got "
                f"{type(p.data).__name__} {p.data!r}; nothing was written"
            )


def _create_temporary(target: pathlib.Path) -> tuple[pathlib.Path, BinaryIO]:
    # os.open with mode 0o666 lets the umask set the permissions, as a plain open() would;
    # tempfile would always give 0o600. O_EXCL makes a name collision fail instead of sharing.
    for _ in range(100):
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        return temporary, os.fdopen(descriptor, "wb")
    raise FileExistsError(f"cannot create a temporary file next to {target}")


def _metadata(model: MLP) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "n_in": model.n_in,
        "layer_sizes": model.layer_sizes,
        "activation": model.activation,
        "output_activation": model.output_activation,
        "parameter_names": [name for name, _ in model.named_parameters()],
    }


def load(path: str | os.PathLike[str]) -> MLP:
    """Read a model written by `save`.

    Raises
    ------
    FileNotFoundError
        If `path` does not exist.
    ValueError
        If the file is not a readable .npz, or an entry is missing, unexpected, of another
        shape or not finite. The message names the file and the entry.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from nn import MLP
    >>> from nn.serialization import load
    >>> path = MLP(2, [3, 1], seed=0).save(pathlib.Path(tempfile.mkdtemp()) / "model.npz")
    >>> load(path).state_dict() == MLP(2, [3, 1], seed=0).state_dict()
    True
    """
    return load_as(MLP, path)


def load_as(cls: type[MLP], path: str | os.PathLike[str]) -> MLP:
    """Read a model written by `save` as an instance of `cls`, MLP or a subclass; see `load`."""
    source = pathlib.Path(path)
    entries = _read_entries(source)
    metadata = _read_metadata(source, entries)
    weights, biases = _read_arrays(source, entries, metadata)
    try:
        model = cls.from_arrays(
            weights, biases, metadata["activation"], metadata["output_activation"]
        )
    except ValueError as error:
        raise ValueError(f"{source}: invalid model: {error}") from None
    names = [name for name, _ in model.named_parameters()]
    if names != metadata["parameter_names"]:
        raise ValueError(f"{source}: entry 'metadata' lists parameter names of another model")
    return model


def load_parameters(model: MLP, path: str | os.PathLike[str]) -> None:
    """Set the parameters of `model` from a file written by `save` for the same architecture.

    The same architecture means equal n_in and layer_sizes and the same activation in every
    layer (an output_activation of None and "linear" are the same). The whole file is read and
    checked first, so on any error the model is unchanged.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from nn import MLP
    >>> from nn.serialization import load_parameters
    >>> path = MLP(2, [3, 1], seed=0).save(pathlib.Path(tempfile.mkdtemp()) / "model.npz")
    >>> model = MLP(2, [3, 1], seed=1)
    >>> load_parameters(model, path)
    >>> model.state_dict() == MLP(2, [3, 1], seed=0).state_dict()
    True
    """
    loaded = load(path)
    if _architecture(loaded) != _architecture(model):
        raise ValueError(
            f"{path}: the file contains {loaded!r}, but this model is {model!r}; "
            "use MLP.load to build the saved model instead"
        )
    model.load_state_dict(loaded.state_dict())


def _architecture(model: MLP) -> tuple[int, list[int], list[str]]:
    return model.n_in, model.layer_sizes, [layer.activation for layer in model.layers]


def _read_entries(source: pathlib.Path) -> dict[str, NDArray[Any]]:
    if not source.exists():
        raise FileNotFoundError(f"model file not found: {source}")
    unreadable = (ValueError, OSError, EOFError, zipfile.BadZipFile)
    try:
        archive = np.load(source, allow_pickle=False)
    except unreadable as error:
        raise ValueError(f"{source}: not a readable model file (.npz): {error}") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError(f"{source}: expected an .npz archive, got a single array")
    entries: dict[str, object] = {}
    try:
        with archive:
            for name in archive.files:
                entries[name] = archive[name]
    except unreadable as error:
        raise ValueError(f"{source}: damaged model file: {error}") from None
    return _only_arrays(source, entries)


def _only_arrays(source: pathlib.Path, entries: dict[str, object]) -> dict[str, NDArray[Any]]:
    # NpzFile returns the raw bytes of a member that lacks the .npy header instead of raising.
    arrays = {}
    for name, entry in entries.items():
        if not isinstance(entry, np.ndarray):
            raise ValueError(f"{source}: entry {name!r} is not a .npy array")
        arrays[name] = entry
    return arrays


def _read_metadata(source: pathlib.Path, entries: dict[str, NDArray[Any]]) -> dict[str, Any]:
    if "metadata" not in entries:
        raise ValueError(f"{source}: entry 'metadata' is missing")
    raw = entries["metadata"]
    if raw.shape != () or raw.dtype.kind != "U":
        raise ValueError(f"{source}: entry 'metadata' must be a JSON string")
    try:
        metadata = json.loads(str(raw))
    except json.JSONDecodeError as error:
        raise ValueError(f"{source}: entry 'metadata' is not valid JSON: {error}") from None
    if not isinstance(metadata, dict):
        raise ValueError(f"{source}: entry 'metadata' must be a JSON object")
    if metadata.get("format") != FORMAT or metadata.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"{source}: entry 'metadata' has format {metadata.get('format')!r} version "
            f"{metadata.get('format_version')!r}; expected {FORMAT!r} version {FORMAT_VERSION}"
        )
    for key in ("n_in", "layer_sizes", "activation", "output_activation", "parameter_names"):
        if key not in metadata:
            raise ValueError(f"{source}: entry 'metadata' is missing the key {key!r}")
    sizes = metadata["layer_sizes"]
    if not isinstance(sizes, list) or not sizes or not all(type(n) is int for n in sizes):
        raise ValueError(f"{source}: entry 'metadata' has invalid layer_sizes {sizes!r}")
    if type(metadata["n_in"]) is not int:
        raise ValueError(f"{source}: entry 'metadata' has invalid n_in {metadata['n_in']!r}")
    return metadata


def _read_arrays(
    source: pathlib.Path, entries: dict[str, NDArray[Any]], metadata: dict[str, Any]
) -> tuple[list[NDArray[Any]], list[NDArray[Any]]]:
    widths = [metadata["n_in"], *metadata["layer_sizes"]]
    expected = {"metadata"}
    weights, biases = [], []
    for k in range(len(widths) - 1):
        shapes = {f"layers.{k}.W": (widths[k], widths[k + 1]), f"layers.{k}.b": (widths[k + 1],)}
        for name, shape in shapes.items():
            expected.add(name)
            if name not in entries:
                raise ValueError(f"{source}: entry {name!r} is missing")
            array = entries[name]
            if array.dtype != np.float64 or array.shape != shape:
                raise ValueError(
                    f"{source}: entry {name!r} must be float64 of shape {shape}, "
                    f"got {array.dtype} of shape {array.shape}"
                )
            if not np.isfinite(array).all():
                raise ValueError(f"{source}: entry {name!r} contains nan or inf")
        weights.append(entries[f"layers.{k}.W"])
        biases.append(entries[f"layers.{k}.b"])
    unexpected = sorted(set(entries) - expected)
    if unexpected:
        raise ValueError(f"{source}: unexpected entry {unexpected[0]!r}")
    return weights, biases
