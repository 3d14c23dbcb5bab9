"""The JSON rendering (SPEC "JSON output"): one object, keys in the SPEC's order, answers
unrounded; step lines and notes are the plain-text lines at the default precision, so
``--decimals`` never changes JSON."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable
from typing import Any, TextIO

from dlsolve import __version__
from dlsolve.core import fast_json
from dlsolve.core.derivation import Derivation, Line, Step, Table
from dlsolve.render.common import DEFAULT_DECIMALS, table_cells
from dlsolve.render.plain import plain_line, plain_part


def _table_lines(table: Table) -> list[str]:
    header, rows = table_cells(table, lambda part: plain_part(part, DEFAULT_DECIMALS))
    lines = [plain_line(table.caption, DEFAULT_DECIMALS)]
    if header:
        lines.append(" | ".join(header))
    return lines + [" | ".join(row) for row in rows]


def _step(step: Step) -> dict[str, Any]:
    lines: list[str] = []
    for block in step.body:
        lines += [plain_line(block, DEFAULT_DECIMALS)] if isinstance(block, Line) else _table_lines(block)
    return {"title": plain_line(step.title, DEFAULT_DECIMALS), "lines": lines}


def to_dict(derivation: Derivation) -> dict[str, Any]:
    """The SPEC's JSON object as Python data."""
    return {
        "command": derivation.command,
        "version": __version__,
        "inputs": dict(derivation.inputs),
        "steps": [_step(step) for step in derivation.steps],
        "answers": dict(derivation.answers),
        "notes": [plain_line(note.text, DEFAULT_DECIMALS) for note in derivation.notes],
    }


ONE_LINE_WIDTH = 60  # a list of lists or strings stays on one line up to this many characters


def _scalar(value: Any) -> str:
    """A number, a string, a list of numbers or an empty container, on one line."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except ValueError:  # a non-finite float: solvers refuse the inputs that make them, so this is the rare remainder
        return json.dumps(_spelled(value), ensure_ascii=False, allow_nan=False)


def _nested(value: Any) -> bool:
    """A non-empty list of lists, objects, strings or NumPy arrays (written item by item)."""
    return isinstance(value, list) and bool(value) and (isinstance(value[0], (list, dict, str)) or getattr(value[0], "ndim", 0) > 0)


_SMALL_ARRAY = 64  # entries: a NumPy array up to this size is listed at once, a larger one row by row


def _listed(value: Any) -> Any:
    """A NumPy array as lists: at once when small or a vector, else as the list of its
    rows, each listed when written (memory stays one row's floats, not a matrix's)."""
    if not hasattr(value, "tolist"):
        return value
    if value.ndim < 2 or value.size <= _SMALL_ARRAY:
        return value.tolist()
    return list(value)


def _one_line(value: Any, budget: int) -> str | None:
    """``value`` on one line if it is written so and takes at most ``budget`` characters;
    else None. Gives up early, so a large matrix is never formatted to find it too long."""
    value = _listed(value)
    if isinstance(value, dict) and value:
        return None
    if _nested(value):
        items, used = [], 0
        for item in value:
            text = _one_line(item, min(ONE_LINE_WIDTH, budget) - used - 2)
            if text is None:
                return None
            items.append(text)
            used += len(text) + 2
        return "[" + ", ".join(items) + "]"
    if isinstance(value, list) and 3 * len(value) > budget:  # every number takes a digit and ", "
        return None
    text = _scalar(value)
    return text if len(text) <= budget else None


def _write(value: Any, write: Callable[[str], Any], indent: str = "") -> None:
    """Indented JSON whose innermost lists (vectors, matrix rows) stay on one line, as do
    short nested lists; other lists (step lines, large matrices) get a line per item.
    Written piece by piece: memory stays proportional to one matrix row."""
    row = fast_json.float_row(value)  # a long row of floats: by orjson, when installed
    if row is not None:
        write(row)
        return
    value = _listed(value)
    inner = indent + "  "
    if isinstance(value, dict) and value:
        write("{\n")
        for i, (key, item) in enumerate(value.items()):
            write((",\n" if i else "") + f"{inner}{json.dumps(key, ensure_ascii=False)}: ")
            _write(item, write, inner)
        write("\n" + indent + "}")
        return
    if _nested(value):
        text = _one_line(value, ONE_LINE_WIDTH)
        if text is not None:
            write(text)
            return
        write("[\n")
        for i, item in enumerate(value):
            write(",\n" + inner if i else inner)
            _write(item, write, inner)
        write("\n" + indent + "]")
        return
    write(_scalar(value))


def _spelled(value: Any) -> Any:
    """``value`` with every non-finite float written as the SPEC writes an infinite answer:
    the strings ``"inf"``, ``"-inf"`` (and ``"nan"``), so the output stays strict JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, (list, tuple)):
        return [_spelled(item) for item in value]
    if isinstance(value, dict):
        return {key: _spelled(item) for key, item in value.items()}
    return value


def write(derivation: Derivation, stream: TextIO) -> None:
    """:func:`render`'s text written to ``stream`` piece by piece (a large network's
    millions of numbers are never held as one string)."""
    _write(to_dict(derivation), stream.write)
    stream.write("\n")


def render(derivation: Derivation) -> str:
    """Indented, UTF-8, strict JSON (no NaN/Infinity: a non-finite number is written as a
    string, "inf"), ending with a newline."""
    buffer = io.StringIO()
    write(derivation, buffer)
    return buffer.getvalue()
