"""Problem files (``-p FILE``): TOML or JSON with the long option names as keys.

``command = "som-train"`` at the top says which solver the file is for, and an optional
``description = "…"`` says in one line what problem it is (``dlsolve examples`` lists it);
keys may be spelled with ``-`` or ``_``. Unknown keys are an error that lists the valid ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dlsolve.inputs import InputError

OPTION = "--problem"
DESCRIPTION = "description"


def read_table(path: str, option: str = OPTION) -> dict[str, Any]:
    """The file's top-level table, read as TOML (``.toml``) or JSON (``.json``); a file
    with another suffix is tried as TOML, then as JSON."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(option, f"no such file: {path}") from None
    except IsADirectoryError:
        raise InputError(option, f"{path} is a directory, not a problem file") from None
    except UnicodeDecodeError:
        raise InputError(option, f"{path} is not a UTF-8 text file") from None
    except OSError as error:
        raise InputError(option, f"cannot read {path}: {error.strerror}") from None
    except ValueError:  # e.g. a NUL byte in the name
        raise InputError(option, f"{path!r} is not a valid file name") from None
    suffix = file.suffix.lower()
    parsers = {".toml": [_toml], ".json": [_json]}.get(suffix, [_toml, _json])
    problems = []
    for parse in parsers:
        try:
            table = parse(text)
        except ValueError as error:
            problems.append(str(error))
            continue
        if not isinstance(table, dict):
            raise InputError(option, f"{path} must hold a table of inputs, not {type(table).__name__}")
        return table
    raise InputError(option, f"{path} is not valid {' or '.join(p.__name__[1:].upper() for p in parsers)}: {problems[0]}")


def _toml(text: str) -> Any:
    import tomllib  # only when a problem file is read

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(str(error)) from None


def _json(text: str) -> Any:
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{error.msg} (line {error.lineno}, column {error.colno})") from None


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
