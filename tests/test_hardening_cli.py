"""How a run ends when something outside the exercise goes wrong (issue 11, items 7, 8, 10, 14;
issue 12 §5): a bug exits 3 with one line, broken standard streams exit 2 with one line, a
non-UTF-8 terminal gets readable ASCII, user text cannot drive the terminal, error lines
stay short, shell completion and -V work without slowing start-up.

The shell cases run as real subprocesses: a closed file descriptor (``>&-``) is not the
same as ``stdout=DEVNULL``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import dlsolve.topics.backprop.solve as backprop_solver
from dlsolve.core.ascii_text import HANDLER, write_ascii_for_unencodable
from dlsolve.core.inputs import InputError, shortened

SOLVERS = ("backprop", "batchnorm", "conv-params", "kl-divergence", "rbf-xor", "som-train", "ttest")
DLSOLVE = [sys.executable, "-m", "dlsolve"]
ESC = "\x1b"


def run(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess[bytes]:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    return subprocess.run([*DLSOLVE, *args], env={**os.environ, **(env or {})}, timeout=120, **streams)


def shell(command: str, program: str = "sh", **kwargs) -> subprocess.CompletedProcess[bytes]:
    """``command`` in ``program``, with ``dlsolve`` standing for this Python's ``-m dlsolve``."""
    line = command.replace("dlsolve", f"{sys.executable} -m dlsolve", 1)
    return subprocess.run([program, "-c", line], capture_output=True, timeout=120, **kwargs)


def one_line(stderr: bytes, *, containing: str) -> None:
    text = stderr.decode()
    assert len(text.splitlines()) == 1 and "Traceback" not in text, text
    assert containing in text, text


# --- a bug: exit 3, one line; DLSOLVE_DEBUG=1 adds the traceback -------------------------------------


def _boom(*args, **kwargs):
    raise ZeroDivisionError("float division by zero")


@pytest.fixture
def broken_solver(monkeypatch):
    """The backprop solver with a genuine bug: every command that solves a backprop problem hits it."""
    monkeypatch.setattr(backprop_solver, "solve", _boom)
    monkeypatch.delenv("DLSOLVE_DEBUG", raising=False)


INTERNAL = "dlsolve: internal error: ZeroDivisionError: float division by zero — run again with DLSOLVE_DEBUG=1 for the traceback\n"


@pytest.mark.parametrize("args", [
    ["backprop"],
    ["backprop", "-f", "json"],
    ["solve", "worked_examples/backprop-notes.toml"],
    ["check", "worked_examples/backprop-notes-answers.toml"],
    ["practice", "backprop", "--seed", "1", "--solution"],
    ["practice", "backprop", "--seed", "1", "--quiz"],
])
def test_a_bug_in_any_command_exits_3_with_one_line(cli, broken_solver, args):
    result = cli(*args, input="")
    assert result.exit_code == 3
    assert result.stderr == INTERNAL


def test_a_bug_in_examples_exits_3(cli, monkeypatch):
    monkeypatch.delenv("DLSOLVE_DEBUG", raising=False)
    monkeypatch.setattr("dlsolve.commands.examples.read_examples", _boom)
    result = cli("examples")
    assert (result.exit_code, result.stderr) == (3, INTERNAL)


def test_dlsolve_debug_prints_the_traceback(cli, broken_solver, monkeypatch):
    monkeypatch.setenv("DLSOLVE_DEBUG", "1")
    result = cli("backprop")
    assert result.exit_code == 3
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert "in _boom" in result.stderr and result.stderr.endswith(INTERNAL)


def test_a_bug_never_exits_1_which_means_a_wrong_answer(cli, broken_solver):
    assert cli("backprop", "--check", "worked_examples/backprop-notes-answers.toml").exit_code == 3


def test_a_bad_input_stays_exit_2(cli, input_error):
    input_error(cli("backprop", "--lr", "abc"), "--lr")


