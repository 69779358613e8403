"""explain: the backward pass as rows, checked against hand derivations, backward and PyTorch."""

import math

import pytest

from autograd import Value, dot, explain

# The worked example network: ŷ = softplus(x W1 + b1) W2 + b2 with W1, b1 of shape (1, 2),
# W2 of shape (2, 1) and b2 a scalar; one sample (x, y) and L = (ŷ - y)².
X, Y = 0.5, 1.2
W1 = (0.3, -0.8)
B1 = (0.1, 0.2)
W2 = (0.7, -0.4)
B2 = 0.05


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def softplus(z):
    return math.log1p(math.exp(z))


def slides_network():
    """Build the network with Values; z_j = x W1[0, j] + b1[j] is one dot node per unit."""
    x = Value(X, label="x")
    w1 = [Value(w, label=f"W1[0,{j}]") for j, w in enumerate(W1)]
    b1 = [Value(b, label=f"b1[{j}]") for j, b in enumerate(B1)]
    w2 = [Value(w, label=f"W2[{j},0]") for j, w in enumerate(W2)]
    b2 = Value(B2, label="b2")
    z = [dot([w1[j]], [x], b1[j]) for j in range(2)]
    for j in range(2):
        z[j].label = f"z{j + 1}"
    a = [zj.softplus() for zj in z]
    y_hat = dot(w2, a, b2)
    y_hat.label = "ŷ"
    loss = (y_hat - Y) ** 2
    loss.label = "L"
    return {
        "x": x,
        "w1": w1,
        "b1": b1,
        "w2": w2,
        "b2": b2,
        "z": z,
        "a": a,
        "y_hat": y_hat,
        "L": loss,
    }


def hand_derivation():
    """Return ŷ, δ2 = 2(ŷ - y) and δ1 = 2(ŷ - y) (W2)ᵀ ⊙ σ(z), by hand with floats."""
    z = [X * W1[j] + B1[j] for j in range(2)]
    a = [softplus(zj) for zj in z]
    y_hat = W2[0] * a[0] + W2[1] * a[1] + B2
    delta2 = 2.0 * (y_hat - Y)
    delta1 = [delta2 * W2[j] * sigmoid(z[j]) for j in range(2)]
    return y_hat, delta2, delta1, a


def rows_into(explanation, value):
    return [row for row in explanation.rows if row.parent is value]


def test_slides_network_deltas():
    net = slides_network()
    y_hat, delta2, delta1, _ = hand_derivation()

    explanation = explain(net["L"])

    assert net["y_hat"].data == pytest.approx(y_hat, rel=1e-12)
    # δ2 = dL/dŷ arrives in one row, from the subtraction ŷ - y.
    (row,) = rows_into(explanation, net["y_hat"])
    assert row.op == "- 1.2"
    assert row.accumulated == pytest.approx(delta2, rel=1e-12)
    assert explanation.grad_of(net["y_hat"]) == pytest.approx(delta2, rel=1e-12)
    # δ1 = dL/dz: upstream dL/da_j = δ2 W2[j,0], times the local derivative softplus' = σ(z_j).
    for j in range(2):
        (row,) = rows_into(explanation, net["z"][j])
        assert row.op == "softplus"
        assert row.upstream == pytest.approx(delta2 * W2[j], rel=1e-12)
        assert row.local_grad == pytest.approx(sigmoid(X * W1[j] + B1[j]), rel=1e-12)
        assert row.accumulated == pytest.approx(delta1[j], rel=1e-12)


def test_slides_network_parameter_gradients():
    net = slides_network()
    _, delta2, delta1, a = hand_derivation()

    explanation = explain(net["L"])

    # dL/db2 = δ2, dL/dW2 = δ2 aᵀ, dL/db1 = δ1, dL/dW1 = δ1 x.
    assert explanation.grad_of(net["b2"]) == pytest.approx(delta2, rel=1e-12)
    for j in range(2):
        assert explanation.grad_of(net["w2"][j]) == pytest.approx(delta2 * a[j], rel=1e-12)
        assert explanation.grad_of(net["b1"][j]) == pytest.approx(delta1[j], rel=1e-12)
        assert explanation.grad_of(net["w1"][j]) == pytest.approx(delta1[j] * X, rel=1e-12)


def test_fan_in_accumulates_across_rows():
    net = slides_network()
    _, _, delta1, _ = hand_derivation()

    explanation = explain(net["L"])

    # x feeds both units: its first row contains one term and its second row the sum of both.
    first, second = rows_into(explanation, net["x"])
    assert first.accumulated == first.contribution
    assert second.accumulated == first.contribution + second.contribution
    assert second.accumulated == pytest.approx((delta1[0] * W1[0] + delta1[1] * W1[1]), rel=1e-12)


