"""``dlsolve examples`` and the worked examples themselves: every problem of the notes has one,
each has a description and its committed Markdown solution."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dlsolve.commands.examples import read_examples
from dlsolve.practice import COMMANDS

FOLDER = Path(__file__).parent.parent / "worked_examples"
EXAMPLES = read_examples(FOLDER)

# NOTES-PROBLEMS.md §1–§7, each problem with the worked example that solves it
NOTES_PROBLEMS = {
    "§1 backpropagation": "backprop-notes.toml",
    "§2 RBF network for XOR": "rbf-xor-notes.toml",
    "§2 the two-center version": "rbf-xor-two-centers.toml",
    "§3 Kohonen SOM": "som-train-notes.toml",
    "§4 t-test, problem A": "ttest-notes-a.toml",
    "§4 t-test, problem B": "ttest-notes-b.toml",
    "§5 batch normalization": "batchnorm-default.toml",
    "§6 VAE KL term": "kl-divergence-vae.toml",
    "§7 CNN parameter counts": "conv-params-notes.toml",
    "§7 the LSTM count": "conv-params-lstm.toml",
    "§7 the RNN shapes": "conv-params-rnn.toml",
}


def test_every_notes_problem_has_a_worked_example_that_says_so():
    names = {e.path.name: e for e in EXAMPLES}
    for problem, file in NOTES_PROBLEMS.items():
        assert file in names, problem
        section = problem.split()[0]
        assert f"NOTES-PROBLEMS {section}" in names[file].description, file


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_examples_beyond_the_notes(command):
    beyond = [e for e in EXAMPLES if e.command == command and "NOTES-PROBLEMS" not in e.description]
    assert len(beyond) >= 2, command


def test_every_example_has_a_one_line_description_and_its_solution():
    for example in EXAMPLES:
        assert example.description and "\n" not in example.description and len(example.description) <= 140, example.path.name
        assert example.path.with_suffix(".md").exists(), example.path.name


def test_examples_lists_every_problem_file_with_its_description(cli):
    result = cli("examples")
    assert result.exit_code == 0
    for example in EXAMPLES:
        row = next(line for line in result.stdout.splitlines() if example.path.name in line)
        assert example.command in row and example.description in row
    assert "dlsolve solve FILE" in result.stdout


def test_answers_files_are_not_listed(cli, tmp_path):
    (tmp_path / "a.toml").write_text('command = "ttest"\ndescription = "a problem"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('command = "ttest"\n[answers]\nn = 20\n', encoding="utf-8")
    data = json.loads(cli("examples", "--dir", str(tmp_path), "-f", "json").stdout)
    assert [Path(e["file"]).name for e in data] == ["a.toml"]


def test_examples_of_one_command(cli):
    lines = [line for line in cli("examples", "ttest").stdout.splitlines() if ".toml" in line]
    assert lines and all("ttest" in line for line in lines)
    assert len(lines) == sum(e.command == "ttest" for e in EXAMPLES)


def test_examples_as_json_and_as_a_markdown_index(cli):
    data = json.loads(cli("examples", "-f", "json").stdout)
    assert [(Path(e["file"]).name, e["command"], e["description"]) for e in data] == \
        [(e.path.name, e.command, e.description) for e in EXAMPLES]
    table = cli("examples", "-f", "markdown").stdout
    assert table.startswith("| problem file | command | solution | what it is |")
    assert all(f"[{e.path.stem}.md]({e.path.stem}.md)" in table for e in EXAMPLES)


def test_examples_errors(cli, input_error, tmp_path):
    input_error(cli("examples", "--dir", str(tmp_path / "none")), "--dir")
    input_error(cli("examples", "backprop", "--dir", str(tmp_path)), "no worked example for 'backprop'")


def test_listing_imports_no_solver(imported_modules):
    modules = imported_modules("examples")
    assert "numpy" not in modules and not any(m.startswith("dlsolve.solvers.") for m in modules)
