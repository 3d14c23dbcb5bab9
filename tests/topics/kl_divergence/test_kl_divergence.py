"""kl-divergence against independent truth: hand-worked closed forms (arithmetic in the
comments), Wikipedia's published discrete example, scipy.special.rel_entr / scipy.stats.entropy
computed here, ∫ q log(q/p) integrated numerically by scipy, and torch.distributions.kl_divergence
when torch is installed (each torch comparison has a quadrature twin that runs without torch)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from dlsolve.core.inputs import InputError
from dlsolve.render import to_json, to_text
from dlsolve.runner import derive


def answers(**options: str):
    """The answers for command-line style option values (``p="0.5,0.5"``)."""
    return derive("kl-divergence", options).answers


# --- the default problem: the VAE term of a 3-dimensional latent -----------------------------


def test_default_problem_is_the_vae_term_worked_by_hand():
    a = derive("kl-divergence", {}).answers
    assert a["mode"] == "vae"
    # μ = (0.5, −1, 0), σ = (0.8, 1.5, 1): σ² = 0.64, 2.25, 1; ln σ² = −0.4462871, 0.8109302, 0
    # KL₁ = ½(0.64 + 0.25 + 0.4462871 − 1) = ½ · 0.3362871 = 0.1681436
    # KL₂ = ½(2.25 + 1 − 0.8109302 − 1)    = ½ · 1.4390698 = 0.7195349
    # KL₃ = ½(1 + 0 − 0 − 1)               = 0
    assert a["terms"] == pytest.approx([0.1681436, 0.7195349, 0.0], abs=1e-7)
    assert a["kl"] == pytest.approx(0.1681436 + 0.7195349, abs=1e-7)


def test_default_problem_names_the_notes_formula_error_with_its_value():
    derivation = derive("kl-divergence", {})
    errata = [n for n in derivation.notes if n.kind == "erratum"]
    assert len(errata) == 1
    text = to_text.render(derivation, decimals=6)
    # the notes' Σ(σ² + μ² − ln σ − 1): ln 0.8 = −0.2231436, ln 1.5 = 0.4054651
    # (0.64 + 0.25 + 0.2231436 − 1) + (2.25 + 1 − 0.4054651 − 1) + 0 = 0.1131436 + 1.8445349 = 1.957678
    assert "Their formula gives 1.957678 nats here instead of 0.887678" in text
    assert "the factor ½ is missing and log σᵢ should be log σᵢ²" in text and "In the VAE section" in text


def test_default_problem_text_substitutes_every_number():
    text = to_text.render(derive("kl-divergence", {}), decimals=4)
    assert "KL₁ = ½(0.64 + 0.5² − (−0.4463) − 1) = ½ · 0.3363 = 0.1681" in text
    assert "KL₂ = ½(2.25 + (−1)² − 0.8109 − 1) = ½ · 1.4391 = 0.7195" in text
    assert "Σᵢ KLᵢ = 0.1681 + 0.7195 + 0 = 0.8877 nats" in text


def gaussian_kl_by_quadrature(mu1: float, s1: float, mu2: float, s2: float) -> float:
    """KL(N(mu1, s1²) ‖ N(mu2, s2²)) = ∫ q log(q/p), integrated numerically by scipy (no closed form)."""
    from scipy import integrate

    def log_density(x: float, mu: float, s: float) -> float:  # log of e^(−(x − μ)²/2s²)/(s√(2π))
        return -0.5 * ((x - mu) / s) ** 2 - math.log(s) - 0.5 * math.log(2 * math.pi)

    def integrand(x: float) -> float:
        log_q = log_density(x, mu1, s1)
        return math.exp(log_q) * (log_q - log_density(x, mu2, s2))

    value, _ = integrate.quad(integrand, mu1 - 40 * s1, mu1 + 40 * s1, points=[mu1], epsabs=1e-13, epsrel=1e-12, limit=200)
    return value


def vae_problem():
    rng = np.random.default_rng(7)
    return rng.normal(size=5), rng.uniform(0.2, 3.0, size=5)


def test_vae_agrees_with_numerical_integration_per_dimension():
    """The torch comparison's twin: each term is ∫ q log(q/p) against N(0, 1), by quadrature."""
    mu, sigma = vae_problem()
    a = answers(mu=",".join(map(str, mu.tolist())), sigma=",".join(map(str, sigma.tolist())))
    expected = [gaussian_kl_by_quadrature(m, s, 0.0, 1.0) for m, s in zip(mu, sigma)]
    assert a["terms"] == pytest.approx(expected, rel=1e-8, abs=1e-12)
    assert a["kl"] == pytest.approx(sum(expected), rel=1e-8)


