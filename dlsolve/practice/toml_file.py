"""Writing a problem file (``--save-problem``): TOML that ``dlsolve solve`` reads back.

Only what problem files hold: text, true/false, whole numbers, decimals, and lists (of
lists) of them. Decimals are written by ``repr``, the shortest text that reads back as the
same float, so the saved problem is exactly the generated one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"TOML problem files hold finite numbers, not {value}")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, (list, tuple)):
        items = [_value(item) for item in value]
        if value and isinstance(value[0], (list, tuple)):  # a matrix: one row per line, no trailing comma (fast to read back)
            return "[\n" + ",\n".join(f"  {item}" for item in items) + "\n]"
        return "[" + ", ".join(items) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to a problem file")


def dumps(table: Mapping[str, Any], comments: Iterable[str] = ()) -> str:
    """The table as TOML (top-level keys only), after the comment lines (each starting with ``#``)."""
    lines = [row.rstrip() for row in comments]
    if any(not row.startswith("#") or "\n" in row for row in lines):
        raise ValueError("every comment line must start with # and be one line")
    lines += [f"{key} = {_value(value)}" for key, value in table.items()]
    return "\n".join(lines) + "\n"
