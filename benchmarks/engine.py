"""Build and backpropagate the same graphs with this engine and with micrograd 0.1.0.

Three measurements, each printed with its ratio to micrograd:

1. A sum of products Σ aᵢ·bᵢ over 50,000 pairs: 100,000 leaves and 99,999 operation nodes, built
   and backpropagated, timed with the default garbage collector and with it disabled.
2. A chain v ← v·scale + shift of 1,000,000 operation nodes.
micrograd's backward recurses once per node of depth, so its runs happen in a thread with a raised
recursion limit and a large stack. This engine runs in the main thread at the default limit.
3. Memory per node of the sum of products, traced with tracemalloc.

Gradients are checked equal before anything is timed. Each time is the median over repeats. Run
with `python -m benchmarks.engine` (or `python -m benchmarks` for every benchmark).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

N_PAIRS = 50_000
CHAIN_STEPS = 500_000
MEMORY_PAIRS = 20_000
SEED = 0

Graph = tuple[list[Any], Any]


def load_micrograd() -> type:
    """Return micrograd's Value class, or exit with the command that installs it."""
    try:
        from micrograd.engine import Value as MicrogradValue
    except ImportError:
        sys.exit("micrograd is missing: install the benchmark extra with pip install -e '.[bench]'")
    return MicrogradValue  # type: ignore[no-any-return]


def describe_machine() -> str:
    """Return the CPU model from /proc/cpuinfo, the number of CPUs and the Python version."""
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def build_sum_of_products(value_type: type, xs: list[float], ys: list[float]) -> Graph:
    """Return the leaves and the output of Σ aᵢ·bᵢ built one binary node at a time."""
    a = [value_type(x) for x in xs]
    b = [value_type(y) for y in ys]
    total = a[0] * b[0]
    for i in range(1, len(a)):
        total = total + a[i] * b[i]
    return a + b, total


def build_chain(value_type: type, steps: int) -> Graph:
    """Return the leaves and the output of v ← v·scale + shift, two nodes per step."""
    x, scale, shift = value_type(0.25), value_type(1.0), value_type(0.5)
    v = x
    for _ in range(steps):
        v = v * scale + shift
    return [x, scale, shift], v


def build_and_backward(build: Callable[[], Graph]) -> list[Any]:
    """Build a graph, backpropagate from its output and return its leaves."""
    leaves, out = build()
    out.backward()
    return leaves


def check_same_gradients(ours: list[Any], theirs: list[Any], name: str) -> None:
    """Exit unless both engines computed the same gradient for every leaf."""
    worst = max(abs(a.grad - b.grad) / max(1.0, abs(b.grad)) for a, b in zip(ours, theirs))
    if worst > 1e-12:
        sys.exit(f"{name}: gradients differ from micrograd's (relative difference {worst:.3g})")


class CollectorClock:
    """Sums the time the cyclic garbage collector runs while `timing` is True, via gc.callbacks."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.timing = False
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        elif self.timing:
            self.seconds += time.perf_counter() - self._start


@dataclass
class Contender:
    """One engine's way to build a graph, and whether its backward pass recurses."""

    name: str
    build: Callable[[], Graph]
    recursive: bool
    durations: list[float] = field(default_factory=list)
    collector_seconds: float = 0.0

    def median(self) -> float:
        return statistics.median(self.durations)

    def collector_share(self) -> float:
        return self.collector_seconds / sum(self.durations)


def time_block(contender: Contender, repeats: int, collector: bool, collect_between: bool) -> None:
    """Time `repeats` consecutive runs of build + backward, adding them to the contender.

    With the collector on and `collect_between` False, runs follow each other as the steps of a
    training loop do: the collector frees the previous graphs (for micrograd, reference cycles)
    while the next run is timed. With `collect_between`, it frees them before each run, outside
    the timing. With the collector disabled it always does, or micrograd's graphs would pile up.
    """
    clock = CollectorClock()
    gc.collect()
    gc.callbacks.append(clock)
    if not collector:
        gc.disable()
    try:
        for _ in range(repeats):
            if collect_between or not collector:
                gc.collect()
            clock.timing = True
            start = time.perf_counter()
            build_and_backward(contender.build)
            contender.durations.append(time.perf_counter() - start)
            clock.timing = False
    finally:
        gc.enable()
        gc.callbacks.remove(clock)
    contender.collector_seconds += clock.seconds


