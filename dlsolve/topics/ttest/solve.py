"""Tests on means, written the notes' way in five steps (NOTES-PROBLEMS §4): null
hypothesis, alternative hypothesis, test statistic, level of significance, decision.

One sample   t = (x̄ − μ₀)/SE with SE = s/√n when s has divisor n − 1 (always, for raw
             data), or SE = s/√(n − 1) when a given SD has divisor n (the notes' rule for a
             given SD); df = n − 1.
Paired       the one-sample test on the differences dᵢ = x₁ᵢ − x₂ᵢ (μ₀ = 0 by default).
Two samples  t = (x̄₁ − x̄₂ − μ₀)/SE; pooled: SE = s_p √(1/n₁ + 1/n₂), df = n₁ + n₂ − 2;
             Welch: SE = √(s₁²/n₁ + s₂²/n₂), df = (v₁ + v₂)²/(v₁²/(n₁ − 1) + v₂²/(n₂ − 1)).
z-test       the same statistic against the standard normal (the notes: when n > 30).
One or two tails: ``--alternative``, else the notes' keyword rule on ``--question``.
Critical values and p-values come from ``scipy.special`` (stdtrit/stdtr, ndtri/ndtr).
"""

from __future__ import annotations

import math as pymath
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np

from dlsolve.core.derivation import Block, Derivation, Line, Note, Num, Step, Table, line, math
from dlsolve.core.shallow_import import import_module
from dlsolve.core.inputs import Choice, Field, Flag, InputError, Integer, Number, Vector, one_line

COMMAND = "ttest"
ALTERNATIVES = ("two-sided", "less", "greater")
MAX_DATA = 100_000  # values in one sample: an exam gives 5–30
Z_ABOVE_N = 30  # the notes: z-test when n > 30, t-test when n ≤ 30
ONE, PAIRED, TWO = "one-sample", "paired", "two-sample"

# The notes' problem A (NOTES-PROBLEMS §4).
NOTES_N, NOTES_MEAN, NOTES_SD, NOTES_MU0 = 20, 42.0, 6.0, 44.0
NOTES_QUESTION = ("A random sample of size 20 from a normal population gives a sample mean of 42 and a sample "
                  "standard deviation of 6. Test the hypothesis that the population mean is 44.")

# The notes' one-tailed words, in the notes' order; verbs also match their inflected forms.
KEYWORDS = ("less than", "more than", "greater", "smaller", "taller", "superior", "inferior",
            "increase", "decrease", "at least", "at most", "only", "improved")
_FORMS = {"increase": ("increases", "increased", "increasing"), "decrease": ("decreases", "decreased", "decreasing"),
          "improved": ("improve", "improves", "improving", "improvement")}
_SHOWN_CONTEXT = 30  # characters of the question shown either side of the deciding word


