"""``dlsolve examples``: the worked examples (problem files with their Markdown solutions),
shipped with dlsolve as the package ``dlsolve.worked_examples``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NamedTuple, Optional

import typer

from dlsolve.commands._shared import Format, FormatOption, Width
from dlsolve.core.inputs import InputError, one_line

NAME = "examples"
EPILOG = """\b
Examples:
  dlsolve examples
      every worked example: name, command, what problem it is
  dlsolve examples ttest
      only the t-test ones
  dlsolve solve ttest-notes-b
      solve one by its name
  dlsolve examples --copy my-examples
      copy the problem files, answers files and solutions out, to edit
  dlsolve examples -f markdown
      the list as a Markdown table linking each solution
"""
PACKAGE = "dlsolve.worked_examples"
PROBLEM_SUFFIXES = (".toml", ".json")
COPY = "--copy"


class Example(NamedTuple):
    path: Path
    command: str
    description: str


def command(
    name: Annotated[Optional[str], typer.Argument(metavar="[COMMAND]", help="Only the examples of this command.", show_default=False)] = None,
    folder: Annotated[Optional[str], typer.Option("--dir", metavar="DIR", help="Read the problem files of this folder instead of the ones shipped with dlsolve.", show_default=False)] = None,
    copy: Annotated[Optional[str], typer.Option(COPY, metavar="DIR", help="Copy the problem files (with their answers files and solutions) into DIR, to edit; made when missing.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Allow --copy to replace files of the same name.")] = False,
    format: FormatOption = Format.text,
    width: Width = None,
) -> None:
    """List the worked examples: every problem of the course notes and more, each a
    problem file with its worked solution in Markdown (solve one with dlsolve solve NAME)."""
    try:
        if format is Format.html:
            from dlsolve.render.to_html import require

            require()
        source = find_folder(folder)
        examples = [e for e in read_examples(source) if name is None or e.command == name]
        if name is not None and not examples:
            raise InputError("COMMAND", f"no worked example for {name!r}")
        if copy is not None:
            sys.stdout.write(copy_examples(source, name, Path(copy), force))
            return
    except InputError as error:
        print(f"dlsolve examples: error: {error}", file=sys.stderr)
        raise typer.Exit(2) from None
    if format is Format.text:
        from dlsolve.render.wrap import text_width

        sys.stdout.write(_text(examples, shipped=folder is None, width=text_width(width)))
    elif format is Format.html:
        from dlsolve.render.to_html import page

        sys.stdout.write(page(_markdown(examples), "dlsolve: the worked examples"))
    else:
        sys.stdout.write(_json(examples) if format is Format.json else _markdown(examples))


def shipped_folder() -> Path:
    """The folder of the worked examples installed with dlsolve: the package data's folder
    (the checkout's worked_examples/ in an editable install). Found by importing the data
    package, not with importlib.resources, which costs 15-30 ms of imports (tempfile,
    zipfile) for the same folder: dlsolve is never installed zipped."""
    import importlib

    try:
        return Path(importlib.import_module(PACKAGE).__file__).parent
    except ModuleNotFoundError:
        raise InputError("--dir", "this dlsolve was installed without its worked examples: reinstall it "
                                  "(python -m pip install .) or give a folder with --dir") from None


def find_folder(given: str | None) -> Path:
    """The worked-examples folder: the one given, else the shipped one."""
    if given is None:
        return shipped_folder()
    folder = Path(given)
    if not folder.is_dir():
        raise InputError("--dir", f"{given} is not a folder")
    return folder


def _tables(folder: Path) -> list[tuple[Path, dict]]:
    """Every problem and answers file in ``folder`` (TOML and JSON) with its table, in name order."""
    from dlsolve.core.problem_file import read_table

    paths = sorted(path for suffix in PROBLEM_SUFFIXES for path in folder.glob(f"*{suffix}"))
    return [(path, read_table(str(path), "--dir")) for path in paths]


def read_examples(folder: Path) -> list[Example]:
    """Every problem file in ``folder`` (TOML and JSON), in name order; a student's answers
    file (one with an ``[answers]`` table, for ``dlsolve check``) is not a worked example."""
    from dlsolve.core.problem_file import description

    return [Example(path, str(table.get("command", "?")), description(table, str(path), "--dir"))
            for path, table in _tables(folder) if "answers" not in table]


def example_file(name: str, where: str) -> Path:
    """The shipped worked example called ``name`` (``ttest-notes-b``, with or without its
    suffix); else an error for ``where`` that names the closest examples."""
    import difflib

    folder = shipped_folder()
    stem = Path(name).stem if Path(name).suffix in PROBLEM_SUFFIXES else name
    examples = read_examples(folder)
    for example in examples:
        if example.path.stem == stem:
            return example.path
    close = difflib.get_close_matches(stem, [e.path.stem for e in examples], n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(close)}? " if close else ""
    raise InputError(where, f"{name} is neither a file nor a worked example ({hint}dlsolve examples lists them)")


def copy_examples(folder: Path, command_name: str | None, target: Path, force: bool) -> str:
    """Copy the problem and answers files of ``folder`` (those of ``command_name`` only, when
    given) with their Markdown solutions into ``target``; nothing is written when one would
    replace a file without ``force``. Returns the report for the terminal."""
    from dlsolve.core.output import OPTION, write_atomic

    tables = [(path, table) for path, table in _tables(folder) if command_name is None or table.get("command") == command_name]
    chosen = [path for path, _ in tables]
    sources = sorted([*chosen, *(p.with_suffix(".md") for p in chosen if p.with_suffix(".md").is_file())])
    if target.exists() and not target.is_dir():
        raise InputError(COPY, f"{target} is not a folder")
    taken = [p.name for p in sources if (target / p.name).exists()]
    if taken and not force:
        more = f" and {len(taken) - 1} more" if len(taken) > 1 else ""
        raise InputError(COPY, f"{target / taken[0]}{more} exist; add --force to replace them")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(COPY, f"cannot make the folder {target}: {error.strerror}") from None
    for source in sources:
        try:
            write_atomic(str(target / source.name), source.read_text(encoding="utf-8"), force)
        except InputError as error:
            raise InputError(COPY if error.where == OPTION else error.where, error.problem) from None
    problem = next((path.name for path, table in tables if "answers" not in table), "FILE")
    return f"Copied {len(sources)} files to {target}.\nSolve one: dlsolve solve {target / problem}\n"


def _text(examples: list[Example], shipped: bool, width: int) -> str:
    """One row per example: its name (the shipped ones) or its file (a --dir folder's),
    command, description (continued under itself, or on the rows below when the name and
    command columns leave it less than half the width)."""
    from dlsolve.render.wrap import fit_text

    if not examples:
        return "No worked examples.\n"
    examples = [_escaped(e) for e in examples]
    names = [one_line(e.path.stem if shipped else str(e.path)) for e in examples]
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
    how = (["Solve one: dlsolve solve NAME (-f markdown: its worked solution).", "Copy them out to edit: dlsolve examples --copy DIR."]
           if shipped else ["Solve one: dlsolve solve FILE."])
    rows += ["", *(row for sentence in how for row in fit_text(sentence, width))]
    return "\n".join(row.rstrip() for row in rows) + "\n"


def _escaped(example: Example) -> Example:
    """A problem file's command and description as shown on a terminal: control characters escaped."""
    return example._replace(command=one_line(example.command), description=one_line(example.description))


def _markdown(examples: list[Example]) -> str:
    from dlsolve.render.to_markdown import escape

    rows = ["| problem file | command | solution | what it is |", "|---|---|---|---|"]
    for e in examples:
        solution = e.path.with_suffix(".md")
        link = f"[{solution.name}]({solution.name})" if solution.exists() else "—"
        e = _escaped(e)
        rows.append(f"| `{one_line(e.path.name)}` | `{e.command}` | {link} | {escape(e.description)} |")
    return "\n".join(rows) + "\n"


def _json(examples: list[Example]) -> str:
    import json

    data = [{"name": e.path.stem, "file": str(e.path), "command": e.command, "description": e.description} for e in examples]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
