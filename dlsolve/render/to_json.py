"""The JSON rendering (SPEC "JSON output"): one object, keys in the SPEC's order, answers
unrounded; step lines and notes are the plain-text lines at the default precision, so
``--decimals`` never changes JSON."""

from __future__ import annotations

import json
import math
from typing import Any

from dlsolve import __version__
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


def _dumps(value: Any, indent: str = "") -> str:
    """Indented JSON whose innermost lists (vectors, matrix rows) stay on one line, as do
    short nested lists; other lists (step lines, large matrices) get a line per item."""
    inner = indent + "  "
    if isinstance(value, dict) and value:
        items = ",\n".join(f"{inner}{json.dumps(key, ensure_ascii=False)}: {_dumps(item, inner)}" for key, item in value.items())
        return "{\n" + items + "\n" + indent + "}"
    if isinstance(value, list) and value and isinstance(value[0], (list, dict, str)):
        items = [_dumps(item, inner) for item in value]
        if sum(len(item) + 2 for item in items) <= 60 and not any("\n" in item for item in items):
            return "[" + ", ".join(items) + "]"
        return "[\n" + ",\n".join(inner + item for item in items) + "\n" + indent + "]"
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except ValueError:  # a non-finite float: solvers refuse the inputs that make them, so this is the rare remainder
        return json.dumps(_spelled(value), ensure_ascii=False, allow_nan=False)


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


def render(derivation: Derivation) -> str:
    """Indented, UTF-8, strict JSON (no NaN/Infinity: a non-finite number is written as a
    string, "inf"), ending with a newline."""
    return _dumps(to_dict(derivation)) + "\n"
