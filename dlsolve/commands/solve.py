"""``dlsolve solve FILE``: solve a problem file whatever its command."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from dlsolve.commands._shared import Check, Decimals, Force, Format, FormatOption, Output, Width
from dlsolve.core.inputs import InputError

NAME = "solve"
EPILOG = """\b
Examples:
  dlsolve solve som-train-notes
      a worked example by its name (dlsolve examples lists them)
  dlsolve solve ttest-notes-b -f markdown -o ttest-b.md
      its worked solution as Markdown, written to a file
  dlsolve solve my-problem.toml
      a problem file: its command = "som-train" picks the solver
  dlsolve solve my-problem.json -f json
      JSON problem files work too; the answers for a script
  dlsolve solve bp.toml --check my-answers.toml
      check a student's answers against the file's solution
  dlsolve examples
      the worked examples that come with dlsolve
"""


def command(
    file: Annotated[str, typer.Argument(metavar="FILE", help='A TOML or JSON problem file with command = "..." and the inputs, '
                                                           "or the name of a worked example.", show_default=False)],
    format: FormatOption = Format.text,
    output: Output = None,
    force: Force = False,
    decimals: Decimals = 4,
    check: Check = None,
    width: Width = None,
) -> None:
    """Solve a problem file, or a worked example by its name, whatever its command: the
    file's command key picks the solver.

    Same keys as the command's long options (with _ for -), e.g. command = "som-train",
    samples = [[1, 0], [0, 1]], lr = 0.5. Every output option of the solvers works here,
    and --check FILE checks a student's answers against the solution.
    """
    from dlsolve.core.problem_file import OPTION, read_table
    from dlsolve.runner import OutputOptions, run

    try:
        file = problem_path(file)
        name = command_of(read_table(file, ARGUMENT), file)
        code = run(name, {}, OutputOptions(file, format.value, output, force, decimals, check, width))
    except InputError as error:
        where = ARGUMENT if error.where == OPTION else error.where  # the file is an argument here, not -p
        print(f"dlsolve solve: error: {InputError(where, error.problem)}", file=sys.stderr)
        raise typer.Exit(2) from None
    if code:
        raise typer.Exit(code)


ARGUMENT = "FILE"


def problem_path(given: str) -> str:
    """The file to solve: ``given`` when it is a path or a file here, else the shipped
    worked example of that name (``ttest-notes-b``)."""
    if Path(given).exists() or "/" in given or "\\" in given:
        return given
    from dlsolve.commands.examples import example_file

    return str(example_file(given, ARGUMENT))


def command_of(table: dict[str, Any], path: str) -> str:
    """The solver a problem file is for: its ``command`` key, which must name a solver."""
    from dlsolve import topics

    name = table.get("command")
    if name is None:
        raise InputError(ARGUMENT, f'{path} has no command key; add e.g. command = "som-train" (one of {", ".join(topics.TOPICS)})')
    if name not in topics.TOPICS:
        raise InputError(ARGUMENT, f"command {name!r} in {path} {topics.not_a_solver(name)}")
    return name
