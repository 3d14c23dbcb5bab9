"""A fast reader for the TOML that answers files (and most problem files) are made of, for
checking a class's files in one call (``tomllib`` is pure Python: about 0.4 ms for a
typical answers file, most of a file's checking time).

The subset: comments; ``[answers]``-style headers (one bare key); ``key = value`` with bare or
"quoted" dotted keys; values that are decimal integers, decimal floats,
``true``/``false``, "strings" without escapes, and arrays of these over any number of lines
(without comments or a trailing comma inside): the values TOML and JSON write alike.
:func:`parse` returns None as soon as the text goes beyond that (or breaks a rule it would
have to check: a key defined twice, a control character …), and the caller hands the text
to ``tomllib``, which reads it or reports the error. So the result is always
``tomllib.loads(text, parse_float=parse_float)``: ``Decimal`` for answers files (keeping the
decimals as written), ``float`` for problem files (tests/test_check_answers_file.py checks
it against tomllib on generated documents).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any

_KEY_PART = r'(?:[A-Za-z0-9_-]+|"[^"\\\n]*")'
_KEY_VALUE = re.compile(rf"[ \t]*({_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*)[ \t]*=[ \t]*")
_HEADER = re.compile(r"[ \t]*\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\][ \t]*")
_BLANK_LINES = re.compile(r"(?:[ \t]*(?:#[^\n]*)?(?:\n|$))*")  # blank and comment-only lines
_LINE_END = re.compile(r"[ \t]*(?:#[^\n]*)?(?:\n|$)(?:[ \t]*(?:#[^\n]*)?(?:\n|$))*")  # the end of a line, and the blank ones after
_KEY_SPLIT = re.compile(rf"[ \t]*({_KEY_PART})[ \t]*(?:\.|$)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class _Beyond(Exception):
    """The text needs the full TOML reader."""


def _refuse(*_: Any) -> Any:
    raise _Beyond


# JSON's numbers, true/false, escape-free strings and arrays read the same in TOML: the C
# JSON decoder reads a value (over several lines for an array) far faster than tomllib.
# What JSON has and TOML has not (objects, NaN/Infinity, escapes) is refused.
@cache
def _decoder(parse_float: Callable[[str], Any]) -> json.JSONDecoder:
    return json.JSONDecoder(parse_float=parse_float, parse_constant=_refuse, object_pairs_hook=_refuse)


def _value(text: str, i: int, decoder: json.JSONDecoder) -> tuple[Any, int]:
    """The value starting at ``i`` and the position after it."""
    try:
        value, end = decoder.raw_decode(text, i)
    except ValueError:
        raise _Beyond from None
    if "\\" in text[i:end] or text.startswith("{", i):
        raise _Beyond
    return value, end


def _keys(dotted: str) -> list[str]:
    """``history . "2"`` → ``["history", "2"]``."""
    if '"' not in dotted and " " not in dotted and "\t" not in dotted:  # the usual bare dotted key
        return dotted.split(".")
    return [part[1:-1] if part.startswith('"') else part for part in _KEY_SPLIT.findall(dotted)]


def _put(table: dict[str, Any], keys: list[str], value: Any) -> None:
    """Set a dotted key as TOML does (beyond the subset: a key defined twice, or under a value)."""
    for key in keys[:-1]:
        table = table.setdefault(key, {})
        if not isinstance(table, dict):
            raise _Beyond
    if keys[-1] in table:
        raise _Beyond
    table[keys[-1]] = value


def parse(text: str, parse_float: Callable[[str], Any] = Decimal) -> dict[str, Any] | None:
    """The document as ``tomllib.loads(text, parse_float=parse_float)`` reads it, or None
    when it is beyond the subset."""
    if "\r" in text:
        if "\r" in text.replace("\r\n", ""):
            return None
        text = text.replace("\r\n", "\n")
    if _CONTROL.search(text):
        return None
    decoder = _decoder(parse_float)
    document: dict[str, Any] = {}
    table, headers = document, set()
    i, end = _BLANK_LINES.match(text).end(), len(text)
    try:
        while i < end:  # each turn reads a key = value line or a header, then the blank lines after it
            key_value = _KEY_VALUE.match(text, i)
            if key_value is not None:
                value, i = _value(text, key_value.end(), decoder)
                _put(table, _keys(key_value.group(1)), value)
            else:
                header = _HEADER.match(text, i)
                if header is None or header.group(1) in headers or header.group(1) in document:
                    raise _Beyond
                headers.add(header.group(1))
                table = document[header.group(1)] = {}
                i = header.end()
            after = _LINE_END.match(text, i)
            if after is None:
                raise _Beyond
            i = after.end()
    except _Beyond:
        return None
    return document
