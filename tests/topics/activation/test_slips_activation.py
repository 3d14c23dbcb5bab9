"""activation's slips for check, each a wrong answer worked by hand in its comment, and the
derivatives carried forward from a student's own values."""

from __future__ import annotations

import pytest


X3 = 'x = [-1, 0, 2]\nfunction = ["sigmoid", "tanh", "relu", "leaky-relu", "relu6", "elu", "swish", "hard-swish", "softmax"]\n'


@pytest.fixture
def check(checked_answers):
    """``check(answers, inputs=X3)``: the judged answers by key."""
    return lambda answers, inputs=X3: checked_answers("activation", answers, inputs)


def slips(checked) -> set[str]:
    return {d.slip for d in checked.diagnoses}


def test_sigma_prime_written_as_sigma(check):
    # σ(−1) = 0.2689, σ(0) = 0.5, σ(2) = 0.8808 given as the slopes (right: 0.1966, 0.25, 0.105)
    c = check("derivatives.sigmoid = [0.2689, 0.5, 0.8808]")["derivatives.sigmoid"]
    assert c.status == "wrong" and slips(c) == {"sigma-prime-as-sigma"}


def test_sigma_prime_from_x(check):
    # x(1 − x): −1 · 2 = −2, 0, 2 · (−1) = −2
    assert slips(check("derivatives.sigmoid = [-2, 0, -2]")["derivatives.sigmoid"]) == {"sigma-prime-of-x"}


def test_tanh_prime_not_squared(check):
    # 1 − tanh: 1 + 0.7616 = 1.7616, 1, 1 − 0.964 = 0.036 (right: 0.42, 1, 0.0707)
    assert slips(check("derivatives.tanh = [1.7616, 1, 0.036]")["derivatives.tanh"]) == {"tanh-prime-not-squared"}


def test_leaky_slope_on_the_positive_side(check):
    # x for x ≤ 0, 0.01x for x > 0: −1, 0, 0.02 (right: −0.01, 0, 2); slopes 1, 1, 0.01
    assert slips(check("values.leaky-relu = [-1, 0, 0.02]")["values.leaky-relu"]) == {"leaky-slope-positive-side"}
    assert "leaky-slope-positive-side" in slips(check("derivatives.leaky_relu = [1, 1, 0.01]")["derivatives.leaky-relu"])


@pytest.mark.parametrize(("answers", "key", "slip"), [
    ("derivatives.relu = [0, 1, 1]", "derivatives.relu", "kink-relu"),  # ReLU′(0) = 1: the right-hand slope
    ("derivatives.relu6 = [0, 1, 1]", "derivatives.relu6", "kink-relu6"),
    ("derivatives.leaky_relu = [0.01, 1, 1]", "derivatives.leaky-relu", "kink-leaky-relu"),
])
def test_the_other_side_of_a_kink(check, answers, key, slip):
    assert slip in slips(check(answers)[key])


def test_hard_swish_at_minus_3_from_the_right(check):
    # (2 · (−3) + 3)/6 = −0.5 at x = −3 (PyTorch: 0); x = 1: (2 + 3)/6 = 0.8333
    c = check("derivatives.hard-swish = [-0.5, 0.8333]", 'x = [-3, 1]\nfunction = ["hard-swish"]\n')["derivatives.hard-swish"]
    assert slips(c) == {"kink-hard-swish"}


def test_swish_without_the_product_rule(check):
    # σ(x) alone: 0.2689, 0.5, 0.8808 (right: 0.0723, 0.5, 1.0908)
    assert slips(check("derivatives.swish = [0.2689, 0.5, 0.8808]")["derivatives.swish"]) == {"swish-product-rule"}


def test_elu_without_alpha(check):
    # α = 2: e⁻¹ − 1 = −0.6321 instead of 2(e⁻¹ − 1) = −1.2642
    inputs = 'x = [-1, 0, 2]\nfunction = ["elu"]\nelu_alpha = 2\n'
    assert slips(check("values.elu = [-0.6321, 0, 2]", inputs)["values.elu"]) == {"elu-alpha-missing"}


def test_softmax_not_normalized(check):
    # e^x: e⁻¹ = 0.3679, 1, e² = 7.3891 (Σ = 8.7570; right: 0.042, 0.1142, 0.8438)
    assert slips(check("values.softmax = [0.3679, 1, 7.3891]")["values.softmax"]) == {"softmax-not-normalized"}
    # e^(x − 2): e⁻³ = 0.04979, e⁻² = 0.1353, 1
    assert slips(check("values.softmax = [0.04979, 0.1353, 1]")["values.softmax"]) == {"softmax-shifted-not-normalized"}


def test_jacobian_slips(check):
    # s = (0.04201, 0.1142, 0.8438): diagonal alone s(1 − s) = 0.04025, 0.1012, 0.1318 (a bare 0 would be
    # judged to ±0.5, so right: the zeros are written to 4 places)
    diagonal = "derivatives.softmax = [[0.04025, 0.0000, 0.0000], [0.0000, 0.1012, 0.0000], [0.0000, 0.0000, 0.1318]]"
    assert "jacobian-diagonal-only" in slips(check(diagonal)["derivatives.softmax"])
    # the sign flipped: −0.04025, 0.1012 … on the diagonal; +sᵢsⱼ off it (0.04201 · 0.1142 = 0.004797)
    flipped = ("derivatives.softmax = [[-0.04025, 0.004797, 0.03545], [0.004797, -0.1012, 0.09636], "
               "[0.03545, 0.09636, -0.1318]]")
    assert slips(check(flipped)["derivatives.softmax"]) == {"jacobian-sign"}


def test_derivatives_carried_forward_from_the_students_values(check):
    # the student's σ(2) = 0.88 → σ′ = 0.88 · 0.12 = 0.1056 (right: 0.105, and 0.1056 is wrong to 4 places)
    c = check("values.sigmoid = [0.2689, 0.5, 0.88]\nderivatives.sigmoid = [0.1966, 0.25, 0.1056]")["derivatives.sigmoid"]
    assert c.status == "carried"
    # the student's tanh(−1) = −0.75 → 1 − 0.5625 = 0.4375
    c = check("values.tanh = [-0.75, 0, 0.964]\nderivatives.tanh = [0.4375, 1, 0.07070]")["derivatives.tanh"]
    assert c.status == "carried"
    # the student's s = (0.1, 0.2, 0.7) → J₁₁ = 0.09, J₁₂ = −0.02, J₁₃ = −0.07, J₂₂ = 0.16, J₂₃ = −0.14, J₃₃ = 0.21
    c = check("values.softmax = [0.1, 0.2, 0.7]\nderivatives.softmax = [[0.09, -0.02, -0.07], [-0.02, 0.16, -0.14], [-0.07, -0.14, 0.21]]")
    assert c["values.softmax"].status == "wrong" and c["derivatives.softmax"].status == "carried"
