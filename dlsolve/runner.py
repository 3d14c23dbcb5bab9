"""From a command's raw options to its rendered solution: read, solve, render, write —
or, with ``--check FILE``, to the check of a student's answers against that solution.

This is the one path every solver command takes (and ``solve FILE``): the CLI only
collects the raw option values and hands them here.
"""

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from dlsolve import topics
from dlsolve.core.derivation import Derivation
from dlsolve.core.inputs import resolve
from dlsolve.core.output import check_destination, write_atomic
from dlsolve.core.problem_file import load_problem


class OutputOptions(NamedTuple):
    """The options every solver takes besides its own inputs."""

    problem: str | None = None
    format: str = "text"
    output: str | None = None
    force: bool = False
    decimals: int = 4
    check: str | None = None  # an answers file to check against the solution
    width: int | None = None  # --width: text fitted to it (0: no limit; None: the terminal's, $COLUMNS or 80)


def resolved_inputs(command: str, cli_values: Mapping[str, Any], problem: str | None = None,
                    values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every input of ``command``'s problem: the command line (its text ``cli_values``; the
    Python API's ``values``) over the problem file over the defaults. The one way in of the
    command line's options and of :func:`dlsolve.solve`'s keywords."""
    solver = topics.load(command)
    names = [field.name for field in solver.FIELDS]
    file_values = load_problem(problem, command, names) if problem else {}
    label = Path(problem).name if problem else "the problem file"
    exclusive = getattr(solver, "EXCLUSIVE_OPTIONS", ())
    return resolve(solver.FIELDS, cli_values, file_values, label, exclusive, values)


def derive(command: str, cli_values: Mapping[str, Any], problem: str | None = None) -> Derivation:
    """Solve ``command`` for the given raw option values (and problem file)."""
    return topics.load(command).solve(resolved_inputs(command, cli_values, problem))


def rendered(derivation: Derivation, format: str, decimals: int, width: int = 0) -> str:
    """The derivation in ``format``, as one string (text fitted to ``width``; 0: no limit)."""
    if format == "json":
        from dlsolve.render import to_json

        return to_json.render(derivation)
    if format == "markdown":
        from dlsolve.render import to_markdown

        return to_markdown.render(derivation, decimals)
    if format == "html":
        from dlsolve.render import to_html

        return to_html.render(derivation, decimals)
    from dlsolve.render import to_text

    return to_text.render(derivation, decimals, width)


def run(command: str, cli_values: Mapping[str, Any], options: OutputOptions) -> int:
    """Solve and show or write the result (or the check of ``options.check`` against it);
    return the exit code. Raises ``InputError`` before writing anything."""
    if options.format == "html":
        from dlsolve.render.to_html import require

        require()
    if options.output is not None:
        check_destination(options.output, options.force)
    inputs = resolved_inputs(command, cli_values, options.problem)
    derivation = topics.load(command).solve(inputs)
    if options.check:
        return _check(derivation, inputs, options)
    from dlsolve.render.wrap import text_width

    width = text_width(options.width)
    if options.output and options.format == "json":
        from dlsolve.render import to_json

        write_atomic(options.output, lambda stream: to_json.write(derivation, stream), options.force)
    elif options.output:
        write_atomic(options.output, rendered(derivation, options.format, options.decimals, width), options.force)
    elif options.format == "text":
        from dlsolve.render import to_text

        to_text.show(derivation, options.decimals, width)
    elif options.format == "json":
        from dlsolve.render import to_json

        to_json.write(derivation, sys.stdout)
    else:
        sys.stdout.write(rendered(derivation, options.format, options.decimals))
    return 0


def _check(derivation: Derivation, inputs: Mapping[str, Any], options: OutputOptions) -> int:
    """``--check FILE``: the student's answers judged against this solution (written
    precision); exit code 0 when every answer is right, 1 otherwise."""
    from dlsolve.checking.report import emit
    from dlsolve.checking.session import Checker

    checker = Checker()
    result = checker.check_against(options.check, derivation, inputs)
    emit([result], checker.rule, options.format, options.output, options.force, options.decimals, width=options.width)
    return 0 if result.all_right else 1
