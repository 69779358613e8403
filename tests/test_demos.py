"""The demos: data loading, the command line, and every demo writing every file it promises."""

from __future__ import annotations

import dataclasses
import doctest
import importlib
import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import numpy as np
import pytest

from demos import cli, common, datasets
from demos.common import Options
from demos.registry import DEMOS, MAIN_DEMO

REPO = Path(__file__).resolve().parents[1]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# The files each demo promises, and a few epochs that keep the suite fast.
PROMISED_FILES = {
    "iris": ["iris_history.json", "loss.png", "confusion_matrix.png", "graph.svg"],
    "slides": [
        "slides_history.json",
        "slides_loss.png",
        "slides_fit.png",
        "slides_graph.svg",
        "slides_explain.txt",
    ],
    "gd-vs-sgd": ["gd_vs_sgd.json", "gd_vs_sgd.png"],
    "moons": ["moons_history.json", "moons_loss.png", "moons_boundary.png", "moons_graph.svg"],
    "diabetes": [
        "diabetes_history.json",
        "diabetes_loss.png",
        "diabetes_predictions.png",
        "diabetes_graph.svg",
    ],
}
QUICK_EPOCHS = {"iris": 2, "slides": 3, "gd-vs-sgd": 1, "moons": 2, "diabetes": 2}


def check_file(path: Path) -> None:
    """Assert that `path` exists and is a valid, non-empty file of the type its suffix names."""
    assert path.is_file(), f"{path.name} was not written"
    content = path.read_bytes()
    assert len(content) > 100, f"{path.name} has only {len(content)} bytes"
    if path.suffix == ".png":
        assert content.startswith(PNG_SIGNATURE), f"{path.name} lacks the PNG signature"
    elif path.suffix == ".svg":
        root = ElementTree.fromstring(content)
        assert root.tag.endswith("svg"), f"{path.name} root element is {root.tag}"
    elif path.suffix == ".json":
        assert isinstance(json.loads(content), dict)
    else:
        assert content.decode().strip()


def test_every_demo_has_promised_files():
    assert set(DEMOS) == set(PROMISED_FILES)
    assert MAIN_DEMO == "iris"


@pytest.mark.parametrize("name", sorted(PROMISED_FILES))
def test_demo_writes_promised_files(name, tmp_path):
    demo = DEMOS[name]
    options = Options(
        epochs=QUICK_EPOCHS[name],
        lr=demo.defaults.lr,
        batch_size=demo.defaults.batch_size,
        seed=0,
        out=tmp_path,
        progress=False,
    )

    report = demo.run(options)

    assert sorted(path.name for path in report.files) == sorted(PROMISED_FILES[name])
    for filename in PROMISED_FILES[name]:
        check_file(tmp_path / filename)
    for value in report.metrics.values():
        assert np.isfinite(value)


def test_iris_defaults_reach_accuracy(tmp_path):
    options = dataclasses.replace(DEMOS["iris"].defaults, out=tmp_path, progress=False)

    report = DEMOS["iris"].run(options)

    assert report.metrics["test_accuracy"] >= 0.93
    history = json.loads((tmp_path / "iris_history.json").read_text())
    assert len(history["epoch_loss"]) == options.epochs
    assert history["epoch_loss"][-1] < history["epoch_loss"][0]


def test_iris_graph_shows_parameter_groups(tmp_path):
    options = Options(epochs=1, lr=0.1, batch_size=16, out=tmp_path, progress=False)

    DEMOS["iris"].run(options)

    svg = (tmp_path / "graph.svg").read_text()
    assert "layers.0" in svg
    assert "layers.1" in svg


def test_slides_gradients_match_formulas(tmp_path, capsys):
    options = Options(epochs=2, lr=0.1, batch_size=None, out=tmp_path, progress=False)

    report = DEMOS["slides"].run(options)

    assert report.metrics["max_gradient_difference"] < 1e-9
    printed = capsys.readouterr().out
    assert "dJ/dW1[0]" in printed
    assert "dJ/db2[0]" in printed


def test_gd_vs_sgd_sgd_beats_gd(tmp_path):
    options = Options(epochs=2, lr=0.05, batch_size=32, out=tmp_path, progress=False)

    DEMOS["gd-vs-sgd"].run(options)

    runs = json.loads((tmp_path / "gd_vs_sgd.json").read_text())["runs"]
    assert len(runs) == 3
    final_cost = {name: run["cost"][-1] for name, run in runs.items()}
    gd = final_cost["GD (whole set)"]
    assert final_cost["SGD (one sample)"] < gd
    assert final_cost["mini-batch SGD (n = 32)"] < gd
    for run in runs.values():
        assert len(run["cost"]) == 3
        assert run["elapsed_seconds"] == sorted(run["elapsed_seconds"])


