"""Importing a module as if from a program's top level, whatever the depth of the caller.

CPython 3.11 and 3.12 keep Python's frames in 16 KiB chunks and free a chunk as soon as the
frame at its base returns (CPython issue gh-142183; 3.13 and 3.14 keep a spare chunk since
their releases of spring 2026). Importing NumPy makes some 20,000 calls; run deep in a
command's stack (click, Typer, the checker) with a chunk boundary among them, each such call
maps and unmaps a chunk. Measured on `dlsolve check` of one file: 1,800 pairs of system calls
and about 40 ms, a sixth of the whole run; `ttest` and `regularize` lost as much. From the
bottom of a fresh thread's stack, as from a program's top level, the import stays inside one
chunk: two system calls.
"""

from __future__ import annotations

import importlib
import sys
import threading
from types import ModuleType


def import_module(name: str) -> ModuleType:
    """``importlib.import_module(name)``; a module not loaded yet is imported at the bottom
    of a fresh thread's frame stack while the caller waits, and what the import raises is
    raised here. Called while a module is being imported (from a module's top level), it
    imports directly: the thread might need that module, and would wait for this one."""
    if name in sys.modules or _importing():
        return importlib.import_module(name)
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["module"] = importlib.import_module(name)
        except BaseException as error:  # raised again in the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name=f"import {name}", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["module"]  # type: ignore[return-value]


def _importing() -> bool:
    """Whether some module is still running its top level (importlib marks its spec)."""
    return any(getattr(getattr(module, "__spec__", None), "_initializing", False) for module in list(sys.modules.values()))
