"""dlsolve: deep-learning exam exercises solved step by step.

The Python API (nothing heavy is imported until it is used):

    >>> import dlsolve
    >>> solution = dlsolve.solve("som-train")   # a Solution; in Jupyter, the worked solution
    >>> solution.answers["winners"]
    [1, 1, 2, 2]
    >>> dlsolve.solve("som-train", lr=0.5, epochs="2").answers["learning_rates"]   # inputs as values or as text
    [0.5, 0.5]
    >>> report = dlsolve.check({"winners": [1, 1, 2, 2]}, command="som-train")
    >>> report.all_right
    True

``dlsolve.commands()`` lists the commands; ``help(dlsolve.solve)`` and ``help(dlsolve.check)``
say how to call them. Bad input raises ``dlsolve.InputError`` (a ``ValueError``).
"""

from __future__ import annotations

__version__ = "0.1.0"

# Each export and the module that defines it, imported on first use (PEP 562): ``import
# dlsolve`` (and ``dlsolve --version``) imports no solver, NumPy, Typer or Rich.
_EXPORTS = {
    "solve": "dlsolve.api.solving",
    "Solution": "dlsolve.api.solving",
    "commands": "dlsolve.commands",  # the package of the commands, callable: commands() lists the solvers
    "check": "dlsolve.api.checking",
    "Report": "dlsolve.api.checking",
    "Judged": "dlsolve.api.checking",
    "InputError": "dlsolve.core.inputs",
}
__all__ = ["__version__", *_EXPORTS]

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: `dlsolve --version` needs nothing)
if TYPE_CHECKING:
    from dlsolve.api.checking import Judged, Report, check
    from dlsolve.api.solving import Solution, solve
    from dlsolve.core.inputs import InputError


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'dlsolve' has no attribute {name!r}")
    import importlib

    module = importlib.import_module(_EXPORTS[name])
    value = module if name == "commands" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
