"""The command line (Typer): the app, its one-line errors, and its commands — the topics'
(:mod:`dlsolve.topics`) and the others (:mod:`dlsolve.commands`).

Only the command being run is imported and turned into a click command: ``dlsolve --help``
and shell completion list every command from its summary in a static table
(:func:`dlsolve.commands.summaries`), which tests/test_startup.py keeps in step with the
commands' docstrings.

Help is plain (``rich_markup_mode=None``): Typer's rich help imports ``rich.markdown`` and
``markdown_it``, which made ``dlsolve --help`` 1.5× slower than importing typer itself.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from dlsolve import __version__, commands
from dlsolve.process_end import end_now
from dlsolve.vendored_click import ClickException, NoArgsIsHelpError

if TYPE_CHECKING:
    from dlsolve.core.streams import StreamError


def click_command(name: str) -> TyperCommand:
    """Command ``name`` as click runs it (its module imported now, and only it)."""
    module = commands.module(name)
    one = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False)
    one.command(name=module.NAME, epilog=module.EPILOG)(module.command)
    return typer.main.get_command(one)


class _Commands(TyperGroup):
    """The commands, each known by its summary until it is run: the help and shell
    completion list them without importing any."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = {name: TyperCommand(name, help=summary) for name, summary in commands.summaries().items()}

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[Optional[str], Any, list[str]]:
        """The command named first in ``args`` (an unknown name is refused as before), made real."""
        name, command, rest = super().resolve_command(ctx, args)
        if name is not None and command is not None and command.callback is None:  # a summary so far
            command = self.commands[name] = click_command(name)
        return name, command, rest


class _OneLineErrors(_Commands):
    """Every way a run can end, as an exit code and at most one line on stderr: a usage error
    (an unknown option, a bad choice) 2; a standard stream that fails (closed, disk full) 2,
    a pipe closed by its reader (``| head -1``) 0 quietly; Ctrl-C 130; any other exception
    3, an internal error, with its traceback only when ``DLSOLVE_DEBUG=1``."""

    def main(self, args: Any = None, prog_name: Any = None, **extra: Any) -> Any:
        from dlsolve.core.streams import StreamError, flush_stdout, guard

        guard()
        try:
            try:
                code = super().main(args=args, prog_name=prog_name or "dlsolve", standalone_mode=False, **extra)
            except NoArgsIsHelpError as error:  # plain `dlsolve`: the help, as a normal answer
                print(error.format_message())
                code = 0
            except _Ended as ended:
                raise ended.error from None
            flush_stdout()
        except ClickException as error:
            where = error.ctx.command_path if getattr(error, "ctx", None) else "dlsolve"
            message = _one_short_line(" ".join(error.format_message().split()))
            _fail(f"{where}: error: {message} (see {where} --help)", error.exit_code)
        except KeyboardInterrupt:
            _fail("dlsolve: interrupted", 130)
        except StreamError as error:
            _stream_failed(error)
        except Exception as error:  # a bug: never exit 1, which means "a wrong answer"
            _internal_error(error)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        """Run the command; an exception other than click's own is carried past Typer's
        handling (which turns Ctrl-C into a silent 130 and ``EOFError`` into "Aborted!")."""
        try:
            return super().invoke(ctx)
        except (ClickException, typer.Exit, typer.Abort):
            raise
        except (Exception, KeyboardInterrupt) as error:
            raise _Ended(error) from error


class _Ended(Exception):
    """Carries a command's exception out of Typer's handling, unchanged."""

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error


def _fail(line: str, code: int) -> NoReturn:
    try:
        print(line, file=sys.stderr)
    except (OSError, ValueError):  # stderr broken too: the exit code still tells
        pass
    sys.exit(code)


def _one_short_line(text: str) -> str:
    """``text`` as one bounded line (its module is imported on an error path only: the help
    and the version do without it)."""
    from dlsolve.core.inputs import one_line, shortened

    return shortened(one_line(text))


def _stream_failed(error: StreamError) -> NoReturn:
    from dlsolve.core.streams import silence_stdout

    silence_stdout()
    if error.errno == errno.EPIPE:  # the reader has all it wanted (`| head -1`)
        sys.exit(0)
    _fail(f"dlsolve: error: {error}", 2)


def _internal_error(error: Exception) -> NoReturn:
    if os.environ.get("DLSOLVE_DEBUG", "") not in ("", "0"):
        import traceback

        traceback.print_exception(error)
    summary = _one_short_line(f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)
    _fail(f"dlsolve: internal error: {summary} — run again with DLSOLVE_DEBUG=1 for the traceback", 3)


app = typer.Typer(
    cls=_OneLineErrors,
    name="dlsolve",
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
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."),
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


def main() -> NoReturn:
    """The console-script entry point (and ``python -m dlsolve``): the app, then the process
    ends at once. Python's own teardown, which frees every module and object one by one,
    takes longer than a whole solve here (25 ms after NumPy and Typer, measured); what it
    would still do that matters — the exit functions registered with :mod:`atexit` (logging's
    shutdown, ``weakref.finalize``) and flushing stdout and stderr — is done first. The API
    and ``app()`` end normally."""
    try:
        app()
        code: Any = 0
    except SystemExit as done:
        code = done.code
    end_now(code if isinstance(code, int) else 0)
