"""The Markdown rendering: a worked solution with ``$…$``/``$$…$$`` math that renders on
GitHub, in Jupyter and with pandoc.

Layout: a heading per step, matrices as Markdown tables, one equation per ``$$`` block on
lines of its own (an equation wider than :data:`ROW_BUDGET` broken into ``aligned`` rows),
the answers in a summary table, the notes' errors as quoted paragraphs that open with a
bold "Warning:" (GitHub's ``> [!WARNING]`` alerts show literally in Jupyter and pandoc).
Math inside running text has its fractions written with a slash (a stacked fraction there
is too small to read), and ``--flags`` in prose are code (pandoc would make ``--`` a dash).

Math that survives every renderer. GitHub runs its Markdown parser over the math before
MathJax sees it, so a backslash before punctuation is eaten (``\\,`` ``\\{`` ``\\|``
``\\_`` …), two underscores or asterisks in a paragraph can turn into emphasis, and
``<`` before a letter can start an HTML tag; Jupyter and pandoc take the math verbatim.
:func:`safe_math` rewrites the LaTeX into forms that mean the same to MathJax, KaTeX and
pandoc and that no Markdown parser touches: named macros for the punctuation ones
(``\\thinspace``, ``\\lbrace``, ``\\Vert``), ``\\ast`` for ``*``, a space after an ``_`` that
could open emphasis (TeX ignores it), a space after ``<``. Prose has Markdown's special
characters (``_ * $ | < > [ ] # ~`` …) backslash-escaped.
"""

from __future__ import annotations

import re

from dlsolve.core.derivation import Derivation, Line, Note, Part, Step, Table
from dlsolve.core.latex import aligned_rows, slash_fractions
from dlsolve.render.common import flat_answers, format_value, is_display, line_source, split_math, table_cells
from dlsolve.render.plain import cell_line

_PROSE_SPECIALS = re.compile(r"([\\`*_\[\]<>|#$~&])")
_BLOCK_START = re.compile(r"^(\s*)([-+*]|\d+[.)]|=+)(\s|$)")  # a list item or setext rule if left as is
_FLAG = re.compile(r"(?<![\w`-])--[A-Za-z][\w-]*")
_CALLOUTS = {"erratum": "Warning: error in the course notes.", "warning": "Note:", "convention": ""}
ROW_BUDGET = 80  # characters of a display row's Unicode rendering (latex.width): about 34 em
# A row break that survives GitHub: its Markdown pass reads \\ as an escaped \, so \\\ + space
# arrives as \\ + space (a row break); renderers that take math verbatim read \\ and then a
# control space, which lands in the next row's left cell, right-aligned and narrower than it.
ROW_BREAK = " \\\\\\ "

# LaTeX whose backslash GitHub's Markdown would eat (a backslash before punctuation), in
# forms MathJax 3, KaTeX and pandoc's texmath all know: the thin and medium spaces become a
# control space (texmath lacks \thinspace, MathJax 3 \medspace; KaTeX lacks \text{_})
_NAMED = {r"\,": r"\ ", r"\:": r"\ ", r"\>": r"\ ", r"\;": r"\ ",
          r"\|": r"\Vert", r"\{": r"\lbrace", r"\}": r"\rbrace", r"\_": r"\underline{\ }"}
_TEX_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|.", re.DOTALL)


def safe_math(tex: str) -> str:
    """``tex`` in a form every Markdown renderer passes to the math engine unchanged."""
    out: list[str] = []
    tokens = [t for t in _TEX_TOKEN.findall(tex) if t != r"\!"]  # a negative space, dropped before its neighbours are judged
    for i, token in enumerate(tokens):
        after = tokens[i + 1] if i + 1 < len(tokens) else " "  # a formula's last _ has nothing to open
        before = out[-1][-1] if out and out[-1] else "$"  # its first char follows the $ (punctuation)
        if token in _NAMED:
            token = _NAMED[token]
            if token[-1:].isalpha() and after[0].isalpha():
                token += " "  # \\Vert x, not \\Vertx
        elif token == "*":
            token = r"{\ast}"
        elif token == "~":
            token = r"\ "
        elif token == "_" and not before.isalnum() and not after[0].isspace():
            token = "_ "  # an underscore after punctuation could open emphasis; one before a space cannot
        elif token == "<" and (after[0].isalpha() or after[0] in "/!?"):
            token = "< "  # never the start of an HTML tag
        out.append(token)
    return "".join(out)


