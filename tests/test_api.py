"""The Python API (issue 19, SPEC "Beyond the terminal"): ``dlsolve.solve`` gives what the
command line gives — the same solution for the same inputs (as Python values or as
command-line text), the same error messages — ``dlsolve.check`` what ``dlsolve check``
gives, and ``import dlsolve`` stays light.

Expected values are the command line's own output (the API must equal it), or hand values
from the course notes (the SOM's winners)."""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import json
import shlex
import subprocess
import sys
import tomllib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import dlsolve
from dlsolve import topics
from dlsolve.cli import click_command

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "worked_examples"
SHARED_OPTIONS = {"-p", "--problem", "-f", "--format", "-o", "--output", "--check", "--force", "--decimals", "--width"}


def _epilog_examples(command: str) -> list[list[str]]:
    """The option lists of the examples in the command's help (those with inputs only)."""
    lines = [line.strip() for line in topics.command(command).EPILOG.splitlines() if line.strip().startswith(f"dlsolve {command} -")]
    return [argv for argv in (shlex.split(line)[2:] for line in lines) if not SHARED_OPTIONS & set(argv)]


def _as_keywords(command: str, argv: list[str]) -> dict[str, object]:
    """Command-line options as ``solve`` keywords, their values kept as text (a flag: True)."""
    params = {opt: param for param in click_command(command).params for opt in param.opts}
    keywords: dict[str, object] = {}
    i = 0
    while i < len(argv):
        param = params[argv[i]]
        if param.is_flag:
            keywords[param.name] = True
            i += 1
            continue
        value = argv[i + 1]
        keywords[param.name] = [*keywords.get(param.name, []), value] if param.multiple else value
        i += 2
    return keywords


def _cli_json(cli, *args: str) -> dict:
    result = cli(*args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _examples_with_inputs() -> list[tuple[str, list[str]]]:
    return [(command, argv) for command in topics.TOPICS for argv in _epilog_examples(command)]


def _problem_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.glob("*.toml") if not p.name.endswith("-answers.toml"))