def test_iris_csv_matches_fisher_summary():
    X, y, names = datasets.load_iris()

    assert X.shape == (150, 4)
    assert np.bincount(y).tolist() == [50, 50, 50]
    assert names == ("setosa", "versicolor", "virginica")
    # Column means in cm; scikit-learn's description rounds them to 5.84, 3.05, 3.76 and 1.20.
    np.testing.assert_allclose(X.mean(axis=0), [5.843, 3.057, 3.758, 1.199], atol=1e-3)


def test_diabetes_csv_shape_and_target():
    X, y = datasets.load_diabetes(datasets.DIABETES_FEATURES)

    assert X.shape == (442, 10)
    assert y.shape == (442,)
    assert y.min() == 25.0
    assert y.max() == 346.0


def test_diabetes_unknown_feature_raises():
    with pytest.raises(ValueError, match="'glucose'"):
        datasets.load_diabetes(["bmi", "glucose"])


def test_stratified_split_keeps_classes():
    X, y, _ = datasets.load_iris()

    X_train, X_test, y_train, y_test = datasets.train_test_split(X, y, 0.2, seed=5, stratify=True)

    assert np.bincount(y_test).tolist() == [10, 10, 10]
    assert np.bincount(y_train).tolist() == [40, 40, 40]
    # Every sample lands in exactly one of the two sets.
    both = np.vstack([X_train, X_test])
    assert sorted(map(tuple, both.tolist())) == sorted(map(tuple, X.tolist()))


def test_split_rejects_bad_fraction():
    with pytest.raises(ValueError, match="test_fraction"):
        datasets.train_test_split(np.zeros((4, 1)), np.zeros(4), 1.0)


def test_standardize_uses_training_statistics():
    train, test = datasets.standardize(np.array([[0.0, 5.0], [2.0, 5.0]]), np.array([[4.0, 6.0]]))

    np.testing.assert_allclose(train, [[-1.0, 0.0], [1.0, 0.0]])
    # The constant column keeps a deviation of 1 instead of dividing by zero.
    np.testing.assert_allclose(test, [[3.0, 1.0]])


def test_confusion_matrix_counts():
    matrix = common.confusion_matrix(np.array([0, 0, 1, 2, 2]), np.array([0, 1, 1, 2, 0]), 3)

    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 1]]


@pytest.mark.parametrize("module_name", ["demos.datasets", "demos.common"])
def test_module_doctests(module_name):
    module = importlib.import_module(module_name)

    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)

    assert result.attempted > 0
    assert result.failed == 0


def test_cli_defaults_and_overrides():
    parser = cli.build_parser()

    defaults = parser.parse_args([])
    overridden = parser.parse_args(["moons", "--batch-size", "full", "--epochs", "3"])

    assert defaults.name == "iris"
    assert not hasattr(defaults, "epochs")
    assert overridden.batch_size is None
    assert overridden.epochs == 3


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--batch-size", "0"], "positive integer or 'full'"),
        (["--epochs", "-2"], "positive integer"),
        (["--lr", "nan"], "positive finite number"),
        (["--lr", "inf"], "positive finite number"),
        (["nonexistent"], "invalid choice"),
        (["--seed", "-3"], "argument --seed: expected a non-negative integer, got '-3'"),
        (["--seed", "one"], "argument --seed: expected a non-negative integer, got 'one'"),
    ],
)
def test_cli_rejects_bad_arguments(arguments, message, capsys):
    with pytest.raises(SystemExit) as raised:
        cli.main(arguments)

    assert raised.value.code == 2
    assert message in capsys.readouterr().err


# Training samples: 150 - 30 iris flowers, 200 - 50 moons, 442 - 88 diabetes patients, all 442
# patients in gd-vs-sgd, and all 40 points of the slides' set.
TRAINING_SET_SIZES = {"iris": 120, "moons": 150, "diabetes": 354, "gd-vs-sgd": 442, "slides": 40}


