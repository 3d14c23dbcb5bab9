"""``dlsolve examples`` and the worked examples themselves: every problem of the notes has one,
each has a description and its committed Markdown solution; ``dlsolve solve NAME`` and
``dlsolve examples --copy DIR``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dlsolve.commands.examples import read_examples, shipped_folder
from dlsolve.topics import TOPICS

FOLDER = Path(__file__).parent.parent / "worked_examples"
EXAMPLES = read_examples(FOLDER)

# The hand-worked problems of the course notes (the project's NOTES-PROBLEMS.md §1–§7), each
# with the worked example that solves it and the topic its description names
NOTES_PROBLEMS = {
    "backprop-notes.toml": "backpropagation",
    "rbf-xor-notes.toml": "RBF network for XOR",
    "rbf-xor-two-centers.toml": "RBF network for XOR",
    "som-train-notes.toml": "Kohonen SOM",
    "ttest-notes-a.toml": "t-test, problem A",
    "ttest-notes-b.toml": "t-test, problem B",
    "batchnorm-default.toml": "batch normalization",
    "kl-divergence-vae.toml": "VAE KL term",
    "conv-params-notes.toml": "CNN parameter count",
    "conv-params-lstm.toml": "LSTM parameter count",
    "conv-params-rnn.toml": "RNN weight shapes",
    "early-stopping-notes.toml": "early stopping story",
}
FROM_THE_NOTES = "The course notes' "


def test_every_notes_problem_has_a_worked_example_that_says_so():
    descriptions = {e.path.name: e.description for e in EXAMPLES}
    for file, topic in NOTES_PROBLEMS.items():
        assert descriptions[file].startswith(FROM_THE_NOTES) and topic in descriptions[file], file


@pytest.mark.parametrize("command", TOPICS)
def test_every_command_has_examples_beyond_the_notes(command):
    beyond = [e for e in EXAMPLES if e.command == command and e.path.name not in NOTES_PROBLEMS]
    assert len(beyond) >= 2, command


def test_every_example_has_a_one_line_description_and_its_solution():
    for example in EXAMPLES:
        assert example.description and "\n" not in example.description and len(example.description) <= 140, example.path.name
        assert example.path.with_suffix(".md").exists(), example.path.name


def test_examples_lists_every_problem_file_with_its_description(cli):
    result = cli("examples")
    assert result.exit_code == 0
    for example in EXAMPLES:
        row = next(line for line in result.stdout.splitlines() if line.startswith(f"{example.path.stem} "))
        assert example.command in row and example.description in row
    assert "dlsolve solve NAME" in result.stdout and "dlsolve examples --copy DIR" in result.stdout


def test_answers_files_are_not_listed(cli, tmp_path):
    (tmp_path / "a.toml").write_text('command = "ttest"\ndescription = "a problem"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('command = "ttest"\n[answers]\nn = 20\n', encoding="utf-8")
    data = json.loads(cli("examples", "--dir", str(tmp_path), "-f", "json").stdout)
    assert [Path(e["file"]).name for e in data] == ["a.toml"]


def test_examples_of_one_command(cli):
    lines = [line for line in cli("examples", "ttest").stdout.splitlines() if line.startswith("ttest-")]
    assert lines and all("ttest" in line for line in lines)
    assert len(lines) == sum(e.command == "ttest" for e in EXAMPLES)


def test_examples_as_json_and_as_a_markdown_index(cli):
    data = json.loads(cli("examples", "-f", "json").stdout)
    assert [(e["name"], Path(e["file"]).name, e["command"], e["description"]) for e in data] == \
        [(e.path.stem, e.path.name, e.command, e.description) for e in EXAMPLES]
    assert all(Path(e["file"]).is_file() for e in data)
    table = cli("examples", "-f", "markdown").stdout
    assert table.startswith("| problem file | command | solution | what it is |")
    assert all(f"[{e.path.stem}.md]({e.path.stem}.md)" in table for e in EXAMPLES)


def test_examples_errors(cli, input_error, tmp_path):
    input_error(cli("examples", "--dir", str(tmp_path / "none")), "--dir")
    input_error(cli("examples", "backprop", "--dir", str(tmp_path)), "no worked example for 'backprop'")


def test_the_shipped_examples_are_the_checkouts_in_an_editable_install():
    assert shipped_folder().resolve() == FOLDER.resolve()


def test_solve_a_worked_example_by_name(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no worked_examples/ here
    by_path = cli("solve", str(FOLDER / "ttest-notes-b.toml"), "-f", "json")
    for name in ("ttest-notes-b", "ttest-notes-b.toml"):
        by_name = cli("solve", name, "-f", "json")
        assert by_name.exit_code == 0, by_name.stderr
        assert json.loads(by_name.stdout) == json.loads(by_path.stdout)


def test_a_file_here_wins_over_the_example_of_that_name(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ttest-notes-b").write_text('command = "ttest"\nn = 25\nmean = 52\nsd = 8\nmu0 = 50\n', encoding="utf-8")
    assert json.loads(cli("solve", "ttest-notes-b", "-f", "json").stdout)["answers"]["n"] == 25


def test_solve_a_name_that_is_no_example(cli, input_error, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    input_error(cli("solve", "ttest-note-b"), "FILE: ttest-note-b is neither a file nor a worked example (did you mean ttest-notes-b")
    input_error(cli("solve", "zzz"), "(dlsolve examples lists them)")
    input_error(cli("solve", "ttest-notes-a-slips-answers"), "neither a file nor a worked example")  # an answers file is not a problem
    input_error(cli("solve", "./ttest-notes-b"), "no such file: ./ttest-notes-b")  # a path is never looked up


def test_copy_the_examples_out_to_edit(cli, tmp_path):
    target = tmp_path / "mine" / "examples"
    result = cli("examples", "--copy", str(target))
    assert result.exit_code == 0, result.stderr
    shipped = sorted(p.name for p in FOLDER.iterdir() if p.suffix in (".toml", ".json", ".md"))
    assert sorted(p.name for p in target.iterdir()) == shipped
    assert all((target / name).read_bytes() == (FOLDER / name).read_bytes() for name in shipped)
    assert f"Copied {len(shipped)} files" in result.stdout and f"dlsolve solve {target / EXAMPLES[0].path.name}" in result.stdout
    solved = cli("solve", str(target / "ttest-notes-b.toml"))
    assert solved.exit_code == 0 and solved.stdout


def test_copy_the_examples_of_one_command(cli, tmp_path):
    assert cli("examples", "ttest", "--copy", str(tmp_path)).exit_code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names and all(n.startswith("ttest-") for n in names)
    assert "ttest-notes-a-slips-answers.toml" in names and "ttest-notes-b.md" in names


def test_copy_never_replaces_a_file_without_force(cli, input_error, tmp_path):
    (tmp_path / "ttest-paired.toml").write_text("mine", encoding="utf-8")
    input_error(cli("examples", "ttest", "--copy", str(tmp_path)), f"--copy: {tmp_path / 'ttest-paired.toml'} exist; add --force")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ttest-paired.toml"]  # nothing written
    assert cli("examples", "ttest", "--copy", str(tmp_path), "--force").exit_code == 0
    assert (tmp_path / "ttest-paired.toml").read_bytes() == (FOLDER / "ttest-paired.toml").read_bytes()


def test_copy_errors(cli, input_error, tmp_path):
    (tmp_path / "file").write_text("", encoding="utf-8")
    input_error(cli("examples", "--copy", str(tmp_path / "file")), "--copy: ")
    input_error(cli("examples", "--copy", str(tmp_path / "file" / "below")), "--copy: cannot make the folder")
    input_error(cli("examples", "nothing", "--copy", str(tmp_path / "new")), "no worked example for 'nothing'")
    assert not (tmp_path / "new").exists()


def test_listing_imports_no_solver(imported_modules):
    modules = imported_modules("examples")
    assert "numpy" not in modules and not any(m.startswith("dlsolve.topics.") for m in modules)


def test_an_install_without_the_examples_says_how_to_fix_it(cli, input_error, monkeypatch):
    """An editable install made before the examples were package data does not map them."""
    monkeypatch.setattr("dlsolve.commands.examples.PACKAGE", "dlsolve.no_worked_examples")
    input_error(cli("examples"), "--dir: this dlsolve was installed without its worked examples: reinstall it")
    input_error(cli("solve", "ttest-notes-b"), "reinstall it")
