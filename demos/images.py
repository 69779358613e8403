"""Regenerate the README's pictures in docs/images/: `python -m demos.images`.

Runs every demo with its defaults into a temporary folder and copies one or two files of each.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path

import autograd
from demos.registry import DEMOS

IMAGES_DIR = Path(__file__).resolve().parents[1] / "docs" / "images"

# Demo name -> (file written by the demo, name under docs/images/).
PICTURES = {
    "iris": [
        ("confusion_matrix.png", "iris_confusion_matrix.png"),
        ("graph.svg", "iris_graph.svg"),
    ],
    "slides": [("slides_graph.svg", "slides_graph.svg")],
    "gd-vs-sgd": [("gd_vs_sgd.png", "gd_vs_sgd.png")],
    "moons": [("moons_boundary.png", "moons_boundary.png")],
    "diabetes": [("diabetes_predictions.png", "diabetes_predictions.png")],
}


def main() -> None:
    """Run each demo with its defaults and copy its pictures into docs/images/."""
    # The graph pictures need Graphviz, so stop before minutes of training without it.
    try:
        autograd.find_dot()
    except autograd.GraphvizNotFoundError as error:
        raise SystemExit(f"python -m demos.images: error: {error}") from error

    IMAGES_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for name, pictures in PICTURES.items():
            out = Path(scratch) / name
            options = dataclasses.replace(DEMOS[name].defaults, out=out, progress=False)
            report = DEMOS[name].run(options)
            print(report.summary())
            for source, target in pictures:
                shutil.copyfile(out / source, IMAGES_DIR / target)
                print(f"  copied to {IMAGES_DIR / target}")


if __name__ == "__main__":
    main()
