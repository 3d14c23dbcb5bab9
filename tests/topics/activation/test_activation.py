"""activation against independent truth: values worked by hand (arithmetic in the comments),
central finite differences for every slope away from a kink, torch.nn.functional for every
value and torch autograd for every derivative (at the kinks too) and for softmax's Jacobian
(torch.autograd.functional.jacobian) when torch is installed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlsolve.core.activations import ACTIVATIONS, SIGMOID, elementwise, softmax, softmax_jacobian
from dlsolve.core.inputs import InputError
from dlsolve.render import to_text
from dlsolve.runner import derive

NAMES = ("sigmoid", "tanh", "relu", "leaky-relu", "prelu", "relu6", "elu", "swish", "hard-swish")
KINKS = {"relu": (0.0,), "leaky-relu": (0.0,), "prelu": (0.0,), "relu6": (0.0, 6.0), "elu": (0.0,), "hard-swish": (-3.0, 3.0)}


def answers(**options: str):
    return derive("activation", options).answers


# --- numbers worked by hand ------------------------------------------------------------------


def test_the_issues_sigmoid_at_2():
    a = answers(x="2", function=["sigmoid"])
    # σ(2) = 1/(1 + e^(−2)) = 1/(1 + 0.1353353) = 0.8807971; σ′(2) = 0.8807971 · 0.1192029 = 0.1049936
    assert a["values"]["sigmoid"] == pytest.approx([0.8807971], abs=1e-7)
    assert a["derivatives"]["sigmoid"] == pytest.approx([0.1049936], abs=1e-7)
    text = to_text.render(derive("activation", {"x": "2", "function": ["sigmoid"]}), decimals=4)
    assert "σ(2) = 1/(1 + e⁻²) = 0.8808" in text
    assert "σ′(2) = 0.8808 · (1 − 0.8808) = 0.105" in text


def test_default_problem_by_hand():
    a = derive("activation", {}).answers
    v, d = a["values"], a["derivatives"]
    assert list(v) == [*NAMES, "softmax"] and list(d) == [*NAMES, "softmax"]
    # tanh(1) = (e − 1/e)/(e + 1/e) = 2.3504024/3.0861613 = 0.7615942; tanh′(1) = 1 − 0.5800257 = 0.4199743
    assert v["tanh"][3] == pytest.approx(0.7615942, abs=1e-7) and d["tanh"][3] == pytest.approx(0.4199743, abs=1e-7)
    assert v["relu"] == [0, 0, 0, 1, 2] and d["relu"] == [0, 0, 0, 1, 1]
    assert v["leaky-relu"] == pytest.approx([-0.02, -0.01, 0, 1, 2]) and d["leaky-relu"] == pytest.approx([0.01, 0.01, 0.01, 1, 1])
    assert v["prelu"] == pytest.approx([-0.5, -0.25, 0, 1, 2]) and d["prelu"] == pytest.approx([0.25, 0.25, 0.25, 1, 1])
    # ELU(−1) = e^(−1) − 1 = −0.6321206, ELU′(−1) = e^(−1) = 0.3678794
    assert v["elu"][1] == pytest.approx(-0.6321206, abs=1e-7) and d["elu"][1] == pytest.approx(0.3678794, abs=1e-7)
    # swish(1) = σ(1) = 0.7310586; swish′(1) = σ(1) + σ(1)σ(−1) = 0.7310586 + 0.1966119 = 0.9276705
    assert v["swish"][3] == pytest.approx(0.7310586, abs=1e-7) and d["swish"][3] == pytest.approx(0.9276705, abs=1e-7)
    # hardswish(1) = 1 · 4/6 = 0.6666667; hardswish′(1) = (2 + 3)/6 = 0.8333333; hardswish(−2) = −2 · 1/6
    assert v["hard-swish"] == pytest.approx([-1 / 3, -1 / 3, 0, 2 / 3, 5 / 3]) and d["hard-swish"][3] == pytest.approx(5 / 6)
    # softmax(−2 … 2): e^(x − 2) = e⁻⁴, e⁻³, e⁻², e⁻¹, 1 = 0.0183156, 0.0497871, 0.1353353, 0.3678794, 1; Σ = 1.5713174
    total = 0.0183156 + 0.0497871 + 0.1353353 + 0.3678794 + 1
    assert v["softmax"] == pytest.approx([0.0183156 / total, 0.0497871 / total, 0.1353353 / total, 0.3678794 / total, 1 / total], abs=1e-7)
    # J₅₅ = s₅(1 − s₅) = 0.6364086 · 0.3635914 = 0.2313927; J₁₂ = −s₁ s₂ = −0.0116562 · 0.0316849 = −0.0003693
    J = np.array(d["softmax"])
    assert J[4, 4] == pytest.approx(0.2313927, abs=1e-7) and J[0, 1] == pytest.approx(-0.0003693, abs=1e-7)
    assert np.allclose(J.sum(axis=1), 0, atol=1e-15) and np.array_equal(J, J.T)


def test_kink_conventions_by_hand():
    a = answers(x="-3,0,3,6")
    d = a["derivatives"]
    assert d["relu"][1] == 0 and d["leaky-relu"][1] == 0.01 and d["prelu"][1] == 0.25
    assert d["relu6"] == [0, 0, 1, 0] and d["elu"][1] == 1 and d["hard-swish"][0] == 0 and d["hard-swish"][2] == 1
    assert answers(x="0", function=["elu"], elu_alpha="2")["derivatives"]["elu"] == [2.0]  # α·e⁰, the left side


def test_alphas_are_used():
    a = answers(x="-2", function=["leaky-relu", "prelu", "elu"], alpha="0.1", prelu_alpha="0.5", elu_alpha="2")
    # 0.1 · (−2) = −0.2; 0.5 · (−2) = −1; 2(e⁻² − 1) = 2 · (−0.8646647) = −1.7293294, slope 2e⁻² = 0.2706706
    assert a["values"]["leaky-relu"] == [pytest.approx(-0.2)] and a["values"]["prelu"] == [-1.0]
    assert a["values"]["elu"] == [pytest.approx(-1.7293294, abs=1e-7)]
    assert a["derivatives"]["elu"] == [pytest.approx(0.2706706, abs=1e-7)] and a["derivatives"]["leaky-relu"] == [0.1]


# --- finite differences (no torch needed) ------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_slope_matches_central_differences_away_from_the_kinks(name):
    x = np.array([-4.5, -2.5, -1.25, -0.5, 0.75, 1.5, 2.5, 4.5, 7.0])
    fs = elementwise(0.01, 0.25, 1.5)
    a = answers(x=",".join(map(str, x)), function=[name], elu_alpha="1.5")
    h = 1e-6
    numeric = (fs[name].apply(x + h) - fs[name].apply(x - h)) / (2 * h)
    assert a["derivatives"][name] == pytest.approx(numeric.tolist(), abs=1e-7)


def test_softmax_jacobian_matches_central_differences():
    x = np.array([0.5, -1.0, 2.0, 0.0])
    a = answers(x="0.5,-1,2,0", function=["softmax"])
    h = 1e-6
    numeric = np.column_stack([(softmax(x + h * e).s - softmax(x - h * e).s) / (2 * h) for e in np.eye(4)])
    assert np.allclose(a["derivatives"]["softmax"], numeric, atol=1e-9)


# --- torch ----------------------------------------------------------------------------------


def _torch_functions(torch, alpha: float, prelu_alpha: float, elu_alpha: float):
    F = torch.nn.functional
    return {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": F.relu, "leaky-relu": lambda t: F.leaky_relu(t, alpha),
            "prelu": lambda t: F.prelu(t, torch.tensor([prelu_alpha], dtype=t.dtype)), "relu6": F.relu6,
            "elu": lambda t: F.elu(t, elu_alpha), "swish": F.silu, "hard-swish": F.hardswish}


@pytest.mark.parametrize(("alpha", "prelu_alpha", "elu_alpha"), [(0.01, 0.25, 1.0), (0.2, 0.5, 2.0)])
def test_values_and_derivatives_match_torch_autograd_at_the_kinks_too(alpha, prelu_alpha, elu_alpha):
    torch = pytest.importorskip("torch")
    xs = [-6.0, -3.0, -2.5, -1.0, 0.0, 0.5, 1.0, 3.0, 4.5, 6.0, 7.0]
    a = answers(x=",".join(map(str, xs)), alpha=str(alpha), prelu_alpha=str(prelu_alpha), elu_alpha=str(elu_alpha))
    for name, f in _torch_functions(torch, alpha, prelu_alpha, elu_alpha).items():
        t = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
        y = f(t)
        (grad,) = torch.autograd.grad(y.sum(), t)
        assert a["values"][name] == pytest.approx(y.detach().tolist(), abs=1e-12), name
        assert a["derivatives"][name] == pytest.approx(grad.tolist(), abs=1e-12), name


def test_softmax_and_its_jacobian_match_torch():
    torch = pytest.importorskip("torch")
    xs = [-2.0, -1.0, 0.0, 1.0, 2.0]
    a = answers(x="-2,-1,0,1,2", function=["softmax"])
    t = torch.tensor(xs, dtype=torch.float64)
    assert a["values"]["softmax"] == pytest.approx(torch.softmax(t, 0).tolist(), abs=1e-15)
    J = torch.autograd.functional.jacobian(lambda z: torch.softmax(z, 0), t)
    assert np.allclose(a["derivatives"]["softmax"], J.numpy(), atol=1e-15)


def test_softmax_of_large_logits_matches_torch_where_the_naive_formula_overflows():
    torch = pytest.importorskip("torch")
    a = answers(x="1000,1001,999", function=["softmax"])
    assert a["values"]["softmax"] == pytest.approx(torch.softmax(torch.tensor([1000.0, 1001.0, 999.0], dtype=torch.float64), 0).tolist())


# --- saturation, softmax's stability, the notes' e^(−100) -----------------------------------------


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_saturation_neither_overflows_nor_warns():
    a = answers(x="-1000,-100,100,1000,1e308,-1e308")
    s = a["derivatives"]["sigmoid"]
    # σ′(±100) = e^(−100)/(1 + e^(−100))² = 3.720076e-44 (e^(−100) = 3.720076e-44, published: Wolfram Alpha)
    assert s[1] == pytest.approx(3.720076e-44, rel=1e-6) and s[2] == pytest.approx(3.720076e-44, rel=1e-6)
    assert s[0] == 0 and a["values"]["sigmoid"][3] == 1 and a["values"]["tanh"][4] == 1
    assert a["values"]["softmax"][4] == 1 and a["values"]["hard-swish"][4] == 1e308
    for v in (*a["values"].values(), *a["derivatives"].values()):
        assert np.all(np.isfinite(np.array(v, dtype=float)))


def test_the_notes_e_minus_100_is_named_from_100_on():
    assert math.exp(-100) == pytest.approx(3.720076e-44, rel=1e-6)  # and the notes' 26 × 10⁻⁴² is 699 times too large
    text = to_text.render(derive("activation", {"x": "-100,0,100", "function": ["sigmoid"]}), decimals=4)
    assert "e⁻¹⁰⁰ = 26 × 10⁻⁴²" in text and "e⁻¹⁰⁰ = 3.72 × 10⁻⁴⁴" in text and "699 times too large" in text
    assert "σ′(100) = e⁻¹⁰⁰/(1 + e⁻¹⁰⁰)² = 3.72 × 10⁻⁴⁴" in text
    for x in ("-99,99", "50"):  # below 100 the notes' example is not shown
        assert not [n for n in derive("activation", {"x": x, "function": ["sigmoid"]}).notes if n.kind == "erratum"]
    assert not [n for n in derive("activation", {"x": "100", "function": ["tanh"]}).notes if n.kind == "erratum"]  # the sigmoid's slip


def test_the_vanishing_gradient_note():
    text = to_text.render(derive("activation", {}), decimals=4)
    # 0.25⁵ = 1/1024 = 0.0009765625
    assert "σ′(x) = σ(x)(1 − σ(x)) ≤ 0.25" in text and "0.25⁵ = 0.0009766" in text


def test_softmax_shows_the_maximum_subtracted_and_why():
    text = to_text.render(derive("activation", {"x": "1000,1001,999", "function": ["softmax"]}), decimals=4)
    assert "m = max(1000, 1001, 999) = 1001" in text and "e⁷¹⁰ = ∞" in text and "e¹⁰⁰¹ = ∞" in text
    # Σ e^(x − m) = e⁻¹ + 1 + e⁻² = 0.3678794 + 1 + 0.1353353 = 1.5032147
    assert "Σⱼ e^(xⱼ − m) = 0.3679 + 1 + 0.1353 = 1.5032" in text


def test_kinks_are_stated_in_the_notes():
    text = " ".join(to_text.render(derive("activation", {}), decimals=4).split())
    for convention in ("ReLU′(0) = 0", "LeakyReLU′(0) = α = 0.01", "PReLU′(0) = α = 0.25", "ReLU6′(0) = 0", "ReLU6′(6) = 0",
                       "ELU′(0) = α = 1", "hardswish′(−3) = 0", "hardswish′(3) = 1"):
        assert convention in text


def test_backprop_keeps_its_four_activations():
    assert list(ACTIVATIONS) == ["sigmoid", "tanh", "relu", "linear"]
    assert SIGMOID.slope(np.array([0.0]), np.array([0.5])).tolist() == [0.25]


def test_softmax_jacobian_is_diag_minus_outer():
    s = np.array([0.2, 0.3, 0.5])
    # diag(0.2, 0.3, 0.5) − s sᵀ: J₁₁ = 0.2 − 0.04 = 0.16, J₁₂ = −0.06, J₂₃ = −0.15, J₃₃ = 0.5 − 0.25 = 0.25
    J = softmax_jacobian(s)
    assert J[0, 0] == pytest.approx(0.16) and J[0, 1] == pytest.approx(-0.06) and J[1, 2] == pytest.approx(-0.15)
    assert J[2, 2] == pytest.approx(0.25)


# --- inputs ---------------------------------------------------------------------------------


def test_functions_in_the_order_given_with_underscores_accepted():
    a = answers(x="1", function=["softmax", "hard_swish", "tanh"])
    assert list(a["values"]) == ["softmax", "hard-swish", "tanh"]


@pytest.mark.parametrize(("options", "message"), [
    ({"function": ["relu", "relu"]}, "--function: relu is given twice"),
    ({"function": ["gelu"]}, "--function (function 1): 'gelu' is not one of sigmoid"),
    ({"x": ",".join(["1"] * 1001)}, "--x: has 1,001 numbers; at most 1,000"),
    ({"x": "-1e300", "alpha": "1e300", "function": ["leaky-relu"]}, "--x/--alpha: leaky-relu of these values overflows"),
    ({"x": "-1e300", "elu_alpha": "-1e300", "function": ["elu"]}, None),  # α(eˣ − 1) = 1e300: fine
])
def test_bad_inputs_are_refused_in_one_line(options, message):
    if message is None:
        assert answers(**options)["values"]["elu"] == [pytest.approx(1e300)]
        return
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        derive("activation", options)
