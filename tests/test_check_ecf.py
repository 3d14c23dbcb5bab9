"""Error carried forward judged fairly (issue 13): from all of the student's own earlier values
(recomputed ones where they skipped a stage), within how far their rounding moves the result,
and credited only for a wrong earlier answer that is an attempt (the policy against gaming).

Hand values are worked in the comments; the property tests run every practice generator."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlsolve.checking.answers_file import AnswersFile
from dlsolve.checking.compare import Rule
from dlsolve.checking.judge import Solution, judge
from dlsolve.checking.keys import Path, key_text
from dlsolve.checking.session import Checker
from dlsolve.checking.slips import Work, analyse
from dlsolve.checking.student import Student
from dlsolve.practice import generate
from dlsolve.topics import TOPICS
from dlsolve.practice.exercise import LEVELS
from dlsolve.practice.run import solution


@pytest.fixture
def check(checked_answers):
    return checked_answers


# --- 1. the student's rounded values are not taken literally ------------------------------------------


@pytest.mark.parametrize("statistic", ["-1.4907", "-1.4908", "-1.49071", "-1.491"])
def test_full_precision_from_a_rounded_se_is_right_given_it(check, statistic):
    # the s/√n slip: se = 6/√20 = 1.341641 written 1.3416 (1.34155 … 1.34165);
    # −2/1.341641 = −1.490712 (what `dlsolve ttest --sd-divisor n-1` prints as −1.4907),
    # −2/1.3416 = −1.490757, and the ends: −2/1.34165 = −1.490701, −2/1.34155 = −1.490812
    found = check("ttest", f"se = 1.3416\nstatistic = {statistic}")
    assert found["se"].diagnoses[0].slip == "se-divisor"
    assert found["statistic"].status == "carried", found["statistic"].carried


@pytest.mark.parametrize("statistic", ["-1.4905", "-1.4910", "-1.453"])
def test_what_the_rounding_cannot_reach_stays_wrong(check, statistic):
    # −1.4905 ± 0.00005 and −1.4910 ± 0.00005 miss −1.490701 … −1.490812 (widened by 0.000056 either side);
    # −1.453 is the solution's own value (right against the solution, so no carried verdict needed)
    c = check("ttest", f"se = 1.3416\nstatistic = {statistic}")["statistic"]
    assert c.status == ("right" if statistic == "-1.453" else "wrong")


def test_the_widening_is_shown_with_the_value_carried_forward(check):
    from dlsolve.checking.report import remarks

    c = check("ttest", "se = 1.3416\nstatistic = -1.4907")["statistic"]
    # ±(0.00005 written + 0.0000556 from se's rounding) = ±0.00011
    assert remarks(c, 4)[0] == ("✓ right given your se = 1.3416 (error carried forward: −1.49076 ± 0.00011)", "green")


def test_rounded_right_answers_carry_full_precision_to_the_next(check):
    # backprop, the notes' problem: hidden h = σ(0.1·0.35 + 0.8·0.9 + 0) … written to 2 decimals (right), and
    # outputs to 6 decimals from the unrounded h: the exact outputs — right, no carried verdict needed
    from dlsolve.runner import derive

    exact = derive("backprop", {}, None).answers
    h = ", ".join(f"{v:.2f}" for v in exact["hidden"][0])
    y = ", ".join(f"{v:.6f}" for v in exact["outputs"])
    found = check("backprop", f"hidden.1 = [{h}]\noutputs = [{y}]")
    assert found["outputs"].status == "right"


# --- 2. all the student's own earlier values, a skipped stage recomputed --------------------------------


def test_a_skipped_se_is_recomputed_from_the_students_sd(check):
    # the quiz's seed 41295 problem: data 48, 42, 44, 44, 49, 47, 50, 46, 52, 50 (x̄ = 47.2), μ₀ = 42;
    # sd written 3.03 (the divisor-n slip), se skipped, statistic from x̄ and the student's own
    # se = 3.03/√10 = 0.958175: (47.2 − 42)/0.958175 = 5.4270 — not (47.2 − 42)/1.0088 (the solution's se)
    inputs = "data = [48, 42, 44, 44, 49, 47, 50, 46, 52, 50]\nmu0 = 42\nalternative = \"greater\""
    found = check("ttest", "mean = 47.2\nsd = 3.03\nstatistic = 5.43", inputs)
    c = found["statistic"]
    assert c.status == "carried" and c.carried.sources == ("mean", "sd") and c.carried.wrong_sources == ("sd",)
    assert math.isclose(c.carried.expected, 5.2 / (3.03 / math.sqrt(10)), rel_tol=1e-12)


def test_the_quiz_names_every_value_it_used():
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "dlsolve", "practice", "ttest", "--seed", "41295", "--quiz", "--width", "0"],
                         input="greater\n47\n3.03\n\n5.43\nq\n", capture_output=True, text=True, timeout=60)
    # (47 − 42)/(3.03/√10) = 5.2183; 47 stands for 46.5 … 47.5, so 5.43 (from x̄ = 47.2: 5.427) is within reach
    assert "✓ right given your mean = 47 and sd = 3.03 (error carried forward: 5.2183 ± 0.54)" in run.stdout
    assert "4.9561" not in run.stdout


# --- 4. the policy: credit only for an attempt --------------------------------------------------------


def test_a_nonsense_earlier_answer_earns_no_credit(check):
    # se = 100 (the right 1.37649, the s/√n slip 1.34164): t = −2/100 = −0.02 is "right given it" but earns nothing
    found = check("ttest", "se = 100\nstatistic = -0.02")
    c = found["statistic"]
    assert c.carried.verdict.right and c.carried.refused and c.status == "wrong" and c.score == 0
    assert "more than a factor 2" in c.carried.refused
    # … and what follows from that statistic earns nothing either: the chain is broken
    found = check("ttest", "se = 100\nstatistic = -0.02\np_value = 0.984")
    assert found["p_value"].carried.verdict.right and found["p_value"].status == "wrong"


def test_a_wrong_value_near_the_truth_earns_credit(check):
    # se = 1.5 is no slip but within a factor 2 of 1.37649: t = −2/1.5 = −1.3333
    c = check("ttest", "se = 1.5\nstatistic = -1.3333")["statistic"]
    assert c.status == "carried" and c.score == 1.0


def test_a_recognised_slip_earns_credit_however_far(check):
    # the notes' SOM: iteration 2 with the update-sign slip, then right given it (the factor does not matter)
    from pathlib import Path as FilePath

    result = Checker().check_file(str(FilePath(__file__).parent.parent / "worked_examples" / "som-train-notes-answers.toml"))
    assert [c.key for c in result.checked if c.status == "carried"] == ["distances.3", "history.3", "distances.4", "history.4", "weights", "clusters"]


def test_a_slip_in_a_small_entry_of_a_matrix_earns_credit(check):
    # the notes' SOM, history.2 with w₁₄ = 0.132 for 0.032 (a factor 4, but off by 0.1 in a matrix whose
    # largest entry is 0.888); iteration 3, x₃ = (1, 1, 1, 1): d₁² = 0.112² + 0.92² + 0.648² + 0.868²
    # = 0.012544 + 0.8464 + 0.419904 + 0.753424 = 2.032272, d₂² = 0.4² + 0.3² + 0.6² + 0.7² = 1.1
    found = check("som-train", "history.2 = [[0.888, 0.08, 0.352, 0.132], [0.6, 0.7, 0.4, 0.3]]\ndistances.3 = [2.0323, 1.1]")
    assert found["distances.3"].status == "carried" and found["distances.3"].score == 1.0
    # a history.2 entry of 5 is off by more than half of 0.888 and no slip: no credit
    # (d₁² = 0.012544 + 0.8464 + 0.419904 + 16 = 17.278848)
    found = check("som-train", "history.2 = [[0.888, 0.08, 0.352, 5], [0.6, 0.7, 0.4, 0.3]]\ndistances.3 = [17.2788, 1.1]")
    assert found["distances.3"].carried.verdict.right and found["distances.3"].status == "wrong"


def test_a_wrong_pick_is_an_attempt(check):
    # rbf: φ₁ with e⁰ as 0 → output 0.76 → class 1; the class is a pick, "correct" follows from it
    found = check("rbf-xor", "phi.1 = [0, 0.6, 0.6, 0.4]\noutputs.1 = 0.76\npredictions.1 = 1")
    assert found["predictions.1"].status == "carried"


# --- the property: every solver, random problems ------------------------------------------------------


def rounded(value: Any, digits: int) -> Any:
    """An answer as a student writes it: every float to ``digits`` significant digits (the exponent
    keeps the precision: 1234.5 to 2 digits is 1.2e3), whole numbers, words and decisions as they are."""
    if isinstance(value, list):
        return [rounded(v, digits) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v, digits) for k, v in value.items()}
    if type(value) is float and math.isfinite(value):
        return Decimal(f"{value:.{digits - 1}e}")
    return value


def problem(command: str, seed: int, level: str):
    return solution(generate(command, seed, level))


def file_of(derivation, answers: dict[Path, Any]) -> AnswersFile:
    return AnswersFile("t", derivation.command, None, None, {key_text(p): v for p, v in answers.items()})


PROPERTY = settings(derandomize=True, max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.mark.parametrize("command", TOPICS)
@PROPERTY
@given(seed=st.integers(0, 10**6), level=st.sampled_from(LEVELS), digits=st.integers(2, 8))
def test_the_exact_values_rounded_are_all_right(command, seed, level, digits):
    d = problem(command, seed, level)
    answers = {(name,): rounded(value, digits) for name, value in d.answers.items()}
    checked = judge(file_of(d, answers), Solution(d), Rule(), 1.0, "t")
    assert all(c.verdict.right for c in checked), [(c.key, c.given, c.expected) for c in checked if not c.verdict.right]


def _order(d) -> tuple[list[Path], dict[Path, Any]]:
    """The answers as a student works them out: those nothing is carried to (the data's mean,
    the test's kind) first, then the carried ones in the order they are computed."""
    carried = analyse(d.command, Work(d.inputs, d.answers, Student(()))).carried
    covered = {p[0] for p in carried}
    return [(name,) for name, value in d.answers.items() if name not in covered and value is not None] + list(carried), carried


def _value_at(answers: Any, path: Path) -> Any:
    for part in path:
        answers = answers[part]
    return answers


@pytest.mark.parametrize("command", TOPICS)
@PROPERTY
@given(seed=st.integers(0, 10**6), level=st.sampled_from(LEVELS), digits=st.integers(3, 8), pick=st.integers(0, 50),
       full_precision=st.booleans())
def test_a_slip_is_named_and_every_later_answer_is_right_given_it(command, seed, level, digits, pick, full_precision):
    """A student makes a recognised slip at one step and works on correctly from their own
    values (carried at full precision, or as they rounded them): the slip is named at that step
    and every later chained answer is right given their values (and credited)."""
    d = problem(command, seed, level)
    order, _ = _order(d)
    slips = [s for s in analyse(d.command, Work(d.inputs, d.answers, Student(()))).slips if list(s.values)]
    if not slips:
        return
    slip = slips[pick % len(slips)]
    at = next((p for p in order if p in slip.values and slip.values[p] is not None and slip.values[p] != _value_at(d.answers, p)), None)
    if at is None:
        return
    written: dict[Path, Any] = {}
    kept: dict[Path, Any] = {}  # what the student carries on with
    for path in order:
        if order.index(path) < order.index(at):
            value = _value_at(d.answers, path)
        elif path == at:
            value = slip.values[path]
        else:
            carried = analyse(d.command, Work(d.inputs, d.answers, Student(list(kept.items())))).carried
            value = carried[path].value if path in carried else _value_at(d.answers, path)
        written[path] = rounded(value, digits)
        kept[path] = value if full_precision else written[path]
    found = {c.key: c for c in judge(file_of(d, written), Solution(d), Rule(), 1.0, "t")}
    slipped = found[key_text(at)]
    if slipped.verdict.right or slipped.status == "carried":  # the slip changes nothing at this precision
        return                                                   # (an output written 0.500 decides no class)
    assert slip.name in [x.slip for x in slipped.diagnoses], (slipped.key, slipped.diagnoses)
    for path in order[order.index(at) + 1:]:
        c = found[key_text(path)]
        assert c.status in ("right", "carried"), (c.key, c.given, c.expected, c.carried)


# --- 3. a minimum of significant figures ----------------------------------------------------------------


@pytest.mark.parametrize("written, right, note", [
    ("47", False, "too few digits: 2 significant figures written, at least 3 asked"),  # x̄ = 47.2
    ("47.2", True, ""),
    ("47.24", True, ""),   # more digits: judged on the first 3, 47.2 (STACK's "at least 3")
    ("47.26", False, ""),  # … which are 47.3: wrong
    ("47.3", False, ""),   # 3 digits: 47.25 … 47.35 must hold 47.2 (the interval of what was written)
])
def test_min_sigfigs_in_written_mode(written, right, note):
    from dlsolve.checking.compare import compare

    verdict = compare(Decimal(written), 47.2, Rule(min_sigfigs=3))
    assert verdict.right is right and verdict.elements[0].note == note


def test_the_exact_value_needs_no_padding_and_every_mode_counts_digits():
    from dlsolve.checking.compare import compare

    assert compare(Decimal("2"), 2.0, Rule(min_sigfigs=3)).right  # 2 is exactly 2: "2.00" adds nothing
    assert compare([Decimal("0"), Decimal("0.5")], [0.0, 0.5], Rule(min_sigfigs=4)).right
    # PrairieLearn's sigfig with 2 digits accepts 47 for 47.2, the minimum of 3 does not
    assert compare(Decimal("47"), 47.2, Rule("sigfig", 2)).right
    assert not compare(Decimal("47"), 47.2, Rule("sigfig", 2, min_sigfigs=3)).right


def _dlsolve(*args: str) -> Any:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "dlsolve", *args, "--width", "0"], capture_output=True, text=True, timeout=60)


