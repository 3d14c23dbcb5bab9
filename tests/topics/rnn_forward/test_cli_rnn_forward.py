"""dlsolve rnn-forward on the command line: the default, formats, problem files and one-line
errors (exit 2, nothing written), in a real subprocess where the shell matters."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[3] / "worked_examples"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dlsolve", "rnn-forward", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def refused(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """Exit 2, nothing on stdout, one line on stderr holding ``words``, no traceback."""
    assert result.returncode == 2, result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


def test_help_has_real_examples_and_limits(cli):
    result = cli("rnn-forward", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "--cell lstm --input-size 64 --hidden-size 128" in text and "98,816" in text
    assert "Limits" in text and "1,000 time steps and 2,000,000 multiply-adds" in text


def test_default_is_the_notes_question(cli):
    result = cli("rnn-forward")
    assert result.exit_code == 0
    for text in ("10 × 5", "10 × 10", "20 × 10", "total = 160 + 220 = 380"):
        assert text in result.stdout


def test_json_answers_follow_the_spec(cli):
    shapes = json.loads(cli("rnn-forward", "-f", "json").stdout)
    assert list(shapes["answers"]) == ["shapes", "params"]
    assert shapes["inputs"] == {"cell": "rnn", "framework": "keras", "input_size": 5, "hidden_size": 10, "output_size": 20}
    numbers = json.loads(cli("rnn-forward", "--cell", "lstm", "--x", "1; 0", "--w-ih", "1;1;1;1", "--w-hh", "0;0;0;0",
                             "-f", "json").stdout)
    assert list(numbers["answers"]) == ["shapes", "params", "h", "c", "gates", "y"]
    assert numbers["answers"]["y"] is None and list(numbers["answers"]["gates"][0]) == ["i", "f", "g", "o"]
    gru = json.loads(cli("rnn-forward", "--cell", "gru", "--x", "1", "--w-ih", "1;1;1", "--w-hh", "0;0;0", "-f", "json").stdout)
    assert "c" not in gru["answers"] and list(gru["answers"]["gates"][0]) == ["r", "z", "n"]


def test_markdown_has_math(cli):
    result = cli("rnn-forward", "--x", "1; 0.5", "--w-ih", "0.5", "--w-hh", "0.8", "-f", "markdown")
    assert result.exit_code == 0 and r"a_{1} = 0.5 \cdot 1" in result.stdout and r"\tanh" in result.stdout


def test_many_steps_and_units_are_elided_and_tabled(cli):
    x = "; ".join(["0.1, 0.2"] * 30)
    w_ih = "; ".join(["0.1, -0.1"] * 12)
    w_hh = "; ".join([", ".join(["0.05"] * 12)] * 12)
    result = cli("rnn-forward", "--x", x, "--w-ih", w_ih, "--w-hh", w_hh)
    assert result.exit_code == 0
    assert "Time step 6" in result.stdout and "Time step 7" not in result.stdout and "Time step 30" in result.stdout
    assert "Steps 7–28 are computed the same way" in result.stdout and "…" in result.stdout


def test_worked_examples_solve(cli):
    for name in ("rnn-forward-notes", "rnn-forward-tanh-2-steps", "rnn-forward-lstm-step", "rnn-forward-gru-step"):
        assert cli("solve", name).exit_code == 0


def test_answers_files_name_the_slips(cli):
    result = cli("check", str(EXAMPLES / "rnn-forward-lstm-slips-answers.toml"), "--width", "0")
    assert result.exit_code == 1
    for text in ("shapes transposed", "3 gate blocks", "forget gate applied to the candidate"):
        assert text in result.stdout
    ecf = cli("check", str(EXAMPLES / "rnn-forward-tanh-ecf-answers.toml"), "--width", "0")
    assert "activation left out" in ecf.stdout and "error carried forward" in ecf.stdout


@pytest.mark.parametrize(("args", "words"), [
    (("--cell", "lstm", "--x", "1,2,3", "--w-ih", ";".join(["1,1,1"] * 30), "--w-hh", ";".join([",".join(["0"] * 10)] * 40)),
     ("--w-ih", "expected 40×3 (4·hidden × input for lstm", "got 30×3")),
    (("--cell", "cnn"), ("--cell", "not one of rnn, lstm, gru")),
    (("--framework", "jax"), ("--framework", "not one of keras, pytorch")),
    (("--input-size", "0", "--hidden-size", "3"), ("--input-size", "at least 1")),
    (("--input-size", "5", "--hidden-size", "1" + "0" * 400), ("--hidden-size", "too large")),
    (("--input-size", "5", "--hidden-size", "1000000001"), ("--hidden-size", "at most 1,000,000,000")),
    (("--x", "nan", "--w-ih", "1", "--w-hh", "1"), ("--x", "not a number")),
    (("--x", "inf", "--w-ih", "1", "--w-hh", "1"), ("--x",)),
    (("--x", "", "--w-ih", "1", "--w-hh", "1"), ("--x", "empty")),
    (("--x", "1,2; 3", "--w-ih", "1,1", "--w-hh", "1"), ("--x", "row 2 has 1 number")),
    (("--x", "1\x1b[31m", "--w-ih", "1", "--w-hh", "1"), ("--x", "not a number")),
    (("--x", "1e300", "--w-ih", "1e300", "--w-hh", "0", "--activation", "relu"), ("step 1 overflows",)),
])
def test_bad_inputs_exit_2_with_one_line(args, words):
    line = refused(run(*args), *words)
    assert "\x1b" not in line


def test_the_work_cap_is_refused_in_one_line():
    w_hh = ";".join([",".join(["0"] * 30)] * 120)
    refused(run("--cell", "lstm", "--x", ";".join(["1"] * 600), "--w-ih", ";".join(["1"] * 120), "--w-hh", w_hh),
            "--x/--w-ih/--w-hh", "600 steps need 2,232,000 multiply-adds; at most 2,000,000")
    refused(run("--x", ";".join(["1"] * 1001), "--w-ih", "1", "--w-hh", "1"), "--x", "1,001 rows; at most 1,000")


def test_nothing_is_written_on_an_error(tmp_path):
    out = tmp_path / "out.md"
    refused(run("--x", "1", "--w-ih", "1,2", "--w-hh", "1", "-o", str(out)), "--w-ih")
    assert not out.exists()


def test_a_problem_file_and_flags_override(tmp_path):
    (tmp_path / "p.toml").write_text('command = "rnn-forward"\ncell = "lstm"\ninput_size = 64\nhidden_size = 128\n')
    result = run("-p", "p.toml", "--framework", "pytorch", "-f", "json", cwd=tmp_path)
    assert json.loads(result.stdout)["answers"]["params"] == 4 * (128 * 64 + 128 * 128 + 2 * 128)  # 99,328


def test_the_shapes_need_no_numpy(imported_modules):
    """The default (the notes' shapes) counts with integers: it starts at typer's floor."""
    assert "numpy" not in imported_modules("rnn-forward")
    assert "numpy" not in imported_modules("rnn-forward", "--help")
    assert "numpy" in imported_modules("rnn-forward", "--x", "1", "--w-ih", "1", "--w-hh", "1")


@pytest.mark.parametrize("args", [("--cell", "lstm", "--input-size", "64", "--hidden-size", "128"),
                                  ("--cell", "gru", "--x", "1; 2", "--w-ih", "1;1;1", "--w-hh", "0.5;0.5;0.5")])
def test_the_json_inputs_are_a_problem_file(tmp_path, args):
    first = json.loads(run(*args, "-f", "json").stdout)
    (tmp_path / "p.json").write_text(json.dumps({"command": "rnn-forward", **first["inputs"]}))
    again = json.loads(run("-p", "p.json", "-f", "json", cwd=tmp_path).stdout)
    assert again["answers"] == first["answers"] and again["inputs"] == first["inputs"]
