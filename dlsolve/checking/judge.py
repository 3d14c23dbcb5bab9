"""Judging an answers file against a solution: for every given answer its verdict, the
step it comes from, the slip its wrong values match and, when earlier answers were wrong,
its verdict given the student's own earlier values (error carried forward).

The slips and the carried-forward values are computed only when some answer is wrong.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from dlsolve.checking.answers_file import AnswersFile
from dlsolve.checking.compare import Rule, Verdict, agrees, compare, in_range
from dlsolve.checking.keys import Path, get, key_text, locate, lookup, spelt
from dlsolve.checking.policy import apply_policy
from dlsolve.checking.rounding import Rounding
from dlsolve.checking.slips import Slip, Work, analyse, choices
from dlsolve.checking.student import Student
from dlsolve.checking.words import meant
from dlsolve.core.derivation import Derivation, plain


class StepRef(NamedTuple):
    """The solution's step an answer comes from."""

    number: int
    title: str


class Diagnosis(NamedTuple):
    """A known slip that gives some (or all) of an answer's wrong values."""

    slip: str
    text: str
    explains: tuple[Path, ...]  # the wrong elements it gives (paths inside the answer)
    unexplained: tuple[Path, ...]  # the answer's other wrong elements


class CarriedVerdict(NamedTuple):
    """The answer judged against the value that follows from the student's earlier answers."""

    expected: Any
    verdict: Verdict
    sources: tuple[str, ...]  # the student's earlier answers it follows from
    wrong_sources: tuple[str, ...]  # those of them that are wrong
    values: tuple[Any, ...] = ()  # the student's values of ``sources``, as written
    widening: Any = 0.0  # how far their rounding moves ``expected`` (its shape; see rounding)
    refused: str = ""  # why it earns no credit (the policy against gaming it), or ""

    @property
    def credited(self) -> bool:
        return self.verdict.right and not self.refused


class Checked(NamedTuple):
    """One given answer, judged."""

    key: str
    given: Any
    expected: Any
    verdict: Verdict
    step: StepRef | None
    diagnoses: tuple[Diagnosis, ...] = ()
    carried: CarriedVerdict | None = None
    score: float = 0.0

    @property
    def status(self) -> str:
        """right, carried (wrong, but right given the student's earlier answers) or wrong."""
        if self.verdict.right:
            return "right"
        return "carried" if self.carried and self.carried.credited else "wrong"


def path_of(key: str) -> Path:
    """A step's dotted answer key as a path: ``"history.2"`` → ``("history", 1)``."""
    name, *parts = key.split(".")
    return (name, *(int(p) - 1 if p.isdigit() else p for p in parts))


