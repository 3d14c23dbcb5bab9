"""Answers files: what a student hands in.

    command = "som-train"            # the solver (optional with COMMAND --check FILE)
    description = "…"                # optional: what the file is (as in problem files)
    student = "Ada Lovelace"         # optional: shown instead of the file name
    min_sigfigs = 3                  # optional: fewer significant figures are too few digits
    [inputs]                         # optional: the problem, keys as in a problem file
    lr = 0.6                         # (absent: the course notes' problem)
    [answers]                        # the SPEC's answer names; 1-based dotted indexes
    distances.1 = [0.87, 1.1]
    winners.1 = 1
    history.2 = [[0.888, 0.08, 0.352, 0.032], [0.6, 0.7, 0.4, 0.3]]

TOML reads ``history.2 = …`` as a table ``history`` with a key ``2``: the tables are
flattened back into dotted keys (``"history.2" = …`` works too, and so does JSON with either
form). Numbers are read as ``Decimal`` (``parse_float=Decimal``) so "0.60" keeps the two
decimals it was written with. The file is read as problem files are (:mod:`dlsolve.core.data_file`:
the same size and nesting caps, a byte-order mark dropped).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, NamedTuple

from dlsolve.core import data_file
from dlsolve.core.inputs import InputError

TOP_KEYS = ("command", "description", "student", "min_sigfigs", "inputs", "answers")
MAX_SIGFIGS = 15  # a double's


class AnswersFile(NamedTuple):
    """A read answers file: ``answers`` maps dotted keys to the values as written."""

    path: str
    command: str | None
    student: str | None
    inputs: dict[str, Any] | None  # None: no [inputs] table
    answers: dict[str, Any]
    min_sigfigs: int | None = None  # the file's minimum of significant figures (check --min-sigfigs overrides it)


def _flattened(table: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """``{"history": {"2": [...]}}`` → ``("history.2", [...])``; keys normalized (``-`` → ``_``)."""
    for key, value in table.items():
        name = prefix + key.strip().replace("-", "_")
        if isinstance(value, dict) and value:
            yield from _flattened(value, name + ".")
        else:
            yield name, value


def plain(value: Any) -> Any:
    """Decimals as floats (for [inputs], which the solvers read as problem-file values)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def read(path: str) -> AnswersFile:
    """Read and check the layout of an answers file (its keys are checked against the
    solution later, when the problem is known). Raises InputError naming the file."""
    return from_text(path, data_file.read_text(path, path, "answers file"))


def from_text(path: str, text: str) -> AnswersFile:
    """:func:`read` of the file ``path`` whose text is ``text``."""
    table = data_file.parsed(text, path, path, parse_float=Decimal)
    if not isinstance(table, dict):
        raise InputError(path, f"must hold a table (command, [inputs], [answers]), not {type(table).__name__}")
    for key in table:
        if key not in TOP_KEYS:
            raise InputError(path, f"unknown top-level key {key!r}; the keys are {', '.join(TOP_KEYS)} "
                                   "(answers go under [answers], the problem's inputs under [inputs])")
    command, student = table.get("command"), table.get("student")
    if command is not None and not isinstance(command, str):
        raise InputError(path, 'command must be a command name in quotes, e.g. command = "som-train"')
    for key in ("student", "description"):
        if not isinstance(table.get(key, ""), str):
            raise InputError(path, f'{key} must be text in quotes, e.g. {key} = "Ada Lovelace"')
    min_sigfigs = table.get("min_sigfigs")
    if min_sigfigs is not None and (type(min_sigfigs) is not int or not 1 <= min_sigfigs <= MAX_SIGFIGS):
        raise InputError(path, f"min_sigfigs must be a whole number from 1 to {MAX_SIGFIGS}, e.g. min_sigfigs = 3")
    inputs = table.get("inputs")
    if inputs is not None and not isinstance(inputs, dict):
        raise InputError(path, "inputs must be a table: [inputs] followed by the problem's keys (or leave it out)")
    answers = table.get("answers")
    if not isinstance(answers, dict) or not answers:
        raise InputError(path, "has no answers: put them under [answers], e.g. [answers] then loss = 0.2984")
    flat: dict[str, Any] = {}
    for key, value in _flattened(answers):
        if isinstance(value, dict):
            raise InputError(path, f"answer {key!r} is an empty table; give it a value")
        flat[key] = value
    return AnswersFile(path, command, student, None if inputs is None else plain(inputs), flat, min_sigfigs)


