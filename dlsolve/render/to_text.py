"""The terminal rendering (rich): titled steps, an answers table, the notes."""

from __future__ import annotations

import io
import sys

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table as RichTable
from rich.text import Text

from dlsolve.derivation import Derivation, Line, Note, Step, Table
from dlsolve.render.common import flat_answers, format_value, table_cells
from dlsolve.render.plain import plain_line, plain_part

FILE_WIDTH = 100  # fixed width when not writing to a terminal: byte-identical output
_NOTE_MARKS = {"erratum": ("✗ Notes' error: ", "bold red"), "warning": ("! ", "bold yellow"), "convention": ("• ", "dim")}


def _table(table: Table, decimals: int) -> RenderableType:
    header, rows = table_cells(table, lambda part: plain_part(part, decimals))
    grid = RichTable(
        title=plain_line(table.caption, decimals), title_justify="left", title_style="italic",
        show_header=bool(header), header_style="bold", show_edge=False, pad_edge=False,
        box=box.SIMPLE_HEAD if header else None,
    )
    for column, name in enumerate(header or rows[0]):
        grid.add_column(name if header else "", justify="right" if column else "left", no_wrap=True)
    for row in rows:
        grid.add_row(*row)
    return grid


def _step(number: int, step: Step, decimals: int) -> RenderableType:
    title = Text(f"Step {number}. ", style="bold cyan") + Text(plain_line(step.title, decimals), style="bold")
    body: list[RenderableType] = []
    for block in step.body:
        if isinstance(block, Line):
            body.append(Text(plain_line(block, decimals), no_wrap=True, overflow="ignore"))  # never break an equation
        else:
            body.append(_table(block, decimals))
    return Group(title, Padding(Group(*body), (0, 0, 1, 2)))


def _answers(derivation: Derivation, decimals: int) -> RenderableType:
    grid = RichTable(title="Answers", title_justify="left", title_style="bold cyan", show_header=False,
                     show_edge=False, box=None, pad_edge=False, padding=(0, 2, 0, 0))
    grid.add_column("answer", style="bold", no_wrap=True)
    grid.add_column("value")
    for key, value in flat_answers(derivation):
        grid.add_row(key, format_value(value, decimals))
    return Padding(grid, (0, 0, 1, 0))


def _note(note: Note, decimals: int) -> Text:
    mark, style = _NOTE_MARKS[note.kind]
    return Text(mark, style=style) + Text(plain_line(note.text, decimals))


def renderable(derivation: Derivation, decimals: int) -> RenderableType:
    """The whole solution as one rich renderable."""
    parts: list[RenderableType] = [Padding(Text(derivation.title, style="bold"), (0, 0, 1, 0))]
    parts += [_step(i, step, decimals) for i, step in enumerate(derivation.steps, 1)]
    parts.append(_answers(derivation, decimals))
    if derivation.notes:
        parts.append(Text("Notes", style="bold cyan"))
        parts += [Padding(_note(n, decimals), (0, 0, 0, 2)) for n in derivation.notes]
    return Group(*parts)


def render(derivation: Derivation, decimals: int, width: int = FILE_WIDTH) -> str:
    """Plain text (no colour) at a fixed width: for files, pipes and golden tests."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False, markup=False,
                      emoji=False, soft_wrap=False, legacy_windows=False)
    console.print(renderable(derivation, decimals))
    return "\n".join(row.rstrip() for row in buffer.getvalue().split("\n"))


def show(derivation: Derivation, decimals: int) -> None:
    """Print to the terminal: colour and the terminal's width when stdout is a terminal,
    otherwise the same bytes as :func:`render`."""
    if sys.stdout.isatty():
        Console(highlight=False, markup=False, emoji=False).print(renderable(derivation, decimals))
    else:
        sys.stdout.write(render(derivation, decimals))