def test_vae_agrees_with_torch_per_dimension():
    torch = pytest.importorskip("torch")
    mu, sigma = vae_problem()
    a = answers(mu=",".join(map(str, mu.tolist())), sigma=",".join(map(str, sigma.tolist())))
    N = torch.distributions.Normal
    expected = torch.distributions.kl_divergence(N(torch.tensor(mu), torch.tensor(sigma)), N(0.0, 1.0)).numpy()
    assert a["terms"] == pytest.approx(expected.tolist(), rel=1e-12, abs=1e-15)
    assert a["kl"] == pytest.approx(float(expected.sum()), rel=1e-12)


def test_vae_from_log_variances_worked_by_hand():
    a = answers(mu="0.2,-0.4,1", log_var="0,-1,0.5")
    # σ² = e⁰ = 1, e⁻¹ = 0.36787944, e^0.5 = 1.64872127
    # KL₁ = ½(1 + 0.04 − 0 − 1) = 0.02
    # KL₂ = ½(0.36787944 + 0.16 + 1 − 1) = 0.26393972
    # KL₃ = ½(1.64872127 + 1 − 0.5 − 1) = 0.57436064
    assert a["terms"] == pytest.approx([0.02, 0.26393972, 0.57436064], abs=1e-8)
    assert a["kl"] == pytest.approx(0.02 + 0.26393972 + 0.57436064, abs=1e-8)


LOG_VAR_PROBLEM = ([0.3, -2.0, 0.0, 1.1], [-3.0, 0.4, 2.5, 0.0])


def test_vae_log_var_agrees_with_numerical_integration():
    """The torch comparison's twin: σ = e^(log σ²/2), then ∫ q log(q/p) by quadrature."""
    mu, log_var = LOG_VAR_PROBLEM
    a = answers(mu=",".join(map(str, mu)), log_var=",".join(map(str, log_var)))
    expected = sum(gaussian_kl_by_quadrature(m, math.exp(0.5 * lv), 0.0, 1.0) for m, lv in zip(mu, log_var))
    assert a["kl"] == pytest.approx(expected, rel=1e-8)


def test_vae_log_var_agrees_with_torch():
    torch = pytest.importorskip("torch")
    mu, log_var = LOG_VAR_PROBLEM
    a = answers(mu=",".join(map(str, mu)), log_var=",".join(map(str, log_var)))
    q = torch.distributions.Normal(torch.tensor(mu, dtype=torch.float64), torch.exp(0.5 * torch.tensor(log_var, dtype=torch.float64)))
    expected = torch.distributions.kl_divergence(q, torch.distributions.Normal(0.0, 1.0)).sum().item()
    assert a["kl"] == pytest.approx(expected, rel=1e-12)


def test_vae_in_bits_divides_by_ln_2():
    nats, bits = answers(mu="0.5,-1,0", sigma="0.8,1.5,1"), answers(mu="0.5,-1,0", sigma="0.8,1.5,1", base="2")
    assert bits["kl"] == pytest.approx(nats["kl"] / math.log(2), rel=1e-14)
    assert bits["terms"] == pytest.approx([t / math.log(2) for t in nats["terms"]], rel=1e-14)


