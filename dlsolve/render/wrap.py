"""Terminal text that fits the width: the width to use, and long lines broken to fit it.

Every command's text output goes through :func:`fit`, so an equation breaks at ``=``, ``+``, ``−`` or ``·`` with its continuation under the first
``=``, prose breaks between words with a hanging indent, and a number or a parenthesised
group is split only when nothing else fits. Lines are lists of (text, rich style)
segments, so colours survive the breaks. Markdown and JSON never come here.
"""

from __future__ import annotations

import os
import sys

Segment = tuple[str, str]  # (text, rich style)
StyledLine = list[Segment]

DEFAULT_WIDTH = 80
OPERATORS = frozenset("=+−·×≈≤≥<>→←⇒")  # a continuation may start with one; a line never ends with one
_RANK = {**dict.fromkeys("=≈≤≥<>→←⇒", 3), "+": 2, "−": 2, "·": 1, "×": 1}  # an equation breaks before a relation, else a term, else a factor
_GAP = 4  # best of all: a run of spaces, which separates two equations on one line
GLUE = "\u00a0"  # a formula's space inside prose: no break there, unless the formula is too long for half a row
_OPEN, _CLOSE = "([{", ")]}"


def text_width(given: int | None = None) -> int:
    """The width text is fitted to (0: no limit): ``--width`` when given, else the
    terminal's when stdout is one, else ``COLUMNS`` when it is a positive integer, else 80."""
    if given is not None:
        return given
    if sys.stdout.isatty():
        try:
            return os.get_terminal_size(sys.stdout.fileno()).columns
        except (OSError, ValueError):
            pass
    columns = os.environ.get("COLUMNS", "").strip()
    return int(columns) if columns.isdigit() and int(columns) > 0 else DEFAULT_WIDTH


def plain(line: StyledLine) -> str:
    """The line's text without its styles."""
    return "".join(text for text, _ in line)


def fit(line: StyledLine, width: int, hang: int | None = None) -> list[StyledLine]:
    """``line`` as rows no wider than ``width`` (0: as it is); continuation rows start
    ``hang`` columns in (default: under the first ``=`` of an equation, else two columns
    past the line's own indent). A single token wider than the width stays whole."""
    text = plain(line)
    if width <= 0 or len(text) <= width:
        return [_unglued(line)]
    if GLUE in text:
        text = " ".join(word.replace(GLUE, " ") if len(word) > width // 2 else word for word in text.split(" "))
        line = _restyled(text, line)
    equals = _first_equals(text)
    rows = _rows(text, width, _hang(text, width, hang, equals), equals is not None)
    return [_unglued(([(" " * indent, "")] if indent else []) + _slice(line, start, end)) for start, end, indent in rows]


def fit_text(text: str, width: int, hang: int | None = None) -> list[str]:
    """One unstyled line as fitted rows."""
    return [plain(row) for row in fit([(text, "")], width, hang)]


def _indent_of(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _hang(text: str, width: int, hang: int | None, equals: int | None) -> int:
    """The continuation indent, kept to the left half so the rows keep room for text."""
    base = _indent_of(text)
    if hang is None:
        hang = equals if equals is not None else base + 2
    return hang if hang <= width // 2 else min(base + 2, width // 2)


def _first_equals(text: str) -> int | None:
    """The column of an equation's first `` = `` outside brackets (its continuation goes
    under it); None for prose: before that ``=``, a ``:`` ``,`` or ``;`` outside brackets,
    or two words of letters only (``The weights are w₁ = …``)."""
    depth, base = 0, _indent_of(text)
    for i, char in enumerate(text):
        depth = _depth_after(char, depth)
        spaced = i > base and text[i - 1] != " " and text[i + 1 : i + 2] == " "
        if depth == 0 and spaced and char in ":,;":
            return None
        if char == "=" and depth == 0 and i > base and text[i - 1] == " " and text[i + 1 : i + 2] == " ":
            words = sum(len(word) > 1 and word.isascii() and word.isalpha() for word in text[base:i].split())
            return None if words > 1 else i
    return None


def _depth_after(char: str, depth: int) -> int:
    if char in _OPEN:
        return depth + 1
    if char in _CLOSE:
        return max(depth - 1, 0)
    return depth


def _breaks(text: str) -> list[tuple[int, int, bool, int]]:
    """Where a row may end: (end of the row, start of the next, outside brackets, rank of
    what starts the next row: a gap, an operator or a word) for each run of spaces after
    the indent that does not follow an operator."""
    out: list[tuple[int, int, bool, int]] = []
    depth, i, n = 0, _indent_of(text), len(text)
    token = i  # where the current word starts
    while i < n:
        char = text[i]
        if char != " ":
            depth = _depth_after(char, depth)
            i += 1
            continue
        end = i
        while i < n and text[i] == " ":
            i += 1
        if i < n and not (end - token == 1 and text[token] in OPERATORS):
            alone = i + 1 == n or text[i + 1] == " "
            rank = _GAP if i - end > 1 else _RANK.get(text[i], 0) if alone else 0
            out.append((end, i, depth == 0, rank))
        token = i
    return out


def _rows(text: str, width: int, hang: int, equation: bool) -> list[tuple[int, int, int]]:
    """(start, end, indent) of each row: each ends at the break :func:`_choose` picks among
    those that fit; when none fits, at the first one after the token."""
    breaks = _breaks(text)
    rows: list[tuple[int, int, int]] = []
    start, indent, k = 0, 0, 0  # breaks[k:] are the ones after start
    while len(text) > start + width - indent and k < len(breaks):
        limit = start + width - indent
        last = k
        while last < len(breaks) and breaks[last][0] <= limit:
            last += 1
        chosen = _choose(breaks, range(k, last), start, width - indent, equation) if last > k else k
        rows.append((start, breaks[chosen][0], indent))
        start, indent, k = breaks[chosen][1], hang, chosen + 1
    rows.append((start, len(text), indent))
    return rows


def _choose(breaks: list[tuple[int, int, bool, int]], fitting: range, start: int, room: int, equation: bool) -> int:
    """The break a row ends at. An equation: of the breaks outside brackets that fill half
    the row, the last at a gap between equations, else before the highest-ranked operator.
    Prose: the last outside brackets and not before an operator, filling half the row if
    one does. Else the last that fits."""
    outside = [j for j in fitting if breaks[j][2]]
    half = [j for j in outside if 2 * (breaks[j][0] - start) >= room]
    if equation:
        return max(half, key=lambda j: (breaks[j][3], j)) if half else fitting[-1]
    words = [j for j in outside if breaks[j][3] in (0, _GAP)]
    filled = [j for j in words if j in half]
    return filled[-1] if filled else words[-1] if words else fitting[-1]


def _unglued(line: StyledLine) -> StyledLine:
    return [(text.replace(GLUE, " "), style) for text, style in line]


def _restyled(text: str, line: StyledLine) -> StyledLine:
    """``text`` (as long as ``line``'s) cut into ``line``'s segments and styles."""
    out: StyledLine = []
    position = 0
    for piece, style in line:
        out.append((text[position : position + len(piece)], style))
        position += len(piece)
    return out


def _slice(line: StyledLine, start: int, end: int) -> StyledLine:
    """The segments of ``line`` between two character positions, styles kept."""
    out: StyledLine = []
    position = 0
    for text, style in line:
        left, right = max(start - position, 0), min(end - position, len(text))
        if left < right:
            out.append((text[left:right], style))
        position += len(text)
    return out
