"""dlsolve regularize on the command line: modes, formats, problem files and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[3] / "worked_examples"


def test_help_has_real_examples_and_limits(cli):
    result = cli("regularize", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "dlsolve regularize --lr 0.2 --lam 0.5 --steps 5" in text
    assert "--rate 0.5 --activations 0.8,0.2,1.5,0.6 --mask 1,0,1,1" in text
    assert "Limits" in text and "random.Random(N)" in text


def test_default_is_the_notes_l1_l2_problem(cli):
    result = cli("regularize")
    assert result.exit_code == 0
    out = result.stdout
    assert "(0.04 + 0.09 + 0.16)" in out and "0.1 · 2.5 = 0.25" in out and "0.1 · 2.33 = 0.233" in out
    assert "sign(0) = 0" in out


def test_json_answers_follow_the_spec(cli):
    data = json.loads(cli("regularize", "--lr", "0.1", "-f", "json").stdout)
    assert list(data["answers"]) == ["data_loss", "penalty", "cost", "grad", "updated"]
    assert set(data["answers"]["updated"]) == {"l1", "l2"}
    # w − 0.1 · 0.1 · sign(w) = (0.49, −1.19, 0.79, 0)
    assert data["answers"]["updated"]["l1"] == pytest.approx([0.49, -1.19, 0.79, 0.0], rel=1e-14)
    assert data["inputs"]["penalty"] == ["l1", "l2"] and data["inputs"]["y"] == [1.0, 0.0, 1.0]
    dropout = json.loads(cli("regularize", "--rate", "0.5", "--mask", "1,0,0,1", "-f", "json").stdout)
    assert list(dropout["answers"]) == ["mask", "output", "test_output"]
    assert dropout["inputs"] == {"rate": 0.5, "activations": [0.8, 0.2, 1.5, 0.6], "mask": [1, 0, 0, 1], "inverted": True}


def test_steps_add_history(cli):
    data = json.loads(cli("regularize", "-p", str(EXAMPLES / "regularize-l1-vs-l2.toml"), "-f", "json").stdout)
    assert list(data["answers"]) == ["data_loss", "penalty", "cost", "grad", "updated", "history"]
    assert len(data["answers"]["history"]["l1"]) == 5


def test_negative_values_parse_after_an_option(cli):
    data = json.loads(cli("regularize", "--weights", "-1,-2", "--grad", "-0.5", "--lr", "1", "--penalty", "l1", "-f", "json").stdout)
    # −0.5 + 0.1 · (−1) = −0.6 for both; w + 0.6
    assert data["answers"]["updated"]["l1"] == pytest.approx([-0.4, -1.4], rel=1e-14)


def test_markdown_has_math(cli):
    out = cli("regularize", "-f", "markdown").stdout
    assert out.startswith("# Regularization: L1 and L2 penalties")
    assert r"\operatorname{sign}(w_i)" in out and "$$" in out


def test_command_line_data_loss_beats_the_files_targets(cli, tmp_path):
    problem = tmp_path / "p.toml"
    problem.write_text('command = "regularize"\ny = [1.0, 0.0]\ny_hat = [0.5, 0.5]\n', encoding="utf-8")
    data = json.loads(cli("regularize", "-p", str(problem), "--data-loss", "0.3", "-f", "json").stdout)
    assert data["answers"]["data_loss"] == 0.3 and "y" not in data["inputs"]


def test_dropout_options_beat_a_penalty_problem_file(cli):
    result = cli("regularize", "-p", str(EXAMPLES / "regularize-notes.toml"), "--rate", "0.5", "-f", "json")
    assert result.exit_code == 0 and "mask" in json.loads(result.stdout)["answers"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--lam", "-0.1"], "--lam: must be ≥ 0, got -0.1"),
        (["--rate", "1"], "--rate: must be < 1, got 1"),
        (["--rate", "-0.2"], "--rate: must be ≥ 0, got -0.2"),
        (["--penalty", "elastic", "--l1-ratio", "1.5"], "--l1-ratio: must be ≤ 1, got 1.5"),
        (["--y", "1,0", "--y-hat", "0.5,0.5,0.5"], "--y-hat: has 3 values but --y has 2"),
        (["--y", "1,0"], "--y-hat: is missing"),
        (["--y", "1", "--y-hat", "1", "--data-loss", "0.2"], "--data-loss, --y, --y-hat: give the data loss as a number"),
        (["--data-loss", "-1"], "--data-loss: must be ≥ 0"),
        (["--rate", "0.5", "--mask", "1,0,2,1"], "--mask (value 3): 2 is not 0 or 1"),
        (["--rate", "0.5", "--mask", "1,0"], "--mask: has 2 values but --activations has 4"),
        (["--rate", "0.5", "--mask", "1,0,1,1", "--seed", "3"], "--mask, --seed: give the mask or a seed"),
        (["--lr", "0.1", "--steps", "10001"], "--steps: must be at most 10,000"),
        (["--lr", "0.1", "--steps", "0"], "--steps: must be at least 1"),
        (["--steps", "3"], "--steps: needs --lr"),
        (["--weights", "nan"], "--weights (value 1): 'nan' is not a number"),
        (["--weights", "1,inf"], "--weights (value 2): 'inf' is not a number"),
        (["--weights", ""], "--weights: is empty"),
        (["--weights", "1e308,1e308"], "overflow double precision"),
        (["--lr", "1e308", "--grad", "1e308"], "overflow double precision"),
        (["--rate", "0.5", "--activations", "1e308"], "--activations/--rate: the scaled activations overflow"),
        (["--penalty", "l3"], "--penalty (penalty 1): 'l3' is not one of l1, l2, elastic"),
        (["--penalty", "l2", "--penalty", "l2"], "--penalty: l2 is given twice"),
        (["--l1-ratio", "0.5"], "--l1-ratio: applies to the elastic net only"),
        (["--weights", "1,2", "--grad", "1,2,3"], "--grad: has 3 values but --weights has 2"),
        (["--weights", "1,2", "--rate", "0.5"], "--weights, --rate: options of both modes"),
        (["--half", "--no-inverted"], "--half, --inverted: options of both modes"),
        (["--seed", "-1", "--rate", "0.5"], "--seed: must be at least 0"),
        (["--weights", "1\x1b[2J"], "--weights (value 1): '1\\x1b[2J' is not a number"),
        (["--weights", ",".join(["1"] * 100_001)], "--weights: has 100,001 numbers; at most 100,000"),
    ],
)
def test_bad_input_is_one_clear_line(cli, input_error, args, message):
    input_error(cli("regularize", *args), message)


def test_bad_problem_file_value_names_the_key(cli, tmp_path):
    problem = tmp_path / "r.toml"
    problem.write_text('command = "regularize"\nrate = 0.5\nmask = [1, 0.5, 1, 1]\n', encoding="utf-8")
    result = cli("regularize", "-p", str(problem))
    assert result.exit_code == 2 and "--mask (value 2): 0.5 is not 0 or 1" in result.stderr


def test_nothing_is_written_to_output_on_an_error(tmp_path):
    target = tmp_path / "out.md"
    env = {**os.environ, "COLUMNS": "80"}
    result = subprocess.run([sys.executable, "-m", "dlsolve", "regularize", "--lam", "-1", "-o", str(target)],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 2 and not target.exists()
    assert result.stderr.count("\n") == 1 and "--lam" in result.stderr


def test_shell_quoted_hostile_values_exit_2_in_a_real_process():
    for args in (["--weights", "1;2"], ["--mask", "1,\u2028"], ["--y", "1", "--y-hat", "nan"]):
        result = subprocess.run([sys.executable, "-m", "dlsolve", "regularize", *args], capture_output=True, text=True)
        assert result.returncode == 2, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_same_input_gives_identical_bytes(cli):
    args = ("regularize", "--rate", "0.3", "--activations", "1,2,3,4,5", "--seed", "9", "-f", "json")
    assert cli(*args).stdout == cli(*args).stdout