def differs(a: Any, b: Any) -> bool:
    """Whether two answer values differ beyond floating-point noise."""
    if type(a) is float and type(b) is float:
        return not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, list) or isinstance(b, list):
        return not (isinstance(a, list) and isinstance(b, list) and len(a) == len(b)) or any(differs(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) or isinstance(b, dict):
        return not (isinstance(a, dict) and isinstance(b, dict)) or any(differs(a.get(k), b.get(k)) for k in b)
    if isinstance(a, float) and isinstance(b, (int, float)) and not isinstance(b, bool):
        return not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a != b


class _Steps:
    """Which step derives which answer (the solver's Step.answers)."""

    def __init__(self, derivation: Derivation) -> None:
        from dlsolve.render.plain import plain_line

        self.by_path: dict[Path, StepRef] = {}
        self._of_right: dict[Path, StepRef | None] = {}  # the step of an answer whose elements all share it
        for number, step in enumerate(derivation.steps, 1):
            for key in step.answers:
                self.by_path.setdefault(path_of(key), StepRef(number, plain_line(step.title, 4)))

    def of(self, path: Path, verdict: Verdict) -> StepRef | None:
        """The step of the answer's first wrong element (or of the answer itself)."""
        if verdict.right or path in self.by_path:
            if path not in self._of_right:
                self._of_right[path] = self._of(path, path)
            return self._of_right[path]
        return self._of((*path, *verdict.wrong[0].path) if verdict.wrong else path, path)

    def _of(self, full: Path, path: Path) -> StepRef | None:
        for cut in range(len(full), 0, -1):
            if full[:cut] in self.by_path:
                return self.by_path[full[:cut]]
        below = [ref for p, ref in self.by_path.items() if p[: len(path)] == path]
        return min(below) if below else None


def _diagnoses(path: Path, expected: Any, verdict: Verdict, slips: Iterable[Slip], rule: Rule,
               carried: CarriedVerdict | None) -> tuple[Diagnosis, ...]:
    """The slips that give the answer's wrong elements (those not right by error carried
    forward) and leave its right elements as they are. A slip may come in two versions, from
    the student's earlier values and from the exact ones (a student who rounds on the way): an
    element matching either counts."""
    right_carried = {e.path for e in carried.verdict.elements if e.right} if carried else set()
    wrong = [e for e in verdict.wrong if e.path not in right_carried]
    right = [e for e in verdict.elements if e.right]
    explained: dict[str, set[Path]] = {}
    texts: dict[str, str] = {}
    tried: dict[str, list[Any]] = {}
    for slip in slips:
        found = lookup(slip.values, path, expected)
        if found is None or found[0] == expected or found[0] in tried.get(slip.name, ()):  # nothing new to match
            continue
        tried.setdefault(slip.name, []).append(found[0])
        if any(differs(value := get(found[0], e.path), e.expected) and not (value is not None and agrees(e.given, value, rule))
               for e in right):  # the student got right what this slip changes (beyond the precision they wrote)
            continue
        texts[slip.name] = slip.text
        explained.setdefault(slip.name, set()).update(
            e.path for e in wrong if (value := get(found[0], e.path)) is not None and differs(value, e.expected) and agrees(e.given, value, rule))
    out = [Diagnosis(name, texts[name], tuple(e.path for e in wrong if e.path in paths), tuple(e.path for e in wrong if e.path not in paths))
           for name, paths in explained.items() if paths]
    return tuple(sorted(out, key=lambda d: -len(d.explains)))


def _finite(value: Any) -> bool:
    """Whether every number in ``value`` is finite."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, (list, tuple)):
        return all(map(_finite, value))
    if isinstance(value, dict):
        return all(map(_finite, value.values()))
    return True


class _Carry:
    """The carried-forward values of one file and the student's answers they come from."""

    def __init__(self, carried: Mapping[Path, Any], given: Mapping[Path, str], wrong: set[Path], rounding: Rounding) -> None:
        self.carried = carried
        self.values = {p: c.value for p, c in carried.items()}
        self.given = given  # path of each given answer → its key
        self.wrong = wrong
        self.rounding = rounding
        self._sources_of: dict[Path, list[Path] | None] = {}

    def _upstream(self, used: list[Path]) -> set[Path]:
        """Every carried value the ones in ``used`` are computed from, however far back."""
        out: set[Path] = set()
        todo = [s for p in used for s in self.carried[p].sources]
        while todo:
            path = todo.pop()
            if path not in out:
                out.add(path)
                todo += self.carried[path].sources if path in self.carried else ()
        return out

    def _given_sources(self, path: Path, seen: set[Path]) -> list[Path]:
        """The student's answers a carried value follows from, through values they did not give."""
        out = []
        for source in self.carried[path].sources:
            if source in seen:
                continue
            seen.add(source)
            gave = [p for p in self.given if p[: len(source)] == source[: len(p)]]
            if gave:
                out += gave
            elif source in self.carried:
                out += self._given_sources(source, seen)
        return out

    def _sources(self, path: Path) -> list[Path] | None:
        """The inputs of the step that computes ``path``; None when the student got one wrong."""
        if path not in self._sources_of:
            found = lookup(self.values, path, None)
            sources = sorted({s for used in (found[1] if found else ()) for s in self.carried[used].sources}, key=str)
            wrong = any(p in self.wrong for source in sources for p in self.given if p[: len(source)] == source[: len(p)])
            self._sources_of[path] = None if wrong else sources
        return self._sources_of[path]

    def exact_fits(self, path: Path, slip: Slip, answers: Mapping[str, Any]) -> bool:
        """Whether a slip computed from the exact values may explain the answer at ``path``:
        only when the student's own inputs to that step are the exact ones (right, up to the
        rounding this version is there for) and the slip leaves them unchanged — else the
        version from the student's values is the one that applies."""
        sources = self._sources(path)
        if sources is None:
            return False
        for source in sources:
            expected = get(answers, source)
            other = lookup(slip.values, source, expected)
            if other is not None and differs(other[0], expected):
                return False
        return True

    def verdict(self, path: Path, given: Any, expected: Any, rule: Rule) -> CarriedVerdict | None:
        """The answer judged against the value that follows from the student's earlier
        answers (within their rounding: see :mod:`rounding`); None when it is the solution's
        and their rounding does not reach the answer either, or when it only reflects their
        rounding and does not make the answer right."""
        found = lookup(self.values, path, expected)
        if found is None or not _finite(found[0]):
            return None  # (an overflow from a student's absurd value, 1e300, carries nothing forward)
        moved = found[0] != expected and differs(found[0], expected)
        seen: set[Path] = set()
        sources = list(dict.fromkeys(p for used in found[1] for p in self._given_sources(used, seen)))
        wrong_sources = tuple(self.given[p] for p in sources if p in self.wrong)
        verdict, widening = compare(given, found[0], rule), 0.0
        if not verdict.right and sources:
            def at(values: Mapping[Path, Any]) -> Any:
                item = lookup(values, path, expected)
                return None if item is None else item[0]

            verdict, widening = self.rounding.judged(path, given, verdict, rule, at, sources, self._upstream(found[1]))
        if not sources or not (wrong_sources and moved or verdict.right):  # only the student's rounding, and it does not help
            return None
        return CarriedVerdict(found[0], verdict, tuple(self.given[p] for p in sources), wrong_sources,
                              tuple(self.rounding.given_at(p) for p in sources), widening)


class Solution:
    """A solved problem as the checker uses it: the derivation, which step derives which
    answer, and (when first needed) the slips computed from the exact values. A session
    keeps one per distinct problem."""

    def __init__(self, derivation: Derivation) -> None:
        self.derivation = derivation._replace(inputs=plain(derivation.inputs), answers=plain(derivation.answers))  # arrays listed
        self.steps = _Steps(derivation)
        self._exact_slips: dict[str, list[Slip]] | None = None
        self._located: dict[str, tuple[Path, Any]] = {}  # a class's files use the same keys
        self._verdicts: dict[tuple[str, str, Rule], Verdict] = {}  # … and mostly the same values
        self.bands: dict[Any, Any] = {}  # carried values within the students' rounding, by the values they follow from

    def locate(self, key: str, where: str) -> tuple[Path, Any]:
        """The path of ``key`` and the solution's value there (InputError for a key the problem has not)."""
        if key not in self._located:
            self._located[key] = locate(self.derivation.answers, key, where)
        return self._located[key]

    def verdict(self, key: str, given: Any, expected: Any, rule: Rule) -> Verdict:
        """``compare(given, expected, rule)``, remembered per answer and value as written
        (``repr`` keeps a Decimal's written digits): a class mostly writes the same answers."""
        memo = (key, repr(given), rule)
        if memo not in self._verdicts:
            self._verdicts[memo] = compare(given, expected, rule)
        return self._verdicts[memo]

    @property
    def exact_slips(self) -> dict[str, list[Slip]]:
        """The slips from the exact values (no student's values), by the answer they concern."""
        if self._exact_slips is None:
            d = self.derivation
            self._exact_slips = _by_answer(analyse(d.command, Work(d.inputs, d.answers, Student(()))).slips)
        return self._exact_slips


def judge(answers: AnswersFile, solution: Solution, rule: Rule, ecf_credit: float, where: str) -> tuple[Checked, ...]:
    """Every answer of the file judged against the solution (InputError for a key this
    problem has no answer for). A number outside the usable range is judged wrong as it
    comes in, so that no comparison, recomputation or report computes with it."""
    derivation, steps = solution.derivation, solution.steps
    # the keys, the solution's values, the verdicts
    written = {key: in_range(given) for key, given in answers.answers.items()}  # as written, unusable numbers marked
    paths = {key: solution.locate(key, where) for key in written}
    located = [(spelt(key, paths[key][0]), *paths[key], meant(derivation.command, key, given, derivation.inputs))
               for key, given in written.items()]  # a word as the answer it stands for ("two-tailed")
    verdicts = [solution.verdict(key, given, expected, rule) for key, _, expected, given in located]
    checked = [Checked(key, as_written, expected, verdict, steps.of(path, verdict), score=1.0 if verdict.right else 0.0)
               for (key, path, expected, given), as_written, verdict in zip(located, written.values(), verdicts)]
    if all(verdict.right for verdict in verdicts):
        return _in_step_order(checked)

    # something is wrong: the slips and the values carried forward from the student's answers
    # (a student's absurd values, 1e300, overflow in the recomputations: no verdict needs that warning)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        given = [(path, value) for _, path, _, value in located]
        analysis = analyse(derivation.command, Work(derivation.inputs, derivation.answers, Student(given)))

        def recompute(values: list[tuple[Path, Any]]) -> dict[Path, Any]:
            return {p: c.value for p, c in analyse(derivation.command, Work(derivation.inputs, derivation.answers, Student(values))).carried.items()}

        rounding = Rounding(given, lambda path: get(derivation.answers, path), recompute, {p: c.value for p, c in analysis.carried.items()},
                            solution.bands)
        carry = _Carry(analysis.carried, {path: key for key, path, _, _ in located},
                       {path for (_, path, _, _), verdict in zip(located, verdicts) if not verdict.right}, rounding)
        ours, exact = _by_answer(analysis.slips), solution.exact_slips
        for i, ((key, path, expected, given_value), verdict) in enumerate(zip(located, verdicts)):
            if verdict.right:
                continue
            carried = carry.verdict(path, given_value, expected, rule)
            diagnoses: tuple[Diagnosis, ...] = ()
            if not (carried and carried.verdict.right):  # some wrong element is left for a slip to explain
                name = str(path[0])
                versions = ours.get(name, []) + [slip for slip in exact.get(name, []) if carry.exact_fits(path, slip, derivation.answers)]
                diagnoses = _diagnoses(path, expected, verdict, versions, rule, carried)
            checked[i] = checked[i]._replace(diagnoses=diagnoses, carried=carried)
    if any(c.carried and c.carried.verdict.right and c.carried.wrong_sources for c in checked):
        checked = apply_policy(checked, choices(derivation.command))
    return _in_step_order([c._replace(score=ecf_credit) if c.status == "carried" else c for c in checked])


def _in_step_order(checked: list[Checked]) -> tuple[Checked, ...]:
    """The answers in the order of the solution's steps (file order within a step; answers
    no step shows last), as every report lists them."""
    return tuple(sorted(checked, key=lambda c: c.step.number if c.step else math.inf))


def _by_answer(slips: Iterable[Slip]) -> dict[str, list[Slip]]:
    """Answer name → the slips that give a value for it."""
    out: dict[str, list[Slip]] = {}
    for slip in slips:
        for name in {path[0] for path in slip.values}:
            out.setdefault(str(name), []).append(slip)
    return out


def element_name(path: Path) -> str:
    """An element's place for a reader: ``2`` in a vector, ``(1,3)`` in a matrix, ``params``."""
    if len(path) == 1:
        return str(path[0] + 1) if isinstance(path[0], int) else str(path[0])
    if all(isinstance(p, int) for p in path):
        return "(" + ",".join(str(p + 1) for p in path) + ")"
    return key_text(path)
