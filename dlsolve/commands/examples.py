"""``dlsolve examples``: the worked examples (problem files with their Markdown solutions)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NamedTuple, Optional

import typer

from dlsolve.commands._shared import Format, FormatOption, Width
from dlsolve.inputs import InputError

NAME = "examples"
EPILOG = """\b
Examples:
  dlsolve examples
      every worked example: file, command, what problem it is
  dlsolve examples ttest
      only the t-test ones
  dlsolve solve worked_examples/ttest-notes-b.toml
      solve one (its Markdown solution is worked_examples/ttest-notes-b.md)
  dlsolve examples -f markdown
      the list as a Markdown table linking each solution
"""
FOLDER = "worked_examples"


class Example(NamedTuple):
    path: Path
    command: str
    description: str


def command(
    name: Annotated[Optional[str], typer.Argument(metavar="[COMMAND]", help="Only the examples of this command.", show_default=False)] = None,
    folder: Annotated[Optional[str], typer.Option("--dir", metavar="DIR", help=f"The folder of problem files (default: {FOLDER}/ of this dlsolve, else of the current folder).", show_default=False)] = None,
    format: FormatOption = Format.text,
    width: Width = None,
) -> None:
    """List the worked examples: every problem of the course notes and more, each a
    problem file with its worked solution in Markdown next to it (solve one with
    dlsolve solve FILE)."""
    try:
        examples = [e for e in read_examples(find_folder(folder)) if name is None or e.command == name]
        if name is not None and not examples:
            raise InputError("COMMAND", f"no worked example for {name!r}")
    except InputError as error:
        print(f"dlsolve examples: error: {error}", file=sys.stderr)
        raise typer.Exit(2) from None
    if format is Format.text:
        from dlsolve.render.wrap import text_width

        sys.stdout.write(_text(examples, text_width(width)))
    else:
        sys.stdout.write({"json": _json, "markdown": _markdown}[format.value](examples))


def find_folder(given: str | None) -> Path:
    """The worked-examples folder: the one given, the source tree's, or the current folder's."""
    if given is not None:
        folder = Path(given)
        if not folder.is_dir():
            raise InputError("--dir", f"{given} is not a folder")
        return folder
    import dlsolve

    for folder in (Path(dlsolve.__file__).resolve().parent.parent / FOLDER, Path.cwd() / FOLDER):
        if folder.is_dir():
            return folder
    raise InputError("--dir", f"no {FOLDER}/ folder next to the dlsolve package or in the current folder; give one with --dir")


def read_examples(folder: Path) -> list[Example]:
    """Every problem file in ``folder`` (TOML and JSON), in name order; a student's answers
    file (one with an ``[answers]`` table, for ``dlsolve check``) is not a worked example."""
    from dlsolve.problem_file import description, read_table

    examples = []
    for path in sorted([*folder.glob("*.toml"), *folder.glob("*.json")]):
        table = read_table(str(path), "--dir")
        if "answers" not in table:
            examples.append(Example(path, str(table.get("command", "?")), description(table, str(path), "--dir")))
    return examples


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _text(examples: list[Example], width: int) -> str:
    """One row per example: file, command, description (continued under itself, or on the
    rows below when the file and command columns leave it less than half the width)."""
    from dlsolve.render.wrap import fit_text

    if not examples:
        return "No worked examples.\n"
    names = [shown(e.path) for e in examples]
    name_width = max(map(len, names))
    command_width = max(len(e.command) for e in examples)
    column = name_width + command_width + 4
    below = 0 < width < 2 * column
    rows = []
    for name, e in zip(names, examples):
        if below:
            rows += [f"{name.ljust(name_width)}  {e.command}", *fit_text(f"    {e.description}", width, hang=4)]
        else:
            rows += fit_text(f"{name.ljust(name_width)}  {e.command.ljust(command_width)}  {e.description}", width, hang=column)
    rows += ["", *fit_text("Solve one: dlsolve solve FILE. Its worked solution: the .md file of the same name.", width)]
    return "\n".join(row.rstrip() for row in rows) + "\n"


def _markdown(examples: list[Example]) -> str:
    from dlsolve.render.to_markdown import escape

    rows = ["| problem file | command | solution | what it is |", "|---|---|---|---|"]
    for e in examples:
        solution = e.path.with_suffix(".md")
        link = f"[{solution.name}]({solution.name})" if solution.exists() else "—"
        rows.append(f"| `{e.path.name}` | `{e.command}` | {link} | {escape(e.description)} |")
    return "\n".join(rows) + "\n"


def _json(examples: list[Example]) -> str:
    import json

    data = [{"file": shown(e.path), "command": e.command, "description": e.description} for e in examples]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
