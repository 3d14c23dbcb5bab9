"""Per topic: the common slips, each computed as an alternative answer, and the chained
answers recomputed from the student's own earlier values (error carried forward).

Each topic's ``slips.py`` (``dlsolve/topics/som_train/slips.py``) defines
``analyse(work: Work) -> Analysis`` with the types defined here (and ``CHOICES``, its
answers that are picks, not amounts, when it has some). Values are keyed by path: the answer name, then 0-based
indexes (``("history", 1)`` is history.2). A slip's values are computed from where the student
was (their own earlier values where they gave them), so a slip made after an earlier mistake
is still recognized.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

from dlsolve.checking.keys import Path
from dlsolve.checking.student import Student


class Deferred(Mapping[Path, Any]):
    """Values computed when first read: only wrong answers are diagnosed, so most of a slip's
    values are never needed (a class's files cost a fraction of computing them all)."""

    def __init__(self, thunks: Mapping[Path, Callable[[], Any]]) -> None:
        self._thunks = dict(thunks)
        self._done: dict[Path, Any] = {}

    def __getitem__(self, path: Path) -> Any:
        if path not in self._done:
            self._done[path] = self._thunks[path]()
        return self._done[path]

    def __contains__(self, path: object) -> bool:
        return path in self._thunks

    def __iter__(self) -> Iterator[Path]:
        return iter(self._thunks)

    def __len__(self) -> int:
        return len(self._thunks)


class Slip(NamedTuple):
    """A common mistake and the answers it gives."""

    name: str  # a short id: "update-sign"
    text: str  # what the student did, for the report
    values: Mapping[Path, Any]


class Carried(NamedTuple):
    """An answer recomputed from the student's own earlier values."""

    value: Any
    sources: tuple[Path, ...]  # the earlier answers it is computed from


class Analysis(NamedTuple):
    carried: dict[Path, Carried]
    slips: list[Slip]


class Work(NamedTuple):
    """What a module analyses: the problem (the solution's echoed inputs), the solution's
    answers and the student's values."""

    inputs: Mapping[str, Any]
    answers: Mapping[str, Any]
    student: Student

    def given(self, path: Path, base: Any) -> Any:
        """``base`` with the student's values put in (see :meth:`Student.value`)."""
        return self.student.value(path, base)

    def solution(self, path: Path) -> Any:
        """The solution's value at ``path``."""
        value: Any = self.answers
        for part in path:
            value = value[part]
        return value


def analyse(command: str, work: Work) -> Analysis:
    """The command's catalogue of slips and its carried-forward answers."""
    from dlsolve import topics

    return topics.slips(command).analyse(work)


def choices(command: str) -> frozenset[str]:
    """The command's answers that are whole numbers picked from a few (a winner, a class),
    not amounts: a wrong one is an attempt, however far from the right one."""
    from dlsolve import topics

    return getattr(topics.slips(command), "CHOICES", frozenset())
