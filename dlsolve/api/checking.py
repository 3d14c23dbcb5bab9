"""``dlsolve.check``: a student's answers judged from Python, by the checker ``dlsolve check``
uses (:mod:`dlsolve.checking`): each answer's verdict, tolerance, step, slip and verdict
given the student's earlier answers (error carried forward)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, NamedTuple

from dlsolve.core.inputs import InputError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from dlsolve.checking.compare import Rule
    from dlsolve.checking.session import Checker, FileResult
    from dlsolve.core.derivation import Derivation

ANSWERS = "answers"  # how the answers given as a dict are named in messages and reports


class Step(NamedTuple):
    """The solution's step an answer comes from."""

    number: int
    title: str


class Carried(NamedTuple):
    """An answer judged against the value that follows from the student's own earlier answers."""

    expected: Any
    ok: bool
    sources: tuple[str, ...]  # the student's earlier answers it follows from
    wrong_sources: tuple[str, ...]  # those of them that are wrong


class Judged(NamedTuple):
    """One answer judged (as a line of ``dlsolve check -f json``)."""

    key: str
    given: Any
    expected: Any
    tolerance: Any  # shaped like the answer; None where the match must be exact
    ok: bool
    status: str  # right, carried (right given the student's earlier answers) or wrong
    step: Step | None
    slip: str | None  # the known slip a wrong answer matches (the likeliest), or None
    carried: Carried | None
    score: float


class Report:
    """Answers judged against a solution: ``answers`` (a :class:`Judged` each, in the order
    of the solution's steps; ``report["winners"]`` finds one), ``score``, ``all_right``, and
    the report of ``dlsolve check`` as ``text()``, ``markdown()``, ``html()`` and ``json()``. A notebook
    shows it as its Markdown table."""

    __slots__ = ("result", "rule", "ecf_credit", "answers")

    def __init__(self, result: FileResult, rule: Rule, ecf_credit: float) -> None:
        from dlsolve.checking.report import checked_dict

        self.result, self.rule, self.ecf_credit = result, rule, ecf_credit
        self.answers = tuple(_judged(checked_dict(c)) for c in result.checked)

    @property
    def command(self) -> str:
        return self.result.command or ""

    @property
    def score(self) -> float:
        """Points earned: 1 per right answer, ``ecf_credit`` per answer right given the student's earlier ones."""
        return self.result.score

    @property
    def max_score(self) -> int:
        return self.result.max_score

    @property
    def all_right(self) -> bool:
        return self.result.all_right

    def __getitem__(self, key: str) -> Judged:
        for judged in self.answers:
            if judged.key == key:
                return judged
        raise KeyError(key)

    def text(self, width: int | None = None, decimals: int = 4) -> str:
        from dlsolve.api.solving import checked_decimals, checked_width
        from dlsolve.checking.report import render_text
        from dlsolve.render.wrap import text_width

        return render_text([self.result], self.rule, checked_decimals(decimals), width=text_width(checked_width(width)))

    def markdown(self, decimals: int = 4) -> str:
        from dlsolve.api.solving import checked_decimals
        from dlsolve.checking.report import render_markdown

        return render_markdown([self.result], self.rule, checked_decimals(decimals))

    def html(self, decimals: int = 4) -> str:
        """The report as one self-contained HTML page (``dlsolve check -f html``)."""
        from dlsolve.api.solving import checked_decimals, require_html
        from dlsolve.checking.report import rendered

        require_html()
        return rendered([self.result], self.rule, "html", checked_decimals(decimals))

    def json(self) -> str:
        from dlsolve.checking.report import render_json

        return render_json([self.result], self.rule, self.ecf_credit)

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        first = self.result.first_wrong
        wrong = f"; first wrong step {first.number}" if first else ""
        return f"<Report {self.command}: {self.score:g}/{self.max_score}{wrong}>"


def _judged(d: dict[str, Any]) -> Judged:
    """A line of the JSON report as a :class:`Judged`."""
    carried = d["carried_forward"]
    return Judged(d["key"], d["given"], d["expected"], d["tolerance"], d["right"], d["status"],
                  Step(d["step"]["number"], d["step"]["title"]) if d["step"] else None,
                  d["diagnoses"][0]["text"] if d["diagnoses"] else None,
                  Carried(carried["expected"], carried["right"], tuple(carried["from"]), tuple(carried["from_wrong"])) if carried else None,
                  d["score"])


