"""``-f html``: the Markdown as a self-contained page with MathML. Every formula dlsolve
writes converts (no ``merror``, no LaTeX left as text); the page holds no script and loads
nothing; the layout is pinned by a golden page; without the ``html`` extra the command says
what to install. How the page looks in a browser: tests/test_html_browser.py."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("latex2mathml")
pytest.importorskip("mdit_py_plugins")

from markdown_it import MarkdownIt  # noqa: E402
from mdit_py_plugins.dollarmath import dollarmath_plugin  # noqa: E402

from dlsolve.practice import generate  # noqa: E402
from dlsolve.practice.exercise import LEVELS  # noqa: E402
from dlsolve.practice.render import markdown as practice_markdown  # noqa: E402
from dlsolve.practice.run import solution  # noqa: E402
from dlsolve.render import mathml, to_html, to_markdown  # noqa: E402
from dlsolve.runner import derive, rendered  # noqa: E402
from dlsolve.topics import TOPICS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
_MATH = MarkdownIt("commonmark").enable("table").use(dollarmath_plugin)


def formulas(markdown: str) -> list[tuple[str, bool]]:
    """Every formula of a Markdown document as markdown-it reads it, and whether it is displayed."""
    found = []
    for token in _MATH.parse(markdown):
        for child in [token, *(token.children or ())]:
            if child.type.startswith("math"):
                found.append((child.content.strip(), child.type == "math_block"))
    return found


def assert_typeset(markdown: str) -> None:
    """Every formula converts to MathML with no error and no macro left as text."""
    for tex, display in formulas(markdown):
        out = mathml.mathml(tex, display)
        assert "merror" not in out, tex
        text = re.sub(r"<[^>]*>", "", out)
        assert "\\" not in text and "&amp;" not in text and "&" not in re.sub(r"&#x[0-9A-F]+;", "", text), (tex, out)


@pytest.mark.parametrize("command", TOPICS)
def test_every_default_problems_formulas_convert(command):
    markdown = to_markdown.render(derive(command, {}), decimals=4)
    assert formulas(markdown)
    assert_typeset(markdown)


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("command", TOPICS)
def test_every_practice_exercises_formulas_convert(command, level):
    for seed in (1, 2, 3):
        exercise = generate(command, seed, level)
        assert_typeset(practice_markdown(exercise, solution(exercise), decimals=4))


def test_every_worked_examples_markdown_converts():
    pages = sorted((ROOT / "worked_examples").glob("*.md"))
    assert pages
    for path in pages:
        assert_typeset(path.read_text(encoding="utf-8"))


def test_aligned_rows_become_a_table_of_rows():
    """latex2mathml shows ``aligned``'s & and ignores its row break: the page uses align*, an mtable."""
    out = mathml.mathml(r"\begin{aligned} a &= b + c \\\ &= d \end{aligned}", True)
    assert out.count("<mtr>") == 2 and "&amp;" not in out and ">&<" not in out
    assert re.search(r'<mtd columnalign="left">(<mi />)?<mo>&#x0003D;</mo><mi>d</mi>', out)  # no space opens the row


def test_a_sized_named_delimiter_shows_its_character():
    out = mathml.mathml(r"\bigl\lVert x \bigr\rVert + \bigl\lfloor y \bigr\rfloor", False)
    assert "\\" not in out and out.count("‖") == 2 and "⌊" in out and "⌋" in out


def test_thinspace_is_a_space_mathml_core_knows():
    assert 'width="0.167em"' in mathml.mathml(r"a\thinspace b", False)


def test_the_page_is_self_contained_and_titled():
    page = rendered(derive("backprop", {}), "html", 4)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')
    assert "<title>Backpropagation: 2-2-2 network, one gradient-descent step</title>" in page
    assert "@media print" in page and "break-inside: avoid" in page
    assert not re.search(r"<script|<link|<img|<iframe|src=|href=|url\(|@import", page, re.IGNORECASE)
    assert page.count("<section>") == len(derive("backprop", {}).steps) + 2  # the steps, the answers, the notes
    assert page.count("<math ") >= len(formulas(to_markdown.render(derive("backprop", {}), 4)))


def test_prose_is_escaped_not_interpreted():
    page = to_html.page("# a <b> & c\n\nx <script>alert(1)</script> $a < b$\n")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<title>a &lt;b&gt; &amp; c</title>" in page


def test_the_page_is_byte_identical_run_after_run():
    runs = [subprocess.run([sys.executable, "-m", "dlsolve", "som-train", "-f", "html"], capture_output=True, check=True).stdout
            for _ in range(2)]
    assert runs[0] == runs[1] and runs[0].startswith(b"<!DOCTYPE html>")


def test_default_problem_html_golden(golden):
    """One page pinned whole (layout, style sheet, MathML): review its diff like code."""
    assert rendered(derive("kl-divergence", {}), "html", 4) == golden["html"]


