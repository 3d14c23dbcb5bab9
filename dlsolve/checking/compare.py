"""Comparing a given answer with the exact one, element by element, under one of four rules.

written  (default) right when within half a unit of the last decimal place written:
         for 0.6065, "0.6" (±0.05) and "0.61" (±0.005) are right, "0.60" and "0.62" are not.
         A whole number written for a decimal answer counts as 0 decimals (±0.5).
relabs   |given − exact| ≤ atol + rtol·|exact| (PrairieLearn's defaults rtol 1e-2, atol 1e-8).
sigfig N PrairieLearn: n = N − 1 − ⌊log₁₀|exact|⌋ (N − 1 when exact = 0), ε = 0.51·10⁻ⁿ,
         right when exact − ε < given < exact + ε.
decdig N PrairieLearn: ε = 0.51·10⁻ᴺ, right when exact − ε < given < exact + ε.

A minimum of significant figures (``min_sigfigs`` N, any mode): an answer written with fewer
is wrong, "too few digits", unless it is the exact value itself (2 for 2.0); in written mode a
longer one is judged on its first N digits (STACK's NumSigFigs [N, −1]: 47.24 for 47.2 with
N = 3), and N digits must hold the exact value within half a unit of the last (the rounding
interval of what was written, not PrairieLearn's 0.51 around the exact value).

Booleans, strings (compared without case or surrounding spaces) and integers (winners,
clusters, counts, predictions) must match exactly, in every mode. Given numbers are
``Decimal`` (as the answers file wrote them) or ``int``; exact values are the solver's floats.

A given number of 1e308 or more, or with its leading digit below 1e-400 (1e-401, and 0
written 0E-500), is no answer to any exercise: it is judged wrong, "not a usable number",
without being computed with — as a double it overflows, as a whole number 1e999999999 has a
billion digits, and Decimal arithmetic on such exponents fails.
"""

from __future__ import annotations

import math
import re
import sys
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

MODES = ("written", "relabs", "sigfig", "decdig")
DEFAULT_DIGITS = 2  # PrairieLearn's default for sigfig and decdig
DEFAULT_RTOL = 1e-2
DEFAULT_ATOL = 1e-8
# the exact value is a double: at a tie (0.605 written 0.61) its last binary digit must not decide
FLOAT_SLACK = 1.000000001
DECIMAL_SLACK = Decimal("1.000000001")
_NUMBER_TEXT = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")
_MINUS_SIGNS = str.maketrans({"−": "-", "–": "-"})
# the usable numbers: |x| < 1e308 (a double's range) and no leading digit below 1e-400
MAX_ADJUSTED, MIN_ADJUSTED = 307, -400
_BEYOND_INT = 10**308
NOT_USABLE = "not a usable number: exponent out of range (1e308 or more, or below 1e-400)"

Path = tuple[int | str, ...]


class Rule(NamedTuple):
    """How numbers are compared: the mode and its parameters."""

    mode: str = "written"
    digits: int = DEFAULT_DIGITS
    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL
    min_sigfigs: int | None = None  # fewer significant figures written: too few digits (None: no minimum)

    def describe(self) -> str:
        """One line a student understands."""
        if not self.min_sigfigs:
            return self._describe_mode()
        n = self.min_sigfigs
        beyond = "; digits beyond the first N are not marked".replace("N", str(n)) if self.mode == "written" else ""
        return f"{self._describe_mode()}; at least {n} significant figure{'s' if n > 1 else ''} (fewer: too few digits{beyond})"

    def _describe_mode(self) -> str:
        if self.mode == "written":
            return "as written: a number is right within half a unit of its last written digit (0.61 covers 0.605 to 0.615)"
        if self.mode == "relabs":
            return f"relative/absolute: right when |given − exact| ≤ {self.atol:g} + {self.rtol:g}·|exact|"
        if self.mode == "sigfig":
            return f"{self.digits} significant figure{'s' if self.digits > 1 else ''} (PrairieLearn sigfig: within 0.51 of a unit in the {_ordinal(self.digits)} significant digit)"
        return f"{self.digits} decimal digit{'s' if self.digits > 1 else ''} (PrairieLearn decdig: within 0.51·10^−{self.digits} = {0.51 * 10.0 ** -self.digits:g})"

    def number(self, given: Decimal, exact: float) -> tuple[bool, float]:
        """Whether ``given`` agrees with ``exact``, and the half-width of the interval it must fall in."""
        if not (given.is_finite() and math.isfinite(exact)):
            return (not given.is_nan() and float(given) == exact), 0.0
        if self.mode == "written":
            if self.min_sigfigs:  # STACK's "at least N": a longer answer is judged on its first N digits
                given = first_significant(given, self.min_sigfigs)
            exponent = given.as_tuple().exponent
            half = 0.5 * 10.0**exponent
            if half > 1e-6 * abs(exact):  # doubles are exact enough here (the usual case, and fast)
                return abs(float(given) - exact) <= half * FLOAT_SLACK, half
            # half a unit of the last place built digit by digit: scaleb refuses exponents beyond the context's
            return abs(given - Decimal(exact)) <= Decimal((0, (5,), exponent - 1)) * DECIMAL_SLACK, half
        a = float(given)
        if self.mode == "relabs":
            # (an overflowing tolerance accepts everything anyway; kept finite for the reports' JSON)
            tol = min(self.atol + self.rtol * abs(exact), sys.float_info.max)
            return abs(a - exact) <= tol, tol
        if self.mode == "sigfig":
            n = self.digits - 1 if exact == 0 else self.digits - 1 - math.floor(math.log10(abs(exact)))
            eps = 0.51 * 10.0**-n
        else:
            eps = 0.51 * 10.0**-self.digits
        return exact - eps < a < exact + eps, eps


