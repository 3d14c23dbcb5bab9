"""A class's files that differ in the student's name alone are parsed once
(dlsolve.checking.session.Checker._read): each file must still come out exactly as if it
had been read on its own — its path, its student, its verdicts."""

from __future__ import annotations

import pytest

from dlsolve.checking import session
from dlsolve.checking.answers_file import read, student_apart
from dlsolve.checking.session import Checker

ANSWERS = '[answers]\nwinners.1 = 1\ndistances.1 = [0.87, 1.1]\n'


def _file(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _seen(result) -> tuple:
    """What a report shows of a file's result."""
    return (result.path, result.student, result.command, result.title, result.problem, result.error, result.score,
            [(c.key, c.given, c.expected, c.status, c.score, [e.right for e in c.verdict.elements],
              [d.text for d in c.diagnoses]) for c in result.checked])


def _alone(path: str) -> tuple:
    return _seen(Checker().check_file(path))


def _together(paths: list[str]) -> list[tuple]:
    return [_seen(result) for result in Checker().check_files(paths)]


@pytest.mark.parametrize("student_line", [
    'student = "Ada Lovelace"',
    'student = "Émilie du Châtelet 🙂"',
    'student="x"',
    'student = ""',
    'student = "A\\"B"',  # an escape: read by TOML, not by the shortcut
    "student = 'literal'",  # a literal string: likewise
    'student = "a" # a comment',
])
def test_each_file_reads_as_it_would_alone(tmp_path, student_line):
    head = 'command = "som-train"\n'
    paths = [_file(tmp_path, "a.toml", f'{head}student = "First"\n{ANSWERS}'),
             _file(tmp_path, "b.toml", f"{head}{student_line}\n{ANSWERS}"),
             _file(tmp_path, "c.toml", f'{head}student = "Third"\n{ANSWERS}')]
    together = _together(paths)
    assert together == [_alone(path) for path in paths]
    assert [seen[1] for seen in together] == ["First", read(paths[1]).student, "Third"]


def test_a_student_key_under_a_table_is_no_name_and_is_not_taken_apart(tmp_path):
    text = 'command = "som-train"\n[answers]\nstudent = "x"\nwinners.1 = 1\n'
    assert student_apart(text) is None
    paths = [_file(tmp_path, f"{i}.toml", text) for i in range(2)]
    assert _together(paths) == [_alone(path) for path in paths]  # "student" is an unknown answer in both


def test_texts_alike_without_the_name_hold_the_name_at_the_same_place():
    one = student_apart('command = "som-train"\nstudent = "Ada"\n' + ANSWERS)
    two = student_apart('command = "som-train"\nstudent = "Grace Hopper"\n' + ANSWERS)
    other = student_apart('command = "som-train"\nstudent = "Ada"\n' + ANSWERS.replace("0.87", "0.870"))
    assert one is not None and two is not None and other is not None
    assert one[0] == two[0] != other[0] and (one[1], two[1]) == ("Ada", "Grace Hopper")


def test_beyond_the_remembered_texts_files_are_read_one_by_one(tmp_path, monkeypatch):
    monkeypatch.setattr(session, "READ_ALIKE", 1)
    paths = [_file(tmp_path, f"{i}.toml", f'command = "som-train"\nstudent = "S{i}"\n' + ANSWERS.replace("1.1", f"1.{i}"))
             for i in range(1, 4)]
    paths += [_file(tmp_path, "4.toml", f'command = "som-train"\nstudent = "S4"\n' + ANSWERS.replace("1.1", "1.3"))]
    assert _together(paths) == [_alone(path) for path in paths]


def test_an_unreadable_file_among_alike_ones_is_reported_each_time(tmp_path):
    broken = 'command = "som-train"\nstudent = "{}"\n[answers]\nwinners.1 = \n'
    paths = [_file(tmp_path, f"{name}.toml", broken.format(name)) for name in ("a", "b")]
    results = Checker().check_files(paths)
    assert [r.error is not None and r.path == path for r, path in zip(results, paths)] == [True, True]
