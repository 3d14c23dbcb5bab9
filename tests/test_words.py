"""No user-facing text names a document the user cannot look up: the project's internal
notes (NOTES-PROBLEMS and its §-sections, the SPEC, the design notes), the course notes'
file numbers ("seed 003"), or "the notes" for the output's own Notes section. Checked in
every --help, every default problem in every format, the worked examples' descriptions and
files, and a class summary of `check`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dlsolve.commands import names
from dlsolve.commands.examples import shipped_folder
from dlsolve.topics import TOPICS

INTERNAL = re.compile(r"NOTES-PROBLEMS|§|\bSPEC\b|DESIGN\.md|\bseed \d{3}\b|\bsee the notes\b", re.IGNORECASE)
SHIPPED = sorted(p for p in shipped_folder().iterdir() if p.suffix in (".toml", ".json", ".md"))


def internal_words(text: str) -> list[str]:
    """The lines of ``text`` that name an internal document."""
    return [line for line in text.splitlines() if INTERNAL.search(line)]


def test_the_pattern_finds_what_it_is_for():
    said = ["see NOTES-PROBLEMS §4", "as in the SPEC", "the bce of seed 003", "t = 1 (see the notes)."]
    assert all(internal_words(text) for text in said)
    assert internal_words("Haykin (2nd ed.), section 5.8; --seed 3; see Notes below; the course notes' t-test") == []


@pytest.mark.parametrize("command", [None, *names()])
def test_help(cli, command):
    result = cli(*([command] if command else []), "--help")
    assert result.exit_code == 0
    assert internal_words(result.stdout) == []


@pytest.mark.parametrize("format", ["text", "markdown", "json"])
@pytest.mark.parametrize("command", TOPICS)
def test_default_problem(cli, command, format):
    result = cli(command, "-f", format)
    assert result.exit_code == 0, result.stderr
    assert internal_words(result.stdout) == []


@pytest.mark.parametrize("options", [("--loss", "bce"), ("--activation", "tanh")])
def test_backprop_variants(cli, options):
    assert internal_words(cli("backprop", *options).stdout) == []


@pytest.mark.parametrize("format", ["text", "markdown", "json"])
def test_examples_listing(cli, format):
    result = cli("examples", "-f", format)
    assert result.exit_code == 0
    assert internal_words(result.stdout) == []


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files(path):
    """What `dlsolve examples --copy` hands the user: problem files (comments too), answers files, solutions."""
    assert internal_words(path.read_text(encoding="utf-8")) == []


def test_class_summary_names_slips_in_words(cli):
    answers = [str(p) for p in SHIPPED if p.name.endswith("-answers.toml")]
    summary = cli("check", *answers).stdout
    slips = [line for line in summary.splitlines() if "most common slip" in line]
    assert slips and internal_words(summary) == []
    # an id is one hyphenated word ("update-sign"); the words say what the student did
    assert not any(re.search(r"most common slip[^:]*: [a-z]+(-[a-z]+)+( |$)", line) for line in slips), slips
