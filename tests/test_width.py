"""Text fits the width (SPEC "Terminal text"): the wrapper's rules on lines written by hand,
the width chosen (--width, the terminal's, COLUMNS, 80), and a property over every command's
default problem, 200 practice exercises, check reports and a quiz: no line is wider than the
width unless it is one irreducible token."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dlsolve.practice import generate
from dlsolve.topics import TOPICS
from dlsolve.practice.exercise import LEVELS
from dlsolve.practice.run import rendered, solution
from dlsolve.render import to_text
from dlsolve.render.wrap import OPERATORS, fit, fit_text, text_width
from dlsolve.runner import derive

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = sorted(str(p) for p in (ROOT / "worked_examples").glob("*-answers.toml"))
WIDTHS = (80, 60)


def too_wide(text: str, width: int) -> list[str]:
    """The lines wider than ``width`` that are more than one token (after their indent and
    the operator that may start a continuation)."""
    out = []
    for line in text.splitlines():
        words = line.split()
        if words and words[0] in OPERATORS:
            words = words[1:]
        if len(line) > width and len(words) > 1:
            out.append(line)
    return out


def dlsolve(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m dlsolve ARGS`` in a real process, stdout a pipe."""
    full = {k: v for k, v in os.environ.items() if k != "COLUMNS"} | (env or {})
    return subprocess.run([sys.executable, "-m", "dlsolve", *args], capture_output=True, text=True, env=full, cwd=ROOT)


# --- the rules, on lines written by hand --------------------------------------------------------


def test_an_equation_breaks_before_an_operator_under_its_first_equals():
    rows = fit_text("  t = (x̄ − μ₀)/(s/√n) = (42 − 44)/(6/√19) = (−2)/1.3765 = −1.453", 50)
    assert rows == ["  t = (x̄ − μ₀)/(s/√n) = (42 − 44)/(6/√19)",
                    "    = (−2)/1.3765 = −1.453"]


def test_a_sum_breaks_before_a_term_never_inside_a_number():
    rows = fit_text("  d₁² = 0.0784 + 0.04 + 0.7744 + 0.0064 = 0.8992", 30)
    assert rows == ["  d₁² = 0.0784 + 0.04 + 0.7744", "      + 0.0064 = 0.8992"]  # the = is column 6
    assert "0.0784 + 0.04 + 0.7744 + 0.0064" in " ".join(row.strip() for row in rows)


def test_a_parenthesised_group_stays_whole_when_something_else_fits():
    rows = fit_text("  w₁ ← w₁ + η (x₂ − w₁) = (0.72, 0.2, 0.88, 0.08) + 0.6 · (0.28, −0.2, −0.88, −0.08)", 60)
    assert rows == ["  w₁ ← w₁ + η (x₂ − w₁) = (0.72, 0.2, 0.88, 0.08)",
                    "                        + 0.6 · (0.28, −0.2, −0.88, −0.08)"]


def test_prose_wraps_at_words_with_a_hanging_indent_and_keeps_formulas_whole():
    text = "  The initial weight vectors are w₁ = (0.6, 0.7, 0.9, 0.1) and the rate is η = 0.6 for every step."
    rows = fit_text(text, 40)
    assert rows == ["  The initial weight vectors are",
                    "    w₁ = (0.6, 0.7, 0.9, 0.1) and the",
                    "    rate is η = 0.6 for every step."]


def test_no_row_ends_with_an_operator():
    for width in range(12, 70):
        for row in fit_text("  y = w₁ h₁ + w₂ h₂ + w₃ h₃ − w₄ h₄ = 0.1 · 0.2 + 0.3 · 0.4 = 0.14", width):
            assert row.split()[-1] not in OPERATORS, (width, row)


def test_styles_survive_the_breaks():
    rows = fit([("Step 3. ", "bold cyan"), ("Weights into the output layer: chain rule and update", "bold")], 40, hang=8)
    assert rows == [[("Step 3. ", "bold cyan"), ("Weights into the output layer:", "bold")],
                    [("        ", ""), ("chain rule and update", "bold")]]