# a top-level line ``student = "…"`` of plain characters (no escape, quote or control character)
_STUDENT_LINE = re.compile(r'^student[ \t]*=[ \t]*"([^"\\\x00-\x1f\x7f]*)"[ \t]*$', re.MULTILINE)


def student_apart(text: str) -> tuple[str, str] | None:
    """``(text without the student's name, the name)`` when the first line ``student = "…"``
    comes before any table (``[``) and its name is plain characters; else None. Two files
    whose texts are alike without the name are read alike but for ``student``, which is
    the name as written: a class's files mostly differ in it alone."""
    line = _STUDENT_LINE.search(text)
    if line is None or "[" in text[: line.start()]:
        return None
    return text[: line.start(1)] + text[line.end(1) :], line.group(1)


def from_mapping(answers: Any, where: str, command: str | None, student: str | None = None) -> AnswersFile:
    """Answers given as Python data (``{"winners": [1, 1, 2, 2], "distances.1": 0.3}``;
    nested tables as in a file), each number as written: a float as its shortest ``repr``
    (0.3 is "0.3", judged to that precision as a file's 0.3 is), a ``Decimal`` as it is
    ("0.60" keeps its two decimals), NumPy arrays as lists. InputError naming ``where`` for
    what a file could not hold either."""
    if not isinstance(answers, dict) or not answers:
        raise InputError(where, f"expected a non-empty dict of answers, e.g. {{'loss': 0.2984}}, got {type(answers).__name__}")
    if student is not None and not isinstance(student, str):
        raise InputError("student", f"must be text, got {type(student).__name__}")
    flat: dict[str, Any] = {}
    for key, value in _flattened(_keyed(answers, where)):
        if isinstance(value, dict):
            raise InputError(where, f"answer {key!r} is an empty table; give it a value")
        flat[key] = _as_written(value, f"{where} {key!r}")
    return AnswersFile(where, command, student, None, flat)


def _keyed(table: dict[Any, Any], where: str, depth: int = 1) -> dict[str, Any]:
    """The table with text keys (as a file's), nested tables too (as deep as a file's may
    be); InputError for another key."""
    if depth > data_file.MAX_DEPTH:
        raise InputError(where, f"is nested more than {data_file.MAX_DEPTH} deep")
    for key in table:
        if not isinstance(key, str):
            raise InputError(where, f"answer keys must be text such as 'winners' or 'distances.1', got {str(key)[:40]!r}")
    return {key: _keyed(value, where, depth + 1) if isinstance(value, dict) else value for key, value in table.items()}


def _as_written(value: Any, where: str, depth: int = 0) -> Any:
    """A given value as an answers file holds it: floats (and other real numbers) as the
    ``Decimal`` of their shortest repr, tuples and arrays (``tolist``) as lists."""
    if value is None or isinstance(value, (str, bool, int, Decimal)):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if depth > data_file.MAX_DEPTH:
        raise InputError(where, f"is nested more than {data_file.MAX_DEPTH} deep")
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return _as_written(tolist(), where, depth + 1)
    if isinstance(value, (list, tuple)):
        return [_as_written(v, where, depth + 1) for v in value]
    import numbers

    if isinstance(value, numbers.Real):  # a Fraction
        return Decimal(repr(float(value))) if abs(value) < 1e308 else Decimal("Infinity")
    raise InputError(where, f"expected a number, a word or a list of them, got {type(value).__name__}")
