"""dlsolve ttest on the command line: the notes' problem, problem files, options, and bad input
(one clear line on stderr naming the option, exit 2, nothing written)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

def _answers(cli, *args: str) -> dict:
    result = cli("ttest", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["answers"]


def test_default_is_the_notes_problem_a(cli):
    result = cli("ttest")
    assert result.exit_code == 0
    assert "t_cal = (x̄ − μ₀)/(s/√(n − 1)) = (42 − 44)/(6/√19)" in result.stdout
    assert "t_tab = t_(1 − α/2, df) = t_(0.975, 19) = 2.093" in result.stdout
    a = _answers(cli)
    assert a["statistic"] == pytest.approx(-2 / (6 / 19**0.5)) and a["df"] == 19 and a["reject"] is False


def test_help_has_real_examples(cli):
    result = cli("ttest", "--help")
    assert result.exit_code == 0
    assert "dlsolve ttest --data 22,24,26,32,28,20,23,34,30,43 --mu0 28 --alternative greater" in result.stdout
    assert "--sd-divisor" in result.stdout and "--paired" in result.stdout


def test_summary_options(cli):
    a = _answers(cli, "--n", "25", "--mean", "52", "--sd", "8", "--mu0", "50", "--sd-divisor", "n-1")
    assert a["se"] == pytest.approx(8 / 5) and a["statistic"] == pytest.approx(2 / 1.6)  # 8/√25 = 1.6; 2/1.6 = 1.25


def test_question_decides_the_tails_and_names_the_word(cli):
    result = cli("ttest", "--n", "25", "--mean", "52", "--sd", "8", "--mu0", "50", "--question", "Is the mean AT LEAST 50?")
    assert result.exit_code == 0
    assert 'one-tailed word "AT LEAST"' in result.stdout and "H₁: μ > 50" in result.stdout


def test_two_sample_and_paired_options(cli):
    from scipy import stats

    welch = _answers(cli, "--data", "1,2,3,4", "--data2", "2,4,6", "--no-equal-var")
    # Welch–Satterthwaite: s₁² = 5/3, s₂² = 4; a = s₁²/4 = 5/12, b = s₂²/3 = 4/3
    # df = (a + b)²/(a²/3 + b²/2) = (7/4)²/(25/432 + 8/9) = 3.0625/0.9467593 = 3.2347188
    a, b = 5 / 12, 4 / 3
    assert welch["df"] == pytest.approx((a + b) ** 2 / (a**2 / 3 + b**2 / 2), rel=1e-12)
    assert welch["df"] == pytest.approx(3.2347188, abs=1e-7)
    scipy_welch = stats.ttest_ind([1, 2, 3, 4], [2, 4, 6], equal_var=False)
    assert (welch["statistic"], welch["p_value"]) == (pytest.approx(scipy_welch.statistic, rel=1e-12), pytest.approx(scipy_welch.pvalue, rel=1e-9))
    pooled = _answers(cli, "--data", "1,2,3,4", "--data2", "2,4,6", "--equal-var")
    # pooled: df = n₁ + n₂ − 2 = 5; s_p² = (3·5/3 + 2·4)/5 = 13/5; t = (2.5 − 4)/√(13/5 · (1/4 + 1/3)) = −1.2179969
    assert pooled["df"] == 5 and pooled["statistic"] == pytest.approx(-1.5 / (13 / 5 * 7 / 12) ** 0.5, rel=1e-12)
    paired = _answers(cli, "--data", "5,6,8", "--data2", "4,4,5", "--paired")
    # d = 1, 2, 3: mean 2, s_d = 1, t = 2/(1/√3) = 2√3 = 3.4641016, df = 2
    assert paired["mean"] == pytest.approx(2) and paired["df"] == 2
    assert paired["statistic"] == pytest.approx(2 * 3**0.5, rel=1e-12)


def test_problem_file_and_command_line_override(cli, tmp_path):
    problem = tmp_path / "p.toml"
    problem.write_text('command = "ttest"\ndata = [22, 24, 26, 32, 28, 20, 23, 34, 30, 43]\nmu0 = 28\n', encoding="utf-8")
    result = cli("ttest", "-p", str(problem), "--alpha", "0.1", "-f", "json")
    data = json.loads(result.stdout)
    assert data["inputs"]["alpha"] == 0.1 and data["inputs"]["data"][0] == 22
    assert data["answers"]["mean"] == pytest.approx(28.2)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--n", "1", "--mean", "5", "--sd", "2", "--mu0", "4"], "--n: must be at least 2, got 1"),
        (["--n", "2.5", "--mean", "5", "--sd", "2", "--mu0", "4"], "--n: '2.5' is not a whole number"),
        (["--n", "10", "--mean", "5", "--sd", "0", "--mu0", "4"], "--sd: must be > 0, got 0"),
        (["--n", "10", "--mean", "5", "--sd", "-1", "--mu0", "4"], "--sd: must be > 0, got -1"),
        (["--alpha", "0"], "--alpha: must be > 0, got 0"),
        (["--alpha", "1"], "--alpha: must be < 1, got 1"),
        (["--alpha", "5%"], "--alpha: '5%' is not a number"),
        (["--data", "7", "--mu0", "4"], "--data: needs at least 2 values"),
        (["--data", "1,2,3", "--n", "3", "--mu0", "2"], "--n: cannot be combined with --data"),
        (["--data", "1,2,3", "--mean", "2", "--mu0", "2"], "--mean: cannot be combined with --data"),
        (["--data", "1,2,3", "--sd", "1", "--mu0", "2"], "--sd: cannot be combined with --data"),
        (["--data", "1,2,3", "--data2", "1,2", "--paired"], "--paired: --data has 3 values but --data2 has 2"),
        (["--data", "1,2,abc", "--mu0", "2"], "--data (value 3): 'abc' is not a number"),
        (["--data", "1,2,3", "--mu0", "two"], "--mu0: 'two' is not a number"),
        (["--data", "1,2,3", "--data2", "4,x"], "--data2 (value 2): 'x' is not a number"),
        (["--mean", "inf", "--n", "5", "--sd", "1", "--mu0", "0"], "--mean: 'inf' is not a number"),
        (["--data", "4,4,4,4", "--mu0", "3"], "--data: all 4 values are equal (4), so s = 0"),
        (["--data", "3,5,7", "--data2", "1,3,5", "--paired"], "--data2: every difference --data − --data2 is 2, so s_d = 0"),
        (["--data", "2,2", "--data2", "3,3,3"], "--data2: both samples are constant"),
        (["--n", "10", "--mean", "5"], "--sd: missing"),
        (["--n", "10", "--mean", "5", "--sd", "1"], "--mu0: missing"),
        (["--data", "1,2,3"], "--mu0: missing"),
        (["--data2", "1,2,3"], "--data2: needs --data too"),
        (["--paired"], "--paired: needs two samples"),
        (["--data", "1,2,3", "--mu0", "1", "--no-equal-var"], "--equal-var/--no-equal-var: applies only to two independent samples"),
        (["--data", "1,2,3", "--mu0", "1", "--sd-divisor", "n"], "--sd-divisor: applies to a given --sd"),
        (["--sd-divisor", "n-2"], "--sd-divisor: 'n-2' is not one of n, n-1"),
        (["--alternative", "bigger"], "--alternative: 'bigger' is not one of two-sided, less, greater"),
        (["--test", "f"], "--test: 'f' is not one of t, z, auto"),
        (["--question", "  "], "--question: is empty"),
        (["--data", "1e200,2e200", "--mu0", "0"], "--data: values too large"),
        (["--n", "20", "--mean", "1", "--sd", "5e-324", "--mu0", "0"], "--mean/--sd/--mu0: t = (x̄ − μ₀)/SE is beyond double precision"),
    ],
)
def test_bad_input_is_one_clear_line(cli, input_error, args, message):
    result = cli("ttest", *args)
    input_error(result, message)
    assert "nan" not in result.stderr.lower().replace("--n", "")


def test_nothing_is_written_on_an_input_error(cli, tmp_path):
    target = tmp_path / "sol.md"
    result = cli("ttest", "--data", "5", "--mu0", "1", "-o", str(target))
    assert result.exit_code == 2 and not target.exists()


def test_errors_in_a_real_process_have_no_traceback():
    done = subprocess.run([sys.executable, "-m", "dlsolve", "ttest", "--data", "4,4,4", "--mu0", "3"], capture_output=True, text=True)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == ("dlsolve ttest: error: --data: all 3 values are equal (4), so s = 0 and t = (x̄ − μ₀)/(s/√n) is undefined\n")


def test_output_is_byte_identical_across_runs():
    run = lambda: subprocess.run([sys.executable, "-m", "dlsolve", "ttest", "--data", "0.1,0.3,0.35", "--mu0", "0.2"],  # noqa: E731
                                 capture_output=True, check=True).stdout
    assert run() == run()
