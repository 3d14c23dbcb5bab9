"""The command line (Typer): the app, its one-line errors, and the commands it discovers
in ``dlsolve.commands``.

Help is plain (``rich_markup_mode=None``): Typer's rich help imports ``rich.markdown`` and
``markdown_it``, which made ``dlsolve --help`` 1.5× slower than importing typer itself.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any, Optional

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError  # typer is pinned below 0.29: click is vendored
from typer.core import TyperGroup

from dlsolve import __version__, commands
from dlsolve.inputs import one_line


class _OneLineErrors(TyperGroup):
    """Usage errors (an unknown option, a bad choice) as one line on stderr, exit 2."""

    def main(self, args: Any = None, prog_name: Any = None, **extra: Any) -> Any:
        try:
            code = super().main(args=args, prog_name=prog_name or "dlsolve", standalone_mode=False, **extra)
        except NoArgsIsHelpError as error:  # plain `dlsolve`: the help, as a normal answer
            print(error.format_message())
            sys.exit(0)
        except ClickException as error:
            where = error.ctx.command_path if getattr(error, "ctx", None) else "dlsolve"
            message = one_line(" ".join(error.format_message().split()))
            print(f"{where}: error: {message} (see {where} --help)", file=sys.stderr)
            sys.exit(error.exit_code)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_OneLineErrors,
    name="dlsolve",
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"dlsolve {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = None,
) -> None:
    """Deep-learning exam exercises solved step by step, the way an examiner wants them
    written. Each command with no inputs solves the course notes' problem; change the
    numbers with options or a problem file (-p FILE).

    \b
    Examples:
      dlsolve backprop                          the notes' 2-2-2 network
      dlsolve backprop --epochs 3 -f markdown -o backprop.md
      dlsolve backprop -p problem.toml --decimals 6
      dlsolve COMMAND --help                    options and examples of a command
    """


for _module in commands.modules():
    app.command(name=_module.NAME, epilog=_module.EPILOG)(_module.command)


def main() -> None:
    """The console-script entry point."""
    app()
