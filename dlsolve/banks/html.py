"""Lines, tables and worked solutions as HTML for a learning platform, with math written for
MathJax: ``\\(…\\)`` inline and ``$$…$$`` on its own (the delimiters Moodle's MathJax filter
and PrairieLearn both read by default). Prose and math are HTML-escaped (MathJax reads the
text, so ``&lt;`` is still ``<`` to it); a display equation too wide for a page is broken
into ``aligned`` rows, as the Markdown rendering does.
"""

from __future__ import annotations

from html import escape

from dlsolve.core.derivation import Derivation, Line, Note, Step, Table
from dlsolve.core.latex import aligned_rows
from dlsolve.practice.exercise import Exercise
from dlsolve.render.common import is_display, line_source, split_math, table_cells
from dlsolve.render.plain import cell_line

ROW_BUDGET = 80  # as the Markdown rendering: about 34 em of display math per row
_NOTE_LEADS = {"erratum": "Warning: error in the course notes.", "warning": "Note:", "convention": ""}


def inline(line: Line, decimals: int) -> str:
    """A line as inline HTML: prose escaped, math between ``\\(`` and ``\\)``."""
    return "".join(f"\\({escape(text.strip(), quote=False)}\\)" if is_math else escape(text, quote=False)
                   for is_math, text in split_math(line_source(line, decimals)))


def block(line: Line, decimals: int) -> str:
    """A line as a paragraph, or a display equation (``$$…$$``) when it is one equation."""
    source = line_source(line, decimals)
    if is_display(source):
        rows = aligned_rows(source[1:-1].strip(), ROW_BUDGET)
        tex = rows[0] if len(rows) == 1 else r"\begin{aligned} " + r" \\ ".join(rows) + r" \end{aligned}"
        return f"<p>$${escape(tex, quote=False)}$$</p>"
    return f"<p>{inline(line, decimals)}</p>"


def table(table: Table, decimals: int) -> str:
    header, rows = table_cells(table, lambda part: inline(cell_line(part), decimals))
    out = [f"<p><em>{inline(table.caption, decimals)}</em></p>", "<table border=\"1\" cellpadding=\"4\">"]
    if header:
        out.append("<tr>" + "".join(f"<th>{cell}</th>" for cell in header) + "</tr>")
    out += ["<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows]
    return "\n".join(out + ["</table>"])


def step(number: int, step: Step, decimals: int) -> str:
    """A worked step: its title and its lines and tables."""
    body = [block(b, decimals) if isinstance(b, Line) else table(b, decimals) for b in step.body]
    return "\n".join([f"<h4>Step {number}. {inline(step.title, decimals)}</h4>", *body])


def note(note: Note, decimals: int) -> str:
    lead = _NOTE_LEADS[note.kind]
    return f"<li>{f'<strong>{escape(lead)}</strong> ' if lead else ''}{inline(note.text, decimals)}</li>"


def solution(derivation: Derivation, decimals: int) -> str:
    """The whole worked solution: every step, then the notes."""
    out = [step(number, s, decimals) for number, s in enumerate(derivation.steps, 1)]
    if derivation.notes:
        out += ["<h4>Notes</h4>", "<ul>", *(note(n, decimals) for n in derivation.notes), "</ul>"]
    return "\n".join(out)


def statement(exercise: Exercise, decimals: int) -> str:
    """The exercise's data, paragraph by paragraph, as an exam states it."""
    return "\n".join(block(line, decimals) for line in exercise.statement)


def part(exercise: Exercise, index: int, decimals: int) -> str:
    """``(a) For every iteration, …`` as a paragraph."""
    from dlsolve.practice.render import label

    return f"<p><strong>{label(index)}</strong> {inline(exercise.questions[index].text, decimals)}</p>"


def precision(decimals: int) -> str:
    """How the numbers are to be written (what the tolerances assume)."""
    return (f"<p><em>Write every number as the worked solution does: to {decimals} decimal places, or "
            f"{decimals} significant figures for a number below 1 (0.0004386); whole numbers exactly.</em></p>")
