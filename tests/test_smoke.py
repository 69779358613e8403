from autograd import Value


def test_product_gradients():
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    c.backward()
    assert c.data == -6.0
    assert a.grad == -3.0
    assert b.grad == 2.0