def test_a_latent_equal_to_the_prior_has_zero_kl():
    assert answers(mu="0,0", sigma="1,1")["kl"] == 0.0


# --- discrete ----------------------------------------------------------------------------


WIKI_P, WIKI_Q = "0.36,0.48,0.16", "1/3,1/3,1/3"  # Wikipedia, "Kullback–Leibler divergence", basic example


def test_discrete_matches_wikipedias_published_example():
    a = answers(p=WIKI_P, q=WIKI_Q)
    assert a["mode"] == "discrete"
    assert a["kl"] == pytest.approx(0.0852996, abs=5e-8)  # published: D(P‖Q) = 0.0852996
    assert a["reverse"] == pytest.approx(0.097455, abs=5e-7)  # published: D(Q‖P) = 0.097455


def test_discrete_agrees_with_scipy_in_every_base():
    from scipy.special import rel_entr
    from scipy.stats import entropy

    p, q = np.array([0.1, 0.2, 0.3, 0.4]), np.array([0.25, 0.25, 0.4, 0.1])
    for base, b in (("e", None), ("2", 2), ("10", 10)):
        a = answers(p="0.1,0.2,0.3,0.4", q="0.25,0.25,0.4,0.1", base=base)
        scale = 1.0 if b is None else math.log(b)
        assert a["terms"] == pytest.approx((rel_entr(p, q) / scale).tolist(), rel=1e-12)
        assert a["kl"] == pytest.approx(entropy(p, q, base=b), rel=1e-12)
        assert a["reverse"] == pytest.approx(entropy(q, p, base=b), rel=1e-12)
        assert a["entropy_p"] == pytest.approx(entropy(p, base=b), rel=1e-12)
        # cross-entropy −Σ p log q, straight from its definition
        assert a["cross_entropy"] == pytest.approx(-np.sum(p * np.log(q)) / scale, rel=1e-12)


def test_cross_entropy_is_entropy_plus_kl_by_hand():
    a = answers(p="0.5,0.5", q="0.25,0.75")
    # KL = 0.5 ln 2 + 0.5 ln(2/3) = 0.34657359 − 0.20273255 = 0.14384104
    # H(P) = ln 2 = 0.69314718;  H(P,Q) = −0.5 ln 0.25 − 0.5 ln 0.75 = 0.69314718 + 0.14384104 = 0.83698822
    assert a["kl"] == pytest.approx(0.14384104, abs=1e-8)
    assert a["entropy_p"] == pytest.approx(0.69314718, abs=1e-8)
    assert a["cross_entropy"] == pytest.approx(0.83698822, abs=1e-8)


def test_a_zero_p_contributes_zero_and_says_so():
    from scipy.special import rel_entr

    a = answers(p="0.5,0.5,0", q="0.25,0.25,0.5")
    assert a["terms"] == pytest.approx(rel_entr([0.5, 0.5, 0], [0.25, 0.25, 0.5]).tolist())
    assert a["terms"][2] == 0.0
    assert a["kl"] == pytest.approx(math.log(2))  # 0.5 ln 2 + 0.5 ln 2
    text = to_text.render(derive("kl-divergence", {"p": "0.5,0.5,0", "q": "0.25,0.25,0.5"}), decimals=4)
    assert "p₃ ln(p₃/q₃) = 0 since p₃ = 0" in text


def test_a_zero_q_under_a_positive_p_is_infinite_and_explained():
    from scipy.special import rel_entr

    derivation = derive("kl-divergence", {"p": "0.5,0.5", "q": "1,0"})
    a = derivation.answers
    assert math.isinf(rel_entr(0.5, 0.0))  # scipy agrees the term is infinite
    assert a["kl"] == "inf" and a["terms"] == [pytest.approx(0.5 * math.log(0.5)), "inf"] and a["cross_entropy"] == "inf"
    assert a["reverse"] == pytest.approx(math.log(2))  # 1 · ln(1/0.5) + 0 (q₂ = 0 contributes 0)
    warnings = [n for n in derivation.notes if n.kind == "warning"]
    assert len(warnings) == 1
    text = to_text.render(derivation, decimals=4)
    assert "p₂ ln(p₂/q₂) = 0.5 ln(0.5/0) = ∞ since q₂ = 0 < p₂" in text
    assert 'KL(P ‖ Q) = ∞ (the answer is the string "inf") because q₂ = 0 < p₂ = 0.5' in text