def test_ctrl_c_exits_130_with_one_line(cli, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(backprop_solver, "solve", interrupted)
    result = cli("backprop")
    assert (result.exit_code, result.stderr) == (130, "dlsolve: interrupted\n")


# --- broken standard streams: exit 2 and one line; a pipe closed by its reader: 0, quietly ----------


def test_closed_stdout():
    done = shell("dlsolve backprop >&-")
    assert done.returncode == 2
    one_line(done.stderr, containing="dlsolve: error: cannot write to standard output: it is closed")


def test_closed_stdout_does_not_matter_with_output(tmp_path):
    done = shell("dlsolve backprop -o out.txt >&-", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, b"")
    assert (tmp_path / "out.txt").read_text(encoding="utf-8").startswith("Backpropagation")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full is Linux's")
@pytest.mark.parametrize("args", [["backprop"], ["backprop", "-f", "json"], ["--version"], [], ["examples"],
                                  ["check", "worked_examples/backprop-notes-answers.toml"]])
def test_a_full_disk_on_stdout(args):
    with open("/dev/full", "w") as full:
        done = run(*args, stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2
    one_line(done.stderr, containing="dlsolve: error: cannot write to standard output: No space left on device")


def test_closed_stdin_in_the_quiz():
    done = shell("dlsolve practice ttest --seed 1 --quiz <&-")
    assert done.returncode == 2
    one_line(done.stderr, containing="dlsolve: error: cannot read standard input: it is closed")
    assert done.stdout.startswith(b"Practice")  # the question came first


def test_closed_stderr_keeps_the_exit_code():
    assert shell("dlsolve backprop --lr abc 2>&-").returncode == 2


@pytest.mark.parametrize("pipeline", [
    "dlsolve backprop --epochs 10000 -f json | head -1",  # 240 kB: more than a pipe holds
    "dlsolve backprop | true",  # the reader is gone before the first write (Typer made this exit 1)
])
def test_a_pipe_closed_by_its_reader_ends_quietly_with_0(pipeline):
    done = shell(f"{pipeline}; echo \"status ${{PIPESTATUS[0]}}\" >&2", program="bash", stdin=subprocess.DEVNULL)
    assert done.stdout.count(b"\n") == (1 if "head" in pipeline else 0)
    assert done.stderr == b"status 0\n"


# --- a non-UTF-8 stdout: readable ASCII ------------------------------------------------------------------


@pytest.fixture(scope="module")
def ascii_encoder():
    class Stream:  # anything with reconfigure: registers the handler once
        def reconfigure(self, **_):
            pass

    write_ascii_for_unencodable(Stream())
    return lambda text, encoding="ascii": text.encode(encoding, errors=HANDLER).decode(encoding)


@pytest.mark.parametrize("unicode, ascii", [
    ("x̄ = 42", "x_bar = 42"), ("ŷ", "y_hat"), ("σ(net)", "sigma(net)"), ("μ₀ = 44", "mu_0 = 44"),
    ("√19", "sqrt 19"), ("6/√n", "6/sqrt n"), ("a → b", "a -> b"), ("x₁₂", "x_12"), ("s²", "s^2"),
    ("Wᵀ", "W^T"), ("−0.5", "-0.5"), ("0.4 · 0.5", "0.4 * 0.5"), ("✓ right", "OK right"), ("✗ wrong", "X wrong"),
    ("½Σₖ", "(1/2) Sigma_k"), ("Δw", "Delta w"), ("λ", "lambda"), ("t ≥ 2 ≤ 3 ≠ 4 ≈ 5", "t >= 2 <= 3 != 4 ~= 5"),
    ("∂E/∂w", "dE/dw"), ("1–2 — 3…", "1-2 -- 3..."), ("漢", "?"), ("∫x(τ) dτ, 180°", "integral x(tau) d tau, 180 degrees"),
])
def test_the_ascii_forms(ascii_encoder, unicode, ascii):
    assert ascii_encoder(unicode) == ascii


def test_latin_1_keeps_what_it_can_encode(ascii_encoder):
    assert ascii_encoder("s² = σ²", "latin-1") == "s² = sigma²"


ASCII = {"PYTHONIOENCODING": "ascii"}


@pytest.mark.parametrize("command", SOLVERS)
@pytest.mark.parametrize("format", ["text", "markdown", "json"])
def test_every_solver_writes_ascii_to_an_ascii_stdout(command, format):
    done = run(command, "-f", format, env=ASCII)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""
    text = done.stdout.decode("ascii")  # raises if a byte is not ASCII
    if format == "json":
        json.loads(text)


@pytest.mark.parametrize("args, code", [
    (["check", "worked_examples/som-train-notes-answers.toml"], 1),
    (["check", "worked_examples/som-train-notes-answers.toml", "-f", "markdown"], 1),
    (["check", "worked_examples/som-train-notes-answers.toml", "-f", "json"], 1),
    (["practice", "som-train", "--seed", "7", "--solution"], 0),
    (["examples"], 0),
    (["--help"], 0),
    (["backprop", "--help"], 0),
])
def test_other_commands_write_ascii_to_an_ascii_stdout(args, code):
    done = run(*args, env=ASCII)
    assert done.returncode == code, done.stderr.decode()
    done.stdout.decode("ascii")


def test_the_quiz_on_an_ascii_terminal():
    done = run("practice", "ttest", "--seed", "1", "--quiz", env=ASCII, input=b"0\n0\n")
    assert done.returncode == 1 and done.stderr == b""
    assert "> 0" in done.stdout.decode("ascii")


def test_an_error_line_on_an_ascii_stderr():
    done = run("check", "nowhere.toml", "--mode", "relabs", "--digits", "2", env=ASCII)
    assert done.returncode == 2
    done.stderr.decode("ascii")
    one_line(done.stderr, containing="--digits")


def test_an_internal_error_line_on_an_ascii_stderr(tmp_path):
    code = ("import sys, dlsolve.topics.backprop.solve as b\n"
            "def boom(*a): raise ValueError('\u03c3 \u2192 \u221e')\n"
            "b.solve = boom\nsys.argv = ['dlsolve', 'backprop']\nfrom dlsolve.cli import main\nmain()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env={**os.environ, **ASCII}, timeout=60)
    assert done.returncode == 3
    assert done.stderr.decode("ascii") == ("dlsolve: internal error: ValueError: sigma -> inf -- "
                                           "run again with DLSOLVE_DEBUG=1 for the traceback\n")


def test_a_file_written_with_output_stays_utf8(tmp_path):
    done = run("ttest", "-o", "t.txt", env=ASCII, cwd=tmp_path)
    assert done.returncode == 0
    assert "x̄ = 42" in (tmp_path / "t.txt").read_text(encoding="utf-8")


def test_a_utf8_stdout_is_written_as_it_is_and_loads_no_ascii_module():
    done = run("ttest", env={"PYTHONIOENCODING": "utf-8"})
    assert "x̄ = 42" in done.stdout.decode("utf-8")
    imports = subprocess.run([sys.executable, "-X", "importtime", "-m", "dlsolve", "ttest"], capture_output=True,
                             env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=60).stderr.decode()
    assert "dlsolve.core.ascii_text" not in imports


# --- user text cannot drive the terminal ------------------------------------------------------------------

HOSTILE = "Is it\u001b[2J\u001b]0;pwned\u0007 more than 44?"


def _problem(tmp_path: Path) -> Path:
    path = tmp_path / "evil.toml"
    path.write_text('command = "ttest"\nmu0 = 44\ndata = [40, 42, 45, 41, 43]\n'
                    'question = "Is it\\u001b[2J\\u001b]0;pwned\\u0007 more than 44?"\n'
                    'description = "evil\\u001b[31m red\\u202e"\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("format", ["text", "markdown"])
def test_the_ttest_question_is_shown_escaped(cli, tmp_path, format):
    result = cli("solve", str(_problem(tmp_path)), "-f", format)
    assert result.exit_code == 0
    assert ESC not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b" in result.stdout and "pwned" in result.stdout  # shown as text (Markdown escapes the backslash)
    if format == "text":
        assert 'Question: "Is it\\x1b[2J\\x1b]0;pwned\\x07 more than 44?"' in result.stdout
    assert "one-tailed" in result.stdout  # "more than" still decides the tails


def test_the_ttest_question_in_json_has_no_raw_control_character(cli, tmp_path):
    result = cli("solve", str(_problem(tmp_path)), "-f", "json")
    assert not any(ord(c) < 0x20 and c != "\n" for c in result.stdout)
    assert "pwned" in json.loads(result.stdout)["inputs"]["question"]


def test_examples_escape_descriptions(cli, tmp_path):
    _problem(tmp_path)
    for format in ("text", "markdown"):
        result = cli("examples", "--dir", str(tmp_path), "-f", format)
        assert result.exit_code == 0 and ESC not in result.stdout and "\u202e" not in result.stdout
    assert "evil\\x1b[31m red\\u202e" in cli("examples", "--dir", str(tmp_path)).stdout
    as_json = cli("examples", "--dir", str(tmp_path), "-f", "json").stdout  # JSON escapes the C0 controls itself
    assert ESC not in as_json and json.loads(as_json)[0]["description"] == "evil\x1b[31m red\u202e"


def test_check_escapes_file_and_student_names(cli, tmp_path):
    name = tmp_path / f"a{ESC}[31m.toml"
    name.write_text('command = "ttest"\nstudent = "Bob\\u001b[2J"\n[answers]\ndf = 19\n', encoding="utf-8")
    other = tmp_path / "b.toml"
    other.write_text('command = "ttest"\nstudent = "Ann"\n[answers]\ndf = 19\n', encoding="utf-8")
    for files in ([name], [name, other]):
        result = cli("check", *map(str, files))
        assert result.exit_code == 0, result.stderr
        assert ESC not in result.stdout and "Bob\\x1b[2J" in result.stdout and "a\\x1b[31m.toml" in result.stdout


def test_the_quiz_echoes_typed_text_escaped(cli):
    result = cli("practice", "ttest", "--seed", "1", "--quiz", input=f"{ESC}[2Jx\n")
    assert ESC not in result.stdout and "> \\x1b[2Jx" in result.stdout


# --- error lines of bounded length -----------------------------------------------------------------------


def test_a_1_mb_unknown_key_makes_a_short_error_line(cli, tmp_path, input_error):
    problem = tmp_path / "big.toml"
    problem.write_text("lr = 0.5\n" + "a" * 1_000_000 + " = 1\n", encoding="utf-8")
    result = cli("backprop", "-p", str(problem))
    input_error(result, "unknown key 'aaaa")
    assert len(result.stderr) < 500
    assert "big.toml (valid keys: " in result.stderr  # the hint survives the cut


def test_a_long_line_of_short_words_is_cut_in_its_middle():
    line = shortened("--problem: unknown key '" + "a b " * 100_000 + "' (valid keys: lr)")
    assert len(line) <= 1_000 and line.startswith("--problem: unknown key 'a b") and line.endswith("(valid keys: lr)")


@pytest.mark.parametrize("length", [0, 1, 200])
def test_short_lines_are_kept(length):
    assert shortened("x" * length) == "x" * length


def test_a_long_word_is_cut_to_200_characters_keeping_its_end():
    word = "'" + "k" * 5_000 + "'"
    cut = shortened(word)
    assert len(cut) == 200 and cut.startswith("'kkk") and cut.endswith("kkk'") and "…" in cut


def test_input_errors_are_bounded():
    assert len(str(InputError("--weights", "x" * 10**6))) <= 1_000


def test_a_huge_option_value_makes_a_short_error_line():
    done = run("backprop", "-f", "x" * 100_000)
    assert done.returncode == 2 and len(done.stderr) < 600
    one_line(done.stderr, containing="--format")


# --- -V, shell completion -------------------------------------------------------------------------------


def test_short_version(cli):
    result = cli("-V")
    assert result.exit_code == 0 and result.stdout.startswith("dlsolve ")
    assert result.stdout == cli("--version").stdout


def test_show_completion_prints_a_script(cli):
    result = cli("--show-completion", "bash")
    assert result.exit_code == 0 and "_DLSOLVE_COMPLETE" in result.stdout


def test_completion_offers_commands_options_and_choices_without_numpy():
    probe = ("import sys\nsys.argv = ['dlsolve']\nfrom dlsolve.cli import app\n"
             "try:\n    app()\nexcept SystemExit:\n    pass\nprint('numpy' in sys.modules, file=sys.stderr)\n")

    def complete(words: str) -> tuple[list[str], str]:
        env = {**os.environ, "_DLSOLVE_COMPLETE": "complete_bash", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, env=env, timeout=60, text=True)
        return done.stdout.split(), done.stderr.strip()

    assert complete("dlsolve back") == (["backprop"], "False")
    assert complete("dlsolve backprop --ac") == (["--activation"], "False")
    assert complete("dlsolve backprop -f ") == (["text", "markdown", "json", "html"], "False")
