"""The ttest topic: the command ``dlsolve ttest`` (its options; its docstring
is its help), no NumPy. Beside it: solve.py (the maths), slips.py (for check), practice.py
(the exercise generator)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from dlsolve.commands._shared import solver_command, value

NAME = "ttest"
EPILOG = """\b
Examples:
  dlsolve ttest
      the notes' problem A: n = 20, x̄ = 42, s = 6, μ0 = 44 → t = −1.45, t_tab = 2.093
  dlsolve ttest --data 22,24,26,32,28,20,23,34,30,43 --mu0 28 --alternative greater
      the notes' problem B (bulb lives, raw data, one-tailed)
  dlsolve ttest --n 25 --mean 52 --sd 8 --mu0 50 --sd-divisor n-1 --question "Is the mean more than 50?"
      the tails from the notes' keyword rule ("more than" → one-tailed)
  dlsolve ttest --data 12,15,11,18 --data2 10,14,12,13 --paired
      a paired t-test on the differences (two-sample: drop --paired; --no-equal-var for Welch)
"""


@solver_command(NAME)
def command(
    data: Annotated[Optional[str], value("VECTOR", "The raw sample, e.g. 22,24,26,32 (instead of --n/--mean/--sd).")] = None,
    n: Annotated[Optional[str], value("N", "Sample size (with --mean and --sd). Default: the notes' problem A (20, 42, 6).")] = None,
    mean: Annotated[Optional[str], value("MEAN", "Sample mean x̄ (with --n and --sd).")] = None,
    sd: Annotated[Optional[str], value("S", "Sample standard deviation s (with --n and --mean); see --sd-divisor.")] = None,
    mu0: Annotated[Optional[str], value("MU0", "Hypothesised mean μ0 under H0 (default: 44 for the notes' problem, 0 for a difference).")] = None,
    alpha: Annotated[Optional[str], value("ALPHA", "Level of significance, between 0 and 1 (default 0.05).")] = None,
    alternative: Annotated[Optional[str], value("H1", "two-sided, less or greater (default two-sided); overrides --question.")] = None,
    question: Annotated[Optional[str], value("TEXT", "The exam question: one or two tails by the notes' keyword rule (\"greater\", \"at least\", … → one-tailed).")] = None,
    sd_divisor: Annotated[Optional[str], value("n|n-1", "How a given --sd was computed: n → SE = s/√(n−1), as the notes do (default); n-1 → SE = s/√n.")] = None,
    test: Annotated[Optional[str], value("t|z|auto", "t, z, or auto (default): z when n > 30, as the notes say.")] = None,
    data2: Annotated[Optional[str], value("VECTOR", "A second sample: two-sample t-test (or paired with --paired); μ0 is then the difference.")] = None,
    equal_var: Annotated[Optional[bool], typer.Option("--equal-var/--no-equal-var", help="Two samples: pooled SD (default) or Welch's test.", show_default=False)] = None,
    paired: Annotated[Optional[bool], typer.Option("--paired", help="--data and --data2 are paired: test the differences.", show_default=False)] = None,
) -> None:
    """Hypothesis test on a mean (t or z), in the notes' five steps: H0, H1, statistic, level, decision.

    One sample from a summary (--n, --mean, --sd) or raw data (--data), and beyond the
    notes two-sample (pooled or Welch) and paired tests. Table values and p-values come
    from SciPy. With no inputs: the course notes' problem A (n = 20, x̄ = 42, s = 6,
    μ0 = 44, 5% level, two-tailed).

    Limits (an exercise tool): at most 100,000 values in each sample.
    """
