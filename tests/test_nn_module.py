"""Modules, layers and MLPs: names, labels, initialization, widths, arrays and state dicts."""

import re

import numpy as np
import pytest

from autograd import Value
from nn import MLP, Layer, Neuron


def test_parameter_names_and_labels():
    model = MLP(2, [3, 1], seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1",
                         "layers.0.neurons.0.b"]
    assert names[-1] == "layers.1.neurons.0.b"
    assert len(names) == len(set(names)) == 2 * 3 + 3 + 3 * 1 + 1
    assert all(p.label == name for name, p in model.named_parameters())


def test_parameters_are_leaves_in_order():
    model = MLP(2, [2], seed=0)
    assert model.parameters() == [p for _, p in model.named_parameters()]
    assert all(p.is_leaf for p in model.parameters())


def test_seed_is_deterministic():
    assert MLP(3, [4, 2], seed=5).state_dict() == MLP(3, [4, 2], seed=5).state_dict()
    assert MLP(3, [4, 2], seed=5).state_dict() != MLP(3, [4, 2], seed=6).state_dict()


def test_he_and_xavier_scales():
    # He: variance 2 / n_in; Xavier: 2 / (n_in + n_out). Checked on 200 x 200 = 40,000 draws.
    relu_W, relu_b = Layer(200, 200, activation="relu", seed=0).arrays()
    tanh_W, _ = Layer(200, 200, activation="tanh", seed=0).arrays()
    assert relu_W.var() == pytest.approx(2 / 200, rel=0.05)
    assert tanh_W.var() == pytest.approx(2 / 400, rel=0.05)
    assert np.all(relu_b == 0.0)


@pytest.mark.parametrize("sizes", [[1], [1, 1], [3, 1, 2], [5, 4, 3]])
def test_any_width_returns_list_of_values(sizes):
    model = MLP(2, sizes, seed=0)
    output = model([0.5, -0.5])
    assert isinstance(output, list)
    assert len(output) == sizes[-1]
    assert all(isinstance(v, Value) for v in output)


def test_layer_of_width_one_returns_list():
    output = Layer(2, 1, seed=0)([1.0, 2.0])
    assert isinstance(output, list)
    assert len(output) == 1


def test_softmax_output_sums_to_one():
    output = MLP(2, [4, 3], output_activation="softmax", seed=0)([0.1, 0.2])
    assert sum(v.data for v in output) == pytest.approx(1.0, abs=1e-15)


def test_sigmoid_output_in_unit_interval():
    output = MLP(2, [4, 2], output_activation="sigmoid", seed=0)([10.0, -3.0])
    assert all(0.0 < v.data < 1.0 for v in output)


def test_arrays_layout_and_round_trip():
    W = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    b = np.array([0.1, 0.2, 0.3])
    model = MLP.from_arrays([W], [b], output_activation=None)
    got_W, got_b = model.layers[0].arrays()
    assert np.array_equal(got_W, W)
    assert np.array_equal(got_b, b)
    # z = x W + b: neuron j uses column j.
    assert [v.data for v in model([1.0, 1.0])] == [5.1, 7.2, 9.3]


def test_grad_arrays_shapes():
    model = MLP(3, [4, 2], seed=0)
    sum(model([1.0, 2.0, 3.0])).backward()
    dW, db = model.layers[0].grad_arrays()
    assert dW.shape == (3, 4)
    assert db.shape == (4,)


def test_from_arrays_accepts_slide_bias_shapes():
    model = MLP.from_arrays([np.ones((1, 2)), np.ones((2, 1))], [np.zeros((1, 2)), 0.5],
                            activation="softplus")
    assert model.layer_sizes == [2, 1]
    assert model.layers[1].arrays()[1].tolist() == [0.5]