def significant_figures(number: Decimal) -> int:
    """Significant figures as written: 47 → 2, 0.0010 → 2, 1.20e3 → 3, 0 and 0.00 → 1."""
    return len(number.as_tuple().digits)


def first_significant(number: Decimal, n: int) -> Decimal:
    """``number`` rounded (half up) to ``n`` significant figures when written with more."""
    if significant_figures(number) <= n or not number:
        return number
    return number.quantize(Decimal(1).scaleb(number.adjusted() - n + 1), rounding=ROUND_HALF_UP)


def too_few_digits(number: Decimal, exact: float, rule: Rule) -> str:
    """Why ``number`` has too few significant figures for the rule ("" when it has enough, or
    when it is the exact value itself: 2 for 2.0, 0.5 for 0.5)."""
    written = significant_figures(number)
    if rule.min_sigfigs is None or written >= rule.min_sigfigs or float(number) == exact:
        return ""
    return f"too few digits: {written} significant figure{'s' if written > 1 else ''} written, at least {rule.min_sigfigs} asked"


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


class Element(NamedTuple):
    """One compared value (a scalar answer, or one entry of a vector or matrix)."""

    path: Path  # () for a scalar; 0-based indexes (and field names) inside the answer
    given: Any
    expected: Any
    right: bool
    tolerance: float | None  # half-width of the accepted interval; None: must match exactly
    note: str = ""  # why a value could not be compared as a number (text for a number …)


class Verdict:
    """A whole answer judged: right when every element is; ``problem`` when the shapes
    differ. The elements of an answer found right at once are only built when a report
    asks for them (a class's files are mostly right answers)."""

    __slots__ = ("right", "problem", "_elements", "_build")

    def __init__(self, right: bool, elements: tuple[Element, ...] | None = None, problem: str | None = None,
                 build: Callable[[], tuple[Element, ...]] | None = None) -> None:
        self.right, self.problem, self._elements, self._build = right, problem, elements, build

    @property
    def elements(self) -> tuple[Element, ...]:
        if self._elements is None:
            self._elements = self._build() if self._build else ()
        return self._elements

    @property
    def wrong(self) -> tuple[Element, ...]:
        return () if self.right else tuple(e for e in self.elements if not e.right)


class OutOfRange:
    """A given number outside the usable range, kept as written for the reports."""

    __slots__ = ("written",)

    def __init__(self, written: str) -> None:
        self.written = written

    def __repr__(self) -> str:
        return f"OutOfRange({self.written!r})"

    def __str__(self) -> str:
        return self.written


def _out_of_range(value: Any) -> bool:
    """Whether ``value`` is, or holds, a number outside the usable range."""
    kind = type(value)
    if kind is Decimal:
        return value.is_finite() and not MIN_ADJUSTED <= value.adjusted() <= MAX_ADJUSTED  # (0: 0, "0E-500": −500)
    if kind is list:
        return any(map(_out_of_range, value))
    if kind is dict:
        return any(map(_out_of_range, value.values()))
    if kind is int:
        return not -_BEYOND_INT < value < _BEYOND_INT
    if kind is str or kind is float:
        number = as_decimal(value)
        return number is not None and _out_of_range(number)
    return False