def escape(prose: str) -> str:
    """Prose with Markdown's special characters backslash-escaped and ``--flags`` as code."""
    pieces, start = [], 0
    for flag in _FLAG.finditer(prose):
        pieces += [_PROSE_SPECIALS.sub(r"\\\1", prose[start:flag.start()]), f"`{flag.group()}`"]
        start = flag.end()
    return "".join(pieces) + _PROSE_SPECIALS.sub(r"\\\1", prose[start:])


def inline(source: str, in_table: bool = False) -> str:
    """A line's source (prose and ``$math$``) as Markdown: prose escaped, math made safe
    (and ``|`` written ``\\vert`` in a table, whose cells ``|`` would split)."""
    out = []
    for is_math, text in split_math(source):
        if is_math:
            tex = safe_math(slash_fractions(text.strip()))
            out.append("$" + (tex.replace("|", r"\vert ") if in_table else tex) + "$")
        else:
            out.append(escape(text))
    return "".join(out)


def paragraph(source: str) -> str:
    """An inline line as a paragraph: also escape what would start a list or a rule."""
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}{m.group(2)[:-1]}\\{m.group(2)[-1]}{m.group(3)}", inline(source), count=1)


def display_math(tex: str) -> str:
    """A display equation, safe for every renderer, in ``aligned`` rows when it is too wide."""
    rows = aligned_rows(tex, ROW_BUDGET)
    if len(rows) == 1:
        return safe_math(tex)
    return r"\begin{aligned} " + ROW_BREAK.join(safe_math(row) for row in rows) + r" \end{aligned}"


def blocks(line: Line, decimals: int) -> list[str]:
    """A line as Markdown lines: a display equation (``$$`` block) or a paragraph."""
    source = line_source(line, decimals)
    if is_display(source):
        return ["$$", display_math(source[1:-1].strip()), "$$", ""]
    return [paragraph(source), ""]


def _cell(part: Part, decimals: int) -> str:
    return inline(line_source(cell_line(part), decimals), in_table=True)


def _table(table: Table, decimals: int) -> list[str]:
    header, rows = table_cells(table, lambda part: _cell(part, decimals))
    width = len(header or rows[0])
    header = header or [" "] * width
    lines = [f"*{inline(line_source(table.caption, decimals))}*", ""]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join(["---"] + ["---:"] * (width - 1)) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def _step(number: int, step: Step, decimals: int, level: int) -> list[str]:
    lines = [f"{'#' * (level + 1)} Step {number}. {inline(line_source(step.title, decimals))}", ""]
    for block in step.body:
        lines += blocks(block, decimals) if isinstance(block, Line) else _table(block, decimals)
    return lines


def _note(note: Note, decimals: int) -> list[str]:
    text = inline(line_source(note.text, decimals))
    lead = _CALLOUTS[note.kind]
    if not lead:
        return [f"- {text}"]
    return ["", f"> **{lead}** {text}", ""]


def tidy(lines: list[str]) -> str:
    """Lines joined, at most one blank line in a row, one newline at the end."""
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def render(derivation: Derivation, decimals: int, level: int = 1) -> str:
    """The whole solution as a Markdown document; ``level`` is its title's heading level
    (2 when it is a section of a larger document, such as a practice exercise)."""
    h = "#" * level
    lines = [f"{h} {escape(derivation.title)}", "", f"*Solved by `dlsolve {derivation.command}`.*", ""]
    for number, step in enumerate(derivation.steps, 1):
        lines += _step(number, step, decimals, level)
    lines += [f"{h}# Answers", "", "| answer | value |", "|---|---|"]
    lines += [f"| `{key}` | {escape(format_value(value, decimals))} |" for key, value in flat_answers(derivation)]
    lines.append("")
    if derivation.notes:
        lines += [f"{h}# Notes", ""]
        for note in derivation.notes:
            lines += _note(note, decimals)
    return tidy(lines)
