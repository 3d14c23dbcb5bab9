"""From a command's raw options to its rendered solution: read, solve, render, write.

This is the one path every solver command takes (and ``solve FILE`` later): the CLI only
collects the raw option values and hands them here.
"""

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from dlsolve import solvers
from dlsolve.derivation import Derivation
from dlsolve.inputs import resolve
from dlsolve.output import check_destination, write_atomic
from dlsolve.problem_file import load_problem


class OutputOptions(NamedTuple):
    """The options every solver takes besides its own inputs."""

    problem: str | None = None
    format: str = "text"
    output: str | None = None
    force: bool = False
    decimals: int = 4


def derive(command: str, cli_values: Mapping[str, Any], problem: str | None = None) -> Derivation:
    """Solve ``command`` for the given raw option values (and problem file)."""
    solver = solvers.load(command)
    names = [field.name for field in solver.FIELDS]
    file_values = load_problem(problem, command, names) if problem else {}
    label = Path(problem).name if problem else "the problem file"
    exclusive = getattr(solver, "EXCLUSIVE_OPTIONS", ())
    return solver.solve(resolve(solver.FIELDS, cli_values, file_values, label, exclusive))


def rendered(derivation: Derivation, format: str, decimals: int) -> str:
    """The derivation in ``format``, as one string."""
    if format == "json":
        from dlsolve.render import to_json

        return to_json.render(derivation)
    if format == "markdown":
        from dlsolve.render import to_markdown

        return to_markdown.render(derivation, decimals)
    from dlsolve.render import to_text

    return to_text.render(derivation, decimals)


def run(command: str, cli_values: Mapping[str, Any], options: OutputOptions) -> None:
    """Solve and show or write the result. Raises ``InputError`` before writing anything."""
    if options.output:
        check_destination(options.output, options.force)
    derivation = derive(command, cli_values, options.problem)
    if options.output:
        write_atomic(options.output, rendered(derivation, options.format, options.decimals), options.force)
    elif options.format == "text":
        from dlsolve.render import to_text

        to_text.show(derivation, options.decimals)
    else:
        sys.stdout.write(rendered(derivation, options.format, options.decimals))
