"""A small engine example: build an expression, backpropagate, print values and gradients."""

from autograd import Value, grad


def main() -> None:
    x = Value(2.0, label="x")
    w = Value(-3.0, label="w")
    b = Value(1.0, label="b")
    y = (w * x + b).tanh()
    y.backward()
    print(f"y = tanh(w*x + b) = {y.data:.6f}")
    for leaf in (x, w, b):
        print(f"dy/d{leaf.label} = {leaf.grad:.6f}")

    (dy_dx,) = grad(y, [x], create_graph=True)
    (d2y_dx2,) = grad(dy_dx, [x])
    print(f"d2y/dx2 = {d2y_dx2:.6f}")


if __name__ == "__main__":
    main()
