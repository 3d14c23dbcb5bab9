"""The one module that reaches into typer's private copy of click (``typer._click``, since
typer 0.28 vendors it): the two exceptions typer does not export. Everything else dlsolve
uses comes from typer's public API (``typer.Exit``, ``typer.Abort``, ``typer.core``,
``typer.main.get_command``). If a typer upgrade moves them, this import fails and
tests/test_startup.py says so; dlsolve pins ``typer<0.29``."""

from typer._click.exceptions import ClickException, NoArgsIsHelpError

__all__ = ["ClickException", "NoArgsIsHelpError"]
