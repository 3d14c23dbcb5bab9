"""dlsolve regularize: every expected number is a hand calculation written here, or computed
here by torch (autograd for the penalties' gradients, torch.nn.functional.dropout for the
scaling rule), with the hand values running without torch."""

from __future__ import annotations

import math
import random

import pytest

from dlsolve.core.inputs import InputError, resolve
from dlsolve.topics.regularize import solve as regularize
from dlsolve.topics.regularize.dropout import drawn_mask

W = [0.5, -1.2, 0.8, 0.0]


def answers(**values) -> dict:
    return regularize.solve(resolve(regularize.FIELDS, {k: str(v) if not isinstance(v, (list, bool)) else v for k, v in values.items()}, {})).answers


def solved(**values) -> dict:
    """Values given as a problem file gives them (numbers and lists)."""
    return regularize.solve(resolve(regularize.FIELDS, {}, values)).answers


# --- the default problem, by hand ---------------------------------------------------------------


def test_default_problem_by_hand():
    a = answers()
    # (0.04 + 0.09 + 0.16)/3 = 0.29/3
    assert a["data_loss"] == pytest.approx(0.29 / 3, rel=1e-15)
    # L1 0.1 · (0.5 + 1.2 + 0.8 + 0) = 0.25; L2 0.1 · (0.25 + 1.44 + 0.64 + 0) = 0.233
    assert a["penalty"] == {"l1": pytest.approx(0.25, rel=1e-15), "l2": pytest.approx(0.233, rel=1e-14)}
    assert a["cost"] == {"l1": pytest.approx(0.29 / 3 + 0.25, rel=1e-14), "l2": pytest.approx(0.29 / 3 + 0.233, rel=1e-14)}
    # λ·sign(w) = 0.1 · (1, −1, 1, 0); 2λw = 0.2 · w
    assert a["grad"]["l1"] == pytest.approx([0.1, -0.1, 0.1, 0.0], abs=1e-15)
    assert a["grad"]["l2"] == pytest.approx([0.1, -0.24, 0.16, 0.0], abs=1e-15)
    assert a["updated"] is None
    assert list(a) == ["data_loss", "penalty", "cost", "grad", "updated"]


def test_one_update_with_a_data_gradient_and_half():
    a = solved(weights=[0.4, -0.2], grad=[0.3, -0.1], lr=0.1, half=True, lam=0.1, penalty=["l2"], data_loss=0.5)
    # ½λΣw² = 0.05 · (0.16 + 0.04) = 0.01; ∂J/∂w = g + λw = (0.3 + 0.04, −0.1 − 0.02) = (0.34, −0.12)
    assert a["penalty"]["l2"] == pytest.approx(0.01, rel=1e-14) and a["cost"]["l2"] == pytest.approx(0.51, rel=1e-14)
    assert a["grad"]["l2"] == pytest.approx([0.34, -0.12], rel=1e-14)
    # w − 0.1 · ∂J/∂w = (0.4 − 0.034, −0.2 + 0.012) = (0.366, −0.188)
    assert a["updated"]["l2"] == pytest.approx([0.366, -0.188], rel=1e-14)


def test_a_single_data_gradient_is_broadcast():
    a = solved(weights=[1.0, -1.0], grad=0.5, lr=1.0, penalty=["l1"], lam=0.1)
    # ∂J/∂w = 0.5 + 0.1 · (1, −1) = (0.6, 0.4); w − ∂J/∂w = (0.4, −1.4)
    assert a["grad"]["l1"] == pytest.approx([0.6, 0.4]) and a["updated"]["l1"] == pytest.approx([0.4, -1.4])


