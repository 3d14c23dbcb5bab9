"""ttest: the statistic, the table value and the decision recomputed from the student's own
earlier values, and the slips a marker sees in t-test exercises.

Carried forward (one sample, or the differences of paired samples, for se and statistic),
each stage from the student's values, or from the recomputed ones where they skipped a stage:
  se          s/√(n − 1) (a given SD, the notes' convention) or s/√n, from the student's s and n
  statistic   (x̄ − μ₀)/SE from the student's x̄ and SE
  df          the student's n − 1
  critical    the table value for the student's df and alternative (one or two tails)
  p_value     from the student's statistic, df and alternative
  reject      the student's statistic against the student's table value

Slips: the other standard error (s/√n ↔ s/√(n − 1)); a one-tailed table value for a
two-tailed test or the reverse; df = n; the z table for a t-test (or t for z); x̄ − μ₀
reversed; an SD from raw data computed with divisor n.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from dlsolve.checking.keys import Path
from dlsolve.checking.slips import Analysis, Carried, Slip, Work
from dlsolve.core.shallow_import import import_module

ALTERNATIVES = ("two-sided", "less", "greater")


def _quantile(df: float | None, p: float) -> float:
    special = import_module("scipy.special")
    return float(special.ndtri(p) if df is None else special.stdtrit(df, p))


def _cdf(df: float | None, x: float) -> float:
    special = import_module("scipy.special")
    return float(special.ndtr(x) if df is None else special.stdtr(df, x))


def critical(df: float | None, alternative: str, alpha: float) -> float:
    """The positive table value: t_{α/2} two-tailed, t_α one-tailed."""
    return -_quantile(df, alpha / 2 if alternative == "two-sided" else alpha)


def p_value(df: float | None, statistic: float, alternative: str) -> float:
    if alternative == "two-sided":
        return min(1.0, 2 * _cdf(df, -abs(statistic)))
    return _cdf(df, -statistic) if alternative == "greater" else _cdf(df, statistic)


def reject(statistic: float, table: float, alternative: str) -> bool:
    if alternative == "two-sided":
        return abs(statistic) >= table
    return statistic >= table if alternative == "greater" else statistic <= -table


def _ratio(a: float, b: float) -> float | None:
    """a/b, or None when a student's values make it undefined (b = 0, overflow)."""
    try:
        value = a / b
    except (ZeroDivisionError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


class _Test:
    """The problem and the student's values, with the decision stages recomputed from them."""

    def __init__(self, work: Work) -> None:
        self.work = work
        a, inputs = work.answers, work.inputs
        self.a = a
        self.one = inputs["data2"] is None or bool(inputs["paired"])
        self.alpha = float(a["alpha"])
        self.mu0 = float(inputs["mu0"])
        self.test = a["test"]
        self.raw = None
        if self.one and inputs["data"] is not None:
            x = np.array(inputs["data"], dtype=float)
            self.raw = x - np.array(inputs["data2"], dtype=float) if inputs["paired"] else x
        self.k = 1 if self.one and self.raw is None and inputs["sd_divisor"] == "n" else 0  # SE = s/√(n − k)
        alternative = work.given(("alternative",), a["alternative"])
        self.alternative = alternative.strip().lower() if isinstance(alternative, str) and alternative.strip().lower() in ALTERNATIVES else a["alternative"]
        self.carried = _carried(self)
        self.df = self.used("df") if a["df"] is not None else None
        self.statistic = self.used("statistic")
        self.table = self.used("critical")

    def given(self, name: str) -> float | None:
        return _number(self.work.given((name,), self.a[name]))

    def used(self, name: str) -> float | None:
        """The value a student's next stage starts from: their own where they gave it, else
        the one that follows from their earlier values, else the solution's."""
        carried = self.carried.get((name,))
        return _number(self.work.given((name,), carried.value if carried else self.a[name]))

    def decision(self, statistic: float | None, table: float | None, alternative: str, df: float | None) -> dict[Path, Any]:
        """p-value and reject from a statistic and table value."""
        out: dict[Path, Any] = {}
        if statistic is not None and (df is None or df > 0):
            out[("p_value",)] = p_value(df, statistic, alternative)
        if statistic is not None and table is not None:
            out[("reject",)] = reject(statistic, table, alternative)
        return out


def _carried(s: _Test) -> dict[Path, Carried]:
    """Each stage from the student's values of the stages before (recomputed ones where
    they skipped a stage): se, statistic, df, the table value, p-value and decision."""
    out: dict[Path, Carried] = {}
    s.carried = out  # s.used reads the stages carried so far
    if s.one:
        n, sd, mean = s.given("n"), s.given("sd"), s.given("mean")
        if n is not None and sd is not None and n > s.k and (se := _ratio(sd, math.sqrt(n - s.k))) is not None:
            out[("se",)] = Carried(se, (("sd",), ("n",)))
        se = s.used("se")
        if mean is not None and se is not None and (statistic := _ratio(mean - s.mu0, se)) is not None:
            out[("statistic",)] = Carried(statistic, (("mean",), ("se",)))
        if s.test == "t" and n is not None:
            out[("df",)] = Carried(int(n - 1) if float(n).is_integer() else n - 1, (("n",),))
    df = s.used("df") if s.test == "t" and s.a["df"] is not None else None
    if s.test == "z" or (df is not None and df > 0):
        out[("critical",)] = Carried(critical(df, s.alternative, s.alpha), (("df",), ("alternative",)))
    decided = s.decision(s.used("statistic"), s.used("critical"), s.alternative, df)
    if ("p_value",) in decided:
        out[("p_value",)] = Carried(decided[("p_value",)], (("statistic",), ("df",), ("alternative",)))
    if ("reject",) in decided:
        out[("reject",)] = Carried(decided[("reject",)], (("statistic",), ("critical",), ("alternative",)))
    return out


def _statistic_slip(s: _Test, se: float | None, statistic: float | None, sd: float | None = None) -> dict[Path, Any]:
    """A slip in SD, SE or the statistic, carried to p-value and reject with the student's table value."""
    out: dict[Path, Any] = {("sd",): sd} if sd is not None else {}
    if se is not None:
        out[("se",)] = se
    if statistic is not None:
        out[("statistic",)] = statistic
        out |= s.decision(statistic, s.table, s.alternative, s.df if s.test == "t" else None)
    return out


def _slips(s: _Test) -> list[Slip]:
    slips = []
    df = s.df if s.test == "t" else None
    n, sd, mean, se = s.given("n"), s.given("sd"), s.given("mean"), s.used("se")
    if s.one and n is not None and sd is not None and mean is not None and n > 1:
        # the other standard error
        other_se = _ratio(sd, math.sqrt(n - (1 - s.k)))
        text = ("s/√n used: for a given SD the notes divide by √(n − 1) (--sd-divisor n)" if s.k
                else "s/√(n − 1) used: with an SD computed with n − 1 the standard error is s/√n")
        if other_se is not None:
            slips.append(Slip("se-divisor", text, _statistic_slip(s, other_se, _ratio(mean - s.mu0, other_se))))
        if se is not None:
            slips.append(Slip("statistic-sign", "μ₀ − x̄ instead of x̄ − μ₀: the statistic's sign flipped",
                              _statistic_slip(s, None, _ratio(s.mu0 - mean, se))))
        if s.raw is not None:
            sd_n = float(s.raw.std(ddof=0))
            se_n = sd_n / math.sqrt(len(s.raw))
            slips.append(Slip("sd-divisor", "the SD computed with divisor n instead of n − 1",
                              _statistic_slip(s, se_n, _ratio(mean - s.mu0, se_n), sd_n)))
    # the table value: the other number of tails, df = n, the other table
    if s.test == "z" or (df is not None and df > 0):
        statistic = s.statistic if s.statistic is not None else 0.0
        other = "two-sided" if s.alternative != "two-sided" else ("greater" if statistic >= 0 else "less")
        table = critical(df, other, s.alpha)
        text = ("a one-tailed table value (all of α in one tail) for a two-tailed test" if s.alternative == "two-sided"
                else "a two-tailed table value (α/2 in each tail) for a one-tailed test")
        values = {("critical",): table, ("alternative",): other, **s.decision(s.statistic, table, s.alternative, df)}
        if s.statistic is not None:
            values[("p_value",)] = p_value(df, s.statistic, other)
        slips.append(Slip("tails", text, values))
    if s.one and n is not None and n > 1:
        if s.test == "t":
            table = critical(n, s.alternative, s.alpha)
            slips.append(Slip("df-n", "df = n instead of n − 1",
                              {("df",): int(n) if float(n).is_integer() else n, ("critical",): table,
                               **s.decision(s.statistic, table, s.alternative, n)}))
            table = critical(None, s.alternative, s.alpha)
            slips.append(Slip("z-table", "the normal (z) table value for a t-test (n ≤ 30: Student's t with n − 1 df)",
                              {("critical",): table, **s.decision(s.statistic, table, s.alternative, None)}))
        else:
            table = critical(n - 1, s.alternative, s.alpha)
            slips.append(Slip("t-table", "a t table value for a z-test (n > 30: the normal table, as the notes say)",
                              {("critical",): table, **s.decision(s.statistic, table, s.alternative, n - 1)}))
    return slips


def analyse(work: Work) -> Analysis:
    with np.errstate(all="ignore"):
        s = _Test(work)
        return Analysis(s.carried, _slips(s))
