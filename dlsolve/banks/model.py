"""A question bank: N seeded variants of one practice command, each with the numbers it
asks, the exact value and tolerance of each, the catalogue's slips as wrong values with
their diagnoses, and the worked solution. The exporters (Moodle, GIFT, PrairieLearn) only
write this down in their formats.

Variant seeds. Variant i (0-based) of the bank ``(command, level, seed)`` is the practice
exercise of seed ``s_i = int(SHA-256("bank:<command>:<level>:<seed>:<i>")[:8]) mod 10⁶``
(a seed taken by an earlier variant is skipped: i goes on to the next), so the same bank
seed gives the same bank on any machine, and ``dlsolve practice COMMAND --seed s_i`` shows
variant i with its worked solution.

Tolerance. ``check`` (written mode) accepts a number within half a unit of its last written
digit. The bank asks every value to the precision the worked solution writes it with:
``--decimals`` D places for |x| ≥ 1, D significant figures below 1 (as dlsolve prints
numbers), and gives the absolute tolerance t = ½·10⁻ᵖ for p such places — exactly the
interval ``check`` accepts for an answer written to that precision. A whole-number answer
(a winner, a count) has tolerance 0.

Slips. For every number asked, each slip of the topic's catalogue (computed from the exact
values, as ``check`` does for a student with no earlier answers) that changes it gives a
wrong value with the slip's diagnosis. A slip value within t of the right one is dropped (no
student could be told apart from a right answer); a slip's own tolerance is
min(t, |slip − exact| − t), so its interval never overlaps the right answer's. Slips giving
the same value are merged (both diagnoses).

Picks. A decision (true/false: the t-test's "significant?", the RBF network's "correct?") is
asked as a choice of yes and no; a word the checker knows (the t-test's alternative:
two-sided, greater, less, from :mod:`dlsolve.checking.words`) as a choice of those words. A
wrong choice that a slip gives carries the slip's diagnosis. Other answers that are no number
(an infinite KL divergence, an unknown size) are not asked: they are in the worked solution.
"""

from __future__ import annotations

import hashlib
import math
import warnings
from collections.abc import Iterator
from typing import Any, NamedTuple

from dlsolve.checking.compare import Verdict, shape_text
from dlsolve.checking.judge import Solution, StepRef, differs
from dlsolve.checking.keys import Path, get, locate, lookup
from dlsolve.checking.words import ALTERNATIVES
from dlsolve.core.derivation import Derivation
from dlsolve.practice.draw import SEED_DIGITS
from dlsolve.practice.exercise import Exercise

YES_NO = ("yes", "no")
MAX_VARIANTS = 1000  # 1000 hard SOM variants: 80 s, 0.5 GB, a 44 MB Moodle file; a course uses 10 to 50
_SCIENTIFIC_BELOW = 1e-4  # as dlsolve.core.numbers writes numbers


class SlipValue(NamedTuple):
    """A wrong value (a pick's wrong option) that one or more slips give, and what the student did."""

    value: float | int | str
    tolerance: float
    names: tuple[str, ...]
    texts: tuple[str, ...]

    @property
    def feedback(self) -> str:
        """The diagnosis, as ``check`` words it."""
        return " Or: ".join(text + ("" if text.endswith(".") else ".") for text in self.texts)


class Asked(NamedTuple):
    """One number (or choice) the bank asks: an answer key and, inside its value, the element."""

    key: str  # the answer key, as in an answers file: "history.2"
    inner: tuple[int | str, ...]  # the element inside the key's value (0-based): (0, 2)
    part: int  # the question it belongs to (0: (a))
    exact: float | int | str  # a pick's right option
    tolerance: float
    places: int  # decimal places asked (0 for a whole number or a pick)
    slips: tuple[SlipValue, ...]
    step: StepRef | None
    options: tuple[str, ...] = ()  # a pick's options, in the order shown ((): a number)

    @property
    def label(self) -> str:
        """``history.2[1,3]``: the key and the element's 1-based place."""
        if not self.inner:
            return self.key
        return f"{self.key}[{','.join(str(i + 1) if isinstance(i, int) else i for i in self.inner)}]"

    @property
    def name(self) -> str:
        """A name made of letters, digits and underscores: ``history_2_1_3``."""
        return "".join(c if c.isalnum() else "_" for c in self.label.replace("[", ".").rstrip("]"))

    @property
    def whole(self) -> bool:
        return isinstance(self.exact, int)

    def slip_for(self, option: str) -> SlipValue | None:
        """The slips that give ``option`` (a pick's wrong option), if any."""
        return next((s for s in self.slips if s.value == option), None)