SIGFIG_FILE = '''command = "ttest"
{setting}
[inputs]
data = [48, 42, 44, 44, 49, 47, 50, 46, 52, 50]
mu0 = 42
[answers]
mean = 47
sd = 3.190
'''


def test_min_sigfigs_on_the_command_line_and_in_the_file(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text(SIGFIG_FILE.format(setting=""), encoding="utf-8")
    assert _dlsolve("check", str(path)).returncode == 0  # 47 for 47.2 is right as written
    run = _dlsolve("check", str(path), "--min-sigfigs", "3")
    assert run.returncode == 1 and "too few digits: 2 significant figures written, at least 3 asked" in run.stdout
    path.write_text(SIGFIG_FILE.format(setting="min_sigfigs = 3"), encoding="utf-8")
    run = _dlsolve("check", str(path), "-f", "json")
    assert run.returncode == 1 and '"min_sigfigs": 3' in run.stdout
    assert _dlsolve("check", str(path), "--min-sigfigs", "2").returncode == 0  # the teacher's option wins


@pytest.mark.parametrize("setting, args, says", [
    ("min_sigfigs = 0", (), "min_sigfigs must be a whole number from 1 to 15"),
    ('min_sigfigs = "3"', (), "min_sigfigs must be a whole number from 1 to 15"),
    ("min_sigfigs = 2.5", (), "min_sigfigs must be a whole number from 1 to 15"),
    ("", ("--min-sigfigs", "0"), "--min-sigfigs"),
])
def test_a_bad_minimum_is_one_line_and_exit_2(tmp_path, setting, args, says):
    path = tmp_path / "a.toml"
    path.write_text(SIGFIG_FILE.format(setting=setting), encoding="utf-8")
    run = _dlsolve("check", str(path), *args)
    assert run.returncode == 2 and says in run.stderr and "Traceback" not in run.stderr


# --- hostile earlier values: the band is computed or left out, never a crash ----------------------------


def _scaled(value: Any, factor: Decimal) -> Any:
    if isinstance(value, list):
        return [_scaled(v, factor) for v in value]
    if type(value) is float and math.isfinite(value):
        return Decimal(repr(value)) * factor
    return value


@pytest.mark.parametrize("command", TOPICS)
@pytest.mark.parametrize("factor", ["1e300", "1e-300", "-1", "0", "1.0000000000000000000000000000001"])
def test_absurd_earlier_values_give_verdicts(command, factor):
    d = problem(command, 7, "exam")
    answers = {(name,): _scaled(value, Decimal(factor)) for name, value in d.answers.items()}
    checked = judge(file_of(d, answers), Solution(d), Rule(), 1.0, "t")
    assert len(checked) == len(answers)
    for c in checked:
        if c.carried and c.carried.verdict.right and c.status == "carried":
            assert all(e.tolerance is None or math.isfinite(e.tolerance) for e in c.carried.verdict.elements), c


def test_a_huge_earlier_answer_is_not_perturbed_number_by_number(monkeypatch):
    # batch norm of 60 × 4: y follows from x̂'s 240 numbers (> MAX_ROUNDED): judged against the centre alone
    from dlsolve.checking.rounding import MAX_ROUNDED, Rounding
    from dlsolve.practice.run import solution as solve_exercise

    batch = [[(i * 7 + j * 3) % 11 - 5.0 for j in range(4)] for i in range(60)]
    d = solve_exercise(generate("batchnorm", 3, "exam")._replace(problem={"batch": batch}))
    x_hat = [[Decimal(f"{v * 1.01:.4f}") for v in row] for row in d.answers["x_hat"]]
    y = [[Decimal(f"{v * 1.01 + 0.00004:.5f}") for v in row] for row in d.answers["x_hat"]]
    assert 60 * 4 > MAX_ROUNDED
    ends = []
    real = Rounding._at_end
    monkeypatch.setattr(Rounding, "_at_end", lambda self, *a: ends.append(a) or real(self, *a))
    found = {c.key: c for c in judge(file_of(d, {("x_hat",): x_hat, ("y",): y}), Solution(d), Rule(), 1.0, "t")}
    assert ends == [] and found["y"].status == "wrong"  # no end of any interval evaluated
