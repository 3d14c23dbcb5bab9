"""dlsolve kl-divergence on the command line: modes, formats, problem files and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[3] / "worked_examples"


def test_help_has_real_examples(cli):
    result = cli("kl-divergence", "--help")
    assert result.exit_code == 0
    assert "--p 0.36,0.48,0.16 --q 1/3,1/3,1/3 --base 2" in result.stdout
    assert "--mu 0.2,-0.4,1 --log-var 0,-1,0.5" in result.stdout


def test_default_is_the_vae_problem(cli):
    result = cli("kl-divergence")
    assert result.exit_code == 0
    assert "Error in the notes" in result.stdout and "0.8877" in result.stdout


def test_discrete_json_answers_follow_the_spec(cli):
    data = json.loads(cli("kl-divergence", "--p", "0.36,0.48,0.16", "--q", "1/3,1/3,1/3", "-f", "json").stdout)
    assert list(data["answers"]) == ["mode", "kl", "terms", "reverse", "entropy_p", "cross_entropy"]
    assert data["answers"]["kl"] == pytest.approx(0.0852996, abs=5e-8)  # Wikipedia's published value
    assert data["inputs"] == {"p": [0.36, 0.48, 0.16], "q": [1 / 3] * 3, "normalize": False, "base": "e"}


def test_gaussian_and_vae_answers_follow_the_spec(cli):
    gaussian = json.loads(cli("kl-divergence", "--mu1", "1", "--sigma1", "1", "--mu2", "0", "--sigma2", "2", "-f", "json").stdout)
    assert list(gaussian["answers"]) == ["mode", "kl"]  # no terms for two Gaussians
    vae = json.loads(cli("kl-divergence", "--mu", "0.2,-0.4,1", "--log-var", "0,-1,0.5", "-f", "json").stdout)
    assert list(vae["answers"]) == ["mode", "kl", "terms"] and vae["answers"]["mode"] == "vae"


def test_negative_values_parse_after_an_option(cli):
    result = cli("kl-divergence", "--mu1", "-1", "--sigma1", "0.5", "--mu2", "-2", "-f", "json")
    # ln(1/0.5) + (0.25 + (−1 + 2)²)/(2 · 1) − ½ = 0.69314718 + 0.625 − 0.5 = 0.81814718
    assert result.exit_code == 0 and json.loads(result.stdout)["answers"]["kl"] == pytest.approx(0.81814718, abs=1e-8)


def test_infinite_kl_is_the_string_inf_in_strict_json(cli):
    result = cli("kl-divergence", "--p", "0.5,0.5", "--q", "1,0", "-f", "json")
    assert result.exit_code == 0 and "Infinity" not in result.stdout
    assert json.loads(result.stdout)["answers"]["kl"] == "inf"


def test_markdown_shows_the_closed_form(cli):
    out = cli("kl-divergence", "-p", str(EXAMPLES / "kl-divergence-gaussian.toml"), "-f", "markdown").stdout
    assert out.startswith("# KL divergence of two Gaussians")
    assert r"\ln\left(\frac{\sigma_2}{\sigma_1}\right)" in out


def test_short_p_is_the_problem_file_and_long_p_is_the_distribution(cli):
    from_file = json.loads(cli("kl-divergence", "-p", str(EXAMPLES / "kl-divergence-discrete.toml"), "-f", "json").stdout)
    overridden = json.loads(cli("kl-divergence", "-p", str(EXAMPLES / "kl-divergence-discrete.toml"), "--p", "0.2,0.3,0.5", "-f", "json").stdout)
    assert from_file["inputs"]["p"] == [0.36, 0.48, 0.16] and overridden["inputs"]["p"] == [0.2, 0.3, 0.5]


def test_worked_examples_hold_their_commented_answers(cli):
    def kl(name: str) -> float:
        return json.loads(cli("kl-divergence", "-p", str(EXAMPLES / name), "-f", "json").stdout)["answers"]["kl"]

    assert kl("kl-divergence-vae.toml") == pytest.approx(0.887678, abs=1e-6)
    assert kl("kl-divergence-discrete.toml") == pytest.approx(0.085300, abs=1e-6)
    assert kl("kl-divergence-gaussian.toml") == pytest.approx(0.443147, abs=1e-6)
    assert kl("kl-divergence-vae-logvar.toml") == pytest.approx(0.858300, abs=1e-6)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--p", "0.5,0.5", "--q", "0.2,0.3,0.5"], "--q: has 3 values but --p has 2"),
        (["--p", "0.5,-0.2,0.7", "--q", "0.2,0.3,0.5"], "--p (value 2): -0.2 is negative"),
        (["--p", "0.3333,0.3333,0.3333", "--q", "0.2,0.3,0.5"], "--p: sums to 0.9999, not 1"),
        (["--p", "0.2,0.3,0.5", "--q", "0.5,0.6,0"], "--q: sums to 1.1, not 1"),
        (["--p", "0,0", "--q", "0.5,0.5", "--normalize"], "--p: every value is 0"),
        (["--p", "0.5,0.5"], "--q: the discrete mode needs both --p and --q"),
        (["--p", "half,half", "--q", "0.5,0.5"], "--p (value 1): 'half' is not a number"),
        (["--p", "1/0,1", "--q", "0.5,0.5"], "--p (value 1): '1/0' divides by zero"),
        (["--mu1", "0", "--sigma1", "0"], "--sigma1: must be > 0, got 0"),
        (["--sigma2", "-1"], "--sigma2: must be > 0, got -1"),
        (["--mu1", "one"], "--mu1: 'one' is not a number"),
        (["--mu", "0,1", "--sigma", "1,0"], "--sigma (value 2): must be > 0"),
        (["--mu", "0,1", "--sigma", "1,1", "--log-var", "0,0"], "--sigma, --log-var: give one of them, not both"),
        (["--mu", "0,1,2", "--sigma", "1,1"], "--sigma: has 2 values but --mu has 3"),
        (["--mu", "0,1", "--log-var", "0"], "--log-var: has 1 value but --mu has 2"),
        (["--mu", "0", "--log-var", "800"], "--log-var (value 1): 800 is too far from 0"),
        (["--mu", "0,1"], "--sigma/--log-var: the VAE mode needs one of them"),
        (["--mu", "1e200", "--sigma", "1"], "--mu/--sigma: the numbers overflow double precision"),
        (["--p", "1", "--q", "1", "--mu1", "0"], "--p, --q, --mu1: options of different modes (discrete and gaussian)"),
        (["--mu", "0", "--sigma", "1", "--sigma2", "2"], "--sigma2, --mu, --sigma: options of different modes (gaussian and vae)"),
        (["--base", "3"], "--base: '3' is not one of e, 2, 10"),
    ],
)
def test_bad_input_is_one_clear_line(cli, input_error, args, message):
    input_error(cli("kl-divergence", *args), message)


def test_bad_problem_file_value_names_the_key(cli, tmp_path):
    problem = tmp_path / "kl.toml"
    problem.write_text('command = "kl-divergence"\np = [0.5, -0.5, 1.0]\nq = [0.2, 0.3, 0.5]\n', encoding="utf-8")
    result = cli("kl-divergence", "-p", str(problem))
    assert result.exit_code == 2 and "p in kl.toml (value 2): -0.5 is negative" in result.stderr