class Text(NamedTuple):
    """Free text (the exam question), whitespace collapsed to single spaces."""

    def read_text(self, text: str, where: str) -> str:
        if not text.strip():
            raise InputError(where, "is empty; give the question's wording in quotes")
        return one_line(" ".join(text.split()))  # shown on the terminal: control characters escaped

    def read_value(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise InputError(where, f"expected text (the question), got {type(value).__name__}")
        return self.read_text(value, where)


FIELDS = (
    Field("data", Vector(MAX_DATA), None),  # None everywhere below: the notes' problem A unless a sample is given
    Field("n", Integer(low=2), None),
    Field("mean", Number(), None),
    Field("sd", Number(low=0, low_inclusive=False), None),
    Field("mu0", Number(), None),
    Field("alpha", Number(low=0, high=1, low_inclusive=False, high_inclusive=False), 0.05),
    Field("alternative", Choice(ALTERNATIVES), None),
    Field("question", Text(), None),
    Field("sd_divisor", Choice(("n", "n-1")), None),
    Field("test", Choice(("t", "z", "auto")), "auto"),
    Field("data2", Vector(MAX_DATA), None),
    Field("equal_var", Flag(), None),
    Field("paired", Flag(), False),
)
# raw data or a summary: the command line's choice beats the problem file's
EXCLUSIVE_OPTIONS = ((frozenset({"data", "data2", "paired"}), frozenset({"n", "mean", "sd"})),)


# --- the samples and their validation ---------------------------------------------------


class Sample(NamedTuple):
    """n, mean and SD of one sample: computed from ``values`` (SD with divisor n − 1) or given."""

    n: int
    mean: float
    sd: float
    values: np.ndarray | None = None

    @classmethod
    def of(cls, values: np.ndarray) -> Sample:
        return cls(len(values), float(values.mean()), float(values.std(ddof=1)), values)


class Design(NamedTuple):
    """What is tested: one sample (``samples = (x,)``), the differences of paired samples
    (``(d,)``, with the two measurements in ``pairs``) or two independent samples."""

    kind: str
    samples: tuple[Sample, ...]
    mu0: float
    sd_divisor: str  # how the SD was computed: "n" (SE = s/√(n − 1)) or "n-1" (SE = s/√n)
    equal_var: bool | None  # two samples: pooled (True) or Welch (False)
    question: str | None
    pairs: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def n(self) -> int | list[int]:
        return [s.n for s in self.samples] if self.kind == TWO else self.samples[0].n

    @property
    def smallest_n(self) -> int:
        return min(s.n for s in self.samples)


def _sample(values: tuple[float, ...], option: str) -> np.ndarray:
    if len(values) < 2:
        raise InputError(option, f"needs at least 2 values to estimate a standard deviation, got {len(values)}")
    x = np.array(values, dtype=float)
    with np.errstate(over="ignore"):
        if not np.isfinite((x**2).sum()):
            raise InputError(option, "values too large: their squares overflow double precision")
    return x


def _varies(values: np.ndarray) -> bool:
    """False when every value is the same (up to rounding): then s = 0 and t is undefined."""
    return bool(np.ptp(values) > 1e-12 * np.max(np.abs(values)))


def _design(inputs: Mapping[str, Any]) -> Design:
    """Check that the options fit together and build what is tested (or raise InputError)."""
    data, data2, paired, equal_var = inputs["data"], inputs["data2"], inputs["paired"], inputs["equal_var"]
    summary = [name for name in ("n", "mean", "sd") if inputs[name] is not None]
    if data is not None and summary:
        raise InputError(f"--{summary[0]}", "cannot be combined with --data: n, x̄ and s are computed from the data")
    if data2 is not None and data is None:
        raise InputError("--data2", "needs --data too (the first sample)")
    if paired and data2 is None:
        raise InputError("--paired", "needs two samples of the same length: --data and --data2")
    if equal_var is not None and (data2 is None or paired):
        raise InputError("--equal-var/--no-equal-var", "applies only to two independent samples (--data and --data2, without --paired)")
    divisor = inputs["sd_divisor"]
    if data is not None and divisor == "n":
        raise InputError("--sd-divisor", "applies to a given --sd; from --data, s is computed with divisor n − 1 and SE = s/√n")

    mu0, question = inputs["mu0"], inputs["question"]
    if data is None and not summary:  # the notes' problem A
        if mu0 is None and question is None:
            question = NOTES_QUESTION
        sample = Sample(NOTES_N, NOTES_MEAN, NOTES_SD)
        return Design(ONE, (sample,), NOTES_MU0 if mu0 is None else mu0, divisor or "n", None, question)
    if data is None:
        missing = [f"--{name}" for name in ("n", "mean", "sd") if inputs[name] is None]
        if missing:
            raise InputError(missing[0], "missing: a summary needs --n, --mean and --sd together (or give the raw sample with --data)")
        if mu0 is None:
            raise InputError("--mu0", "missing: give the hypothesised population mean μ₀")
        sample = Sample(inputs["n"], inputs["mean"], inputs["sd"])
        return Design(ONE, (sample,), mu0, divisor or "n", None, question)

    x = _sample(data, "--data")
    if data2 is None:
        if mu0 is None:
            raise InputError("--mu0", "missing: give the hypothesised population mean μ₀ to test the --data against")
        if not _varies(x):
            raise InputError("--data", f"all {len(x)} values are equal ({x[0]:g}), so s = 0 and t = (x̄ − μ₀)/(s/√n) is undefined")
        return Design(ONE, (Sample.of(x),), mu0, "n-1", None, question)

    x2 = _sample(data2, "--data2")
    mu0 = 0.0 if mu0 is None else mu0
    if paired:
        if len(x) != len(x2):
            raise InputError("--paired", f"--data has {len(x)} values but --data2 has {len(x2)}; paired samples need one of each per subject")
        d = x - x2
        if not _varies(d):
            raise InputError("--data2", f"every difference --data − --data2 is {d[0]:g}, so s_d = 0 and t is undefined")
        return Design(PAIRED, (Sample.of(d),), mu0, "n-1", None, question, (x, x2))
    if not (_varies(x) or _varies(x2)):
        raise InputError("--data2", "both samples are constant, so both SDs are 0 and t is undefined")
    return Design(TWO, (Sample.of(x), Sample.of(x2)), mu0, "n-1", True if equal_var is None else equal_var, question)


# --- the statistic, its distribution and the decision -----------------------------------


class Estimate(NamedTuple):
    """The tested quantity (x̄, d̄ or x̄₁ − x̄₂), its standard error and the t-test's df."""

    mean: float
    se: float
    df: int | float
    sd_pooled: float | None = None


def _estimate(design: Design, sd_divisor: str, equal_var: bool | None) -> Estimate:
    """SE and df for the design under the given SD convention / variance assumption."""
    if design.kind != TWO:
        s = design.samples[0]
        return Estimate(s.mean, s.sd / pymath.sqrt(s.n - 1 if sd_divisor == "n" else s.n), s.n - 1)
    a, b = design.samples
    try:
        if equal_var:  # pooled: s_p² = ((n₁ − 1)s₁² + (n₂ − 1)s₂²)/(n₁ + n₂ − 2)
            sp = pymath.sqrt(((a.n - 1) * a.sd**2 + (b.n - 1) * b.sd**2) / (a.n + b.n - 2))
            return Estimate(a.mean - b.mean, sp * pymath.sqrt(1 / a.n + 1 / b.n), a.n + b.n - 2, sp)
        v1, v2 = a.sd**2 / a.n, b.sd**2 / b.n  # Welch–Satterthwaite
        df = (v1 + v2) ** 2 / (v1**2 / (a.n - 1) + v2**2 / (b.n - 1))
    except (OverflowError, ZeroDivisionError):  # s² or its square leaves double precision
        raise InputError("--data/--data2", "the sample variances are beyond double precision (values too large, "
                                           "or too close together for the Welch df)") from None
    return Estimate(a.mean - b.mean, pymath.sqrt(v1 + v2), float(df))


class Decision(NamedTuple):
    """Test statistic, table value and p-value; ``df`` is None for the z-test."""

    test: str
    statistic: float
    df: int | float | None
    critical: float
    p_value: float
    reject: bool


def _decide(estimate: Estimate, mu0: float, test: str, alternative: str, alpha: float) -> Decision:
    """t (or z) = (estimate − μ₀)/SE against Student's t with df (or the standard normal):
    critical value t_{α/2} (two-tailed) or t_α (one-tailed), p-value from the tail(s)."""
    special = import_module("scipy.special")  # only here, and not scipy.stats: 0.2 s instead of 0.7 s

    df = estimate.df if test == "t" else None

    def cdf(x: float) -> float:
        return float(special.ndtr(x) if df is None else special.stdtr(df, x))

    def quantile(p: float) -> float:
        return float(special.ndtri(p) if df is None else special.stdtrit(df, p))

    statistic = (estimate.mean - mu0) / estimate.se
    critical = -quantile(alpha / 2 if alternative == "two-sided" else alpha)  # from the small tail: exact
    if not np.isfinite(critical):
        raise InputError("--alpha", f"{alpha:g} is too small: its table value is beyond double precision")
    if alternative == "two-sided":
        p, reject = min(1.0, 2 * cdf(-abs(statistic))), abs(statistic) >= critical
    elif alternative == "greater":
        p, reject = cdf(-statistic), statistic >= critical
    else:
        p, reject = cdf(statistic), statistic <= -critical
    return Decision(test, statistic, df, critical, p, reject)


def _test_kind(choice: str, design: Design) -> str:
    if choice != "auto":
        return choice
    return "z" if design.smallest_n > Z_ABOVE_N else "t"


# --- one or two tails: --alternative, or the notes' keyword rule on --question -----------


def _keyword_pattern() -> re.Pattern[str]:
    forms = [form for word in KEYWORDS for form in (word, *_FORMS.get(word, ()))]
    forms.sort(key=len, reverse=True)  # at one position, the longest form wins
    return re.compile(r"\b(?:" + "|".join(r"\s+".join(map(re.escape, f.split())) for f in forms) + r")\b", re.IGNORECASE)


_KEYWORD = _keyword_pattern()
_KEYWORD_OF = {form: word for word in KEYWORDS for form in (word, *_FORMS.get(word, ()))}


class Keyword(NamedTuple):
    """The word of the question that makes the test one-tailed, and where it stands."""

    found: str  # as written in the question
    keyword: str  # the notes' word it is (a form of)
    start: int
    end: int


def find_keyword(question: str) -> Keyword | None:
    """The first of the notes' one-tailed words in ``question`` (whole words, any case)."""
    match = _KEYWORD.search(question)
    if match is None:
        return None
    found = match.group(0)
    return Keyword(found, _KEYWORD_OF[" ".join(found.lower().split())], match.start(), match.end())


def _excerpt(question: str, keyword: Keyword | None) -> str:
    """What to quote of the question on one line: the words around the deciding word or,
    without one, the end (its last sentence when short), where the question is asked."""
    length = len(question)
    if keyword is None:
        sentence = question.rfind(". ", 0, length - 1) + 2  # 1 when there is one sentence
        fits = sentence > 1 and length - sentence <= 2 * _SHOWN_CONTEXT + 10
        low = high = length
        start, end = (sentence if fits else length - 2 * _SHOWN_CONTEXT), length
    else:
        low, high = keyword.start, keyword.end
        start, end = low - _SHOWN_CONTEXT, high + _SHOWN_CONTEXT
    start, end = max(0, start), min(length, end)
    if start > 0 and question[start - 1] != " ":  # cut at word boundaries, never inside the keyword
        start = question.find(" ", start, low) + 1 or start
    if end < length:
        end = max(question.rfind(" ", high, end), high)
    return ("…" if start else "") + question[start:end].strip() + ("…" if end < length else "")


class Tails(NamedTuple):
    """The alternative chosen and the lines that say why."""

    alternative: str
    why: tuple[Line, ...]
    notes: tuple[Note, ...]


def _keyword_lines(question: str, keyword: Keyword | None) -> tuple[list[Line], Note]:
    """The question quoted, the word that decided (or none), and the rule in full."""
    why = [line(f'Question: "{_excerpt(question, keyword)}"')]
    if keyword:
        form = f' (a form of "{keyword.keyword}")' if keyword.found.lower() != keyword.keyword else ""
        why.append(line(f'It contains the notes\' one-tailed word "{keyword.found}"{form} → one-tailed.'))
    else:
        why.append(line("It contains none of the notes' one-tailed words (less than, more than, greater, …) → two-tailed."))
    forms = ", ".join(form for word in KEYWORDS for form in _FORMS.get(word, ()))
    rule = Note(line("The notes' rule for the tails: a question with one of the words ", ", ".join(KEYWORDS),
                     f" is one-tailed, otherwise two-tailed. Whole words, any case; the forms {forms} count too."))
    return why, rule


def _tails(design: Design, given: str | None, estimate: float, sym: Symbols) -> Tails:
    """--alternative if given; else the notes' keyword rule on --question, the direction of a
    one-tailed test from the sign of estimate − μ₀; else two-tailed."""
    why: list[Line] = []
    notes: list[Note] = []
    ruled = None  # what the question gives
    keyword = None
    if design.question:
        keyword = find_keyword(design.question)
        lines, rule = _keyword_lines(design.question, keyword)
        why += lines
        notes.append(rule)
        ruled = ("greater" if estimate >= design.mu0 else "less") if keyword else "two-sided"
    if given:
        if ruled is None:
            why.append(line(f"--alternative {given} given."))
        elif ruled == given:
            why.append(line(f"--alternative {given} given: the same as the question's reading."))
        else:
            reading = "two-tailed" if ruled == "two-sided" else f"one-tailed ({ruled})"
            why.append(line(f"--alternative {given} overrides the question's {reading} reading."))
            notes.append(Note(line(f"--alternative {given} was used; the notes' keyword rule on the question gives a {reading} test.")))
        return Tails(given, tuple(why), tuple(notes))
    if ruled is None:
        why.append(line("Neither --question nor --alternative given: two-tailed."))
        return Tails("two-sided", tuple(why), tuple(notes))
    if keyword:
        sign = "<" if estimate < design.mu0 else (">" if estimate > design.mu0 else "=")
        tie = " (no direction: the upper tail is taken)" if sign == "=" else ""
        why.append(line("Direction from the sample, as the notes do: $", sym.estimate, " = ", estimate, f" {sign} ",
                        sym.mu0, " = ", design.mu0, f"${tie}."))
        notes.append(Note(line("The direction of H₁ was taken from the sample (as the notes do). Strictly it should come "
                               "from the claim, before looking at the data; set it with --alternative less|greater."), "warning"))
    return Tails(ruled, tuple(why), tuple(notes))


# --- names and phrases per design -------------------------------------------------------


class Symbols(NamedTuple):
    """LaTeX names of the design's quantities and the words for its parameter."""

    estimate: str  # \bar{x}, \bar{d}, \bar{x}_1 - \bar{x}_2
    parameter: str  # \mu, \mu_d, \mu_1 - \mu_2
    mu0: str
    subject: str  # "the population mean"


def _symbols(design: Design) -> Symbols:
    if design.kind == ONE:
        return Symbols(r"\bar{x}", r"\mu", r"\mu_0", "the population mean")
    if design.kind == PAIRED:
        return Symbols(r"\bar{d}", r"\mu_d", r"\mu_0", "the mean difference (--data − --data2)")
    return Symbols(r"\bar{x}_1 - \bar{x}_2", r"\mu_1 - \mu_2", r"\mu_0", "the difference of the population means")


_RELATION = {"two-sided": r"\neq", "less": "<", "greater": ">"}
_RELATION_WORDS = {"two-sided": "differs from", "less": "is less than", "greater": "is greater than"}
_EQUAL_MEANS_WORDS = {"two-sided": "the two population means differ", "less": "the first population mean is less than the second",
                      "greater": "the first population mean is greater than the second"}


def _claim(design: Design, sym: Symbols, alternative: str) -> tuple[Any, ...]:
    """H₁ in words: "the population mean differs from 44"."""
    if design.kind == TWO and design.mu0 == 0:
        return (_EQUAL_MEANS_WORDS[alternative],)
    return (f"{sym.subject} {_RELATION_WORDS[alternative]} ", design.mu0)


def _stat(test: str, which: str) -> str:
    """t_{\\text{cal}}, z_{\\text{tab}} …"""
    return rf"{test}_{{\text{{{which}}}}}"


# --- the worked steps ---------------------------------------------------------------------


def _null_step(design: Design, sym: Symbols) -> Step:
    if design.kind == TWO and design.mu0 == 0:
        body = [math(r"H_0: \mu_1 - \mu_2 = 0 \quad (\mu_1 = \mu_2)"), line("i.e. the two population means are equal.")]
    else:
        body = [math("H_0: ", sym.parameter, " = ", design.mu0), line(f"i.e. {sym.subject} is ", design.mu0, ".")]
    return Step(line("Null hypothesis $H_0$"), tuple(body))


def _alternative_step(design: Design, sym: Symbols, tails: Tails) -> Step:
    alternative = tails.alternative
    kind = "two-tailed" if alternative == "two-sided" else f"one-tailed, {'lower' if alternative == 'less' else 'upper'} tail"
    body = [math("H_1: ", sym.parameter, f" {_RELATION[alternative]} ", design.mu0, rf" \quad \text{{({kind})}}"),
            line("i.e. ", *_claim(design, sym, alternative), "."), *tails.why]
    return Step(line("Alternative hypothesis $H_1$: one or two tails"), tuple(body), ("alternative",))


def _sums_table(caption: str, columns: tuple[tuple[str, np.ndarray], ...], summed: int) -> Table:
    """One row per value (i, then each column) and a Σ row over the last ``summed`` columns."""
    n = len(columns[0][1])
    rows = tuple((i + 1, *(float(values[i]) for _, values in columns)) for i in range(n))
    totals = ("Σ", *([""] * (len(columns) - summed)), *(float(values.sum()) for _, values in columns[-summed:]))
    return Table(line(caption), ("", *(f"${name}$" for name, _ in columns)), rows + (totals,))


def _mean_sd_lines(sample: Sample, x: str, mean: str, sd: str, n: str) -> list[Line]:
    """Σx, Σx², x̄ = Σx/n and s = √((Σx² − (Σx)²/n)/(n − 1)), the notes' way."""
    values = sample.values
    sum_x, sum_x2 = float(values.sum()), float((values**2).sum())
    ss = float(((values - sample.mean) ** 2).sum())  # = Σx² − (Σx)²/n, without the cancellation
    sx, sx2 = rf"\sum{{{x}}}", rf"\sum{{{x}^{{2}}}}"
    return [
        math(n, " = ", sample.n, rf", \quad {sx} = ", sum_x, rf", \quad {sx2} = ", sum_x2),
        math(mean, rf" = \frac{{{sx}}}{{{n}}} = \frac{{", sum_x, "}{", sample.n, "} = ", sample.mean),
        math(sd, rf" = \sqrt{{\frac{{{sx2} - ({sx})^{{2}}/{n}}}{{{n} - 1}}}} = \sqrt{{\frac{{", sum_x2,
             " - (", Num(sum_x), ")^{2}/", sample.n, "}{", sample.n - 1, r"}} = \sqrt{\frac{", ss, "}{", sample.n - 1,
             "}} = ", sample.sd),
    ]


def _choice_line(design: Design, decision: Decision, requested: str) -> Line:
    """Why t or z: the notes' rule on n (or the --test given)."""
    if design.kind == TWO:
        n_text = ("$n_1 = ", design.samples[0].n, ", n_2 = ", design.samples[1].n, "$")
        big = design.smallest_n > Z_ABOVE_N
        verdict = (*n_text, " (both > 30)" if big else " (not both > 30)")
    else:
        big = design.samples[0].n > Z_ABOVE_N
        n_text = ("$n = ", design.samples[0].n, "$")
        verdict = ("$n = ", design.samples[0].n, r" > 30$" if big else r" \le 30$")
    test = f"{decision.test}-test"
    if requested == "auto":
        return line(*verdict, f": {test} (the notes: z-test when n > 30, t-test when n ≤ 30).")
    rule = "z" if big else "t"
    return line(f"--test {requested}: {test}", "." if rule == requested else f" (the notes' rule would give a {rule}-test: ", *n_text, ").")


def _one_sample_lines(design: Design, estimate: Estimate, decision: Decision) -> list[Block]:
    s, mu0 = design.samples[0], design.mu0
    cal = _stat(decision.test, "cal")
    root = s.n - 1 if design.sd_divisor == "n" else s.n
    root_symbol = "n - 1" if design.sd_divisor == "n" else "n"
    body: list[Block] = []
    if s.values is None:
        body.append(math(r"n = ", s.n, r", \quad \bar{x} = ", s.mean, r", \quad s = ", s.sd, r", \quad \mu_0 = ", mu0))
        if design.sd_divisor == "n":
            body.append(line("The SD is given: the notes divide by $\\sqrt{n - 1}$ (an SD with divisor n; --sd-divisor n)."))
        else:
            body.append(line("The SD is given with divisor n − 1 (--sd-divisor n-1): divide by $\\sqrt{n}$."))
    else:
        body.append(_sums_table("the sample and its squares", (("x", s.values), ("x^{2}", s.values**2)), 2))
        body += _mean_sd_lines(s, "x", r"\bar{x}", "s", "n")
        body.append(line("s has divisor n − 1, so $\\mathrm{SE} = s/\\sqrt{n}$ (the notes' formula for an SD computed from the data)."))
    body.append(math(r"\mathrm{SE} = s/\sqrt{", root_symbol, "} = ", s.sd, r"/\sqrt{", root, "} = ", estimate.se))
    body.append(math(cal, rf" = \frac{{\bar{{x}} - \mu_0}}{{s/\sqrt{{{root_symbol}}}}} = \frac{{", s.mean, " - ", Num(mu0, paren=True),
                     "}{", s.sd, r"/\sqrt{", root, r"}} = \frac{", s.mean - mu0, "}{", estimate.se, "} = ", decision.statistic))
    return body


def _paired_lines(design: Design, estimate: Estimate, decision: Decision) -> list[Block]:
    d, (x1, x2) = design.samples[0], design.pairs
    cal = _stat(decision.test, "cal")
    table = _sums_table("the pairs and their differences", (("x_1", x1), ("x_2", x2), ("d = x_1 - x_2", d.values),
                                                             ("d^{2}", d.values**2)), 2)
    body: list[Block] = [line("A paired test is the one-sample test on the differences $d = x_1 - x_2$ (--data − --data2)."), table]
    body += _mean_sd_lines(d, "d", r"\bar{d}", "s_d", "n")
    body.append(math(r"\mathrm{SE} = s_d/\sqrt{n} = ", d.sd, r"/\sqrt{", d.n, "} = ", estimate.se))
    body.append(math(cal, " = ", *_difference_formula(r"\bar{d}", design.mu0), " = ", *_difference_numbers((d.mean,), design.mu0, estimate.se),
                     " = ", decision.statistic))
    return body


def _difference_formula(estimate: str, mu0: float) -> tuple[str, ...]:
    """(estimate − μ₀)/SE, or estimate/SE when μ₀ = 0, as textbooks write it."""
    return (rf"\frac{{{estimate}}}{{\mathrm{{SE}}}}",) if mu0 == 0 else (rf"\frac{{{estimate} - \mu_0}}{{\mathrm{{SE}}}}",)


def _difference_numbers(values: tuple[Any, ...], mu0: float, se: float) -> tuple[Any, ...]:
    top = values if mu0 == 0 else (*values, " - ", Num(mu0, paren=True))
    return (r"\frac{", *top, "}{", se, "}")


def _two_sample_lines(design: Design, estimate: Estimate, decision: Decision) -> list[Block]:
    a, b = design.samples
    cal = _stat(decision.test, "cal")
    body: list[Block] = []
    for k, s in ((1, a), (2, b)):
        x = f"x_{{{k}}}"
        body.append(_sums_table(f"sample {k} ({'--data' if k == 1 else '--data2'})", ((x, s.values), (f"{x}^{{2}}", s.values**2)), 2))
        body += _mean_sd_lines(s, x, rf"\bar{{x}}_{{{k}}}", f"s_{{{k}}}", f"n_{{{k}}}")
    if design.equal_var:
        body.append(line("Equal variances assumed (--equal-var): the pooled SD."))
        body.append(math(r"s_p = \sqrt{\frac{(n_1 - 1)s_1^{2} + (n_2 - 1)s_2^{2}}{n_1 + n_2 - 2}} = \sqrt{\frac{", a.n - 1, r" \cdot ",
                         a.sd**2, " + ", b.n - 1, r" \cdot ", b.sd**2, "}{", a.n + b.n - 2, "}} = ", estimate.sd_pooled))
        body.append(math(r"\mathrm{SE} = s_p \sqrt{\frac{1}{n_1} + \frac{1}{n_2}} = ", estimate.sd_pooled, r" \cdot \sqrt{\frac{1}{", a.n,
                         r"} + \frac{1}{", b.n, "}} = ", estimate.se))
    else:
        body.append(line("Variances not assumed equal (--no-equal-var): Welch's standard error."))
        body.append(math(r"\mathrm{SE} = \sqrt{\frac{s_1^{2}}{n_1} + \frac{s_2^{2}}{n_2}} = \sqrt{\frac{", a.sd**2, "}{", a.n, r"} + \frac{",
                         b.sd**2, "}{", b.n, "}} = ", estimate.se))
    body.append(math(cal, " = ", *_difference_formula(r"\bar{x}_1 - \bar{x}_2", design.mu0), " = ",
                     *_difference_numbers((a.mean, " - ", Num(b.mean, paren=True)), design.mu0, estimate.se), " = ", decision.statistic))
    return body


class Variant(NamedTuple):
    """The same test under the other convention (SD divisor, variance assumption or t for z),
    shown so that a student whose textbook differs is not misled."""

    label: str  # e.g. "--sd-divisor n-1"
    estimate: Estimate
    decision: Decision


def _statistic_step(design: Design, estimate: Estimate, decision: Decision, requested: str, other: Variant | None) -> Step:
    body: list[Block] = [_choice_line(design, decision, requested)]
    body += {ONE: _one_sample_lines, PAIRED: _paired_lines, TWO: _two_sample_lines}[design.kind](design, estimate, decision)
    body.append(math(r"\left|", _stat(decision.test, "cal"), r"\right| = ", abs(decision.statistic)))
    if design.kind == ONE and design.samples[0].values is None and other is not None:
        s = design.samples[0]
        root, root_symbol = (s.n, "n") if design.sd_divisor == "n" else (s.n - 1, "n - 1")
        body.append(line(f"Other convention ({other.label}): $\\mathrm{{SE}} = s/\\sqrt{{{root_symbol}}} = ", s.sd, "/\\sqrt{", root, "} = ",
                         other.estimate.se, f"$, ${decision.test} = ", other.decision.statistic, "$ (see Notes below)."))
    extra = {ONE: (), PAIRED: ("differences",), TWO: ("means", "sd_pooled") if design.equal_var else ("means",)}[design.kind]
    answers = ("test", "n", "mean", "sd", "se", "statistic", *extra)
    return Step(line("Test statistic under $H_0$"), tuple(body), answers)


def _df_line(design: Design, estimate: Estimate) -> list[Line]:
    if design.kind != TWO:
        n = design.samples[0].n
        return [math(r"\mathrm{df} = n - 1 = ", n, " - 1 = ", estimate.df)]
    a, b = design.samples
    if design.equal_var:
        return [math(r"\mathrm{df} = n_1 + n_2 - 2 = ", a.n, " + ", b.n, " - 2 = ", estimate.df)]
    v1, v2 = a.sd**2 / a.n, b.sd**2 / b.n
    return [math(r"v_1 = \frac{s_1^{2}}{n_1} = ", v1, r", \quad v_2 = \frac{s_2^{2}}{n_2} = ", v2),
            math(r"\mathrm{df} = (v_1 + v_2)^{2} / \left(\frac{v_1^{2}}{n_1 - 1} + \frac{v_2^{2}}{n_2 - 1}\right) = (", v1, " + ", v2,
                 r")^{2} / \left(\frac{(", v1, ")^{2}}{", a.n - 1, r"} + \frac{(", v2, ")^{2}}{", b.n - 1, r"}\right) = ", estimate.df),
            line("(Welch–Satterthwaite df, not a whole number: SciPy uses it as it is; with a printed table, round it down to ",
                 pymath.floor(estimate.df), ".)")]


def _level_step(design: Design, estimate: Estimate, decision: Decision, alternative: str, alpha: float) -> Step:
    body: list[Block] = []
    if alternative == "two-sided":
        body.append(line("$\\alpha = ", alpha, "$ (", 100 * alpha, "% level), two-tailed: $\\alpha/2 = ", alpha / 2, "$ in each tail."))
        quantile, area = r"1 - \alpha/2", 1 - alpha / 2
    else:
        tail = "upper" if alternative == "greater" else "lower"
        body.append(line("$\\alpha = ", alpha, "$ (", 100 * alpha, f"% level), one-tailed: all of α in the {tail} tail."))
        quantile, area = r"1 - \alpha", 1 - alpha
    tab = _stat(decision.test, "tab")
    if decision.df is None:
        body.append(line("z-test: the standard normal distribution (no degrees of freedom)."))
        body.append(math(tab, f" = z_{{{quantile}}} = z_{{", area, "} = ", decision.critical))
    else:
        body += _df_line(design, estimate)
        body.append(math(tab, f" = t_{{{quantile},\\ \\mathrm{{df}}}} = t_{{", area, r",\ ", decision.df, "} = ", decision.critical))
    return Step(line("Level of significance, degrees of freedom and table value"), tuple(body), ("alpha", "df", "critical"))


def _verdict(reject: bool) -> str:
    return "significant, reject $H_0$ (accept $H_1$)" if reject else "not significant, accept $H_0$ (reject $H_1$)"


def _comparison(decision: Decision, alternative: str) -> Line:
    """|t_cal| vs t_tab (two-tailed), t_cal vs t_tab (upper), t_cal vs −t_tab (lower)."""
    cal, tab, t, c = _stat(decision.test, "cal"), _stat(decision.test, "tab"), decision.statistic, decision.critical
    if alternative == "two-sided":
        left, right, value, bound = rf"\left|{cal}\right|", tab, abs(t), c
    elif alternative == "greater":
        left, right, value, bound = cal, tab, t, c
    else:
        left, right, value, bound = cal, f"-{tab}", t, -c
    relation = "<" if value < bound else ("=" if value == bound else ">")
    return line(f"${left} = ", value, f" {relation} {right} = ", bound, f"$: {_verdict(decision.reject)}.")


def _p_line(decision: Decision, alternative: str, alpha: float) -> Line:
    variable = "Z" if decision.df is None else "T"
    t = decision.statistic
    tail = {"two-sided": (r"2P(" + variable + r" \ge ", abs(t)), "greater": (f"P({variable} \\ge ", t), "less": (f"P({variable} \\le ", t)}[alternative]
    relation = r"\le" if decision.p_value <= alpha else ">"
    law = "standard normal" if decision.df is None else ("t distribution, ", decision.df, " df")
    law = (law,) if isinstance(law, str) else law
    return line(f"$p = {tail[0]}", Num(tail[1]), ") = ", decision.p_value, f" {relation} \\alpha = ", alpha, "$: the same decision (",
                variable, ": ", *law, ").")


def _decision_step(design: Design, sym: Symbols, decision: Decision, alternative: str, alpha: float) -> Step:
    claim = _claim(design, sym, alternative)
    if decision.reject:
        conclusion = line("At the ", 100 * alpha, "% level, ", *claim, ".")
    else:
        conclusion = line("At the ", 100 * alpha, "% level, the data do not show that ", *claim, ".")
    body = (_comparison(decision, alternative), _p_line(decision, alternative, alpha), conclusion)
    return Step(line("Comparison and decision"), body, ("p_value", "reject"))


# --- notes: the other conventions, and what the answers mean -----------------------------


def _same_or_not(decision: Decision, other: Decision) -> str:
    if decision.reject == other.reject:
        return f"the same decision ({'reject' if other.reject else 'accept'} $H_0$)"
    return f"a different decision: {'reject' if other.reject else 'accept'} $H_0$"


def _variant_text(variant: Variant, decision: Decision) -> tuple[Any, ...]:
    """SE, statistic, df, table value and p of a variant, and whether the decision changes."""
    v = variant.decision
    df = () if v.df is None else (r",\ \mathrm{df} = ", v.df)
    return (r"$\mathrm{SE} = ", variant.estimate.se, rf",\ {v.test} = ", v.statistic, *df, rf",\ {_stat(v.test, 'tab')} = ", v.critical,
            r",\ p = ", v.p_value, f"$: {_same_or_not(decision, v)}.")


def _convention_notes(design: Design, estimate: Estimate, decision: Decision, other: Variant | None) -> list[Note]:
    notes: list[Note] = []
    s = design.samples[0]
    root_n, root_n1 = r"$\mathrm{SE} = s/\sqrt{n}$", r"$\mathrm{SE} = s/\sqrt{n - 1}$"
    if design.kind == ONE and s.values is None and other is not None:
        if design.sd_divisor == "n":
            used = ("The given SD s = ", s.sd, f" was taken as computed with divisor n, so {root_n1} (the notes' rule for a given SD, "
                    "--sd-divisor n). If it is the usual sample SD with divisor n − 1 (a calculator's s, most textbooks, SciPy), "
                    f"{root_n} (--sd-divisor n-1): ")
        else:
            used = ("The given SD s = ", s.sd, f" was taken as computed with divisor n − 1, so {root_n} (--sd-divisor n-1). If it was "
                    f"computed with divisor n (the notes' rule for a given SD, --sd-divisor n), {root_n1}: ")
        notes.append(Note(line(*used, *_variant_text(other, decision))))
    elif design.kind == ONE:
        sigma = s.sd * pymath.sqrt((s.n - 1) / s.n)
        notes.append(Note(line(f"s is computed with divisor n − 1 and {root_n}. The notes' other form, the SD with divisor n (",
                               sigma, r") over $\sqrt{n - 1}$, gives the same $\mathrm{SE} = ", estimate.se,
                               "$: for raw data the two conventions agree.")))
    elif design.kind == PAIRED:
        notes.append(Note(line(r"Answers for a paired test: n = number of pairs, mean = $\bar{d}$, sd = $s_d$ (divisor n − 1), "
                               r"differences = $d_i$ = --data − --data2.")))
    else:
        pooled = r"sd_pooled = $s_p$, the pooled SD; " if design.equal_var else ""
        notes.append(Note(line(r"Answers for two samples: n and sd per sample (n.1, n.2, sd.1, sd.2; SDs with divisor n − 1), "
                               rf"means = $\bar{{x}}_1, \bar{{x}}_2$; {pooled}mean = $\bar{{x}}_1 - \bar{{x}}_2$, the difference "
                               r"tested, so statistic = (mean − $\mu_0$)/se.")))
        if other is not None:
            text = ("Welch's test (--no-equal-var, variances not assumed equal) gives " if design.equal_var
                    else "The pooled test (--equal-var, equal variances assumed) gives ")
            notes.append(Note(line(text, *_variant_text(other, decision))))
    return notes


def _z_note(t_variant: Variant, decision: Decision) -> Note:
    return Note(line("With Student's t instead of z (--test t; what SciPy and most software use for any n when σ is estimated): ",
                     *_variant_text(t_variant, decision)))


# --- solve ----------------------------------------------------------------------------------


def _variants(design: Design, test: str, alternative: str, alpha: float) -> tuple[Variant | None, Variant | None]:
    """The other SD convention / variance assumption, and the t-test when z was used."""
    other = None
    if design.kind == ONE and design.samples[0].values is None:
        divisor = "n-1" if design.sd_divisor == "n" else "n"
        estimate = _estimate(design, divisor, None)
        _require_finite(design, estimate)
        other = Variant(f"--sd-divisor {divisor}", estimate, _decide(estimate, design.mu0, test, alternative, alpha))
    elif design.kind == TWO:
        estimate = _estimate(design, design.sd_divisor, not design.equal_var)
        _require_finite(design, estimate)
        flag = "--equal-var" if not design.equal_var else "--no-equal-var"
        other = Variant(flag, estimate, _decide(estimate, design.mu0, test, alternative, alpha))
    t_variant = None
    if test == "z":
        estimate = _estimate(design, design.sd_divisor, design.equal_var)
        t_variant = Variant("--test t", estimate, _decide(estimate, design.mu0, "t", alternative, alpha))
    return other, t_variant


def _require_finite(design: Design, estimate: Estimate) -> None:
    """Refuse a statistic that double precision cannot hold (SE underflows to 0, or t overflows)."""
    if estimate.se > 0 and pymath.isfinite((estimate.mean - design.mu0) / estimate.se):
        return
    where = "--mean/--sd/--mu0" if design.samples[0].values is None else "--data"
    raise InputError(where, "t = (x̄ − μ₀)/SE is beyond double precision (SE too small or x̄ − μ₀ too large)")


def _title(design: Design, decision: Decision, alternative: str, alpha: float) -> str:
    kind = {ONE: "One-sample", PAIRED: "Paired", TWO: "Two-sample pooled" if design.equal_var else "Two-sample Welch"}[design.kind]
    tails = "two-tailed" if alternative == "two-sided" else "one-tailed"
    return f"{kind} {decision.test}-test, {tails}, {100 * alpha:g}% level of significance"


def solve(inputs: Mapping[str, Any]) -> Derivation:
    """The five steps of the notes' t-test (or z-test) for ``inputs``."""
    design = _design(inputs)
    alpha = inputs["alpha"]
    test = _test_kind(inputs["test"], design)
    sym = _symbols(design)

    # the statistic, the tails, the decision
    estimate = _estimate(design, design.sd_divisor, design.equal_var)
    _require_finite(design, estimate)
    tails = _tails(design, inputs["alternative"], estimate.mean, sym)
    alternative = tails.alternative
    decision = _decide(estimate, design.mu0, test, alternative, alpha)
    other, t_variant = _variants(design, test, alternative, alpha)

    # the five steps, written from the computed values
    steps = [
        _null_step(design, sym),
        _alternative_step(design, sym, tails),
        _statistic_step(design, estimate, decision, inputs["test"], other),
        _level_step(design, estimate, decision, alternative, alpha),
        _decision_step(design, sym, decision, alternative, alpha),
    ]
    notes = _convention_notes(design, estimate, decision, other) + list(tails.notes)
    if t_variant is not None:
        notes.append(_z_note(t_variant, decision))
    notes.append(Note(line("Table values and p-values are computed with SciPy (scipy.special: stdtrit and stdtr for t, ndtri and ndtr "
                           "for z), not typed from a table; a printed table gives the same values to its 3 decimals.")))

    answers: dict[str, Any] = {
        "test": test,
        "n": design.n,
        "mean": estimate.mean,
        "sd": [s.sd for s in design.samples] if design.kind == TWO else design.samples[0].sd,
        "se": estimate.se,
        "statistic": decision.statistic,
        "df": decision.df,
        "critical": decision.critical,
        "p_value": decision.p_value,
        "alternative": alternative,
        "alpha": alpha,
        "reject": decision.reject,
    }
    if design.kind == PAIRED:
        answers["differences"] = design.samples[0].values.tolist()
    if design.kind == TWO:
        answers["means"] = [s.mean for s in design.samples]
        if design.equal_var:
            answers["sd_pooled"] = estimate.sd_pooled
    summary = design.kind == ONE and design.samples[0].values is None
    echoed = {
        "data": None if inputs["data"] is None else list(inputs["data"]),
        "n": design.samples[0].n if summary else None,
        "mean": design.samples[0].mean if summary else None,
        "sd": design.samples[0].sd if summary else None,
        "mu0": design.mu0, "alpha": alpha, "alternative": inputs["alternative"], "question": design.question,
        "sd_divisor": design.sd_divisor if design.kind == ONE else None, "test": inputs["test"],
        "data2": None if inputs["data2"] is None else list(inputs["data2"]),
        "equal_var": design.equal_var, "paired": design.kind == PAIRED,
    }
    listed = frozenset({"n", "sd", "means"}) if design.kind == TWO else frozenset()
    return Derivation(COMMAND, _title(design, decision, alternative, alpha), echoed, tuple(steps), answers, tuple(notes), listed)
