"""The commands that are no topic's: ``check``, ``examples``, ``practice`` and ``solve``, one
module each defining ``NAME``, ``EPILOG`` and ``command`` (the Typer function); ``_shared``
holds what every command shares. A topic's command is in its folder (:mod:`dlsolve.topics`).

The module is callable: ``dlsolve.commands()`` (the Python API) lists the solvers with their
summaries. (``dlsolve.commands`` is this package as soon as any command is imported, so the
API's function can only be this module's call.)
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

# Each command's summary in ``dlsolve --help``, as :data:`dlsolve.topics.SUMMARIES`.
SUMMARIES = {
    "check": "Check students' answers against the solutions: each answer right or wrong, with the tolerance applied, the step "
             "it comes from, the slip a wrong one matches, and whether it is right given the student's own earlier answers "
             "(error carried forward).",
    "examples": "List the worked examples: every problem of the course notes and more, each a problem file with its worked "
                "solution in Markdown (solve one with dlsolve solve NAME).",
    "practice": "A fresh exercise with exam-friendly numbers, stated the way an exam states it.",
    "solve": "Solve a problem file, or a worked example by its name, whatever its command: the file's command key picks the solver.",
}
COMMANDS = tuple(SUMMARIES)


def summaries() -> dict[str, str]:
    """Every command (the topics' and these) and its summary, in the order of the help."""
    from dlsolve import topics

    every = {**topics.SUMMARIES, **SUMMARIES}
    return {name: every[name] for name in sorted(every)}


def names() -> list[str]:
    """Every command's name, in the order ``dlsolve --help`` lists them."""
    return list(summaries())


def module(name: str) -> ModuleType:
    """The module of command ``name`` (a topic's folder or a module here)."""
    if name in COMMANDS:
        return importlib.import_module(f"{__name__}.{name}")
    from dlsolve import topics

    return topics.command(name)


class _Callable(ModuleType):
    def __call__(self) -> dict[str, str]:
        """Every solver ``dlsolve.solve`` and ``dlsolve.check`` take, with its one-line summary."""
        from dlsolve.api.solving import commands

        return commands()


sys.modules[__name__].__class__ = _Callable
