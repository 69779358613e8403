"""draw_graph: DOT text, roles, constants, size limit and collapsing; no Graphviz program runs."""

import re

import pytest

import nn
from autograd import Value, dot, draw_graph, drawing_labels, nary, topological_order
from autograd.collapse import assign_groups
from autograd.drawing_nodes import ROLE_COLORS

NODE = re.compile(r"^\t+(?!node |edge )(\w+) \[", re.MULTILINE)
EDGE = re.compile(r"^\t+(\w+) -> (\w+)", re.MULTILINE)


def node_ids(source):
    return NODE.findall(source)


def edges(source):
    return EDGE.findall(source)


def node_statement(source, node_id):
    (line,) = [line for line in source.splitlines() if line.startswith(f"\t{node_id} [")]
    return line


def test_product_has_expected_nodes_and_edges():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.backward()

    source = draw_graph(c, legend=False).source

    # a and b first (topological order), then c and the operation that makes it.
    assert node_ids(source) == ["v0", "v1", "v2", "op_v2"]
    assert edges(source) == [("v0", "op_v2"), ("v1", "op_v2"), ("op_v2", "v2")]
    assert "data 2.0000" in node_statement(source, "v0")
    assert "grad -3.0000" in node_statement(source, "v0")
    assert "data -3.0000" in node_statement(source, "v1")
    assert "grad 2.0000" in node_statement(source, "v1")
    assert "data -6.0000" in node_statement(source, "v2")
    assert "grad 1.0000" in node_statement(source, "v2")
    assert "label=<*>" in node_statement(source, "op_v2")


def test_fan_out_draws_one_edge_per_use():
    x = Value(3.0, label="x")
    y = x * x

    source = draw_graph(y, legend=False).source

    assert edges(source) == [("v0", "op_v1"), ("v0", "op_v1"), ("op_v1", "v1")]


def test_parent_order_follows_operands():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")

    source = draw_graph(b - a, legend=False).source

    # b is created second but is the first operand, so its edge comes first.
    assert edges(source)[:2] == [("v0", "op_v2"), ("v1", "op_v2")]
    assert "<b>b</b>" in node_statement(source, "v0")


def test_source_is_deterministic():
    def build():
        x, w = Value(0.5, label="x"), Value(-1.5, label="w")
        return ((x * w).tanh() + x**2).relu()

    first, second = build(), build()

    assert draw_graph(first).source == draw_graph(second).source
    assert draw_graph(first).source == draw_graph(first).source


def test_constant_operand_shows_in_op():
    x = Value(3.0, label="x")

    assert "label=<* 2>" in draw_graph(x * 2, legend=False).source
    assert "label=<2 ->" in draw_graph(2 - x, legend=False).source
    assert "label=<** 0.5>" in draw_graph(x**0.5, legend=False).source
    assert "label=<10 **>" in draw_graph(10**x, legend=False).source


def test_constant_operand_node_has_one_parent():
    x = Value(3.0, label="x")

    source = draw_graph(x / 4, legend=False).source

    assert edges(source) == [("v0", "op_v1"), ("op_v1", "v1")]
    assert "label=</ 4>" in source


def test_dot_with_constant_inputs_labels_edges():
    w = [Value(0.1, label="w0"), Value(0.2, label="w1")]
    b = Value(0.3, label="b")

    source = draw_graph(dot(w, [0.5, -2.0], b), legend=False).source

    assert edges(source) == [("v0", "op_v3"), ("v1", "op_v3"), ("v2", "op_v3"), ("op_v3", "v3")]
    edge_lines = [line for line in source.splitlines() if "-> op_v3" in line]
    assert "× 0.5" in edge_lines[0]
    assert "× -2" in edge_lines[1]
    # The bias is added as is: no factor on its edge.
    assert "label" not in edge_lines[2]


def test_dot_of_values_has_every_parent():
    w = [Value(0.1, label="w0"), Value(0.2, label="w1")]
    x = [Value(1.0, label="x0"), Value(2.0, label="x1")]
    b = Value(0.3, label="b")

    source = draw_graph(dot(w, x, b), legend=False).source

    assert len([edge for edge in edges(source) if edge[1] == "op_v5"]) == 5
    assert "×" not in source