@pytest.mark.parametrize(
    ("weights", "biases", "message"),
    [([np.ones((2, 3)), np.ones((2, 1))], [np.zeros(3), np.zeros(1)], "must have 3 rows"),
     ([np.ones((2, 3))], [np.zeros(2)], "biases\\[0\\]"),
     ([np.ones(3)], [np.zeros(3)], "2-D"),
     ([np.ones((2, 3))], [], "equal length"),
     ([np.full((1, 1), np.nan)], [np.zeros(1)], "finite")],
)
def test_from_arrays_rejects_bad_shapes(weights, biases, message):
    with pytest.raises(ValueError, match=message):
        MLP.from_arrays(weights, biases)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"n_in": 0, "layer_sizes": [1]}, "`n_in` must be an integer >= 1"),
     ({"n_in": 2, "layer_sizes": []}, "at least one width"),
     ({"n_in": 2, "layer_sizes": [3, 0]}, "layer_sizes\\[1\\]"),
     ({"n_in": 2, "layer_sizes": [1], "activation": "gelu"}, "`activation` must be one of"),
     ({"n_in": 2, "layer_sizes": [1], "output_activation": "relu"}, "`output_activation`")],
)
def test_mlp_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MLP(**kwargs)


def test_zero_grad():
    model = MLP(2, [2, 1], seed=0)
    model([1.0, 1.0])[0].backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_state_dict_round_trip():
    source, target = MLP(2, [3, 1], seed=0), MLP(2, [3, 1], seed=1)
    target.load_state_dict(source.state_dict())
    assert target.state_dict() == source.state_dict()


def test_load_state_dict_missing_entry_leaves_model_unchanged():
    model = MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    state = MLP(2, [3, 1], seed=1).state_dict()
    del state["layers.1.neurons.0.b"]
    message = re.escape("missing 1 parameter, first 'layers.1.neurons.0.b'")
    with pytest.raises(ValueError, match=message):
        model.load_state_dict(state)
    assert model.state_dict() == before


def test_load_state_dict_unexpected_entry_leaves_model_unchanged():
    model = MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    state = MLP(2, [3, 1], seed=1).state_dict()
    state["layers.2.neurons.0.b"] = 0.0
    message = re.escape("has 1 unexpected entry, first 'layers.2.neurons.0.b'")
    with pytest.raises(ValueError, match=message):
        model.load_state_dict(state)
    assert model.state_dict() == before


@pytest.mark.parametrize("bad", [float("nan"), "1.0", None])
def test_load_state_dict_bad_value_leaves_model_unchanged(bad):
    model = MLP(2, [1], seed=0)
    before = model.state_dict()
    state = dict(MLP(2, [1], seed=1).state_dict())
    state["layers.0.neurons.0.w.1"] = bad
    with pytest.raises(ValueError, match=re.escape("layers.0.neurons.0.w.1")):
        model.load_state_dict(state)
    assert model.state_dict() == before


def test_neuron_from_weights():
    neuron = Neuron.from_weights([2.0, -1.0], 0.5, activation="relu")
    assert neuron([1.0, 3.0]).data == 0.0
    assert [name for name, _ in neuron.named_parameters()] == ["w.0", "w.1", "b"]


def test_neuron_pre_activation_is_one_dot_node():
    neuron = Neuron(3, activation="tanh", seed=0)
    z = neuron.pre_activation([1.0, 2.0, 3.0])
    assert z.op == "dot"
    assert neuron([1.0, 2.0, 3.0]).parents[0].op == "dot"


def test_graph_shows_parameter_labels():
    model = MLP(1, [1], seed=0)
    (out,) = model([2.0])
    labels = {p.label for p in out.parents}
    assert labels == {"layers.0.neurons.0.w.0", "layers.0.neurons.0.b"}


@pytest.mark.parametrize("sizes", [np.array([8, 3]), (8, 3), [np.int64(8), 3]])
def test_layer_sizes_array_or_tuple(sizes):
    model = MLP(4, sizes, seed=0)
    assert model.layer_sizes == [8, 3]
    assert all(type(n) is int for n in model.layer_sizes)


