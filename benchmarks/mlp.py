"""Time one training step of MLP(2, [16, 16, 1]) with relu on 100 two-moons points, MSE, float64.

A step is forward, loss, zero_grad, backward and an SGD update. Engines: this one (gradiente),
micrograd 0.1.0 with its default garbage collector and with the collector disabled, the numpy
closed-form batch formulas (nn.closed_form) and PyTorch on the CPU when it imports. All start from
the same weights, and their gradients are checked equal before anything is timed.

Run with `python -m benchmarks.mlp`. Each figure is the median time of one step over repeats.
"""

from __future__ import annotations

import gc
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from nn import MLP, SGD, closed_form, mse_loss
from nn.training import collector_paused

N_SAMPLES = 100
LAYER_SIZES = [16, 16, 1]
LR = 0.01
SEED = 0


def two_moons(n: int = N_SAMPLES, noise: float = 0.1, seed: int = SEED) -> tuple[Any, Any]:
    """Return X (n, 2) and y (n,) in {-1, 1}: two interleaved half circles with Gaussian noise."""
    rng = np.random.default_rng(seed)
    n_upper = n // 2
    angles = rng.uniform(0.0, np.pi, size=n)
    upper = np.arange(n) < n_upper
    x = np.where(upper, np.cos(angles), 1.0 - np.cos(angles))
    y = np.where(upper, np.sin(angles), 0.5 - np.sin(angles))
    X = np.column_stack([x, y]) + rng.normal(scale=noise, size=(n, 2))
    return X, np.where(upper, -1.0, 1.0)


@dataclass
class Timed:
    """A step to time `repeats` times; `before` and `after` run around each call, untimed."""

    step: Callable[[], object]
    repeats: int
    before: Callable[[], object] = lambda: None
    after: Callable[[], object] = lambda: None


def time_steps(steps: dict[str, Timed]) -> dict[str, float]:
    """Return the median seconds per call of each step, running the steps in interleaved rounds.

    Round r calls every step that has more than r repeats, so a slow spell of a shared machine
    lands on every engine instead of one.
    """
    durations: dict[str, list[float]] = {name: [] for name in steps}
    for r in range(max(timed.repeats for timed in steps.values())):
        for name, timed in steps.items():
            if r < timed.repeats:
                timed.before()
                start = time.perf_counter()
                timed.step()
                durations[name].append(time.perf_counter() - start)
                timed.after()
    return {name: statistics.median(values) for name, values in durations.items()}


def collect_and_enable_gc() -> None:
    """Free the reference cycles left by a step run with gc disabled, then re-enable gc."""
    gc.collect()
    gc.enable()


class GradienteStep:
    """One training step with this engine; `fit_step` is the step as `nn.fit` runs it."""

    def __init__(self, weights: list[Any], biases: list[Any], X: Any, y: Any) -> None:
        self.model = MLP.from_arrays(weights, biases, activation="relu")
        self.optimizer = SGD(self.model.parameters(), lr=LR)
        self.rows, self.y = X.tolist(), y

    def gradients(self) -> list[float]:
        self.model.zero_grad()
        mse_loss([self.model(row) for row in self.rows], self.y).backward()
        return [p.grad for p in self.model.parameters()]

    def __call__(self) -> None:
        loss = mse_loss([self.model(row) for row in self.rows], self.y)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()

    def fit_step(self) -> None:
        # nn.fit pauses the cyclic collector during each step, because the graph has no cycles.
        with collector_paused():
            self()


class MicrogradStep:
    """The same step with micrograd 0.1.0, its weights copied from the arrays."""

    def __init__(self, weights: list[Any], biases: list[Any], X: Any, y: Any) -> None:
        from micrograd.nn import MLP as MicrogradMLP

        self.model = MicrogradMLP(2, LAYER_SIZES)
        for layer, W, b in zip(self.model.layers, weights, biases):
            for j, neuron in enumerate(layer.neurons):
                for i, w in enumerate(neuron.w):
                    w.data = float(W[i, j])
                neuron.b.data = float(b[j])
        self.parameters = self.model.parameters()
        self.rows, self.y = X.tolist(), y.tolist()

    def loss(self) -> Any:
        scores = [self.model(row) for row in self.rows]
        return sum((s - t) ** 2 for s, t in zip(scores, self.y)) * (1.0 / len(self.rows))

    def gradients(self) -> list[float]:
        self.model.zero_grad()
        self.loss().backward()
        # micrograd orders each neuron's parameters (w..., b), as nn does.
        return [p.grad for p in self.parameters]

    def __call__(self) -> None:
        loss = self.loss()
        self.model.zero_grad()
        loss.backward()
        for p in self.parameters:
            p.data -= LR * p.grad


class ClosedFormStep:
    """The same step with the numpy batch formulas of `nn.closed_form`."""

    def __init__(self, weights: list[Any], biases: list[Any], X: Any, y: Any) -> None:
        self.weights = [W.copy() for W in weights]
        self.biases = [b.copy() for b in biases]
        self.X, self.Y = X, y.reshape(-1, 1)

    def gradients(self) -> list[float]:
        _, grads = closed_form.gradients(self.X, self.Y, self.weights, self.biases, "relu")
        return flatten_like_nn(grads)

    def __call__(self) -> None:
        closed_form.sgd_step(self.X, self.Y, self.weights, self.biases, LR, "relu")


