"""The command line: help, version, formats, --output, problem files, and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import dlsolve
from dlsolve.topics import TOPICS

# --- help, version ----------------------------------------------------------------------


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout == f"dlsolve {dlsolve.__version__}\n"


def test_help_lists_commands_with_examples(cli):
    result = cli("--help")
    assert result.exit_code == 0
    assert "backprop" in result.stdout and "Examples:" in result.stdout


def test_bare_dlsolve_shows_the_help(cli):
    result = cli()
    assert result.exit_code == 0 and result.stdout.startswith("Usage: dlsolve")


def test_command_help_has_a_real_example(cli):
    result = cli("backprop", "--help")
    assert result.exit_code == 0
    assert '--weights "0.5,-0.5; 0.3,0.8"' in result.stdout


def test_help_imports_neither_numpy_nor_scipy(imported_modules):
    modules = imported_modules("--help")
    assert "numpy" not in modules and "scipy" not in modules
    assert not any(m.startswith("dlsolve.topics.") for m in modules)


SCIPY_MODULES = {"ttest": {"scipy.special"}}  # what a solver may import of SciPy (never scipy.stats)
# a topic that reuses another's code by design: rnn-forward counts with conv-params' layers (both commands agree)
REUSED_TOPICS = {"rnn-forward": ("dlsolve.topics.conv_params",)}


@pytest.mark.parametrize("command", TOPICS)
def test_a_solver_imports_only_its_own_module(imported_modules, command):
    modules = set(imported_modules(command, "-f", "json"))
    own = f"dlsolve.topics.{command.replace('-', '_')}"
    assert own in modules
    allowed = (own, *REUSED_TOPICS.get(command, ()))
    assert {m for m in modules if m.startswith("dlsolve.topics.") and not m.startswith(allowed)} == set()
    scipy = {m for m in modules if m.count(".") == 1 and m.startswith("scipy.") and not m.startswith(("scipy._", "scipy.version"))}
    assert scipy <= SCIPY_MODULES.get(command, set()) and "scipy.stats" not in modules
    assert "torch" not in modules


# --- formats ----------------------------------------------------------------------------


def test_json_follows_the_spec(cli):
    result = cli("backprop", "-f", "json")
    data = json.loads(result.stdout)
    assert list(data) == ["command", "version", "inputs", "steps", "answers", "notes"]
    assert data["command"] == "backprop" and data["version"] == dlsolve.__version__
    assert list(data["answers"]) == ["loss", "outputs", "hidden", "deltas", "grad_weights", "grad_biases",
                                     "weights", "biases", "loss_history"]
    assert all(set(step) == {"title", "lines"} for step in data["steps"])
    assert data["answers"]["loss"] == pytest.approx(0.298371109, abs=5e-10)  # unrounded


def test_decimals_change_text_but_never_json(cli):
    assert "0.298371109" in cli("backprop", "--decimals", "9").stdout
    assert "0.2984" in cli("backprop").stdout
    assert cli("backprop", "-f", "json", "--decimals", "9").stdout == cli("backprop", "-f", "json").stdout


def test_markdown_has_display_math_and_an_answers_table(cli):
    out = cli("backprop", "-f", "markdown").stdout
    assert out.startswith("# Backpropagation")
    assert "$$\n\\begin{aligned} \\frac{\\partial E}{\\partial w_{5}} &= " in out  # too wide for one row
    assert "| `weights.2` |" in out


def test_output_is_byte_identical_across_runs():
    run = lambda: subprocess.run([sys.executable, "-m", "dlsolve", "backprop"], capture_output=True, check=True).stdout  # noqa: E731
    assert run() == run()


# --- --output ---------------------------------------------------------------------------


def test_output_writes_and_refuses_to_overwrite(cli, tmp_path):
    target = tmp_path / "sol.md"
    assert cli("backprop", "-f", "markdown", "-o", str(target)).exit_code == 0
    first = target.read_text(encoding="utf-8")
    assert first.startswith("# Backpropagation")

    again = cli("backprop", "-f", "json", "-o", str(target))
    assert again.exit_code == 2 and "exists; add --force" in again.stderr
    assert target.read_text(encoding="utf-8") == first

    assert cli("backprop", "-f", "json", "-o", str(target), "--force").exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["command"] == "backprop"
    assert sorted(os.listdir(tmp_path)) == ["sol.md"]  # no temporary files left behind


def test_output_into_a_missing_folder_is_a_clear_error(cli, tmp_path):
    result = cli("backprop", "-o", str(tmp_path / "nope" / "sol.txt"))
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_nothing_is_written_on_an_input_error(cli, tmp_path):
    target = tmp_path / "sol.txt"
    result = cli("backprop", "--x", "1,2,3", "-o", str(target))
    assert result.exit_code == 2 and not target.exists() and os.listdir(tmp_path) == []


# --- problem files ----------------------------------------------------------------------


def test_toml_problem_file_and_command_line_override(cli, tmp_path):
    problem = tmp_path / "p.toml"
    problem.write_text('command = "backprop"\nlr = 0.1\nepochs = 2\nupdate-biases = true\n', encoding="utf-8")
    data = json.loads(cli("backprop", "-p", str(problem), "--lr", "0.2", "-f", "json").stdout)
    assert data["inputs"]["lr"] == 0.2 and data["inputs"]["epochs"] == 2 and data["inputs"]["update_biases"] is True


def test_json_problem_file(cli, tmp_path):
    problem = tmp_path / "p.json"
    problem.write_text(json.dumps({"command": "backprop", "x": [0.1, 0.2]}), encoding="utf-8")
    data = json.loads(cli("backprop", "-p", str(problem), "-f", "json").stdout)
    assert data["inputs"]["x"] == [0.1, 0.2]


@pytest.mark.parametrize(
    "content, message",
    [
        ('command = "som-train"\n', "is a problem for 'som-train', not 'backprop'"),
        ("lr = 0.1\nlearning_rate = 2\n", "unknown key 'learning_rate'"),
        ("lr = [\n", "is not valid TOML"),
        ("lr = true\n", "lr in p.toml: expected a number, got true/false"),
        ('weights = "1,2;3"\n', "weights in p.toml (layer 1): row 2 has 1 number but row 1 has 2"),
    ],
)
def test_bad_problem_files(cli, tmp_path, content, message):
    problem = tmp_path / "p.toml"
    problem.write_text(content, encoding="utf-8")
    result = cli("backprop", "-p", str(problem))
    assert result.exit_code == 2 and message in result.stderr


def test_binary_problem_file(cli, tmp_path):
    problem = tmp_path / "p.toml"
    problem.write_bytes(b"\x89PNG\x00\xff\xfe")
    result = cli("backprop", "-p", str(problem))
    assert result.exit_code == 2 and "not a UTF-8 text file" in result.stderr


# --- bad input: one line on stderr, exit 2, no traceback ----------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["--weights", "0.1,0.2; 0.3"], "--weights (layer 1): row 2 has 1 number but row 1 has 2"),
        (["--x", "1,2,3"], "--weights (layer 1): has 2 columns but --x has 3 values"),
        (["--activation", "softmax"], "--activation (layer 1): 'softmax' is not one of sigmoid, tanh, relu, linear"),
        (["--lr", "fast"], "--lr: 'fast' is not a number"),
        (["--lr", "nan"], "--lr: 'nan' is not a number"),
        (["--epochs", "1.5"], "--epochs: '1.5' is not a whole number"),
        (["--target", "1e999,0"], "is too large for a float"),
        (["-p", "missing.toml"], "--problem: no such file: missing.toml"),
        (["--bogus"], "No such option: --bogus"),
        (["-f", "pdf"], "'pdf' is not one of 'text', 'markdown', 'json', 'html'"),
        (["--decimals", "-1"], "--decimals"),
        (["-p", "a\x00b"], "--problem: 'a\\x00b' is not a valid file name"),
        (["-p", "\r0\x1e\u2028"], "--problem: no such file: \\x0d0\\x1e\\u2028"),  # control characters shown escaped
        (["-o", "a\x00b"], "--output: 'a\\x00b' is not a valid file name"),
        (["-o", "a" * 300], "--output: cannot write aaa"),
        (["--lr", "1\n2"], "--lr: '1 2' is not a number"),
    ],
)
def test_bad_input_is_one_clear_line(cli, input_error, args, message):
    input_error(cli("backprop", *args), message)


def test_errors_in_a_real_process_have_no_traceback():
    done = subprocess.run([sys.executable, "-m", "dlsolve", "backprop", "--weights", "1,2;3"], capture_output=True, text=True)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "dlsolve backprop: error: --weights (layer 1): row 2 has 1 number but row 1 has 2\n"


# --- the command line beats the problem file, also for options that exclude each other ---


@pytest.mark.parametrize(
    "command, file_lines, args, answer, expected",
    [
        # the file gives weights, the command line asks to fit them: fitted (4 centers + bias, min-norm)
        ("rbf-xor", ["weights = [1, 1, 1, 1]"], ["--solve"], "correct", True),
        # the file gives raw data, the command line a summary: the notes' problem A, t = −2/(6/√19)
        ("ttest", ["data = [1, 2, 3]", "mu0 = 44"], ["--n", "20", "--mean", "42", "--sd", "6"], "statistic", -2 / (6 / 19**0.5)),
        # the file is in the discrete mode, the command line in the Gaussian one: KL(N(0,1) ‖ N(0,1)) = 0
        ("kl-divergence", ["p = [0.5, 0.5]", "q = [0.9, 0.1]"], ["--mu1", "0", "--sigma1", "1", "--mu2", "0", "--sigma2", "1"], "kl", 0.0),
        # the file gives --layers, the command line --layer: Dense(2) on 3 inputs = 3·2 + 2 = 8
        ("conv-params", ['layers = "Dense(5)"', 'input = "3"'], ["--layer", "Dense(2)"], "total_params", 8),
    ],
)
def test_command_line_beats_the_file_for_exclusive_options(cli, tmp_path, command, file_lines, args, answer, expected):
    problem = tmp_path / "p.toml"
    problem.write_text(f'command = "{command}"\n' + "\n".join(file_lines) + "\n", encoding="utf-8")
    result = cli(command, "-p", str(problem), *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["answers"][answer] == pytest.approx(expected)


def test_two_exclusive_options_on_one_command_line_are_still_refused(cli):
    result = cli("rbf-xor", "--weights", "1,1,1,1", "--solve")
    assert result.exit_code == 2 and "--weights" in result.stderr
