"""Problem files (``-p FILE``): TOML or JSON with the long option names as keys.

``command = "som-train"`` at the top says which solver the file is for, and an optional
``description = "…"`` says in one line what problem it is (``dlsolve examples`` lists it);
keys may be spelled with ``-`` or ``_``. Unknown keys are an error that lists the valid ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dlsolve.core.inputs import InputError

OPTION = "--problem"
DESCRIPTION = "description"


def read_table(path: str, option: str = OPTION) -> dict[str, Any]:
    """The file's top-level table, read as TOML (``.toml``) or JSON (``.json``); a file
    with another suffix is tried as TOML, then as JSON. Size and nesting are capped
    (:mod:`dlsolve.core.data_file`)."""
    from dlsolve.core.data_file import read

    table = read(path, option, "problem file")
    if not isinstance(table, dict):
        raise InputError(option, f"{path} must hold a table of inputs, not {type(table).__name__}")
    return table


def load_problem(path: str, command: str, names: Iterable[str]) -> dict[str, Any]:
    """The inputs a problem file gives for ``command``, keyed by snake_case input name."""
    table = read_table(path)
    file_command = table.pop("command", command)
    if file_command != command:
        raise InputError(OPTION, f"{path} is a problem for {file_command!r}, not {command!r}")
    description(table, path)
    table.pop(DESCRIPTION, None)
    import difflib

    valid = list(names)
    values = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in valid:
            hint = difflib.get_close_matches(name, valid, n=1)
            suggestion = f"did you mean {hint[0]!r}? " if hint else ""
            raise InputError(OPTION, f"unknown key {key!r} in {path} ({suggestion}valid keys: command, {DESCRIPTION}, {', '.join(valid)})")
        values[name] = value
    return values


def description(table: dict[str, Any], path: str, option: str = OPTION) -> str:
    """The file's one-line ``description`` ("" when it has none); it must be text."""
    text = table.get(DESCRIPTION, "")
    if not isinstance(text, str):
        raise InputError(option, f"{DESCRIPTION} in {path} must be text (in quotes), not {type(text).__name__}")
    return " ".join(text.split())
