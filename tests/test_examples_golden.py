"""The committed Markdown solutions in worked_examples/ are what the tool renders now.

When one fails, regenerate them and read the diff like code:
    python scripts/render_worked_examples.py
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
FOLDER = ROOT / "worked_examples"
_spec = importlib.util.spec_from_file_location("render_worked_examples", ROOT / "scripts" / "render_worked_examples.py")
render_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(render_script)
EXAMPLES = render_script.read_examples(FOLDER)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.path.stem)
def test_committed_solution_is_current(example):
    committed = example.path.with_suffix(".md")
    assert committed.exists(), f"{committed.name} is missing: run python scripts/render_worked_examples.py"
    assert committed.read_text(encoding="utf-8") == render_script.solution(example.path, example.command), \
        f"{committed.name} is out of date: run python scripts/render_worked_examples.py and review the diff"


def test_no_solution_without_its_problem_file():
    orphans = [md.name for md in FOLDER.glob("*.md") if not md.with_suffix(".toml").exists()]
    assert orphans == []


def test_the_script_checks_without_writing(capsys):
    assert render_script.main(["--check"]) == 0
    assert capsys.readouterr().out == ""