def test_done_when_the_issues_line_prints_the_notes_winners():
    # the course notes' SOM: x1..x4 = 1010, 1000, 1111, 0110 go to units 1, 1, 2, 2 (NOTES-PROBLEMS)
    done = subprocess.run([sys.executable, "-c", "import dlsolve; print(dlsolve.solve('som-train').answers['winners'])"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[1, 1, 2, 2]\n"


def test_every_command_has_examples_with_inputs_and_a_worked_example():
    for command in topics.TOPICS:
        assert _epilog_examples(command), command
        assert any(tomllib.loads(p.read_text())["command"] == command for p in _problem_files()), command


@pytest.mark.parametrize("command", topics.TOPICS)
def test_the_default_problem_equals_the_command_lines(cli, command):
    solution = dlsolve.solve(command)
    assert json.loads(solution.json()) == _cli_json(cli, command)
    assert solution.answers == _cli_json(cli, command)["answers"] or json.loads(json.dumps(solution.answers)) == _cli_json(cli, command)["answers"]
    assert solution.markdown() == cli(command, "-f", "markdown").stdout
    assert solution.markdown(decimals=2) == cli(command, "-f", "markdown", "--decimals", "2").stdout
    assert solution.text(width=80) == cli(command, "--width", "80").stdout
    assert solution.command == command and solution.notes and solution.steps
    assert [step.title for step in solution.steps] == [step["title"] for step in _cli_json(cli, command)["steps"]]


@pytest.mark.parametrize(("command", "argv"), _examples_with_inputs(), ids=lambda x: x if isinstance(x, str) else " ".join(x)[:40])
def test_inputs_as_text_and_as_python_values_equal_the_command_lines(cli, command, argv):
    expected = _cli_json(cli, command, *argv)
    as_text = _as_keywords(command, argv)
    assert json.loads(dlsolve.solve(command, **as_text).json()) == expected
    as_values = {name: _python_value(command, name, value) for name, value in as_text.items()}
    assert json.loads(dlsolve.solve(command, **as_values).json()) == expected


def _python_value(command: str, name: str, text: object) -> object:
    """The text as the Python data it stands for (tuples of numbers, words), read by the
    input's own parser; text whose reading is not plain data (a layer) stays text."""
    if not isinstance(text, (str, list)):
        return text
    field = next(f for f in topics.load(command).FIELDS if f.name == name)
    value = field.kind.read_text(text, f"--{name}")
    return value if _plain_data(value) else text


def _plain_data(value: object) -> bool:
    if type(value) is tuple:  # (a layer is a NamedTuple: not data a user writes)
        return all(map(_plain_data, value))
    return isinstance(value, (int, float, str, bool))


@pytest.mark.parametrize("path", _problem_files(), ids=lambda p: p.stem)
def test_a_problem_files_inputs_as_keywords_equal_solving_the_file(cli, path):
    table = tomllib.loads(path.read_text())
    command = table.pop("command")
    table.pop("description", None)
    expected = _cli_json(cli, command, "-p", str(path))
    keywords = {key.replace("-", "_"): value for key, value in table.items()}
    assert json.loads(dlsolve.solve(command, **keywords).json()) == expected
    assert json.loads(dlsolve.solve(command, problem=path).json()) == expected


def test_keywords_win_over_the_problem_file_as_options_do(cli):
    path = EXAMPLES / "som-train-notes.toml"
    expected = _cli_json(cli, "som-train", "-p", str(path), "--lr", "0.5")
    assert json.loads(dlsolve.solve("som-train", problem=str(path), lr=0.5).json()) == expected
    assert json.loads(dlsolve.solve("som-train", problem=str(path), lr="0.5").json()) == expected


def test_numpy_arrays_and_scalars_are_read_as_lists_and_numbers(cli):
    np = pytest.importorskip("numpy")
    samples = "1,1,0,0; 0,0,0,1; 1,0,0,0; 0,0,1,1"
    expected = _cli_json(cli, "som-train", "--samples", samples, "--weights", "0.2,0.6,0.5,0.9; 0.8,0.4,0.7,0.3", "--epochs", "2")
    solution = dlsolve.solve("som-train", samples=np.array([[1, 1, 0, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, 0, 1, 1]]),
                             weights=np.array([[0.2, 0.6, 0.5, 0.9], [0.8, 0.4, 0.7, 0.3]]), epochs=np.int64(2))
    assert json.loads(solution.json()) == expected


# --- bad input: the command line's messages ------------------------------------------------


def _cli_error(cli, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 2, result.stdout
    prefix = f"dlsolve {args[0]}: error: "
    assert result.stderr.startswith(prefix)
    return result.stderr[len(prefix):].rstrip("\n")


@pytest.mark.parametrize("command", topics.TOPICS)
def test_bad_text_for_every_input_raises_the_command_lines_message(cli, command):
    """Every input given nonsense, as text: the API's message is the command line's, or
    both accept it (free text)."""
    for param in click_command(command).params:
        if param.name not in {f.name for f in topics.load(command).FIELDS} or param.is_flag:
            continue
        for text in ("x!", "", "1e999", "nan", "1,2;3"):
            result = cli(command, param.opts[0], text, "-f", "json")
            if result.exit_code == 0:
                assert json.loads(dlsolve.solve(command, **{param.name: text}).json()) == json.loads(result.stdout)
                continue
            with pytest.raises(dlsolve.InputError) as raised:
                dlsolve.solve(command, **{param.name: text})
            assert f"dlsolve {command}: error: {raised.value}\n" == result.stderr, (param.name, text)


@pytest.mark.parametrize(("keywords", "argv"), [
    ({"lr": -1}, ["--lr", "-1"]),
    ({"lr": 0}, ["--lr", "0"]),
    ({"epochs": 0}, ["--epochs", "0"]),
    ({"lr_decay": 2}, ["--lr-decay", "2"]),
    ({"samples": [[1, 0], [0, 1]]}, ["--samples", "1,0; 0,1"]),  # the notes' weights have 4 columns
    ({"samples": [[1, 0], [1]]}, ["--samples", "1,0; 1"]),  # ragged
    ({"weights": [[0.1] * 4] * 300_000}, ["--weights", "; ".join(["0.1,0.1,0.1,0.1"] * 300_000)]),  # beyond the cap
])
def test_bad_python_values_raise_the_command_lines_message(cli, keywords, argv):
    with pytest.raises(dlsolve.InputError) as raised:
        dlsolve.solve("som-train", **keywords)
    assert str(raised.value) == _cli_error(cli, "som-train", *argv)


@pytest.mark.parametrize(("keywords", "message"), [
    ({"lrr": 0.5}, "lrr: is not an input of som-train (did you mean 'lr'? its inputs: samples, weights, lr, epochs, lr_decay, radius)"),
    ({"lr": float("nan")}, "--lr: must be a finite number"),
    ({"lr": float("inf")}, "--lr: must be a finite number"),
    ({"lr": Fraction(10**400)}, "--lr: '1000"),
    ({"epochs": 10**30}, "--epochs: 1000…000 (31 digits) is too large"),
    ({"lr": Decimal("0.5"), "epochs": True}, "--epochs: expected a whole number, got true/false"),
    ({"lr": {"a": 1}}, "--lr: expected a number, got a table"),
    ({"lr": object()}, "--lr: expected a number, got object"),
    ({"samples": []}, "--samples: expected a list of rows (a list of lists), got an empty list"),
    ({"samples": [[1.0, "x\x1b[31m"]]}, "--samples (row 1) (value 2): 'x\\x1b[31m' is not a number"),
    ({"lr\u202e": 1}, "lr\\u202e: is not an input of som-train"),
    ({"lr-decay": "x"}, "--lr-decay: 'x' is not a number"),  # a problem file's spelling is taken too
])
def test_hostile_python_values_raise_one_line_input_errors(keywords, message):
    with pytest.raises(dlsolve.InputError) as raised:
        dlsolve.solve("som-train", **keywords)
    assert str(raised.value).startswith(message)
    assert isinstance(raised.value, ValueError) and "\n" not in str(raised.value)


def test_deeply_nested_values_are_refused_not_a_recursion_error():
    nested: list = [1.0]
    for _ in range(100_000):
        nested = [nested]
    with pytest.raises(dlsolve.InputError, match="nested more than 64 deep"):
        dlsolve.solve("som-train", samples=nested)
    with pytest.raises(dlsolve.InputError, match="nested more than 64 deep"):
        dlsolve.check({"winners": nested}, command="som-train")


def test_a_flag_is_true_or_false_never_text(cli):
    assert json.loads(dlsolve.solve("rbf-xor", solve=True).json()) == _cli_json(cli, "rbf-xor", "--solve")
    with pytest.raises(dlsolve.InputError, match="--solve: expected true or false, got text"):
        dlsolve.solve("rbf-xor", solve="false")


def test_an_unknown_command_names_the_commands():
    with pytest.raises(dlsolve.InputError) as raised:
        dlsolve.solve("som-trian")
    assert str(raised.value) == f"command: 'som-trian' is not a solver (did you mean 'som-train'? one of {', '.join(topics.TOPICS)})"
    with pytest.raises(dlsolve.InputError, match="problem: expected the path of a problem file, got dict"):
        dlsolve.solve("som-train", problem={"lr": 0.5})


def test_render_options_are_checked_as_the_command_lines_are():
    solution = dlsolve.solve("som-train")
    for call, message in ((lambda: solution.text(width=-1), "width: must be a whole number ≥ 0"),
                          (lambda: solution.markdown(decimals=16), "decimals: must be a whole number from 0 to 15"),
                          (lambda: solution.text(decimals=True), "decimals: must be a whole number from 0 to 15")):
        with pytest.raises(dlsolve.InputError, match=message):
            call()


# --- Solution in a notebook and at the prompt ----------------------------------------------


def test_a_solution_shows_itself_as_markdown_and_prints_as_text():
    solution = dlsolve.solve("som-train", lr=0.5)
    assert solution._repr_markdown_() == solution.markdown()
    assert "$$" in solution.markdown()
    assert repr(solution) == "<Solution som-train: 6 steps; answers: distances, winners, history, weights, clusters, learning_rates>"
    assert str(solution) == solution.text()


@pytest.mark.parametrize("args", [("backprop",), ("check", str(EXAMPLES / "som-train-notes-answers.toml"))])
def test_html_is_the_command_lines_or_a_clear_error(cli, args):
    shown = dlsolve.solve("backprop") if args[0] == "backprop" else dlsolve.check(args[1])
    if importlib.util.find_spec("dlsolve.render.to_html") is None:  # the -f html renderer, added in parallel
        with pytest.raises(NotImplementedError, match="HTML output"):
            shown.html()
        return
    result = cli(*args, "-f", "html")
    try:
        html = shown.html()
    except dlsolve.InputError as error:  # the html extra is not installed: the command line's message
        assert result.exit_code == 2 and result.stderr == f"dlsolve {args[0]}: error: {error}\n"
        return
    assert html == result.stdout


def test_commands_lists_every_solver_with_its_summary():
    assert dlsolve.commands() == topics.SUMMARIES
    assert list(dlsolve.commands()) == list(topics.TOPICS)


def test_help_lists_the_commands_and_the_docstrings_examples_run():
    for command in topics.TOPICS:
        assert f"    {command}" in dlsolve.solve.__doc__
    for module in (dlsolve, importlib.import_module("dlsolve.api.solving"), importlib.import_module("dlsolve.api.checking")):
        failures, tried = doctest.testmod(module)
        assert failures == 0 and tried > 0, module.__name__


# --- check ----------------------------------------------------------------------------------


def _answers_files() -> list[Path]:
    return sorted(EXAMPLES.glob("*-answers.toml"))


@pytest.mark.parametrize("path", _answers_files(), ids=lambda p: p.stem)
def test_check_of_an_answers_file_equals_dlsolve_checks(cli, path):
    result = cli("check", str(path), "-f", "json")
    assert result.exit_code in (0, 1), result.stderr
    expected = json.loads(result.stdout)
    report = dlsolve.check(path)
    assert json.loads(report.json()) == expected
    file = expected["files"][0]
    assert report.score == file["score"] and report.all_right == file["all_right"] and report.max_score == file["max_score"]
    assert [(a.key, a.ok, a.status, a.tolerance, a.score) for a in report.answers] == \
           [(a["key"], a["right"], a["status"], a["tolerance"], a["score"]) for a in file["answers"]]
    assert [a.slip for a in report.answers] == [a["diagnoses"][0]["text"] if a["diagnoses"] else None for a in file["answers"]]
    assert [a.carried.ok if a.carried else None for a in report.answers] == \
           [a["carried_forward"]["right"] if a["carried_forward"] else None for a in file["answers"]]
    assert report.markdown() == cli("check", str(path), "-f", "markdown").stdout


@pytest.mark.parametrize("path", _answers_files(), ids=lambda p: p.stem)
def test_check_of_the_same_answers_as_a_dict_gives_the_same_verdicts(cli, path):
    table = tomllib.loads(path.read_text(), parse_float=Decimal)  # the digits as written, as the checker reads them
    expected = json.loads(cli("check", str(path), "-f", "json").stdout)["files"][0]
    report = dlsolve.check(table["answers"], command=table["command"], inputs=table.get("inputs"),
                           min_sigfigs=table.get("min_sigfigs"))
    assert [(a.key, a.ok, a.status, a.expected, a.slip) for a in report.answers] == \
           [(a["key"], a["right"], a["status"], a["expected"], a["diagnoses"][0]["text"] if a["diagnoses"] else None)
            for a in expected["answers"]]
    assert report.score == expected["score"]


def test_check_against_a_command_and_inputs_equals_the_solvers_check_option(cli, tmp_path):
    path = tmp_path / "answers.toml"
    path.write_text('[answers]\nwinners = [1, 2, 1, 1]\nlearning_rates = [0.5]\n')
    result = cli("som-train", "--lr", "0.5", "--check", str(path), "-f", "json")
    report = dlsolve.check(path, command="som-train", inputs={"lr": 0.5})
    assert json.loads(report.json()) == json.loads(result.stdout)
    assert report.all_right and result.exit_code == 0


def test_check_a_dict_float_is_judged_to_the_digits_its_repr_shows():
    # the notes' d²₂ for x₁: 0.4² + 0.7² + 0.6² + 0.3² = 1.1; d²₁ = 0.87 (hand values)
    report = dlsolve.check({"distances.1": [0.87, 1.1], "winners": [1, 1, 2, 2], "clusters": (1, 1, 2, 1)}, command="som-train")
    assert [a.ok for a in report.answers] == [True, True, False]
    assert report["distances.1"].tolerance == [0.005, 0.05]  # half a unit of the last written digit
    assert report.score == 2 and report.max_score == 3 and not report.all_right
    assert repr(report) == "<Report som-train: 2/3; first wrong step 6>"
    assert report._repr_markdown_() == report.markdown() and "| ✗ | `clusters` |" in report.markdown()


@pytest.mark.parametrize(("call", "argv"), [
    (dict(mode="written", digits=3), ["--digits", "3"]),
    (dict(mode="sigfig", rtol=0.1), ["--mode", "sigfig", "--rtol", "0.1"]),
    (dict(mode="relabs", rtol=float("nan")), ["--mode", "relabs", "--rtol", "nan"]),
    (dict(ecf_credit=float("nan")), ["--ecf-credit", "nan"]),
])
def test_check_options_that_do_not_fit_raise_the_command_lines_message(cli, call, argv):
    path = str(EXAMPLES / "som-train-notes-answers.toml")
    with pytest.raises(dlsolve.InputError) as raised:
        dlsolve.check(path, **call)
    assert str(raised.value) == _cli_error(cli, "check", path, *argv)


@pytest.mark.parametrize(("answers", "keywords", "message"), [
    ({"winners": [1, 1, 2, 2]}, {}, "command: not given"),
    ({}, {"command": "som-train"}, "answers: expected a non-empty dict"),
    ([1, 2], {"command": "som-train"}, "answers: expected a non-empty dict of answers"),
    ({"winnerz": 1}, {"command": "som-train"}, "answers: unknown answer"),
    ({1: 1}, {"command": "som-train"}, "answers: answer keys must be text"),
    ({"winners": object()}, {"command": "som-train"}, "answers 'winners': expected a number"),
    ({"winners": [1]}, {"command": "som-train", "inputs": {"lr": -1}}, "--lr: must be > 0, got -1"),
    ({"winners": [1]}, {"command": "som-train", "mode": "exact"}, "--mode: 'exact' is not one of written"),
    ({"winners": [1]}, {"command": "som-train", "digits": 0, "mode": "sigfig"}, "--digits: must be a whole number from 1 to 15"),
    ({"winners": [1]}, {"command": "som-train", "ecf_credit": 2}, "--ecf-credit: must be from 0 to 1, got 2"),
])
def test_check_refuses_bad_arguments_with_one_line(answers, keywords, message):
    with pytest.raises(dlsolve.InputError) as raised:
        dlsolve.check(answers, **keywords)
    assert message in str(raised.value)


def test_check_of_a_missing_file_names_it():
    with pytest.raises(dlsolve.InputError, match="no-such.toml: no such file"):
        dlsolve.check("no-such.toml")


# --- import cost ----------------------------------------------------------------------------

_IMPORTED = """
import json, sys
import dlsolve
stages = {"import": sorted(sys.modules)}
dlsolve.solve, dlsolve.check, dlsolve.InputError, dlsolve.Solution, dlsolve.Report
stages["attributes"] = sorted(sys.modules)
dlsolve.commands()
stages["commands()"] = sorted(sys.modules)
print(json.dumps(stages))
"""
HEAVY = ("numpy", "scipy", "typer", "rich", "click")


def test_import_dlsolve_imports_no_solver_numpy_scipy_typer_or_rich():
    done = subprocess.run([sys.executable, "-c", _IMPORTED], capture_output=True, text=True, check=True)
    for stage, modules in json.loads(done.stdout).items():
        heavy = [m for m in modules if m.split(".")[0] in HEAVY or m.startswith(("dlsolve.topics.", "dlsolve.render", "dlsolve.checking"))]
        assert heavy == [], stage
    assert "dlsolve.api.solving" not in json.loads(done.stdout)["import"]


def test_the_package_advertises_its_api_and_its_types():
    assert {"solve", "check", "commands", "Solution", "Report", "InputError"} <= set(dlsolve.__all__) <= set(dir(dlsolve))
    assert (Path(dlsolve.__file__).parent / "py.typed").is_file()
    with pytest.raises(AttributeError):
        dlsolve.no_such_thing  # noqa: B018


def test_the_readmes_python_cells_run_as_a_notebook_would():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Python API", 1)[1].split("\n## ", 1)[0]
    cells = [block.split("\n", 1)[1] for block in section.split("```python")[1:]]
    cells = [cell.split("```", 1)[0] for cell in cells]
    assert len(cells) >= 4
    namespace: dict = {}
    for cell in cells:
        exec(compile(cell, "README.md", "exec"), namespace)  # noqa: S102 (the README's own examples)
    assert namespace["report"].score == 1 and not namespace["report"]["winners"].ok
    assert "| ✓ | `distances.1` |" in namespace["report"].markdown()
