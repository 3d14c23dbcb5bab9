"""Golden files of text fitted to 80 and 60 columns: where equations, prose and tables break.
They pin the layout only (the words are those of the unwrapped goldens in test_golden.py,
which stay at no limit so wording changes show as whole lines). Update with
``pytest --snapshot-update`` and review the diff line by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from dlsolve.render import to_text
from dlsolve.runner import derive
from dlsolve.topics import TOPICS

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (80, 60)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", TOPICS)
def test_default_problem_at_width(command, width, golden):
    assert to_text.render(derive(command, {}), 4, width) == golden["text"]


@pytest.mark.parametrize("width", WIDTHS)
def test_check_report_at_width(cli, width, golden):
    result = cli("check", "worked_examples/som-train-notes-answers.toml", "--width", str(width))
    assert result.stdout == golden["text"]


@pytest.mark.parametrize("width", WIDTHS)
def test_class_summary_at_width(cli, width, golden, monkeypatch):
    monkeypatch.chdir(ROOT)
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "worked_examples").glob("*-answers.toml"))
    assert cli("check", *files, "--width", str(width)).stdout == golden["text"]


def test_quiz_at_60(cli, golden):
    session = "?\n?\ns\n0.5, 0.5\nx\nx\nx\n\n"
    assert cli("practice", "som-train", "--seed", "7", "--quiz", "--width", "60", input=session).stdout == golden["text"]


def test_practice_with_solution_at_60(cli, golden):
    assert cli("practice", "kl-divergence", "--seed", "4", "--solution", "--width", "60").stdout == golden["text"]


def test_examples_at_80(cli, golden, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert cli("examples", "--width", "80").stdout == golden["text"]
