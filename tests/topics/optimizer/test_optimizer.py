"""optimizer against independent truth: hand-worked steps (arithmetic in the comments) and
torch.optim stepped here — SGD (momentum, dampening = 0; nesterov = True), Adagrad
(initial_accumulator_value = 0), RMSprop (alpha = ρ), Adam — on the same quadratic through
autograd, and on given gradients. The notes' EMA momentum has no torch twin (SGD with
dampening = β sets v₁ = g on its first step, the EMA has v₁ = (1 − β)g), so its reference
is a hand loop written here."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlsolve.core.inputs import InputError
from dlsolve.render import to_json, to_text
from dlsolve.runner import derive


def answers(**options):
    return derive("optimizer", options).answers


def close(actual, expected, rel=1e-12, abs=0.0):
    """Nested lists (steps × parameters) equal within the tolerances."""
    np.testing.assert_allclose(np.array(actual, dtype=float), np.array(expected, dtype=float), rtol=rel, atol=abs)


# --- the default problem: f = w² from 1, η = 0.1, 3 steps, all six methods -------------------


def test_default_gd_is_the_issue_s_hand_values():
    a = answers()
    # g = 2w: w₁ = 1 − 0.1·2 = 0.8; w₂ = 0.8 − 0.1·1.6 = 0.64; w₃ = 0.64 − 0.1·1.28 = 0.512
    assert [w[0] for w in a["params"]["gd"]] == pytest.approx([0.8, 0.64, 0.512], abs=1e-15)
    assert a["final"]["gd"] == pytest.approx([0.512], abs=1e-15)
    # f = w²: 0.64, 0.4096, 0.262144
    assert a["loss"]["gd"] == pytest.approx([0.64, 0.4096, 0.262144], abs=1e-15)
    assert list(a["params"]) == ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]


def test_default_momentum_and_nesterov_by_hand():
    a = answers()
    # momentum: v₁ = 2, w₁ = 0.8; g₂ = 1.6, v₂ = 0.9·2 + 1.6 = 3.4, w₂ = 0.8 − 0.34 = 0.46;
    # g₃ = 0.92, v₃ = 0.9·3.4 + 0.92 = 3.98, w₃ = 0.46 − 0.398 = 0.062
    assert [v[0] for v in a["state"]["momentum"]["v"]] == pytest.approx([2, 3.4, 3.98], abs=1e-14)
    assert [w[0] for w in a["params"]["momentum"]] == pytest.approx([0.8, 0.46, 0.062], abs=1e-14)
    # nesterov: w₁ = 1 − 0.1(2 + 0.9·2) = 0.62; g₂ = 1.24, v₂ = 1.8 + 1.24 = 3.04,
    # w₂ = 0.62 − 0.1(1.24 + 2.736) = 0.2224; g₃ = 0.4448, v₃ = 2.736 + 0.4448 = 3.1808,
    # w₃ = 0.2224 − 0.1(0.4448 + 2.86272) = −0.108352 (past the minimum: the overshoot)
    assert [w[0] for w in a["params"]["nesterov"]] == pytest.approx([0.62, 0.2224, -0.108352], abs=1e-14)


def test_one_adam_step_by_hand_without_torch():
    a = answers(method=["adam"], steps="1")
    s = a["state"]["adam"]
    # g = 2; m = 0.1·2 = 0.2; v = 0.001·4 = 0.004; m̂ = 0.2/(1 − 0.9) = 2; v̂ = 0.004/(1 − 0.999) = 4
    assert (s["m"][0][0], s["v"][0][0], s["m_hat"][0][0], s["v_hat"][0][0]) == pytest.approx((0.2, 0.004, 2, 4), rel=1e-12)
    # w = 1 − 0.1·2/(√4 + 1e-8) = 1 − 0.2/2.00000001
    assert a["final"]["adam"][0] == pytest.approx(1 - 0.2 / 2.00000001, abs=1e-15)


def test_adagrad_and_rmsprop_first_steps_by_hand():
    a = answers(method=["adagrad", "rmsprop"], steps="2")
    # AdaGrad: G₁ = 4, w₁ = 1 − 0.1·2/2 = 0.9; g₂ = 1.8, G₂ = 4 + 3.24 = 7.24, w₂ = 0.9 − 0.18/√7.24
    close(a["state"]["adagrad"]["G"], [[4], [7.24]], rel=1e-8)  # ε = 1e-8 moves w₁ by 5e-10
    assert a["params"]["adagrad"][1][0] == pytest.approx(0.9 - 0.18 / math.sqrt(7.24), abs=1e-9)
    # RMSProp: v₁ = 0.1·4 = 0.4, w₁ = 1 − 0.2/(√0.4 + ε) = 0.683772
    assert a["state"]["rmsprop"]["v"][0][0] == pytest.approx(0.4, rel=1e-14)
    assert a["params"]["rmsprop"][0][0] == pytest.approx(1 - 0.2 / (math.sqrt(0.4) + 1e-8), abs=1e-15)


def test_the_notes_ema_momentum_against_a_hand_loop():
    # Not torch's SGD(dampening=β): that sets v₁ = g₁ on its first step; the EMA form has
    # v₁ = (1 − β)g₁. By hand: v₁ = 0.1·2 = 0.2, w₁ = 1 − 0.02 = 0.98; g₂ = 1.96,
    # v₂ = 0.9·0.2 + 0.1·1.96 = 0.376, w₂ = 0.98 − 0.0376 = 0.9424
    a = answers(method=["momentum"], momentum_form="ema", steps="2")
    assert [w[0] for w in a["params"]["momentum"]] == pytest.approx([0.98, 0.9424], abs=1e-15)
    # a longer run, with the recurrence written out here, on a two-parameter bowl
    a = answers(method=["momentum"], momentum_form="ema", steps="12", curvature="1,5", center="0.5,-1", w0="2,2", beta="0.8", lr="0.3")
    w, v = np.array([2.0, 2.0]), np.zeros(2)
    for t in range(12):
        g = np.array([1.0, 5.0]) * (w - np.array([0.5, -1.0]))
        v = 0.8 * v + 0.2 * g
        w = w - 0.3 * v
        assert a["params"]["momentum"][t] == pytest.approx(w.tolist(), rel=1e-12)
        assert a["state"]["momentum"]["v"][t] == pytest.approx(v.tolist(), rel=1e-12)


def test_the_ema_form_is_pytorch_s_with_the_rate_times_one_minus_beta():
    ema = answers(method=["momentum"], momentum_form="ema", lr="0.5", beta="0.75", steps="6")
    pytorch = answers(method=["momentum"], lr=str(0.5 * 0.25), beta="0.75", steps="6")
    close(ema["params"]["momentum"], pytorch["params"]["momentum"], rel=1e-12)


def test_nesterov_ignores_the_momentum_form():
    assert answers(method=["nesterov"], momentum_form="ema")["params"] == answers(method=["nesterov"])["params"]


# --- torch.optim stepped here ----------------------------------------------------------------


def _torch_run(method: str, *, w0, a=None, c=None, grads=None, steps, lr, beta=0.9, rho=0.9, betas=(0.9, 0.999), eps=1e-8):
    """torch.optim's parameters and state after each step: through autograd on ½Σa(w − c)², or given gradients."""
    torch = pytest.importorskip("torch")
    w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
    make = {
        "gd": lambda: torch.optim.SGD([w], lr=lr),
        "momentum": lambda: torch.optim.SGD([w], lr=lr, momentum=beta, dampening=0),
        "nesterov": lambda: torch.optim.SGD([w], lr=lr, momentum=beta, dampening=0, nesterov=True),
        "adagrad": lambda: torch.optim.Adagrad([w], lr=lr, initial_accumulator_value=0, eps=eps),
        "rmsprop": lambda: torch.optim.RMSprop([w], lr=lr, alpha=rho, eps=eps),
        "adam": lambda: torch.optim.Adam([w], lr=lr, betas=betas, eps=eps),
    }
    buffers = {"momentum": {"v": "momentum_buffer"}, "nesterov": {"v": "momentum_buffer"}, "adagrad": {"G": "sum"},
               "rmsprop": {"v": "square_avg"}, "adam": {"m": "exp_avg", "v": "exp_avg_sq"}, "gd": {}}[method]
    optimizer = make[method]()
    params, state = [], {name: [] for name in buffers}
    for t in range(steps):
        optimizer.zero_grad()
        if grads is None:
            (0.5 * (torch.tensor(a, dtype=torch.float64) * (w - torch.tensor(c, dtype=torch.float64)) ** 2).sum()).backward()
        else:
            w.grad = torch.tensor(grads[t], dtype=torch.float64)
        optimizer.step()
        params.append(w.detach().tolist())
        for name, key in buffers.items():
            state[name].append(optimizer.state[w][key].tolist())
    return params, state


