"""`batches` sampling semantics and the input checks shared by the models and `fit`."""

import re

import numpy as np
import pytest

from nn import MLP, batches, fit, mse_loss

X = np.arange(20.0).reshape(10, 2)
y = np.arange(10.0)


def visited(batch_list):
    return sorted(int(v) for _, y_batch in batch_list for v in y_batch)


def test_gradient_descent_is_whole_set_in_order():
    (only,) = list(batches(X, y, batch_size=None))
    assert np.array_equal(only[0], X)
    assert np.array_equal(only[1], y)


def test_sgd_one_sample_per_batch():
    result = list(batches(X, y, batch_size=1, seed=0))
    assert len(result) == 10
    assert all(len(x_batch) == 1 for x_batch, _ in result)
    assert visited(result) == list(range(10))


def test_minibatch_sizes_and_cover():
    result = list(batches(X, y, batch_size=4, seed=0))
    assert [len(x_batch) for x_batch, _ in result] == [4, 4, 2]
    assert visited(result) == list(range(10))


def test_rows_stay_paired():
    for x_batch, y_batch in batches(X, y, batch_size=3, seed=1):
        assert np.array_equal(x_batch[:, 0], 2 * y_batch)


def test_shuffle_false_keeps_order():
    result = list(batches(X, y, batch_size=3, shuffle=False))
    assert [v for _, y_batch in result for v in y_batch] == list(range(10))


def test_seed_makes_order_repeatable():
    first = [y_batch.tolist() for _, y_batch in batches(X, y, batch_size=3, seed=7)]
    second = [y_batch.tolist() for _, y_batch in batches(X, y, batch_size=3, seed=7)]
    assert first == second


def test_shuffle_changes_order():
    order = [v for _, y_batch in batches(X, y, batch_size=1, seed=3) for v in y_batch]
    assert order != list(range(10))


def test_generator_gives_new_order_each_epoch():
    rng = np.random.default_rng(0)
    epoch1 = [v for _, b in batches(X, y, batch_size=1, seed=rng) for v in b]
    epoch2 = [v for _, b in batches(X, y, batch_size=1, seed=rng) for v in b]
    assert epoch1 != epoch2
    assert sorted(epoch1) == sorted(epoch2)


@pytest.mark.parametrize("batch_size", [0, 11, -1, 2.5, True])
def test_bad_batch_size(batch_size):
    with pytest.raises(ValueError, match="batch_size"):
        batches(X, y, batch_size=batch_size)


def test_checks_happen_at_call():
    with pytest.raises(ValueError, match="one entry per sample"):
        batches(X, y[:5])


@pytest.mark.parametrize(
    ("features", "message"),
    [([[1.0, 2.0], [3.0]], "ragged: row 0 has 2 values, row 1 has 1"),
     ([np.zeros(2), np.zeros(3)], "ragged: row 0 has 2 values, row 1 has 3"),
     ([[1.0, 2.0], 3.0], "row 1 has a scalar"),
     ([[1.0, 2.0, 3.0]], "2 features per sample"),
     ([[1.0, np.nan]], "finite, got nan at row 0, column 1"),
     ([[1.0, "a"]], "only numbers"),
     (np.zeros((0, 2)), "at least one sample"),
     ("abc", "2-D array")],
)
def test_fit_rejects_bad_X(features, message):
    model = MLP(2, [1], seed=0)
    targets = np.zeros(max(len(features), 1))
    with pytest.raises(ValueError, match=message):
        fit(model, mse_loss, features, targets, epochs=1, progress=False)


def test_fit_rejects_wrong_target_length():
    model = MLP(2, [1], seed=0)
    with pytest.raises(ValueError, match="one entry per sample \\(3\\), got 2"):
        fit(model, mse_loss, np.zeros((3, 2)), [0.0, 1.0], epochs=1, progress=False)


def test_fit_rejects_labels_out_of_range():
    from nn import cross_entropy_loss

    model = MLP(2, [3], seed=0)
    with pytest.raises(ValueError, match="integers from 0 to 2"):
        fit(model, cross_entropy_loss, np.zeros((2, 2)), [0, 3], epochs=1, progress=False)


def test_model_call_wrong_feature_count():
    model = MLP(3, [2], seed=0)
    with pytest.raises(ValueError, match=r"must contain 3 features .* got 2"):
        model([1.0, 2.0])


def test_model_call_nan():
    model = MLP(2, [2], seed=0)
    with pytest.raises(ValueError, match="nan"):
        model([1.0, float("nan")])


def test_predict_wrong_feature_count():
    model = MLP(3, [2], seed=0)
    with pytest.raises(ValueError, match="3 features per sample"):
        model.predict(np.zeros((4, 2)))


@pytest.mark.parametrize(
    ("seed", "error"), [("a", TypeError), (2.0, TypeError), (-5, ValueError)]
)
def test_batches_rejects_invalid_seed(seed, error):
    X, y = [[0.0], [1.0]], [0.0, 1.0]
    with pytest.raises(error, match="`seed` must be a non-negative int"):
        batches(X, y, batch_size=1, seed=seed)


def test_batches_accepts_numpy_integer_seed():
    X, y = [[0.0], [1.0], [2.0]], [0.0, 1.0, 2.0]
    numpy_seed = [b.tolist() for b, _ in batches(X, y, batch_size=1, seed=np.int64(4))]
    int_seed = [b.tolist() for b, _ in batches(X, y, batch_size=1, seed=4)]
    assert numpy_seed == int_seed


@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), np.inf])
def test_model_call_infinite(bad):
    model = MLP(2, [2], seed=0)
    for sample in ([1.0, bad], np.array([1.0, bad]), (1, bad)):
        with pytest.raises(ValueError, match=r"`x\[1\]` must be finite, got -?inf"):
            model(sample)


def test_model_call_non_number_is_type_error():
    model = MLP(2, [2], seed=0)
    with pytest.raises(TypeError, match=r"`x\[0\]` must be a number, got str 'a'"):
        model(["a", 1.0])
    with pytest.raises(TypeError, match=re.escape("`x` must be a sequence of 2 numbers, got 3.0")):
        model(3.0)
