"""Checking one answers file or a whole class's: each distinct problem is solved once.

A file's problem is its command with its ``[inputs]`` resolved over the defaults (the course
notes' problem when there are none); solutions are cached by command and those resolved
inputs, so 300 files of one homework cost one solve. An unusable file (unreadable, unknown
key, bad input) becomes a result with its one-line error; the others are still checked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from dlsolve import topics
from dlsolve.checking.answers_file import AnswersFile, from_text, read, student_apart
from dlsolve.checking.compare import Rule
from dlsolve.checking.judge import Checked, Solution, StepRef, judge
from dlsolve.core import data_file
from dlsolve.core.derivation import Derivation, plain
from dlsolve.core.inputs import InputError, resolve

NOTES_PROBLEM = "the course notes' problem"


class FileResult(NamedTuple):
    """One file checked (``error`` set when it could not be)."""

    path: str
    student: str | None = None
    command: str | None = None
    title: str = ""  # the solution's title: what problem was solved
    problem: str = ""  # where the problem came from
    checked: tuple[Checked, ...] = ()
    error: str | None = None
    rule: Rule | None = None  # the rule the file was judged by (its own min_sigfigs applied)

    @property
    def score(self) -> float:
        return sum(c.score for c in self.checked)

    @property
    def max_score(self) -> int:
        return len(self.checked)

    def count(self, status: str) -> int:
        return sum(c.status == status for c in self.checked)

    @property
    def all_right(self) -> bool:
        return self.error is None and all(c.verdict.right for c in self.checked)

    @property
    def first_wrong(self) -> StepRef | None:
        steps = [c.step for c in self.checked if not c.verdict.right and c.step is not None]
        return min(steps) if steps else None


def _field_values(solver: Any, given: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The [inputs] table as problem-file values keyed by input name (unknown keys refused)."""
    names = [field.name for field in solver.FIELDS]
    values = {}
    for key, value in given.items():
        name = key.replace("-", "_")
        if name not in names:
            raise InputError(where, f"unknown input {key!r} in [inputs] (the inputs of this command: {', '.join(names)})")
        values[name] = value
    return values


def resolved_inputs(command: str, given: Mapping[str, Any] | None, where: str) -> dict[str, Any]:
    """The inputs of the file's problem: its [inputs] over the command's defaults."""
    solver = topics.load(command)
    values = _field_values(solver, given or {}, where)
    try:
        return resolve(solver.FIELDS, {}, values, "[inputs]", getattr(solver, "EXCLUSIVE_OPTIONS", ()))
    except InputError as error:
        raise InputError(where, str(error)) from None


def _command(answers: AnswersFile) -> str:
    """The file's command, which must name a solver (looked up, never imported as named)."""
    command = answers.command
    if command is None:
        raise InputError(answers.path, f'has no command; add e.g. command = "som-train" at the top (one of {", ".join(topics.TOPICS)})')
    if command not in topics.TOPICS:
        raise InputError(answers.path, f"command {command!r} {topics.not_a_solver(command)}")
    return command


READ_ALIKE = 1_000  # texts remembered: a class's distinct answer sets fit; a class whose files all differ holds no more