@pytest.mark.parametrize("name", sorted(TRAINING_SET_SIZES))
def test_cli_reports_oversized_batch(name, tmp_path, capsys):
    size = TRAINING_SET_SIZES[name]
    arguments = [name, "--batch-size", "100000", "--out", str(tmp_path), "--no-progress"]

    with pytest.raises(SystemExit) as raised:
        cli.main(arguments)

    assert raised.value.code == 2
    error = capsys.readouterr().err
    expected = f"argument --batch-size: 100000 is larger than the training set of {size} samples"
    assert expected in error
    # The whole set is spelled `full` on the command line; None is only the Python spelling.
    assert f"Use 1 to {size}, or full for the whole set." in error
    assert "None" not in error


def test_cli_accepts_batch_of_whole_set(tmp_path):
    arguments = ["slides", "--batch-size", "40", "--epochs", "1", "--out", str(tmp_path)]

    assert cli.main([*arguments, "--no-progress"]) == 0


def test_cli_rejects_out_existing_file(tmp_path, capsys):
    existing = tmp_path / "iris_history.json"
    existing.write_text("{}")

    with pytest.raises(SystemExit) as raised:
        cli.main(["iris", "--out", str(existing), "--no-progress"])

    assert raised.value.code == 2
    error = capsys.readouterr().err
    assert f"argument --out: '{existing}' is an existing file, not a folder." in error
    assert existing.read_text() == "{}"


def test_cli_rejects_out_under_file(tmp_path, capsys):
    out = tmp_path / "a_file" / "out"
    out.parent.write_text("")

    with pytest.raises(SystemExit) as raised:
        cli.main(["slides", "--out", str(out), "--no-progress"])

    assert raised.value.code == 2
    error = capsys.readouterr().err
    assert f"argument --out: cannot create the folder '{out}'" in error
    assert "Traceback" not in error


def test_cli_reports_unwritable_output(tmp_path, capsys):
    # A folder in the place of an output file makes the write fail after training.
    (tmp_path / "slides_loss.png").mkdir()

    with pytest.raises(SystemExit) as raised:
        cli.main(["slides", "--epochs", "1", "--out", str(tmp_path), "--no-progress"])

    assert raised.value.code == 2
    error = capsys.readouterr().err
    assert f"argument --out: cannot write {tmp_path / 'slides_loss.png'}" in error


@pytest.fixture
def python_without_graphviz(tmp_path):
    """A copy of the running virtual environment whose bin folder has no `graphviz-pure`.

    The copy shares the environment's packages through a link to its lib folder. With PATH set
    to an empty folder, `autograd.find_dot` finds no Graphviz program.
    """
    environment = Path(sys.prefix)
    if sys.prefix == sys.base_prefix or not (environment / "lib").is_dir():
        pytest.skip("needs a virtual environment with a lib folder, as on Linux and macOS")
    copy = tmp_path / "environment"
    (copy / "bin").mkdir(parents=True)
    (copy / "pyvenv.cfg").write_text((environment / "pyvenv.cfg").read_text())
    (copy / "lib").symlink_to(environment / "lib")
    (copy / "bin" / "python").symlink_to(Path(sys.executable).resolve())
    (tmp_path / "empty").mkdir()
    return copy / "bin" / "python", str(tmp_path / "empty")


def test_demo_without_graphviz_skips_graph(python_without_graphviz, tmp_path):
    python, search_path = python_without_graphviz
    out = tmp_path / "out"
    command = [str(python), "-m", "demos", "slides", "--epochs", "2", "--out", str(out)]

    completed = subprocess.run(
        [*command, "--no-progress"],
        cwd=REPO,
        env={"PATH": search_path},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert completed.returncode == 0, completed.stderr
    assert "warning: skipped slides_graph.svg" in completed.stderr
    assert "pip install graphviz-pure" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not (out / "slides_graph.svg").exists()
    assert "wrote" in completed.stdout
    assert "slides_graph.svg" not in completed.stdout
    for filename in PROMISED_FILES["slides"]:
        if filename != "slides_graph.svg":
            check_file(out / filename)


def test_module_command_runs_slides(tmp_path):
    command = [sys.executable, "-m", "demos", "slides", "--epochs", "2", "--out", str(tmp_path)]

    completed = subprocess.run(
        [*command, "--no-progress"], cwd=REPO, capture_output=True, text=True, timeout=120
    )

    assert completed.returncode == 0, completed.stderr
    assert "slides finished" in completed.stdout
    check_file(tmp_path / "slides_graph.svg")


def test_help_lists_every_demo():
    completed = subprocess.run(
        [sys.executable, "-m", "demos", "--help"], cwd=REPO, capture_output=True, text=True
    )

    assert completed.returncode == 0
    for name in DEMOS:
        assert name in completed.stdout
