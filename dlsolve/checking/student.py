"""The student's values standing in for the solution's, for recomputing what follows from
them (error carried forward) and what a slip would have given from where the student was.

A student may give a whole answer (``history``), one item (``history.2``) or a part of one
(``history.2.1``): :meth:`Student.value` puts every given part that fits over the value it is
asked for. A given value of the wrong shape or kind is left out (it is judged wrong anyway).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from dlsolve.checking.keys import Path, get, put


def _plain(value: Any, like: Any) -> Any:
    """The given value in the solution's types: a float where the solution has a float (a
    whole number written "0" included), an int where it has an int (a winner written 2.0)."""
    if isinstance(value, list) and like and type(like[0]) is float:
        return [float(v) for v in value]
    if isinstance(value, list):
        return [_plain(v, l) for v, l in zip(value, like)]
    if isinstance(value, dict):
        return {k: _plain(v, like[k]) for k, v in value.items()}
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return int(value) if isinstance(like, int) and not isinstance(like, bool) else float(value)
    return value


_NUMBERS = (Decimal, int, float)


def _fits(given: Any, like: Any) -> bool:
    """Same nesting and lengths, and a number where a number is (a bool is not a number)."""
    if isinstance(like, list):
        if not isinstance(given, list) or len(given) != len(like):
            return False
        if like and type(like[0]) is float:  # a vector: every given value a finite number
            return all(type(g) in _NUMBERS and (type(g) is not Decimal or g.is_finite()) for g in given)
        return all(_fits(g, l) for g, l in zip(given, like))
    if isinstance(like, dict):
        return isinstance(given, dict) and all(k in like and _fits(v, like[k]) for k, v in given.items())
    if isinstance(like, bool) or isinstance(given, bool):
        return isinstance(like, bool) and isinstance(given, bool)
    if isinstance(like, (int, float)):
        if isinstance(given, Decimal):
            return given.is_finite() and (not isinstance(like, int) or given == given.to_integral_value())
        return isinstance(given, int)
    return isinstance(given, type(like))


class Student:
    """The given answers, by path (answer name first, then 0-based indexes and fields)."""

    def __init__(self, given: Iterable[tuple[Path, Any]]) -> None:
        self._by_name: dict[str, list[tuple[Path, Any]]] = {}
        self._at: dict[Path, Any] = {}  # each given answer by its path
        for path, value in sorted(given, key=lambda item: len(item[0])):  # whole answers first, parts after
            self._by_name.setdefault(str(path[0]), []).append((path, value))
            self._at[path] = value
        self._above = {path[:cut] for path in self._at for cut in range(1, len(path))}  # paths with a part given
        self._converted: dict[Path, Any] = {}  # a given answer in the solution's types, converted once

    def names(self) -> set[str]:
        """The answers the student gave (some part of)."""
        return set(self._by_name)

    def _overlapping(self, path: Path) -> list[tuple[Path, Any]]:
        return [(p, v) for p, v in self._by_name.get(str(path[0]), ()) if p[: len(path)] == path[: len(p)]]

    def value(self, path: Path, base: Any) -> Any:
        """``base`` (the value at ``path`` as the solution or a recomputation has it) with the
        student's values put in wherever they gave them."""
        out = base.tolist() if hasattr(base, "tolist") else base
        if str(path[0]) not in self._by_name:
            return out
        if path in self._at and path not in self._above and not any(path[:cut] in self._at for cut in range(1, len(path))):
            if path not in self._converted:  # the usual case: just this answer given, as a whole
                given = self._at[path]
                self._converted[path] = _plain(given, out) if _fits(given, out) else None
            return out if self._converted[path] is None else self._converted[path]
        for given_path, given in self._overlapping(path):
            if len(given_path) <= len(path):  # the student gave this value or a whole containing it
                item = get(given, path[len(given_path):])
                if item is not None and _fits(item, out):
                    out = _plain(item, out)
            else:  # the student gave a part of it
                rest = given_path[len(path):]
                target = get(out, rest)
                if target is not None and _fits(given, target):
                    out = put(out, rest, _plain(given, target))
        return out
