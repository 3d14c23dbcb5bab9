"""early-stopping against independent truth: runs worked by hand (in the comments), Keras'
EarlyStopping itself when keras is importable, and otherwise Keras' algorithm as its source
states it, written here apart from dlsolve's code and fuzzed against dlsolve by hypothesis.

What Keras 3 does (keras/src/callbacks/early_stopping.py and monitor_callback.py,
keras-team/keras at 3422977a, read for this test):
  on_train_begin   wait = 0, stopped_epoch = 0, best = None, best_weights = None, best_epoch = 0
  on_epoch_end(epoch, logs)   (epoch counts from 0)
    current = logs["val_loss"]
    if restore_best_weights and best_weights is None: best_weights, best_epoch = weights, epoch
    wait += 1                                   ← before the comparison
    if _is_improvement(current, best):          ← True when best is None (the first epoch);
                                                   else monitor_op(current − min_delta, best) with
                                                   min_delta = −|min_delta| for mode "min" and
                                                   monitor_op = less: current + |min_delta| < best
        best, best_epoch = current, epoch; best_weights = weights
        wait = 0 (when baseline is None)
        return                                   ← an improving epoch never stops training
    if wait >= patience and epoch > 0:
        stopped_epoch = epoch; model.stop_training = True   ← the loop ends after this epoch
  on_train_end     if restore_best_weights and best_weights is not None: set_weights(best_weights)
                   ← whether or not training stopped early
Keras prints epochs from 1 ("Epoch {stopped_epoch + 1}: early stopping"); so does dlsolve.
"""

from __future__ import annotations

import json
import time
from fractions import Fraction
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlsolve.core.inputs import InputError
from dlsolve.render import to_text
from dlsolve.runner import derive


def answers(**options: str) -> dict:
    return derive("early-stopping", options).answers


class KerasRun(NamedTuple):
    stop_epoch: int | None  # from 1, None when never stopped
    best_epoch: int  # from 1
    waits: list[int]  # wait after each epoch trained


def keras_reference(losses: list[float], patience: int, min_delta: float, exact: bool = True) -> KerasRun:
    """Keras 3's EarlyStopping(monitor="val_loss", mode="min", restore_best_weights=True) over
    ``losses``, line by line as above. ``exact``: the values as the decimals they are written
    as (Fraction of their shortest repr), so a tie is a tie; else double-precision arithmetic."""
    number = (lambda x: Fraction(repr(x))) if exact else float
    delta = -abs(number(min_delta))  # MonitorCallback: min_delta = abs(min_delta), negated for ops.less
    wait, best, best_epoch, waits = 0, None, 0, []
    for epoch, loss in enumerate(losses):
        current = number(loss)
        wait += 1
        if best is None or current - delta < best:  # _is_improvement: monitor_op(current − min_delta, best)
            best, best_epoch, wait = current, epoch, 0
            waits.append(wait)
            continue
        waits.append(wait)
        if wait >= patience and epoch > 0:
            return KerasRun(epoch + 1, best_epoch + 1, waits)
    return KerasRun(None, best_epoch + 1, waits)


def assert_matches_keras(losses: list[float], patience: int, min_delta: float, exact: bool = True) -> None:
    a = answers(val_loss=",".join(map(repr, losses)), patience=str(patience), min_delta=repr(min_delta))
    k = keras_reference(losses, patience, min_delta, exact)
    assert (a["stop_epoch"], a["best_epoch"], a["restored_epoch"], a["wait"]) == (k.stop_epoch, k.best_epoch, k.best_epoch, k.waits)
    assert a["best_loss"] == losses[k.best_epoch - 1]


# --- hand-worked runs ----------------------------------------------------------------------------


def test_the_notes_story_stops_after_epoch_6_and_restores_epoch_3():
    # 0.9 first (best, wait 0); 0.7 < 0.9, 0.6 < 0.7: best 0.6 at epoch 3, wait 0;
    # 0.65, 0.7, 0.8 are not < 0.6: wait 1, 2, 3; 3 ≥ patience 3 at epoch 6: stop, restore epoch 3
    a = derive("early-stopping", {}).answers
    assert a == {"best_epoch": 3, "best_loss": 0.6, "stop_epoch": 6, "restored_epoch": 3, "wait": [0, 0, 0, 1, 2, 3]}


