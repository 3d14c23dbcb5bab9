"""`dlsolve check FILE...` and `dlsolve COMMAND --check FILE` on the command line: exit codes
0/1/2, the report formats (text, markdown, JSON, Gradescope's results.json), many files,
and the bad-input contract (one line on stderr, exit 2, nothing written)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dlsolve.topics import TOPICS

EXAMPLES = Path(__file__).parent.parent / "worked_examples"
NOTES_SOM = str(EXAMPLES / "som-train-notes-answers.toml")
RIGHT_BACKPROP = str(EXAMPLES / "backprop-notes-answers.toml")


def answers_file(tmp_path, body: str, name: str = "answers.toml") -> str:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return str(path)


# --- exit codes ------------------------------------------------------------------------------


def test_all_right_exits_0(cli):
    result = cli("check", RIGHT_BACKPROP)
    assert result.exit_code == 0 and "Score 9/9: every answer right." in result.stdout


def test_some_wrong_exits_1_and_shows_the_diagnosis(cli):
    result = cli("check", NOTES_SOM)
    assert result.exit_code == 1
    out = result.stdout
    assert "Step 3. Iteration 2: sample x₂ = (1, 0, 0, 0)" in out
    assert "slip: the update's sign flipped: w − η(x − w) instead of w + η(x − w) — matches (1,2), (1,3); (1,1), (1,4) wrong otherwise" in out
    assert "✓ right given your history.2 (error carried forward: 4.548864, 1.1)" in out
    assert "First wrong step: Step 3. Iteration 2" in out
    assert result.stderr == ""


@pytest.mark.parametrize("body, message", [
    ('command = "som-train"\n[answers\n', "is not valid TOML"),
    ('command = "som-train"\n[answers]\nhistroy.2 = 1\n', "unknown answer 'histroy.2' (did you mean 'history.2'?"),
    ('command = "nope"\n[answers]\nx = 1\n', "command 'nope' is not a solver"),
    ('command = "som-train"\n[inputs]\nlr = 0\n[answers]\nwinners.1 = 1\n', "lr in [inputs]: must be > 0"),
])
def test_an_unusable_file_exits_2_with_one_line(cli, input_error, tmp_path, body, message):
    input_error(cli("check", answers_file(tmp_path, body)), message)


def test_a_missing_file(cli, input_error, tmp_path):
    input_error(cli("check", str(tmp_path / "none.toml")), "none.toml: no such file")


def test_usage_errors(cli, input_error):
    input_error(cli("check", NOTES_SOM, "--digits", "3"), "--digits: applies to --mode sigfig or decdig, not written")
    input_error(cli("check", NOTES_SOM, "--rtol", "0.1"), "--rtol: applies to --mode relabs, not written")
    input_error(cli("check", NOTES_SOM, RIGHT_BACKPROP, "-f", "gradescope"), "writes one submission's results.json; got 2 files")
    assert cli("check").exit_code == 2
    assert cli("check", NOTES_SOM, "--mode", "exact").exit_code == 2


# --- modes on the command line -----------------------------------------------------------------


def test_modes_change_the_verdicts(cli, tmp_path):
    # h1 = 0.5932699921 written 0.59: right as written (±0.005); sigfig 3 (ε = 0.0051 · 10⁻¹ = 0.00051) wrong;
    # relabs 1e-2: |0.59 − 0.59327| = 0.0033 ≤ 0.0059327 right; decdig 3 (ε = 0.00051) wrong
    path = answers_file(tmp_path, 'command = "backprop"\n[answers]\nhidden.1 = [0.59, 0.5969]\n')
    assert cli("check", path).exit_code == 0
    assert cli("check", path, "--mode", "sigfig", "--digits", "3").exit_code == 1
    assert cli("check", path, "--mode", "relabs").exit_code == 0
    assert cli("check", path, "--mode", "relabs", "--rtol", "0.001").exit_code == 1
    assert cli("check", path, "--mode", "decdig", "--digits", "3").exit_code == 1
    assert cli("check", path, "--mode", "decdig").exit_code == 0  # 2 digits: ε = 0.0051
    assert "±0.0051" in cli("check", path, "--mode", "sigfig").stdout  # 2 significant digits by default


def test_the_tolerance_applied_is_printed(cli):
    out = cli("check", NOTES_SOM).stdout
    assert "✓  distances.2   0.8992, 0.9" in out and "±0.00005–0.05" in out  # 4 decimals and 1 decimal written


# --- formats ----------------------------------------------------------------------------------------


def test_json_report(cli):
    result = cli("check", NOTES_SOM, "-f", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["rule"]["mode"] == "written" and data["summary"]["files"] == 1
    [file] = data["files"]
    assert (file["score"], file["max_score"], file["right"], file["carried_forward"], file["wrong"]) == (13, 14, 7, 6, 1)
    assert file["first_wrong_step"]["number"] == 3
    history = next(a for a in file["answers"] if a["key"] == "history.2")
    assert history["status"] == "wrong" and history["wrong_elements"] == [[0, 0], [0, 1], [0, 2], [0, 3]]
    assert history["diagnoses"][0]["slip"] == "update-sign" and history["diagnoses"][0]["elements"] == [[0, 1], [0, 2]]
    assert history["tolerance"] == [[0.005, 0.005, 0.0005, 0.005], [0.05, 0.05, 0.05, 0.05]]
    distances = next(a for a in file["answers"] if a["key"] == "distances.3")
    assert distances["carried_forward"]["right"] and distances["carried_forward"]["from_wrong"] == ["history.2"]


def test_json_keeps_the_digits_as_written(cli, tmp_path):
    path = answers_file(tmp_path, 'command = "rbf-xor"\n[answers]\nphi.1 = [1, 0.60, 0.61, 0.37]\n')
    answer = json.loads(cli("check", path, "-f", "json").stdout)["files"][0]["answers"][0]
    assert answer["given_as_written"] == "1, 0.60, 0.61, 0.37" and answer["given"] == [1, 0.6, 0.61, 0.37]
    assert answer["wrong_elements"] == [[1]]  # 0.60 ≠ 0.6065 to two decimals


def test_gradescope_results_json(cli, tmp_path):
    out = tmp_path / "results.json"
    result = cli("check", NOTES_SOM, "-f", "gradescope", "-o", str(out))
    assert result.exit_code == 1 and result.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["score"] == 13 and len(data["tests"]) == 14
    test = next(t for t in data["tests"] if t["name"].startswith("history.2"))
    assert test == {**test, "score": 0.0, "max_score": 1, "status": "failed"}
    assert "Step 3. Iteration 2" in test["name"] and "slip: the update's sign flipped" in test["output"]
    carried = next(t for t in data["tests"] if t["name"].startswith("distances.3"))
    assert carried["score"] == 1.0 and carried["status"] == "failed" and "right given your history.2" in carried["output"]
    assert data["extra_data"]["max_score"] == 14


def test_gradescope_with_an_unusable_submission_still_writes_why(cli, tmp_path):
    out = tmp_path / "results.json"
    result = cli("check", answers_file(tmp_path, "not toml ["), "-f", "gradescope", "-o", str(out))
    assert result.exit_code == 2 and "is not valid TOML" in result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["score"] == 0 and data["tests"] == [] and "could not be checked" in data["output"]


def test_markdown_report(cli):
    out = cli("check", NOTES_SOM, "-f", "markdown").stdout
    assert out.startswith("## ") and "| ✗ | `history.2` |" in out and "**Score 13/14:" in out


def test_ecf_credit(cli):
    data = json.loads(cli("check", NOTES_SOM, "-f", "json", "--ecf-credit", "0").stdout)
    assert data["files"][0]["score"] == 7 and data["ecf_credit"] == 0


# --- many files ----------------------------------------------------------------------------------


def test_a_class_gets_a_summary_and_an_unusable_file_exits_2(cli, tmp_path):
    broken = answers_file(tmp_path, 'command = "som-train"\n[answers]\nwinners.9 = 1\n', "broken.toml")
    result = cli("check", NOTES_SOM, RIGHT_BACKPROP, broken, "--details")
    assert result.exit_code == 2
    assert "Class summary: 3 files" in result.stdout
    assert "The course notes" in result.stdout and "13/14" in result.stdout and "9/9" in result.stdout
    assert "unusable: " in result.stdout and "winners.9: winners has 4 items" in result.stderr
    assert "Most often wrong" in result.stdout and "som-train history.2: wrong in 1 of 1 files; most common slip (in 1): the update's sign flipped" in result.stdout
    assert "som-train history.3: wrong in 1 of 1 files (1 right given earlier answers)" in result.stdout


def test_many_files_show_the_summary_and_with_details_every_table(cli):
    result = cli("check", NOTES_SOM, RIGHT_BACKPROP)
    assert result.exit_code == 1 and result.stdout.startswith("Class summary: 2 files")
    assert "1 of 2 files all right" in result.stdout
    result = cli("check", NOTES_SOM, RIGHT_BACKPROP, "--details")
    tables, summary = result.stdout.split("Class summary")
    assert "Step 3. Iteration 2" in tables and "Score 9/9" in tables and "1 of 2 files all right" in summary


def test_output_file_and_refused_overwrite(cli, input_error, tmp_path):
    out = tmp_path / "report.txt"
    assert cli("check", NOTES_SOM, "-o", str(out)).exit_code == 1 and "Score 13/14" in out.read_text(encoding="utf-8")
    input_error(cli("check", NOTES_SOM, "-o", str(out)), "exists; add --force to overwrite it")
    assert cli("check", NOTES_SOM, "-o", str(out), "--force").exit_code == 1


# --- COMMAND --check FILE --------------------------------------------------------------------------


@pytest.mark.parametrize("command", TOPICS)
def test_every_solver_takes_check(cli, command):
    result = cli(command, "--help")
    assert "--check FILE" in result.stdout


def test_check_on_a_solver_uses_its_problem(cli, tmp_path):
    path = answers_file(tmp_path, "[answers]\nwinners.1 = 1\nlearning_rates = [0.5]\n")
    assert cli("som-train", "--lr", "0.5", "--check", path).exit_code == 0
    result = cli("som-train", "--check", path)  # η = 0.6 here
    assert result.exit_code == 1 and "learning_rates" in result.stdout


def test_check_on_a_solver_with_agreeing_or_other_inputs(cli, input_error, tmp_path):
    agreeing = answers_file(tmp_path, 'command = "som-train"\n[inputs]\nlr = 0.5\n[answers]\nwinners.1 = 1\n')
    assert cli("som-train", "--lr", "0.5", "--check", agreeing).exit_code == 0
    input_error(cli("som-train", "--check", agreeing), "its [inputs] are another problem (--lr is 0.5 there, 0.6 here)")
    input_error(cli("backprop", "--check", agreeing), "is an answers file for 'som-train', not 'backprop'")


def test_check_on_a_solver_with_a_problem_file_and_json(cli):
    result = cli("backprop", "-p", str(EXAMPLES / "backprop-notes.toml"), "--check", RIGHT_BACKPROP, "-f", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["files"][0]["all_right"]


def test_check_on_a_solver_with_a_bad_file(cli, input_error, tmp_path):
    input_error(cli("ttest", "--check", str(tmp_path / "x.toml")), "--check: ")
    input_error(cli("ttest", "--check", answers_file(tmp_path, "[answers]\nt = 1\n")), "unknown answer 't'")


# --- start-up ---------------------------------------------------------------------------------------


def test_help_stays_free_of_numpy(imported_modules):
    for args in (("--help",), ("check", "--help")):
        modules = imported_modules(*args)
        assert "numpy" not in modules and not any(m.startswith("dlsolve.checking") for m in modules)


def test_checking_all_right_files_needs_no_slips(imported_modules):
    modules = imported_modules("check", RIGHT_BACKPROP)
    assert "dlsolve.checking.judge" in modules and "dlsolve.topics.backprop.slips" not in modules
