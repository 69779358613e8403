"""Saving and loading models: bit-exact round trips, atomic writes and every kind of bad file."""

import json
import os
import pickle
import re
import zipfile

import numpy as np
import pytest

from nn import MLP


@pytest.fixture
def model():
    return MLP(3, [4, 2], activation="tanh", output_activation="softmax", seed=0)


def entries_of(path):
    with np.load(path, allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def write_entries(path, entries):
    with open(path, "wb") as handle:
        np.savez(handle, **entries)
    return path


def test_round_trip_is_bit_exact(model, tmp_path):
    path = model.save(tmp_path / "model.npz")
    loaded = MLP.load(path)
    assert loaded.state_dict() == model.state_dict()
    for a, b in zip(loaded.parameters(), model.parameters()):
        assert a.data.hex() == b.data.hex()
    assert (loaded.n_in, loaded.layer_sizes) == (3, [4, 2])
    assert (loaded.activation, loaded.output_activation) == ("tanh", "softmax")
    x = [0.1, -0.2, 0.3]
    assert [v.data for v in loaded(x)] == [v.data for v in model(x)]


def test_loaded_parameters_are_labelled(model, tmp_path):
    loaded = MLP.load(model.save(tmp_path / "model.npz"))
    assert all(p.label == name for name, p in loaded.named_parameters())


def test_file_layout(model, tmp_path):
    entries = entries_of(model.save(tmp_path / "model.npz"))
    assert sorted(entries) == ["layers.0.W", "layers.0.b", "layers.1.W", "layers.1.b", "metadata"]
    assert entries["layers.0.W"].shape == (3, 4)
    metadata = json.loads(str(entries["metadata"]))
    assert metadata["format_version"] == 1
    assert metadata["parameter_names"][0] == "layers.0.neurons.0.w.0"


def test_save_overwrites_and_leaves_no_temporary_file(model, tmp_path):
    path = tmp_path / "model.npz"
    MLP(3, [4, 2], seed=9).save(path)
    model.save(path)
    assert MLP.load(path).state_dict() == model.state_dict()
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]


def test_save_to_missing_folder_raises(model, tmp_path):
    with pytest.raises(FileNotFoundError):
        model.save(tmp_path / "missing" / "model.npz")


def test_load_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="model file not found"):
        MLP.load(tmp_path / "absent.npz")


def test_load_truncated_file(model, tmp_path):
    path = model.save(tmp_path / "model.npz")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=re.escape("model.npz")):
        MLP.load(path)


def test_load_random_bytes(tmp_path):
    path = tmp_path / "noise.npz"
    path.write_bytes(np.random.default_rng(0).bytes(500))
    with pytest.raises(ValueError, match=re.escape("noise.npz")):
        MLP.load(path)


def test_load_pickle_is_rejected(tmp_path):
    path = tmp_path / "model.npz"
    path.write_bytes(pickle.dumps({"weights": [1.0]}))
    with pytest.raises(ValueError, match="not a readable model file"):
        MLP.load(path)


def test_load_object_array_is_rejected(model, tmp_path):
    entries = entries_of(model.save(tmp_path / "model.npz"))
    entries["layers.0.b"] = np.array([{"a": 1}], dtype=object)
    path = write_entries(tmp_path / "object.npz", entries)
    with pytest.raises(ValueError, match=re.escape("object.npz")):
        MLP.load(path)


def test_load_single_array_file(tmp_path):
    path = tmp_path / "array.npy"
    np.save(path, np.zeros(3))
    with pytest.raises(ValueError, match=re.escape("expected an .npz archive")):
        MLP.load(path)


def damaged(model, tmp_path, change):
    entries = entries_of(model.save(tmp_path / "model.npz"))
    metadata = json.loads(str(entries["metadata"]))
    change(entries, metadata)
    if "metadata" in entries:
        entries["metadata"] = np.array(json.dumps(metadata))
    return write_entries(tmp_path / "damaged.npz", entries)


CHANGES = {
    "no metadata": (lambda e, m: e.pop("metadata"), "entry 'metadata' is missing"),
    "other version": (lambda e, m: m.update(format_version=2), "version 2"),
    "other format": (lambda e, m: m.update(format="x"), "format 'x'"),
    "no n_in": (lambda e, m: m.pop("n_in"), "missing the key 'n_in'"),
    "bad sizes": (lambda e, m: m.update(layer_sizes=[4, "2"]), "invalid layer_sizes"),
    "bad activation": (lambda e, m: m.update(activation="gelu"), "`activation` must be one of"),
    "missing W": (lambda e, m: e.pop("layers.1.W"), "entry 'layers.1.W' is missing"),
    "wrong shape": (lambda e, m: e.update({"layers.0.W": np.zeros((4, 3))}),
                    "entry 'layers.0.W' must be float64 of shape \\(3, 4\\)"),
    "wrong dtype": (lambda e, m: e.update({"layers.0.b": np.zeros(4, dtype=np.float32)}),
                    "entry 'layers.0.b' must be float64"),
    "nan": (lambda e, m: e.update({"layers.1.b": np.array([np.nan, 0.0])}),
            "entry 'layers.1.b' contains nan"),
    "extra entry": (lambda e, m: e.update({"layers.2.W": np.zeros((2, 2))}),
                    "unexpected entry 'layers.2.W'"),
    "other names": (lambda e, m: m.update(parameter_names=["a"]), "parameter names"),
}


