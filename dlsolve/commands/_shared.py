"""What every solver command shares: its common options and the call that runs it."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, Optional

import typer


class Format(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"
    html = "html"


Problem = Annotated[
    Optional[str],
    typer.Option("-p", "--problem", metavar="FILE", help="Read inputs from a TOML or JSON problem file (at most 64 MiB, nested at most 64 deep); options given here override it."),
]
FormatOption = Annotated[Format, typer.Option("-f", "--format", help="text (terminal), markdown (worked solution with math), json, or html (a self-contained page: pip install 'dlsolve[html]').")]
Output = Annotated[
    Optional[str],
    typer.Option("-o", "--output", metavar="PATH", help="Write to PATH instead of the terminal (atomic; never overwrites without --force)."),
]
Force = Annotated[bool, typer.Option("--force", help="Allow --output to replace an existing file.")]
Decimals = Annotated[int, typer.Option("--decimals", min=0, max=15, metavar="N", help="Digits shown in text, markdown and html (computation and JSON are unaffected).")]
Width = Annotated[
    Optional[int],
    typer.Option("--width", min=0, metavar="N", help="Fit text to N columns (0: no limit; default: the terminal's, else $COLUMNS, else 80).",
                 show_default=False),
]
Check = Annotated[
    Optional[str],
    typer.Option("--check", metavar="FILE", help="Check a student's answers file (TOML/JSON, [answers] keys as in --format json) "
                                                 "against this problem's solution instead of showing it; exit 0 all right, 1 some wrong."),
]


def value(metavar: str, help: str) -> Any:
    """A solver input option, read as text and typed by the solver's schema."""
    return typer.Option(metavar=metavar, help=help, show_default=False)


_SHARED = (("problem", Problem, None), ("format", FormatOption, Format.text), ("output", Output, None),
           ("force", Force, False), ("decimals", Decimals, 4), ("check", Check, None), ("width", Width, None))


def solver_command(name: str) -> Callable[[Callable[..., None]], Callable[..., Any]]:
    """Make a function that declares only a solver's own options (and its help, as the
    docstring) into that solver's Typer command: the shared options -p, -f, -o, --force,
    --decimals, --check and --width are appended to its signature, and calling it runs the solver."""

    def decorate(options: Callable[..., None]) -> Callable[..., Any]:
        own = list(inspect.signature(options, eval_str=True).parameters.values())
        shared = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=d, annotation=a) for n, a, d in _SHARED]

        def command(**given: Any) -> None:
            values = {parameter.name: given[parameter.name] for parameter in own}
            run_solver(name, values, *(given[n] for n, _, _ in _SHARED))

        command.__signature__ = inspect.Signature(own + shared)  # type: ignore[attr-defined]
        command.__annotations__ = {parameter.name: parameter.annotation for parameter in own + shared}
        command.__name__, command.__doc__ = options.__name__, options.__doc__
        return command

    return decorate


def run_solver(command: str, values: dict[str, Any], problem: Optional[str], format: Format, output: Optional[str], force: bool,
               decimals: int, check: Optional[str] = None, width: Optional[int] = None) -> None:
    """Solve and write (or check answers: exit 1 when one is wrong); a bad input or an
    unusable answers file becomes one line on stderr and exit code 2."""
    from dlsolve.core.inputs import InputError
    from dlsolve.runner import OutputOptions, run

    try:
        code = run(command, values, OutputOptions(problem, format.value, output, force, decimals, check, width))
    except InputError as error:
        print(f"dlsolve {command}: error: {error}", file=sys.stderr)
        raise typer.Exit(2) from None
    if code:
        raise typer.Exit(code)