def test_infinite_answers_stay_valid_json():
    rendered = to_json.render(derive("kl-divergence", {"p": "0.5,0.5,0", "q": "0.5,0,0.5"}))

    def refuse(constant: str):
        raise AssertionError(f"non-standard JSON constant {constant}")

    data = json.loads(rendered, parse_constant=refuse)
    assert data["answers"]["kl"] == "inf" and data["answers"]["reverse"] == "inf"


def test_normalize_divides_by_the_sum_like_scipy():
    from scipy.stats import entropy  # normalizes its arguments itself

    derivation = derive("kl-divergence", {"p": "3,1", "q": "1,1", "normalize": True})
    assert derivation.answers["kl"] == pytest.approx(entropy([3, 1], [1, 1]), rel=1e-12)
    # by hand: P = (0.75, 0.25), Q = (0.5, 0.5): 0.75 ln 1.5 + 0.25 ln 0.5 = 0.30409883 − 0.17328680 = 0.13081203
    assert derivation.answers["kl"] == pytest.approx(0.13081203, abs=1e-8)
    text = to_text.render(derivation, decimals=4)
    assert "Σᵢ pᵢ = 3 + 1 = 4    ⇒    pᵢ ← pᵢ/4" in text and "P = (0.75, 0.25)" in text


def test_fractions_are_exact_probabilities():
    assert answers(p="1/4,3/4", q="1/2,1/2")["kl"] == pytest.approx(0.25 * math.log(0.5) + 0.75 * math.log(1.5))


def test_sums_within_a_billionth_are_accepted_and_beyond_refused():
    assert answers(p="0.5,0.5000000005", q="0.5,0.5")["mode"] == "discrete"
    with pytest.raises(InputError, match=r"--p: sums to 1\.00000001, not 1"):
        answers(p="0.5,0.50000001", q="0.5,0.5")


def test_long_distributions_use_a_table_and_agree_with_scipy():
    from scipy.stats import entropy

    rng = np.random.default_rng(3)
    p, q = rng.uniform(size=20), rng.uniform(size=20)
    a = answers(p=",".join(map(str, p.tolist())), q=",".join(map(str, q.tolist())), normalize=True)
    assert a["kl"] == pytest.approx(entropy(p, q), rel=1e-12)
    assert a["reverse"] == pytest.approx(entropy(q, p), rel=1e-12)


def test_identical_distributions_have_zero_kl_both_ways():
    a = answers(p="0.2,0.3,0.5", q="0.2,0.3,0.5")
    assert a["kl"] == 0.0 and a["reverse"] == 0.0


# --- two Gaussians ---------------------------------------------------------------------------


def test_gaussians_closed_form_by_hand():
    a = answers(mu1="1", sigma1="1", mu2="0", sigma2="2")
    # ln(2/1) + (1² + (1 − 0)²)/(2 · 2²) − ½ = 0.69314718 + 0.25 − 0.5 = 0.44314718
    assert a == {"mode": "gaussian", "kl": pytest.approx(0.44314718, abs=1e-8)}


GAUSSIAN_PAIRS = ((1.0, 1.0, 0.0, 2.0), (-0.3, 0.25, 2.0, 1.7), (5.0, 3.0, 5.0, 3.0), (2.0, 3.0, -1.0, 0.5))


def test_gaussians_agree_with_numerical_integration():
    """The torch comparison's twin: ∫ q log(q/p) by quadrature."""
    for mu1, s1, mu2, s2 in GAUSSIAN_PAIRS:
        a = answers(mu1=str(mu1), sigma1=str(s1), mu2=str(mu2), sigma2=str(s2))
        assert a["kl"] == pytest.approx(gaussian_kl_by_quadrature(mu1, s1, mu2, s2), rel=1e-8, abs=1e-12)


