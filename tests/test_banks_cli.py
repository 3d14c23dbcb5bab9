"""``dlsolve practice --export``: the issue's command, determinism, every command of the
registry, and hostile options (one line, exit 2, nothing written)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bank_platforms import cloze_blanks, grade, moodle_questions
from dlsolve.banks.model import MAX_VARIANTS
from dlsolve.topics import TOPICS


def dlsolve(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dlsolve", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_the_issues_command_writes_a_quiz_that_grades_like_check(tmp_path):
    done = dlsolve("practice", "som-train", "--count", "20", "--seed", "1", "--export", "moodle", "-o", "som.xml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith("Moodle XML quiz written: som.xml (20 variants, ")
    _, clozes = moodle_questions((tmp_path / "som.xml").read_text(encoding="utf-8"))
    assert len(clozes) == 20
    choices = cloze_blanks(clozes[0].find("questiontext/text").text)[0]  # distances.1[1]: right first, then the slips
    assert grade(choices, round(choices[0].value, 4)).fraction == 1.0
    assert "not squared" in grade(choices, choices[1].value).feedback
    again = dlsolve("practice", "som-train", "--count", "20", "--seed", "1", "--export", "moodle", "-o", "again.xml", cwd=tmp_path)
    assert again.returncode == 0
    assert (tmp_path / "som.xml").read_bytes() == (tmp_path / "again.xml").read_bytes()


@pytest.mark.parametrize("fmt", ["moodle", "gift"])
def test_same_seed_same_bytes_other_seed_other_bank(cli, fmt):
    first = cli("practice", "ttest", "--count", "3", "--seed", "4", "--export", fmt)
    second = cli("practice", "ttest", "--count", "3", "--seed", "4", "--export", fmt)
    other = cli("practice", "ttest", "--count", "3", "--seed", "5", "--export", fmt)
    assert first.exit_code == 0 and first.stdout == second.stdout != other.stdout


def test_prairielearn_folder_is_the_same_for_the_same_seed(cli, tmp_path):
    for name in ("a", "b"):
        result = cli("practice", "backprop", "--count", "2", "--seed", "3", "--export", "prairielearn", "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.stderr
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert [str(f) for f in files] == [f"dlsolve-backprop-exam-seed3/{n}" for n in ("info.json", "question.html", "server.py")]
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)


@pytest.mark.parametrize("command", TOPICS)
def test_every_practice_command_exports(cli, command, tmp_path):
    for fmt in ("moodle", "gift"):
        result = cli("practice", command, "--count", "2", "--seed", "9", "--level", "easy", "--export", fmt)
        assert result.exit_code == 0, result.stderr
    result = cli("practice", command, "--count", "2", "--seed", "9", "--export", "prairielearn", "-o", str(tmp_path / "pl"))
    assert result.exit_code == 0, result.stderr
    assert list((tmp_path / "pl").glob("*/server.py"))


@pytest.mark.parametrize(("args", "message"), [
    (["--count", "0", "--export", "gift"], f"--count: must be 1 to {MAX_VARIANTS:,} variants, got 0"),
    (["--count", "-3", "--export", "gift"], "--count: must be 1 to"),
    (["--count", "1000000000", "--export", "moodle"], "got 1,000,000,000"),
    (["--count", "3"], "--count: sets the number of variants of a question bank: add --export"),
    (["--export", "prairielearn"], "--output: a PrairieLearn export is a folder of questions: give it with -o FOLDER"),
    (["--export", "moodle", "--quiz"], "--export: cannot be combined with --quiz"),
    (["--export", "gift", "--solution"], "--export: cannot be combined with --solution"),
    (["--export", "gift", "-f", "json"], "--export: cannot be combined with --format json"),
])
def test_bad_options_are_one_line_exit_2(cli, input_error, args, message):
    input_error(cli("practice", "som-train", "--seed", "1", *args), message)


def test_existing_destinations_need_force(cli, input_error, tmp_path):
    quiz = tmp_path / "som.xml"
    quiz.write_text("mine")
    input_error(cli("practice", "som-train", "--count", "2", "--export", "moodle", "-o", str(quiz)), "exists; add --force")
    assert quiz.read_text() == "mine"
    folder = tmp_path / "pl"
    folder.mkdir()
    input_error(cli("practice", "som-train", "--count", "2", "--export", "prairielearn", "-o", str(folder)),
                "exists; add --force to write the questions into it")
    assert list(folder.iterdir()) == []
    input_error(cli("practice", "som-train", "--count", "2", "--export", "prairielearn", "-o", str(quiz), "--force"),
                "exists and is not a folder")
    input_error(cli("practice", "som-train", "--count", "2", "--export", "prairielearn", "-o", str(tmp_path / "no" / "pl")),
                "does not exist")
    assert cli("practice", "som-train", "--count", "2", "--export", "moodle", "-o", str(quiz), "--force").exit_code == 0
    assert quiz.read_text().startswith("<?xml")
    assert cli("practice", "som-train", "--count", "2", "--export", "prairielearn", "-o", str(folder), "--force").exit_code == 0


def test_hostile_values_in_a_real_shell(tmp_path):
    for args in (["--count", "abc"], ["--count", "1e9"], ["--export", "pdf"]):
        done = dlsolve("practice", "som-train", "--export", "gift", *args, cwd=tmp_path) if "--export" not in args else \
            dlsolve("practice", "som-train", *args, cwd=tmp_path)
        assert done.returncode == 2 and "Traceback" not in done.stderr and done.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_the_help_states_the_limit_the_code_applies(cli):
    result = cli("practice", "--help")
    assert f"at most {MAX_VARIANTS:,} variants" in " ".join(result.stdout.split())


def test_without_seed_a_new_one_is_chosen_and_named(cli, tmp_path):
    result = cli("practice", "kl-divergence", "--count", "1", "--export", "gift")
    assert result.exit_code == 0 and "$CATEGORY: $course$/top/dlsolve/kl-divergence exam bank " in result.stdout
    result = cli("practice", "kl-divergence", "--count", "1", "--export", "gift", "-o", str(tmp_path / "kl.gift"))
    assert re.search(r"GIFT file written: .*kl.gift \(1 variant, \d+ answers asked, bank seed \d+\)", result.stderr)