def test_dot_edge_captions_use_engine_partners():
    # The drawing takes each parent's factor from the engine's own dot derivative rule.
    assert drawing_labels.dot_partners is nary.dot_partners

    # Mixed operands: w0·x0 + w1·3 + 0.25, so the parents are w0, w1 and x0.
    w = [Value(0.1, label="w0"), Value(0.2, label="w1")]
    mixed = dot(w, [Value(1.0, label="x0"), 3.0], 0.25)
    assert [parent.label for parent in mixed.parents] == ["w0", "w1", "x0"]
    assert drawing_labels.edge_captions(mixed) == ["", "× 3", ""]

    constants = dot(w, [0.5, -2.0], Value(0.3))
    assert drawing_labels.edge_captions(constants) == ["× 0.5", "× -2", ""]

    values = dot(w, [Value(1.0), Value(2.0)], Value(0.3))
    assert drawing_labels.edge_captions(values) == [""] * 5


def test_roles_default_by_label():
    w = Value(2.0, label="w")
    x = Value(3.0)
    y = w * x + 1.0

    source = draw_graph(y).source

    assert ROLE_COLORS["parameter"] in node_statement(source, "v0")
    assert ROLE_COLORS["input"] in node_statement(source, "v1")
    assert ROLE_COLORS["intermediate"] in node_statement(source, "v2")
    assert ROLE_COLORS["output"] in node_statement(source, "v3")


def test_roles_from_parameters_argument():
    w = Value(2.0, label="w")
    x = Value(3.0, label="x")
    y = w * x

    source = draw_graph(y, parameters=[w]).source

    assert ROLE_COLORS["parameter"] in node_statement(source, "v0")
    assert ROLE_COLORS["input"] in node_statement(source, "v1")


def test_legend_lists_roles_present():
    w, x = Value(2.0, label="w"), Value(3.0)

    source = draw_graph((w * x).exp()).source

    assert node_ids(source)[-4:] == [
        "legend_input",
        "legend_parameter",
        "legend_intermediate",
        "legend_output",
    ]
    assert "legend_" not in draw_graph(w * x, legend=False).source


def test_unlabelled_nodes_use_topological_index():
    x = Value(1.0)

    source = draw_graph(x.exp().log(), legend=False).source

    assert ">#0<" in node_statement(source, "v0")
    assert ">#2<" in node_statement(source, "v2")


def test_show_grad_false_hides_grad():
    x = Value(1.0, label="x")

    source = draw_graph(x.exp(), show_grad=False).source

    assert "grad" not in source
    assert "data 1.0000" in source


def test_digits_option():
    x = Value(1.0 / 3.0, label="x")

    assert "data 0.33<" in draw_graph(x, digits=2).source
    assert "data 3.3333e-05" in draw_graph(Value(1 / 30000), digits=4).source