def time_contender(
    contender: Contender, repeats: int, collector: bool, collect_between: bool = False
) -> Contender:
    """Run `time_block`, in a deep-recursion thread when the contender's backward recurses."""
    block = partial(time_block, contender, repeats, collector, collect_between)
    if contender.recursive:
        run_with_deep_recursion(block)
    else:
        block()
    return contender


def run_with_deep_recursion(function: Callable[[], Any]) -> Any:
    """Run `function` in a thread with a 1 GiB stack and a recursion limit of 10 million."""
    result: list[Any] = []
    previous_limit = sys.getrecursionlimit()
    previous_stack = threading.stack_size(1 << 30)
    sys.setrecursionlimit(10_000_000)
    try:
        thread = threading.Thread(target=lambda: result.append(function()))
        thread.start()
        thread.join()
    finally:
        sys.setrecursionlimit(previous_limit)
        threading.stack_size(previous_stack)
    if not result:
        sys.exit("the micrograd run failed in its thread; see the traceback above")
    return result[0]


def bytes_per_node(build: Callable[[], Graph]) -> float:
    """Return the memory a built graph holds, traced by tracemalloc, per Value (leaves included)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        leaves, out = build()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    nodes = _count_nodes(out)
    del leaves, out
    return (after - before) / nodes


def _count_nodes(out: Any) -> int:
    # Both engines' nodes expose their parents; walk them without recursion.
    seen = {id(out)}
    stack = [out]
    while stack:
        node = stack.pop()
        parents = node.parents if hasattr(node, "parents") else node._prev
        for parent in parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return len(seen)


def measure_products(value: type, micrograd_value: type, repeats: int) -> dict[str, float]:
    """Time the sum of products with the collector on and off; print and return the figures."""
    rng = random.Random(SEED)
    xs = [rng.uniform(-1.0, 1.0) for _ in range(N_PAIRS)]
    ys = [rng.uniform(-1.0, 1.0) for _ in range(N_PAIRS)]
    ours_build = partial(build_sum_of_products, value, xs, ys)
    micrograd_build = partial(build_sum_of_products, micrograd_value, xs, ys)
    # The running sum is 50,000 nodes deep, past micrograd's recursion limit too.
    check_same_gradients(
        build_and_backward(ours_build),
        run_with_deep_recursion(partial(build_and_backward, micrograd_build)),
        "sum of products",
    )

    ours = time_contender(Contender("ours", ours_build, False), repeats, collector=True)
    ours_no_gc = time_contender(Contender("ours", ours_build, False), repeats, collector=False)
    micrograd = time_contender(Contender("mg", micrograd_build, True), repeats, collector=True)
    micrograd_collected = time_contender(
        Contender("mg", micrograd_build, True), repeats, collector=True, collect_between=True
    )
    micrograd_no_gc = time_contender(
        Contender("mg", micrograd_build, True), repeats, collector=False
    )

    print(f"\n(1) sum of {N_PAIRS:,} products: {2 * N_PAIRS - 1:,} nodes, {2 * N_PAIRS:,} leaves")
    rows = [
        ("gradiente, default gc", ours),
        ("gradiente, gc disabled", ours_no_gc),
        ("micrograd, default gc", micrograd),
        ("micrograd, default gc, previous graphs freed before each run", micrograd_collected),
        ("micrograd, gc disabled", micrograd_no_gc),
    ]
    for label, contender in rows:
        print(f"  {contender.median() * 1e3:8.1f} ms  {label} "
              f"(collector: {contender.collector_share():.0%} of the time)")
    print(f"  speed-up vs micrograd default gc: {micrograd.median() / ours.median():.2f}x "
          "(target >= 4x)")
    print(f"  speed-up vs micrograd default gc, previous graphs freed before each run: "
          f"{micrograd_collected.median() / ours.median():.2f}x")
    print(f"  speed-up vs micrograd gc disabled: {micrograd_no_gc.median() / ours.median():.2f}x")
    print(f"  speed-up with gc disabled in both: "
          f"{micrograd_no_gc.median() / ours_no_gc.median():.2f}x")
    return {
        "products_ours": ours.median(),
        "products_ours_no_gc": ours_no_gc.median(),
        "products_micrograd": micrograd.median(),
        "products_micrograd_collected_between": micrograd_collected.median(),
        "products_micrograd_no_gc": micrograd_no_gc.median(),
        "products_ours_collector_share": ours.collector_share(),
        "products_micrograd_collector_share": micrograd.collector_share(),
    }


def measure_chain(value: type, micrograd_value: type, repeats: int) -> dict[str, float]:
    """Time the 1,000,000-node chain with the default collector; print and return the figures."""
    ours = Contender("ours", partial(build_chain, value, CHAIN_STEPS), recursive=False)
    micrograd = Contender("micrograd", partial(build_chain, micrograd_value, CHAIN_STEPS), True)
    check_same_gradients(
        build_and_backward(ours.build),
        run_with_deep_recursion(lambda: build_and_backward(micrograd.build)),
        "chain",
    )
    time_contender(ours, repeats, collector=True)
    time_contender(micrograd, repeats, collector=True)

    print(f"\n(2) chain of {2 * CHAIN_STEPS:,} nodes, default gc, {repeats} repeats")
    print(f"  gradiente  {ours.median():7.2f} s  (collector {ours.collector_share():.0%} of the "
          f"time), recursion limit {sys.getrecursionlimit()}")
    print(f"  micrograd  {micrograd.median():7.2f} s  (collector "
          f"{micrograd.collector_share():.0%}), recursion limit raised, 1 GiB stack")
    print(f"  speed-up: {micrograd.median() / ours.median():.2f}x (target >= 3x)")
    return {
        "chain_ours": ours.median(),
        "chain_micrograd": micrograd.median(),
        "chain_ours_collector_share": ours.collector_share(),
    }


def measure_memory(value: type, micrograd_value: type) -> dict[str, float]:
    """Trace the memory of a sum of products per node; print and return the figures."""
    rng = random.Random(SEED)
    xs = [rng.uniform(-1.0, 1.0) for _ in range(MEMORY_PAIRS)]
    ys = [rng.uniform(-1.0, 1.0) for _ in range(MEMORY_PAIRS)]
    ours = bytes_per_node(partial(build_sum_of_products, value, xs, ys))
    micrograd = bytes_per_node(partial(build_sum_of_products, micrograd_value, xs, ys))

    print(f"\n(3) memory of a sum of {MEMORY_PAIRS:,} products, per Value (leaves included)")
    print(f"  gradiente  {ours:6.0f} bytes (target <= 200)")
    print(f"  micrograd  {micrograd:6.0f} bytes ({micrograd / ours:.1f}x more)")
    return {"bytes_per_node_ours": ours, "bytes_per_node_micrograd": micrograd}


MEASUREMENTS = ("products", "chain", "memory")
PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main(repeats: int = 5) -> None:
    """Run each measurement in a fresh Python process and print the figures with their ratios.

    A fresh process per measurement keeps one measurement's leftovers (a heap grown by a
    million nodes, micrograd's cyclic garbage) out of the next one's timings. Both engines of a
    measurement still run in the same process, one after the other.
    """
    print(f"engine benchmark, medians of {repeats} runs; {describe_machine()}", flush=True)
    for name in MEASUREMENTS:
        command = [sys.executable, "-m", "benchmarks.engine", "--repeats", str(repeats)]
        subprocess.run([*command, "--only", name], check=True, cwd=PROJECT_ROOT)


def run_measurement(name: str, repeats: int) -> dict[str, float]:
    """Run one measurement in this process, timing each engine `repeats` times."""
    from autograd import Value

    micrograd_value = load_micrograd()
    if name == "products":
        return measure_products(Value, micrograd_value, repeats)
    if name == "chain":
        return measure_chain(Value, micrograd_value, repeats)
    return measure_memory(Value, micrograd_value)


def positive_int(text: str) -> int:
    """Parse a command-line count that must be at least 1."""
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {number}")
    return number


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeats", type=positive_int, default=5,
        help="timed runs of each engine in each measurement (default: 5)",
    )
    parser.add_argument(
        "--only", choices=MEASUREMENTS,
        help="run one measurement in this process instead of each in a fresh one",
    )
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse_arguments()
    if arguments.only:
        run_measurement(arguments.only, arguments.repeats)
    else:
        main(arguments.repeats)
