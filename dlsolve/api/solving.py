"""``dlsolve.solve``: a command's problem solved from Python, the way the command line
solves it — the same defaults, the same validation and messages, the same path
(:func:`dlsolve.runner.resolved_inputs`, then the solver).

Keyword values are read two ways. A string is command-line text (``lr="0.5"``,
``samples="1,0; 0,1"``); for an option the command line repeats (``--weights`` once per
layer) a string is one repetition and a list of strings is all of them. Anything else —
numbers, lists, tuples, NumPy arrays — is read as a problem file's value (``lr=0.5``,
``samples=[[1, 0], [0, 1]]``). Either way an error names the option as the command line
does (``--lr: must be > 0, got -1``).
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from dlsolve import topics
from dlsolve.core.data_file import MAX_DEPTH
from dlsolve.core.inputs import Flag, InputError, option

if TYPE_CHECKING:
    from dlsolve.core.derivation import Derivation

MAX_DECIMALS = 15  # as --decimals


class StepText(NamedTuple):
    """One step of a solution as plain text: its title and its lines (as in ``-f json``)."""

    title: str
    lines: tuple[str, ...]


class Solution:
    """A solved problem. ``answers``, ``inputs``, ``notes`` and ``steps`` are plain Python
    data; ``text()``, ``markdown()``, ``json()`` and ``html()`` render it as the command's
    ``-f`` formats do. A notebook shows it as Markdown with math; ``print`` shows the text."""

    __slots__ = ("derivation",)

    def __init__(self, derivation: Derivation) -> None:
        self.derivation = derivation

    @property
    def command(self) -> str:
        return self.derivation.command

    @property
    def title(self) -> str:
        return self.derivation.title

    @property
    def inputs(self) -> dict[str, Any]:
        """Every input of the problem solved (defaults filled in), as ``-f json`` lists them."""
        return dict(self.derivation.inputs)

    @property
    def answers(self) -> dict[str, Any]:
        """The SPEC's named results, unrounded (``-f json``'s ``answers``)."""
        return dict(self.derivation.answers)

    @property
    def notes(self) -> tuple[str, ...]:
        """The conventions used and where the course notes differ, as plain text."""
        from dlsolve.render import to_json

        return tuple(to_json.to_dict(self.derivation)["notes"])

    @property
    def steps(self) -> tuple[StepText, ...]:
        """Every step, its formulas with the numbers substituted, as plain text."""
        from dlsolve.render import to_json

        return tuple(StepText(step["title"], tuple(step["lines"])) for step in to_json.to_dict(self.derivation)["steps"])

    def text(self, width: int | None = None, decimals: int = 4) -> str:
        """The terminal's text, fitted to ``width`` columns (0: no limit; None: $COLUMNS, else 80)."""
        from dlsolve.render.wrap import text_width
        from dlsolve.runner import rendered

        return rendered(self.derivation, "text", checked_decimals(decimals), text_width(checked_width(width)))

    def markdown(self, decimals: int = 4) -> str:
        """The worked solution in Markdown, formulas in ``$…$`` and ``$$…$$``."""
        from dlsolve.runner import rendered

        return rendered(self.derivation, "markdown", checked_decimals(decimals))

    def json(self) -> str:
        """The ``-f json`` document (answers unrounded)."""
        from dlsolve.runner import rendered

        return rendered(self.derivation, "json", 4)

    def html(self, decimals: int = 4) -> str:
        """One self-contained HTML page (``-f html``)."""
        from dlsolve.runner import rendered

        require_html()
        return rendered(self.derivation, "html", checked_decimals(decimals))

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        names = list(self.derivation.answers)
        shown = ", ".join(names[:6]) + (", …" if len(names) > 6 else "")
        return f"<Solution {self.command}: {len(self.derivation.steps)} steps; answers: {shown}>"


def require_html() -> None:
    """HTML output's renderer and libraries, or a clear error: NotImplementedError where this
    version has no ``-f html``; InputError naming what to install, as ``-f html`` says it."""
    import importlib.util

    if importlib.util.find_spec("dlsolve.render.to_html") is None:
        raise NotImplementedError("HTML output (-f html) is not part of this version of dlsolve; use .markdown()")
    from dlsolve.render.to_html import require

    require()


def checked_width(width: Any) -> int | None:
    """``width`` checked as ``--width`` is (None, or a whole number ≥ 0)."""
    if width is not None and (isinstance(width, bool) or not isinstance(width, int) or width < 0):
        raise InputError("width", f"must be a whole number ≥ 0 (0: no limit), got {width!r}")
    return width


def checked_decimals(decimals: Any) -> int:
    """``decimals`` checked as ``--decimals`` is (a whole number from 0 to 15)."""
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= MAX_DECIMALS:
        raise InputError("decimals", f"must be a whole number from 0 to {MAX_DECIMALS}, got {decimals!r}")
    return decimals


def commands() -> dict[str, str]:
    """Every command ``solve`` and ``check`` take, with its one-line summary."""
    return dict(topics.SUMMARIES)


