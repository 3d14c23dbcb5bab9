"""``dlsolve practice`` from its options to what it prints and writes.

Bad options and unwritable destinations are refused before anything is generated or
written (an ``InputError``: one line, exit 2); notices about files written go to stderr,
so stdout holds only the exercise.
"""

from __future__ import annotations

import sys
from typing import NamedTuple

from dlsolve.core.derivation import Derivation
from dlsolve.core.inputs import InputError
from dlsolve.practice import command_for, generate
from dlsolve.practice.exercise import Exercise
from dlsolve.topics import TOPICS

SAVE_OPTION = "--save-problem"


class Request(NamedTuple):
    """The options of one ``dlsolve practice`` run."""

    command: str | None
    seed: int | None
    level: str
    solution: bool
    quiz: bool
    save_problem: str | None
    format: str
    output: str | None
    force: bool
    decimals: int
    width: int | None = None  # --width (None: the terminal's, $COLUMNS or 80)
    min_sigfigs: int | None = None  # --min-sigfigs, for the quiz's marking
    export: str | None = None  # --export moodle|gift|prairielearn: a question bank (dlsolve.banks)
    count: int | None = None  # --count, the bank's number of variants


def checked_command(name: str | None) -> str | None:
    """The command to practise as given (``som_train`` and any case accepted), or None."""
    if name is None:
        return None
    cleaned = name.strip().lower().replace("_", "-")
    if cleaned not in TOPICS:
        import difflib

        hint = difflib.get_close_matches(cleaned, TOPICS, n=1)
        suggestion = f"did you mean {hint[0]!r}? " if hint else ""
        raise InputError("COMMAND", f"{name!r} is not a command to practise ({suggestion}one of {', '.join(TOPICS)})")
    return cleaned


def solution(exercise: Exercise) -> Derivation:
    """The worked solution: the exercise's inputs read the way a problem file's are."""
    from dlsolve import topics
    from dlsolve.core.inputs import resolve

    solver = topics.load(exercise.command)
    return solver.solve(resolve(solver.FIELDS, {}, exercise.problem, "the exercise"))


def _check_save(path: str, force: bool) -> None:
    """Refuse a problem-file destination early, naming --save-problem."""
    from dlsolve.core.output import check_destination

    try:
        check_destination(path, force)
    except InputError as error:
        raise InputError(SAVE_OPTION, error.problem) from None


def _save(path: str, text: str, force: bool) -> None:
    from dlsolve.core.output import write_atomic

    try:
        write_atomic(path, text, force)
    except InputError as error:
        raise InputError(SAVE_OPTION, error.problem) from None


def rendered(exercise: Exercise, derivation: Derivation | None, format: str, decimals: int, width: int = 0) -> str:
    """The exercise (and solution) in ``format``, as one string (text fitted to ``width``)."""
    from dlsolve.practice import render

    if format == "json":
        return render.json_text(exercise, derivation)
    if format == "markdown":
        return render.markdown(exercise, derivation, decimals)
    if format == "html":
        from dlsolve.render.to_html import page

        return page(render.markdown(exercise, derivation, decimals))
    solution = ""
    if derivation is not None:
        from dlsolve.render import to_text

        solution = "\nSolution\n\n" + to_text.render(derivation, decimals, width)
    return render.question_text(exercise, decimals, width) + solution + "\n" + render.footer(exercise, derivation is not None, width)


def _show_text(exercise: Exercise, derivation: Derivation | None, decimals: int, width: int) -> None:
    """Text on stdout: the solution in colour on a terminal, like every solver's."""
    from dlsolve.practice import render

    sys.stdout.write(render.question_text(exercise, decimals, width))
    if derivation is not None:
        from dlsolve.render import to_text

        sys.stdout.write("\nSolution\n\n")
        sys.stdout.flush()
        to_text.show(derivation, decimals, width)
    sys.stdout.write("\n" + render.footer(exercise, derivation is not None, width))


def _check_quiz(request: Request) -> None:
    """--quiz asks on the terminal: it shows no solution and writes no rendering."""
    clash = ("--solution" if request.solution else "--output" if request.output
             else f"--format {request.format}" if request.format != "text" else None)
    if clash:
        raise InputError("--quiz", f"cannot be combined with {clash} (the quiz asks the answers in the terminal; "
                                   "run it without, and use --solution or --output on their own)")


def run(request: Request) -> int:
    """Generate, render, write (or quiz); the exit code. Raises ``InputError`` before
    writing anything."""
    from dlsolve.core.output import check_destination, write_atomic

    name = checked_command(request.command)
    if request.export is not None or request.count is not None:
        from dlsolve.banks.run import export

        return export(request, name)
    if request.format == "html":
        from dlsolve.render.to_html import require

        require()
    if request.quiz:
        _check_quiz(request)
    elif request.min_sigfigs is not None:
        raise InputError("--min-sigfigs", "marks the quiz's answers: add --quiz (dlsolve check takes it for answers files)")
    if request.output is not None:
        check_destination(request.output, request.force)
    if request.save_problem is not None:
        _check_save(request.save_problem, request.force)
        if request.output and _same_file(request.output, request.save_problem):
            raise InputError(SAVE_OPTION, "is the same file as --output; give two different files")
    seed = request.seed
    if seed is None:
        from dlsolve.practice.draw import new_seed

        seed = new_seed()
    exercise = generate(name or command_for(seed), seed, request.level)
    derivation = solution(exercise) if request.solution or request.quiz else None

    if request.save_problem:
        from dlsolve.practice.render import problem_file

        _save(request.save_problem, problem_file(exercise), request.force)
        print(f"Problem file written: {request.save_problem} (solve it: dlsolve solve {request.save_problem})", file=sys.stderr)
    from dlsolve.render.wrap import text_width

    width = text_width(request.width)
    if request.quiz:
        from dlsolve.practice.quiz import run_quiz

        assert derivation is not None
        return run_quiz(exercise, derivation, request.decimals, width, request.min_sigfigs)
    if request.output:
        write_atomic(request.output, rendered(exercise, derivation, request.format, request.decimals, width), request.force)
        print(f"Exercise written: {request.output} (seed {seed})", file=sys.stderr)
    elif request.format == "text":
        _show_text(exercise, derivation, request.decimals, width)
    else:
        sys.stdout.write(rendered(exercise, derivation, request.format, request.decimals))
    return 0


def _same_file(a: str, b: str) -> bool:
    import os

    return os.path.abspath(a) == os.path.abspath(b)
