"""Golden files of every command's default problem (the course notes' problem) in all three
formats. They pin the *rendering* (layout, wording); numbers are checked elsewhere against
independent truth. Update with ``pytest --snapshot-update`` and review the diff like code."""

from __future__ import annotations

import pytest

import dlsolve
from dlsolve.render import to_json, to_markdown, to_text
from dlsolve.runner import derive
from dlsolve.topics import TOPICS


@pytest.mark.parametrize("command", TOPICS)
def test_default_problem_text(command, golden):
    assert to_text.render(derive(command, {}), decimals=4) == golden["text"]


@pytest.mark.parametrize("command", TOPICS)
def test_default_problem_markdown(command, golden):
    assert to_markdown.render(derive(command, {}), decimals=4) == golden["markdown"]


@pytest.mark.parametrize("command", TOPICS)
def test_default_problem_json(command, golden):
    text = to_json.render(derive(command, {}))
    assert text.replace(f'"version": "{dlsolve.__version__}"', '"version": "X"') == golden["json"]
