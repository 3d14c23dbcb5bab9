"""ttest against independent truth: the notes' hand-worked problems A and B (arithmetic in the
comments), and SciPy's scipy.stats (ttest_1samp, ttest_ind, ttest_rel, t.ppf, norm.ppf)
computed here on random samples."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from dlsolve.render import to_json, to_text
from dlsolve.runner import derive
from dlsolve.topics.ttest.solve import KEYWORDS, find_keyword

SPEC_KEYS = ["test", "n", "mean", "sd", "se", "statistic", "df", "critical", "p_value", "alternative", "alpha", "reject"]
BULBS = "22,24,26,32,28,20,23,34,30,43"  # the notes' problem B


def _vector(values) -> str:
    return ",".join(repr(float(v)) for v in values)


def _lines(derivation) -> str:
    """Every step line and note as plain text (the JSON rendering's lines)."""
    data = to_json.to_dict(derivation)
    return "\n".join([line for step in data["steps"] for line in [step["title"], *step["lines"]]] + data["notes"])


# --- the notes' problem A: n = 20, x̄ = 42, s = 6, μ0 = 44, 5%, two-tailed ------------------


def test_notes_problem_a_with_the_notes_standard_error():
    a = derive("ttest", {}).answers
    assert list(a) == SPEC_KEYS
    # SE = s/√(n − 1) = 6/√19 = 6/4.358899 = 1.376494; t = (42 − 44)/1.376494 = −1.452966
    assert a["se"] == pytest.approx(6 / math.sqrt(19), rel=1e-12)
    assert a["statistic"] == pytest.approx(-1.452966, abs=5e-7)
    assert round(a["statistic"], 2) == -1.45  # the notes' t_cal
    assert a["df"] == 19 and a["test"] == "t" and a["n"] == 20
    assert a["critical"] == pytest.approx(2.093, abs=5e-4)  # the notes' table value
    assert a["critical"] == pytest.approx(stats.t.ppf(0.975, 19), rel=1e-12)
    assert a["p_value"] == pytest.approx(2 * stats.t.sf(1.452966, 19), rel=1e-5)
    assert a["alternative"] == "two-sided" and a["alpha"] == 0.05
    assert a["reject"] is False  # |t| = 1.45 < 2.093: accept H0


def test_notes_problem_a_with_the_usual_standard_error():
    a = derive("ttest", {"sd_divisor": "n-1"}).answers
    # SE = s/√n = 6/√20 = 1.341641; t = −2/1.341641 = −1.490712 (NOTES-PROBLEMS: −1.49)
    assert a["statistic"] == pytest.approx(-1.490712, abs=5e-7)
    assert a["critical"] == pytest.approx(2.093, abs=5e-4) and a["reject"] is False


def test_notes_problem_a_states_the_standard_error_used_and_the_other_one():
    text = _lines(derive("ttest", {}))
    assert "SE = s/√(n − 1) = 6/√19 = 1.3765" in text
    assert "t_cal = (x̄ − μ₀)/(s/√(n − 1)) = (42 − 44)/(6/√19)" in text
    assert "SE = s/√n = 6/√20 = 1.3416" in text and "t = −1.4907" in text  # the other convention
    assert "|t_cal| = 1.453 < t_tab = 2.093: not significant, accept H₀ (reject H₁)." in text
    other = _lines(derive("ttest", {"sd_divisor": "n-1"}))
    assert "SE = s/√n = 6/√20 = 1.3416" in other and "SE = s/√(n − 1) = 6/√19 = 1.3765" in other


def test_notes_problem_a_is_two_tailed_by_the_keyword_rule():
    text = _lines(derive("ttest", {}))
    assert "H₁: μ ≠ 44" in text
    assert "none of the notes' one-tailed words" in text


# --- the notes' problem B: the bulbs, raw data, one-tailed -----------------------------------


def test_notes_problem_b_sums_mean_and_sd():
    a = derive("ttest", {"data": BULBS, "mu0": "28", "alternative": "greater"}).answers
    # Σx = 22+24+26+32+28+20+23+34+30+43 = 282
    # Σx² = 484+576+676+1024+784+400+529+1156+900+1849 = 8378
    # x̄ = 282/10 = 28.2; s = √((8378 − 282²/10)/9) = √((8378 − 7952.4)/9) = √47.28889 = 6.876692
    assert a["n"] == 10 and a["mean"] == pytest.approx(28.2, rel=1e-12)
    assert a["sd"] == pytest.approx(6.876692, abs=5e-7)
    # SE = 6.876692/√10 = 6.876692/3.162278 = 2.174601; t = 0.2/2.174601 = 0.091971
    assert a["se"] == pytest.approx(2.174601, abs=5e-7)
    assert a["statistic"] == pytest.approx(0.091971, abs=5e-6) and round(a["statistic"], 2) == 0.09
    assert a["df"] == 9
    assert a["critical"] == pytest.approx(1.833, abs=5e-4)  # the notes' one-tailed table value
    assert a["reject"] is False


def test_notes_problem_b_shows_the_notes_sums():
    text = _lines(derive("ttest", {"data": BULBS, "mu0": "28", "alternative": "greater"}))
    assert "n = 10,    Σx = 282,    Σx² = 8378" in text
    assert "x̄ = Σx/n = 282/10 = 28.2" in text
    assert "s = √((Σx² − (Σx)²/n)/(n − 1)) = √((8378 − (282)²/10)/9) = √(425.6/9) = 6.8767" in text
    assert "t_cal = 0.09197 < t_tab = 1.8331: not significant, accept H₀" in text


def test_notes_problem_b_matches_scipy():
    x = np.array([22, 24, 26, 32, 28, 20, 23, 34, 30, 43], dtype=float)
    expected = stats.ttest_1samp(x, 28, alternative="greater")
    a = derive("ttest", {"data": BULBS, "mu0": "28", "alternative": "greater"}).answers
    assert a["statistic"] == pytest.approx(expected.statistic, rel=1e-12)
    assert a["p_value"] == pytest.approx(expected.pvalue, rel=1e-10)


def test_notes_problem_b_file_follows_the_notes():
    path = Path(__file__).parents[3] / "worked_examples" / "ttest-notes-b.toml"
    derivation = derive("ttest", {}, str(path))
    assert derivation.answers["alternative"] == "greater"
    assert derivation.answers["statistic"] == pytest.approx(0.091971, abs=5e-6)
    # the notes go one-tailed although the question has none of their keywords: the output says so
    assert "--alternative greater overrides the question's two-tailed reading." in _lines(derivation)


# --- random cases against scipy.stats ---------------------------------------------------------

ALTERNATIVES = ["two-sided", "less", "greater"]


def _check_against(answers, expected, df, alternative, alpha=0.05):
    assert answers["statistic"] == pytest.approx(expected.statistic, rel=1e-9, abs=1e-12)
    assert answers["p_value"] == pytest.approx(expected.pvalue, rel=1e-8, abs=1e-15)
    assert answers["df"] == pytest.approx(df, rel=1e-10)
    q = 1 - alpha / 2 if alternative == "two-sided" else 1 - alpha
    assert answers["critical"] == pytest.approx(stats.t.ppf(q, df), rel=1e-9)
    assert answers["reject"] == (expected.pvalue <= alpha)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_one_sample_from_data_matches_ttest_1samp(seed, alternative):
    rng = np.random.default_rng(seed)
    x = rng.normal(rng.uniform(-5, 5), rng.uniform(0.5, 3), size=rng.integers(2, 31))
    mu0 = float(rng.uniform(-5, 5))
    alpha = float(rng.choice([0.01, 0.05, 0.1]))
    a = derive("ttest", {"data": _vector(x), "mu0": repr(mu0), "alternative": alternative, "alpha": repr(alpha)}).answers
    _check_against(a, stats.ttest_1samp(x, mu0, alternative=alternative), len(x) - 1, alternative, alpha)
    assert a["mean"] == pytest.approx(x.mean()) and a["sd"] == pytest.approx(x.std(ddof=1))


@pytest.mark.parametrize("seed", range(4))
def test_summary_with_the_n_minus_1_sd_matches_ttest_1samp(seed):
    rng = np.random.default_rng(100 + seed)
    x = rng.normal(10, 2, size=12)
    inputs = {"n": "12", "mean": repr(float(x.mean())), "sd": repr(float(x.std(ddof=1))), "mu0": "9", "sd_divisor": "n-1"}
    _check_against(derive("ttest", inputs).answers, stats.ttest_1samp(x, 9), 11, "two-sided")


def test_summary_with_the_n_sd_is_the_same_test():
    # the notes' two conventions agree when applied consistently: s_n/√(n − 1) = s_{n−1}/√n
    rng = np.random.default_rng(7)
    x = rng.normal(3, 1, size=15)
    inputs = {"n": "15", "mean": repr(float(x.mean())), "sd": repr(float(x.std(ddof=0))), "mu0": "2.5", "sd_divisor": "n"}
    _check_against(derive("ttest", inputs).answers, stats.ttest_1samp(x, 2.5), 14, "two-sided")


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("equal_var", [True, False])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_two_samples_match_ttest_ind(seed, equal_var, alternative):
    rng = np.random.default_rng(200 + seed)
    x1 = rng.normal(0, rng.uniform(0.5, 2), size=rng.integers(2, 25))
    x2 = rng.normal(0.7, rng.uniform(0.5, 3), size=rng.integers(2, 25))
    inputs = {"data": _vector(x1), "data2": _vector(x2), "equal_var": equal_var, "alternative": alternative}
    a = derive("ttest", inputs).answers
    expected = stats.ttest_ind(x1, x2, equal_var=equal_var, alternative=alternative)
    _check_against(a, expected, expected.df, alternative)
    # the documented two-sample answers: per-sample n and sd, mean = x̄1 − x̄2, statistic = (mean − μ0)/se
    assert a["n"] == [len(x1), len(x2)] and a["sd"] == pytest.approx([x1.std(ddof=1), x2.std(ddof=1)])
    assert a["mean"] == pytest.approx(x1.mean() - x2.mean()) and a["means"] == pytest.approx([x1.mean(), x2.mean()])
    assert a["statistic"] == pytest.approx(a["mean"] / a["se"], rel=1e-12)
    assert ("sd_pooled" in a) == equal_var


def test_two_samples_default_to_the_pooled_test():
    a = derive("ttest", {"data": "1,2,3,4", "data2": "2,4,6"}).answers
    expected = stats.ttest_ind([1, 2, 3, 4], [2, 4, 6], equal_var=True)
    assert a["statistic"] == pytest.approx(expected.statistic) and a["df"] == 5
    # s_p² = ((4 − 1)·1.666667 + (3 − 1)·4)/(4 + 3 − 2) = (5 + 8)/5 = 2.6
    assert a["sd_pooled"] == pytest.approx(math.sqrt(2.6))


def test_two_samples_with_a_hypothesised_difference():
    x1, x2 = np.array([5.1, 6.3, 7.2, 5.9, 6.8]), np.array([3.2, 4.1, 2.9, 3.8])
    a = derive("ttest", {"data": _vector(x1), "data2": _vector(x2), "mu0": "1.5", "equal_var": False}).answers
    expected = stats.ttest_ind(x1 - 1.5, x2, equal_var=False)  # H0: μ1 − μ2 = 1.5
    _check_against(a, expected, expected.df, "two-sided")


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_paired_matches_ttest_rel(seed, alternative):
    rng = np.random.default_rng(300 + seed)
    before = rng.normal(50, 10, size=rng.integers(2, 20))
    after = before + rng.normal(1, 3, size=len(before))
    a = derive("ttest", {"data": _vector(after), "data2": _vector(before), "paired": True, "alternative": alternative}).answers
    _check_against(a, stats.ttest_rel(after, before, alternative=alternative), len(before) - 1, alternative)
    assert a["n"] == len(before) and a["differences"] == pytest.approx(after - before)


def test_paired_with_a_hypothesised_difference():
    x1, x2 = np.array([12.0, 15, 11, 18, 14]), np.array([10.0, 14, 12, 13, 9])
    a = derive("ttest", {"data": _vector(x1), "data2": _vector(x2), "paired": True, "mu0": "1"}).answers
    _check_against(a, stats.ttest_rel(x1 - 1, x2), 4, "two-sided")


# --- t or z --------------------------------------------------------------------------------


@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_z_test_uses_the_normal_distribution(alternative):
    # n = 40 > 30: z = (52 − 50)/(8/√39) = 2/1.281025 = 1.561249 (the notes' SE for a given SD)
    a = derive("ttest", {"n": "40", "mean": "52", "sd": "8", "mu0": "50", "alternative": alternative}).answers
    assert a["test"] == "z" and a["df"] is None
    z = 2 / (8 / math.sqrt(39))
    assert a["statistic"] == pytest.approx(z, rel=1e-12)
    q = 0.975 if alternative == "two-sided" else 0.95
    assert a["critical"] == pytest.approx(stats.norm.ppf(q), rel=1e-12)
    p = {"two-sided": 2 * stats.norm.sf(abs(z)), "greater": stats.norm.sf(z), "less": stats.norm.cdf(z)}[alternative]
    assert a["p_value"] == pytest.approx(p, rel=1e-10)


def test_auto_picks_z_only_above_30():
    summary = {"mean": "52", "sd": "8", "mu0": "50"}
    assert derive("ttest", {**summary, "n": "30"}).answers["test"] == "t"
    assert derive("ttest", {**summary, "n": "31"}).answers["test"] == "z"
    assert derive("ttest", {**summary, "n": "31", "test": "t"}).answers["test"] == "t"
    assert derive("ttest", {**summary, "n": "5", "test": "z"}).answers["test"] == "z"
    big, small = _vector(range(40)), _vector(range(20))
    assert derive("ttest", {"data": big, "data2": big[::-1]}).answers["test"] == "z"
    assert derive("ttest", {"data": big, "data2": small}).answers["test"] == "t"  # not both > 30


def test_z_test_notes_show_the_t_test_too():
    text = _lines(derive("ttest", {"n": "40", "mean": "52", "sd": "8", "mu0": "50"}))
    assert "n = 40 > 30: z-test" in text
    assert "With Student's t instead of z" in text and "df = 39" in text


# --- one or two tails: the notes' keyword rule -------------------------------------------------


@pytest.mark.parametrize(
    "question, word",
    [
        ("Is the mean life greater than 28 months?", "greater"),
        ("Do boys spend MORE THAN 3 hours a day online?", "MORE THAN"),
        ("Is the new method superior to the old one?", "superior"),
        ("Test whether it lasts at least 1000 hours, or at most 1200.", "at least"),  # the first one decides
        ("Has the training increased the output?", "increased"),  # a form of "increase"
        ("Has the diet   improved the scores?", "improved"),
        ("Only 40% of the class passed; test at 5%.", "Only"),
        ("Are the students taller\nthan 160 cm?", "taller"),
    ],
)
def test_keyword_found(question, word):
    assert find_keyword(" ".join(question.split())).found == word


@pytest.mark.parametrize(
    "question",
    [
        "Test the hypothesis that the population mean is 44.",
        "Commonly used bulbs: test the claim that the mean is 28.",  # "only" inside "commonly"
        "Is the greatest value an outlier?",  # "greatest" is not "greater"
        "Test whether the mean differs from 5.",
        "more, less, at the least",  # not the notes' phrases
    ],
)
def test_no_keyword(question):
    assert find_keyword(question) is None


def test_every_notes_keyword_is_recognised():
    for word in KEYWORDS:
        assert find_keyword(f"Is it {word} the claim?").keyword == word


def test_keyword_makes_the_test_one_tailed_in_the_direction_of_the_sample():
    summary = {"n": "16", "mean": "98", "sd": "4", "mu0": "100"}
    below = derive("ttest", {**summary, "question": "Is the mean less than 100?"})
    assert below.answers["alternative"] == "less"
    text = _lines(below)
    assert 'It contains the notes\' one-tailed word "less than" → one-tailed.' in text
    assert "Direction from the sample, as the notes do: x̄ = 98 < μ₀ = 100." in text
    # the notes' rule takes the direction from x̄ − μ0, whatever the word
    above = derive("ttest", {**summary, "mean": "103", "question": "Is the mean less than 100?"})
    assert above.answers["alternative"] == "greater"
    # t = (98 − 100)/(4/√15) = −1.936492; one-tailed critical t(0.95, 15) = 1.753050 → reject
    assert below.answers["statistic"] == pytest.approx(-2 / (4 / math.sqrt(15)))
    assert below.answers["critical"] == pytest.approx(stats.t.ppf(0.95, 15)) and below.answers["reject"] is True


def test_question_without_keyword_is_two_tailed_and_says_so():
    derivation = derive("ttest", {"n": "16", "mean": "98", "sd": "4", "mu0": "100", "question": "Test the claim that μ = 100."})
    assert derivation.answers["alternative"] == "two-sided"
    assert "none of the notes' one-tailed words" in _lines(derivation)


def test_alternative_overrides_the_question():
    derivation = derive("ttest", {"n": "16", "mean": "98", "sd": "4", "mu0": "100", "question": "Is it smaller than 100?",
                                  "alternative": "two-sided"})
    assert derivation.answers["alternative"] == "two-sided"
    text = _lines(derivation)
    assert 'one-tailed word "smaller"' in text and "--alternative two-sided overrides the question's one-tailed (less) reading." in text


def test_no_question_no_alternative_is_two_tailed():
    derivation = derive("ttest", {"data": "1,2,3,4", "mu0": "1"})
    assert derivation.answers["alternative"] == "two-sided"
    assert "Neither --question nor --alternative given: two-tailed." in _lines(derivation)


# --- the rendering and the contract ---------------------------------------------------------


def test_five_steps_in_the_notes_order():
    titles = [step["title"] for step in to_json.to_dict(derive("ttest", {}))["steps"]]
    assert titles == ["Null hypothesis H₀", "Alternative hypothesis H₁: one or two tails", "Test statistic under H₀",
                      "Level of significance, degrees of freedom and table value", "Comparison and decision"]


def test_every_answer_is_linked_to_a_step():
    for inputs in ({}, {"data": "1,2,3,5", "data2": "2,3,3"}, {"data": "1,2,4", "data2": "2,2,2", "paired": True}):
        derivation = derive("ttest", inputs)
        linked = {key for step in derivation.steps for key in step.answers}
        assert set(derivation.answers) <= linked


def test_json_is_strict_and_deterministic():
    inputs = {"data": "0.1,0.25,0.4,0.2", "data2": "0.3,0.5,0.45", "equal_var": False}
    first, second = to_json.render(derive("ttest", inputs)), to_json.render(derive("ttest", inputs))
    assert first == second
    assert json.loads(first)["answers"]["df"] == pytest.approx(stats.ttest_ind([0.1, 0.25, 0.4, 0.2], [0.3, 0.5, 0.45], equal_var=False).df)


def test_text_is_deterministic():
    assert to_text.render(derive("ttest", {"data": BULBS, "mu0": "28"}), 4) == to_text.render(derive("ttest", {"data": BULBS, "mu0": "28"}), 4)


def test_alternative_that_agrees_with_the_question_says_so():
    derivation = derive("ttest", {"n": "16", "mean": "98", "sd": "4", "mu0": "100", "question": "Is it smaller than 100?",
                                  "alternative": "less"})
    assert "--alternative less given: the same as the question's reading." in _lines(derivation)


def test_keyword_with_the_sample_mean_on_mu0_takes_the_upper_tail():
    derivation = derive("ttest", {"n": "16", "mean": "100", "sd": "4", "mu0": "100", "question": "Is it at most 100?"})
    assert derivation.answers["alternative"] == "greater" and derivation.answers["statistic"] == 0
    assert "x̄ = 100 = μ₀ = 100 (no direction: the upper tail is taken)." in _lines(derivation)
    assert derivation.answers["p_value"] == pytest.approx(0.5)