def test_rows_follow_reverse_topological_order():
    net = slides_network()

    explanation = explain(net["L"])

    names = [(row.step, row.node_name) for row in explanation.rows]
    steps = sorted({step for step, _ in names})
    assert steps == list(range(1, 8))
    assert names[0] == (1, "L")
    assert names[1] == (2, "#13")
    assert [name for step, name in names if step == 3] == ["ŷ"] * 5
    # Every row's contribution is its upstream gradient times its local derivative.
    for row in explanation.rows:
        assert row.contribution == row.upstream * row.local_grad


def test_explain_leaves_grads_untouched():
    net = slides_network()
    net["w1"][0].grad = 7.0

    explain(net["L"])

    assert net["w1"][0].grad == 7.0
    assert net["L"].grad == 0.0
    assert net["y_hat"].grad == 0.0


def test_explain_matches_backward_exactly():
    net = slides_network()

    explanation = explain(net["L"])
    net["L"].backward()

    for name in ("x", "b2", "y_hat", "L"):
        assert explanation.grad_of(net[name]) == net[name].grad
    for name in ("w1", "b1", "w2", "z", "a"):
        for value in net[name]:
            assert explanation.grad_of(value) == value.grad


def test_explain_matches_torch():
    torch = pytest.importorskip("torch")
    net = slides_network()
    x = torch.tensor([[X]], dtype=torch.float64)
    w1 = torch.tensor([W1], dtype=torch.float64, requires_grad=True)
    b1 = torch.tensor([B1], dtype=torch.float64, requires_grad=True)
    w2 = torch.tensor([[W2[0]], [W2[1]]], dtype=torch.float64, requires_grad=True)
    b2 = torch.tensor(B2, dtype=torch.float64, requires_grad=True)
    loss = ((torch.nn.functional.softplus(x @ w1 + b1) @ w2 + b2 - Y) ** 2).sum()
    loss.backward()

    explanation = explain(net["L"])

    for j in range(2):
        assert explanation.grad_of(net["w1"][j]) == pytest.approx(w1.grad[0, j].item(), rel=1e-12)
        assert explanation.grad_of(net["b1"][j]) == pytest.approx(b1.grad[0, j].item(), rel=1e-12)
        assert explanation.grad_of(net["w2"][j]) == pytest.approx(w2.grad[j, 0].item(), rel=1e-12)
    assert explanation.grad_of(net["b2"]) == pytest.approx(b2.grad.item(), rel=1e-12)


def test_seed_scales_every_row():
    x = Value(3.0, label="x")
    y = x * x

    explanation = explain(y, gradient=0.5)

    assert explanation.seed == 0.5
    assert [row.contribution for row in explanation.rows] == [1.5, 1.5]
    assert explanation.grad_of(x) == 3.0


def test_table_text():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + a
    c.label = "c"

    text = str(explain(c, digits=2))

    assert text.splitlines() == [
        "Backward pass of c: seed dc/dc = 1.00",
        "step  node  op  upstream  parent  local grad  contribution  parent grad",
        "1     c     +   1.00      #2      1.00        1.00          1.00",
        "                          a       1.00        1.00          1.00",
        "2     #2    *   1.00      a       -3.00       -3.00         -2.00",
        "                          b       2.00        2.00          2.00",
    ]


def test_leaf_root_has_no_rows():
    x = Value(1.0, label="x")

    explanation = explain(x)

    assert explanation.rows == ()
    assert explanation.grad_of(x) == 1.0


def test_grad_of_unknown_value():
    x, other = Value(1.0, label="x"), Value(2.0, label="other")

    with pytest.raises(KeyError, match="not in the graph of #1"):
        explain(x.exp()).grad_of(other)


def test_invalid_arguments():
    with pytest.raises(TypeError, match="explain needs a Value as `root`, got float"):
        explain(1.0)
    with pytest.raises(TypeError, match="explain `gradient` must be a real number"):
        explain(Value(1.0), gradient="1")


def long_chain(length):
    y = Value(1.0, label="x")
    for _ in range(length):
        y = y * 1.01
    return y


def test_table_prints_at_most_max_rows():
    explanation = explain(long_chain(150))

    lines = str(explanation).splitlines()

    assert len(explanation.rows) == 150
    # The title, the column names, 100 rows and the line that counts the rest.
    assert len(lines) == 1 + 1 + 100 + 1
    assert lines[-2].startswith("100 ")
    assert lines[-1] == (
        "... 50 more rows of 150 not shown; they are in `.rows`, "
        "or print explain(root, max_rows=None) to show all"
    )


def test_max_rows_option():
    y = long_chain(150)

    assert len(str(explain(y, max_rows=None)).splitlines()) == 2 + 150
    assert len(str(explain(y, max_rows=3)).splitlines()) == 2 + 3 + 1
    assert "0 more rows" not in str(explain(y, max_rows=150))
    assert str(explain(y, max_rows=0)).splitlines()[-1].startswith("... 150 more rows of 150")


@pytest.mark.parametrize("max_rows", [-1, 2.5, True, "10"])
def test_invalid_max_rows(max_rows):
    with pytest.raises(ValueError, match="`max_rows` must be an integer >= 0, or None for all"):
        explain(long_chain(2), max_rows=max_rows)