@pytest.mark.parametrize("sizes", [np.array([[8, 3]]), np.array([]), "83", 8])
def test_layer_sizes_rejected(sizes):
    with pytest.raises(ValueError, match="`layer_sizes` must"):
        MLP(4, sizes, seed=0)


SEED_BUILDERS = [
    lambda seed: MLP(2, [3], seed=seed),
    lambda seed: Layer(2, 3, seed=seed),
    lambda seed: Neuron(2, seed=seed),
]


@pytest.mark.parametrize("build", SEED_BUILDERS)
@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [("a", TypeError, "got str 'a'"),
     (0.5, TypeError, "got float 0.5"),
     (False, TypeError, "got bool False"),
     ([1, 2], TypeError, "got list"),
     (-1, ValueError, "got -1")],
)
def test_invalid_seed_names_seed(build, seed, error, message):
    expected = "`seed` must be a non-negative int, a numpy Generator or None, " + message
    with pytest.raises(error, match=re.escape(expected)):
        build(seed)


@pytest.mark.parametrize("build", SEED_BUILDERS)
def test_valid_seeds_are_reproducible(build):
    first = build(np.int64(3)).state_dict()
    assert build(3).state_dict() == first
    assert build(np.random.default_rng(3)).state_dict() == first
    build(None)


def test_state_dict_counts_are_plural():
    model = MLP(2, [3, 1], seed=0)
    state = model.state_dict()
    del state["layers.1.neurons.0.b"], state["layers.1.neurons.0.w.0"]
    with pytest.raises(ValueError, match="is missing 2 parameters"):
        model.load_state_dict(state)
    state = model.state_dict()
    state["x"], state["y"] = 0.0, 0.0
    with pytest.raises(ValueError, match="has 2 unexpected entries"):
        model.load_state_dict(state)


@pytest.mark.parametrize(
    ("build", "argument"),
    [(lambda n: MLP(n, [1]), "n_in"),
     (lambda n: MLP(2, [3, n]), "layer_sizes[1]"),
     (lambda n: Layer(2, n), "n_out"),
     (lambda n: Neuron(n), "n_in")],
)
@pytest.mark.parametrize("width", [2.0, "2", True, None])
def test_non_integer_width_is_type_error(build, argument, width):
    expected = f"`{argument}` must be an integer >= 1, got {type(width).__name__} {width!r}"
    with pytest.raises(TypeError, match=re.escape(expected)):
        build(width)


def test_load_state_dict_non_mapping_is_type_error():
    with pytest.raises(TypeError, match="`state` must be a mapping"):
        MLP(1, [1], seed=0).load_state_dict([("layers.0.neurons.0.b", 0.0)])


def test_set_arrays_copies_and_checks():
    layer = Layer(2, 3, seed=0)
    W, b = np.arange(6.0).reshape(2, 3), np.array([0.5, -0.5, 1.0])
    layer.set_arrays(W, b)
    np.testing.assert_array_equal(layer.arrays()[0], W)
    np.testing.assert_array_equal(layer.arrays()[1], b)

    for bad_W, bad_b in [(W.T, b), (W, b[:2]), (W, b.reshape(1, 3))]:
        with pytest.raises(ValueError, match=re.escape("must have shapes (2, 3) and (3,)")):
            layer.set_arrays(bad_W, bad_b)
    with pytest.raises(ValueError, match="must be finite"):
        layer.set_arrays(np.full((2, 3), np.inf), b)
    np.testing.assert_array_equal(layer.arrays()[0], W)


def test_softmax_single_output_rejected() -> None:
    message = r"softmax over a single output is always 1"
    with pytest.raises(ValueError, match=message):
        MLP(2, [4, 1], output_activation="softmax", seed=0)
    with pytest.raises(ValueError, match=message):
        MLP.from_arrays([np.ones((2, 1))], [np.zeros(1)], output_activation="softmax")
    with pytest.raises(ValueError, match=message):
        Layer(3, 1, activation="softmax", seed=0)
