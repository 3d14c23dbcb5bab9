"""The terminal rendering: titled steps, aligned tables, the answers, the notes.

The layout is computed here as styled lines (fast, and byte-identical everywhere); rich
only adds the colours when stdout is a terminal. Equations are never wrapped: a long one
stays one line, as a student would copy it.
"""

import sys

from dlsolve.derivation import Derivation, Line, Note, Step, Table
from dlsolve.render.common import flat_answers, format_value, table_cells
from dlsolve.render.plain import plain_line, plain_part

Segment = tuple[str, str]  # (text, rich style)
StyledLine = list[Segment]

INDENT = "  "
_NOTE_MARKS = {"erratum": ("✗ Error in the notes: ", "bold red"), "warning": ("! ", "bold yellow"),
               "convention": ("• ", "dim")}


def _table(table: Table, decimals: int) -> list[StyledLine]:
    """Caption, header, rule and rows; first column left-aligned, the others right-aligned."""
    header, rows = table_cells(table, lambda part: plain_part(part, decimals))
    grid = ([header] if header else []) + rows
    widths = [max(len(row[c]) for row in grid) for c in range(len(grid[0]))]

    def cells(row: list[str]) -> str:
        return "   ".join(cell.ljust(w) if c == 0 else cell.rjust(w) for c, (cell, w) in enumerate(zip(row, widths))).rstrip()

    out: list[StyledLine] = [[(INDENT + plain_line(table.caption, decimals), "italic")]]
    if header:
        out.append([(INDENT + cells(header), "bold")])
        out.append([(INDENT + "─" * (sum(widths) + 3 * (len(widths) - 1)), "dim")])
    out += [[(INDENT + cells(row), "")] for row in rows]
    return out


def _answers(derivation: Derivation, decimals: int) -> list[StyledLine]:
    rows = [(key, format_value(value, decimals)) for key, value in flat_answers(derivation)]
    width = max((len(key) for key, _ in rows), default=0)
    return [[("Answers", "bold cyan")]] + [[(INDENT + key.ljust(width), "bold"), ("  " + value, "")] for key, value in rows]


def _note(note: Note, decimals: int) -> StyledLine:
    mark, style = _NOTE_MARKS[note.kind]
    return [(INDENT + mark, style), (plain_line(note.text, decimals), "")]


def step_lines(number: int, step: Step, decimals: int) -> list[StyledLine]:
    """One step: its numbered title, then its lines and tables."""
    out: list[StyledLine] = [[(f"Step {number}. ", "bold cyan"), (plain_line(step.title, decimals), "bold")]]
    for block in step.body:
        out += [[(INDENT + plain_line(block, decimals), "")]] if isinstance(block, Line) else _table(block, decimals)
    return out


def styled_lines(derivation: Derivation, decimals: int) -> list[StyledLine]:
    """The whole solution as lines of styled segments."""
    out: list[StyledLine] = [[(derivation.title, "bold")], []]
    for number, step in enumerate(derivation.steps, 1):
        out += [*step_lines(number, step, decimals), []]
    out += _answers(derivation, decimals)
    if derivation.notes:
        out += [[], [("Notes", "bold cyan")]]
        out += [_note(note, decimals) for note in derivation.notes]
    return out


def render(derivation: Derivation, decimals: int) -> str:
    """Plain text, no colour: for files, pipes and golden tests."""
    return "".join("".join(text for text, _ in line).rstrip() + "\n" for line in styled_lines(derivation, decimals))


def show(derivation: Derivation, decimals: int) -> None:
    """Print to stdout: in colour on a terminal, else exactly :func:`render`."""
    if not sys.stdout.isatty():
        sys.stdout.write(render(derivation, decimals))
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, markup=False, emoji=False)
    for line in styled_lines(derivation, decimals):
        console.print(Text.assemble(*line), no_wrap=True, overflow="ignore", crop=False)
