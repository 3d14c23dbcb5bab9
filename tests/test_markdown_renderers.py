"""The Markdown export as a student sees it in real renderers, for every worked example,
every command's default problem and practice exercises (the documents of test_markdown).

- Width: no display row wider than ROW_BUDGET characters of its Unicode rendering (the
  row's left-hand column counted), measured here from the Markdown itself; runs everywhere.
- MathJax 3 (node with mathjax-full@3 on NODE_PATH, skipped otherwise): every formula
  typesets with no undefined macro and no error, and no display is wider than a page.
- pandoc (skipped when absent): no ``--`` in prose turns into an en dash.
- Running text holds no stacked fraction; no GitHub-only alert syntax.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from markdown_it import MarkdownIt
from test_markdown import DOCUMENTS, GITHUB_ROW_BREAK, math_sources

from dlsolve.core.latex import aligned_rows, slash_fractions, width
from dlsolve.render.to_markdown import ROW_BREAK, ROW_BUDGET, display_math

# what a page 760 px wide holds at MathJax's default 16 px per em (its widest display today: 36 em)
PAGE_EM = 760 / 16
SIGMA_LINE = (r"\sigma_B^2 = \frac{(2 - 5)^2 + (4 - 5)^2 + (4 - 5)^2 + (4 - 5)^2 + (5 - 5)^2 + (5 - 5)^2 + (7 - 5)^2"
              r" + (9 - 5)^2}{8} = \frac{9 + 1 + 1 + 1 + 0 + 0 + 4 + 16}{8} = \frac{32}{8} = 4, \quad \sigma_B = \sqrt{4} = 2")


def display_formulas(md: str) -> list[str]:
    """The formula of every ``$$`` block."""
    lines, opened = md.split("\n"), False
    formulas = []
    for i, line in enumerate(lines):
        if line == "$$":
            opened = not opened
            if opened:
                formulas.append(lines[i + 1])
    return formulas


def row_widths(tex: str) -> list[int]:
    """Each row's width: the Unicode length of its right-hand part plus the widest left-hand
    part of the block (an aligned block's rows all start after its left column)."""
    if not tex.startswith(r"\begin{aligned} "):
        return [width(tex)]
    rows = [row.split("&", 1) for row in tex.removeprefix(r"\begin{aligned} ").removesuffix(r" \end{aligned}").split(ROW_BREAK)]
    left = max(width(row[0]) for row in rows)
    return [left + width(row[-1]) for row in rows]


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_display_row_fits_the_width_budget(name):
    for tex in display_formulas(DOCUMENTS[name]):
        assert max(row_widths(tex)) <= ROW_BUDGET, tex


def test_a_long_equation_breaks_at_its_relations_and_operators():
    tex = display_math(SIGMA_LINE)
    rows = tex.removeprefix(r"\begin{aligned} ").removesuffix(r" \end{aligned}").split(ROW_BREAK)
    assert rows[0].startswith(r"\sigma_B^2 &= \frac{1}{8}\bigl((2 - 5)^2 + ")  # the long numerator opened up
    assert rows[1].startswith(r"&\quad {} + ")  # continued after an operator
    assert rows[-1] == r"\sigma_B &= \sqrt{4} = 2"  # the second equation on a row of its own
    assert max(row_widths(tex)) <= ROW_BUDGET
    assert width(SIGMA_LINE) > 2 * ROW_BUDGET
    short = r"E = \frac{1}{2}(t - y)^2"
    assert display_math(short) == short  # what fits is left alone


def test_a_row_break_survives_github_and_verbatim_renderers():
    md = f"$$\n{display_math(SIGMA_LINE)}\n$$\n"
    github = MarkdownIt("commonmark").render(md)  # GitHub's Markdown pass, before MathJax
    assert github.count(GITHUB_ROW_BREAK) == 3 and ROW_BREAK not in github


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_makes_a_table_row_per_aligned_row():
    done = subprocess.run(["pandoc", "-f", "markdown", "-t", "html", "--mathml"], input=f"$$\n{display_math(SIGMA_LINE)}\n$$\n",
                          capture_output=True, text=True, check=True)
    assert done.stderr == "" and done.stdout.count("<mtr>") == 4


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_running_text_has_no_stacked_fraction_and_no_github_only_alert(name):
    md = DOCUMENTS[name]
    inline = [tex for tex in math_sources(md) if tex not in display_formulas(md)]
    assert not [tex for tex in inline if r"\frac" in tex]
    assert "[!" not in md


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.parametrize("name", [name for name in sorted(DOCUMENTS) if "--" in DOCUMENTS[name].replace("|---", "")])
def test_pandoc_keeps_every_flag_a_flag(name):
    md = DOCUMENTS[name]
    plain = subprocess.run(["pandoc", "-f", "markdown", "-t", "plain"], input=md, capture_output=True, text=True, check=True).stdout
    assert plain.count("–") == md.count("–"), "a -- in prose became an en dash"


# --- MathJax 3, the engine of GitHub, Jupyter and most Markdown previews ---------------

_TYPESET = """
const {mathjax} = require('mathjax-full/js/mathjax.js');
const {TeX} = require('mathjax-full/js/input/tex.js');
const {SVG} = require('mathjax-full/js/output/svg.js');
const {liteAdaptor} = require('mathjax-full/js/adaptors/liteAdaptor.js');
const {RegisterHTMLHandler} = require('mathjax-full/js/handlers/html.js');
require('mathjax-full/js/input/tex/base/BaseConfiguration.js');
require('mathjax-full/js/input/tex/ams/AmsConfiguration.js');
const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);
const tex = new TeX({packages: ['base', 'ams'], formatError: (jax, error) => { throw error; }});
const doc = mathjax.document('', {InputJax: tex, OutputJax: new SVG({fontCache: 'none'})});
const formulas = JSON.parse(require('fs').readFileSync(0, 'utf8'));
console.log(JSON.stringify(formulas.map(([source, display]) => {
  try {
    const svg = adaptor.firstChild(doc.convert(source, {display}));
    return [null, Number(adaptor.getAttribute(svg, 'viewBox').split(' ')[2]) / 1000];
  } catch (error) {
    return [String(error.message || error), 0];
  }
})));
"""


def _mathjax_available() -> bool:
    if shutil.which("node") is None:
        return False
    return subprocess.run(["node", "-e", "require.resolve('mathjax-full/js/mathjax.js')"], capture_output=True).returncode == 0


def typeset(formulas: list[tuple[str, bool]]) -> list[tuple[str | None, float]]:
    """MathJax 3's verdict on each (TeX, display) formula: its error or None, and its width in em."""
    done = subprocess.run(["node", "-e", _TYPESET], input=json.dumps(formulas), capture_output=True, text=True,
                          check=True, timeout=300)
    return [tuple(result) for result in json.loads(done.stdout)]


needs_mathjax = pytest.mark.skipif(not _mathjax_available(), reason="node with mathjax-full@3 on NODE_PATH is not available")


@needs_mathjax
def test_mathjax_knows_every_macro_and_every_display_fits_a_page():
    formulas = []
    for name, md in sorted(DOCUMENTS.items()):
        displays = set(display_formulas(md))
        formulas += [(name, tex, tex in displays) for tex in math_sources(md)]
    results = typeset([(tex, display) for _, tex, display in formulas])
    errors = [(name, tex, error) for (name, tex, _), (error, _) in zip(formulas, results) if error]
    assert errors == []
    wide = [(name, tex, em) for (name, tex, display), (_, em) in zip(formulas, results) if display and em > PAGE_EM]
    assert wide == []


@needs_mathjax
def test_mathjax_reports_what_this_test_looks_for():
    # the check has teeth: MathJax 3 lacks \medspace, and the unbroken sigma line is far too wide
    (error, _), (_, em), (_, broken_em) = typeset([(r"a\medspace b", False), (SIGMA_LINE, True),
                                                   (display_math(SIGMA_LINE), True)])
    assert "medspace" in error
    assert em > PAGE_EM > broken_em


# --- the rewrites, one by one ----------------------------------------------------------


@pytest.mark.parametrize(("tex", "slashed"), [
    (r"\frac{1}{1 + e^{-z}}", r"1/(1 + e^{-z})"),  # a sum is parenthesized
    (r"\frac{1}{m} \sum_i x_i", r"(1/m) \sum_i x_i"),  # followed by a factor: the whole fraction too
    (r"x\frac{1}{2}", r"x(1/2)"),  # so is one after a factor
    (r"2 \cdot \frac{a}{b} = 1", r"2 \cdot a/b = 1"),  # an operator or relation needs none
    (r"\lfloor\frac{W - K}{S}\rfloor", r"\lfloor (W - K)/S\rfloor"),  # a delimiter is not a factor
    (r"\lceil\frac{W}{S}\rceil", r"\lceil W/S\rceil"),  # nor run into the command before it
    (r"\frac{\partial E}{\partial w_{5}}", r"{\partial E}/{\partial w_{5}}"),
    (r"e^{-\frac{a}{2}}", r"e^{-a/2}"),
    (r"\frac{\frac{a}{b}}{c + d}", r"(a/b)/(c + d)"),
])
def test_fractions_in_running_text_take_a_slash(tex, slashed):
    assert slash_fractions(tex) == slashed


@pytest.mark.parametrize("tex", [
    "x = " + " + ".join(["1"] * 3000),  # huge
    "v = (" + ", ".join(["0.1234"] * 2000) + ")",
    " = ".join(["a"] * 300),
    "x = " + "{" * 50 + "a" + "}" * 50 + " + b" * 40,  # deep
    r"x = \frac{a + b" + " + c" * 40, r"\frac{", r"a\frac", "} = " + "a + " * 50, r"\right) = " + "a + " * 50,  # broken
    "x = \x00\x1b + " * 30,  # control characters
])
def test_hostile_formulas_break_without_error(tex):
    rows = aligned_rows(tex, ROW_BUDGET)
    kept = "".join(rows).replace("&", "").replace(r"\quad {}", "")
    assert "".join(kept.split()) == "".join(tex.split()) or r"\frac" in tex  # the same formula, only broken
    slash_fractions(tex)
