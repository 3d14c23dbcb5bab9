"""What every renderer shares: numbers written into lines, large tables elided, and the
answers flattened into ``key.i`` rows."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any, Callable

from dlsolve.core.derivation import Derivation, Line, Num, Part, Table
from dlsolve.core.numbers import format_number

DEFAULT_DECIMALS = 4
MAX_TABLE_ROWS = 12  # beyond this, show the first and last rows with ⋮ between
MAX_TABLE_COLUMNS = 10
MAX_VECTOR = 12  # answers longer than this are shortened in text and markdown
MAX_MATRIX_ENTRIES = 36


def format_part(part: Part, decimals: int, in_math: bool) -> str:
    """One part of a line as text: strings as they are, numbers written to ``decimals``."""
    if isinstance(part, str):
        return part
    if isinstance(part, Num):
        text = format_number(part.value, decimals, latex=in_math, exact=part.exact)
        misreads = part.value < 0 or "times" in text or "e" in text  # −0.2 or 2 × 10⁻⁵ next to an operator
        return f"({text})" if part.paren and misreads else text
    return format_number(part, decimals, latex=in_math)


def line_source(line: Line, decimals: int) -> str:
    """The line as one string of prose and ``$LaTeX$`` with its numbers written in."""
    out: list[str] = []
    in_math = False
    for part in line.parts:
        text = format_part(part, decimals, in_math)
        if isinstance(part, str) and text.count("$") % 2:
            in_math = not in_math
        out.append(text)
    return "".join(out)


def split_math(source: str) -> list[tuple[bool, str]]:
    """``"a $x$ b"`` → ``[(False, "a "), (True, "x"), (False, " b")]``."""
    pieces = source.split("$")
    return [(i % 2 == 1, piece) for i, piece in enumerate(pieces) if piece]


def is_display(source: str) -> bool:
    """A line that is exactly one equation (shown on its own, centred, in Markdown)."""
    pieces = split_math(source)
    return len(pieces) == 1 and pieces[0][0] and source.startswith("$") and source.endswith("$")


def elide(items: Sequence[Any], limit: int, gap: Any) -> list[Any]:
    """At most ``limit`` items: the first and last ones with ``gap`` in the middle."""
    if len(items) <= limit:
        return list(items)
    head = (limit - 1) // 2 + (limit - 1) % 2
    tail = limit - 1 - head
    return [*items[:head], gap, *items[len(items) - tail :]]


def table_cells(table: Table, cell: Callable[[Part], str], gap_row: str = "⋮", gap_column: str = "…") -> tuple[list[str], list[list[str]]]:
    """Header and rows of a table as strings, elided to a screen (only kept cells are formatted)."""
    columns = len(table.rows[0]) if table.rows else len(table.header)
    keep = elide(list(range(columns)), MAX_TABLE_COLUMNS, None)

    def pick(values: Sequence[Part]) -> list[str]:
        return [cell(values[i]) if i is not None else gap_column for i in keep]

    head = pick(table.header) if table.header else []
    shown = elide(table.rows, MAX_TABLE_ROWS, None) if table.elide else table.rows
    rows = [pick(row) if row is not None else [gap_row] * len(keep) for row in shown]
    return head, rows


def flat_answers(derivation: Derivation) -> Iterator[tuple[str, Any]]:
    """Answers as (key, value) rows; ``listed`` answers give one row per item (``key.1`` …)
    and dictionaries one row per field (``layers.2.params``)."""
    for key, value in derivation.answers.items():
        if key in derivation.listed and isinstance(value, list):
            for i, item in enumerate(value, 1):
                yield from _flatten(f"{key}.{i}", item)
        else:
            yield from _flatten(key, value)


def _flatten(key: str, value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for sub, item in value.items():
            yield from _flatten(f"{key}.{sub}", item)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        for i, item in enumerate(value, 1):
            yield from _flatten(f"{key}.{i}", item)
    else:
        yield key, value


def format_value(value: Any, decimals: int) -> str:
    """An answer as plain text: a number, ``a, b, c`` for a vector, ``a, b; c, d`` for a
    matrix (the command-line syntax, which also reads the true minus − that the steps use),
    shortened when large."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        return format_number(value, decimals, latex=False).replace("-", "−")
    if hasattr(value, "tolist"):  # a NumPy array: sized without a copy, listed only when shown
        if value.ndim > 1 and value.size > MAX_MATRIX_ENTRIES:
            return _sized(list(value.shape))
        value = value.tolist()
    if value and isinstance(value[0], list):
        shape, item = [], value
        while isinstance(item, list) and item:
            shape.append(len(item))
            item = item[0]
        if math.prod(shape) > MAX_MATRIX_ENTRIES:
            return _sized(shape)
        return "; ".join(format_value(row, decimals) for row in value)
    if len(value) > MAX_VECTOR:  # only the values shown are formatted
        shown = elide(value, MAX_VECTOR, _GAP)
        return ", ".join("…" if v is _GAP else format_value(v, decimals) for v in shown) + f" ({len(value)} values)"
    return ", ".join(format_value(v, decimals) for v in value)


_GAP = object()  # where a long vector is elided


def _sized(shape: list[int]) -> str:
    """A matrix or array too large to show: its shape."""
    kind = "matrix" if len(shape) == 2 else "array"
    return f"{' × '.join(map(str, shape))} {kind} (every value is in --format json)"