def in_range(value: Any) -> Any:
    """A given value with each number outside the usable range replaced by an
    :class:`OutOfRange` (``value`` itself when it holds none, the usual case): what follows
    never computes with such a number."""
    if not _out_of_range(value):
        return value
    if isinstance(value, list):
        return [in_range(v) for v in value]
    if isinstance(value, dict):
        return {k: in_range(v) for k, v in value.items()}
    return OutOfRange(value.strip() if isinstance(value, str) else str(value))


def as_decimal(value: Any) -> Decimal | None:
    """A given number as a Decimal (its written precision kept); None for a non-number.
    Text holding a number ("0.60", "−0.2") counts, as a JSON producer may quote numbers."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.translate(_MINUS_SIGNS)
        if _NUMBER_TEXT.fullmatch(text):
            try:
                return Decimal(text.strip())
            except InvalidOperation:
                return None
    return None


def _scalar(given: Any, exact: Any, rule: Rule) -> tuple[bool, float | None, str]:
    """(right, tolerance, note) for one value."""
    if type(exact) is float:  # the usual case first
        number = given if type(given) is Decimal else as_decimal(given)
        if number is None:
            return False, None, NOT_USABLE if type(given) is OutOfRange else "expected a number"
        right, tol = rule.number(number, exact)
        if rule.min_sigfigs and number.is_finite() and (few := too_few_digits(number, exact, rule)):
            return False, tol, few
        return right, tol, ""
    if type(given) is OutOfRange:
        return False, None, NOT_USABLE
    if isinstance(exact, bool):
        if isinstance(given, bool):
            return given == exact, None, ""
        return False, None, "expected true or false"
    if isinstance(exact, int):
        number = as_decimal(given)
        if number is None or not number.is_finite() or number != number.to_integral_value():
            return False, None, "expected a whole number"
        return number == exact, None, ""
    if isinstance(exact, float):  # a float subclass (NumPy's)
        return _scalar(given, float(exact), rule)
    if isinstance(exact, str):
        if exact == "inf":  # KL divergence: infinite
            number = as_decimal(given)
            if number is not None:
                return number.is_infinite() and number > 0, None, ""
            return isinstance(given, str) and given.strip().lower() in ("inf", "infinity", "∞"), None, ""
        if isinstance(given, str):
            return given.strip().casefold() == exact.casefold(), None, ""
        return False, None, f'expected the text "{exact}"'
    if exact is None:  # an unknown length (Keras' None), or no value (df of a z-test)
        if given is None or (isinstance(given, str) and given.strip().lower() in ("none", "null")):
            return True, None, ""
        return False, None, "no value is expected here (null)"
    return given == exact, None, ""


def shape_text(value: Any) -> str:
    """``a number``, ``4 values``, ``a 2 × 4 matrix`` — what an answer is, for messages."""
    if isinstance(value, dict):
        return f"a table with {', '.join(value)}"
    if not isinstance(value, list):
        return {bool: "true or false", str: "text"}.get(type(value), "a number")
    shape = []
    item: Any = value
    while isinstance(item, list):
        shape.append(len(item))
        item = item[0] if item else None
    if len(shape) == 1:
        return f"{shape[0]} value{'s' if shape[0] != 1 else ''}"
    kind = "matrix" if len(shape) == 2 else "array"
    return f"a {' × '.join(map(str, shape))} {kind}"


def _written_vector(given: list[Any], expected: list[Any], path: Path, out: list[Element]) -> bool:
    """The usual case, in one tight loop: finite decimals (or whole numbers) written for
    floats, judged as written. False (nothing appended) for anything else."""
    if not (all(type(g) is Decimal and g.is_finite() or type(g) is int for g in given) and all(type(e) is float for e in expected)):
        return False
    make = tuple.__new__  # an Element without NamedTuple's argument handling
    for i, (g, e) in enumerate(zip(given, expected)):
        exponent = g.as_tuple().exponent if type(g) is Decimal else 0
        half = 0.5 * 10.0**exponent
        if half > 1e-6 * abs(e):  # as Rule.number, inlined
            right = abs(float(g) - e) <= half * FLOAT_SLACK
        else:
            right = Rule("written").number(Decimal(g), e)[0]
        out.append(make(Element, ((*path, i), g, e, right, half, "")))
    return True


def _collect(given: Any, expected: Any, rule: Rule, path: Path, out: list[Element]) -> str | None:
    """Append every compared element; return a problem when the shapes do not match."""
    if isinstance(expected, list):
        if not isinstance(given, list) or len(given) != len(expected):
            return f"expected {shape_text(expected)}, got {shape_text(given)}"
        if expected and not isinstance(expected[0], (list, dict)):  # a vector (or a matrix row): no recursion
            if rule.mode == "written" and not rule.min_sigfigs and _written_vector(given, expected, path, out):
                return None
            for i, (g, e) in enumerate(zip(given, expected)):
                right, tol, note = _scalar(g, e, rule)
                out.append(Element((*path, i), g, e, right, tol, note))
            return None
        for i, (g, e) in enumerate(zip(given, expected)):
            problem = _collect(g, e, rule, (*path, i), out)
            if problem:
                return problem
        return None
    if isinstance(expected, dict):
        if not isinstance(given, dict):
            return f"expected {shape_text(expected)}, got {shape_text(given)}"
        unknown = [field for field in given if field not in expected]
        if unknown:
            return f"unknown field {unknown[0]!r} (the fields are {', '.join(expected)})"
        for field, g in given.items():
            problem = _collect(g, expected[field], rule, (*path, field), out)
            if problem:
                return problem
        return None
    right, tol, note = _scalar(given, expected, rule)
    out.append(Element(path, given, expected, right, tol, note))
    return None


def compare(given: Any, expected: Any, rule: Rule) -> Verdict:
    """Judge a whole answer (a number, a vector, a matrix, a table) element by element."""
    if rule.mode == "written" and not rule.min_sigfigs:
        right = _right_as_written(given, expected)
        if right is not None:  # decided in one loop: the elements are built when a report asks
            return Verdict(right, build=partial(_only_elements, given, expected, rule))
    elements, problem = _elements(given, expected, rule)
    if problem:
        return Verdict(False, elements, problem)
    return Verdict(all(e.right for e in elements), elements)


def _only_elements(given: Any, expected: Any, rule: Rule) -> tuple[Element, ...]:
    return _elements(given, expected, rule)[0]


def _elements(given: Any, expected: Any, rule: Rule) -> tuple[tuple[Element, ...], str | None]:
    elements: list[Element] = []
    problem = _collect(given, expected, rule, (), elements)
    if problem and isinstance(expected, list) and shape_text(given) != shape_text(expected):  # say it of the whole answer
        problem = f"expected {shape_text(expected)}, got {shape_text(given)}"
    return tuple(elements), problem


def _right_as_written(given: Any, expected: Any) -> bool | None:
    """Whether every element is right as written, decided in one loop without building
    elements, for the usual answers: finite written numbers for floats (whole numbers for
    ints), in the solution's shape. None for anything else (the general path decides)."""
    if type(expected) is not list:
        return _right_pair(given, expected)
    if type(given) is not list or len(given) != len(expected):
        return None
    if expected and type(expected[0]) is list:  # a matrix: row by row
        if not all(type(g) is list and len(g) == len(e) for g, e in zip(given, expected)):
            return None
        rows = [_right_vector(g, e) for g, e in zip(given, expected)]
        return None if None in rows else all(rows)
    return _right_vector(given, expected)


