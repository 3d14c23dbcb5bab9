"""The solvers: one module per command, named after it (``som-train`` → ``som_train``),
each with ``FIELDS`` (its inputs; defaults = the course notes' problem) and
``solve(inputs) -> Derivation``. A module is imported only when its command runs, so
``dlsolve --help`` never pays for NumPy.

A command read from a file (an answers file's or a problem file's ``command``) is looked up
in :func:`names` before anything is imported: "activations", "__init__" or "a.b" name modules
here or elsewhere that are not solvers."""

from __future__ import annotations

import importlib
from functools import lru_cache
from types import ModuleType

from dlsolve.core.inputs import InputError


@lru_cache(maxsize=1)
def names() -> tuple[str, ...]:
    """The solver commands: the commands (``dlsolve.commands``) that have a module here."""
    from dlsolve.commands import solver_names

    return tuple(solver_names())


def not_a_solver(command: object) -> str:
    """Why ``command`` names no solver: ``is not a solver (did you mean …? one of …)``."""
    import difflib

    close = difflib.get_close_matches(str(command), names(), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"is not a solver ({hint}one of {', '.join(names())})"


def load(command: str) -> ModuleType:
    """The solver module of ``command`` (``"som-train"`` → ``dlsolve.topics.som_train.solve``);
    InputError for a name that is not a solver command (nothing is imported for it)."""
    if command not in names():
        raise InputError("command", f"{command!r} {not_a_solver(command)}")
    return importlib.import_module(f"dlsolve.topics.{command.replace('-', '_')}.solve")