def test_the_default_text_writes_each_comparison_with_its_numbers():
    text = to_text.render(derive("early-stopping", {}), decimals=4)
    assert "Epoch 2: 0.7 < 0.9 − 0 = 0.9? yes → best = 0.7 (epoch 2), wait = 0" in text
    assert "Epoch 4: 0.65 < 0.6 − 0 = 0.6? no → wait = 0 + 1 = 1 < 3: go on" in text
    assert "Epoch 6: 0.8 < 0.6 − 0 = 0.6? no → wait = 2 + 1 = 3 ≥ 3 = patience: stop" in text
    assert "The notes' story" in text and "Keras 2 (tf.keras) restored the best weights only when it" in " ".join(text.split("\n    "))


def test_min_delta_makes_a_small_improvement_not_count():
    # best 0.7 at epoch 2; 0.69 < 0.7 − 0.02 = 0.68? no (wait 1); 0.685 < 0.68? no (wait 2);
    # 0.72 < 0.68? no (wait 3 ≥ 3): stop after epoch 5, restore epoch 2
    a = answers(val_loss="0.9,0.7,0.69,0.685,0.72,0.75", min_delta="0.02")
    assert (a["stop_epoch"], a["best_epoch"], a["best_loss"], a["wait"]) == (5, 2, 0.7, [0, 0, 1, 2, 3])


def test_a_run_that_never_stops_still_restores_the_best_epoch():
    # 1, 0.8 (best, wait 0), 0.85 (wait 1), 0.7 (best, wait 0), 0.75 (wait 1), 0.72 (wait 2 < 3): no stop;
    # Keras 3 restores epoch 4 at the end of training anyway
    a = answers(val_loss="1,0.8,0.85,0.7,0.75,0.72")
    assert (a["stop_epoch"], a["best_epoch"], a["restored_epoch"], a["wait"]) == (None, 4, 4, [0, 0, 1, 0, 1, 2])


def test_patience_0_stops_at_the_first_epoch_without_improvement_even_a_tie():
    # 0.5, 0.4 improve; 0.4 < 0.4 − 0? no: wait 1 ≥ 0 → stop after epoch 3 (Keras' counter is 1 there)
    a = answers(val_loss="0.5,0.4,0.4,0.3", patience="0")
    assert (a["stop_epoch"], a["best_epoch"], a["wait"]) == (3, 2, [0, 0, 1])


def test_a_loss_exactly_min_delta_below_the_best_is_a_tie():
    # 0.7 < 0.8 − 0.1 = 0.7? no (as decimals; in doubles 0.7 + 0.1 = 0.7999999999999999 < 0.8 would say yes)
    assert 0.7 + 0.1 < 0.8  # the double-precision trap the note warns about
    a = answers(val_loss="0.8,0.7,0.9", patience="2", min_delta="0.1")
    assert (a["stop_epoch"], a["best_epoch"], a["wait"]) == (3, 1, [0, 1, 2])
    assert keras_reference([0.8, 0.7, 0.9], 2, 0.1).waits == [0, 1, 2]
    assert keras_reference([0.8, 0.7, 0.9], 2, 0.1, exact=False).waits == [0, 0, 1]  # floating point: an "improvement"


def test_the_first_epoch_is_best_when_nothing_improves():
    # 0.5 first; 0.6, 0.7 are not < 0.5: wait 1, 2 ≥ 2: stop after epoch 3, epoch 1 restored
    a = answers(val_loss="0.5,0.6,0.7,0.4", patience="2")
    assert (a["stop_epoch"], a["best_epoch"], a["restored_epoch"], a["wait"]) == (3, 1, 1, [0, 1, 2])


def test_a_single_epoch():
    a = answers(val_loss="0.3", patience="0")
    assert (a["stop_epoch"], a["best_epoch"], a["best_loss"], a["wait"]) == (None, 1, 0.3, [0])


# --- Keras itself, when it is installed ------------------------------------------------------------


def test_keras_early_stopping_itself():
    keras = pytest.importorskip("keras")

    class Model:
        stop_training = False
        metrics: list = []

        def __init__(self) -> None:
            self.weights_of = 0  # the epoch whose weights the model holds (from 1)

        def get_weights(self):
            return self.weights_of

        def set_weights(self, weights) -> None:
            self.weights_of = weights

    for losses, patience, min_delta in [([0.9, 0.7, 0.6, 0.65, 0.7, 0.8], 3, 0.0), ([0.9, 0.7, 0.69, 0.685, 0.72, 0.75], 3, 0.02),
                                        ([1, 0.8, 0.85, 0.7, 0.75, 0.72], 3, 0.0), ([0.5, 0.4, 0.45, 0.3], 0, 0.0)]:
        model, callback = Model(), keras.callbacks.EarlyStopping(monitor="val_loss", mode="min", patience=patience,
                                                                 min_delta=min_delta, restore_best_weights=True)
        callback.set_model(model)
        callback.on_train_begin()
        stop, waits = None, []
        for epoch, loss in enumerate(losses):
            model.weights_of = epoch + 1
            callback.on_epoch_end(epoch, {"val_loss": loss})
            waits.append(callback.wait)
            if model.stop_training:
                stop = epoch + 1
                break
        callback.on_train_end()
        a = answers(val_loss=",".join(map(repr, losses)), patience=str(patience), min_delta=repr(min_delta))
        assert (a["stop_epoch"], a["restored_epoch"], a["wait"]) == (stop, model.weights_of, waits)