def test_gaussians_agree_with_torch():
    torch = pytest.importorskip("torch")
    N = torch.distributions.Normal
    for mu1, s1, mu2, s2 in GAUSSIAN_PAIRS:
        a = answers(mu1=str(mu1), sigma1=str(s1), mu2=str(mu2), sigma2=str(s2))
        expected = torch.distributions.kl_divergence(N(torch.tensor(mu1, dtype=torch.float64), torch.tensor(s1, dtype=torch.float64)),
                                                     N(torch.tensor(mu2, dtype=torch.float64), torch.tensor(s2, dtype=torch.float64))).item()
        assert a["kl"] == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_gaussian_options_left_out_are_the_standard_normals():
    derivation = derive("kl-divergence", {"mu1": "1", "sigma1": "2"})
    # KL(N(1, 2²) ‖ N(0, 1)) = ln(1/2) + (4 + 1)/2 − ½ = −0.69314718 + 2.5 − 0.5 = 1.30685282
    assert derivation.answers["kl"] == pytest.approx(1.30685282, abs=1e-8)
    assert derivation.inputs == {"mu1": 1.0, "sigma1": 2.0, "mu2": 0.0, "sigma2": 1.0, "base": "e"}
    assert "--mu2 = 0, --sigma2 = 1" in to_text.render(derivation, decimals=4)


def test_gaussians_in_bits():
    # 0.44314718 nats / 0.69314718 = 0.63932624 bits
    assert answers(mu1="1", sigma1="1", mu2="0", sigma2="2", base="2")["kl"] == pytest.approx(0.63932624, abs=1e-8)


# --- modes, problem files, links ---------------------------------------------------------------


@pytest.mark.parametrize(
    "options, where",
    [
        ({"p": "1", "q": "1", "mu1": "0"}, "--p, --q, --mu1"),
        ({"mu": "0", "sigma1": "1"}, "--sigma1, --mu"),
        ({"normalize": True, "mu": "0", "sigma": "1"}, "--normalize, --mu, --sigma"),
    ],
)
def test_mixing_two_modes_is_an_input_error_naming_them(options, where):
    with pytest.raises(InputError, match="options of different modes") as error:
        answers(**options)
    assert error.value.where == where


def test_base_alone_keeps_the_default_problem():
    assert answers(base="2")["kl"] == pytest.approx(derive("kl-divergence", {}).answers["kl"] / math.log(2))


def test_problem_file_may_write_the_base_as_a_number(tmp_path):
    problem = tmp_path / "kl.toml"
    problem.write_text('command = "kl-divergence"\np = [0.5, 0.5]\nq = ["1/4", "3/4"]\nbase = 2\n', encoding="utf-8")
    a = derive("kl-divergence", {}, str(problem)).answers
    # ½ log₂ 2 + ½ log₂(2/3) = 0.5 − 0.29248125 = 0.20751875
    assert a["kl"] == pytest.approx(0.20751875, abs=1e-8)


@pytest.mark.parametrize("options", [{}, {"p": WIKI_P, "q": WIKI_Q}, {"mu1": "1", "sigma2": "2", "base": "10"}, {"mu": "1", "log_var": "0.5", "base": "2"}])
def test_every_answer_is_derived_by_a_step(options):
    derivation = derive("kl-divergence", options)
    linked = {key for step in derivation.steps for key in step.answers}
    assert set(derivation.answers) - {"mode"} == linked


def test_same_inputs_give_identical_output():
    first = to_json.render(derive("kl-divergence", {"p": WIKI_P, "q": WIKI_Q, "base": "2"}))
    assert first == to_json.render(derive("kl-divergence", {"p": WIKI_P, "q": WIKI_Q, "base": "2"}))
