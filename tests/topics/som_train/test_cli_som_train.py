"""`dlsolve som-train` on the command line: the default problem, options, problem files, and
bad inputs (one line on stderr naming the option, exit code 2, nothing written)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dlsolve.commands.examples import read_examples

EXAMPLES = Path(__file__).parents[3] / "worked_examples"


def test_default_is_the_notes_problem(cli):
    result = cli("som-train")
    assert result.exit_code == 0
    assert "d₁² = (1 − 0.3)² + (0 − 0.5)² + (1 − 0.7)² + (0 − 0.2)² = 0.49 + 0.25 + 0.09 + 0.04 = 0.87" in result.stdout
    assert "Iteration 4: sample x₄ = (0, 1, 1, 0)" in result.stdout


def test_json_answers_follow_the_spec(cli):
    data = json.loads(cli("som-train", "-f", "json").stdout)
    assert data["command"] == "som-train"
    assert list(data["answers"]) == ["distances", "winners", "history", "weights", "clusters", "learning_rates"]
    assert data["answers"]["winners"] == [1, 1, 2, 2] and data["answers"]["clusters"] == [1, 1, 2, 2]
    assert data["answers"]["distances"][0] == pytest.approx([0.87, 1.1], abs=1e-12)  # unrounded
    assert data["inputs"] == {"samples": [[1, 0, 1, 0], [1, 0, 0, 0], [1, 1, 1, 1], [0, 1, 1, 0]],
                              "weights": [[0.3, 0.5, 0.7, 0.2], [0.6, 0.7, 0.4, 0.3]],
                              "lr": 0.6, "epochs": 1, "lr_decay": 1.0, "radius": 0}
    assert any("(−0.96, 0.32, 1.408, 1.28)" in note for note in data["notes"])


def test_options_reach_the_solver(cli):
    result = cli("som-train", "--samples", "1,1,0,0; 0,0,0,1; 1,0,0,0; 0,0,1,1", "--weights", "0.2,0.6,0.5,0.9; 0.8,0.4,0.7,0.3",
                 "--epochs", "2", "--lr-decay", "0.5", "--radius", "0", "-f", "json")
    answers = json.loads(result.stdout)["answers"]
    assert answers["learning_rates"] == [0.6, 0.3]  # 0.6 · 0.5 = 0.3
    assert answers["winners"] == [2, 1, 2, 1, 2, 1, 2, 1]


def test_help_has_examples(cli):
    result = cli("som-train", "--help")
    assert result.exit_code == 0 and "Examples:" in result.stdout and "--lr-decay 0.5" in result.stdout


@pytest.mark.parametrize("path", [e.path for e in read_examples(EXAMPLES) if e.command == "som-train"], ids=lambda p: p.name)
def test_worked_examples_solve(cli, path):
    assert cli("som-train", "-p", str(path)).exit_code == 0


def test_problem_file_with_command_line_override(cli, tmp_path):
    problem = tmp_path / "p.toml"
    problem.write_text('command = "som-train"\nsamples = [[0.5]]\nweights = [[0], [1]]\nlr = 0.5\n', encoding="utf-8")
    answers = json.loads(cli("som-train", "-p", str(problem), "--lr", "0.2", "-f", "json").stdout)["answers"]
    # (0.5 − 0)² = (0.5 − 1)² = 0.25: a tie, unit 1 wins and moves 0 + 0.2 · 0.5 = 0.1
    assert answers["winners"] == [1] and answers["weights"] == [[0.1], [1.0]]


# --- bad input: one line on stderr naming the option, exit 2 --------------------------------------

BAD = [
    (("--samples", "1,0; 1"), "--samples: row 2 has 1 number but row 1 has 2"),
    (("--weights", "0.1,0.2,0.3,0.4; 0.5"), "--weights: row 2 has 1 number but row 1 has 4"),
    (("--samples", "1,0", "--weights", "0.1,0.2,0.3; 0,0,0"), "--weights: has 3 columns but --samples has 2"),
    (("--samples", "1,0"), "--weights: not given: the notes' weights have 4 columns but --samples has 2"),
    (("--samples", ""), "--samples: is empty"),
    (("--samples", " ; "), "--samples (row 1): is empty"),
    (("--samples", "1,a,0,0"), "--samples (row 1) (value 2): 'a' is not a number"),
    (("--weights", "0.1,0.2,0.3,nan; 1,1,1,1"), "--weights (row 1) (value 4): 'nan' is not a number"),
    (("--lr", "0"), "--lr: must be > 0, got 0"),
    (("--lr", "-0.5"), "--lr: must be > 0, got -0.5"),
    (("--lr", "fast"), "--lr: 'fast' is not a number"),
    (("--epochs", "0"), "--epochs: must be at least 1, got 0"),
    (("--epochs", "1.5"), "--epochs: '1.5' is not a whole number"),
    (("--epochs", "10000"), "--epochs: 4 samples × 10,000 epochs = 40,000 iterations"),
    (("--lr-decay", "1.5"), "--lr-decay: must be ≤ 1, got 1.5"),
    (("--lr-decay", "0"), "--lr-decay: must be > 0, got 0"),
    (("--radius", "-1"), "--radius: must be at least 0, got -1"),
    (("--radius", "one"), "--radius: 'one' is not a whole number"),
    (("--lr", "1e300", "--epochs", "20"), "--lr: the weights overflow double precision"),
]


@pytest.mark.parametrize("args, message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_line_naming_the_option(cli, input_error, args, message):
    input_error(cli("som-train", *args), message)


BAD_FILES = [
    ("samples = [[1, 0], [1]]", "samples in p.toml: row 2 has 1 number but row 1 has 2"),
    ("samples = []", "samples in p.toml: expected a list of rows"),
    ('samples = "1,0,1,0"\nweights = [[1, 2], [3, 4]]', "--weights: has 2 columns but --samples has 4"),
    ("lr = -1", "lr in p.toml: must be > 0, got -1"),
    ("epochs = 0", "epochs in p.toml: must be at least 1, got 0"),
    ('lr = "x"', "lr in p.toml: 'x' is not a number"),
    ("learning_rate = 0.5", "unknown key 'learning_rate'"),
]


@pytest.mark.parametrize("body, message", BAD_FILES, ids=[b for b, _ in BAD_FILES])
def test_bad_problem_file_is_one_line(cli, input_error, tmp_path, body, message):
    problem = tmp_path / "p.toml"
    problem.write_text(f'command = "som-train"\n{body}\n', encoding="utf-8")
    input_error(cli("som-train", "-p", str(problem)), message)


def test_nothing_is_written_on_an_input_error(cli, tmp_path):
    target = tmp_path / "sol.md"
    result = cli("som-train", "--lr", "0", "-o", str(target), "-f", "markdown")
    assert result.exit_code == 2 and os.listdir(tmp_path) == []


def test_real_process_prints_the_exact_error_line():
    done = subprocess.run([sys.executable, "-m", "dlsolve", "som-train", "--samples", "1,0; 1"], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr == "dlsolve som-train: error: --samples: row 2 has 1 number but row 1 has 2\n"