class Variant(NamedTuple):
    number: int  # 1-based, in the bank
    exercise: Exercise
    derivation: Derivation
    asked: tuple[Asked, ...]
    unasked: tuple[str, ...]  # keys whose answer is neither a number nor a choice (left to the solution)


class Bank(NamedTuple):
    command: str
    level: str
    seed: int
    decimals: int
    variants: tuple[Variant, ...]

    @property
    def title(self) -> str:
        return f"{self.variants[0].exercise.title} ({self.command}), level {self.level}, bank seed {self.seed}"


def variant_seeds(command: str, level: str, seed: int, count: int) -> list[int]:
    """The exercise seeds of the bank's ``count`` variants (all different)."""
    seeds: list[int] = []
    i = 0
    while len(seeds) < count:
        digest = hashlib.sha256(f"bank:{command}:{level}:{seed}:{i}".encode()).digest()
        candidate = int.from_bytes(digest[:8], "big") % 10**SEED_DIGITS
        if candidate not in seeds:
            seeds.append(candidate)
        i += 1
    return seeds


def places(value: float, decimals: int) -> int:
    """The decimal places dlsolve writes ``value`` with (before trailing zeros are cut)."""
    size = abs(value)
    if size == 0 or 1 <= size < 1e15:
        return decimals
    exponent = math.floor(math.log10(size))
    if size < _SCIENTIFIC_BELOW or size >= 1e15:  # d.dddd × 10^e
        return max(decimals, 1) - exponent
    return max(decimals, 1) - exponent - 1


def tolerance(value: float | int, decimals: int) -> tuple[float, int]:
    """Moodle's absolute tolerance for ``value`` asked as dlsolve writes it, and the places."""
    if isinstance(value, int):
        return 0.0, 0
    p = places(value, decimals)
    return 0.5 * 10.0**-p, p


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _elements(value: Any, inner: tuple[int | str, ...] = ()) -> Iterator[tuple[tuple[int | str, ...], Any]]:
    """Every leaf of an answer with its place inside it."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from _elements(item, (*inner, i))
    elif isinstance(value, dict):
        for field, item in value.items():
            yield from _elements(item, (*inner, field))
    else:
        yield inner, value


def _slip_values(solution: Solution, path: Path, whole: Any, inner: tuple[int | str, ...], exact: float | int,
                 tol: float) -> tuple[SlipValue, ...]:
    """The catalogue's slips that change this element, in catalogue order, merged by value."""
    out: list[SlipValue] = []
    for slip in solution.exact_slips.get(str(path[0]), []):
        found = lookup(slip.values, path, whole)
        if found is None or shape_text(found[0]) != shape_text(whole):  # another shape: no element to compare
            continue
        value = get(found[0], inner)
        if not _number(value) or not differs(value, exact):
            continue
        value = int(value) if isinstance(exact, int) and float(value).is_integer() else float(value)
        gap = abs(value - exact)
        if not isinstance(exact, int) and gap <= tol:
            continue  # within the right answer's tolerance: no student can be told apart from a right one
        same = next((i for i, known in enumerate(out) if not differs(known.value, value)), None)
        if same is not None:
            known = out[same]
            if slip.name not in known.names:
                out[same] = known._replace(names=(*known.names, slip.name), texts=(*known.texts, slip.text))
            continue
        out.append(SlipValue(value, min(tol, gap - tol) if tol else 0.0, (slip.name,), (slip.text,)))
    return tuple(out)


