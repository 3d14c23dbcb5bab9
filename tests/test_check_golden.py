"""Golden files of the check reports of the worked examples' answers files (what a student
or a teacher reads). They pin the layout and wording; the verdicts are tested elsewhere
against hand calculations. Update with ``pytest tests/test_check_golden.py --snapshot-update``
and review the diff."""

from __future__ import annotations

from pathlib import Path

import pytest

from dlsolve.checking.compare import Rule
from dlsolve.checking.report import render_gradescope, render_markdown, render_text
from dlsolve.checking.session import Checker

EXAMPLES = Path(__file__).parent.parent / "worked_examples"
ANSWERS = sorted(EXAMPLES.glob("*-answers.toml"))


def checked(*paths: Path):
    checker = Checker()
    # paths relative to the repository, so the reports do not depend on where it is
    return [checker.check_file(str(path.relative_to(EXAMPLES.parent))) for path in paths]


@pytest.fixture(autouse=True)
def _from_the_repository(monkeypatch):
    monkeypatch.chdir(EXAMPLES.parent)


@pytest.mark.parametrize("path", ANSWERS, ids=lambda p: p.stem)
def test_check_report_text(path, golden):
    assert render_text(checked(path), Rule()) == golden["text"]


def test_check_report_markdown(golden):
    assert render_markdown(checked(EXAMPLES / "som-train-notes-answers.toml"), Rule()) == golden["markdown"]


def test_check_report_gradescope(golden):
    assert render_gradescope(checked(EXAMPLES / "backprop-slips-answers.toml")[0], Rule()) == golden["json"]


def test_class_summary(golden):
    assert render_text(checked(*ANSWERS), Rule()) == golden["text"]
