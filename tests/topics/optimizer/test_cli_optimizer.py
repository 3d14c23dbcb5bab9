"""dlsolve optimizer on the command line: options, problem files, JSON, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[3] / "worked_examples"


def test_help_shows_real_examples_and_the_limits(cli):
    result = cli("optimizer", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert 'dlsolve optimizer --method adam --grads "0.5; -0.2" --w0 1 --lr 0.01' in text and "--momentum-form ema" in text
    assert "at most 2,000 steps, 1,000 parameters and 200,000 parameter updates" in text


def test_every_example_in_the_help_runs(cli):
    for args in (["--method", "adam", "--grads", "0.5; -0.2", "--w0", "1", "--lr", "0.01"],
                 ["--method", "momentum", "--momentum-form", "ema", "--steps", "5"],
                 ["--method", "gd", "--method", "adagrad", "--curvature", "1,10", "--w0", "1,1"]):
        assert cli("optimizer", *args).exit_code == 0, args


def test_json_answers_follow_the_spec(cli):
    data = json.loads(cli("optimizer", "--method", "adam", "--grads", "0.5; -0.2", "--lr", "0.01", "-f", "json").stdout)
    assert list(data["answers"]) == ["params", "final", "loss", "state"]
    assert data["answers"]["loss"] is None and len(data["answers"]["params"]["adam"]) == 2
    assert data["inputs"]["steps"] == 2 and data["inputs"]["grads"] == [[0.5], [-0.2]] and data["inputs"]["w0"] == [1.0]
    # m₁ = 0.1 · 0.5 = 0.05; m₂ = 0.9 · 0.05 + 0.1 · (−0.2) = 0.025
    assert [m[0] for m in data["answers"]["state"]["adam"]["m"]] == pytest.approx([0.05, 0.025], rel=1e-12)


def test_methods_repeat_in_the_order_given(cli):
    data = json.loads(cli("optimizer", "--method", "adam", "--method", "gd", "-f", "json").stdout)
    assert list(data["answers"]["params"]) == ["adam", "gd"]


def test_a_problem_file_and_a_command_line_override(cli, tmp_path):
    problem = tmp_path / "p.toml"
    problem.write_text('command = "optimizer"\nmethod = "gd"\ncurvature = 4\nw0 = [2]\n', encoding="utf-8")
    data = json.loads(cli("optimizer", "-p", str(problem), "-f", "json").stdout)
    # g = 4w: w₁ = 2 − 0.1 · 8 = 1.2
    assert data["answers"]["params"]["gd"][0] == pytest.approx([1.2])
    # --grads on the command line drops the file's curvature (either gradients or the quadratic)
    data = json.loads(cli("optimizer", "-p", str(problem), "--grads", "1", "-f", "json").stdout)
    assert data["answers"]["final"]["gd"] == pytest.approx([1.9])


def test_output_is_byte_identical_across_runs():
    def run() -> bytes:
        return subprocess.run([sys.executable, "-m", "dlsolve", "optimizer"], capture_output=True, check=True).stdout

    assert run() == run()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--beta", "1"], "--beta: must be < 1, got 1"),
        (["--beta", "-0.1"], "--beta: must be ≥ 0, got -0.1"),
        (["--rho", "1"], "--rho: must be < 1, got 1"),
        (["--beta1", "1.5"], "--beta1: must be < 1, got 1.5"),
        (["--beta2", "1"], "--beta2: must be < 1, got 1"),
        (["--lr", "0"], "--lr: must be > 0, got 0"),
        (["--lr", "-0.1"], "--lr: must be > 0, got -0.1"),
        (["--eps", "-1e-8"], "--eps: must be ≥ 0, got -1e-08"),
        (["--grads", "1,2; 3"], "--grads: row 2 has 1 number but row 1 has 2"),
        (["--grads", "1,2", "--w0", "1"], "--grads: rows have 2 values but --w0 has 1"),
        (["--grads", "1; 2", "--steps", "3"], "--steps: is 3 but --grads has 2 rows"),
        (["--grads", "1", "--center", "2"], "--center: belongs to the quadratic f(w)"),
        (["--steps", "0"], "--steps: must be at least 1, got 0"),
        (["--steps", "2001"], "--steps: must be at most 2,000, got 2,001"),
        (["--steps", "2000", "--w0", ",".join(["1"] * 17)], "204,000 parameter updates (steps × parameters × methods); at most 200,000"),
        (["--w0", ",".join(["1"] * 1001)], "--w0: has 1,001 numbers; at most 1,000 are accepted"),
        (["--grads", ",".join(["1"] * 1001)], "--grads: gives 1,001 parameters; at most 1,000"),
        (["--curvature", ",".join(["1"] * 1001)], "--curvature/--center: gives 1,001 parameters; at most 1,000"),
        (["--w0", "nan"], "--w0 (value 1): 'nan' is not a number"),
        (["--grads", "1;inf"], "--grads (row 2) (value 1): 'inf' is not a number"),
        (["--curvature", "1e999"], "--curvature (value 1): '1e999' is too large for a float"),
        (["--method", "sgd"], "--method (method 1): 'sgd' is not one of gd, momentum, nesterov, adagrad, rmsprop, adam"),
        (["--method", "adam", "--method", "adam"], "--method: 'adam' is given twice"),
        (["--momentum-form", "torch"], "--momentum-form: 'torch' is not one of pytorch, ema"),
        (["--curvature", "1,2,3", "--w0", "1,2"], "--curvature: has 3 values but w has 2 parameters"),
        (["--lr", "1e300", "--steps", "50"], "--lr/--w0/--curvature: GD overflows double precision at step 2"),
        (["--w0", "1e160"], "f(w) overflows double precision"),
        (["--method", "adam", "--eps", "0", "--w0", "0"], "--eps: Adam divides 0 by 0 at step 1"),
        (["--grads", ""], "--grads: is empty"),
        (["--w0", "1\x1b[31m"], "--w0 (value 1): '1\\x1b[31m' is not a number"),
    ],
)
def test_bad_input_is_one_clear_line(cli, input_error, args, message):
    input_error(cli("optimizer", *args), message)


def test_a_ragged_matrix_in_a_real_shell_is_one_line():
    done = subprocess.run([sys.executable, "-m", "dlsolve", "optimizer", "--grads", "1,2;3"], capture_output=True, text=True)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == "dlsolve optimizer: error: --grads: row 2 has 1 number but row 1 has 2"


def test_bad_problem_file_value_names_the_key(cli, tmp_path):
    problem = tmp_path / "p.toml"
    problem.write_text('command = "optimizer"\nbeta = 1.0\n', encoding="utf-8")
    result = cli("optimizer", "-p", str(problem))
    assert result.exit_code == 2 and "beta in p.toml: must be < 1, got 1" in result.stderr


def test_nothing_is_written_on_an_input_error(cli, tmp_path):
    target = tmp_path / "sol.md"
    result = cli("optimizer", "--lr", "0", "-f", "markdown", "-o", str(target))
    assert result.exit_code == 2 and not target.exists()


def test_the_worked_example_answers_file_names_its_slips(cli):
    result = cli("check", str(EXAMPLES / "optimizer-slips-answers.toml"))
    assert result.exit_code == 1
    text = " ".join(result.stdout.split())
    assert "bias correction skipped" in text and "EMA form" in text


EXTREMES = ["0", "5e-324", "-5e-324", "1e-308", "1e308", "-1e308", "-0.0", "1e-160", "1e154", "1" + "0" * 400]


@pytest.mark.parametrize("name", ["w0", "lr", "beta", "rho", "beta1", "beta2", "eps", "curvature", "center", "grads", "steps"])
@pytest.mark.parametrize("value", EXTREMES)
def test_every_numeric_option_survives_the_extremes(name, value):
    """Refused in one line, or solved with strict JSON (no NaN, no Infinity), in every format."""
    from dlsolve.core.inputs import InputError
    from dlsolve.runner import derive, rendered

    try:
        derivation = derive("optimizer", {name: value})
    except InputError as error:
        assert "\n" not in str(error)
        return

    def strict(constant: str) -> None:
        raise AssertionError(f"JSON holds {constant}")

    json.loads(rendered(derivation, "json", 4), parse_constant=strict)
    assert rendered(derivation, "text", 4, 80) and rendered(derivation, "markdown", 4)
