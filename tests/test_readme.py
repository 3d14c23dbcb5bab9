"""Every `dlsolve …` example in the README runs and exits 0 — or 1 when it checks answers
that are wrong on purpose — so the README stays true."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

README = Path(__file__).parent.parent / "README.md"


def _examples() -> list[str]:
    """The `dlsolve` command lines of the README's shell code blocks (continuations joined)."""
    commands, inside, pending = [], False, ""
    for raw in README.read_text(encoding="utf-8").splitlines():
        if raw.startswith("```"):
            inside = raw.strip() in ("```sh", "```bash") if not inside else False
            continue
        if not inside:
            continue
        text = (pending + " " + raw.strip()) if pending else raw
        if text.rstrip().endswith("\\"):
            pending = text.rstrip()[:-1]
            continue
        pending = ""
        command = text.split(" #")[0].strip()
        if command.startswith("dlsolve ") and " -o " not in command and "my-problem" not in command:
            commands.append(command)
    return commands


@pytest.mark.parametrize("command", _examples())
def test_readme_example_runs(cli, command, monkeypatch):
    monkeypatch.chdir(README.parent)  # examples name worked_examples/… relative to the checkout
    args = [match for arg in shlex.split(command)[1:] for match in (sorted(map(str, README.parent.glob(arg))) if "*" in arg else [arg])]
    result = cli(*args)
    checking = " check " in f" {command} " or "--check" in command
    assert result.exit_code in ((0, 1) if checking else (0,)), result.stderr  # 1: check found a wrong answer
    assert result.stdout
