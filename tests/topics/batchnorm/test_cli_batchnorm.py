"""dlsolve batchnorm on the command line: formats, problem files, methods and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[3] / "worked_examples"


def test_help_has_real_examples(cli):
    result = cli("batchnorm", "--help")
    assert result.exit_code == 0
    assert "--grad-y 0.1,-0.2,0.3,0.4" in result.stdout and "--method zscore" in result.stdout


def test_default_problem(cli):
    result = cli("batchnorm")
    assert result.exit_code == 0
    assert "x̂₂ = (1 − 8)/5 = −1.4" in result.stdout and "ε matters" in result.stdout


def test_json_answers_and_inputs(cli):
    result = cli("batchnorm", "--batch", "7,1,15,9", "--gamma", "2", "--beta", "0.5", "--grad-y", "0.1,-0.2,0.3,0.4", "-f", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["inputs"] == {"batch": [7.0, 1.0, 15.0, 9.0], "method": "batchnorm", "gamma": 2.0, "beta": 0.5,
                              "eps": 1e-5, "momentum": 0.1, "grad_y": [0.1, -0.2, 0.3, 0.4]}
    # hand-worked in worked_examples/batchnorm-backward.toml: Σg = 0.6, Σg x̂ = 0.76 (ε = 1e-5 moves the 7th digit)
    assert data["answers"]["grad_beta"] == pytest.approx(0.6, rel=1e-12)
    assert data["answers"]["grad_gamma"] == pytest.approx(0.76, rel=1e-6)


def test_negative_first_value_after_an_option(cli):
    result = cli("batchnorm", "--batch", "-3,-1,4", "--beta", "-0.5", "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["answers"]["mean"] == 0  # (−3 − 1 + 4)/3 = 0


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("batchnorm-*.toml")), ids=lambda p: p.name)
def test_worked_examples_render_in_every_format(cli, path):
    for fmt in ("text", "markdown", "json"):
        result = cli("batchnorm", "-p", str(path), "-f", fmt)
        assert result.exit_code == 0, result.stderr


def test_command_line_overrides_the_problem_file(cli):
    result = cli("batchnorm", "-p", str(EXAMPLES / "batchnorm-zscore.toml"), "--method", "minmax", "-f", "json")
    assert list(json.loads(result.stdout)["answers"]) == ["min", "max", "x_hat"]


def test_markdown_has_display_math(cli):
    out = cli("batchnorm", "-f", "markdown").stdout
    assert out.startswith("# Batch normalization (training mode): one feature, mini-batch of m = 4")
    assert r"\mu_B = \frac{7 + 1 + 15 + 9}{4} = \frac{32}{4} = 8" in out


@pytest.mark.parametrize("args, option", [
    (["--batch", "5"], "--batch"),                                       # one example: variance 0
    (["--batch", "1,2; 3,4; 5"], "--batch"),                             # ragged
    (["--batch", "1,2; 3,4", "--gamma", "1,2,3"], "--gamma"),            # per-feature length
    (["--batch", "1,2,3", "--beta", "0,1"], "--beta"),
    (["--batch", "1,2; 3,4", "--grad-y", "1,2; 3,4; 5,6"], "--grad-y"),  # shape mismatch
    (["--grad-y", "1,2,3"], "--grad-y"),
    (["--eps", "-1e-5"], "--eps"),                                        # ε < 0 (ε = 0 is allowed)
    (["--eps", "0", "--batch", "2,2,2"], "--eps"),                        # ε = 0 with a constant feature: 0/0
    (["--momentum", "1.5"], "--momentum"),
    (["--momentum", "-0.1"], "--momentum"),
    (["--batch", "1,two,3"], "--batch"),                                  # non-numbers
    (["--gamma", "x"], "--gamma"),
    (["--eps", "inf"], "--eps"),
    (["--momentum", "nan"], "--momentum"),
    (["--method", "layernorm"], "--method"),
    (["--method", "minmax", "--gamma", "2"], "--gamma"),                 # batchnorm-only option
    (["--method", "minmax", "--batch", "4,4,4"], "--batch"),             # constant: max = min
    (["--method", "zscore", "--batch", "1,5; 1,6"], "--batch (feature 1)"),
    (["--method", "maxabs", "--batch", "0,0"], "--batch"),
])
def test_bad_input_is_one_line_naming_the_option(cli, args, option):
    result = cli("batchnorm", *args)
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith(f"dlsolve batchnorm: error: {option}")


def test_nothing_is_written_on_error(cli, tmp_path):
    target = tmp_path / "out.md"
    result = cli("batchnorm", "--batch", "5", "-o", str(target))
    assert result.exit_code == 2 and not target.exists()


def test_bad_problem_file_value_names_the_key(cli, tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('command = "batchnorm"\nbatch = [[1, 2], [3]]\n')
    result = cli("batchnorm", "-p", str(path))
    assert result.exit_code == 2 and "batch in p.toml" in result.stderr
