"""dlsolve activation on the command line: help, formats, problem files, check, and one-line
errors for hostile inputs (in a real subprocess where the shell matters)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dlsolve.core.ascii_text import ascii_form
from dlsolve.topics.activation.solve import MAX_X

EXAMPLES = Path(__file__).parents[3] / "worked_examples"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "dlsolve", "activation", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_help_has_real_examples_and_states_the_cap(cli):
    result = cli("activation", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "--function sigmoid --function tanh --x 2" in text and "--function softmax --x 1,2,3" in text
    assert f"at most {MAX_X:,} x values" in text


def test_default_json_answers_follow_the_spec(cli):
    data = json.loads(cli("activation", "-f", "json").stdout)
    assert list(data["answers"]) == ["values", "derivatives"]
    assert data["inputs"]["x"] == [-2, -1, 0, 1, 2] and len(data["inputs"]["function"]) == 10
    assert len(data["answers"]["derivatives"]["softmax"]) == 5 and len(data["answers"]["derivatives"]["softmax"][0]) == 5


def test_markdown_writes_the_formulas_as_math(cli):
    out = cli("activation", "--function", "sigmoid", "--function", "softmax", "--x", "2", "-f", "markdown").stdout
    assert out.startswith("# Activation functions at x = 2")
    assert r"\frac{1}{1 + e^{-2}}" in out and r"\operatorname{diag}(s) - s s^{\mathsf{T}}" in out


def test_repeated_function_option_and_underscore_names(cli):
    data = json.loads(cli("activation", "--function", "hard_swish", "--function", "leaky-relu", "--x", "1", "-f", "json").stdout)
    assert list(data["answers"]["values"]) == ["hard-swish", "leaky-relu"]  # the SPEC's keys: the --function names
    # hardswish(1) = 1 · 4/6; leaky(1) = 1
    assert data["answers"]["values"]["hard-swish"] == [pytest.approx(2 / 3)] and data["answers"]["values"]["leaky-relu"] == [1]


def test_problem_file_with_a_function_list(cli, tmp_path):
    problem = tmp_path / "act.toml"
    problem.write_text('command = "activation"\nx = [-1, 0.5]\nfunction = ["relu6", "elu"]\nelu-alpha = 0.5\n', encoding="utf-8")
    data = json.loads(cli("activation", "-p", str(problem), "-f", "json").stdout)
    # ELU(−1) = 0.5(e⁻¹ − 1) = 0.5 · (−0.6321206) = −0.3160603
    assert data["answers"]["values"]["elu"] == [pytest.approx(-0.3160603, abs=1e-7), 0.5]
    assert data["answers"]["values"]["relu6"] == [0, 0.5]


@pytest.mark.parametrize("key", ["values.leaky-relu", "values.leaky_relu"])
def test_check_accepts_either_spelling_and_reports_the_specs(cli, tmp_path, key):
    answers = tmp_path / "a.toml"
    # leaky ReLU at −2 … 2 with α = 0.01: −0.02, −0.01, 0, 1, 2
    answers.write_text(f'command = "activation"\n[answers]\n{key} = [-0.02, -0.01, 0, 1, 2]\n', encoding="utf-8")
    result = cli("check", str(answers), "-f", "json")
    assert result.exit_code == 0, result.stdout
    assert '"values.leaky-relu"' in result.stdout and "leaky_relu" not in result.stdout


def test_check_suggests_and_lists_the_function_keys(cli, tmp_path):
    answers = tmp_path / "a.toml"
    answers.write_text('command = "activation"\n[answers]\nvalues.leaky-rellu = [0]\n', encoding="utf-8")
    error = cli("check", str(answers)).stderr
    assert "values has the fields sigmoid, tanh, relu, leaky-relu" in error


@pytest.mark.parametrize(("args", "message"), [
    (["--x", ""], "--x: is empty"),
    (["--x", "nan"], "--x (value 1): 'nan' is not a number"),
    (["--x", "inf,1"], "--x (value 1): 'inf' is not a number"),
    (["--x", "1e999"], "--x (value 1): '1e999' is too large for a float"),
    (["--x", "1,,2"], "--x (value 2): '' is not a number"),
    (["--x", "1;2"], "--x (value 1): '1;2' is not a number"),
    (["--x", "1\x1b[31m"], r"\x1b"),
    (["--x", ",".join(["0"] * (MAX_X + 1))], f"--x: has {MAX_X + 1:,} numbers; at most {MAX_X:,} are accepted"),
    (["--function", "gelu"], "--function (function 1): 'gelu' is not one of sigmoid, tanh, relu"),
    (["--function", "tanh", "--function", "tanh"], "--function: tanh is given twice"),
    (["--alpha", "nan"], "--alpha: 'nan' is not a number"),
    (["--elu-alpha", "x"], "--elu-alpha: 'x' is not a number"),
    (["--function", "prelu", "--prelu-alpha", "1e308", "--x", "-10"], "--x/--prelu-alpha: prelu of these values overflows"),
])
def test_bad_input_is_one_clear_line(args, message):
    result = run(*args)
    assert result.returncode == 2, result.stdout
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr


def test_bad_input_writes_nothing_to_output(tmp_path):
    out = tmp_path / "out.txt"
    result = run("--x", "nan", "-o", str(out))
    assert result.returncode == 2 and not out.exists()


def test_a_thousand_values_solve_in_every_format():
    x = ",".join(str(i / 100 - 5) for i in range(MAX_X))
    for format in ("text", "json"):
        result = run("--x", x, "-f", format)
        assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["answers"]["derivatives"]["softmax"]) == MAX_X


def test_an_ascii_terminal_gets_readable_powers_of_ten():
    assert ascii_form("⁻", "0") == "^-" and ascii_form("⁻", "⁰") == "-"  # was "?" before the activation topic
    result = run("--function", "sigmoid", "--x", "-100", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0 and "sigma(-100) = 1/(1 + e^100) = 3.72 x 10^-44" in result.stdout
    for format in ("text", "markdown", "json"):
        done = run("-f", format, env={"PYTHONIOENCODING": "ascii"})
        assert done.returncode == 0 and done.stderr == ""
        done.stdout.encode("ascii")


def test_worked_examples_hold_their_commented_answers(cli):
    def answers(name: str) -> dict:
        return json.loads(cli("activation", "-p", str(EXAMPLES / name), "-f", "json").stdout)["answers"]

    # σ(2) = 0.8807971, σ′(2) = 0.1049936
    assert answers("activation-notes.toml")["values"]["sigmoid"][4] == pytest.approx(0.8807971, abs=1e-7)
    # σ′(100) = e⁻¹⁰⁰/(1 + e⁻¹⁰⁰)² = 3.720076e-44
    assert answers("activation-saturation.toml")["derivatives"]["sigmoid"][-1] == pytest.approx(3.720076e-44, rel=1e-6)
    # softmax(1, 2, 3): e⁻², e⁻¹, 1 over 1.5032147 = 0.0900306, 0.2447285, 0.6652410
    assert answers("activation-softmax.toml")["values"]["softmax"] == pytest.approx([0.0900306, 0.2447285, 0.6652410], abs=1e-7)
