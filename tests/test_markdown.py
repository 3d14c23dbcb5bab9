"""Markdown that renders everywhere: GitHub (whose Markdown parser sees the math before
MathJax does), Jupyter and pandoc (which take the math verbatim).

The GitHub side is checked with a CommonMark parser that knows no math (markdown-it-py,
which rich already installs): every ``$…$``/``$$…$$`` must come out of it character for
character, so no backslash was eaten as an escape and no ``_``/``*`` became emphasis. The
pandoc side runs pandoc itself when it is installed: every formula must convert to MathML.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, strategies as st
from markdown_it import MarkdownIt

from dlsolve.practice import generate
from dlsolve.topics import TOPICS
from dlsolve.practice.render import markdown as exercise_markdown
from dlsolve.practice.run import solution
from dlsolve.render.to_markdown import ROW_BREAK, escape, inline, paragraph, render, safe_math
from dlsolve.runner import derive

FOLDER = Path(__file__).parent.parent / "worked_examples"
WORKED = sorted(FOLDER.glob("*.md"))
_COMMONMARK = MarkdownIt("commonmark").enable("table").enable("strikethrough")
_PUNCTUATION_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\[!-/:-@\[-`{-~]")  # \ before ASCII punctuation, not \\
GITHUB_ROW_BREAK = " \\\\ "  # what a Markdown pass makes of ROW_BREAK: a row break and a space


def math_sources(md: str) -> list[str]:
    """Every formula of a document: the lines of ``$$`` blocks and the ``$…$`` spans."""
    formulas, display = [], False
    for line in md.split("\n"):
        if line == "$$":
            display = not display
        elif display:
            formulas.append(line)
        else:
            formulas += re.findall(r"(?<!\\)\$([^$]+?)(?<!\\)\$", line)
    return formulas


def mangled_by_commonmark(md: str) -> list[str]:
    """The formulas a math-unaware CommonMark + GFM-tables parser does not pass through intact
    (the one designed change aside: ROW_BREAK arrives as a plain row break)."""
    text = html.unescape(re.sub(r"<[^>]+>", "", _COMMONMARK.render(md)))
    return [tex for tex in math_sources(md) if tex.replace(ROW_BREAK, GITHUB_ROW_BREAK) not in text]


def documents() -> dict[str, str]:
    """Every worked example, every command's default problem, and practice exercises with solutions."""
    docs = {path.name: path.read_text(encoding="utf-8") for path in WORKED}
    for command in TOPICS:
        docs[f"{command} (default)"] = render(derive(command, {}), 4)
        for level in ("easy", "exam", "hard"):
            exercise = generate(command, 3, level)
            docs[f"practice {command} {level}"] = exercise_markdown(exercise, solution(exercise), 4)
    return docs


DOCUMENTS = documents()


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_formulas_survive_a_parser_that_knows_no_math(name):
    assert mangled_by_commonmark(DOCUMENTS[name]) == []


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_one_equation_per_display_block_and_no_escapes_inside_math(name):
    md = DOCUMENTS[name]
    lines = md.split("\n")
    opened = [i for i, line in enumerate(lines) if line == "$$"]
    assert len(opened) % 2 == 0
    for start, end in zip(opened[::2], opened[1::2]):
        assert end == start + 2, f"a $$ block holds one line: {lines[start:end + 1]}"  # one equation
        assert start == 0 or lines[start - 1] == "", "a $$ block starts a paragraph"
    for tex in math_sources(md):
        rows = tex.split(ROW_BREAK)  # the only row break GitHub leaves one, in an aligned block
        assert len(rows) == 1 or tex.startswith(r"\begin{aligned} ") and tex.endswith(r" \end{aligned}"), tex
        for row in rows:
            assert "\\\\" not in row, tex  # a plain \\ GitHub would make a \
            assert not _PUNCTUATION_ESCAPE.search(row), tex