def test_width_zero_and_short_lines_are_left_alone():
    line = [("x" * 500 + " y", "")]
    assert fit(line, 0) == [line]
    assert fit([("short", "")], 80) == [[("short", "")]]


def test_a_token_longer_than_the_width_stays_whole_on_its_own_row():
    rows = fit_text("  a = " + "9" * 100 + " + 1", 40)
    assert rows == ["  a", "    = " + "9" * 100, "    + 1"]


@pytest.mark.parametrize("width", [1, 2, 3, 5, 8])
def test_tiny_widths_lose_no_text(width):
    text = "  y − ỹ = Σⱼ wⱼ (hⱼ − h̃ⱼ) = 0.9 · 0.006531 + (−0.8) · (−0.03212) = 0.03745 and so on"
    assert " ".join(" ".join(fit_text(text, width)).split()) == " ".join(text.split())


def test_a_huge_line_is_fitted_quickly_and_whole():
    import time

    text = "  v = " + " + ".join(str(i) for i in range(100_000))
    started = time.perf_counter()
    rows = fit_text(text, 80)
    assert time.perf_counter() - started < 2
    assert max(map(len, rows)) <= 80 and " ".join(" ".join(rows).split()) == " ".join(text.split())


def test_control_characters_and_tabs_are_kept_as_they_are():
    text = "  label\tvalue\x1b[31m = 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9"
    assert "".join(fit_text(text, 20)).replace(" ", "") == text.replace(" ", "")


# --- the width: --width, the terminal, COLUMNS, 80 ----------------------------------------------


def test_the_width_is_columns_else_80_when_stdout_is_not_a_terminal(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    assert text_width() == 80
    monkeypatch.setenv("COLUMNS", "123")
    assert text_width() == 123
    assert text_width(40) == 40 and text_width(0) == 0
    for bad in ("", "abc", "-5", "0", "1e3"):
        monkeypatch.setenv("COLUMNS", bad)
        assert text_width() == 80


def test_a_pipe_gets_80_columns_and_columns_is_obeyed():
    assert not too_wide(dlsolve("som-train").stdout, 80) and max(map(len, dlsolve("som-train").stdout.splitlines())) <= 80
    narrow = dlsolve("ttest", env={"COLUMNS": "50"}).stdout
    assert max(map(len, narrow.splitlines())) <= 50
    assert narrow == to_text.render(derive("ttest", {}), 4, 50)


def test_width_option_overrides_and_zero_means_no_limit():
    assert dlsolve("ttest", "--width", "0", env={"COLUMNS": "40"}).stdout == to_text.render(derive("ttest", {}), 4, 0)
    assert dlsolve("ttest", "--width", "60").stdout == to_text.render(derive("ttest", {}), 4, 60)


def test_markdown_and_json_are_never_wrapped():
    for fmt in ("markdown", "json"):
        assert dlsolve("rbf-xor", "-f", fmt, "--width", "20").stdout == dlsolve("rbf-xor", "-f", fmt, "--width", "0").stdout


def test_width_reaches_an_output_file(tmp_path):
    out = tmp_path / "t.txt"
    assert dlsolve("backprop", "--width", "60", "-o", str(out)).returncode == 0
    assert out.read_text() == to_text.render(derive("backprop", {}), 4, 60)


@pytest.mark.parametrize("args", [("ttest",), ("check", "worked_examples/som-train-notes-answers.toml"),
                                  ("practice", "ttest", "--seed", "1"), ("examples",), ("solve", "worked_examples/ttest-notes-b.toml")])
def test_a_bad_width_is_one_line_and_exit_2(args):
    done = dlsolve(*args, "--width", "-3")
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "--width" in done.stderr and "Traceback" not in done.stderr


def test_on_a_terminal_the_terminals_width_wins_over_columns():
    pty, termios, fcntl, struct = (pytest.importorskip(name) for name in ("pty", "termios", "fcntl", "struct"))
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 50, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"} | {"COLUMNS": "120", "TERM": "dumb", "NO_COLOR": "1"}
    process = subprocess.Popen([sys.executable, "-m", "dlsolve", "ttest"], stdout=follower, stderr=follower, env=env, cwd=ROOT)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait(timeout=60) == 0
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode()).replace("\r", "")
    lines = text.splitlines()
    assert any("t_cal" in line for line in lines)
    assert max(map(len, lines)) <= 50


