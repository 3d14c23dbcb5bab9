"""Answer keys: the SPEC's answer names with 1-based dotted indexes into lists and field
names into tables — ``history.2`` (weights after iteration 2), ``history.2.1`` (unit 1's
row of it), ``weights.1`` (backprop: layer 1's matrix), ``layers.3.params``.

Inside the checker a key becomes a *path*: the answer name, then 0-based list indexes and
field names (``("history", 1, 0)``). A field name matches with ``-`` and ``_`` taken as the
same (an answers file's keys are read with ``-`` as ``_``; activation's ``values.leaky-relu``),
and the path holds the solution's own spelling.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from dlsolve.core.inputs import InputError

Path = tuple[int | str, ...]


def key_text(path: Path) -> str:
    """``("history", 1, 0)`` → ``"history.2.1"``."""
    return ".".join(str(p + 1) if isinstance(p, int) else p for p in path)


def valid_keys(answers: Mapping[str, Any]) -> str:
    """Every key a file may use for this problem, compactly: ``history, history.1 … history.4``."""
    out = []
    for name, value in answers.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            out.append(f"{name}.1 … {name}.{len(value)} (each with .{', .'.join(value[0])})")
        elif isinstance(value, dict) and value:
            out.append(f"{name}.{f', {name}.'.join(value)}")
        elif isinstance(value, list) and len(value) > 1:
            out.append(f"{name}, {name}.1 … {name}.{len(value)}")
        else:
            out.append(name)
    return ", ".join(out)


def locate(answers: Mapping[str, Any], key: str, where: str) -> tuple[Path, Any]:
    """The path of ``key`` and the solution's value there; InputError for a key this
    problem has no answer for (listing the valid ones)."""
    name, *parts = key.split(".")
    if name not in answers:
        import difflib

        close = difflib.get_close_matches(key, [k for n, v in answers.items() for k in _near_keys(n, v)], n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise InputError(where, f"unknown answer {key!r} ({hint}the answers of this problem: {valid_keys(answers)})")
    path: list[int | str] = [name]
    value = answers[name]
    for part in parts:
        index = _index(part)
        if isinstance(value, list) and index is not None and 1 <= index <= len(value):  # the usual case first
            path.append(index - 1)
            value = value[index - 1]
        elif isinstance(value, dict) and (field := _field(value, part)) is not None:
            path.append(field)
            value = value[field]
        else:
            raise InputError(where, f"{key}: {_no_item(key_text(tuple(path)), value, part)}")
    return tuple(path), value


def _field(table: Mapping[str, Any], part: str) -> str | None:
    """The field of ``table`` that ``part`` names, ``-`` and ``_`` alike, as the table spells it."""
    if part in table:  # the usual case first
        return part
    wanted = part.replace("-", "_")
    return next((field for field in table if field.replace("-", "_") == wanted), None)


def spelt(key: str, path: Path) -> str:
    """``key`` with its field names as the solution spells them (``path``, from :func:`locate`):
    ``values.leaky_relu`` → ``values.leaky-relu``; indexes stay as written."""
    return ".".join(part if isinstance(step, int) else step for part, step in zip(key.split("."), path))


def _index(part: str) -> int | None:
    """A key part as a 1-based index: ASCII digits only ("²" and "٣" are digits to
    ``str.isdigit``), and one longer than any list, whose ``int()`` Python refuses beyond
    4,300 digits, simply too large."""
    if not (part.isascii() and part.isdigit()):
        return None
    return int(part) if len(part) <= 18 else 10**18


def _no_item(here: str, value: Any, part: str) -> str:
    """Why ``value`` (the answer at ``here``) has no item ``part``."""
    if isinstance(value, list):
        index = _index(part)
        if index is None:
            return f"{here} is a list; index it with 1 … {len(value)}, not {part!r}"
        first = "indexes start at 1; " if index == 0 else ""
        return f"{first}{here} has {len(value)} item{'s' if len(value) != 1 else ''} ({here}.1 … {here}.{len(value)})"
    if isinstance(value, dict):
        return f"{here} has the fields {', '.join(value)}, not {part!r}"
    if value is None:
        return f"{here} has no value in this problem (it is null), so it has no items"
    return f"{here} is a single value, not a list"


def _near_keys(name: str, value: Any) -> list[str]:
    """Keys to suggest for a misspelt one."""
    if isinstance(value, list):
        return [name, *(f"{name}.{i}" for i in range(1, min(len(value), 50) + 1))]
    if isinstance(value, dict):
        return [name, *(f"{name}.{field}" for field in value)]
    return [name]


def get(value: Any, path: Path) -> Any:
    """The item of ``value`` at ``path`` (relative), or None when it has no such item."""
    for part in path:
        try:
            value = value[part]
        except (IndexError, KeyError, TypeError):
            return None
    return value


def put(value: Any, path: Path, item: Any) -> Any:
    """A copy of ``value`` with ``item`` at ``path`` (relative); ``value`` unchanged when it has no such place."""
    if not path:
        return item
    out = copy.deepcopy(value)
    holder = get(out, path[:-1])
    try:
        holder[path[-1]] = item
    except (IndexError, KeyError, TypeError):
        return value
    return out


def lookup(values: Mapping[Path, Any], path: Path, expected: Any) -> tuple[Any, list[Path]] | None:
    """An alternative value for the answer at ``path`` from a table of alternatives keyed by
    path (a slip's values, or the values carried forward): the entry at ``path`` or at an
    ancestor (indexed down), else the expected value with the entries below ``path`` put in.
    Returns the value and the entries used, or None when no entry concerns ``path``."""
    for cut in range(len(path), 0, -1):
        if path[:cut] in values:
            item = get(values[path[:cut]], path[cut:])
            return (item, [path[:cut]]) if item is not None else None
    below = [p for p in values if len(p) > len(path) and p[: len(path)] == path]
    if not below:
        return None
    out = expected
    for p in below:
        out = put(out, p[len(path):], values[p])
    return out, below
