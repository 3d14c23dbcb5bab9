"""t-test (and z-test) exercises as exam word problems: a claim, a sample, and a question
whose wording decides one or two tails by the notes' keyword rule ("more than",
"greater", "increased" … → one-tailed; "differs" → two-tailed). The whole text goes to
the solver as ``--question``, so the solver applies the rule to exactly what the student
reads.

Exam-friendly means: a summary whose standard error comes out clean (n − 1 a perfect
square, as the notes divide a given SD by √(n − 1)), raw data of whole numbers with a
mean of at most one decimal, and a statistic clearly on one side of the table value.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from dlsolve.core.derivation import Line, line
from dlsolve.core.numbers import format_number
from dlsolve.practice.draw import Draw, first
from dlsolve.practice.exercise import Generated, Question, percent

TITLE = "Hypothesis test on a mean"

# The table values a statistic must stay clear of, for any df ≥ 9 (t) and for z: the
# lowest and highest critical value of each (α, tails). Only used to keep |t| away from
# the decision boundary; the solution's values come from SciPy (tests check these bands).
CRITICAL_BANDS = {(0.10, 2): (1.645, 1.833), (0.05, 2): (1.960, 2.262), (0.01, 2): (2.576, 3.250),
                  (0.10, 1): (1.282, 1.383), (0.05, 1): (1.645, 1.833), (0.01, 1): (2.326, 2.821)}
CLEARANCE = 0.25  # |t| at least this far from the band


class Context(NamedTuple):
    """A word-problem setting. ``{n}``, ``{mu0}``, ``{unit}`` are filled in."""

    claim: str
    summary: str  # "{n} … has a mean of {mean} {unit} and a standard deviation of {sd} {unit}."
    data: str  # "… of {n} …, in {unit}, are:"
    quantity: str  # "the mean life"
    unit: str
    mu0: tuple[int, int]  # range of the claimed mean
    sd: tuple[int, int]  # range of a sample's SD (whole units)
    up: tuple[str, ...]  # one-tailed questions when the sample mean is above μ0
    down: tuple[str, ...]


_TWO = ("Test whether {quantity} differs from {mu0} {unit}.", "Test the hypothesis that {quantity} is {mu0} {unit}.",
        "Is {quantity} different from {mu0} {unit}?")

CONTEXTS = (
    Context("A manufacturer claims that the mean life of its electric bulbs is {mu0} {unit}.",
            "A random sample of {n} bulbs has a mean life of {mean} {unit} and a standard deviation of {sd} {unit}.",
            "The lives of a random sample of {n} bulbs, in {unit}, are:", "the mean life", "months", (20, 40), (3, 8),
            ("Does the sample show that the mean life is more than {mu0} {unit}?", "Is the mean life greater than {mu0} {unit}?"),
            ("Does the sample show that the mean life is less than {mu0} {unit}?", "Is the mean life smaller than {mu0} {unit}?")),
    Context("A battery maker states that its batteries last {mu0} {unit} on average.",
            "Tests on {n} batteries give a mean of {mean} {unit} with a standard deviation of {sd} {unit}.",
            "Tests on {n} batteries give these lifetimes, in {unit}:", "the mean lifetime", "hours", (40, 70), (4, 10),
            ("Can we conclude that the mean lifetime is greater than {mu0} {unit}?", "Has the new design increased the mean lifetime?"),
            ("Can we conclude that the mean lifetime is less than {mu0} {unit}?", "Has the mean lifetime decreased?")),
    Context("Packets of cereal are labelled {mu0} {unit}.",
            "The contents of {n} packets have a mean of {mean} {unit} and a standard deviation of {sd} {unit}.",
            "The contents of {n} packets, in {unit}, are:", "the mean content", "g", (250, 500), (4, 12),
            ("Is the mean content more than {mu0} {unit}?", "Is the mean content greater than the label says?"),
            ("Is the mean content less than {mu0} {unit}?", "Are the packets filled with less than {mu0} {unit} on average?")),
    Context("Students of a school have scored {mu0} {unit} on average in a national test for years.",
            "This year {n} students taught with a new method have a mean of {mean} {unit} and a standard deviation of {sd} {unit}.",
            "This year {n} students taught with a new method scored, in {unit}:", "the mean score", "marks", (50, 70), (5, 12),
            ("Has the new method improved the mean score?", "Is the mean score now more than {mu0} {unit}?"),
            ("Has the mean score decreased with the new method?", "Is the mean score now less than {mu0} {unit}?")),
    Context("A company says its deliveries take {mu0} {unit} on average.",
            "A check of {n} deliveries finds a mean of {mean} {unit} and a standard deviation of {sd} {unit}.",
            "A check of {n} deliveries gives these times, in {unit}:", "the mean delivery time", "minutes", (25, 45), (3, 9),
            ("Do deliveries take more than {mu0} {unit} on average?", "Has the mean delivery time increased?"),
            ("Do deliveries take less than {mu0} {unit} on average?", "Has the mean delivery time decreased?")),
    Context("A plant variety is said to grow to {mu0} {unit} on average.",
            "A sample of {n} plants has a mean height of {mean} {unit} and a standard deviation of {sd} {unit}.",
            "The heights of a sample of {n} plants, in {unit}, are:", "the mean height", "cm", (30, 60), (3, 9),
            ("Are the plants taller than {mu0} {unit} on average?", "Is the mean height greater than {mu0} {unit}?"),
            ("Are the plants smaller than {mu0} {unit} on average?", "Is the mean height less than {mu0} {unit}?")),
)


class Shape(NamedTuple):
    kinds: tuple[str, ...]  # "summary" (n, mean, sd given), "data" (raw sample), "large" (z-test summary)
    alphas: tuple[float, ...]
    sizes: tuple[int, ...]  # n for "data"


LEVELS = {
    "easy": Shape(kinds=("summary",), alphas=(0.05,), sizes=()),
    "exam": Shape(kinds=("summary", "data"), alphas=(0.05, 0.05, 0.01), sizes=(10,)),
    "hard": Shape(kinds=("data", "large"), alphas=(0.05, 0.01, 0.10), sizes=(12, 15)),
}
SUMMARY_SIZES = (10, 17, 26)  # n − 1 = 9, 16, 25: √(n − 1) = 3, 4, 5
LARGE_SIZES = (50, 65, 82, 101)  # n > 30 (z-test) and √(n − 1) = 7, 8, 9, 10


def _clear(t: float, alpha: float, tails: int) -> bool:
    """|t| well below or well above every table value of this (α, tails)."""
    low, high = CRITICAL_BANDS[(alpha, tails)]
    return abs(t) <= low - CLEARANCE or abs(t) >= high + CLEARANCE


def _num(x: float) -> str:
    return format_number(x, latex=False, exact=True)


class Sample(NamedTuple):
    n: int
    mean: float
    sd: float  # as given (divisor n, the notes' convention), or of the data (divisor n − 1)
    data: tuple[int, ...] | None
    t: float


def _summary(draw: Draw, mu0: int, sizes: tuple[int, ...], context: Context) -> Sample:
    """n with √(n − 1) whole, s a multiple of it (so SE = s/√(n − 1) has ≤ 1 decimal), x̄ − μ₀ in halves."""
    n = draw.choice(sizes)
    root = math.isqrt(n - 1)
    se = draw.integer(2, 2 * context.sd[1] // root + 2) / 2  # 1, 1.5, 2, …
    diff = draw.choice((-1, 1)) * draw.integer(1, 12) / 2
    return Sample(n, mu0 + diff, se * root, None, diff / se)


def _data(draw: Draw, mu0: int, sizes: tuple[int, ...], context: Context) -> Sample:
    """Whole numbers around μ₀ + a shift; the last one adjusted so the mean has ≤ 1 decimal."""
    n = draw.choice(sizes)
    centre = mu0 + draw.choice((-1, 1)) * draw.integer(1, context.sd[1])
    spread = draw.integer(*context.sd)
    x = [centre + draw.integer(-2 * spread, 2 * spread) for _ in range(n)]
    unit = n if n % 10 else n // 10  # the sum must be a multiple of this for a mean of ≤ 1 decimal
    x[-1] -= sum(x) % unit
    mean = sum(x) / n
    s = math.sqrt(sum((v - mean) ** 2 for v in x) / (n - 1))
    t = (mean - mu0) / (s / math.sqrt(n)) if s else 0.0
    return Sample(n, mean, s, tuple(x), t)


def generate(draw: Draw, level: str) -> Generated:
    shape = LEVELS[level]
    context = draw.choice(CONTEXTS)
    kind = draw.choice(shape.kinds)
    alpha = draw.choice(shape.alphas)
    one_tailed = draw.chance(1, 2)
    mu0 = draw.integer(*context.mu0)
    make = {"summary": lambda: _summary(draw, mu0, SUMMARY_SIZES, context), "large": lambda: _summary(draw, mu0, LARGE_SIZES, context),
            "data": lambda: _data(draw, mu0, shape.sizes, context)}[kind]
    sample = first(make, lambda s: s.mean != mu0 and s.t != 0 and _clear(s.t, alpha, 1 if one_tailed else 2)
                   and (s.data is None or min(s.data) > 0))
    question = draw.choice((context.up if sample.mean > mu0 else context.down) if one_tailed else _TWO)

    fill = {"n": sample.n, "mu0": mu0, "unit": context.unit, "quantity": context.quantity,
            "mean": _num(sample.mean), "sd": _num(sample.sd)}
    claim = context.claim.format(**fill)
    ask = question.format(**fill) + f" Use the {percent(alpha)} level of significance."
    if sample.data is None:
        text = " ".join((claim, context.summary.format(**fill), ask))
        problem = {"n": sample.n, "mean": sample.mean, "sd": sample.sd}
        statement: tuple[Line, ...] = (line(text),)
    else:
        listed = ", ".join(map(str, sample.data))
        text = " ".join((claim, context.data.format(**fill), listed + ".", ask))
        problem = {"data": list(sample.data)}
        statement = (line(claim + " " + context.data.format(**fill)), line(listed + "."), line(ask))
    problem.update(mu0=float(mu0), alpha=alpha, question=text)
    test = "z" if kind == "large" else "t"
    return Generated(problem, statement, _questions(sample.data is not None, test),
                     f"{test}-test, n = {sample.n}, μ0 = {mu0}, {percent(alpha)} level, {'one' if one_tailed else 'two'}-tailed wording")


def _questions(raw: bool, test: str) -> tuple[Question, ...]:
    computed = ("mean", "sd", "se", "statistic") if raw else ("se", "statistic")
    table = ("df", "critical", "reject") if test == "t" else ("critical", "reject")
    return (
        Question(line("State the null and the alternative hypothesis. Is the test one-tailed or two-tailed?"), ("alternative",)),
        Question(line(("Compute the sample mean and standard deviation, then " if raw else "Compute ") + "the test statistic."), computed),
        Question(line("Find the table value and decide: is the result significant?"), table),
    )
