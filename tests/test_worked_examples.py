"""Every problem file in worked_examples/ (not the students' answers files) names its
command and solves without error."""

from __future__ import annotations

from pathlib import Path

import pytest

from dlsolve import commands
from dlsolve.commands.examples import read_examples
from dlsolve.problem_file import read_table
from dlsolve.runner import derive

EXAMPLES = [example.path for example in read_examples(Path(__file__).parent.parent / "worked_examples")]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_worked_example_solves(path):
    command = read_table(str(path))["command"]
    assert command in commands.names()
    derivation = derive(command, {}, str(path))
    assert derivation.steps and derivation.answers
