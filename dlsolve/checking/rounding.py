"""How far the rounding of a student's earlier answers can move a value carried forward from
them (error carried forward, judged fairly).

A student who writes se = 1.3416 may have carried 1.341640… to the next step: the value that
follows from "their se" is then anywhere the step takes the interval 1.34155 … 1.34165 (half a
unit of the last written digit either side). The step is evaluated at both ends of each given
number's interval, one number at a time, and the largest move at either end is added up over
the numbers (the first-order worst case): that sum widens the carried value's tolerance. A
whole number, a decision or a word that comes out differently at an end of an interval is
accepted as an alternative; so is a value downstream of such a flip (a SOM winner that changes
changes the whole update), which is then judged with the usual tolerance, not widened.
A value that follows from more than MAX_ROUNDED given numbers is judged against its centre
alone (two recomputations per number; a worked exercise has a few dozen).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from dlsolve.checking.compare import FLOAT_SLACK, Element, Rule, Verdict, agrees, as_decimal, compare
from dlsolve.checking.keys import Path, get, put

MAX_ROUNDED = 200  # given numbers a band is computed over (each costs two recomputations)
Recompute = Callable[[list[tuple[Path, Any]]], Mapping[Path, Any]]  # the student's values → the carried values


class Band(NamedTuple):
    """A carried value and how far the student's rounding can move it."""

    center: Any  # from the student's values as written
    widening: Any  # the center's shape: per number, the largest move (0.0 elsewhere)
    alternatives: tuple[Any, ...]  # values at the ends of the intervals where a discrete stage flipped


def _rounded_numbers(given: Any, exact: Any, inner: Path = ()) -> Iterator[tuple[Path, Decimal]]:
    """The given decimals that stand for a float of the solution (a count, a winner or a
    word is exact: it has no rounding interval)."""
    if isinstance(given, list) and isinstance(exact, list):
        for i, (g, e) in enumerate(zip(given, exact)):
            yield from _rounded_numbers(g, e, (*inner, i))
    elif isinstance(given, dict) and isinstance(exact, dict):
        for k, g in given.items():
            if k in exact:
                yield from _rounded_numbers(g, exact[k], (*inner, k))
    elif isinstance(exact, float) and not isinstance(given, bool):
        number = as_decimal(given)
        if number is not None and number.is_finite():
            yield inner, number


def _floats(value: Any, inner: Path = ()) -> Iterator[tuple[Path, float]]:
    if isinstance(value, list):
        for i, v in enumerate(value):
            yield from _floats(v, (*inner, i))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _floats(v, (*inner, k))
    elif type(value) is float and math.isfinite(value):  # an overflowed value has no band
        yield inner, value


def _shaped(value: Any, moves: Mapping[Path, float], inner: Path = ()) -> Any:
    """``value`` with each finite float replaced by its move (0.0 when none)."""
    if isinstance(value, list):
        return [_shaped(v, moves, (*inner, i)) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: _shaped(v, moves, (*inner, k)) for k, v in value.items()}
    return moves.get(inner, 0.0) if type(value) is float and math.isfinite(value) else value


def _discrete(value: Any) -> bool:
    """A whole number, a decision, a word, or a list of them (a winner, predictions)."""
    if isinstance(value, list):
        return bool(value) and all(_discrete(v) for v in value)
    return not isinstance(value, float)


