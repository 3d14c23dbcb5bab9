"""The Markdown rendering: a worked solution with ``$…$``/``$$…$$`` math that renders on
GitHub and in Jupyter (one equation per ``$$`` block, on lines of its own)."""

from __future__ import annotations

import re

from dlsolve.derivation import Derivation, Line, Note, Part, Step, Table
from dlsolve.render.plain import cell_line
from dlsolve.render.common import flat_answers, format_value, is_display, line_source, split_math, table_cells

_PROSE_SPECIALS = re.compile(r"([\\`*_\[\]<>|#])")
_CALLOUTS = {"erratum": ("WARNING", "Error in the course notes."), "warning": ("NOTE", ""), "convention": ("", "")}


def _escape(prose: str) -> str:
    """Prose with Markdown's special characters backslash-escaped."""
    return _PROSE_SPECIALS.sub(r"\\\1", prose)


def _inline(source: str, in_table: bool = False) -> str:
    """Prose escaped for Markdown, math kept as ``$…$`` (``|`` written ``\\vert`` in tables)."""
    out = []
    for is_math, text in split_math(source):
        if is_math:
            text = text.strip().replace("|", r"\vert ") if in_table else text.strip()
            out.append(f"${text}$")
        else:
            out.append(_escape(text))
    return "".join(out)


def _line(line: Line, decimals: int) -> list[str]:
    source = line_source(line, decimals)
    if is_display(source):
        return ["$$", source[1:-1].strip(), "$$", ""]
    return [_inline(source), ""]


def _cell(part: Part, decimals: int) -> str:
    return _inline(line_source(cell_line(part), decimals), in_table=True)


def _table(table: Table, decimals: int) -> list[str]:
    header, rows = table_cells(table, lambda part: _cell(part, decimals))
    width = len(header or rows[0])
    header = header or [" "] * width
    lines = [f"*{_inline(line_source(table.caption, decimals))}*", ""]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join(["---"] + ["---:"] * (width - 1)) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def _step(number: int, step: Step, decimals: int) -> list[str]:
    lines = [f"## Step {number}. {_inline(line_source(step.title, decimals))}", ""]
    for block in step.body:
        lines += _line(block, decimals) if isinstance(block, Line) else _table(block, decimals)
    return lines


def _note(note: Note, decimals: int) -> list[str]:
    text = _inline(line_source(note.text, decimals))
    kind, lead = _CALLOUTS[note.kind]
    if not kind:
        return [f"- {text}"]
    return ["", f"> [!{kind}]", f"> {'**' + lead + '** ' if lead else ''}{text}", ""]


def render(derivation: Derivation, decimals: int) -> str:
    """The whole solution as a Markdown document."""
    lines = [f"# {_escape(derivation.title)}", "", f"*Solved by `dlsolve {derivation.command}`.*", ""]
    for number, step in enumerate(derivation.steps, 1):
        lines += _step(number, step, decimals)
    lines += ["## Answers", "", "| answer | value |", "|---|---|"]
    lines += [f"| `{key}` | {_escape(format_value(value, decimals))} |" for key, value in flat_answers(derivation)]
    lines.append("")
    if derivation.notes:
        lines += ["## Notes", ""]
        for note in derivation.notes:
            lines += _note(note, decimals)
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"
