"""``dlsolve practice``: a generated exercise, its worked solution, its problem file."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Optional

import typer

from dlsolve.commands._shared import Decimals, Format, FormatOption, Output, Width
from dlsolve.core.inputs import InputError
from dlsolve.topics import TOPICS

NAME = "practice"
EPILOG = """\b
Examples:
  dlsolve practice som-train --seed 7
      a SOM exercise; the same seed gives the same exercise on any machine
  dlsolve practice som-train --seed 7 --solution
      the same exercise with its full worked solution
  dlsolve practice ttest --level easy
      a fresh t-test word problem (the seed is printed: note it to get it back)
  dlsolve practice som-train --seed 7 --quiz
      answer the key values one at a time and get marked (? hint, s step, q quit)
  dlsolve practice ttest --seed 7 --quiz --min-sigfigs 3
      the same, and an answer with fewer than 3 significant figures is too few digits
  dlsolve practice backprop --seed 3 --save-problem bp.toml
      also write the problem file: dlsolve solve bp.toml solves it later
  dlsolve practice --seed 12 --solution -f markdown -o exercise.md
      a random command; exercise and solution as a Markdown document
  dlsolve practice som-train --count 20 --seed 1 --export moodle -o som.xml
      a question bank for teachers: 20 variants as a Moodle XML quiz, the
      slips' diagnoses as feedback, the worked solutions as general feedback
  dlsolve practice ttest --count 10 --seed 2 --export prairielearn -o pl/
      the same as PrairieLearn question folders (--export gift: a GIFT file)
"""


class Export(str, Enum):
    moodle = "moodle"
    gift = "gift"
    prairielearn = "prairielearn"


class Level(str, Enum):
    easy = "easy"
    exam = "exam"
    hard = "hard"


def command(
    name: Annotated[Optional[str], typer.Argument(metavar="[COMMAND]", help=f"What to practise: {', '.join(TOPICS)} (default: drawn from the seed).", show_default=False)] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", min=0, metavar="N", help="The exercise's seed (default: a new one, printed).", show_default=False)] = None,
    level: Annotated[Level, typer.Option("--level", help="easy (small, few steps), exam (as an exam sets it) or hard (bigger, more steps).")] = Level.exam,
    solution: Annotated[bool, typer.Option("--solution", help="Also print the full worked solution.")] = False,
    quiz: Annotated[bool, typer.Option("--quiz", help="Ask the key values one at a time and mark each as check does (? a hint, s the worked step, empty line skip, q quit); exit 1 unless all right.")] = False,
    save_problem: Annotated[Optional[str], typer.Option("--save-problem", metavar="FILE", help="Write the exercise as a TOML problem file (dlsolve solve FILE solves it); --force to overwrite.", show_default=False)] = None,
    format: FormatOption = Format.text,
    output: Output = None,
    force: Annotated[bool, typer.Option("--force", help="Allow --output and --save-problem to replace existing files.")] = False,
    decimals: Decimals = 4,
    width: Width = None,
    min_sigfigs: Annotated[Optional[int], typer.Option("--min-sigfigs", min=1, max=15, metavar="N",
                                                       help="With --quiz: an answer written with fewer significant figures is "
                                                            "too few digits (wrong), as in dlsolve check.", show_default=False)] = None,
    export: Annotated[Optional[Export], typer.Option("--export", help="Write a question bank for a learning platform instead: moodle (XML), gift, or prairielearn (a folder, -o FOLDER).", show_default=False)] = None,
    count: Annotated[Optional[int], typer.Option("--count", metavar="N", help="With --export: the number of variants (default 10).", show_default=False)] = None,
) -> None:
    """A fresh exercise with exam-friendly numbers, stated the way an exam states it.

    Every exercise comes from a seed: the same command, level and seed give the same
    exercise on any machine. --solution adds the worked solution; --save-problem writes
    the problem file, to solve, export or check later; --quiz asks the key values one at a
    time and marks them (exit code 0 when all are right, 1 otherwise). --export writes
    --count variants as a question bank for Moodle, GIFT or PrairieLearn (see the README's
    "For teachers: question banks").

    Limits: a bank has at most 1,000 variants (--count).
    """
    from dlsolve.practice.run import Request, run

    try:
        code = run(Request(name, seed, level.value, solution, quiz, save_problem, format.value, output, force, decimals, width, min_sigfigs,
                           export.value if export else None, count))
    except InputError as error:
        print(f"dlsolve practice: error: {error}", file=sys.stderr)
        raise typer.Exit(2) from None
    if code:
        raise typer.Exit(code)
