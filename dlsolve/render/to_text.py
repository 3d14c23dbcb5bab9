"""The terminal rendering: titled steps, aligned tables, the answers, the notes.

The layout is computed here as styled lines (fast, and byte-identical everywhere); rich
only adds the colours when stdout is a terminal. Lines are fitted to a width (0: no limit)
by :mod:`dlsolve.render.wrap`; a table too wide is split into groups of columns, each
repeating the row labels.
"""

import sys

from dlsolve.core.derivation import Derivation, Line, Note, Step, Table
from dlsolve.render.common import flat_answers, format_value, table_cells
from dlsolve.render.plain import plain_line, plain_part
from dlsolve.render.wrap import StyledLine, fit

INDENT = "  "
_NOTE_MARKS = {"erratum": ("✗ Error in the notes: ", "bold red"), "warning": ("! ", "bold yellow"),
               "convention": ("• ", "dim")}


def _table(table: Table, decimals: int, width: int) -> list[StyledLine]:
    """Caption, header, rule and rows; the first column left-aligned, the others right-aligned;
    split into groups of columns (each repeating the labels) when wider than ``width``, or
    turned when even one column beside the labels is too wide."""
    header, rows = table_cells(table, lambda part: plain_part(part, decimals))
    grid = ([header] if header else []) + rows
    widths = [max(len(row[c]) for row in grid) for c in range(len(grid[0]))]
    out = fit([(INDENT + plain_line(table.caption, decimals, glue=True), "italic")], width)
    groups = _column_groups(header, widths, width)
    if any(len(INDENT) + sum(widths[c] for c in group) + 3 * (len(group) - 1) > width > 0 for group in groups):
        return out + _turned(header, rows, _labels(header) if header else 1, width)
    for number, group in enumerate(groups):
        out += ([[]] if number else []) + _table_part([header] if header else [], rows, widths, group)
    return out


def _turned(header: list[str], rows: list[list[str]], labels: int, width: int) -> list[StyledLine]:
    """A table too wide even for one column beside the labels, turned: each row's labels
    on a line, then one ``column  value`` line per other column."""
    names = header or [""] * len(rows[0])
    name_width = max(len(name) for name in names[labels:])
    out: list[StyledLine] = []
    for row in rows:
        out += fit([(INDENT + "   ".join(cell for cell in row[:labels] if cell.strip()), "bold")], width)
        for name, cell in zip(names[labels:], row[labels:]):
            out += fit([(INDENT * 2 + name.ljust(name_width) + "  ", "dim"), (cell, "")], width, hang=len(INDENT) * 2 + name_width + 2)
    return out


def _labels(header: list[str]) -> int:
    """How many leading columns label the rows: the first, and the unnamed ones after it."""
    count = 1
    while count < len(header) and not header[count].strip():
        count += 1
    return count


def _column_groups(header: list[str], widths: list[int], width: int) -> list[list[int]]:
    """The columns of each part of the table: all of them when they fit, else the label
    columns followed by as many of the others as fit (at least one)."""
    total = len(INDENT) + sum(widths) + 3 * (len(widths) - 1)
    labels = min(_labels(header), len(widths) - 1) if header else 1
    if width <= 0 or total <= width or len(widths) <= labels + 1:
        return [list(range(len(widths)))]
    label_width = len(INDENT) + sum(widths[:labels]) + 3 * (labels - 1)
    groups: list[list[int]] = []
    used = width  # forces a new group for the first column
    for c in range(labels, len(widths)):
        if used + 3 + widths[c] > width:
            groups.append(list(range(labels)))
            used = label_width
        groups[-1].append(c)
        used += 3 + widths[c]
    return groups


def _table_part(head: list[list[str]], rows: list[list[str]], widths: list[int], columns: list[int]) -> list[StyledLine]:
    """Header, rule and rows of the given columns."""

    def cells(row: list[str]) -> str:
        return "   ".join(row[c].ljust(widths[c]) if c == 0 else row[c].rjust(widths[c]) for c in columns).rstrip()

    out: list[StyledLine] = []
    for header in head:
        out.append([(INDENT + cells(header), "bold")])
        out.append([(INDENT + "─" * (sum(widths[c] for c in columns) + 3 * (len(columns) - 1)), "dim")])
    return out + [[(INDENT + cells(row), "")] for row in rows]


def _answers(derivation: Derivation, decimals: int, width: int) -> list[StyledLine]:
    """The answers as ``key  value`` rows; a long value continues under its column."""
    rows = [(key, format_value(value, decimals)) for key, value in flat_answers(derivation)]
    key_width = max((len(key) for key, _ in rows), default=0)
    out: list[StyledLine] = [[("Answers", "bold cyan")]]
    for key, value in rows:
        out += fit([(INDENT + key.ljust(key_width), "bold"), ("  " + value, "")], width, hang=len(INDENT) + key_width + 2)
    return out


def _note(note: Note, decimals: int, width: int) -> list[StyledLine]:
    """A note after its mark; its continuation rows under the text."""
    mark, style = _NOTE_MARKS[note.kind]
    return fit([(INDENT + mark, style), (plain_line(note.text, decimals, glue=True), "")], width, hang=len(INDENT) + 2)


def step_lines(number: int, step: Step, decimals: int, width: int = 0) -> list[StyledLine]:
    """One step: its numbered title, then its lines and tables, fitted to ``width``."""
    title = f"Step {number}. "
    out = fit([(title, "bold cyan"), (plain_line(step.title, decimals, glue=True), "bold")], width, hang=len(title))
    for block in step.body:
        out += fit([(INDENT + plain_line(block, decimals, glue=True), "")], width) if isinstance(block, Line) else _table(block, decimals, width)
    return out


def styled_lines(derivation: Derivation, decimals: int, width: int = 0) -> list[StyledLine]:
    """The whole solution as lines of styled segments, fitted to ``width`` (0: no limit)."""
    out = fit([(derivation.title, "bold")], width) + [[]]
    for number, step in enumerate(derivation.steps, 1):
        out += [*step_lines(number, step, decimals, width), []]
    out += _answers(derivation, decimals, width)
    if derivation.notes:
        out += [[], [("Notes", "bold cyan")]]
        for note in derivation.notes:
            out += _note(note, decimals, width)
    return out


def as_text(lines: list[StyledLine]) -> str:
    """Styled lines as plain text, each ending in a newline, no trailing spaces."""
    return "".join("".join(text for text, _ in line).rstrip() + "\n" for line in lines)


def print_lines(lines: list[StyledLine]) -> None:
    """Print styled lines to stdout: in colour on a terminal, else exactly :func:`as_text`.
    The lines are already fitted, so rich neither wraps nor crops them."""
    if not sys.stdout.isatty():
        sys.stdout.write(as_text(lines))
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, markup=False, emoji=False)
    for line in lines:
        console.print(Text.assemble(*line), no_wrap=True, overflow="ignore", crop=False)


def render(derivation: Derivation, decimals: int, width: int = 0) -> str:
    """Plain text, no colour, fitted to ``width`` (0: no limit): for files, pipes and golden tests."""
    return as_text(styled_lines(derivation, decimals, width))


def show(derivation: Derivation, decimals: int, width: int = 0) -> None:
    """Print to stdout: in colour on a terminal, else exactly :func:`render`."""
    print_lines(styled_lines(derivation, decimals, width))