def solve(command: str, /, problem: str | os.PathLike[str] | None = None, **inputs: Any) -> Solution:
    """Solve ``command``'s problem and return the worked :class:`Solution`.

    ``command`` is a solver's name (``dlsolve.commands()`` lists them); ``problem`` a
    problem file (TOML or JSON, as ``-p``); each keyword is an input named as its long
    option with ``_`` (``--lr-decay`` → ``lr_decay``), given as a Python value (a number,
    a list, a tuple, a NumPy array) or as command-line text (``"1,0; 0,1"``). Inputs not
    given are the problem file's, else the course notes' problem. An option the command
    line repeats (backprop's ``--weights``, once per layer) takes a list, an item per
    repetition. ``dlsolve COMMAND --help`` lists a command's inputs. A bad input raises
    :class:`dlsolve.InputError` (a ``ValueError``) with the command line's message.

    >>> import dlsolve
    >>> dlsolve.solve("som-train").answers["winners"]
    [1, 1, 2, 2]
    >>> dlsolve.solve("som-train", lr=0.5, epochs=2, lr_decay="0.5").inputs["lr"]
    0.5

    In Jupyter a ``Solution`` shows itself as the worked solution with math.
    """
    return Solution(topics.load(command).solve(resolved(command, inputs, problem)))


def resolved(command: str, inputs: Mapping[str, Any], problem: Any = None) -> dict[str, Any]:
    """Every input of the problem ``solve`` solves, as the command line resolves its options."""
    from dlsolve.runner import resolved_inputs

    texts, values = _read_keywords(command, inputs)
    return resolved_inputs(command, texts, None if problem is None else file_path(problem, "problem", "a problem file"), values)


def file_path(value: Any, name: str, kind: str) -> str:
    """``value`` (a ``str`` or a path object) as a path; InputError naming ``name`` for anything else."""
    path = os.fspath(value) if isinstance(value, os.PathLike) else value
    if not isinstance(path, str):
        raise InputError(name, f"expected the path of {kind}, got {type(value).__name__}")
    return path


def _read_keywords(command: str, inputs: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The keywords as command-line text and as problem-file values, keyed by input name;
    InputError for a command or keyword that does not exist."""
    fields = {field.name: field for field in topics.load(command).FIELDS}
    names = list(fields)
    repeated = _repeated_options(command)
    texts: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for key, value in inputs.items():
        name = key.replace("-", "_")
        if name not in fields:
            raise InputError(key, _not_an_input(name, command, names))
        if isinstance(fields[name].kind, Flag):  # on or off: True or False only ("false" is no flag's text)
            values[name] = value
        elif isinstance(value, str):
            texts[name] = [value] if name in repeated else value
        elif name in repeated and isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
            texts[name] = list(value)
        elif value is not None:
            values[name] = plain(value, option(name))
    return texts, values


def _not_an_input(name: str, command: str, names: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, names, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"is not an input of {command} ({hint}its inputs: {', '.join(names)})"


def _repeated_options(command: str) -> frozenset[str]:
    """The inputs the command line takes once per item (``--weights`` per layer): their text is a list."""
    import inspect

    parameters = inspect.signature(topics.command(command).command).parameters.values()
    return frozenset(parameter.name for parameter in parameters if _is_list(parameter.annotation))


def _is_list(annotation: Any) -> bool:
    """Whether a (possibly ``Annotated``, ``Optional``) annotation is a ``list``."""
    from typing import get_args, get_origin

    return get_origin(annotation) is list or any(_is_list(argument) for argument in get_args(annotation))


_PLAIN = {float, int, str, bool, type(None)}


def plain(value: Any, where: str, depth: int = 0) -> Any:
    """A Python value as a problem file holds it: NumPy arrays and scalars (anything with
    ``tolist``: torch tensors too) as lists and numbers, tuples as lists, other real numbers (``Fraction``,
    ``Decimal``) as floats; what is left is left for the input's reader to refuse with its
    message. Nested at most as deep as a problem file may be."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if depth > MAX_DEPTH:
        raise InputError(where, f"is nested more than {MAX_DEPTH} deep")
    tolist = getattr(value, "tolist", None)
    if callable(tolist):  # a NumPy array (nested lists of Python numbers, at most 64 deep) or scalar
        return tolist()
    if isinstance(value, (list, tuple)):
        if set(map(type, value)) <= _PLAIN:  # a row of numbers: as it is, checked in a C loop
            return value if isinstance(value, list) else list(value)
        return [plain(item, where, depth + 1) for item in value]
    from decimal import Decimal

    if isinstance(value, (numbers.Real, Decimal)):
        try:
            return float(value)
        except (OverflowError, ValueError):  # Fraction(10**400); Decimal("sNaN")
            raise InputError(where, f"{str(value)[:40]!r} is not a finite float") from None
    return value


solve.__doc__ = (solve.__doc__ or "") + "\n    The commands:\n\n" + "".join(
    f"    {name:<16}{summary}\n" for name, summary in topics.SUMMARIES.items())
