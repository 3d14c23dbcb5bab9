"""Start-up (issue 14): the CLI imports only the command being run; the help lists every
command from a static table kept in step here; completion still lists the commands; and
typer's private click is reached from one module only."""

from __future__ import annotations

import ast
import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

import dlsolve
from dlsolve import commands
from dlsolve.cli import app
from dlsolve.topics import TOPICS

PACKAGE = Path(dlsolve.__file__).parent


def _first_paragraph(text: str) -> str:
    return " ".join(text.split("\n\n")[0].split())


def test_the_help_table_has_every_commands_first_paragraph_of_its_docstring():
    assert commands.names() == sorted(TOPICS + commands.COMMANDS)
    for name, summary in commands.summaries().items():
        assert summary == _first_paragraph(inspect.getdoc(commands.module(name).command)), name


def test_the_help_lists_every_command_with_its_summary(cli):
    listed = cli("--help").stdout.split("Commands:\n")[1].splitlines()
    assert [row.split()[0] for row in listed] == commands.names()
    assert "Backpropagation: forward pass, error, the chain rule for" in next(row for row in listed if row.split()[0] == "backprop")


def _topics_and_commands(modules: list[str]) -> set[str]:
    return {m for m in modules if m.startswith(("dlsolve.topics.", "dlsolve.commands."))}


def test_backprop_imports_no_other_topic_and_no_other_command(imported_modules):
    loaded = _topics_and_commands(imported_modules("backprop"))
    assert loaded == {m for m in loaded if m.startswith("dlsolve.topics.backprop")} | {"dlsolve.commands._shared"}
    assert "dlsolve.topics.backprop.solve" in loaded


def test_a_run_without_output_file_imports_no_temp_file_machinery(imported_modules):
    # tempfile (and the random it imports) serve -o only: ~3 ms that a plain run need not pay
    assert {"tempfile", "random"}.isdisjoint(imported_modules("backprop"))


@pytest.mark.parametrize("args", [("--help",), ("--version",), ()])
def test_help_and_version_import_no_command(imported_modules, args):
    modules = imported_modules(*args)
    assert _topics_and_commands(modules) == set() and "numpy" not in modules
    assert "dlsolve.core.inputs" not in modules  # imported on error paths and by the commands only


def test_a_commands_help_imports_that_command_only(imported_modules):
    modules = imported_modules("ttest", "--help")
    assert _topics_and_commands(modules) == {"dlsolve.topics.ttest", "dlsolve.commands._shared"} and "numpy" not in modules
    assert "dlsolve.core.inputs" not in modules


def _completions(words: str, cword: int) -> list[str]:
    env = {**os.environ, "_DLSOLVE_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    done = subprocess.run([sys.executable, "-m", "dlsolve"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_completion_lists_the_commands_and_a_commands_options():
    assert _completions("dlsolve ", 1) == commands.names()
    assert _completions("dlsolve s", 1) == ["solve", "som-train"]
    assert _completions("dlsolve backprop --ep", 2) == ["--epochs"]


def test_show_completion_prints_the_script(cli):
    result = cli("--show-completion", "bash")
    assert result.exit_code == 0 and "_DLSOLVE_COMPLETE=complete_bash" in result.stdout


def test_typers_private_click_still_has_what_dlsolve_takes_from_it():
    """If this fails, a typer upgrade moved its vendored click (``typer._click``):
    dlsolve/vendored_click.py no longer imports, so every dlsolve command fails to start;
    with it fixed, plain ``dlsolve`` must still show the help (NoArgsIsHelpError) and a usage
    error must still be one line with exit 2 (ClickException). Keep typer below 0.29."""
    from dlsolve.vendored_click import ClickException, NoArgsIsHelpError

    group = typer.main.get_command(app)
    with pytest.raises(NoArgsIsHelpError) as raised:
        group.make_context("dlsolve", [])
    assert isinstance(raised.value, ClickException) and "Usage: dlsolve" in raised.value.format_message()


def test_only_vendored_click_reaches_into_typers_private_modules():
    reaching = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(name == "click" or name.startswith(("click.", "typer._")) for name in names):
                reaching.append(path.relative_to(PACKAGE).as_posix())
    assert reaching == ["vendored_click.py"]


def test_every_topic_has_its_command():
    for topic in TOPICS:
        assert commands.module(topic).NAME == topic


def test_pythons_atexit_still_has_the_function_the_fast_end_runs():
    """If this fails, a Python release dropped ``atexit._run_exitfuncs`` (CPython's, since
    3.0): dlsolve/process_end.py then ends the process the normal way, correct but about
    25 ms slower per command (Python's teardown of NumPy and Typer)."""
    import atexit

    assert callable(getattr(atexit, "_run_exitfuncs", None))


_ENDING = """
import atexit, sys
sys.argv = ["dlsolve", *sys.argv[1:]]
atexit.register(lambda: print("exit functions ran", file=sys.stderr))
from dlsolve.cli import main
main()
print("not reached", file=sys.stderr)
"""


@pytest.mark.parametrize(("args", "code", "stdout_end"), [
    (["backprop"], 0, "(--update-biases updates them).\n"),
    (["backprop", "--lr", "x"], 2, ""),
    (["--version"], 0, "dlsolve 0.1.0\n"),
])
def test_the_process_ends_at_once_with_its_code_its_output_whole_and_the_exit_functions_run(args, code, stdout_end):
    done = subprocess.run([sys.executable, "-c", _ENDING, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == code
    assert done.stdout.endswith(stdout_end)
    assert done.stderr.endswith("exit functions ran\n") and "not reached" not in done.stderr
    assert ("error: --lr: 'x' is not a number" in done.stderr) == (code == 2)


def test_a_large_output_piped_is_whole_when_the_process_ends_at_once(tmp_path):
    """`os._exit` discards what a buffer still holds: stdout must be flushed before it."""
    import json

    weights = [[[0.01 * ((i * 7 + j) % 13 - 6) for j in range(100)] for i in range(100)], [[0.02] * 100] * 10]
    problem = tmp_path / "big.json"
    problem.write_text(json.dumps({"x": [0.5] * 100, "target": [1.0] + [0.0] * 9, "weights": weights}), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "dlsolve", "backprop", "-p", str(problem), "-f", "json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout) > 300_000 and json.loads(done.stdout)["inputs"]["weights"] == weights