# --- the property: nothing wider than the width -------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", TOPICS)
def test_every_default_problem_fits(command, width):
    assert too_wide(to_text.render(derive(command, {}), 4, width), width) == []


@pytest.mark.parametrize("seed", range(200))
def test_200_practice_exercises_with_their_solutions_fit(seed):
    exercise = generate(TOPICS[seed % len(TOPICS)], seed, LEVELS[seed // len(TOPICS) % len(LEVELS)])
    width = WIDTHS[seed % 2]
    assert too_wide(rendered(exercise, solution(exercise), "text", 4, width), width) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_check_reports_fit(cli, width):
    for answers in ANSWERS:
        assert too_wide(cli("check", answers, "--width", str(width)).stdout, width) == [], answers
    report = cli("check", *ANSWERS, "--details", "--width", str(width)).stdout
    assert "Class summary" in report and too_wide(report, width) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_quiz_fits(cli, width):
    session = "?\n?\ns\n0.5, 0.5\nx\nx\nx\n\n"  # hints, the worked step, a wrong answer, unreadable ones, a skip
    out = cli("practice", "som-train", "--seed", "7", "--quiz", "--width", str(width), input=session).stdout
    assert "Marking" in out and "Score" in out and too_wide(out, width) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_examples_list_fits(cli, width):
    out = cli("examples", "--width", str(width)).stdout
    assert "ttest" in out and too_wide(out, width) == []


def test_a_formula_inside_prose_stays_on_one_row_unless_it_is_longer_than_half_a_row():
    from dlsolve.core.derivation import Line
    from dlsolve.render.plain import plain_line

    line = Line(("and log σᵢ should be ", "$\\log \\sigma_i^2 = 2 \\log \\sigma_i$", ", as the notes say elsewhere"))
    rows = fit_text("  " + plain_line(line, 4, glue=True), 40)  # the formula with its comma: 19 columns, under half a row
    assert rows == ["  and log σᵢ should be", "    log σᵢ² = 2 log σᵢ, as the notes say", "    elsewhere"]
    assert fit_text("  " + plain_line(line, 4, glue=True), 0) == ["  " + plain_line(line, 4)]
    long = Line(("so ", "$a + b + c + d + e + f + g + h + i + j$", " here"))
    assert max(map(len, fit_text(plain_line(long, 4, glue=True), 24))) <= 24


def _table_text(table, width: int) -> list[str]:
    from dlsolve.render.to_text import _table

    return ["".join(text for text, _ in line).rstrip() for line in _table(table, 4, width)]


def test_a_wide_table_is_split_into_column_groups_repeating_the_row_labels():
    from dlsolve.core.derivation import Line, Table

    table = Table(Line(("weights",)), ("unit", "aaaaaaaa", "bbbbbbbb", "cccccccc"), (("1", "1.5", "2.5", "3.5"), ("2", "4.5", "5.5", "6.5")))
    assert _table_text(table, 30) == [
        "  weights",
        "  unit   aaaaaaaa   bbbbbbbb",  # 2 + 4 + 3 + 8 + 3 + 8 = 28 columns; a third would need 39
        "  " + "─" * 26,
        "  1           1.5        2.5",
        "  2           4.5        5.5",
        "",
        "  unit   cccccccc",
        "  ───────────────",
        "  1           3.5",
        "  2           6.5",
    ]
    assert len(_table_text(table, 0)) == 5  # no limit: one table


def test_a_table_too_wide_for_one_column_beside_its_labels_is_turned():
    from dlsolve.core.derivation import Line, Table

    table = Table(Line(("layers",)), ("Layer (type)", "Output Shape"), (("conv2d (Conv2D)", "(None, 30, 30, 32)"),))
    # 2 + 15 + 3 + 18 = 38 > 30: turned; the value's column (18) is past half the row, so it
    # continues 2 columns in, its parenthesis whole
    assert _table_text(table, 30) == ["  layers", "  conv2d (Conv2D)", "    Output Shape", "      (None, 30, 30, 32)"]
