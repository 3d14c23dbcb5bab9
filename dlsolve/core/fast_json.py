"""The optional ``fast`` extra: orjson reads a large problem file and writes a long row of
floats, with results identical to the standard library's ``json`` (the SPEC's JSON is what
``json.dumps`` writes, unrounded). orjson is imported only for a document or a row large
enough to gain from it, so a default problem never loads it; without it (or with an orjson
whose float layout differs from the one expected here) every caller falls back to ``json``.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache
from types import ModuleType
from typing import Any

MIN_ROW = 64  # numbers: a shorter row is written by json.dumps
MIN_TEXT = 64 * 1024  # characters: a shorter document is read by json.loads

# orjson writes the shortest round-trip digits, as repr does, in repr's layout but for two
# ranges, found by comparing the two on every binary exponent, random mantissas and bit
# patterns, subnormals, ±0.0 and the doubles next to each power of ten (tests/test_fast_json.py):
POSITIONAL = (1e-5, 1e-4)  # |x| in it: orjson 0.000043799 (positional), repr 4.3799e-05
SHORT_EXPONENT = (1e-9, 1e-5)  # |x| in it: orjson 2.5e-7 (one exponent digit), repr 2.5e-07
# (Where a layout starts depends on the value alone: a double's shortest digits read below
# 10**k exactly when the double is below the double nearest 10**k.)

# The layouts this module relies on, as json.dumps writes them; an orjson that writes these
# otherwise (before 3.11.7: 1e16, not 1e+16) is not used.
_PROBE = [1e16, -1.2e30, 1e22, 5e-324, -0.0, 0.1, 123456.789, 1e-4, -9.999999999999999e-05,
          4.3799253804461814e-05, 1e-05, -9.99999e-06, 2.5e-07, 1e-09, 9.99e-10, 1e-10]


@cache
def _orjson() -> ModuleType | None:
    """orjson, if it is installed and lays floats out as expected; else None."""
    try:
        import orjson
    except ImportError:
        return None
    import numpy

    try:
        written = _row_text(orjson, numpy.array(_PROBE))
    except (AttributeError, TypeError):  # an orjson without OPT_SERIALIZE_NUMPY, or refusing arrays
        return None
    return orjson if written == json.dumps(_PROBE) else None


def float_row(value: Any) -> str | None:
    """``json.dumps(value.tolist())`` for a C-contiguous float64 NumPy vector of at least
    MIN_ROW finite numbers, formatted by orjson; None for anything else, or without orjson
    (the caller then writes it with json)."""
    dtype = getattr(value, "dtype", None)
    if dtype is None or value.ndim != 1 or value.size < MIN_ROW:
        return None
    if dtype.char != "d" or not dtype.isnative or not value.flags.c_contiguous:
        return None
    orjson = _orjson()
    if orjson is None:
        return None
    import numpy

    if type(value) is not numpy.ndarray or not numpy.isfinite(value).all():
        return None
    return _row_text(orjson, value)


def _row_text(orjson: ModuleType, row: Any) -> str:
    """The row's JSON as json.dumps writes it: orjson's text, its numbers in the two ranges
    re-laid as repr writes them, ", " between them."""
    text = orjson.dumps(row, option=orjson.OPT_SERIALIZE_NUMPY)
    return _as_repr(text, row).replace(b",", b", ").decode()


# Bytes written over orjson's text where it must change, then each replaced by its meaning
# (bytes.replace: one pass in C whatever the count); none of them occurs in a number.
_MARKERS = ((b"0.00\6", b""), (b"\1", b"e-05"), (b"\2", b"e-05,"), (b"\3", b"e-05]"), (b"\5", b"-0"))
_DROP_ZEROS, _E05, _E05_COMMA, _E05_BRACKET, _MINUS_ZERO = 6, 1, 2, 3, 5


def _as_repr(text: bytes, row: Any) -> bytes:
    """orjson's ``[a,b,…]`` of the row's floats with the numbers in POSITIONAL
    (``[-]0.0000d…``) written ``[-]d.…e-05``, and those in SHORT_EXPONENT (``…e-7``) written
    ``…e-07``. The numbers are picked by value, their bytes overwritten with NumPy, all at
    once, then markers replaced: a regular expression's substitution with groups would run
    Python for every match (Python 3.11), nearly as slow as repr on a row of small gradients."""
    import numpy

    size = numpy.abs(row)
    positional = numpy.flatnonzero((size >= POSITIONAL[0]) & (size < POSITIONAL[1]))
    short_exponent = numpy.flatnonzero((size >= SHORT_EXPONENT[0]) & (size < SHORT_EXPONENT[1]))
    if not positional.size and not short_exponent.size:
        return text
    chars = numpy.frombuffer(text, numpy.uint8).copy()
    commas = numpy.flatnonzero(chars == ord(","))
    ends = numpy.append(commas, chars.size - 1)  # each number's "," or the final "]"
    # [-]0.0000 d rest → [-]d.rest e-05: the first digit over the last "0", "." over it, "0.000" dropped
    zeros = numpy.append(0, commas)[positional] + 1 + numpy.signbit(row[positional])  # where "0.0000" starts
    more = zeros + 7 < ends[positional]  # digits after the first
    chars[zeros + 5] = chars[zeros + 6]
    chars[zeros + 6] = numpy.where(more, ord("."), _E05)
    chars[zeros + 4] = _DROP_ZEROS
    closing = ends[positional][more]
    chars[closing] = numpy.where(chars[closing] == ord(","), _E05_COMMA, _E05_BRACKET)
    chars[ends[short_exponent] - 2] = _MINUS_ZERO  # e-7 → e-07
    text = chars.tobytes()
    for marker, meaning in _MARKERS:
        text = text.replace(marker, meaning)
    return text


# In the text with its digits made "0" and the characters that can precede a number made " ",
# an integer of 19 digits or more (orjson reads beyond 64 bits as a float, json as an int).
_BEFORE_NUMBER = b"[,: \t\n\r-"
_INTEGER_RUNS = bytes.maketrans(b"0123456789" + _BEFORE_NUMBER, b"0" * 10 + b" " * len(_BEFORE_NUMBER))
_LONG_INTEGER = b" " + b"0" * 19


def loads(text: str) -> Any:
    """``json.loads(text)`` (problem files: floats as ``float``), read by orjson when the
    text has at least MIN_TEXT characters; None when it is shorter, without orjson, or when
    orjson would read it otherwise or refuse it — NaN, Infinity, 1e400, integers beyond 64
    bits, lone surrogates — and json is left to read it (or to say what is wrong)."""
    if len(text) < MIN_TEXT:
        return None
    orjson = _orjson()
    if orjson is None:
        return None
    if _LONG_INTEGER in text.encode("utf-8", "surrogatepass").translate(_INTEGER_RUNS):  # (in a string, an exponent too)
        return None
    try:  # (the text, not a copy of its bytes: orjson reads a str's UTF-8 in place)
        apart = _rows_apart(text, orjson)
        return orjson.loads(text) if apart is None else _rows_put_back(orjson.loads(apart[0]), iter(apart[1]))
    except (orjson.JSONDecodeError, _Misplaced):
        return None


# A large matrix is read a row at a time: orjson holds a whole document twice over while it
# reads it (its own parse, then Python's objects), 1.35× json's memory on a 2048-1024-10
# network; a row at a time, it needs json's. The rest of the document is read with a string
# in each row's place.
MIN_ROW_TEXT = 1024  # characters: a shorter row stays in the document
_ROW = re.compile(r"\[[-+.0-9eE, \t\n\r]{%d,}\]" % MIN_ROW_TEXT)  # a row of numbers (and what only looks like one)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_PLACE = "\x01row"  # what a row's place holds: a string the document does not hold (checked)
_PLACE_TEXT = '"\\u0001row"'


class _Misplaced(Exception):
    """The rows and their places do not match: the document is left to json."""


def _rows_apart(text: str, orjson: ModuleType) -> tuple[str, list[Any]] | None:
    """(the text with each long row of numbers replaced by _PLACE_TEXT, the rows read by
    orjson), or None when the text has no long row, or might hold _PLACE itself. A row
    inside a string stays where it is."""
    rows = list(_ROW.finditer(text))
    if not rows or "\\u0001" in text:  # (a string holding U+0001, the place's first character, spells it so)
        return None
    strings = [(m.start(), m.end()) for m in _STRING.finditer(text)]
    starts = [start for start, _ in strings]
    parts, values, last = [], [], 0
    for row in rows:
        at = bisect_right(starts, row.start()) - 1
        if at >= 0 and strings[at][1] > row.start():  # within a string
            continue
        parts += [text[last : row.start()], _PLACE_TEXT]
        values.append(orjson.loads(row.group()))
        last = row.end()
    return "".join(parts) + text[last:], values


def _rows_put_back(value: Any, rows: Iterator[Any]) -> Any:
    """``value`` with each _PLACE (in document order) replaced by the next of ``rows``;
    _Misplaced unless every place gets a row and every row a place."""
    value = _placed(value, rows)
    if next(rows, None) is not None:
        raise _Misplaced
    return value


def _placed(value: Any, rows: Iterator[Any]) -> Any:
    """``value`` with each _PLACE replaced by the next of ``rows`` (_Misplaced when they run out)."""
    if isinstance(value, list):
        return [_placed(item, rows) for item in value]
    if isinstance(value, dict):
        return {key: _placed(item, rows) for key, item in value.items()}
    if value == _PLACE:
        row = next(rows, None)
        if row is None:
            raise _Misplaced
        return row
    return value
