"""``dlsolve practice --quiz``: reading typed answers, marking them as ``check`` does (tolerance,
slip, error carried forward), hints, shown steps, skips, quitting, bad lines, the score and
the exit code — with piped input (in process and in a real subprocess) and in a
pseudo-terminal.

The right answers come from a plain-Python SOM loop run in this file on the exercise's
inputs (``generate`` gives the inputs; the quiz's output is never the source of a number),
and the wrong ones from hand arithmetic written next to them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import Decimal

import pytest

from dlsolve.practice import generate
from dlsolve.topics import TOPICS
from dlsolve.practice.exercise import LEVELS
from dlsolve.practice.quiz import RETRIES, BadAnswer, read_answer
from dlsolve.practice.run import solution

QUIZ = ("practice", "som-train", "--seed", "7", "--quiz")

# --- the exercise of QUIZ, solved independently --------------------------------------------


def som_run(problem: dict) -> dict[str, object]:
    """A straightforward winner-only Kohonen loop: every answer key the SOM quiz asks."""
    W = [list(map(float, w)) for w in problem["weights"]]
    eta, out, t = problem["lr"], {}, 0
    assert problem["epochs"] == 1 and "radius" not in problem  # the exam level's rules
    for x in problem["samples"]:
        t += 1
        d2 = [sum((xi - wi) ** 2 for xi, wi in zip(x, w)) for w in W]
        c = min(range(len(W)), key=lambda j: (d2[j], j))
        W[c] = [wi + eta * (xi - wi) for xi, wi in zip(x, W[c])]
        out[f"distances.{t}"], out[f"winners.{t}"], out[f"history.{t}"] = d2, c + 1, [list(w) for w in W]
    out["clusters"] = [1 + min(range(len(W)), key=lambda j: sum((xi - wi) ** 2 for xi, wi in zip(x, W[j]))) for x in problem["samples"]]
    return out


def typed(value: object) -> str:
    """A value as a student types it: 4 decimals, command-line syntax."""
    if isinstance(value, list):
        return "; ".join(typed(v) for v in value) if isinstance(value[0], list) else ", ".join(typed(v) for v in value)
    return str(value) if isinstance(value, int) else f"{value:.4f}"


@pytest.fixture(scope="module")
def som():
    exercise = generate("som-train", 7, "exam")
    return exercise, som_run(exercise.problem)


def right_lines(som, keys=None) -> list[str]:
    exercise, values = som
    return [typed(values[key]) for key in (keys or exercise.answers)]


def test_the_som_exercise_is_the_one_worked_by_hand(som):
    # seed 7, exam level: x = (1,1,0,0), (1,1,1,1), (1,1,1,0), (0,0,0,1); w1 = (0.2,0.8,0.1,0.8), w2 = (0.9,0.7,0.2,0.2); η = 0.4
    exercise, values = som
    assert exercise.problem["samples"][0] == [1, 1, 0, 0] and exercise.problem["weights"][1] == [0.9, 0.7, 0.2, 0.2]
    assert exercise.problem["lr"] == 0.4
    # iteration 1: d1² = 0.8² + 0.2² + 0.1² + 0.8² = 0.64 + 0.04 + 0.01 + 0.64 = 1.33
    #              d2² = 0.1² + 0.3² + 0.2² + 0.2² = 0.01 + 0.09 + 0.04 + 0.04 = 0.18 → unit 2 wins
    assert values["distances.1"] == pytest.approx([1.33, 0.18]) and values["winners.1"] == 2
    # w2 ← (0.9, 0.7, 0.2, 0.2) + 0.4 (0.1, 0.3, −0.2, −0.2) = (0.94, 0.82, 0.12, 0.12)
    assert values["history.1"][1] == pytest.approx([0.94, 0.82, 0.12, 0.12])


# --- reading what is typed --------------------------------------------------------------------


def test_a_vector_keeps_the_digits_as_written():
    assert read_answer("0.72, 0.2, 0.60, 0.08", [0.0] * 4) == [Decimal("0.72"), Decimal("0.2"), Decimal("0.60"), Decimal("0.08")]
    assert str(read_answer("0.60", 0.6)) == "0.60"  # "0.60" is judged to ±0.005, not ±0.05


@pytest.mark.parametrize("text", ["0.1, 0.2; 0.3, −0.4", "[[0.1, 0.2], [0.3, -0.4]]", "(0.1, 0.2), (0.3, –0.4)", " 0.1 0.2 ; 0.3 -0.4 "])
def test_a_matrix_in_any_usual_syntax(text):
    assert read_answer(text, [[0.0, 0.0], [0.0, 0.0]]) == [[Decimal("0.1"), Decimal("0.2")], [Decimal("0.3"), Decimal("-0.4")]]


def test_matrices_of_several_layers_are_separated_by_a_bar():
    assert read_answer("1, 2; 3, 4 | 5, 6", [[[0.0, 0.0], [0.0, 0.0]], [[0.0, 0.0]]]) == [[[1, 2], [3, 4]], [[5, 6]]]


def test_one_value_answers_need_no_brackets():
    assert read_answer("0.65", [0.65]) == [Decimal("0.65")]
    assert read_answer("0.1, 0.2", [[0.1, 0.2]]) == [[Decimal("0.1"), Decimal("0.2")]]


@pytest.mark.parametrize(("text", "expected", "value"), [("yes", True, True), ("False", True, False), ("less", "less", "less"),
                                                         ("None, 16", [None, 16], ["None", Decimal(16)]), ("inf", "inf", "inf")])
def test_words_where_the_answer_is_not_a_number(text, expected, value):
    assert read_answer(text, expected) == value


@pytest.mark.parametrize(("text", "expected", "message"), [
    ("abc", 0.5, "'abc' is not a number"),
    ("1, 2, 3", [0.0, 0.0], "expected 2 values, separated by commas; got 3 values"),
    ("1, 2", 0.5, "expected a number; got 2 values"),
    ("1, 2; 3", [[0.0, 0.0], [0.0, 0.0]], "expected a 2 × 2 matrix"),
    ("maybe", True, "answer true or false"),
    ("[[1, 2]", [[0.0, 0.0]], "the brackets do not match"),
])
def test_a_line_that_is_not_the_answer_asked_for_is_explained(text, expected, message):
    with pytest.raises(BadAnswer, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_answer(text, expected)


# --- a quiz with piped input ------------------------------------------------------------------


def test_every_answer_right_scores_full_marks_and_exits_0(cli, som):
    result = cli(*QUIZ, input="\n".join(right_lines(som)) + "\n")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.count("✓ right") == 13 and "✗" not in result.stdout
    assert "Score 13/13: 13 right." in result.stdout
    assert "First wrong step" not in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_the_quiz_prints_the_exercise_then_asks_in_step_order(cli, som):
    out = cli(*QUIZ, input="").stdout
    assert out.startswith("Practice: Kohonen self-organizing map (som-train), level exam, seed 7")
    assert "(a) 1/13  distances.1  (2 values, separated by commas)" in out
    assert "Marking: as written" in out


def test_piped_answers_are_echoed_and_no_prompt_is_left_behind(cli, som):
    out = cli(*QUIZ, input=right_lines(som)[0] + "\n").stdout
    assert "\n> 1.3300, 0.1800\n" in out  # the line read, on its own line
    assert "> >" not in out and not out.rstrip().endswith(">")


def test_end_of_input_ends_cleanly_with_the_score_so_far(cli, som):
    result = cli(*QUIZ, input="\n".join(right_lines(som)[:3]))  # no newline after the last line either
    assert result.exit_code == 1  # every question answered was right, but 10 were not answered
    assert "Score 3/13: 3 right, 10 unanswered." in result.stdout
    assert "Same quiz again: dlsolve practice som-train --seed 7 --quiz" in result.stdout


def test_a_wrong_value_gets_the_expected_value_and_the_tolerance(cli, som):
    # distances.1 = (1.33, 0.18): 1.3 (±0.05) is right, 0.20 (±0.005) is not
    result = cli(*QUIZ, input="1.3, 0.20\n")
    assert result.exit_code == 1
    assert "✗ wrong: expected 1.33, 0.18 (tolerance ±0.005–0.05)" in result.stdout
    assert "wrong: element 2 of 2" in result.stdout
    assert "Score 0/13: 0 right, 1 wrong, 12 unanswered." in result.stdout
    assert "First wrong step: Step 2. Iteration 1: sample x₁ = (1, 1, 0, 0)" in result.stdout


def test_a_slip_is_named_and_later_answers_are_judged_from_the_students_values(cli, som):
    exercise, values = som
    lines = right_lines(som, [k for k in exercise.answers if not k.startswith("history")])[:8]  # (a): distances and winners
    # history.1 with the update's sign flipped (the notes' error): w2 − η(x − w2)
    #   = (0.9, 0.7, 0.2, 0.2) − 0.4 (0.1, 0.3, −0.2, −0.2) = (0.86, 0.58, 0.28, 0.28)
    lines.append("0.2, 0.8, 0.1, 0.8; 0.86, 0.58, 0.28, 0.28")
    # history.2 from that: x2 = (1,1,1,1), unit 1 wins (given); w1 + 0.4 (x2 − w1)
    #   = (0.2 + 0.32, 0.8 + 0.08, 0.1 + 0.36, 0.8 + 0.08) = (0.52, 0.88, 0.46, 0.88); unit 2 keeps the wrong row
    lines.append("0.52, 0.88, 0.46, 0.88; 0.86, 0.58, 0.28, 0.28")
    result = cli(*QUIZ, input="\n".join(lines) + "\nq\n")
    out = result.stdout
    assert "slip: the update's sign flipped" in out
    assert "✓ right given your history.1 and winners.2 = 1 (error carried forward" in out
    assert "Score 9/13: 8 right, 1 right given your earlier answers (error carried forward), 1 wrong, 3 unanswered." in out
    assert result.exit_code == 1  # as check: an answer right only given wrong earlier ones is not all right


def test_a_hint_then_the_answer(cli, som):
    result = cli(*QUIZ, input="?\n?\n" + right_lines(som)[0] + "\nq\n")
    out = result.stdout
    assert "Hint: Step 2. Iteration 1: sample x₁ = (1, 1, 0, 0)" in out
    assert "compute the squared distance d² from the sample to each unit" in out
    assert "No more hints: s shows the worked step." in out
    assert "✓ right" in out and result.exit_code == 1  # stopped after the first of 13


def test_s_shows_the_worked_step_and_the_question_counts_as_not_answered(cli):
    result = cli(*QUIZ, input="s\nq\n")
    out = result.stdout
    # the step as the solution prints it: d1² = 0.64 + 0.04 + 0.01 + 0.64 = 1.33 (see above)
    assert "Step 2. Iteration 1: sample x₁ = (1, 1, 0, 0)" in out and "= 1.33" in out
    assert "distances.1 = 1.33, 0.18" in out
    assert "Score 0/13: 0 right, 1 shown, 12 unanswered." in out
    assert result.exit_code == 1


def test_an_empty_line_skips_and_shows_the_value_to_go_on_with(cli, som):
    result = cli(*QUIZ, input="\n" + right_lines(som)[1] + "\nq\n")
    out = result.stdout
    assert "– skipped." in out and "distances.1 = 1.33, 0.18" in out
    assert "Score 1/13: 1 right, 1 skipped, 11 unanswered." in out
    assert result.exit_code == 1


def test_q_stops_at_once(cli):
    result = cli(*QUIZ, input="q\nthis is never read\n")
    assert result.exit_code == 1  # nothing answered is not all right
    assert "Score 0/13: 0 right, 13 unanswered." in result.stdout
    assert "this is never read" not in result.stdout


def test_a_bad_line_is_explained_and_the_question_asked_again(cli, som):
    result = cli(*QUIZ, input="abc\n1.33\n" + right_lines(som)[0] + "\nq\n")
    out = result.stdout
    assert "'abc' is not a number (write e.g. 0.25, −1.5 or 2e-3) — try again" in out
    assert "expected 2 values, separated by commas; got 1 value — try again" in out
    assert out.count("✓ right") == 1 and "Score 1/13: 1 right, 12 unanswered." in out and result.exit_code == 1
    assert "Traceback" not in out + result.stderr


def test_too_many_bad_lines_skip_the_question(cli):
    result = cli(*QUIZ, input="x\n" * RETRIES + "q\n")
    assert f"skipped after {RETRIES} unreadable answers" in result.stdout and "1 skipped" in result.stdout
    assert result.exit_code == 1


def test_the_same_seed_gives_the_same_quiz(cli, som):
    answers = "\n".join(["1.3, 0.2", "?", "1", "s", ""] + right_lines(som)[4:]) + "\n"
    first, second = cli(*QUIZ, input=answers), cli(*QUIZ, input=answers)
    assert first.stdout == second.stdout and first.exit_code == second.exit_code == 1


@pytest.mark.parametrize("other", [("--solution",), ("-f", "json"), ("--format", "markdown"), ("-o", "quiz.txt")])
def test_the_quiz_refuses_options_that_would_show_or_write_the_answers(cli, input_error, other, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    input_error(cli(*QUIZ, *other, input=""), "--quiz: cannot be combined with")
    assert not (tmp_path / "quiz.txt").exists()


def test_the_quiz_can_save_the_problem_first(cli, tmp_path):
    path = tmp_path / "p.toml"
    result = cli(*QUIZ, "--save-problem", str(path), input="q\n")
    assert result.exit_code == 1 and path.exists() and "Problem file written" in result.stderr  # 1: nothing answered


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("command", TOPICS)
def test_every_kind_of_answer_can_be_typed(cli, command, level):
    """A round trip of the reader over every command's answer shapes (numbers, vectors,
    matrices, layers of matrices, whole numbers, true/false, words, unknown sizes): the
    solver's values typed to 6 decimals are all marked right. Skipping every question
    also runs through without a traceback."""
    exercise = generate(command, 3, level)
    answers = solution(exercise).answers

    def value(key):
        item = answers
        for part in key.split("."):
            item = item[int(part) - 1] if isinstance(item, list) else item[part]
        return item

    def text(item, depth=0):
        if isinstance(item, list):
            inner = [text(v, depth + 1) for v in item]
            nested = isinstance(item[0], list) and isinstance(item[0][0], list) if item and isinstance(item[0], list) and item[0] else False
            return (" | " if nested else "; " if item and isinstance(item[0], list) else ", ").join(inner)
        if isinstance(item, bool):
            return "true" if item else "false"
        return str(item) if isinstance(item, (int, str)) or item is None else f"{item:.6f}"

    right = cli("practice", command, "--seed", "3", "--level", level, "--quiz", input="\n".join(text(value(k)) for k in exercise.answers) + "\n")
    n = len(exercise.answers)
    assert right.exit_code == 0, right.stdout
    assert f"Score {n}/{n}: {n} right." in right.stdout
    skipped = cli("practice", command, "--seed", "3", "--level", level, "--quiz", input="\n" * n)
    assert skipped.exit_code == 1 and f"{n} skipped" in skipped.stdout and "Traceback" not in skipped.stdout + skipped.stderr


# --- a real process: piped stdin, and a pseudo-terminal ---------------------------------------


def test_a_subprocess_with_piped_stdin(som):
    lines = right_lines(som)
    done = subprocess.run([sys.executable, "-m", "dlsolve", *QUIZ], input="\n".join(lines[:2] + ["0.5, 0.5"]) + "\n",
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 1, done.stderr
    assert "\x1b[" not in done.stdout  # no colour into a pipe
    assert "Score 2/13: 2 right, 1 wrong, 10 unanswered." in done.stdout
    assert done.stderr == ""


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_session_in_a_pseudo_terminal(som):
    import pty
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: the quiz on the pseudo-terminal
        os.environ.update(TERM="xterm-256color", COLUMNS="100")
        os.environ.pop("NO_COLOR", None)
        os.execv(sys.executable, [sys.executable, "-m", "dlsolve", *QUIZ])

    screen = b""

    def read_until(marker: bytes, timeout: float = 30) -> None:
        nonlocal screen
        end = time.monotonic() + timeout
        while marker not in screen:
            ready, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
            if not ready:
                raise AssertionError(f"{marker!r} never came; screen: {screen.decode(errors='replace')[-500:]}")
            try:
                screen += os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                raise AssertionError(f"ended before {marker!r}: {screen.decode(errors='replace')[-500:]}") from None

    lines = right_lines(som)
    read_until(b"> ")
    os.write(fd, (lines[0] + "\n").encode())
    read_until("✓".encode())
    read_until(b"winners.1")
    read_until(b"> ")
    os.write(fd, b"?\n")
    read_until(b"Hint")
    os.write(fd, b"3\n")  # unit 2 wins (see the hand calculation above): 3 is wrong
    read_until("✗".encode())
    read_until(b"> ")
    os.write(fd, b"q\n")
    read_until(b"Same quiz again")
    while True:  # the rest of the screen, until the child closes it
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    coloured = screen.decode("utf-8", errors="replace")
    text = re.sub(r"\x1b\[[0-9;]*m", "", coloured)
    assert os.waitstatus_to_exitcode(status) == 1
    assert "\x1b[" in coloured  # colour on a terminal
    assert "Score 1/13" in text and "First wrong step: Step 2." in text
    assert "Traceback" not in text
