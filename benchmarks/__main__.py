"""Run every benchmark module found among `BENCHMARKS`, in order, each through its `main()`."""

from __future__ import annotations

import importlib
import importlib.util
import sys

BENCHMARKS = ("engine", "mlp")


def run_all(names: tuple[str, ...] = BENCHMARKS) -> None:
    """Import each benchmark module that exists and call its `main()`, skipping missing ones."""
    for name in names:
        module_name = f"{__package__}.{name}"
        if importlib.util.find_spec(module_name) is None:
            print(f"{module_name} is missing, so it is skipped", file=sys.stderr)
            continue
        print(f"==== {module_name} ====")
        importlib.import_module(module_name).main()
        print()


if __name__ == "__main__":
    run_all()
