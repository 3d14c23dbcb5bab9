"""The HTML rendering: one self-contained page that a browser shows and prints as the
Markdown would look — no JavaScript, no network.

The page is the Markdown rendering (:mod:`dlsolve.render.to_markdown`) read by markdown-it-py
with mdit-py-plugins' dollarmath, every formula converted to MathML by latex2mathml (which
every current browser typesets), the style sheet inline. The three libraries are the
``dlsolve[html]`` extra: :func:`require` names it when one is missing.

latex2mathml lacks two constructs the Markdown writes, rewritten before conversion by
:func:`mathml_tex` into ones it knows that mean the same: ``aligned`` (it would show the ``&``
and a line break Chromium ignores; ``align*`` is a table), and a named delimiter after
``\\bigl``/``\\bigr`` (it would show the macro's name; the Unicode character is read). The
Markdown's ``\\\\\\ `` row break (a ``\\\\`` that survives GitHub) loses its control space, and
``\\thinspace`` (a named MathML space that MathML Core ignores) becomes ``\\,``. After
conversion, a minus that TeX would set as a sign and a slash are spaced as TeX spaces them
(:func:`tex_spacing`), and a function name gets TeX's thin space before its operand.

Layout: an inline formula wider than half a printed line is cut into pieces a line may break
between (:func:`inline_pieces`); each heading starts a ``<section>`` that a printed page does not split when it fits
on one (page breaks fall between steps); a table or a display equation wider than the screen
scrolls in its own box rather than widening the page, and when printed is set smaller to fit.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from dlsolve.core.inputs import InputError

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from dlsolve.core.derivation import Derivation

INSTALL = "pip install 'dlsolve[html]'"
INLINE_BUDGET = 40  # latex.width of a piece of an inline formula (about 17 em): an A4 line holds 2
LIBRARIES = ("markdown_it", "mdit_py_plugins", "latex2mathml")

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

STYLE = """\
:root { color-scheme: light; }
body { margin: 0 auto; padding: 1.5rem 1rem 3rem; max-width: 52rem; box-sizing: border-box;
  font: 1.0625rem/1.55 Georgia, 'DejaVu Serif', 'Times New Roman', serif; color: #1b1b1b; background: #fff;
  overflow-wrap: break-word; }
h1, h2, h3, h4, h5 { font-family: system-ui, 'DejaVu Sans', Arial, sans-serif; line-height: 1.25; margin: 1.6em 0 0.6em; }
h1 { font-size: 1.6rem; margin-top: 0.4em; }
h2 { font-size: 1.3rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
h3 { font-size: 1.15rem; }
h4, h5 { font-size: 1.05rem; }
code { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 0.9em; background: #f3f3f3;
  padding: 0 0.2em; border-radius: 3px; }
math { font-size: 1.05em; font-family: 'STIX Two Math', 'Cambria Math', 'Latin Modern Math', 'DejaVu Math TeX Gyre', math; }
mtd[columnalign="left"] { text-align: left; }
mtd[columnalign="right"] { text-align: right; }
mtable[columnspacing^="0em"] > mtr > mtd { padding-left: 0; padding-right: 0; }
.scroll, .math.block { overflow-x: auto; max-width: 100%; }
.math.block { margin: 0.8em 0; }
table { border-collapse: collapse; margin: 0.4em 0 1em; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; vertical-align: middle; }
th { background: #f0f0f0; }
blockquote { margin: 1em 0; padding: 0.4em 1em; border-left: 4px solid #c77700; background: #fff6e5; }
section { break-inside: avoid; }
@media print {
  @page { margin: 15mm; }
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; font-size: 1rem; }
  h1, h2, h3, h4, h5 { break-after: avoid; }
  .scroll, .math.block { overflow: visible; }
  table { font-size: 8.5pt; }
  th, td { padding: 0.15em 0.35em; }
  .math.block, tr, blockquote { break-inside: avoid; }
  code { background: none; }
}
"""


def require() -> None:
    """Refuse ``-f html`` in one line naming the extra to install when a library is missing."""
    import importlib.util

    missing = [name for name in LIBRARIES if importlib.util.find_spec(name) is None]
    if missing:
        names = ", ".join(name.replace("_", "-") for name in missing)
        raise InputError("--format", f"html needs {names} (not installed): {INSTALL}")


def render(derivation: Derivation, decimals: int) -> str:
    """The worked solution as a self-contained HTML page."""
    from dlsolve.render import to_markdown

    return page(to_markdown.render(derivation, decimals))


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


def tex_spacing(mathml: str) -> str:
    """Operators spaced as TeX spaces them where a browser's operator dictionary differs: a
    minus after an operator, an opening bracket or a relation is a sign, ``(−0.5)``, not
    ``( − 0.5)`` (a browser takes an ``<mo>`` that does not open its row as binary); a slash
    is an ordinary symbol, ``1/2``, not ``1 / 2``."""

    def mark(match: re.Match[str]) -> str:
        before = match.group(1)
        if match.group("op") in _CLOSING or 'form="postfix"' in (match.group("attrs") or ""):
            return match.group()
        return before + '<mo form="prefix">&#x02212;</mo>'

    return _AFTER_OPERATOR.sub(mark, mathml).replace("<mo>&#x0002F;</mo>", '<mo lspace="0" rspace="0">&#x0002F;</mo>')


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


def _parser() -> MarkdownIt:
    """markdown-it as GitHub reads dlsolve's Markdown (CommonMark, tables, no raw HTML),
    with ``$…$``/``$$…$$`` as MathML; a table or a display equation in a box of its own
    that scrolls when it is wider than the page."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    def formula(tex: str, options: dict[str, Any]) -> str:
        if options["display_mode"]:
            return mathml(tex, True)
        return "<wbr>".join(mathml(piece, False) for piece in inline_pieces(tex))

    parser = MarkdownIt("commonmark", {"html": False}).enable("table").use(dollarmath_plugin, renderer=formula)
    parser.add_render_rule("table_open", lambda *_: '<div class="scroll">\n<table>\n')
    parser.add_render_rule("table_close", lambda *_: "</table>\n</div>\n")
    return parser


def _plain(inline: Token) -> str:
    """A heading's text without markup (its math as written)."""
    return "".join(child.content for child in inline.children or ())


def _body(parser: MarkdownIt, tokens: list[Token]) -> str:
    """The page's body: a ``<section>`` from each heading below the title to the next."""
    starts = [i for i, token in enumerate(tokens) if token.type == "heading_open" and token.tag != "h1"]
    parts = [parser.renderer.render(tokens[:starts[0] if starts else len(tokens)], parser.options, {})]
    for start, end in zip(starts, starts[1:] + [len(tokens)]):
        parts.append(f"<section>\n{parser.renderer.render(tokens[start:end], parser.options, {})}</section>\n")
    return "".join(parts)


def page(markdown: str, untitled: str = "dlsolve") -> str:
    """A Markdown document (with ``$…$`` math) as a self-contained HTML page, titled with
    its first heading (``untitled`` when it has none). Raises ``InputError`` naming the
    extra when a library is missing."""
    require()
    parser = _parser()
    tokens = parser.parse(markdown)
    title = next((_plain(tokens[i + 1]) for i, token in enumerate(tokens) if token.type == "heading_open"), untitled)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<meta name=\"generator\" content=\"dlsolve\">\n<title>{html.escape(title)}</title>\n"
            f"<style>\n{STYLE}</style>\n</head>\n<body>\n{_body(parser, tokens)}</body>\n</html>\n")