def test_a_parser_that_knows_no_math_would_mangle_the_unsafe_forms():
    # the check above has teeth: the forms safe_math rewrites do break in such a parser
    for unsafe in (r"$\mathrm{net}_{h1} + \mathrm{out}_{h1}$", r"$a\,b$", r"$\{x\}$", r"$\|x\|$", r"$\mathrm{running\_mean}$"):
        assert mangled_by_commonmark(unsafe), unsafe
        assert mangled_by_commonmark(inline(unsafe)) == []


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_pandoc_converts_every_formula_to_mathml(name):
    done = subprocess.run(["pandoc", "-f", "markdown", "-t", "html", "--mathml"], input=DOCUMENTS[name],
                          capture_output=True, text=True, check=True)
    assert "Could not convert TeX math" not in done.stderr, done.stderr
    assert "<math" in done.stdout or not math_sources(DOCUMENTS[name])


# --- the rewrites, one by one ----------------------------------------------------------


@pytest.mark.parametrize(("tex", "safe"), [
    (r"a\,b", r"a\ b"),  # texmath (pandoc) lacks \thinspace, MathJax 3 \medspace: a control space all know
    (r"\alpha\,\beta", r"\alpha\ \beta"),
    (r"a\:b", r"a\ b"),
    (r"a\;b", r"a\ b"),
    (r"a\!b", "ab"),
    (r"\|x\|", r"\Vert x\Vert"),
    (r"\{x\}", r"\lbrace x\rbrace"),
    (r"\mathrm{running\_mean}", r"\mathrm{running\underline{\ }mean}"),
    (r"x^{*}", r"x^{{\ast}}"),
    (r"a~b", r"a\ b"),
    (r"\mathrm{net}_{h1}", r"\mathrm{net}_ {h1}"),  # after "}" an _ could open emphasis; before a space it cannot
    (r"(x)_i", r"(x)_ i"),
    (r"w_{1} x_{1}", r"w_{1} x_{1}"),  # after a letter or digit an _ never opens emphasis: unchanged
    (r"a<b", r"a< b"),  # never the start of an HTML tag
    (r"a < 3", r"a < 3"),
    (r"a \\ b", r"a \\ b"),  # a row break is left alone (the solvers write none; tested above)
])
def test_safe_math(tex, safe):
    assert safe_math(tex) == safe


TEX_PIECES = ["a", "b", "1", "_", "^", "{", "}", "(", ")", "*", "~", "<", ">", " ", "|", r"\,", r"\;", r"\:", r"\!", r"\|",
              r"\{", r"\}", r"\_", r"\alpha", r"\mathrm{net}", r"\hat{x}"]


@given(st.lists(st.sampled_from(TEX_PIECES), max_size=15).map("".join))
def test_safe_math_leaves_nothing_for_markdown_to_take(tex):
    safe = safe_math(tex)
    assert not _PUNCTUATION_ESCAPE.search(safe)
    # an _ that could open emphasis: after punctuation, a space or the opening $, and before a non-space
    assert not re.search(r"(?:^|[^A-Za-z0-9])_(?=\S)", safe)
    assert "*" not in safe and "~" not in safe
    assert not re.search(r"<[A-Za-z/!?]", safe)


def test_prose_is_escaped_and_never_starts_a_list():
    assert escape("running_var and a*b $5 <x> |y| #1 [z]") == r"running\_var and a\*b \$5 \<x\> \|y\| \#1 \[z\]"
    assert paragraph("- not a list") == r"\- not a list"
    assert paragraph("2. not a list either") == r"2\. not a list either"
    assert inline("cost $|x|$ here", in_table=True) == r"cost $\vert x\vert $ here"


def test_notes_errors_are_quoted_warnings_every_renderer_shows():
    md = render(derive("som-train", {}), 4)
    assert "\n> **Warning: error in the course notes.** " in md
    assert "[!" not in md  # GitHub's alert syntax shows literally in Jupyter and pandoc
