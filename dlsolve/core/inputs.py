"""Reading inputs: command-line values, problem-file values, and the schema that types them.

The value kinds and ``Field`` are ``NamedTuple``s (cheap to define at start-up).

Every bad value raises :class:`InputError` naming where it came from (``--weights (layer
2)`` or ``weights in prob.toml``) and what is wrong; the CLI prints it as one line and
exits 2. Nothing here imports NumPy (values become Python floats and tuples) unless a
``Matrix`` is read as an array.
"""

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_MINUS_SIGNS = str.maketrans({"−": "-", "–": "-"})  # a student may paste the notes' minus
MAX_VALUES = 3_000_000  # numbers in one input (a 2048-1024-10 network's weights fit); solvers set lower caps
MAX_INTEGER_DIGITS = 18  # whole numbers (epochs, n, radius) beyond 10¹⁸ are refused before any arithmetic


def one_line(text: str) -> str:
    """``text`` safe to print as one line: control, format and line-separator characters a
    user typed (``\r``, ``\x1e``, ``\u2028``, a bidi override …) are shown escaped."""
    if text.isprintable():  # none of those (nor a tab): the usual text, as it is
        return text
    import unicodedata

    def shown(c: str) -> str:
        if c == "\t":
            return " "
        if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
        return c

    return "".join(map(shown, text))


_LONG_WORD = 200  # characters of one unbroken echo of user text (a key, a path, a value)
_LONG_LINE = 1_000