class Checker:
    """Checks files under one comparison rule, solving each distinct problem once."""

    def __init__(self, rule: Rule = Rule(), ecf_credit: float = 1.0) -> None:
        self.rule = rule
        self.ecf_credit = ecf_credit
        self._solutions: dict[tuple[str, str], Solution | InputError] = {}  # by command and resolved inputs
        self._as_written: dict[tuple[str, str], Solution] = {}  # by command and [inputs] as the file writes them
        self._judged: dict[tuple[str, str, str, Rule], tuple[Checked, ...]] = {}  # … and [answers] as written, and the rule
        self._read_alike: dict[str, AnswersFile] = {}  # by the text without the student's name (at most READ_ALIKE)
        self._written: dict[int, tuple[Any, str]] = {}  # their [inputs] and [answers] by object, with their repr

    @property
    def problems_solved(self) -> int:
        return len(self._solutions)

    def _solution_of(self, command: str, answers: AnswersFile) -> Solution:
        """The file's solved problem: found by its [inputs] as written (the files of one
        homework mostly write them alike), else by the inputs they resolve to."""
        written = (command, self._repr(answers.inputs))
        if written not in self._as_written:
            self._as_written[written] = self._solution(command, resolved_inputs(command, answers.inputs, answers.path), answers.path)
        return self._as_written[written]

    def _solution(self, command: str, inputs: dict[str, Any], where: str) -> Solution:
        key = (command, repr(plain(inputs)))  # (an array's repr elides its middle)
        solution = self._solutions.get(key)
        if solution is None:
            try:
                solution = Solution(topics.load(command).solve(inputs))
            except InputError as error:
                solution = InputError(where, f"[inputs]: {error}")
            self._solutions[key] = solution
        if isinstance(solution, InputError):
            raise InputError(where, solution.problem)
        return solution

    def check_file(self, path: str) -> FileResult:
        """Read, solve (or reuse the solution) and judge one file."""
        try:
            return self.check_answers(self._read(path))
        except InputError as error:
            return FileResult(path, error=str(error))

    def _read(self, path: str) -> AnswersFile:
        """The answers file; parsed once for the files that differ from it in the student's
        name alone (their answers are the same objects, so their ``repr`` is taken once too)."""
        text = data_file.read_text(path, path, "answers file")
        apart = student_apart(text)
        if apart is None:
            return from_text(path, text)
        alike, student = apart
        known = self._read_alike.get(alike)
        if known is None:
            known = from_text(path, text)
            if len(self._read_alike) < READ_ALIKE:
                self._read_alike[alike] = known
                for part in (known.inputs, known.answers):
                    self._written[id(part)] = (part, repr(part))  # (kept: its id is not reused meanwhile)
        return known._replace(path=path, student=student)

    def _repr(self, value: Any) -> str:
        """``repr(value)``: the [inputs] and [answers] of files read alike share theirs."""
        known = self._written.get(id(value))
        return known[1] if known is not None and known[0] is value else repr(value)

    def check_answers(self, answers: AnswersFile) -> FileResult:
        """Solve (or reuse the solution) and judge a file's answers; InputError when they
        cannot be."""
        command = _command(answers)
        solution = self._solution_of(command, answers)
        rule = file_rule(self.rule, answers)
        checked = self._judge(command, answers, solution, rule)
        problem = "the problem in its [inputs]" if answers.inputs else NOTES_PROBLEM
        return FileResult(answers.path, answers.student, command, solution.derivation.title, problem, checked, rule=rule)

    def _judge(self, command: str, answers: AnswersFile, solution: Solution, rule: Rule) -> tuple[Checked, ...]:
        """``judge``, remembered by the problem and the answers as written (``repr`` keeps a
        Decimal's digits): most of a class writes the same right answers, and the usual
        slips the same wrong ones. Raises InputError (not remembered) for a key the
        problem has not."""
        memo = (command, self._repr(answers.inputs), self._repr(answers.answers), rule)
        if memo not in self._judged:
            self._judged[memo] = judge(answers, solution, rule, self.ecf_credit, answers.path)
        return self._judged[memo]

    def check_files(self, paths: Sequence[str]) -> list[FileResult]:
        """Every file, in order. The cyclic garbage collector is paused meanwhile: what a
        check builds holds no reference cycles, and its passes over a class's growing
        results cost a tenth of the time for nothing."""
        import gc

        paused = gc.isenabled()
        gc.disable()
        try:
            return [self.check_file(path) for path in paths]
        finally:
            if paused:
                gc.enable()

    def check_against(self, path: str, derivation: Derivation, inputs: Mapping[str, Any]) -> FileResult:
        """``COMMAND ... --check FILE``: judge the file against the command line's solution.
        The file's [inputs], if any, must describe the same problem. Raises InputError."""
        where = f"--check {path}"
        try:
            answers = read(path)
        except InputError as error:
            raise InputError("--check", str(error)) from None
        command = derivation.command
        if answers.command not in (None, command):
            raise InputError(where, f"is an answers file for {answers.command!r}, not {command!r}")
        if answers.inputs:
            _same_problem(resolved_inputs(command, answers.inputs, where), inputs, where)
        return self.judge_against(answers, derivation, where, "the problem given on the command line")

    def judge_against(self, answers: AnswersFile, derivation: Derivation, where: str, problem: str) -> FileResult:
        """The answers judged against ``derivation`` (the problem described by ``problem``)."""
        rule = file_rule(self.rule, answers)
        checked = judge(answers, Solution(derivation), rule, self.ecf_credit, where)
        return FileResult(answers.path, answers.student, derivation.command, derivation.title, problem, checked, rule=rule)


def file_rule(rule: Rule, answers: AnswersFile) -> Rule:
    """The rule for one file: the file's min_sigfigs unless the command line set one."""
    if rule.min_sigfigs is not None or answers.min_sigfigs is None:
        return rule
    return rule._replace(min_sigfigs=answers.min_sigfigs)


def _same_problem(theirs: Mapping[str, Any], ours: Mapping[str, Any], where: str) -> None:
    """Refuse an answers file whose [inputs] are another problem than the command line's."""
    for name, value in ours.items():
        if _as_lists(theirs.get(name)) != _as_lists(value):
            option = "--" + name.replace("_", "-")
            raise InputError(where, f"its [inputs] are another problem ({option} is {_shown(plain(theirs.get(name)))} there, "
                                    f"{_shown(plain(value))} here); drop [inputs] from the file or run: dlsolve check {where.split(' ', 1)[1]}")


def _as_lists(value: Any) -> Any:
    """An input's value with its arrays and tuples as lists, to compare one read as an
    array with a default written as tuples."""
    value = plain(value)
    return [_as_lists(item) for item in value] if isinstance(value, (list, tuple)) else value


def _shown(value: Any) -> str:
    if value is None:
        return "not given"
    if isinstance(value, tuple):
        return repr(list(value)).replace("'", "")
    return repr(value)

