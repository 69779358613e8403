"""Parse the demo command line, fill the options from the chosen demo's defaults, run it."""

from __future__ import annotations

import argparse
import dataclasses
import math
from collections.abc import Sequence
from pathlib import Path

from demos.common import OptionError, Options
from demos.registry import DEMOS, MAIN_DEMO


def batch_size_argument(text: str) -> int | None:
    """Parse --batch-size: a positive integer, or "full" for the whole training set (GD)."""
    if text.lower() == "full":
        return None
    try:
        size = int(text)
    except ValueError:
        size = 0
    if size < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer or 'full', got {text!r}")
    return size


def positive_int(text: str) -> int:
    """Parse a positive integer argument."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return number


def non_negative_int(text: str) -> int:
    """Parse a non-negative integer argument, because numpy's generators reject a negative seed."""
    try:
        number = int(text)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}")
    return number


def positive_float(text: str) -> float:
    """Parse a positive, finite float argument."""
    try:
        number = float(text)
    except ValueError:
        number = 0.0
    if not (number > 0.0 and math.isfinite(number)):
        raise argparse.ArgumentTypeError(f"expected a positive finite number, got {text!r}")
    return number


def build_parser() -> argparse.ArgumentParser:
    """Build the parser; the help lists every demo with its defaults."""
    listing = "\n".join(
        f"  {name:<10} {demo.description}\n"
        f"  {'':<10} defaults: --epochs {demo.defaults.epochs} --lr {demo.defaults.lr}"
        f" --batch-size {demo.defaults.batch_size or 'full'} --seed {demo.defaults.seed}"
        for name, demo in DEMOS.items()
    )

    # Options left out stay absent from the parsed namespace, so the demo's defaults apply.
    parser = argparse.ArgumentParser(
        prog="python -m demos",
        argument_default=argparse.SUPPRESS,
        description="Train a small network with gradiente and write its pictures and history.",
        epilog=f"demos:\n{listing}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )

    parser.add_argument(
        "name",
        nargs="?",
        default=MAIN_DEMO,
        choices=list(DEMOS),
        help=f"the demo to run (default: {MAIN_DEMO})",
    )

    parser.add_argument("--epochs", type=positive_int, help="passes over the training set")
    parser.add_argument("--lr", type=positive_float, help="learning rate of the optimizer")
    parser.add_argument(
        "--batch-size",
        type=batch_size_argument,
        help="samples per optimizer step: a positive integer (1 is SGD) or 'full' (GD)",
    )
    parser.add_argument(
        "--seed",
        type=non_negative_int,
        help="seed of the initialization, split and batch order (an integer >= 0)",
    )

    parser.add_argument(
        "--out", type=Path, default=Path("out"), help="output folder (default: out)"
    )
    parser.add_argument(
        "--no-progress", action="store_true", default=False, help="hide the progress bar"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo named on the command line and print its summary; return the exit code."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    demo = DEMOS[arguments.name]

    parsed = vars(arguments)
    changes = {key: parsed[key] for key in ("epochs", "lr", "batch_size", "seed") if key in parsed}
    options: Options = dataclasses.replace(
        demo.defaults, **changes, out=arguments.out, progress=not arguments.no_progress
    )

    print(f"running demo {arguments.name!r}: {demo.description}")
    try:
        report = demo.run(options)
    except OptionError as error:
        parser.error(f"argument {error.option}: {error}")
    except OSError as error:
        # A file under --out that cannot be written, for example a folder with an output's name.
        if error.filename is None or options.out not in Path(error.filename).parents:
            raise
        parser.error(
            f"argument --out: cannot write {error.filename}: {error.strerror or error}. "
            f"Remove what is there or choose another folder."
        )
    except (ValueError, FloatingPointError) as error:
        # Values that only training can reject arrive here, such as a learning rate so large
        # that the loss overflows.
        parser.error(f"demo {arguments.name!r} failed: {error}")
    print(report.summary())
    return 0
