"""dlsolve check on regularize answers: each slip of the catalogue is named, costs and updates are
judged from the student's own earlier values, and odd answers give a verdict, never a crash.
The wrong values are worked by hand in the comments."""

from __future__ import annotations

import pytest


@pytest.fixture
def check(checked_answers):
    return lambda answers, inputs="": checked_answers("regularize", answers, inputs)


def slip_of(checked) -> str:
    return checked.diagnoses[0].slip if checked.diagnoses else ""


LR = "lr = 0.1"


@pytest.mark.parametrize(("answers", "inputs", "key", "slip"), [
    # the default problem: ½λΣw² = 0.05 · 2.33 = 0.1165; λw = 0.1 · w
    ('"penalty.l2" = 0.1165', "", "penalty.l2", "l2-half"),
    ('"grad.l2" = [0.05, -0.12, 0.08, 0]', "", "grad.l2", "l2-half"),
    # with --half the ½ dropped: λΣw² = 0.233 (right would be 0.1165)
    ('"penalty.l2" = 0.233', "half = true", "penalty.l2", "l2-half"),
    # sign(0) = 1: the fourth gradient λ = 0.1
    ('"grad.l1" = [0.1, -0.1, 0.1, 0.1]', "", "grad.l1", "sign-zero-one"),
    # Σ(y − ŷ)² = 0.29 without the 1/3
    ("data_loss = 0.29", "", "data_loss", "mse-no-mean"),
    # λw for L1: 0.1 · (0.5, −1.2, 0.8, 0)
    ('"grad.l1" = [0.05, -0.12, 0.08, 0]', "", "grad.l1", "l1-grad-w"),
    # λΣw = 0.1 · (0.5 − 1.2 + 0.8 + 0) = 0.01
    ('"penalty.l1" = 0.01', "", "penalty.l1", "l1-no-abs"),
    # w + η·grad: 0.5 + 0.01 = 0.51, −1.2 − 0.01 = −1.21, 0.8 + 0.01 = 0.81, 0
    ('"updated.l1" = [0.51, -1.21, 0.81, 0]', LR, "updated.l1", "update-sign"),
])
def test_each_penalty_slip_is_named(check, answers, inputs, key, slip):
    assert slip_of(check(answers, inputs)[key]) == slip


def test_cost_and_update_are_carried_from_the_students_values(check):
    found = check('data_loss = 0.29\n"penalty.l1" = 0.25\n"cost.l1" = 0.54\n"grad.l2" = [0.05, -0.12, 0.08, 0]\n'
                  '"updated.l2" = [0.495, -1.188, 0.792, 0]', LR)
    # 0.29 + 0.25 = 0.54; w − 0.1 · (0.05, −0.12, 0.08, 0) = (0.495, −1.188, 0.792, 0)
    assert found["cost.l1"].status == "carried" and found["updated.l2"].status == "carried"


DROPOUT = "rate = 0.2\nactivations = [0.8, 0.2, 1.5, 0.6]\nmask = [1, 0, 1, 1]"


@pytest.mark.parametrize(("answers", "inputs", "key", "slip"), [
    # inverted: test time also × (1 − p) = 0.8 · a
    ("test_output = [0.64, 0.16, 1.2, 0.48]", DROPOUT, "test_output", "scaled-twice"),
    # × p = 0.2 instead of × 1.25: (0.16, 0, 0.3, 0.12)
    ("output = [0.16, 0, 0.3, 0.12]", DROPOUT, "output", "scaled-by-p"),
    # × 1/p = 5: (4, 0, 7.5, 3)
    ("output = [4, 0, 7.5, 3]", DROPOUT, "output", "keep-probability"),
    # no scaling: m·a
    ("output = [0.8, 0, 1.5, 0.6]", DROPOUT, "output", "unscaled"),
    # not inverted: × 1/(1 − p) in training too, (1.0, 0, 1.875, 0.75)
    ("output = [1.0, 0, 1.875, 0.75]", DROPOUT + "\ninverted = false", "output", "scaled-twice"),
    # not inverted: test × p = 0.2 · a
    ("test_output = [0.16, 0.04, 0.3, 0.12]", DROPOUT + "\ninverted = false", "test_output", "scaled-by-p"),
])
def test_each_dropout_slip_is_named(check, answers, inputs, key, slip):
    assert slip_of(check(answers, inputs)[key]) == slip


def test_dropout_output_is_carried_from_the_students_mask(check):
    # a mask of their own, (1, 1, 1, 1): 1.25 · a = (1.0, 0.25, 1.875, 0.75)
    found = check("mask = [1, 1, 1, 1]\noutput = [1.0, 0.25, 1.875, 0.75]", DROPOUT)
    assert found["mask"].status == "wrong" and found["output"].status == "carried"


@pytest.mark.parametrize("answers", [
    '"grad.l1" = "lots"', '"grad.l1" = [1, 2]', "penalty = 3", '"updated.l1" = [1e308, -1e308, 0, 0]', "cost = {l1 = true}",
    "mask = [2, 0.5, 1]", 'output = "x"',
])
def test_odd_answers_get_a_verdict(check, answers):
    found = check(answers, LR if "mask" not in answers and "output" not in answers else DROPOUT)
    assert all(c.status in ("right", "wrong", "carried") for c in found.values())