def _right_vector(given: list[Any], expected: list[Any]) -> bool | None:
    right = True
    for g, e in zip(given, expected):
        if type(g) is Decimal and type(e) is float and g.is_finite():  # the usual element, inline
            half = 0.5 * 10.0 ** g.as_tuple().exponent
            if half <= 1e-6 * abs(e):
                return None
            right = right and abs(float(g) - e) <= half * FLOAT_SLACK
        else:
            pair = _right_pair(g, e)
            if pair is None:
                return None
            right = right and pair
    return right


def _right_pair(g: Any, e: Any) -> bool | None:
    kind, exact = type(g), type(e)
    if exact is float:
        if kind is Decimal and g.is_finite():
            half = 0.5 * 10.0 ** g.as_tuple().exponent
        elif kind is int:
            half = 0.5
        else:
            return None
        return abs(float(g) - e) <= half * FLOAT_SLACK if half > 1e-6 * abs(e) else None
    if exact is int and kind is int:
        return g == e
    return None


def agrees(given: Any, value: Any, rule: Rule) -> bool:
    """One element against an alternative value (a slip's, a carried-forward one)."""
    if isinstance(value, float) and not isinstance(given, bool):
        number = as_decimal(given)
        return number is not None and math.isfinite(value) and rule.number(number, value)[0] and not (
            rule.min_sigfigs and number.is_finite() and too_few_digits(number, value, rule))
    return _scalar(given, value, rule)[0]
