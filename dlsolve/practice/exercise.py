"""A generated exercise: the problem's inputs, the question the way an exam states it, and
for each part of the question the answer keys that hold its result.

The inputs are exactly what a problem file holds (``command`` aside), so the solver
solves the exercise and ``--save-problem`` writes it; the answer keys (dotted, 1-based,
as in the SPEC: ``distances.2``, ``layers.3.params``) link each part to the solution's
steps, which is what a quiz needs to ask for the key values one at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from dlsolve.core.derivation import Line, Num, Part, joined

LEVELS = ("easy", "exam", "hard")
DEFAULT_LEVEL = "exam"


class Question(NamedTuple):
    """One thing the exercise asks (``(a) Find …``) and the answer keys of its results."""

    text: Line
    answers: tuple[str, ...]


class Generated(NamedTuple):
    """What a command's generator makes from its draws."""

    problem: dict[str, Any]  # the inputs, keyed as in a problem file (snake_case)
    statement: tuple[Line, ...]  # the data, paragraph by paragraph
    questions: tuple[Question, ...]
    summary: str  # one line: "4 samples of 4 inputs, 2 units, η = 0.6"


class Exercise(NamedTuple):
    """A generated exercise, fully determined by (command, level, seed)."""

    command: str
    level: str
    seed: int
    title: str
    problem: dict[str, Any]
    statement: tuple[Line, ...]
    questions: tuple[Question, ...]
    summary: str

    @property
    def description(self) -> str:
        """The problem file's one-line description."""
        return f"Practice {self.command}, level {self.level}, seed {self.seed}: {self.summary}"

    @property
    def answers(self) -> tuple[str, ...]:
        """Every answer key the questions ask for, in question order."""
        return tuple(key for question in self.questions for key in question.answers)


# --- writing numbers and vectors into the question --------------------------------------


def given(value: float) -> Num:
    """A number of the data, shown in full (never rounded to --decimals)."""
    return Num(value, exact=True)


def vector(values: Iterable[float]) -> tuple[Part, ...]:
    """``(1, 0, 1, 0)`` as math parts."""
    return ("(", *joined([given(v) for v in values], ", "), ")")


def listed(values: Sequence[float]) -> tuple[Part, ...]:
    """``22, 24, 26`` as math parts (a sample as the exam prints it)."""
    return joined([given(v) for v in values], ", ")


def numbered(items: Sequence[Sequence[Part]], sep: str = ", ", last: str = " and ") -> tuple[Part, ...]:
    """Items joined the way prose lists them: ``a, b and c``."""
    if len(items) < 2:
        return tuple(part for item in items for part in item)
    return (*joined(list(items[:-1]), sep), last, *items[-1])


def counted(n: int, noun: str) -> str:
    """``four samples``, ``one unit``: small counts in words, as an exam writes them."""
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    count = words[n] if n < len(words) else str(n)
    return f"{count} {noun}" if n == 1 else f"{count} {noun}s"


def percent(alpha: float) -> str:
    """``0.05`` → ``5%``."""
    return f"{round(alpha * 100, 6):g}%"
