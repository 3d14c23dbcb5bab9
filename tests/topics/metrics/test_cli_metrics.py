"""dlsolve metrics on the command line: inputs, formats, problem files and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[3] / "worked_examples"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dlsolve", "metrics", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_help_has_real_examples_and_no_numpy():
    result = subprocess.run([sys.executable, "-c", "import sys; from dlsolve.cli import app; sys.argv = ['dlsolve', 'metrics', '--help']\n"
                             "try:\n    app()\nexcept SystemExit:\n    pass\nprint('numpy' in sys.modules)"],
                            capture_output=True, text=True, timeout=120)
    assert '--matrix "5,3,0; 2,3,1; 0,2,11" --labels cat,dog,rabbit' in result.stdout
    assert result.stdout.strip().endswith("False")


def test_the_default_is_the_screening_with_its_reading(cli):
    out = cli("metrics").stdout
    assert "TN = 78" in out and "FP = 12" in out and "FN = 2" in out and "TP = 8" in out
    assert "FN is dangerous" in out and "0.5333" in out


def test_json_answer_keys_follow_the_spec(cli):
    binary = json.loads(cli("metrics", "-f", "json").stdout)
    assert list(binary["answers"]) == ["matrix", "accuracy", "precision", "recall", "specificity", "f1", "fbeta"]
    assert binary["inputs"] == {"tp": 8, "fp": 12, "fn": 2, "tn": 78, "labels": ["negative", "positive"], "positive": "positive", "beta": 1.0}
    multi = json.loads(cli("metrics", "--matrix", "5,3,0; 2,3,1; 0,2,11", "-f", "json").stdout)
    assert list(multi["answers"]) == ["matrix", "accuracy", "per_class", "macro", "micro", "weighted"]
    assert list(multi["answers"]["per_class"]) == ["precision", "recall", "f1", "support"]
    assert multi["inputs"]["labels"] == [0, 1, 2] and multi["inputs"]["positive"] is None


def test_label_vectors_show_the_counting_first(cli):
    out = cli("metrics", "-p", str(EXAMPLES / "metrics-labels.toml")).stdout
    assert out.index("Count the samples into the confusion matrix") < out.index("Accuracy")
    assert "actual pig, predicted dog: 2 (samples 3, 6)" in out


def test_a_problem_file_is_overridden_by_another_input(cli):
    # the file gives counts; --matrix on the command line replaces them (not "both given")
    result = cli("metrics", "-p", str(EXAMPLES / "metrics-notes.toml"), "--matrix", "1,2; 3,4", "--labels", "a,b", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["answers"]["matrix"] == [[1, 2], [3, 4]]


@pytest.mark.parametrize(("args", "message"), [
    (["--matrix", "1,2,3; 4,5,6"], "--matrix: is 2 × 3; a confusion matrix is square"),
    (["--matrix", "1,2; 3"], "--matrix: row 2 has 1 number but row 1 has 2"),
    (["--matrix", "1,-2; 3,4"], "--matrix (row 1, column 2): -2 is negative"),
    (["--matrix", "1,2.5; 3,4"], "--matrix (row 1, column 2): 2.5 is not a whole number"),
    (["--matrix", "0,0; 0,0"], "--matrix: every count is 0"),
    (["--matrix", "5"], "--matrix: has 1 class"),
    (["--matrix", "nan,1; 1,1"], "--matrix (row 1) (value 1): 'nan' is not a number"),
    (["--matrix", "inf,1; 1,1"], "is not a number"),
    (["--matrix", "1e13,0; 0,0"], "is more than 1,000,000,000,000"),
    (["--matrix", "1e12,1; 0,0"], "--matrix: counts 1,000,000,000,001 in all; at most 1,000,000,000,000"),
    (["--matrix", ""], "--matrix: is empty"),
    (["--tp", "-1", "--fp", "1", "--fn", "1", "--tn", "1"], "--tp: must be at least 0, got -1"),
    (["--tp", "2.5", "--fp", "1", "--fn", "1", "--tn", "1"], "--tp: '2.5' is not a whole number"),
    (["--tp", "3"], "--fp, --fn, --tn: missing: give all four counts"),
    (["--tp", "0", "--fp", "0", "--fn", "0", "--tn", "0"], "every count is 0"),
    (["--matrix", "1,2; 3,4", "--tp", "3"], "--matrix, --tp: give one confusion matrix, not several"),
    (["--actual", "a,b", "--matrix", "1,2; 3,4"], "--matrix, --actual: give one confusion matrix"),
    (["--actual", "a,b,a"], "--predicted: the label vectors come in pairs"),
    (["--actual", "a,b,a", "--predicted", "a,b"], "--predicted: has 2 labels but --actual has 3"),
    (["--actual", "a,a", "--predicted", "a,a"], "hold one class only ('a')"),
    (["--actual", "a,b", "--predicted", "a,b", "--labels", "a"], "--labels: leaves out 'b', which --actual has"),
    (["--actual", "a,b", "--predicted", "a,c", "--labels", "a,b"], "--labels: leaves out 'c', which --predicted has"),
    (["--actual", "a,b", "--predicted", "a,b", "--labels", "a,b,a"], "--labels: gives 'a' twice"),
    (["--matrix", "1,2; 3,4", "--labels", "a,b,c"], "--labels: has 3 labels but the matrix has 2 classes"),
    (["--tp", "1", "--fp", "1", "--fn", "1", "--tn", "1", "--labels", "x,y,z"], "--labels: has 3 labels but the matrix has 2"),
    (["--matrix", "1,2,0; 3,4,0; 0,0,1", "--positive", "1"], "--positive: is for two classes; this matrix has 3"),
    (["--matrix", "1,2; 3,4", "--positive", "7"], "--positive: '7' is not one of the classes (0, 1)"),
    (["--labels", "healthy,sick", "--positive", "healthy"], "--positive: with --tp/--fp/--fn/--tn the positive class is the one TP counts"),
    (["--actual", "a,b c", "--predicted", "a,b"], "--actual (label 2): 'b c' is not a label"),
    (["--actual", "a,,b", "--predicted", "a,b,b"], "--actual (label 2): is empty"),
    (["--actual", "a,$x", "--predicted", "a,b"], "'$x' is not a label"),
    (["--beta", "0"], "--beta: must be > 0, got 0"),
    (["--beta", "101"], "--beta: must be ≤ 100, got 101"),
    (["--beta", "nan"], "--beta: 'nan' is not a number"),
])
def test_bad_input_is_one_clear_line(cli, input_error, args, message):
    input_error(cli("metrics", *args), message)


def test_control_characters_in_a_label_are_refused_on_one_line():
    result = run("--actual", "a,b\x1b[31m", "--predicted", "a,b")
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "\x1b" not in result.stderr and "is not a label" in result.stderr


def test_caps_are_refused_before_the_work(tmp_path):
    labels = json.dumps(["a"] * 100_001)  # a file: the command line's limit on one argument is 128 KiB
    (tmp_path / "big.toml").write_text(f'command = "metrics"\nactual = {labels}\npredicted = {labels}\n', encoding="utf-8")
    result = run("-p", "big.toml", cwd=tmp_path)
    assert result.returncode == 2 and "actual in big.toml: has 100,001 labels; at most 100,000" in result.stderr
    many = ",".join(f"c{i}" for i in range(501))
    result = run("--actual", many, "--predicted", many)
    assert result.returncode == 2 and "have 501 classes; at most 500" in result.stderr
    rows = "; ".join(",".join(["1"] * 501) for _ in range(3))
    result = run("--matrix", rows)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1


def test_nothing_is_written_to_output_on_an_error(tmp_path):
    target = tmp_path / "out.md"
    result = run("--matrix", "1,2; 3", "-o", str(target))
    assert result.returncode == 2 and not target.exists()


def test_problem_file_labels_may_be_numbers_or_words(cli, tmp_path):
    problem = tmp_path / "m.toml"
    problem.write_text('command = "metrics"\nactual = [1, 0, "1"]\npredicted = [1, 1, 0]\n', encoding="utf-8")
    data = json.loads(cli("metrics", "-p", str(problem), "-f", "json").stdout)
    assert data["answers"]["matrix"] == [[0, 1], [1, 1]]  # "1" and 1 are the same label
    problem.write_text('command = "metrics"\nactual = [1, true]\npredicted = [1, 0]\n', encoding="utf-8")
    result = cli("metrics", "-p", str(problem))
    assert result.exit_code == 2 and "actual in m.toml (label 2): expected a label" in result.stderr


def test_the_answers_file_with_slips_is_diagnosed(cli):
    result = cli("check", str(EXAMPLES / "metrics-notes-slips-answers.toml"))
    assert result.exit_code == 1
    assert "precision and recall swapped" in result.stdout
    assert "F1 as the arithmetic mean" in result.stdout and "TN/(TN + FN)" in result.stdout


def test_the_quiz_takes_right_answers(cli):
    # easy, seed 2: 100 people, 20 sick, 80 healthy; 12 of the sick flagged and 28 of the healthy
    # (TP 12, FN 8, FP 28, TN 52): accuracy 64/100, P = 12/40, R = 12/20, specificity 52/80,
    # F1 = 2·0.3·0.6/0.9 = 0.4
    result = cli("practice", "metrics", "--seed", "2", "--level", "easy", "--quiz", input="0.64\n0.3\n0.6\n0.65\n0.4\n")
    assert result.exit_code == 0, result.stdout