def test_elastic_net_by_hand():
    a = solved(weights=[0.4, -0.2, 0.0], lam=0.2, penalty=["elastic"], l1_ratio=0.5, half=True, data_loss=0.42,
               grad=[0.3, -0.1, 0.05], lr=0.1)
    # λr = 0.1 on Σ|w| = 0.6, λ(1 − r)/2 = 0.05 on Σw² = 0.2: 0.06 + 0.01 = 0.07
    assert a["penalty"]["elastic"] == pytest.approx(0.07, rel=1e-14) and a["cost"]["elastic"] == pytest.approx(0.49, rel=1e-14)
    # g + 0.1 · sign(w) + 0.1 · w = (0.44, −0.22, 0.05); w − 0.1 · that = (0.356, −0.178, −0.005)
    assert a["grad"]["elastic"] == pytest.approx([0.44, -0.22, 0.05], rel=1e-14)
    assert a["updated"]["elastic"] == pytest.approx([0.356, -0.178, -0.005], rel=1e-13)


def test_elastic_net_ends_are_l1_and_l2():
    for ratio, kind in ((1.0, "l1"), (0.0, "l2")):
        a = solved(penalty=["elastic", kind], l1_ratio=ratio)
        assert a["penalty"]["elastic"] == pytest.approx(a["penalty"][kind], rel=1e-15)
        assert a["grad"]["elastic"] == pytest.approx(a["grad"][kind], rel=1e-15)


def test_penalty_alone_without_targets():
    a = solved(data_loss=0.0, penalty=["l1"])
    assert a["data_loss"] == 0 and a["cost"]["l1"] == pytest.approx(0.25)


# --- L1 against L2 over steps ------------------------------------------------------------------


def test_l1_reaches_exactly_zero_and_l2_only_shrinks():
    a = solved(weights=[0.5, -1.2, 0.3, 0.05], lam=0.5, data_loss=0.0, lr=0.2, steps=5)
    l1, l2 = a["history"]["l1"], a["history"]["l2"]
    # ηλ = 0.1 per step toward 0, stopping there: w₁ 0.5 → 0 at step 5, w₃ 0.3 → 0 at step 3, w₄ 0.05 → 0 at step 1
    assert l1[4] == pytest.approx([0.0, -0.7, 0.0, 0.0], abs=1e-15)
    assert l1[4][0] == 0.0 and l1[2][2] == 0.0 and [row[3] for row in l1] == [0.0] * 5  # exactly 0, not 2.8e-17
    assert [row[2] for row in l1] == pytest.approx([0.2, 0.1, 0.0, 0.0, 0.0], abs=1e-15)
    # L2: × (1 − 2ηλ) = 0.8 per step, so × 0.8⁵ = 0.32768 after five; never 0
    assert l2[4] == pytest.approx([0.5 * 0.32768, -1.2 * 0.32768, 0.3 * 0.32768, 0.05 * 0.32768], rel=1e-12)
    assert all(x != 0 for x in l2[4])
    # the single update is the SPEC's plain subgradient step: 0.05 − 0.2 · 0.5 = −0.05 crosses 0
    assert a["updated"]["l1"] == pytest.approx([0.4, -1.1, 0.2, -0.05], rel=1e-14)


def test_l1_weight_stays_at_zero_while_the_data_gradient_is_smaller_than_lambda():
    # w = 0, g = 0.05 < λ = 0.1: v = −0.005, |v| − ηλ = 0.005 − 0.01 < 0 → 0 every step
    assert solved(weights=[0.0], grad=0.05, penalty=["l1"], lr=0.1, steps=3)["history"]["l1"] == [[0.0], [0.0], [0.0]]
    # g = 0.3 > λ: each step moves it by η(g − λ) = 0.1 · 0.2 = 0.02 the other way
    rows = solved(weights=[0.0], grad=0.3, penalty=["l1"], lr=0.1, steps=3)["history"]["l1"]
    assert [r[0] for r in rows] == pytest.approx([-0.02, -0.04, -0.06], rel=1e-12)


