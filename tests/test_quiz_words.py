"""The quiz reads what a student writes (issue 13, 5 and 6): the alternative's words and
symbols, the choices in the prompt and in ?, a shown step that stops before a later answer,
unanswered questions at the end of input, the verdict that counts first, the true minus."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dlsolve.checking.words import Unclear, alternative

# seed 41295: "Can we conclude that the mean lifetime is greater than 42 hours?" — data 48, 42, 44, 44,
# 49, 47, 50, 46, 52, 50: x̄ = 47.2, s = 3.1903, SE = 3.1903/√10 = 1.0088, t = 5.2/1.0088 = 5.1544
QUIZ = ["practice", "ttest", "--seed", "41295", "--quiz"]


def quiz(lines: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dlsolve", *QUIZ, "--width", "0"], input=lines, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("text, meant", [
    ("two-sided", "two-sided"), ("Two tailed", "two-sided"), ("two-tailed", "two-sided"), ("≠", "two-sided"),
    ("!=", "two-sided"), ("mu != 42", "two-sided"), ("H1: μ ≠ 42", "two-sided"),
    ("greater", "greater"), (">", "greater"), ("right", "greater"), ("right-tailed", "greater"), ("mu > 42", "greater"),
    ("μ > 42", "greater"), ("H1: mu > 42.0", "greater"), ("  GREATER ", "greater"),
    ("less", "less"), ("<", "less"), ("left", "less"), ("left tailed", "less"), ("mu < 42", "less"),
])
def test_the_words_and_symbols_a_student_writes(text, meant):
    assert alternative(text, 42.0) == meant


@pytest.mark.parametrize("text, says", [
    ("one-tailed", "does not say which tail"), ("one tailed", "does not say which tail"), ("one-sided", "does not say which tail"),
    ("mu > 40", "μ₀ = 42 here, not 40"), ("sideways", "is not one of two-sided"), ("=", "is not one of"),
])
def test_what_does_not_decide_is_said(text, says):
    with pytest.raises(Unclear, match=says):
        alternative(text, 42.0)


def test_the_prompt_and_the_hint_list_the_choices():
    run = quiz("?\none-tailed\n> \nq\n")
    assert "alternative  (two-sided (≠, two-tailed), greater (>, right) or less (<, left))" in run.stdout
    assert '"one-tailed" alone does not say which tail' in run.stdout
    assert "'one-tailed' does not say which tail: greater (>, right) or less (<, left)? — try again" in run.stdout
    assert '✓ right  (alternative = "greater"; must match exactly)' in run.stdout


def test_a_hypothesis_written_out_is_read(tmp_path):
    assert '✓ right  (alternative = "greater"' in quiz("mu > 42\nq\n").stdout
    assert "H₁ compares μ with μ₀ = 42 here, not 40 — try again" in quiz("mu > 40\nq\n").stdout


def test_an_answers_file_may_write_the_words_too(tmp_path):
    from dlsolve.checking.session import Checker

    path = tmp_path / "a.toml"
    path.write_text('command = "ttest"\n[answers]\nalternative = "two-tailed"\n', encoding="utf-8")
    result = Checker().check_file(str(path))
    assert result.all_right, result.checked


def test_a_shown_step_stops_before_the_next_answer():
    # s at question 4 (se): step 3 up to SE = 3.1903/√10 = 1.0088, not t_cal = … = 5.1544 (question 5)
    run = quiz("\n\n\ns\nq\n")
    shown = run.stdout.split("(b) 4/8")[1].split("(b) 5/8")[0]
    assert "SE = s/√n = 3.1903/√10 = 1.0088" in shown and "se = 1.0088" in shown
    assert "5.1544" not in shown and "  …" in shown


def test_end_of_input_with_questions_unanswered_is_not_done():
    run = quiz("greater\n47.2\n")  # two right, then the pipe runs dry
    assert run.returncode == 1
    assert "Score 2/8: 2 right, 6 unanswered." in run.stdout


def test_every_question_answered_right_exits_0():
    run = quiz("greater\n47.2\n3.19\n1.009\n5.154\n9\n1.833\ntrue\n")
    assert run.returncode == 0, run.stdout
    assert "Score 8/8: 8 right." in run.stdout


def test_the_verdict_that_counts_comes_first():
    # the session: sd 3.03 (the divisor-n slip), se skipped, statistic 5.43 from the student's own values
    out = quiz("greater\n47\n3.03\n\n5.43\nq\n").stdout
    lines = out.split("(b) 5/8")[1].splitlines()
    assert lines[2] == "  ✓ right given your mean = 47 and sd = 3.03 (error carried forward: 5.2183 ± 0.54)"
    assert lines[3] == "    ✗ not the solution's value: 5.1544 (tolerance ±0.005)"


def test_negative_numbers_use_the_true_minus_in_text_and_plain_numbers_in_json(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text('command = "ttest"\n[answers]\nse = 1.3416\nstatistic = -1.4907\n', encoding="utf-8")
    text = subprocess.run([sys.executable, "-m", "dlsolve", "check", str(path), "--width", "0"], capture_output=True, text=True, timeout=60).stdout
    assert "−1.4907" in text and "−1.45297" in text and "−1.49076" in text
    assert "-1.4" not in text.replace(str(path), "")
    data = subprocess.run([sys.executable, "-m", "dlsolve", "check", str(path), "-f", "json"], capture_output=True, text=True, timeout=60).stdout
    assert '"given": -1.4907' in data  # the JSON is for scripts: numbers stay numbers


def test_a_shown_step_for_a_whole_number_stops_before_the_update():
    # som-train seed 7, question 4 (winners.2): step 3 shows d₁² = 1.53 < d₂² = 1.5848 and "Unit 1 wins",
    # not the update w₁ ← … = (0.52, 0.88, 0.46, 0.88), which is history.2 (question 10)
    run = subprocess.run([sys.executable, "-m", "dlsolve", "practice", "som-train", "--seed", "7", "--quiz", "--width", "0"],
                         input="\n\n\ns\nq\n", capture_output=True, text=True, timeout=60)
    shown = run.stdout.split("(a) 4/13")[1].split("(a) 5/13")[0]
    assert "Unit 1 wins: d₁² = 1.53 < d₂² = 1.5848." in shown and "winners.2 = 1" in shown
    assert "w₁ ←" not in shown and "0.52, 0.88" not in shown


def test_the_quiz_takes_a_minimum_of_significant_figures(cli):
    # x̄ = 47.2 here (the seed's sample: 472/10): "47" has 2 significant figures, "47.2" has 3
    few = cli(*QUIZ, "--min-sigfigs", "3", input="greater\n47\n")
    assert few.exit_code == 1
    assert "too few digits: 2 significant figures written, at least 3 asked" in few.stdout
    assert "Same quiz again: dlsolve practice ttest --seed 41295 --quiz --min-sigfigs 3" in few.stdout
    enough = cli(*QUIZ, "--min-sigfigs", "3", input="greater\n47.2\n")
    assert "✓ right  (mean = 47.2" in enough.stdout and "Score 2/8: 2 right, 6 unanswered." in enough.stdout


def test_a_minimum_of_significant_figures_needs_the_quiz(cli, input_error):
    input_error(cli("practice", "ttest", "--seed", "1", "--min-sigfigs", "3"), "--min-sigfigs: marks the quiz's answers: add --quiz")
