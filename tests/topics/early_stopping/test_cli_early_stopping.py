"""dlsolve early-stopping on the command line: help, formats, problem files, and one-line
errors (exit 2, nothing written) for bad inputs, some in a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[3] / "worked_examples"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dlsolve", "early-stopping", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def test_help_has_real_examples_and_the_limits(cli):
    result = cli("early-stopping", "--help")
    assert result.exit_code == 0
    assert "--val-loss 0.8,0.6,0.59,0.58,0.57 --patience 2 --min-delta 0.02" in result.stdout
    assert "Limits" in result.stdout and "100,000 epochs" in result.stdout


def test_help_examples_do_what_they_say(cli):
    # 0.8; 0.6 < 0.78 (best, 2); 0.59 < 0.58? no (1); 0.58 < 0.58? no (2 ≥ 2): stop after 4, restore 2
    a = json.loads(cli("early-stopping", "--val-loss", "0.8,0.6,0.59,0.58,0.57", "--patience", "2", "--min-delta", "0.02",
                       "-f", "json").stdout)["answers"]
    assert (a["stop_epoch"], a["restored_epoch"]) == (4, 2)
    # 1; 0.8 (best); 0.85 (1); 0.7 (best); 0.75 (1); 0.72 (2 < 3): never stops
    a = json.loads(cli("early-stopping", "--val-loss", "1,0.8,0.85,0.7,0.75,0.72", "-f", "json").stdout)["answers"]
    assert a["stop_epoch"] is None
    # 0.5; 0.4 (best); 0.4 is a tie, no improvement: wait 1 ≥ 0, stop after 3
    a = json.loads(cli("early-stopping", "--val-loss", "0.5,0.4,0.4,0.3", "--patience", "0", "-f", "json").stdout)["answers"]
    assert a["stop_epoch"] == 3


def test_default_json_answers_follow_the_spec(cli):
    data = json.loads(cli("early-stopping", "-f", "json").stdout)
    assert data["inputs"] == {"val_loss": [0.9, 0.7, 0.6, 0.65, 0.7, 0.8], "patience": 3, "min_delta": 0.0}
    assert data["answers"] == {"best_epoch": 3, "best_loss": 0.6, "stop_epoch": 6, "restored_epoch": 3, "wait": [0, 0, 0, 1, 2, 3]}


def test_markdown_has_the_comparisons_in_math(cli):
    out = cli("early-stopping", "-f", "markdown").stdout
    assert out.startswith("# Early stopping (Keras)")
    assert "Epoch 4: $0.65 < 0.6 - 0 = 0.6$? no" in out


def test_problem_file_and_command_line_override(cli):
    path = str(EXAMPLES / "early-stopping-min-delta.toml")
    from_file = json.loads(cli("early-stopping", "-p", path, "-f", "json").stdout)["answers"]
    overridden = json.loads(cli("early-stopping", "-p", path, "--min-delta", "0", "-f", "json").stdout)["answers"]
    # without δ: 0.69 < 0.7 and 0.685 < 0.69 improve: best epoch 4, then wait 1, 2: no stop
    assert (from_file["stop_epoch"], from_file["best_epoch"]) == (5, 2) and (overridden["stop_epoch"], overridden["best_epoch"]) == (None, 4)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--val-loss", ""], "--val-loss: is empty"),
        (["--val-loss", "0.9,,0.7"], "--val-loss (value 2): '' is not a number"),
        (["--val-loss", "0.9,nan"], "--val-loss (value 2): 'nan' is not a number"),
        (["--val-loss", "0.9,inf"], "--val-loss (value 2): 'inf' is not a number"),
        (["--val-loss", "1e400"], "--val-loss (value 1): '1e400' is too large for a float"),
        (["--val-loss", "0.9;0.8"], "--val-loss (value 1): '0.9;0.8' is not a number"),
        (["--patience", "-1"], "--patience: must be at least 0, got -1"),
        (["--patience", "1.5"], "--patience: '1.5' is not a whole number"),
        (["--patience", "99999999999999999999"], "--patience: '99999999999…' is too large"),
        (["--min-delta", "-0.1"], "--min-delta: must be ≥ 0, got -0.1"),
        (["--min-delta", "nan"], "--min-delta: 'nan' is not a number"),
    ],
)
def test_bad_input_is_one_clear_line(cli, input_error, args, message):
    input_error(cli("early-stopping", *args), message)


@pytest.mark.parametrize(("value", "message"), [
    ("[]", "val_loss in es.toml: expected a non-empty list of numbers, got an empty list"),
    ("[0.5, nan]", "val_loss in es.toml (value 2): must be a finite number"),
    ("[0.5, -inf]", "val_loss in es.toml (value 2): must be a finite number"),
    ("[0.5, 1" + "0" * 400 + "]", "val_loss in es.toml (value 2):"),
])
def test_bad_problem_file_values_name_the_key(tmp_path, value, message):
    (tmp_path / "es.toml").write_text(f'command = "early-stopping"\nval_loss = {value}\n', encoding="utf-8")
    result = run("-p", "es.toml", "-o", "out.txt", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == "" and not (tmp_path / "out.txt").exists()
    assert result.stderr.count("\n") == 1 and message in result.stderr


def test_more_epochs_than_the_cap_is_one_line_naming_it(tmp_path):
    (tmp_path / "es.toml").write_text('command = "early-stopping"\nval_loss = [' + ", ".join(["0.5"] * 100_001) + "]\n", encoding="utf-8")
    result = run("-p", "es.toml", "-o", "out.txt", cwd=tmp_path)
    assert result.returncode == 2 and not (tmp_path / "out.txt").exists()
    assert result.stderr.splitlines() == ["dlsolve early-stopping: error: val_loss in es.toml: has 100,001 numbers; "
                                          "at most 100,000 are accepted (this tool is for exercises)"]


def test_control_characters_are_escaped_in_the_error_line():
    result = run("--val-loss", "0.9,\x1b[31m\n0.7")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "\\x1b[31m" in result.stderr and "\x1b" not in result.stderr


def test_the_same_input_gives_byte_identical_output():
    args = ("--val-loss", "0.9,0.7,0.69,0.685,0.72,0.75", "--min-delta", "0.02")
    assert run(*args).stdout == run(*args).stdout != ""