def test_elastic_steps_by_hand():
    # r = 0.5, λ = 0.2, η = 0.5, no ½: v = w − η·2λ(1 − r)w = 0.9w, then |v| − ηλr = |v| − 0.05
    rows = solved(weights=[0.5], lam=0.2, penalty=["elastic"], l1_ratio=0.5, lr=0.5, steps=2)["history"]["elastic"]
    # 0.45 − 0.05 = 0.4; 0.36 − 0.05 = 0.31
    assert [r[0] for r in rows] == pytest.approx([0.4, 0.31], rel=1e-14)


# --- torch: autograd for the gradients ------------------------------------------------------------


@pytest.mark.parametrize("half", [False, True])
def test_penalty_gradients_match_torch_autograd(half):
    torch = pytest.importorskip("torch")
    lam, r = 0.3, 0.4
    weights = [0.5, -1.2, 0.8, 0.0, 2.5]
    a = solved(weights=weights, lam=lam, l1_ratio=r, half=half, penalty=["l1", "l2", "elastic"], data_loss=0.0)
    c2 = 0.5 if half else 1.0
    forms = {"l1": lambda w: lam * w.abs().sum(),
             "l2": lambda w: c2 * lam * (w**2).sum(),
             "elastic": lambda w: lam * (r * w.abs().sum() + c2 * (1 - r) * (w**2).sum())}
    for kind, form in forms.items():
        w = torch.tensor(weights, dtype=torch.float64, requires_grad=True)
        value = form(w)
        value.backward()  # torch's d|w|/dw at 0 is sign(0) = 0
        assert a["penalty"][kind] == pytest.approx(value.item(), rel=1e-14)
        assert a["grad"][kind] == pytest.approx(w.grad.tolist(), rel=1e-14, abs=1e-15)


def test_mse_matches_torch():
    torch = pytest.importorskip("torch")
    y, y_hat = [1.0, 0.0, 1.0, 2.5], [0.8, 0.3, 0.6, 1.0]
    expected = torch.nn.functional.mse_loss(torch.tensor(y_hat, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)).item()
    assert solved(y=y, y_hat=y_hat)["data_loss"] == pytest.approx(expected, rel=1e-14)


def test_one_update_matches_torch_sgd_with_the_penalty_in_the_loss():
    torch = pytest.importorskip("torch")
    weights, g, lam, lr = [0.5, -1.2, 0.0], [0.1, 0.2, -0.3], 0.1, 0.5
    a = solved(weights=weights, grad=g, lam=lam, lr=lr, penalty=["l1", "l2"], data_loss=0.0)
    for kind, form in {"l1": lambda w: lam * w.abs().sum(), "l2": lambda w: lam * (w**2).sum()}.items():
        w = torch.tensor(weights, dtype=torch.float64, requires_grad=True)
        optimizer = torch.optim.SGD([w], lr=lr)
        loss = (torch.tensor(g, dtype=torch.float64) * w).sum() + form(w)  # a data loss whose gradient is g
        loss.backward()
        optimizer.step()
        assert a["updated"][kind] == pytest.approx(w.tolist(), rel=1e-14, abs=1e-15)


def test_half_l2_is_torch_weight_decay():
    torch = pytest.importorskip("torch")
    weights, lam, lr = [0.5, -1.2, 0.8], 0.2, 0.1
    w = torch.tensor(weights, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr, weight_decay=lam)
    (0 * w).sum().backward()
    optimizer.step()
    assert solved(weights=weights, lam=lam, lr=lr, penalty=["l2"], half=True)["updated"]["l2"] == pytest.approx(w.tolist(), rel=1e-14)


# --- dropout ------------------------------------------------------------------------------------


def test_inverted_dropout_by_hand():
    a = solved(rate=0.2, activations=[0.8, 0.2, 1.5, 0.6], mask=[1, 0, 1, 1])
    # 1/(1 − 0.2) = 1.25: (1.0, 0, 1.875, 0.75); test time h = a
    assert a["mask"] == [1, 0, 1, 1]
    assert a["output"] == pytest.approx([1.0, 0.0, 1.875, 0.75], rel=1e-15)
    assert a["test_output"] == [0.8, 0.2, 1.5, 0.6]