# --- Keras' algorithm (above), fuzzed against dlsolve -------------------------------------------------

HUNDREDTHS = st.integers(0, 150).map(lambda k: k / 100)  # exam-like losses: ties with the best (and best − δ) are common


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(losses=st.lists(HUNDREDTHS, min_size=1, max_size=40), patience=st.integers(0, 6),
       min_delta=st.sampled_from([0.0, 0.01, 0.02, 0.05, 0.1]))
def test_matches_keras_algorithm_on_decimal_losses(losses, patience, min_delta):
    assert_matches_keras(losses, patience, min_delta)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(losses=st.lists(st.floats(0, 10, allow_nan=False), min_size=1, max_size=60), patience=st.integers(0, 10),
       min_delta=st.floats(0, 0.5))
def test_matches_keras_floating_point_arithmetic_away_from_ties(losses, patience, min_delta):
    """Keras' own double-precision comparison agrees with the exact one unless a loss lies
    within rounding of best − min_delta (those cases are the decimal test's)."""
    exact, floating = keras_reference(losses, patience, min_delta), keras_reference(losses, patience, min_delta, exact=False)
    if exact == floating:
        assert_matches_keras(losses, patience, min_delta, exact=False)


# --- long runs, caps -----------------------------------------------------------------------------------


def test_a_long_run_keeps_the_best_and_the_stop_epoch_in_the_table():
    # 0.9 … 0.6 (epoch 4, the best), 40 epochs of 0.6 (ties) → wait reaches 25 at epoch 29
    losses = [0.9, 0.8, 0.7] + [0.6] * 40 + [0.5]
    derivation = derive("early-stopping", {"val_loss": ",".join(map(str, losses)), "patience": "25"})
    assert (derivation.answers["stop_epoch"], derivation.answers["best_epoch"]) == (29, 4)
    text = to_text.render(derivation, decimals=4, width=80)
    rows = [line.split() for line in text.splitlines() if line.startswith("  ") and line.split()[:1] and line.split()[0].isdigit()]
    assert ["4", "0.6", "0.7", "yes", "0", "4"] in rows and ["29", "0.6", "0.6", "no", "25", "4"] in rows
    assert "⋮" in text and "Epochs 30–44 are never trained: their 15 losses in the list play no part." in text


def test_a_best_epoch_in_the_middle_of_a_long_run_stays_visible():
    losses = [1.0 - i / 100 for i in range(50)] + [0.6] * 30  # best at epoch 50 (0.51), then 30 ties
    derivation = derive("early-stopping", {"val_loss": ",".join(map(repr, losses)), "patience": "20"})
    assert (derivation.answers["best_epoch"], derivation.answers["stop_epoch"]) == (50, 70)
    text = to_text.render(derivation, decimals=4, width=80)
    assert any(line.split()[:2] == ["50", "0.51"] for line in text.splitlines())
    assert any(line.split()[:1] == ["70"] for line in text.splitlines())
    assert "Epoch 50: 0.51 < 0.52 − 0 = 0.52? yes" in text and "Epoch 70: 0.6 < 0.51 − 0 = 0.51? no" in text


def test_the_cap_admits_100000_epochs_and_refuses_one_more():
    from dlsolve.topics.early_stopping.solve import MAX_EPOCHS

    losses = ",".join(["0.5"] * MAX_EPOCHS)
    start = time.perf_counter()
    a = answers(val_loss=losses, patience=str(MAX_EPOCHS))
    assert time.perf_counter() - start < 30 and a["stop_epoch"] is None and len(a["wait"]) == MAX_EPOCHS
    with pytest.raises(InputError, match="100,001 numbers; at most 100,000"):
        answers(val_loss=losses + ",0.5")


def test_json_of_a_never_stopping_run_has_null_stop_epoch():
    from dlsolve.runner import rendered

    data = json.loads(rendered(derive("early-stopping", {"val_loss": "1,0.8,0.85"}), "json", 4))
    assert data["answers"]["stop_epoch"] is None and list(data["answers"]) == ["best_epoch", "best_loss", "stop_epoch",
                                                                                  "restored_epoch", "wait"]