def test_rankdir_option():
    x = Value(1.0)

    assert "rankdir=TB" in draw_graph(x, rankdir="TB").source


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"rankdir": "up"}, "`rankdir` must be one of LR, RL, TB, BT, got 'up'"),
        ({"max_nodes": 0}, "`max_nodes` must be an integer >= 1, or None for no limit, got 0"),
        ({"digits": -1}, "`digits` must be an integer from 0 to 17, got -1"),
        ({"collapse": "row"}, "`collapse` must be None, 'layer', 'neuron' or a function"),
    ],
)
def test_invalid_option_message(options, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        draw_graph(Value(1.0), **options)


def test_invalid_root_and_parameters():
    with pytest.raises(TypeError, match="draw_graph needs a Value as `root`, got float"):
        draw_graph(1.0)
    with pytest.raises(TypeError, match="`parameters` must contain only Values, got float"):
        draw_graph(Value(1.0), parameters=[1.0])


def test_size_limit_message():
    x = Value(1.0)
    y = x
    for _ in range(20):
        y = y.tanh()

    with pytest.raises(ValueError) as raised:
        draw_graph(y, max_nodes=10)

    message = str(raised.value)
    assert "the graph has 21 nodes, more than max_nodes=10" in message
    assert "larger max_nodes" in message
    assert "collapse='layer'" in message
    assert "collapse='neuron'" in message
    assert "intermediate Value as the root" in message
    assert draw_graph(y, max_nodes=21).source


def test_max_nodes_none_means_no_limit():
    y = Value(1.0)
    for _ in range(600):
        y = y * 1.01

    with pytest.raises(ValueError, match="the graph has 601 nodes, more than max_nodes=500"):
        draw_graph(y)
    source = draw_graph(y, max_nodes=None, legend=False).source

    assert "v600 [" in source
    # Each operation is named three times: its node, the edge in and the edge out.
    assert source.count("op_v") == 3 * 600


def test_million_node_graph_counted_without_recursion():
    # A chain one million operations deep: a recursive walk would raise RecursionError.
    y = Value(1.0)
    for _ in range(1_000_000):
        y = -y

    with pytest.raises(ValueError, match="the graph has 1000001 nodes, more than max_nodes=500"):
        draw_graph(y)


def two_layer_network():
    """A 2-2-1 network with nn's parameter labels, on one sample, and its squared error."""
    x = [1.0, -2.0]
    hidden = []
    for j in range(2):
        w = [Value(0.1 * (i + j + 1), label=f"layers.0.neurons.{j}.w.{i}") for i in range(2)]
        b = Value(0.1, label=f"layers.0.neurons.{j}.b")
        hidden.append(dot(w, x, b).tanh())
    w = [Value(0.5 - i, label=f"layers.1.neurons.0.w.{i}") for i in range(2)]
    b = Value(0.2, label="layers.1.neurons.0.b")
    prediction = dot(w, hidden, b)
    loss = (prediction - 1.0) ** 2
    loss.backward()
    return loss, hidden, prediction


def test_collapse_neuron_groups():
    loss, hidden, prediction = two_layer_network()

    groups = assign_groups(topological_order(loss), "neuron")

    assert groups[hidden[0]] == "layers.0.neurons.0"
    assert groups[hidden[0].parents[0]] == "layers.0.neurons.0"
    assert groups[hidden[1]] == "layers.0.neurons.1"
    assert groups[prediction] == "layers.1.neurons.0"
    # The loss is computed from the network's output but is no part of a neuron.
    assert groups[loss] is None
    assert groups[loss.parents[0]] is None


def test_collapse_neuron_drawing():
    loss, hidden, _ = two_layer_network()

    source = draw_graph(loss, collapse="neuron", legend=False).source

    assert node_ids(source)[:3] == ["g0", "g1", "g2"]
    assert "<b>layers.0.neurons.0</b>" in node_statement(source, "g0")
    assert "5 nodes, 3 parameters" in node_statement(source, "g0")
    assert f"out data {hidden[0].data:.4f}" in node_statement(source, "g0")
    assert ("g0", "g2") in edges(source)
    assert ("g1", "g2") in edges(source)
    assert ("g2", "op_v14") in edges(source)


def test_collapse_layer_drawing():
    loss, _, _ = two_layer_network()

    source = draw_graph(loss, collapse="layer", legend=False).source

    assert "<b>layers.0</b>" in node_statement(source, "g0")
    assert "10 nodes, 6 parameters" in node_statement(source, "g0")
    # Two outputs (one per neuron), so the layer box shows no single data value.
    assert "out data" not in node_statement(source, "g0")
    assert 'label="2 edges"' in source


def test_collapse_function_groups_by_label():
    a, b = Value(1.0, label="left.a"), Value(2.0, label="right.b")
    y = a.exp() + b

    source = draw_graph(y, collapse=lambda label: label.split(".")[0], legend=False).source

    assert "<b>left</b>" in node_statement(source, "g0")
    assert "<b>right</b>" in node_statement(source, "g1")


def test_collapse_function_must_return_str():
    with pytest.raises(TypeError, match="must return a str or None, got int 3 for label 'a'"):
        draw_graph(Value(1.0, label="a"), collapse=lambda label: 3)


def test_collapse_size_limit_counts_boxes():
    loss, _, _ = two_layer_network()

    with pytest.raises(ValueError, match=r"has 5 boxes after collapse='neuron' \(3 groups"):
        draw_graph(loss, collapse="neuron", max_nodes=4)


def test_collapse_nn_model():
    model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    loss = nn.mse_loss([model([0.5, -1.0])], [[1.0]])

    layers = draw_graph(loss, collapse="layer", legend=False).source
    neurons = draw_graph(loss, collapse="neuron", legend=False).source
    full = draw_graph(loss, parameters=model.parameters()).source

    # Layer 0: 3 neurons of 2 weights, a bias, a dot and a tanh. Layer 1: 3 weights, bias, dot.
    assert "<b>layers.0</b>" in node_statement(layers, "g0")
    assert "15 nodes, 9 parameters" in node_statement(layers, "g0")
    assert "5 nodes, 4 parameters" in node_statement(layers, "g1")
    assert ("g0", "g1") in edges(layers)
    assert "<b>layers.0.neurons.2</b>" in node_statement(neurons, "g2")
    for name, _ in model.named_parameters():
        assert f"<b>{name}</b>" in full


def test_dot_constant_input_one_captioned() -> None:
    w0, w1, b = Value(0.3, label="w0"), Value(-0.2, label="w1"), Value(0.1, label="b")

    out = dot([w0, w1], [0.5, 1.0], b)

    # An input of 1 still labels its weight's edge, so the weight and the bias stay apart.
    assert drawing_labels.edge_captions(out) == ["× 0.5", "× 1", ""]
