"""The HTML rendering: one self-contained page that a browser shows and prints as the
Markdown would look — no JavaScript, no network.

The page is the Markdown rendering (:mod:`dlsolve.render.to_markdown`) read by markdown-it-py
with mdit-py-plugins' dollarmath, every formula converted to MathML by latex2mathml (which
every current browser typesets), the style sheet inline. The three libraries are the
``dlsolve[html]`` extra: :func:`require` names it when one is missing.

The conversion, and what it mends in latex2mathml's output: :mod:`dlsolve.render.mathml`.

Layout: an inline formula wider than half a printed line is cut into pieces a line may break
between; each heading starts a ``<section>`` that a printed page does not split when it fits
on one (page breaks fall between steps); a table or a display equation wider than the screen
scrolls in its own box rather than widening the page, and when printed is set smaller to fit.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from dlsolve.core.inputs import InputError

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from dlsolve.core.derivation import Derivation

INSTALL = "pip install 'dlsolve[html]'"
LIBRARIES = {"markdown_it": "markdown-it-py", "mdit_py_plugins": "mdit-py-plugins", "latex2mathml": "latex2mathml"}  # module: distribution

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

    missing = [distribution for module, distribution in LIBRARIES.items() if importlib.util.find_spec(module) is None]
    if missing:
        names = ", ".join(missing)
        raise InputError("--format", f"html needs {names} (not installed): {INSTALL}")


def render(derivation: Derivation, decimals: int) -> str:
    """The worked solution as a self-contained HTML page."""
    from dlsolve.render import to_markdown

    return page(to_markdown.render(derivation, decimals))


def _parser() -> MarkdownIt:
    """markdown-it as GitHub reads dlsolve's Markdown (CommonMark, tables, no raw HTML),
    with ``$…$``/``$$…$$`` as MathML; a table or a display equation in a box of its own
    that scrolls when it is wider than the page."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    from dlsolve.render.mathml import inline_pieces, mathml

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