@pytest.mark.parametrize("case", list(CHANGES))
def test_load_damaged_entries(model, tmp_path, case):
    change, message = CHANGES[case]
    path = damaged(model, tmp_path, change)
    with pytest.raises(ValueError, match=message) as error:
        MLP.load(path)
    assert "damaged.npz" in str(error.value)


def test_load_invalid_json(model, tmp_path):
    entries = entries_of(model.save(tmp_path / "model.npz"))
    entries["metadata"] = np.array("{not json")
    path = write_entries(tmp_path / "bad.npz", entries)
    with pytest.raises(ValueError, match="entry 'metadata' is not valid JSON"):
        MLP.load(path)


def test_load_parameters_into_model(model, tmp_path):
    path = model.save(tmp_path / "model.npz")
    other = MLP(3, [4, 2], activation="tanh", output_activation="softmax", seed=5)
    other.load_parameters(path)
    assert other.state_dict() == model.state_dict()


def test_load_parameters_other_architecture_leaves_model_unchanged(model, tmp_path):
    path = MLP(3, [5, 2], seed=1).save(tmp_path / "wide.npz")
    before = model.state_dict()
    with pytest.raises(ValueError, match="layer_sizes=\\[5, 2\\]"):
        model.load_parameters(path)
    assert model.state_dict() == before


def test_load_parameters_damaged_file_leaves_model_unchanged(model, tmp_path):
    path = damaged(model, tmp_path, CHANGES["nan"][0])
    before = model.state_dict()
    with pytest.raises(ValueError, match="contains nan"):
        model.load_parameters(path)
    assert model.state_dict() == before


def test_save_to_missing_folder_names_target(model, tmp_path):
    target = tmp_path / "missing" / "model.npz"
    with pytest.raises(FileNotFoundError) as caught:
        model.save(target)
    assert str(target) in str(caught.value)
    assert ".tmp" not in str(caught.value)


def test_saved_file_mode_follows_umask(model, tmp_path):
    previous = os.umask(0o022)
    try:
        path = model.save(tmp_path / "shared.npz")
        os.umask(0o077)
        private = model.save(tmp_path / "private.npz")
    finally:
        os.umask(previous)
    assert os.stat(path).st_mode & 0o777 == 0o644
    assert os.stat(private).st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("bad", "shown"), [(float("nan"), "nan"), (float("inf"), "inf"), ("bad", "str 'bad'")]
)
def test_save_rejects_invalid_parameter(model, tmp_path, bad, shown):
    model.parameters()[0].data = bad
    with pytest.raises(ValueError, match=re.escape("layers.0.neurons.0.w.0")) as caught:
        model.save(tmp_path / "model.npz")
    assert shown in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def write_raw_member(path, member, data):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, data)
    return path


@pytest.mark.parametrize("member", ["metadata.npy", "layers.0.W.npy"])
def test_load_member_not_npy(tmp_path, member):
    path = write_raw_member(tmp_path / "model.npz", member, b"garbage")
    entry = member.removesuffix(".npy")
    message = re.escape(f"entry '{entry}' is not a .npy array")
    with pytest.raises(ValueError, match=message) as caught:
        MLP.load(path)
    assert str(path) in str(caught.value)


def test_load_parameters_member_not_npy_leaves_model_unchanged(model, tmp_path):
    path = write_raw_member(tmp_path / "model.npz", "metadata.npy", b"garbage")
    before = model.state_dict()
    with pytest.raises(ValueError, match=re.escape("entry 'metadata' is not a .npy array")):
        model.load_parameters(path)
    assert model.state_dict() == before


@pytest.mark.parametrize(
    ("activation", "output_activation"), [("relu", "softmax"), ("tanh", None), ("tanh", "sigmoid")]
)
def test_load_parameters_other_activations_leaves_model_unchanged(
    model, tmp_path, activation, output_activation
):
    saved = MLP(3, [4, 2], activation=activation, output_activation=output_activation, seed=1)
    path = saved.save(tmp_path / "other.npz")
    before = model.state_dict()
    with pytest.raises(ValueError, match=re.escape("use MLP.load")):
        model.load_parameters(path)
    assert model.state_dict() == before


def test_load_parameters_linear_equals_none(tmp_path):
    saved = MLP(2, [3, 1], output_activation="linear", seed=1)
    model = MLP(2, [3, 1], output_activation=None, seed=2)
    model.load_parameters(saved.save(tmp_path / "model.npz"))
    assert model.state_dict() == saved.state_dict()


def test_load_builds_the_calling_class(model, tmp_path):
    class TinyMLP(MLP):
        pass

    path = model.save(tmp_path / "model.npz")
    loaded = TinyMLP.load(path)
    assert type(loaded) is TinyMLP
    assert loaded.state_dict() == model.state_dict()
    assert type(MLP.load(path)) is MLP