def _options(value: Any) -> tuple[str, ...]:
    """A pick's options: yes/no for a decision, the checker's words for a word it knows."""
    if isinstance(value, bool):
        return YES_NO
    if isinstance(value, str) and value in ALTERNATIVES:
        return tuple(ALTERNATIVES)
    return ()


def _option(value: Any) -> str:
    """A decision or word as the option that says it."""
    if isinstance(value, bool):
        return YES_NO[0] if value else YES_NO[1]
    return str(value)


def _slip_picks(solution: Solution, path: Path, whole: Any, inner: tuple[int | str, ...], exact: Any) -> tuple[SlipValue, ...]:
    """The slips that give another option, merged by option, in catalogue order."""
    out: dict[str, SlipValue] = {}
    for slip in solution.exact_slips.get(str(path[0]), []):
        found = lookup(slip.values, path, whole)
        if found is None or shape_text(found[0]) != shape_text(whole):
            continue
        value = get(found[0], inner)
        if not _options(value) or value == exact:
            continue
        option = _option(value)
        known = out.get(option)
        if known is None:
            out[option] = SlipValue(option, 0.0, (slip.name,), (slip.text,))
        elif slip.name not in known.names:
            out[option] = known._replace(names=(*known.names, slip.name), texts=(*known.texts, slip.text))
    return tuple(out.values())


def asked(exercise: Exercise, derivation: Derivation, decimals: int) -> tuple[tuple[Asked, ...], tuple[str, ...]]:
    """The numbers the exercise asks (in question order) and the keys not asked (words, decisions)."""
    solution = Solution(derivation)
    out: list[Asked] = []
    unasked: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for part, question in enumerate(exercise.questions):
            for key in question.answers:
                path, whole = locate(derivation.answers, key, "the bank")
                found = False
                for inner, value in _elements(whole):
                    step = solution.steps.of((*path, *inner), Verdict(True))
                    options = _options(value)
                    if options:
                        found = True
                        out.append(Asked(key, inner, part, _option(value), 0.0, 0, _slip_picks(solution, path, whole, inner, value),
                                         step, options))
                    elif _number(value):
                        found = True
                        tol, p = tolerance(value, decimals)
                        out.append(Asked(key, inner, part, value, tol, p, _slip_values(solution, path, whole, inner, value, tol), step))
                if not found:
                    unasked.append(key)
    return tuple(out), tuple(unasked)


def build(command: str, level: str, seed: int, count: int, decimals: int) -> Bank:
    """The bank: ``count`` variants of ``command`` at ``level`` from ``seed``."""
    from dlsolve.practice import generate
    from dlsolve.practice.run import solution

    variants = []
    for number, variant_seed in enumerate(variant_seeds(command, level, seed, count), 1):
        exercise = generate(command, variant_seed, level)
        derivation = solution(exercise)
        numbers, unasked = asked(exercise, derivation, decimals)
        variants.append(Variant(number, exercise, derivation, numbers, unasked))
    return Bank(command, level, seed, decimals, tuple(variants))


def by_key(variant: Variant, part: int) -> list[tuple[str, list[Asked]]]:
    """The numbers a question part asks, grouped by answer key, in question order."""
    out: dict[str, list[Asked]] = {}
    for item in variant.asked:
        if item.part == part:
            out.setdefault(item.key, []).append(item)
    return list(out.items())


def category(bank: Bank) -> str:
    """The Moodle question category of the bank (GIFT adds a subcategory per variant)."""
    return f"$course$/top/dlsolve/{bank.command} {bank.level} bank {bank.seed}"


def question_name(bank: Bank, variant: Variant) -> str:
    """``som-train exam 03 (seed 641492)``: the variant's number and its practice seed."""
    width = len(str(len(bank.variants)))
    return f"{bank.command} {bank.level} {variant.number:0{width}d} (seed {variant.exercise.seed})"


def number_text(value: float | int) -> str:
    """A value as a platform reads it: in full (15 significant figures), ASCII minus."""
    return str(value) if isinstance(value, int) else f"{value:.15g}"