class Rounding:
    """The carried values of one file at the ends of the rounding intervals of its numbers,
    each evaluated once (the same end serves every answer downstream of it)."""

    def __init__(self, given: list[tuple[Path, Any]], exact_at: Callable[[Path], Any], recompute: Recompute,
                 center: Mapping[Path, Any], bands: dict[Any, Any]) -> None:
        self.given = given
        self.exact_at = exact_at
        self.recompute = recompute
        self.center = center
        self.bands = bands  # the problem's bands and verdicts in them so far: a class's files share their wrong values
        self._ends: dict[tuple[Path, Path, int], Mapping[Path, Any]] = {}
        self._given = dict(given)

    def given_at(self, path: Path) -> Any:
        """The student's value at ``path``, as written."""
        return self._given[path]

    def _at_end(self, source: Path, inner: Path, number: Decimal, sign: int) -> Mapping[Path, Any]:
        key = (source, inner, sign)
        if key not in self._ends:
            moved = number + sign * Decimal(5).scaleb(number.as_tuple().exponent - 1)
            self._ends[key] = self.recompute([(p, put(v, inner, moved) if p == source else v) for p, v in self.given])
        return self._ends[key]

    def judged(self, path: Path, given: Any, verdict: Verdict, rule: Rule, found: Callable[[Mapping[Path, Any]], Any],
               sources: list[Path], upstream: set[Path]) -> tuple[Verdict, Any]:
        """``given`` (``verdict`` against the carried value) judged within the band, and the
        band's widening; remembered, as a class's files share their values."""
        key = (path, tuple((source, repr(self._given[source])) for source in sources), repr(given), rule)
        if key not in self.bands:
            band = self.band(path, found, sources, upstream)
            self.bands[key] = (widened(given, band, rule, verdict), band.widening)
        return self.bands[key]

    def band(self, path: Path, found: Callable[[Mapping[Path, Any]], Any], sources: list[Path], upstream: set[Path]) -> Band:
        """The carried value at ``path`` (``found`` reads it from a table of carried values)
        and its widening over the rounding of the given answers in ``sources``; a flip of a
        discrete value in ``upstream`` makes that end an alternative instead. A band depends
        only on the values it is computed from: it is remembered by them."""
        key = (path, tuple((source, repr(self._given[source])) for source in sources))
        if key not in self.bands:
            self.bands[key] = self._band(found, sources, upstream)
        return self.bands[key]

    def _band(self, found: Callable[[Mapping[Path, Any]], Any], sources: list[Path], upstream: set[Path]) -> Band:
        center = found(self.center)
        floats = list(_floats(center))
        moves = dict.fromkeys((inner for inner, _ in floats), 0.0)
        alternatives: list[Any] = []
        numbers = [(source, inner, number) for source in sources for inner, number in _rounded_numbers(self._given[source], self.exact_at(source))]
        if len(numbers) > MAX_ROUNDED:  # a huge answer: judged against the centre alone (a worked exercise has a few dozen)
            return Band(center, 0.0, ())
        for source, inner, number in numbers:
            largest: dict[Path, float] = {}
            for sign in (-1, 1):
                ends = self._at_end(source, inner, number, sign)
                value = found(ends)
                if value is None:
                    continue
                if any(_discrete(self.center[q]) and self.center[q] != ends.get(q) for q in upstream if q in self.center):
                    alternatives.append(value)
                    continue
                if _discrete(center):
                    if value != center:
                        alternatives.append(value)
                    continue
                for at, c in floats:
                    v = get(value, at)
                    if isinstance(v, float) and math.isfinite(v):
                        largest[at] = max(largest.get(at, 0.0), abs(v - c))
            for at, move in largest.items():
                moves[at] += move
        return Band(center, _shaped(center, moves), tuple(alternatives))


def widened(given: Any, band: Band, rule: Rule, verdict: Verdict | None = None) -> Verdict:
    """``given`` judged against a band (``verdict``: against its center, when known): right
    within the rule's tolerance plus the widening, or when it agrees with an alternative."""
    verdict = verdict or compare(given, band.center, rule)
    if verdict.right or verdict.problem:
        return verdict
    elements: list[Element] = []
    for e in verdict.elements:
        if e.right:
            elements.append(e)
            continue
        move = get(band.widening, e.path)
        tolerance, right = e.tolerance, False
        number = as_decimal(e.given) if not isinstance(e.given, bool) else None
        if (isinstance(move, float) and 0 < move < math.inf and tolerance is not None and number is not None and number.is_finite()
                and isinstance(e.expected, float) and math.isfinite(e.expected)):
            tolerance += move
            right = abs(float(number) - e.expected) <= tolerance * FLOAT_SLACK
        if not right:
            right = any((alt := get(alternative, e.path)) is not None and agrees(e.given, alt, rule) for alternative in band.alternatives)
        elements.append(e._replace(right=right, tolerance=tolerance))
    return Verdict(all(e.right for e in elements), tuple(elements))
