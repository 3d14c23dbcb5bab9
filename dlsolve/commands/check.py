"""``dlsolve check FILE...``: students' answers files judged against the solutions.

No ``from __future__ import annotations`` here: Typer evaluates string annotations twice
(``inspect.signature`` and ``get_type_hints``), about 2.5 ms of every check's start-up."""

import sys
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from dlsolve.commands._shared import Decimals, Force, Output, Width
from dlsolve.core.inputs import InputError

if TYPE_CHECKING:
    from dlsolve.checking.compare import Rule

NAME = "check"
EPILOG = """\b
Examples:
  dlsolve check my-examples/som-train-notes-answers.toml
      the notes' own SOM answers (copied by dlsolve examples --copy my-examples):
      iteration 2 flips the update's sign, iterations 3 and 4 are right
      given it (error carried forward)
  dlsolve check homework/*.toml
      a class: a row per student, then the answers most often wrong
      (--details: each student's table too)
  dlsolve check answers.toml --mode sigfig --digits 3
      PrairieLearn's rule, 3 significant figures (decdig: decimal digits)
  dlsolve check answers.toml --min-sigfigs 3
      "47" for 47.2 is too few digits; 47.24 is judged on 47.2
  dlsolve check answers.toml --mode relabs --rtol 0.005
      |given − exact| ≤ atol + rtol·|exact| (defaults 1e-8 and 1e-2)
  dlsolve check submission.toml -f gradescope -o results/results.json
      Gradescope's results.json: a test (1 point) per answer
  dlsolve som-train --lr 0.5 --check answers.toml
      the problem from a solver's options instead of the file
\b
An answers file (TOML or JSON):
  command = "som-train"
  [inputs]                      # optional; absent: the course notes' problem
  lr = 0.6
  [answers]                     # names as in --format json, 1-based indexes
  winners.1 = 1
  history.2 = [[0.888, 0.08, 0.352, 0.032], [0.6, 0.7, 0.4, 0.3]]
"""


class Mode(str, Enum):
    written = "written"
    relabs = "relabs"
    sigfig = "sigfig"
    decdig = "decdig"


class ReportFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    html = "html"
    json = "json"
    gradescope = "gradescope"


def command(
    files: Annotated[list[str], typer.Argument(metavar="FILE...", help="Answers files (TOML or JSON, each at most 64 MiB, nested at most 64 deep), one per student.", show_default=False)],
    mode: Annotated[Mode, typer.Option("--mode", help="written: to the precision each number is written with (0.61 means 0.605–0.615); "
                                                      "relabs: --rtol/--atol; sigfig, decdig: PrairieLearn's rules with --digits.")] = Mode.written,
    digits: Annotated[Optional[int], typer.Option("--digits", min=1, max=15, metavar="N",
                                                  help="For sigfig and decdig: significant figures or decimal digits (default 2, PrairieLearn's).")] = None,
    rtol: Annotated[Optional[float], typer.Option("--rtol", min=0, metavar="R", help="For relabs: relative tolerance (default 0.01).")] = None,
    atol: Annotated[Optional[float], typer.Option("--atol", min=0, metavar="A", help="For relabs: absolute tolerance (default 1e-8).")] = None,
    min_sigfigs: Annotated[Optional[int], typer.Option("--min-sigfigs", min=1, max=15, metavar="N",
                                                       help="Fewer significant figures written: too few digits (wrong); "
                                                            "in written mode a longer answer is judged on its first N. "
                                                            "Overrides an answers file's min_sigfigs.")] = None,
    ecf_credit: Annotated[float, typer.Option("--ecf-credit", min=0, max=1, metavar="X",
                                              help="Credit for an answer wrong but right given the student's own earlier answers "
                                                   "(error carried forward): 1 (default) full, 0 none.")] = 1.0,
    details: Annotated[bool, typer.Option("--details", help="Several files: each file's table before the class summary.")] = False,
    format: Annotated[ReportFormat, typer.Option("-f", "--format", help="text, markdown, html (a page), json, or gradescope (results.json; one file).")] = ReportFormat.text,
    output: Output = None,
    force: Force = False,
    decimals: Decimals = 4,
    width: Width = None,
) -> None:
    """Check students' answers against the solutions: each answer right or wrong, with the
    tolerance applied, the step it comes from, the slip a wrong one matches, and whether it
    is right given the student's own earlier answers (error carried forward).

    Each file names its command and, under [inputs], its problem (none: the course notes'
    problem); each distinct problem is solved once. One file: its table; several: a class
    summary (--details adds every table). Exit 0 when every answer is right, 1 when one is
    wrong, 2 when a file cannot be checked.
    """
    from dlsolve.checking.options import checked_number, rule_for

    try:
        rule = rule_for(mode.value, digits, rtol, atol, min_sigfigs)  # as dlsolve.check() reads them
        if format is ReportFormat.gradescope and len(files) > 1:
            raise InputError("--format gradescope", f"writes one submission's results.json; got {len(files)} files (check them one at a time)")
        checked_number("--ecf-credit", ecf_credit, 0.0, 1.0)
        if format == ReportFormat.html:
            from dlsolve.render.to_html import require

            require()
        if output is not None:
            from dlsolve.core.output import check_destination

            check_destination(output, force)
    except InputError as error:
        _fail(str(error))
    raise typer.Exit(_check(files, rule, ecf_credit, details, format.value, output, force, decimals, width))


def _fail(message: str) -> None:
    print(f"dlsolve check: error: {message}", file=sys.stderr)
    raise typer.Exit(2)


def _check(files: list[str], rule: "Rule", ecf_credit: float, details: bool, format: str, output: str | None, force: bool,
           decimals: int, width: int | None = None) -> int:
    """Check every file and report; the exit code."""
    from dlsolve.checking.report import emit
    from dlsolve.checking.session import Checker

    checker = Checker(rule, ecf_credit)
    results = checker.check_files(files)
    unusable = [r for r in results if r.error is not None]
    for result in unusable:
        print(f"dlsolve check: error: {result.error}", file=sys.stderr)
    # one unusable file: nothing to report (except Gradescope's results.json, which tells the student why)
    if len(unusable) < len(results) or format == "gradescope":
        try:
            emit(results, checker.rule, format, output, force, decimals, details, ecf_credit, width)
        except InputError as error:
            _fail(str(error))
    if unusable:
        return 2
    return 0 if all(r.all_right for r in results) else 1
