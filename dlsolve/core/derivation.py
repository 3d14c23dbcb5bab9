"""The data a solver returns: a worked derivation, independent of any output format.

Records are ``NamedTuple``s: immutable like frozen dataclasses, but about seven times
cheaper to define (~0.13 ms against ~1 ms each here), which every command's start-up pays.

A line of a step is a tuple of *parts*: strings (prose, with math between ``$…$`` in a
restricted LaTeX subset) and numbers. Numbers stay numbers until a renderer formats them
with the user's ``--decimals``, so a solver never decides how a value is printed.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, Union, overload


class Num(NamedTuple):
    """A number shown in a line; ``paren`` wraps it in parentheses where it would misread
    next to an operator — negative or in powers of ten (``0.5 · (−0.2)``, ``(2 × 10⁻⁵)²``);
    ``exact`` shows it in full instead of to ``--decimals``."""

    value: float
    paren: bool = False
    exact: bool = False


Part = Union[str, int, float, Num]


class Line(NamedTuple):
    """One written line: prose and ``$math$`` strings interleaved with numbers."""

    parts: tuple[Part, ...]


def line(*parts: Part) -> Line:
    """Build a line from its parts: ``line("$w_5 = ", 0.4, "$")``."""
    return Line(tuple(parts))


def math(*parts: Part) -> Line:
    """A line that is one equation: the parts are wrapped in ``$…$``."""
    return Line(("$", *parts, "$"))


def joined(items: Sequence[Part | Sequence[Part]], sep: str) -> tuple[Part, ...]:
    """The parts of ``items`` with ``sep`` between them (each item a part or a run of parts)."""
    out: list[Part] = []
    for i, item in enumerate(items):
        if i:
            out.append(sep)
        if isinstance(item, (str, int, float, Num)):
            out.append(item)
        else:
            out.extend(item)
    return tuple(out)


class Table(NamedTuple):
    """A small table (a matrix, a per-unit summary); cells are parts.

    ``caption`` says what it holds; ``header`` may be empty. Renderers elide the middle
    of very large tables (rows and columns beyond a screen) unless ``elide`` is False.
    """

    caption: Line
    header: tuple[Part, ...]
    rows: Sequence[tuple[Part, ...]]  # a lazy sequence lets a large matrix build only the rows shown
    elide: bool = True  # False: every row is shown (a summary a reader needs whole)


class Rows(Sequence[tuple[Part, ...]]):
    """A large matrix's table rows, each built only when a renderer shows it (a screen shows
    a dozen of a thousand rows): ``Rows(len(M), lambda i: (i + 1, *M[i].tolist()))``."""

    def __init__(self, count: int, row: Callable[[int], tuple[Part, ...]]) -> None:
        self.count, self.row = count, row

    def __len__(self) -> int:
        return self.count

    @overload
    def __getitem__(self, index: int) -> tuple[Part, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[Part, ...]]: ...
    def __getitem__(self, index: int | slice) -> tuple[Part, ...] | list[tuple[Part, ...]]:
        if isinstance(index, slice):
            return [self.row(i) for i in range(*index.indices(self.count))]
        if not -self.count <= index < self.count:
            raise IndexError(index)
        return self.row(index % self.count)


Block = Union[Line, Table]


class Step(NamedTuple):
    """A titled step of the solution.

    ``answers`` names the answer keys (dotted, 1-based: ``"weights.2"``) whose value this
    step derives, so a checker can say which step a wrong answer comes from.
    """

    title: Line
    body: tuple[Block, ...]
    answers: tuple[str, ...] = ()


class Note(NamedTuple):
    """A remark after the solution. ``erratum`` marks a place where the course notes'
    hand-worked value is wrong; ``convention`` states a choice the solution made."""

    text: Line
    kind: str = "convention"  # "convention" | "erratum" | "warning"


class Derivation(NamedTuple):
    """A worked solution: the inputs used, the steps, the named answers (unrounded,
    plain Python values: floats, ints, bools, strings, lists — or NumPy arrays for large
    matrices, which take a quarter of a list's memory; :func:`plain` turns them into
    lists) and the notes.

    ``listed`` names the answers that are lists of per-layer / per-iteration items,
    shown one item per row as ``key.1``, ``key.2`` …
    """

    command: str
    title: str
    inputs: Mapping[str, Any]
    steps: tuple[Step, ...]
    answers: Mapping[str, Any]
    notes: tuple[Note, ...] = ()
    listed: frozenset[str] = frozenset()


def plain(value: Any) -> Any:
    """``value`` with every NumPy array (or NumPy number) in it, inside dicts, lists and
    tuples, turned into plain Python lists and floats: what the checker compares."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if type(value) in (list, tuple):
        return type(value)(plain(item) for item in value)
    return value.tolist() if hasattr(value, "tolist") else value
