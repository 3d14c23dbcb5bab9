"""The solvers: one module per command, named after it (``som-train`` → ``som_train``),
each with ``FIELDS`` (its inputs; defaults = the course notes' problem) and
``solve(inputs) -> Derivation``. A module is imported only when its command runs, so
``dlsolve --help`` never pays for NumPy."""

from __future__ import annotations

import importlib
from types import ModuleType


def load(command: str) -> ModuleType:
    """The solver module of ``command`` (``"som-train"`` → ``dlsolve.solvers.som_train``)."""
    return importlib.import_module(f"dlsolve.solvers.{command.replace('-', '_')}")
