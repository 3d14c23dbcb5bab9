"""``dlsolve solve FILE``: the file's command picks the solver; every output option works and
the result is exactly ``dlsolve COMMAND -p FILE``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dlsolve.commands.examples import read_examples

EXAMPLES = read_examples(Path(__file__).parent.parent / "worked_examples")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.path.name)
@pytest.mark.parametrize("format", ["text", "markdown", "json"])
def test_solve_is_the_command_with_the_problem_file(cli, example, format):
    solved = cli("solve", str(example.path), "-f", format, "--decimals", "5")
    direct = cli(example.command, "-p", str(example.path), "-f", format, "--decimals", "5")
    assert solved.exit_code == 0 and solved.stdout == direct.stdout


def test_solve_reads_json_problem_files_too(cli, tmp_path):
    path = tmp_path / "som.json"
    path.write_text(json.dumps({"command": "som-train", "description": "two samples",
                                "samples": [[1, 0], [0, 1]], "weights": [[0.2, 0.8], [0.9, 0.1]], "lr": 0.5}), encoding="utf-8")
    data = json.loads(cli("solve", str(path), "-f", "json").stdout)
    # x1 = (1, 0): d² = 0.8² + 0.8² = 1.28 to unit 1, 0.1² + 0.1² = 0.02 to unit 2 → unit 2 → (0.95, 0.05)
    assert data["answers"]["winners"][0] == 2
    assert data["answers"]["history"][0][1] == pytest.approx([0.95, 0.05])


def test_output_writes_a_file_and_never_overwrites_without_force(cli, input_error, tmp_path):
    source = EXAMPLES[0].path
    target = tmp_path / "out.md"
    assert cli("solve", str(source), "-f", "markdown", "-o", str(target)).exit_code == 0
    written = target.read_text(encoding="utf-8")
    assert written == cli("solve", str(source), "-f", "markdown").stdout
    input_error(cli("solve", str(source), "-o", str(target)), "--output")
    assert target.read_text(encoding="utf-8") == written
    assert cli("solve", str(source), "-o", str(target), "--force").exit_code == 0


@pytest.mark.parametrize(("content", "message"), [
    ('lr = 0.5\n', "has no command key"),
    ('command = "som_train"\n', "did you mean 'som-train'"),
    ('command = "practice"\n', "is not a solver"),
    ('command = "ttest"\nfoo = 1\n', "FILE: unknown key 'foo'"),
    ('command = "ttest"\ndescription = 3\n', "description"),
    ('command = "ttest"\nn = "many"\n', "n in "),
    ('command = "ttest" n = 3\n', "not valid TOML"),
])
def test_bad_problem_files_are_one_line_errors(cli, input_error, tmp_path, content, message):
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    input_error(cli("solve", str(path)), message)


def test_a_missing_file_is_an_error(cli, input_error, tmp_path):
    input_error(cli("solve", str(tmp_path / "nope.toml")), "FILE: no such file")


def test_a_description_is_accepted_by_every_solver_with_p(cli):
    for example in EXAMPLES:
        assert example.description, example.path.name
        assert cli(example.command, "-p", str(example.path), "-f", "json").exit_code == 0
