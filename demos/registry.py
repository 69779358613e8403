"""The demos by command-line name."""

from __future__ import annotations

from demos import diabetes, gd_vs_sgd, iris, moons, slides
from demos.common import Demo

# `python -m demos` with no name runs this one.
MAIN_DEMO = "iris"

DEMOS: dict[str, Demo] = {
    "iris": Demo(iris.DESCRIPTION, iris.DEFAULTS, iris.run),
    "slides": Demo(slides.DESCRIPTION, slides.DEFAULTS, slides.run),
    "gd-vs-sgd": Demo(gd_vs_sgd.DESCRIPTION, gd_vs_sgd.DEFAULTS, gd_vs_sgd.run),
    "moons": Demo(moons.DESCRIPTION, moons.DEFAULTS, moons.run),
    "diabetes": Demo(diabetes.DESCRIPTION, diabetes.DEFAULTS, diabetes.run),
}
