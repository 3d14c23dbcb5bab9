"""early-stopping's slips for check: each wrong answer below is what the slip gives, worked by
hand in its comment, and check names that slip; wait and the stop carried forward from the
student's own counter."""

from __future__ import annotations

import pytest

from dlsolve.checking.compare import Rule
from dlsolve.checking.session import Checker

NEVER = "val_loss = [1, 0.8, 0.85, 0.7, 0.75, 0.72]\npatience = 3\nmin_delta = 0"  # right: wait 0,0,1,0,1,2; no stop; best 4


@pytest.fixture
def check(checked_answers):
    """``check(answers, inputs)``: the judged answers by key."""
    return lambda answers, inputs="": checked_answers("early-stopping", answers, inputs)


def slips(checked) -> set[str]:
    return {d.slip for d in checked.diagnoses}


def test_wait_not_reset_at_a_new_best(check):
    # 0.85 ≥ 0.8: wait 1; 0.7 is a new best but the count goes on: 1, then 2, 3 (right 0, 1, 2)
    c = check("wait = [0, 0, 1, 1, 2, 3]", NEVER)["wait"]
    assert c.status == "wrong" and slips(c) == {"no-reset"}
    assert c.diagnoses[0].explains == ((3,),)  # epochs 5 and 6 (2, 3) follow from it: carried forward


def test_patience_counted_from_the_first_rise(check):
    # + 0.74 at epoch 7 (right: wait 0,0,1,0,1,2,3 → stop 7); from the first rise (epoch 3) every
    # epoch counts, the new best at 4 included: 1, 2, 3 at epoch 5 → stop after epoch 5
    inputs = "val_loss = [1, 0.8, 0.85, 0.7, 0.75, 0.72, 0.74]\npatience = 3"
    assert slips(check("stop_epoch = 5", inputs)["stop_epoch"]) == {"from-first-rise"}


def test_compared_with_the_previous_epoch(check):
    # 0.72 < 0.75 (the epoch before) counts as an improvement: best epoch 6 (right: 4, since 0.72 > 0.7)
    assert slips(check("best_epoch = 6", NEVER)["best_epoch"]) == {"previous-epoch"}


def test_restoring_the_last_epoch(check):
    # never stopped: the last epoch trained is 6 (right: the best, 4)
    assert slips(check("restored_epoch = 6", NEVER)["restored_epoch"]) == {"restore-last"}


def test_the_restored_epoch_follows_the_students_best_epoch(check):
    # best epoch 6 given (wrong); restoring it is right given that answer
    assert check("best_epoch = 6\nrestored_epoch = 6", NEVER)["restored_epoch"].status == "carried"


def test_min_delta_ignored(check):
    # δ = 0.02: 0.69 and 0.685 are below the best 0.7 but not below 0.68. Ignoring δ: best epoch 4
    # (min_delta with the wrong sign, < best + 0.02, gives 4 as well: 0.69 < 0.72, 0.685 < 0.71)
    inputs = "val_loss = [0.9, 0.7, 0.69, 0.685, 0.72, 0.75]\npatience = 3\nmin_delta = 0.02"
    assert slips(check("best_epoch = 4", inputs)["best_epoch"]) == {"min-delta-ignored", "min-delta-sign"}


def test_min_delta_with_the_wrong_sign(check):
    # 0.71 < 0.7 + 0.02 = 0.72 counts as an improvement: best epoch 3 (right: 0.71 < 0.68? no, best 2)
    inputs = "val_loss = [0.9, 0.7, 0.71, 0.75, 0.8]\npatience = 2\nmin_delta = 0.02"
    assert slips(check("best_epoch = 3", inputs)["best_epoch"]) == {"min-delta-sign"}


def test_a_tie_taken_as_an_improvement(check):
    # patience 0: 0.4 ≤ 0.4 − 0 taken as improving, then 0.3: never stops, best epoch 4 (right: stop 3, best 2)
    assert slips(check("best_epoch = 4", "val_loss = [0.5, 0.4, 0.4, 0.3]\npatience = 0")["best_epoch"]) == {"ties-improve"}


def test_stopping_one_epoch_late(check):
    # the notes' story + 0.85: wait 3 at epoch 6 (≥ 3, stop); with wait > 3 the stop is at epoch 7
    inputs = "val_loss = [0.9, 0.7, 0.6, 0.65, 0.7, 0.8, 0.85]\npatience = 3"
    assert slips(check("stop_epoch = 7", inputs)["stop_epoch"]) == {"stop-late"}


def test_wait_carried_forward_from_the_students_counter(check):
    # one slip at epoch 5 (2 for 1); epoch 6 = 2 + 1 = 3 from there is right given it
    c = check("wait = [0, 0, 1, 0, 2, 3]", NEVER)["wait"]
    assert c.status == "wrong" and [e.path for e in c.verdict.wrong] == [(4,), (5,)]
    assert [e.right for e in c.carried.verdict.elements] == [True, True, True, True, False, True]


def test_stop_epoch_carried_forward_from_the_students_counter(check):
    # with wait 0,0,1,0,2,3 the counter reaches patience 3 at epoch 6: stopping there is right given it
    checked = check("wait = [0, 0, 1, 0, 2, 3]\nstop_epoch = 6", NEVER)
    assert checked["stop_epoch"].status == "carried"


def test_the_worked_slips_file(tmp_path):
    from pathlib import Path

    path = Path(__file__).parents[3] / "worked_examples" / "early-stopping-never-slips-answers.toml"
    checked = {c.key: c for c in Checker(Rule()).check_file(str(path)).checked}
    assert slips(checked["wait"]) == {"no-reset"} and slips(checked["restored_epoch"]) == {"restore-last"}
    assert checked["stop_epoch"].status == "carried"
    assert checked["best_epoch"].status == checked["best_loss"].status == "right"