METHODS = ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]


@pytest.mark.parametrize("method", METHODS)
def test_default_problem_matches_torch(method):
    params, state = _torch_run(method, w0=[1.0], a=[2.0], c=[0.0], steps=3, lr=0.1)
    a = answers()
    close(a["params"][method], params, rel=1e-12, abs=1e-15)
    for name, values in state.items():
        close(a["state"][method][name], values, rel=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_a_two_parameter_bowl_over_many_steps_matches_torch(method):
    options = dict(curvature="1,8", center="0.5,-2", w0="3,1", lr="0.05", steps="40", beta="0.7", rho="0.8", beta1="0.85",
                   beta2="0.99", eps="0.001")
    params, state = _torch_run(method, w0=[3.0, 1.0], a=[1.0, 8.0], c=[0.5, -2.0], steps=40, lr=0.05, beta=0.7, rho=0.8,
                               betas=(0.85, 0.99), eps=0.001)
    a = answers(method=[method], **options)
    close(a["params"][method], params, rel=1e-10, abs=1e-13)
    for name, values in state.items():
        close(a["state"][method][name], values, rel=1e-10, abs=1e-13)
    # f after each step from torch's parameters
    f = [0.5 * (1 * (x - 0.5) ** 2 + 8 * (y + 2) ** 2) for x, y in params]
    assert a["loss"][method] == pytest.approx(f, rel=1e-10, abs=1e-13)


@pytest.mark.parametrize("method", METHODS)
def test_given_gradients_match_torch(method):
    grads = [[0.5, -1.0], [-0.2, 0.4], [0.3, 0.0]]
    params, state = _torch_run(method, w0=[1.0, -1.0], grads=grads, steps=3, lr=0.01)
    a = answers(method=[method], grads="0.5,-1; -0.2,0.4; 0.3,0", w0="1,-1", lr="0.01")
    close(a["params"][method], params, rel=1e-12, abs=1e-15)
    for name, values in state.items():
        close(a["state"][method][name], values, rel=1e-12, abs=1e-15)
    assert a["loss"] is None


def test_adam_bias_corrections_against_torch_s_state():
    # torch keeps m and v; m̂ and v̂ are m/(1 − β₁ᵗ) and v/(1 − β₂ᵗ) of torch's buffers
    _, state = _torch_run("adam", w0=[1.0], grads=[[0.5], [-0.2]], steps=2, lr=0.01)
    a = answers(method=["adam"], grads="0.5; -0.2", lr="0.01")["state"]["adam"]
    for t in (1, 2):
        assert a["m_hat"][t - 1][0] == pytest.approx(state["m"][t - 1][0] / (1 - 0.9**t), rel=1e-12)
        assert a["v_hat"][t - 1][0] == pytest.approx(state["v"][t - 1][0] / (1 - 0.999**t), rel=1e-12)


# --- the written solution ----------------------------------------------------------------------


def test_every_step_shows_its_formula_with_numbers():
    text = to_text.render(derive("optimizer", {}), 4, 0)
    assert "g₂ = a(w₁ − c) = 2 · (0.8 − 0) = 1.6" in text
    assert "v₂ = β v₁ + g₂ = 0.9 · 2 + 1.6 = 3.4" in text
    assert "m̂₂ = m₂/(1 − β₁²) = 0.36/(1 − 0.9²) = 0.36/0.19 = 1.8947" in text
    assert "G₂ = G₁ + g₂² = 4 + 1.8² = 7.24" in text
    assert "w₃ = w₂ − η g₃ = 0.64 − 0.1 · 1.28 = 0.512" in text


def test_the_comparison_shows_overshoot_and_adagrad_s_shrinking_step():
    text = to_text.render(derive("optimizer", {}), 4, 0)
    assert "Side by side" in text
    assert "Nesterov overshoots: w − c changes sign at step 3" in text
    assert "AdaGrad's steps shrink, 0.1 → 0.05265" in text


def test_notes_name_the_conventions_and_the_notes_errors():
    derivation = derive("optimizer", {})
    text = " ".join(to_text.render(derivation, 4, 0).split())
    assert "η(1 − β) = 0.01" in text and "w ← w − η (g + β v)" in text
    errata = [n for n in derivation.notes if n.kind == "erratum"]
    assert len(errata) == 3
    assert "RMSProp section \"Adam (Adaptive Moment Estimation)\"" in text and "the gradient must be squared" in text
    assert "garbled" in text


def test_json_answers_follow_the_spec():
    import json

    data = json.loads(to_json.render(derive("optimizer", {})))
    assert list(data["answers"]) == ["params", "final", "loss", "state"]
    assert "gd" not in data["answers"]["state"]  # GD keeps no state
    assert derive("optimizer", {"method": ["gd"]}).answers["state"] is None
    assert list(data["answers"]["state"]["adam"]) == ["m", "v", "m_hat", "v_hat"]
    assert data["inputs"]["method"] == METHODS and data["inputs"]["steps"] == 3 and data["inputs"]["w0"] == [1.0]


def test_many_steps_are_tabled_not_written_out():
    derivation = derive("optimizer", {"method": ["adam"], "steps": "500"})
    assert len(derivation.steps) == 2  # the problem, one table for the method
    assert len(derivation.answers["params"]["adam"]) == 500


@pytest.mark.parametrize(("options", "words"), [
    ({"lr": "1e308", "curvature": "1e10"}, "overflows double precision"),
    ({"method": ["adagrad"], "eps": "0", "w0": "0"}, "divides 0 by 0"),
])
def test_a_run_that_leaves_double_precision_is_refused(options, words):
    with pytest.raises(InputError, match=words):
        derive("optimizer", options)