class TorchStep:
    """The same step with PyTorch tensors on the CPU, in float64, on one thread."""

    def __init__(self, weights: list[Any], biases: list[Any], X: Any, y: Any) -> None:
        import torch

        # Matrices of 100 x 16 are too small to gain from threads. With the default two threads,
        # one run on a shared 2-core machine measured 63 ms per step instead of 0.3 ms.
        torch.set_num_threads(1)
        self.torch = torch
        self.params = []
        for W, b in zip(weights, biases):
            self.params.append(torch.tensor(W, dtype=torch.float64, requires_grad=True))
            self.params.append(torch.tensor(b, dtype=torch.float64, requires_grad=True))
        self.X = torch.tensor(X, dtype=torch.float64)
        self.Y = torch.tensor(y.reshape(-1, 1), dtype=torch.float64)

    def loss(self) -> Any:
        W1, b1, W2, b2, W3, b3 = self.params
        hidden = self.torch.relu(self.torch.relu(self.X @ W1 + b1) @ W2 + b2)
        return ((hidden @ W3 + b3 - self.Y) ** 2).mean()

    def gradients(self) -> list[float]:
        for p in self.params:
            p.grad = None
        self.loss().backward()
        grads = [p.grad.numpy() for p in self.params]
        return flatten_like_nn(list(zip(grads[0::2], grads[1::2])))

    def __call__(self) -> None:
        loss = self.loss()
        for p in self.params:
            p.grad = None
        loss.backward()
        with self.torch.no_grad():
            for p in self.params:
                p -= LR * p.grad


def flatten_like_nn(grads: list[tuple[Any, Any]]) -> list[float]:
    """Flatten [(dW, db)] in nn's parameter order: for each neuron j, dW[:, j] and then db[j]."""
    flat = []
    for dW, db in grads:
        for j in range(dW.shape[1]):
            flat.extend([*dW[:, j].tolist(), float(db[j])])
    return flat


def check_gradients(reference: list[float], other: list[float], name: str) -> float:
    """Return the largest relative difference, or raise RuntimeError if it is above 1e-9."""
    a, b = np.asarray(reference), np.asarray(other)
    if a.shape != b.shape:
        raise RuntimeError(f"{name} has {b.size} gradients, gradiente has {a.size}")
    difference = float(np.max(np.abs(a - b) / np.maximum(np.abs(a), 1e-12)))
    if difference > 1e-9:
        raise RuntimeError(f"{name} gradients differ from gradiente's by {difference:.3g}")
    return difference


def cpu_model() -> str:
    """Return the CPU model name from /proc/cpuinfo, or the platform's processor string."""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> dict[str, float]:
    """Check the gradients, time every engine, print the table and the ratios, return seconds."""
    X, y = two_moons()
    template = MLP(2, LAYER_SIZES, activation="relu", seed=SEED)
    weights = [layer.arrays()[0] for layer in template.layers]
    biases = [layer.arrays()[1] for layer in template.layers]

    engines: dict[str, Any] = {"gradiente": GradienteStep(weights, biases, X, y)}
    engines["numpy closed form"] = ClosedFormStep(weights, biases, X, y)
    try:
        engines["micrograd"] = MicrogradStep(weights, biases, X, y)
    except ImportError:
        print("micrograd is not installed (pip install micrograd==0.1.0); skipping it")
    try:
        engines["pytorch cpu"] = TorchStep(weights, biases, X, y)
    except ImportError:
        print("torch is not installed; skipping it")

    reference = engines["gradiente"].gradients()
    for name, engine in engines.items():
        if name != "gradiente":
            difference = check_gradients(reference, engine.gradients(), name)
            print(f"gradients of {name} match gradiente's (max relative difference "
                  f"{difference:.1e})")

    results = time_engines(engines)
    report(results)
    return results


def time_engines(engines: dict[str, Any]) -> dict[str, float]:
    """Return the median seconds per step of each engine, micrograd with and without gc."""
    gradiente = engines["gradiente"]
    steps = {
        "gradiente, as in fit": Timed(gradiente.fit_step, 21),
        "gradiente, default gc": Timed(gradiente, 21),
        "numpy closed form": Timed(engines["numpy closed form"], 1001),
    }
    if "pytorch cpu" in engines:
        steps["pytorch cpu"] = Timed(engines["pytorch cpu"], 301)
    if "micrograd" in engines:
        # micrograd's graphs are reference cycles that only the collector frees. A collection
        # after each of its steps, outside the timed region, keeps that garbage from slowing
        # the engines timed next. It can only make micrograd's default-gc figure smaller.
        # With gc disabled, each graph stays in memory until that collection.
        steps["micrograd, default gc"] = Timed(engines["micrograd"], 5, after=gc.collect)
        steps["micrograd, gc disabled"] = Timed(
            engines["micrograd"], 5, before=gc.disable, after=collect_and_enable_gc
        )
    return time_steps(steps)


def report(results: dict[str, float]) -> None:
    """Print the machine, the time per step of each engine and the ratios against the targets."""
    import sys

    print(f"\nMLP(2, {LAYER_SIZES}) relu, {N_SAMPLES} two-moons points, MSE, float64: one step")
    print(f"machine: {cpu_model()}, Python {sys.version.split()[0]}, numpy {np.__version__}")
    for name, seconds in results.items():
        print(f"  {name:<24} {seconds * 1e3:10.3f} ms per step")

    targets = {"micrograd, default gc": 25.0, "micrograd, gc disabled": 4.0}
    for ours in ("gradiente, as in fit", "gradiente, default gc"):
        print(f"\n  {ours}:")
        for name, target in targets.items():
            if name in results:
                ratio = results[name] / results[ours]
                verdict = "met" if ratio >= target else "MISSED"
                print(f"    {ratio:6.1f}x faster than {name} (target {target:.0f}x: {verdict})")
        slower = results[ours] / results["numpy closed form"]
        print(f"    {slower:6.0f}x slower than the numpy closed form")
        if "pytorch cpu" in results:
            print(f"    {results[ours] / results['pytorch cpu']:6.0f}x slower than PyTorch CPU")


if __name__ == "__main__":
    main()
