"""dlsolve rbf-xor on the command line: options, problem files, JSON, and one-line errors."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).parents[3] / "worked_examples"


def test_help_shows_real_examples(cli):
    result = cli("rbf-xor", "--help")
    assert result.exit_code == 0
    assert 'dlsolve rbf-xor --solve --centers "1,1; 0,0"' in result.stdout and "--no-bias" in result.stdout


def test_json_answers_follow_the_spec(cli):
    result = cli("rbf-xor", "--solve", "--centers", "1,1; 0,0", "-f", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(data["answers"]) == ["phi", "weights", "bias", "outputs", "predictions", "correct"]
    assert len(data["answers"]["phi"]) == 4 and len(data["answers"]["phi"][0]) == 2  # rows = inputs, columns = centers
    assert data["answers"]["predictions"] == [0, 1, 1, 0] and data["answers"]["correct"] is True
    assert data["inputs"]["threshold"] == 0.5 and data["inputs"]["solve"] is True


def test_other_targets_and_a_threshold_from_the_command_line(cli):
    data = json.loads(cli("rbf-xor", "--solve", "--targets", "0,0,0,1", "--threshold", "0.4", "-f", "json").stdout)
    assert data["answers"]["predictions"] == [0, 0, 0, 1] and data["inputs"]["threshold"] == 0.4


def test_worked_example_files_and_command_line_override(cli):
    two = EXAMPLES / "rbf-xor-two-centers.toml"
    data = json.loads(cli("rbf-xor", "-p", str(two), "-f", "json").stdout)
    assert data["inputs"]["centers"] == [[1.0, 1.0], [0.0, 0.0]] and data["answers"]["correct"] is True
    wider = json.loads(cli("rbf-xor", "-p", str(two), "--sigma", "2", "-f", "json").stdout)
    assert wider["inputs"]["sigma"] == 2.0
    # the override is used, not only echoed: φ = exp(−‖x − c‖²/(2σ²)) with σ = 2, computed here
    X, C = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float), np.array([[1, 1], [0, 0]], float)
    phi = np.exp(-((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2) / (2 * 2.0**2))
    assert np.array(wider["answers"]["phi"]) == pytest.approx(phi, rel=1e-14)
    assert phi[1, 0] == pytest.approx(math.exp(-1 / 8))  # (0, 1) is at squared distance 1 from (1, 1)
    # least squares [φ 1][w; b] = t, solved by numpy
    solution, *_ = np.linalg.lstsq(np.hstack([phi, np.ones((4, 1))]), np.array([0, 1, 1, 0.0]), rcond=None)
    assert wider["answers"]["weights"] + [wider["answers"]["bias"]] == pytest.approx(solution.tolist(), rel=1e-9)


def test_solved_output_is_byte_identical_across_runs():
    def run() -> bytes:
        return subprocess.run([sys.executable, "-m", "dlsolve", "rbf-xor", "--solve"], capture_output=True, check=True).stdout

    assert run() == run()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--centers", "0,0; 1"], "--centers: row 2 has 1 number but row 1 has 2"),
        (["--inputs", "0,0; 1,1,1"], "--inputs: row 2 has 3 numbers but row 1 has 2"),
        (["--centers", "0,0,0; 1,1,1", "--solve"], "--centers: each center has 3 coordinates but each input (--inputs row) has 2"),
        (["--sigma", "0"], "--sigma: must be > 0, got 0"),
        (["--sigma", "-1"], "--sigma: must be > 0, got -1"),
        (["--inputs", ""], "--inputs: is empty"),
        (["--weights", "1,2,3"], "--weights: has 3 values but there are 4 centers (--centers rows)"),
        (["--targets", "0,1,1"], "--targets: has 3 values but there are 4 inputs (--inputs rows)"),
        (["--targets", "0,1,2,0"], "--targets: value 3 is 2; targets are class labels, 0 or 1"),
        (["--weights", "1,1,1,1", "--solve"], "--weights: give either --weights or --solve, not both"),
        (["--bias", "1", "--solve"], "--bias: --solve fits the bias"),
        (["--no-bias"], "--no-bias: only goes with --solve"),
        (["--centers", "1,1; 0,0"], "--weights: give one output weight per center (2 centers) or --solve"),
        (["--threshold", "high"], "--threshold: 'high' is not a number"),
        (["--inputs", "1e200,0", "--targets", "1"], "--inputs/--centers: the squared distances overflow"),
    ],
)
def test_bad_input_is_one_clear_line(cli, input_error, args, message):
    input_error(cli("rbf-xor", *args), message)


def test_bad_problem_file_value_names_the_key(cli, tmp_path):
    problem = tmp_path / "p.toml"
    problem.write_text('command = "rbf-xor"\ncenters = [[0, 0], [1]]\n', encoding="utf-8")
    result = cli("rbf-xor", "-p", str(problem))
    assert result.exit_code == 2 and "centers in p.toml: row 2 has 1 number but row 1 has 2" in result.stderr


def test_nothing_is_written_on_an_input_error(cli, tmp_path):
    target = tmp_path / "sol.md"
    result = cli("rbf-xor", "--sigma", "0", "-f", "markdown", "-o", str(target))
    assert result.exit_code == 2 and not target.exists()
