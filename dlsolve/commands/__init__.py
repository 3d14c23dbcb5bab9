"""One module per command, each defining ``NAME`` and ``command`` (the Typer function).

``dlsolve.cli`` discovers them, so adding a solver adds a module here and one under
``dlsolve/solvers/`` (named after the command, ``som-train`` → ``som_train.py``) and
touches nothing else. Modules starting with ``_`` are helpers, not commands.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def modules() -> list[ModuleType]:
    """Every command module, in name order."""
    return [importlib.import_module(f"{__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
            if not info.name.startswith("_")]


def names() -> list[str]:
    """Every command name (``backprop``, ``som-train`` …)."""
    return [module.NAME for module in modules()]
