"""Lines as plain Unicode text: what the terminal shows and what JSON steps hold."""

from __future__ import annotations

from dlsolve.core.derivation import Line, Part
from dlsolve.core.latex import to_unicode
from dlsolve.render.common import is_display, line_source, split_math
from dlsolve.render.wrap import GLUE


def plain_line(line: Line, decimals: int, glue: bool = False) -> str:
    """``$\\bar{x} = 42$ and …`` → ``x̄ = 42 and …``. With ``glue``, the spaces of a formula
    inside prose are :data:`~dlsolve.render.wrap.GLUE`, so the terminal keeps it on one row."""
    source = line_source(line, decimals)
    glued = glue and not is_display(source)
    return "".join((to_unicode(text).replace(" ", GLUE) if glued else to_unicode(text)) if is_math else text
                   for is_math, text in split_math(source))


def cell_line(part: Part) -> Line:
    """A table cell as a line: a number is written as math (a true minus, 2 × 10⁻⁵)."""
    return Line((part,)) if isinstance(part, str) else Line(("$", part, "$"))


def plain_part(part: Part, decimals: int) -> str:
    """A table cell as plain text."""
    return plain_line(cell_line(part), decimals)