def test_html_from_solve_practice_and_check(cli, tmp_path):
    out = tmp_path / "s.html"
    assert cli("solve", "ttest-notes-b", "-f", "html", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").count("<math ") > 10
    practice = cli("practice", "convolve", "--seed", "4", "--solution", "-f", "html")
    assert practice.exit_code == 0 and "<title>Practice: " in practice.stdout and "<h2>Solution</h2>" in practice.stdout
    report = cli("check", str(ROOT / "worked_examples" / "backprop-slips-answers.toml"), "-f", "html")
    assert report.exit_code == 1 and report.stdout.startswith("<!DOCTYPE html>") and "Score 4/7" in report.stdout
    listing = cli("examples", "ttest", "-f", "html")
    assert listing.exit_code == 0 and "<title>dlsolve: the worked examples</title>" in listing.stdout
    problems = [path for path in (ROOT / "worked_examples").glob("ttest-*.toml") if not path.stem.endswith("-answers")]
    assert listing.stdout.count("<tr>") == 1 + len(problems)


@pytest.mark.parametrize("args", [("backprop", "-o", "page.html"), ("solve", "som-train-notes", "-o", "page.html"),
                                  ("practice", "ttest", "--seed", "1", "--solution", "-o", "page.html"),
                                  ("check", str(ROOT / "worked_examples" / "backprop-slips-answers.toml"), "-o", "page.html"),
                                  ("examples",)])
def test_without_the_html_extra_one_line_names_it(cli, monkeypatch, tmp_path, args):
    monkeypatch.setitem(sys.modules, "latex2mathml", None)  # as if not installed: find_spec and import fail
    monkeypatch.chdir(tmp_path)
    result = cli(*args, "-f", "html")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"dlsolve {args[0]}: error: --format: html needs latex2mathml (not installed): "
                                          "pip install 'dlsolve[html]'"]
    assert result.stdout == "" and list(tmp_path.iterdir()) == []


def test_student_text_in_the_html_report_is_shown_not_rendered(cli, tmp_path):
    """A hostile answers file (tags, links, Markdown, a $) reaches the page as text only."""
    payload = "<script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:x) `code` **b** $x$ # h"
    answers = tmp_path / "a.toml"
    answers.write_text(f'command = "ttest"\nstudent = "{payload}"\n[answers]\ntest = "{payload}"\nse = 1.3765\n', encoding="utf-8")
    result = cli("check", str(answers), "-f", "html")
    assert result.exit_code == 1, result.stderr
    body = result.stdout.split("<body>", 1)[1]
    for dangerous in ("<script", "<img", "<a ", "href", "<code>code", "<strong>b", "<h1"):
        assert dangerous not in body, dangerous
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; [a](javascript:x) `code` **b** $x$ # h" in body  # as written


@pytest.mark.parametrize(("tex", "signs"), [(r"0.45 + (-0.0381) \cdot 0.55", 1), ("x = -3", 1), ("f(a, -b)", 1),
                                            (r"\lfloor -2 \rfloor", 1), ("a - b", 0), ("|x| - 1", 0), ("(a) - 1", 0),
                                            (r"\left(-\frac{1}{2}\right) - 1", 1)])
def test_a_minus_sign_is_set_as_tex_sets_it(tex, signs):
    """TeX's rule: a minus after an operator, an opening bracket or a relation is a sign (no
    space after it); after an operand or a closing bracket, a binary minus."""
    out = mathml.mathml(tex, False)
    assert out.count('<mo form="prefix">&#x02212;</mo>') == signs
    assert out.count("&#x02212;") == 1 + (tex.count("-") > 1)


def test_a_long_inline_formula_is_cut_where_a_line_may_break():
    """A browser never breaks a line inside a <math>: a long inline formula becomes pieces,
    cut at its relations and operators, with a break opportunity between them."""
    long = r"\sigma_B^2 = ((10 - 30)^2 + (20 - 30)^2 + (60 - 30)^2)/3 = (400 + 100 + 900)/3 = 466.6667"
    assert mathml.inline_pieces(long) == [r"\sigma_B^2 = ((10 - 30)^2 + (20 - 30)^2", r"{} + (60 - 30)^2)/3",
                                           r"= (400 + 100 + 900)/3 = 466.6667"]
    assert mathml.inline_pieces("a = b") == ["a = b"]
    page = to_html.page(f"Here ${long}$ and $a = b$.\n")
    assert page.count("<math ") == 4 and page.count("<wbr>") == 2


def test_function_names_and_slashes_are_spaced_as_in_tex():
    """TeX: a thin space between log and its operand, none before a bracket; / is ordinary."""
    assert '<mi>log</mi><mspace width="0.167em" /><msubsup><mi>&#x003C3;</mi>' in mathml.mathml(r"\log \sigma_i^2", False)
    assert "mspace" not in mathml.mathml(r"\log(x) + \ln \bigl(y\bigr) + \log_2 z", False)
    assert mathml.mathml_tex(r"2\log \sigma_i") == r"2\,\log\, \sigma_i"
    assert '<mn>1</mn><mo lspace="0" rspace="0">&#x0002F;</mo><mn>2</mn>' in mathml.mathml("1/2", False)
