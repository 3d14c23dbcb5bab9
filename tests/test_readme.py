"""Every `dlsolve …` example in the README runs, from an empty folder, and exits 0 — or 1
when it checks answers that are wrong on purpose — so the README stays true wherever the
reader runs it; and CI runs exactly the README's test command."""

from __future__ import annotations

import contextlib
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dlsolve.cli import app

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
CI = ROOT / ".ci" / "run"


def _blocks() -> list[list[str]]:
    """The README's shell code blocks, each a list of lines with continuations joined."""
    blocks, block, pending = [], None, ""
    for raw in README.read_text(encoding="utf-8").splitlines():
        if raw.startswith("```"):
            block = [] if block is None and raw.strip() in ("```sh", "```bash") else None
            if block is not None:
                blocks.append(block)
            continue
        if block is None:
            continue
        text = (pending + " " + raw.strip()) if pending else raw
        if text.rstrip().endswith("\\"):
            pending = text.rstrip()[:-1]
            continue
        pending = ""
        block.append(text)
    return blocks


def _examples() -> list[str]:
    """The `dlsolve` command lines of the README, in order, without their comments."""
    commands = (line.split(" #")[0].strip() for block in _blocks() for line in block)
    return [command for command in commands if command.startswith("dlsolve ")]


EXAMPLES = _examples()


def _is_copy(command: str) -> bool:
    return command.startswith("dlsolve examples ") and " --copy " in command


def _run(cli, command: str):
    args = shlex.split(command)[1:]
    args = [match for arg in args for match in (sorted(map(str, Path.cwd().glob(arg))) or [arg] if "*" in arg else [arg])]
    return cli(*args)


@pytest.fixture(scope="module")
def copied(tmp_path_factory):
    """``copied(commands)``: a folder where the README's ``examples --copy`` commands given
    have run, made once for each such list (copying writes and syncs 66 files)."""
    runner, made = CliRunner(), {}

    def folder(commands: tuple[str, ...]) -> Path:
        if commands not in made:
            made[commands] = tmp_path_factory.mktemp("readme")
            with contextlib.chdir(made[commands]):
                for command in commands:
                    assert _run(lambda *args: runner.invoke(app, list(args)), command).exit_code == 0, command
        return made[commands]

    return folder


@pytest.mark.parametrize("index", range(len(EXAMPLES)), ids=[f"{i}: {c}" for i, c in enumerate(EXAMPLES)])
def test_readme_example_runs_from_an_empty_folder(cli, index, copied, tmp_path, monkeypatch):
    command = EXAMPLES[index]
    # the folder as the reader has it by then: empty, or with the worked examples copied out earlier
    shutil.copytree(copied(tuple(c for c in EXAMPLES[:index] if _is_copy(c))), tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    result = _run(cli, command)
    checking = " check " in f" {command} " or "--check" in command
    assert result.exit_code in ((0, 1) if checking else (0,)), result.stderr  # 1: check found a wrong answer
    assert result.stdout or " -o " in command


def test_the_readme_names_no_file_of_the_checkout():
    assert not [command for command in EXAMPLES if "worked_examples/" in command]


def test_ci_runs_exactly_the_readmes_test_command():
    (test_block,) = [block for block in _blocks() if any("pytest" in line for line in block)]
    assert test_block[0].startswith("python3 -m venv")  # a system Python refuses pip install (PEP 668)
    ci = [line for line in CI.read_text(encoding="utf-8").splitlines()
          if line.strip() and not line.startswith(("#", "set ", "cd ", "command -v chromium "))]  # Chromium: the browser test
    assert ci == test_block