def test_dropout_not_inverted_by_hand():
    a = solved(rate=0.25, activations=[0.8, 0.2], mask=[0, 1], inverted=False)
    # training h = m·a = (0, 0.2); test (1 − 0.25)·a = (0.6, 0.15)
    assert a["output"] == [0.0, 0.2] and a["test_output"] == pytest.approx([0.6, 0.15], rel=1e-15)


def test_inverted_scaling_is_torch_functional_dropout():
    torch = pytest.importorskip("torch")
    a_values, p = [0.8, 0.2, 1.5, 0.6, 1.0, 0.4], 0.3
    torch.manual_seed(7)
    out = torch.nn.functional.dropout(torch.tensor(a_values, dtype=torch.float64), p=p, training=True)
    mask = [int(v != 0) for v in out.tolist()]  # torch's own mask (no activation is 0)
    a = solved(rate=p, activations=a_values, mask=mask)
    assert a["output"] == pytest.approx(out.tolist(), rel=1e-15)
    assert a["test_output"] == pytest.approx(torch.nn.functional.dropout(torch.tensor(a_values), p=p, training=False).tolist())


def test_a_drawn_mask_is_python_random():
    # unit i dropped when the i-th random() of random.Random(5) is below p (the help says so)
    rng = random.Random(5)
    expected = [0 if rng.random() < 0.4 else 1 for _ in range(6)]
    a = solved(rate=0.4, activations=[1.0] * 6, seed=5)
    assert a["mask"] == expected == drawn_mask(5, 6, 0.4)[1]
    assert a["output"] == pytest.approx([m / 0.6 for m in expected])


def test_expected_training_output_is_the_activation():
    # E[m·a/(1 − p)] = a: averaging many drawn masks comes near a
    n, p = 20_000, 0.3
    a = solved(rate=p, activations=[2.0] * n, seed=1)
    assert math.fsum(a["output"]) / n == pytest.approx(2.0, abs=0.05)


def test_the_default_dropout_problem():
    a = solved(rate=0.5)
    # random.Random(0): 0.844, 0.758, 0.421, 0.259 → kept, kept, dropped, dropped; × 2
    assert a["mask"] == [1, 1, 0, 0] and a["output"] == pytest.approx([1.6, 0.4, 0.0, 0.0])


# --- refusals at the solver level ----------------------------------------------------------------


@pytest.mark.parametrize(("values", "words"), [
    ({"weights": [1e200, 1.0]}, "overflow"),
    ({"weights": [1.0], "steps": 3}, "--steps: needs --lr"),
    ({"weights": [1.0] * 1000, "lr": 0.1, "steps": 51}, "102,000 weight updates; at most 100,000"),
    ({"penalty": ["l1", "l1"]}, "l1 is given twice"),
    ({"l1_ratio": 0.3}, "--l1-ratio: applies to the elastic net only"),
    ({"weights": [1.0, 2.0], "grad": [1.0, 2.0, 3.0]}, "--grad: has 3 values but --weights has 2"),
])
def test_refusals(values, words):
    with pytest.raises(InputError, match=words.replace("(", r"\(")):
        solved(**values)


def test_own_weights_without_targets_have_no_data_loss():
    # the default problem's y, ŷ go with its weights; with other weights and neither --y nor --data-loss: 0
    assert solved(weights=[1.0, -2.0])["data_loss"] == 0.0
    assert solved(weights=[1.0, -2.0], y=[1.0, 0.0], y_hat=[0.5, 0.5])["data_loss"] == pytest.approx(0.25)  # (0.25 + 0.25)/2
    assert solved(lam=0.5)["data_loss"] == pytest.approx(0.29 / 3)