def shortened(line: str) -> str:
    """``line`` with every run of over 200 non-blank characters cut to 200 in its middle
    (``'aaaa…aaaa'``), and the whole line cut in the middle if still over 1,000 characters:
    a 1 MB key in a problem file makes a readable error line, its start and its end (the
    hint) kept."""
    if len(line) <= _LONG_WORD:
        return line
    line = re.sub(rf"\S{{{_LONG_WORD + 1},}}", lambda run: _middle_cut(run[0], _LONG_WORD, 20, ""), line)
    return _middle_cut(line, _LONG_LINE, _LONG_LINE // 3, " ")


def _middle_cut(text: str, limit: int, tail: int, space: str) -> str:
    """``text`` cut to ``limit`` characters by an ellipsis, its last ``tail`` characters kept."""
    if len(text) <= limit:
        return text
    return text[: limit - tail - 1 - 2 * len(space)] + space + "…" + space + text[-tail:]


class InputError(ValueError):
    """A bad input, reported as ``<where>: <problem>`` on one line (whatever the user typed),
    of bounded length. A ``ValueError``: the Python API raises it for a bad argument."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(shortened(one_line(f"{where}: {problem}")))
        self.where = where
        self.problem = problem


def _shown(text: str, limit: int = 40) -> str:
    """A user's text quoted for an error line: one line, bounded length."""
    text = text.replace("\n", " ")
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def shown_integer(n: int) -> str:
    """A whole number for an error line, bounded: ``1000…000 (401 digits)`` when long.
    (A number too long for ``str`` is only sized, never converted to text.)"""
    if n.bit_length() <= 64:
        return f"{n:,}"
    sign = "-" if n < 0 else ""
    if n.bit_length() >= 4000:  # near Python's 4,300-digit limit on int → str
        return f"{sign}a number of about {int(n.bit_length() * 0.30103):,} digits"
    digits = str(abs(n))
    return f"{sign}{digits[:4]}…{digits[-3:]} ({len(digits):,} digits)"


def _value_count(text: str) -> int:
    """How many numbers a vector or matrix text holds, counted before anything is parsed."""
    return text.count(",") + text.count(";") + 1


def within_limit(total: int, limit: int, where: str, noun: str = "numbers") -> None:
    """Refuse an input of more than ``limit`` numbers (or rows) before reading them one by one."""
    if total > limit:
        raise InputError(where, f"has {total:,} {noun}; at most {limit:,} are accepted (this tool is for exercises)")


def parse_number(text: str, where: str) -> float:
    """A finite decimal number; ``nan``, ``inf``, hex and overflowing values are refused."""
    cleaned = text.strip().translate(_MINUS_SIGNS)
    if not _NUMBER.fullmatch(cleaned):
        raise InputError(where, f"{_shown(text)} is not a number")
    value = float(cleaned)
    if not math.isfinite(value):
        raise InputError(where, f"{_shown(text)} is too large for a float")
    return value


def parse_vector(text: str, where: str, limit: int = MAX_VALUES) -> tuple[float, ...]:
    """``"0.05, 0.10"`` → ``(0.05, 0.1)``; more than ``limit`` numbers are refused unread."""
    if not text.strip():
        raise InputError(where, "is empty; give numbers separated by commas, e.g. 0.05,0.10")
    within_limit(_value_count(text), limit, where)
    items = text.split(",")
    return tuple(parse_number(item, f"{where} (value {i})") for i, item in enumerate(items, 1))


def parse_matrix(text: str, where: str, limit: int = MAX_VALUES, rows: int = MAX_VALUES) -> tuple[tuple[float, ...], ...]:
    """``"0.15,0.20; 0.25,0.30"`` → rows; every row must have the same length; more than
    ``limit`` numbers or ``rows`` rows are refused unread."""
    if not text.strip():
        raise InputError(where, 'is empty; give rows separated by ";", e.g. "0.15,0.20; 0.25,0.30"')
    within_limit(_value_count(text), limit, where)
    within_limit(text.count(";") + 1, rows, where, "rows")
    rows = tuple(parse_vector(row, f"{where} (row {i})") for i, row in enumerate(text.split(";"), 1))
    return _rectangular(rows, where)


def _rectangular(rows: tuple[tuple[float, ...], ...], where: str) -> tuple[tuple[float, ...], ...]:
    for i, row in enumerate(rows[1:], 2):
        if len(row) != len(rows[0]):
            raise InputError(where, f"row {i} has {count(len(row), 'number')} but row 1 has {len(rows[0])}")
    return rows


def count(n: int, noun: str) -> str:
    """``1 number``, ``3 numbers``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# --- value kinds: each reads a command-line string or a problem-file value ---------------


def _file_number(value: Any, where: str) -> float:
    if isinstance(value, str):
        return parse_number(value, where)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(where, f"expected a number, got {_type_name(value)}")
    if isinstance(value, int) and value.bit_length() > 1023:  # beyond the largest double
        raise InputError(where, f"{shown_integer(value)} is too large")
    value = float(value)
    if not math.isfinite(value):
        raise InputError(where, "must be a finite number")
    return value


def _file_vector(value: Any, where: str, limit: int = MAX_VALUES) -> tuple[float, ...]:
    if isinstance(value, str):
        return parse_vector(value, where, limit)
    if not isinstance(value, list) or not value:
        raise InputError(where, f"expected a non-empty list of numbers, got {_type_name(value)}")
    within_limit(len(value), limit, where)
    types = set(map(type, value))
    if types == {float} and all(map(math.isfinite, value)) or types <= {int, float} and all(map(_finite_double, value)):
        return tuple(map(float, value))  # the common case, checked in C loops (2048-wide layers)
    return tuple(_file_number(v, f"{where} (value {i})") for i, v in enumerate(value, 1))


def _finite_double(value: int | float) -> bool:
    """A number that is a finite double as it stands (an int of 309+ digits is not)."""
    return math.isfinite(value) if isinstance(value, float) else value.bit_length() <= 1023


def _file_matrix(value: Any, where: str, limit: int = MAX_VALUES, rows: int = MAX_VALUES) -> tuple[tuple[float, ...], ...]:
    if isinstance(value, str):
        return parse_matrix(value, where, limit, rows)
    if not isinstance(value, list) or not value or not all(isinstance(r, (list, str)) for r in value):
        raise InputError(where, f"expected a list of rows (a list of lists), got {_type_name(value)}")
    within_limit(len(value), rows, where, "rows")
    within_limit(sum(len(r) if isinstance(r, list) else _value_count(r) for r in value), limit, where)
    rows = tuple(_file_vector(r, f"{where} (row {i})") for i, r in enumerate(value, 1))
    return _rectangular(rows, where)


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    if isinstance(value, dict):
        return "a table"
    return {str: "text", int: "a number", float: "a number"}.get(type(value), type(value).__name__)


class Number(NamedTuple):
    """A real number, optionally bounded: ``low < x`` (or ``≤`` with ``low_inclusive``)."""

    low: float | None = None
    high: float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True

    def read_text(self, text: str, where: str) -> float:
        return self._bounded(parse_number(text, where), where)

    def read_value(self, value: Any, where: str) -> float:
        return self._bounded(_file_number(value, where), where)

    def _bounded(self, x: float, where: str) -> float:
        if self.low is not None and (x < self.low or (x == self.low and not self.low_inclusive)):
            sign = "≥" if self.low_inclusive else ">"
            raise InputError(where, f"must be {sign} {self.low:g}, got {x:g}")
        if self.high is not None and (x > self.high or (x == self.high and not self.high_inclusive)):
            sign = "≤" if self.high_inclusive else "<"
            raise InputError(where, f"must be {sign} {self.high:g}, got {x:g}")
        return x


class Integer(NamedTuple):
    """A whole number within ``[low, high]``."""

    low: int | None = None
    high: int | None = None

    def read_text(self, text: str, where: str) -> int:
        cleaned = text.strip().translate(_MINUS_SIGNS)
        if not re.fullmatch(r"[+-]?\d+", cleaned):
            raise InputError(where, f"{_shown(text)} is not a whole number")
        if len(cleaned.lstrip("+-").lstrip("0")) > MAX_INTEGER_DIGITS:
            raise InputError(where, f"{_shown(text, 12)} is too large")
        return self._bounded(int(cleaned), where)

    def read_value(self, value: Any, where: str) -> int:
        if isinstance(value, str):
            return self.read_text(value, where)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(where, f"expected a whole number, got {_type_name(value)}")
        if abs(value) >= 10**MAX_INTEGER_DIGITS:
            raise InputError(where, f"{shown_integer(value)} is too large")
        return self._bounded(value, where)

    def _bounded(self, n: int, where: str) -> int:
        if self.low is not None and n < self.low:
            raise InputError(where, f"must be at least {self.low}, got {n}")
        if self.high is not None and n > self.high:
            raise InputError(where, f"must be at most {self.high:,}, got {n:,}")
        return n


class Vector(NamedTuple):
    """A list of at most ``limit`` numbers: ``0.05,0.10``."""

    limit: int = MAX_VALUES

    def read_text(self, text: str, where: str) -> tuple[float, ...]:
        return parse_vector(text, where, self.limit)

    def read_value(self, value: Any, where: str) -> tuple[float, ...]:
        return _file_vector(value, where, self.limit)


class Matrix(NamedTuple):
    """At most ``rows`` rows of at most ``limit`` numbers in all: ``"0.15,0.20; 0.25,0.30"``.
    Read as a tuple of rows, or with ``array`` as a NumPy float array (a large network's
    weights: 8 bytes a number instead of a Python float's 32)."""

    limit: int = MAX_VALUES
    rows: int = MAX_VALUES
    array: bool = False

    def read_text(self, text: str, where: str) -> Any:
        rows = parse_matrix(text, where, self.limit, self.rows)
        return _as_array(rows) if self.array else rows

    def read_value(self, value: Any, where: str) -> Any:
        if self.array:
            return _file_array(value, where, self.limit, self.rows)
        return _file_matrix(value, where, self.limit, self.rows)


def _as_array(rows: Any) -> Any:
    import numpy as np

    return np.array(rows, dtype=float)


def _file_array(value: Any, where: str, limit: int, rows: int) -> Any:
    """A file's matrix straight into a float array, checked in C loops when it is a
    rectangular list of lists of finite floats and ints (a problem file's usual case);
    anything else is read as :func:`_file_matrix` reads it, which names the bad value."""
    if isinstance(value, list) and value and all(type(row) is list for row in value):
        within_limit(len(value), rows, where, "rows")
        within_limit(sum(map(len, value)), limit, where)
        if value[0] and len(set(map(len, value))) == 1 and all(set(map(type, row)) <= {float, int} for row in value):
            from itertools import chain

            import numpy as np

            try:  # (fromiter: no nested-sequence discovery, a third faster than np.array)
                array = np.fromiter(chain.from_iterable(value), float, len(value) * len(value[0])).reshape(len(value), -1)
            except OverflowError:  # an int beyond the largest double: named below
                array = None
            if array is not None and np.isfinite(array).all():
                return array
    return _as_array(_file_matrix(value, where, limit, rows))


class NumberOrVector(NamedTuple):
    """One number (broadcast later) or a vector: ``0.35`` or ``0.35,0.35``."""

    def read_text(self, text: str, where: str) -> float | tuple[float, ...]:
        vector = parse_vector(text, where)
        return vector[0] if len(vector) == 1 and "," not in text else vector

    def read_value(self, value: Any, where: str) -> float | tuple[float, ...]:
        if isinstance(value, list):
            return _file_vector(value, where)
        if isinstance(value, str):
            return self.read_text(value, where)
        return _file_number(value, where)


class Choice(NamedTuple):
    """One of a fixed set of words, case-insensitive."""

    options: tuple[str, ...]

    def read_text(self, text: str, where: str) -> str:
        word = text.strip().lower()
        if word not in self.options:
            raise InputError(where, f"{_shown(text)} is not one of {', '.join(self.options)}")
        return word

    def read_value(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise InputError(where, f"expected one of {', '.join(self.options)}, got {_type_name(value)}")
        return self.read_text(value, where)


class Flag(NamedTuple):
    """On or off (``--update-biases/--no-update-biases``; ``true``/``false`` in a file)."""

    def read_text(self, text: Any, where: str) -> bool:
        return bool(text)

    def read_value(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise InputError(where, f"expected true or false, got {_type_name(value)}")
        return value


class PerItem(NamedTuple):
    """A repeatable option: one value per layer (or per item), in order, at most ``limit`` of them."""

    kind: Any
    item: str = "layer"
    limit: int = 1_000

    def read_text(self, texts: Sequence[str], where: str) -> tuple[Any, ...]:
        self._counted(len(texts), where)
        return tuple(self.kind.read_text(t, f"{where} ({self.item} {i})") for i, t in enumerate(texts, 1))

    def read_value(self, value: Any, where: str) -> tuple[Any, ...]:
        items = value if isinstance(value, list) else [value]
        if not items:
            raise InputError(where, f"expected one value per {self.item}, got an empty list")
        self._counted(len(items), where)
        return tuple(self.kind.read_value(v, f"{where} ({self.item} {i})") for i, v in enumerate(items, 1))

    def _counted(self, n: int, where: str) -> None:
        if n > self.limit:
            raise InputError(where, f"is given for {n:,} {self.item}s; at most {self.limit:,} are accepted (this tool is for exercises)")


def option(name: str) -> str:
    """The command-line option of an input name: ``lr_decay`` → ``--lr-decay``."""
    return "--" + name.replace("_", "-")


class Field(NamedTuple):
    """One input of a command: its name (snake_case, as in problem files), kind, default."""

    name: str
    kind: Any
    default: Any

    @property
    def option(self) -> str:
        return option(self.name)


def _given(value: Any) -> bool:
    return value is not None and value != () and value != []


def resolve(
    fields: Sequence[Field],
    cli_values: Mapping[str, Any],
    file_values: Mapping[str, Any],
    file_label: str = "the problem file",
    exclusive: Sequence[Sequence[frozenset[str]]] = (),
    values: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Every input's value: the command line wins over the problem file, which wins over
    the default (the course notes' problem).

    ``cli_values`` are text, read as the command line reads it; ``values`` (the Python
    API's numbers and lists) are read as a problem file's are, but given and named as on
    the command line (``--lr: must be > 0``). A name is in one of the two at most.

    ``exclusive`` lists groups of option sets that exclude each other (``--weights`` or
    ``--solve``; ``--data`` or ``--n/--mean/--sd``). Giving one set on the command line
    drops the file's values for the others, so the command line wins there too; giving two
    on the same command line is left for the solver to refuse.
    """
    values = values or {}
    given = {name for name, raw in cli_values.items() if _given(raw)} | {name for name, v in values.items() if v is not None}
    overridden = {name for group in exclusive if any(options & given for options in group)
                  for options in group if not options & given for name in options}
    inputs: dict[str, Any] = {}
    for field in fields:
        raw = cli_values.get(field.name)
        if _given(raw):
            inputs[field.name] = field.kind.read_text(raw, field.option)
        elif values.get(field.name) is not None:
            inputs[field.name] = field.kind.read_value(values[field.name], field.option)
        elif field.name in file_values and field.name not in overridden:
            inputs[field.name] = field.kind.read_value(file_values[field.name], f"{field.name} in {file_label}")
        else:
            inputs[field.name] = field.default
    return inputs