def check(answers: Mapping[str, Any] | str | os.PathLike[str], command: str | None = None, inputs: Mapping[str, Any] | None = None,
          mode: str = "written", *, digits: int | None = None, rtol: float | None = None, atol: float | None = None,
          min_sigfigs: int | None = None, ecf_credit: float = 1.0, student: str | None = None) -> Report:
    """Judge a student's answers and return the :class:`Report`, as ``dlsolve check`` does.

    ``answers`` is a dict keyed as ``-f json``'s answers with 1-based dotted indexes
    (``{"winners": [1, 1, 2, 2], "distances.1": [0.87, 1.1]}``; a float is judged to the
    precision its ``repr`` shows, as a file's number to the digits it was written with) or
    the path of an answers file. ``command`` and ``inputs`` (as :func:`dlsolve.solve`'s
    keywords) give the problem; without them a file's own ``command`` and ``[inputs]`` do,
    as ``dlsolve check FILE`` reads them. ``mode`` (written, relabs, sigfig, decdig),
    ``digits``, ``rtol``, ``atol``, ``min_sigfigs`` and ``ecf_credit`` are ``dlsolve
    check``'s options. Bad input raises :class:`dlsolve.InputError`.

    >>> import dlsolve
    >>> report = dlsolve.check({"winners": [1, 1, 2, 1]}, command="som-train")
    >>> report.score, report["winners"].ok
    (0.0, False)
    """
    from dlsolve.api.solving import file_path
    from dlsolve.checking.options import checked_number, rule_for
    from dlsolve.checking.session import Checker

    rule = rule_for(mode, digits, rtol, atol, min_sigfigs)
    checker = Checker(rule, checked_number("--ecf-credit", ecf_credit, 0.0, 1.0))
    if isinstance(answers, (str, os.PathLike)):
        path = file_path(answers, ANSWERS, "an answers file")
        return Report(_check_file(checker, path, command, inputs, student), checker.rule, checker.ecf_credit)
    from dlsolve.checking.answers_file import from_mapping

    if command is None:
        from dlsolve import topics

        raise InputError("command", f"not given: say which solver the answers are for, e.g. command='som-train' (one of {', '.join(topics.TOPICS)})")
    derivation = _solved(command, inputs)[1]
    given = from_mapping(answers, ANSWERS, command, student)
    problem = "the problem given as inputs" if inputs else "the course notes' problem"
    return Report(checker.judge_against(given, derivation, ANSWERS, problem), checker.rule, checker.ecf_credit)


def _check_file(checker: Checker, path: str, command: str | None, inputs: Mapping[str, Any] | None, student: str | None) -> FileResult:
    """An answers file checked: against its own problem (``dlsolve check FILE``), or against
    ``command`` and ``inputs`` (``dlsolve COMMAND --check FILE``)."""
    from dlsolve.checking.answers_file import read

    if student is not None:
        raise InputError("student", "is for answers given as a dict (an answers file names its student)")
    if command is None:
        if inputs:
            raise InputError("inputs", "give command= too, the solver these inputs are for")
        return checker.check_answers(read(path))
    resolved, derivation = _solved(command, inputs)
    return checker.check_against(path, derivation, resolved)


def _solved(command: str, inputs: Mapping[str, Any] | None) -> tuple[dict[str, Any], Derivation]:
    """The problem's inputs and solution (``inputs`` read as ``solve``'s keywords)."""
    from dlsolve import topics
    from dlsolve.api.solving import resolved

    if inputs is not None and not isinstance(inputs, dict):
        raise InputError("inputs", f"expected a dict of inputs such as {{'lr': 0.5}}, got {type(inputs).__name__}")
    for key in inputs or {}:
        if not isinstance(key, str):
            raise InputError("inputs", f"keys must be input names such as 'lr', got {str(key)[:40]!r}")
    values = resolved(command, inputs or {})
    return values, topics.load(command).solve(values)
