"""LaTeX to MathML for the HTML page: latex2mathml, with what it lacks mended so that every
formula dlsolve writes is typeset as TeX would set it.

Rewritten before conversion (:func:`mathml_tex`) into constructs that mean the same:
``aligned`` (latex2mathml would show the ``&`` and a line break Chromium ignores; ``align*``
is a table), a named delimiter after ``\\bigl``/``\\bigr`` (it would show the macro's name;
the Unicode character is read), the Markdown's ``\\\\\\ `` row break (a ``\\\\`` that survives
GitHub) without its control space, ``\\thinspace`` (a named space MathML Core ignores) as
``\\,``, and TeX's thin spaces around a function name (``2 log σ``). After conversion
(:func:`tex_spacing`) a minus that TeX sets as a sign and a slash are spaced as TeX spaces
them. A long inline formula is cut into pieces a line may break between (:func:`inline_pieces`).
"""

from __future__ import annotations

import re

INLINE_BUDGET = 40  # latex.width of a piece of an inline formula (about 17 em): an A4 line holds 2

_TEX_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|.", re.DOTALL)
_SIZED = {r"\bigl", r"\bigr", r"\big", r"\Bigl", r"\Bigr", r"\Big", r"\biggl", r"\biggr", r"\bigg", r"\Biggl", r"\Biggr", r"\Bigg"}
_DELIMITERS = {r"\lVert": "‖", r"\rVert": "‖", r"\Vert": "‖", r"\|": "‖", r"\vert": "|", r"\lvert": "|", r"\rvert": "|",
               r"\lbrace": "{", r"\rbrace": "}", r"\{": "{", r"\}": "}", r"\lfloor": "⌊", r"\rfloor": "⌋",
               r"\lceil": "⌈", r"\rceil": "⌉", r"\langle": "⟨", r"\rangle": "⟩"}
# latex2mathml's minus after an <mo> (an operator, bracket, relation or comma) or a floor or
# ceiling bracket (an <mi>); one after a closing bracket or a bar is binary: |x| − 1
_AFTER_OPERATOR = re.compile(r"(<mo(?P<attrs>[^>]*)>(?P<op>[^<]*)</mo>|<mi>&#x0230A;</mi>|<mi>&#x02308;</mi>)<mo>&#x02212;</mo>")
_CLOSING = {"&#x00029;", "&#x0005D;", "&#x0007D;", "&#x0007C;", "&#x02016;", "&#x0230B;", "&#x02309;", "&#x027E9;",
            ")", "]", "}", "|", "‖", "⌋", "⌉", "⟩"}
_FUNCTIONS = {r"\log", r"\ln", r"\exp", r"\tanh", r"\sinh", r"\cosh", r"\sin", r"\cos", r"\tan", r"\det"}
_RENAMED = {r"\begin{aligned}": r"\begin{align*}", r"\end{aligned}": r"\end{align*}"}


def mathml_tex(tex: str) -> str:
    """``tex`` rewritten into constructs latex2mathml converts (see the module's docstring)."""
    for old, new in _RENAMED.items():
        tex = tex.replace(old, new)
    tokens = _TEX_TOKEN.findall(tex)
    out: list[str] = []
    for i, token in enumerate(tokens):
        if token == r"\ " and out and out[-1] == "\\\\":
            continue  # the row break's control space would open the next row with a space
        if out and out[-1] in _SIZED and token in _DELIMITERS:
            token = _DELIMITERS[token]
        elif token in _FUNCTIONS:  # TeX's thin spaces in 2 log σ (latex2mathml writes <mi>s side by side)
            before = next((t for t in reversed(out) if not t.isspace()), "")
            token = (r"\," if before.isalnum() or before in (")", "}") else "") + token
            token += r"\," if _takes_operand(tokens[i + 1:]) else ""
        out.append(r"\," if token == r"\thinspace" else token)
    return "".join(out)


def _takes_operand(rest: list[str]) -> bool:
    """Whether a function name is followed by its operand directly (``\\log \\sigma``), not a
    bracket, a sub- or superscript."""
    following = next((token for token in rest if not token.isspace()), "")
    return following.isalnum() or following == "{" or (following[1:].isalpha() and following not in _SIZED | {r"\left"})


def tex_spacing(markup: str) -> str:
    """Operators spaced as TeX spaces them where a browser's operator dictionary differs: a
    minus after an operator, an opening bracket or a relation is a sign, ``(−0.5)``, not
    ``( − 0.5)`` (a browser takes an ``<mo>`` that does not open its row as binary); a slash
    is an ordinary symbol, ``1/2``, not ``1 / 2``."""

    def mark(match: re.Match[str]) -> str:
        before = match.group(1)
        if match.group("op") in _CLOSING or 'form="postfix"' in (match.group("attrs") or ""):
            return match.group()
        return before + '<mo form="prefix">&#x02212;</mo>'

    return _AFTER_OPERATOR.sub(mark, markup).replace("<mo>&#x0002F;</mo>", '<mo lspace="0" rspace="0">&#x0002F;</mo>')


def inline_pieces(tex: str) -> list[str]:
    """An inline formula wider than :data:`INLINE_BUDGET` as pieces a line may break between
    (a browser never breaks inside one ``<math>``): cut at relations and operators as a display
    equation is cut into rows (:func:`dlsolve.core.latex.aligned_rows`)."""
    from dlsolve.core.latex import aligned_rows

    rows = aligned_rows(tex, INLINE_BUDGET)
    if len(rows) == 1:
        return rows
    pieces = []
    for row in rows:
        left, _, right = row.partition("&")
        pieces.append(left + right.removeprefix(r"\quad "))  # a continuation's indent: none in running text
    return pieces


def mathml(tex: str, display: bool) -> str:
    """One formula as MathML."""
    from latex2mathml.converter import convert

    return tex_spacing(convert(mathml_tex(tex), display="block" if display else "inline"))
