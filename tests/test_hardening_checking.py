"""Hostile inputs to the answer checker and the quiz (issue 11, items 4, 5, 11 and 12):
numbers far outside a double's range in answers files and typed answers, non-finite
tolerances and credits, Markdown/HTML in names and text answers, and commands that name
modules which are not solvers.

Expected values are hand arithmetic written next to them: the notes' t-test problem A
(n = 20, x̄ = 42, s = 6, μ0 = 44) has df = 20 − 1 = 19 and SE = 6/√19 = 1.3765.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from dlsolve.checking.compare import NOT_USABLE, OutOfRange, Rule, compare, in_range

EXAMPLES = Path(__file__).parent.parent / "worked_examples"
SLIPS_TTEST = str(EXAMPLES / "ttest-notes-a-slips-answers.toml")
EXTREME = ("1e400", "-1e400", "1e999999999", "-1e999999999", "1e-999999999", "1e-401", "0E-500")


def answers_file(tmp_path: Path, body: str, name: str = "answers.toml") -> str:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return str(path)


def strict_json(text: str) -> object:
    """Parse as strict JSON: NaN, Infinity and -Infinity are refused."""
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in JSON output")

    return json.loads(text, parse_constant=refuse)


# --- item 4: extreme numbers -----------------------------------------------------------------


@pytest.mark.parametrize("mode", ["written", "relabs", "sigfig", "decdig"])
@pytest.mark.parametrize("text", EXTREME)
@pytest.mark.parametrize("exact", [1.3765, 19, 0.0])
def test_an_extreme_number_is_judged_wrong_and_said_so(text, exact, mode):
    verdict = compare(in_range(Decimal(text)), exact, Rule(mode))
    assert not verdict.right
    assert [e.note for e in verdict.elements] == [NOT_USABLE]


def test_extreme_numbers_inside_vectors_and_quoted_numbers_are_found():
    given = [Decimal("0.5"), "1e400", [Decimal("1e-999999999")], {"a": 10**400}]
    marked = in_range(given)
    assert marked[0] == Decimal("0.5")
    assert [type(marked[1]), type(marked[2][0]), type(marked[3]["a"])] == [OutOfRange] * 3
    assert str(marked[1]) == "1e400"


def test_a_value_without_extreme_numbers_is_passed_through_unchanged():
    given = [[Decimal("0.72"), Decimal("0.2")], [Decimal("0.6"), 7]]
    assert in_range(given) is given


@pytest.mark.parametrize("text, usable", [
    ("9.99e307", True), ("1e308", False), (str(10**307), True), (str(10**308), False),
    ("1e-400", True), ("1.5e-400", True), ("1e-401", False), ("0", True), ("0.000", True), ("nan", True), ("inf", True),
])
def test_the_usable_range_ends_at_1e308_and_1e_minus_400(text, usable):
    number = int(text) if text.isdigit() else Decimal(text)  # (nan and inf are judged as such, not as out of range)
    assert (in_range(number) is number) is usable


def test_a_tiny_but_usable_number_is_compared_as_a_number():
    # relabs: |1e-400 − 0| = 1e-400 ≤ atol 1e-8 + 0.01·0, so right; written: ±0.5e-400 around 1e-400 excludes 0
    assert compare(in_range(Decimal("1e-400")), 0.0, Rule("relabs")).right
    assert not compare(in_range(Decimal("1e-400")), 0.0, Rule("written")).right


def test_a_number_written_with_two_million_decimals_is_compared_without_error():
    # 1.000…0 (2.1 million zeros): exponent −2,100,000, beyond what Decimal.scaleb accepts; equal to 1
    verdict = compare(Decimal("1." + "0" * 2_100_000), 1.0, Rule())
    assert verdict.right


def test_a_file_with_extreme_numbers_is_marked_and_the_class_goes_on(cli, tmp_path):
    extreme = answers_file(tmp_path, 'command = "ttest"\nstudent = "Extreme"\n[answers]\n'
                                     "df = 1e999999999\nse = 1e400\nstatistic = 1e-999999999\ncritical = 2.093\n", "extreme.toml")
    right = answers_file(tmp_path, 'command = "ttest"\n[answers]\ndf = 19\nse = 1.3765\n', "right.toml")
    result = cli("check", extreme, right, "--details")
    assert result.exit_code == 1 and result.stderr == ""
    assert result.stdout.count(NOT_USABLE) == 3
    assert "Score 1/4" in result.stdout  # critical 2.093 = t₀.₀₂₅ with 19 df (the table) is still marked right
    assert "Score 2/2" in result.stdout  # the other file is checked


@pytest.mark.parametrize("format", ["json", "gradescope"])
def test_extreme_numbers_give_strict_json(cli, tmp_path, format):
    path = answers_file(tmp_path, 'command = "ttest"\n[answers]\ndf = 1e999999999\nse = -1e400\nstatistic = 1e-999999999\n')
    result = cli("check", path, "-f", format)
    assert result.exit_code == 1
    document = strict_json(result.stdout)
    if format == "json":
        given = {a["key"]: a["given"] for a in document["files"][0]["answers"]}
        assert given == {"df": "1E+999999999", "se": "-1E+400", "statistic": "1E-999999999"}
    else:
        assert document["score"] == 0 and all(NOT_USABLE in test["output"] for test in document["tests"])


def test_a_quoted_extreme_number_in_a_json_file(cli, tmp_path):
    path = answers_file(tmp_path, json.dumps({"command": "ttest", "answers": {"se": "1e400", "df": 19}}), "answers.json")
    result = cli("check", path)
    assert result.exit_code == 1 and NOT_USABLE in result.stdout and "Score 1/2" in result.stdout


def test_an_extreme_number_file_finishes_quickly_in_a_real_process(tmp_path):
    # before: df = 1e999999999 took 180 s and 467 MB (a billion-digit whole number); 1e400 crashed
    path = answers_file(tmp_path, 'command = "ttest"\n[answers]\ndf = 1e999999999\nse = 1e400\nstatistic = -1e-999999999\n')
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "dlsolve", "check", "--width", "0", path], capture_output=True, text=True, timeout=60)
    assert time.monotonic() - start < 10
    assert done.returncode == 1 and done.stderr == ""
    assert done.stdout.count(NOT_USABLE) == 3


def test_the_quiz_asks_again_after_an_extreme_number(cli):
    # ttest seed 1: question 1 is the alternative (skipped), question 2 the standard error
    result = cli("practice", "ttest", "--seed", "1", "--quiz", input="\n1e400\n1e-999999999\nq\n")
    assert result.exit_code == 1  # a skipped question is not right
    assert result.stdout.count("is " + NOT_USABLE + " — try again") == 2
    assert "Traceback" not in result.stdout + result.stderr


# --- item 5: the numeric options of check ----------------------------------------------------


@pytest.mark.parametrize("args, message", [
    (("--mode", "relabs", "--rtol", "1e400"), "--rtol: must be a finite number, not inf"),
    (("--mode", "relabs", "--rtol", "nan"), "--rtol: must be a finite number, not nan"),
    (("--mode", "relabs", "--atol", "inf"), "--atol: must be a finite number, not inf"),
    (("--mode", "relabs", "--atol", "-inf"), "--atol"),
    (("--mode", "relabs", "--rtol", "-0.1"), "--rtol"),
    (("--ecf-credit", "nan"), "--ecf-credit: must be a finite number, not nan"),
    (("--ecf-credit", "inf"), "--ecf-credit"),
    (("--ecf-credit", "1.5"), "--ecf-credit"),
    (("--mode", "sigfig", "--digits", "0"), "--digits"),
    (("--mode", "decdig", "--digits", "16"), "--digits"),
    (("--mode", "sigfig", "--digits", "1e9"), "--digits"),
    (("--decimals", "-1"), "--decimals"),
])
def test_a_bad_numeric_option_is_one_line_and_exit_2(cli, input_error, tmp_path, args, message):
    output = tmp_path / "report.json"
    input_error(cli("check", SLIPS_TTEST, *args, "-f", "gradescope", "-o", str(output)), message)
    assert not output.exists()


@pytest.mark.parametrize("format", ["json", "gradescope"])
def test_a_huge_relative_tolerance_keeps_the_json_strict(cli, format):
    # rtol 1e308 · |exact| overflows a double: the tolerance stays finite (and accepts everything)
    result = cli("check", SLIPS_TTEST, "--mode", "relabs", "--rtol", "1e308", "--atol", "1e300", "-f", format)
    assert result.exit_code == 0
    strict_json(result.stdout)


def test_a_partial_credit_goes_into_strict_json(cli):
    # the slips file: statistic −1.4908 is right given the student's SE (carried forward), so worth 0.25
    document = strict_json(cli("check", SLIPS_TTEST, "--ecf-credit", "0.25", "-f", "gradescope").stdout)
    assert sorted(test["score"] for test in document["tests"]) == [0, 0, 0.25, 1, 1, 1]


# --- item 11: Markdown and HTML in the Markdown report -----------------------------------------

PAYLOAD = ("<script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:x) `code` a|b **b** "
           "&lt; $x$ ~~s~~ # h")


def _html(markdown: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough").render(markdown)


def test_student_text_in_the_markdown_report_is_shown_not_rendered(cli, tmp_path):
    markdown_it = pytest.importorskip("markdown_it")
    assert markdown_it
    student = json.dumps(PAYLOAD + "\nsecond line")
    answer = json.dumps(PAYLOAD + "\n| forged | row |")
    one = answers_file(tmp_path, f'command = "ttest"\nstudent = {student}\n[answers]\ntest = {answer}\nse = 1.3765\n', "a|b<i>.toml")
    bad = answers_file(tmp_path, f'command = "ttest"\n[answers]\n"{PAYLOAD.replace(chr(34), "")}" = 1\n', "bad.toml")
    result = cli("check", one, bad, "--details", "-f", "markdown")
    html = _html(result.stdout)
    for dangerous in ("<script", "<img", "<a ", "href", "<code>code", "<strong>b", "<del>", "<h1", "<i>"):
        assert dangerous not in html, dangerous
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the text is there, as text
    # the file's table: a header and one row per answer, 7 cells each; the summary: two files
    tables = html.split("<table>")[1:]
    first_rows = tables[0].split("<tr>")[1:]
    assert len(first_rows) == 3 and all(row.count("<td>") + row.count("<th>") == 7 for row in first_rows)
    assert len(tables[1].split("<tr>")[1:]) == 3
    assert "\\x0a" in result.stdout  # the newline shown, never a line break in a cell


# --- item 12: commands that are not solvers ----------------------------------------------------

NOT_SOLVERS = ["activations", "__init__", "conv_params_parse", "a.b", "..", "", "dlsolve.cli", "../x", "som_train"]


@pytest.mark.parametrize("name", NOT_SOLVERS)
def test_check_refuses_a_command_that_is_not_a_solver(cli, input_error, tmp_path, name):
    path = answers_file(tmp_path, f'command = "{name}"\n[answers]\nloss = 1\n')
    input_error(cli("check", path), f"command {name!r} is not a solver (")


@pytest.mark.parametrize("name", NOT_SOLVERS)
def test_solve_refuses_a_command_that_is_not_a_solver(cli, input_error, tmp_path, name):
    path = answers_file(tmp_path, f'command = "{name}"\n', "problem.toml")
    input_error(cli("solve", path), f"command {name!r} in {path} is not a solver (")


def test_a_problem_file_for_another_command_is_refused(cli, input_error, tmp_path):
    path = answers_file(tmp_path, 'command = "activations"\n', "problem.toml")
    input_error(cli("backprop", "-p", path), "is a problem for 'activations', not 'backprop'")


def test_the_hint_names_the_solver_meant(cli, tmp_path):
    path = answers_file(tmp_path, 'command = "som_train"\n[answers]\nloss = 1\n')
    assert "did you mean 'som-train'?" in cli("check", path).stderr


def test_no_module_is_imported_for_a_command_that_is_not_a_solver(imported_modules, tmp_path):
    path = answers_file(tmp_path, 'command = "activations"\n[answers]\nloss = 1\n')
    modules = imported_modules("check", path)
    assert [m for m in modules if m.startswith("dlsolve.topics.")] == []


def test_one_file_with_a_bad_command_does_not_stop_the_class(cli, tmp_path):
    bad = answers_file(tmp_path, 'command = "__init__"\n[answers]\nloss = 1\n', "bad.toml")
    result = cli("check", bad, SLIPS_TTEST)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "command '__init__' is not a solver" in result.stderr
    assert "unusable: " in result.stdout and "ttest-notes-a-slips-answers.toml" in result.stdout


# --- found on the way: list indexes in answer keys ----------------------------------------------


@pytest.mark.parametrize("index, message", [
    ("²", "history is a list; index it with 1 … 4, not '²'"),  # a digit to str.isdigit, not to int()
    ("٣", "history is a list; index it with 1 … 4, not '٣'"),  # Arabic-Indic 3: not read as 3
    ("9" * 5000, "history has 4 items (history.1 … history.4)"),  # int() refuses 4,300+ digits
    ("0", "indexes start at 1; history has 4 items"),
])
def test_a_key_index_that_is_no_list_index(cli, input_error, tmp_path, index, message):
    path = answers_file(tmp_path, f'command = "som-train"\n[answers]\n"history.{index}" = 1\n')
    input_error(cli("check", path), message)


# --- found on the way: a random answers-file probe (values of every kind for every answer) ------


def test_a_whole_list_of_layer_tables_is_shown(cli, tmp_path):
    # the notes' conv-params problem on 32 × 32 × 3, by hand: Conv2D(32, 3) → 30 × 30 × 32, (3·3·3 + 1)·32 = 896;
    # MaxPooling2D(2) → 15 × 15 × 32, 0; Conv2D(64, 3) → 13 × 13 × 64, (3·3·32 + 1)·64 = 18,496
    layers = [{"name": "conv2d", "output_shape": [30, 30, 32], "params": 896, "trainable": 896},
              {"name": "max_pooling2d", "output_shape": [15, 15, 32], "params": 0, "trainable": 0},
              {"name": "conv2d_1", "output_shape": [13, 13, 64], "params": 18496, "trainable": 18496}]
    right = answers_file(tmp_path, json.dumps({"command": "conv-params", "answers": {"layers": layers}}), "right.json")
    result = cli("check", right)
    assert result.exit_code == 0 and "Score 1/1: every answer right." in result.stdout
    wrong = answers_file(tmp_path, json.dumps({"command": "conv-params", "answers": {"layers": 19}}), "wrong.json")
    result = cli("check", wrong)
    assert result.exit_code == 1 and "params = 18,496" in result.stdout and "expected 3 values, got a number" in result.stdout


def test_an_overflowing_carried_forward_value_keeps_the_json_strict(cli, tmp_path):
    # var from the student's mean: 1/m Σ (xᵢ − 10³⁰⁰)² overflows a double; nothing is carried forward
    path = answers_file(tmp_path, json.dumps({"command": "batchnorm", "answers": {"mean": 10**300, "var": 0}}), "a.json")
    result = cli("check", path, "-f", "json")
    assert result.exit_code == 1
    answers = strict_json(result.stdout)["files"][0]["answers"]
    assert [a["carried_forward"] for a in answers] == [None, None]
