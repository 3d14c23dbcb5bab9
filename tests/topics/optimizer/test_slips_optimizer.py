"""optimizer's slips and error carried forward, on the default problem (f = w², w0 = 1,
η = 0.1, β = 0.9, ρ = 0.9, β₁ = 0.9, β₂ = 0.999, ε = 1e-8) unless the inputs say otherwise;
every value worked by hand in the comments."""

from __future__ import annotations


def slips(checked) -> set[str]:
    return {d.slip for d in checked.diagnoses}


def test_momentum_in_the_notes_ema_form_is_named(checked_answers):
    # EMA: v₁ = 0.1 · 2 = 0.2 (PyTorch's: 2); w₁ = 1 − 0.1 · 0.2 = 0.98 (right: 0.8)
    found = checked_answers("optimizer", "state.momentum.v.1 = [0.2]")
    assert slips(found["state.momentum.v.1"]) == {"momentum-form"}
    found = checked_answers("optimizer", "params.momentum.1 = [0.98]\nparams.momentum.2 = [0.9424]")
    # w₂ = 0.98 − 0.1 · (0.9 · 0.2 + 0.1 · 1.96) = 0.98 − 0.0376 = 0.9424
    assert slips(found["params.momentum.1"]) == {"momentum-form"} and slips(found["params.momentum.2"]) == {"momentum-form"}


def test_pytorch_s_form_where_the_ema_is_asked_is_named(checked_answers):
    # asked: EMA; given PyTorch's v₁ = 2
    found = checked_answers("optimizer", "state.momentum.v.1 = [2]", 'momentum_form = "ema"')
    assert slips(found["state.momentum.v.1"]) == {"momentum-form"}


def test_adam_without_bias_correction(checked_answers):
    # m̂₁ = m₁ = 0.2 (right: 0.2/0.1 = 2); w₁ = 1 − 0.1 · 0.2/(√0.004 + ε) = 1 − 0.02/0.0632456 = 0.683772
    found = checked_answers("optimizer", "state.adam.m_hat.1 = [0.2]\nparams.adam.1 = [0.6838]")
    assert slips(found["state.adam.m_hat.1"]) == {"no-bias-correction"}
    assert "no-bias-correction" in slips(found["params.adam.1"])


def test_g_instead_of_g_squared(checked_answers):
    # RMSProp: v₁ = 0.1 · 2 = 0.2 (right: 0.1 · 4 = 0.4); AdaGrad: G₁ = 2 (right: 4)
    found = checked_answers("optimizer", "state.rmsprop.v.1 = [0.2]\nstate.adagrad.G.1 = [2]")
    assert slips(found["state.rmsprop.v.1"]) == {"g-not-squared"} and slips(found["state.adagrad.G.1"]) == {"g-not-squared"}


def test_adagrad_without_the_root(checked_answers):
    # w₁ = 1 − 0.1 · 2/(4 + ε) = 0.95 (right: 1 − 0.1 · 2/2 = 0.9)
    assert slips(checked_answers("optimizer", "params.adagrad.1 = [0.95]")["params.adagrad.1"]) == {"adagrad-no-root"}


def test_update_sign(checked_answers):
    # w₁ = 1 + 0.1 · 2 = 1.2
    assert slips(checked_answers("optimizer", "params.gd.1 = [1.2]")["params.gd.1"]) == {"update-sign"}


def test_eps_inside_the_root(checked_answers):
    # ε = 0.5, RMSProp, one step: v₁ = 0.4; right w₁ = 1 − 0.2/(√0.4 + 0.5) = 1 − 0.2/1.132456 = 0.823392;
    # ε inside: 1 − 0.2/√0.9 = 1 − 0.2/0.948683 = 0.789181
    found = checked_answers("optimizer", "params.rmsprop.1 = [0.7892]", 'method = ["rmsprop"]\neps = 0.5\nsteps = 1')
    assert slips(found["params.rmsprop.1"]) == {"eps-inside-root"}


def test_a_wrong_first_step_carries_forward(checked_answers):
    # w₁ = 0.9 (wrong); from it w₂ = 0.9 − 0.1 · 1.8 = 0.72 and f(w₁) = 0.81: right given w₁
    found = checked_answers("optimizer", "params.gd.1 = [0.9]\nparams.gd.2 = [0.72]\nloss.gd.1 = 0.81\nfinal.gd = [0.72]",
                                'method = ["gd"]\nsteps = 2')
    assert found["params.gd.1"].status == "wrong"
    assert found["params.gd.2"].status == "carried" and found["loss.gd.1"].status == "carried"
    assert found["final.gd"].status == "carried"


def test_adam_s_corrected_moments_carry_the_student_s_m(checked_answers):
    # m₁ = 0.3 (wrong), so m̂₁ = 0.3/0.1 = 3 is right given it
    found = checked_answers("optimizer", "state.adam.m.1 = [0.3]\nstate.adam.m_hat.1 = [3]")
    assert found["state.adam.m.1"].status == "wrong" and found["state.adam.m_hat.1"].status == "carried"


def test_a_value_no_slip_gives_is_only_wrong(checked_answers):
    c = checked_answers("optimizer", "params.gd.1 = [0.7]")["params.gd.1"]
    assert c.status == "wrong" and c.diagnoses == ()
