"""An exercise as text, Markdown or JSON, with or without its worked solution.

The question is written in the same lines (prose and ``$math$``) as a solution, so the
terminal shows Unicode math (x₁, η, d²) and Markdown shows LaTeX. Text is fitted to the
terminal's width as every command's is (:mod:`dlsolve.render.wrap`).
"""

from __future__ import annotations

from typing import Any

from dlsolve.core.derivation import Derivation, Line
from dlsolve.practice.exercise import DEFAULT_LEVEL, Exercise
from dlsolve.render.common import DEFAULT_DECIMALS, is_display, line_source, split_math

COMMENT_WIDTH = 88  # the problem file's comments: a file, not the terminal
INDENT = "  "


def label(index: int) -> str:
    """``(a)``, ``(b)`` …"""
    return f"({chr(ord('a') + index)})"


def invocation(exercise: Exercise, *extra: str) -> str:
    """The command that gives this exercise again."""
    level = () if exercise.level == DEFAULT_LEVEL else ("--level", exercise.level)
    return " ".join(("dlsolve practice", exercise.command, "--seed", str(exercise.seed), *level, *extra))


def heading(exercise: Exercise) -> str:
    return f"Practice: {exercise.title} ({exercise.command}), level {exercise.level}, seed {exercise.seed}"


# --- text ---------------------------------------------------------------------------------


def _plain(line: Line, decimals: int) -> tuple[str, bool]:
    """The line in Unicode; and whether it is one display equation."""
    from dlsolve.render.plain import plain_line

    return plain_line(line, decimals, glue=True), is_display(line_source(line, decimals))


def _wrapped(text: str, first: str, rest: str, width: int) -> list[str]:
    """``text`` after ``first``, fitted to ``width``; its continuation rows start with ``rest``."""
    from dlsolve.render.wrap import fit_text

    rows = fit_text(first + text, width, hang=len(rest))
    return rows[:1] + [rest + row.lstrip(" ") for row in rows[1:]]


def question_text(exercise: Exercise, decimals: int = DEFAULT_DECIMALS, width: int = 0) -> str:
    """The exercise as an exam prints it, fitted to ``width`` (0: no limit)."""
    from dlsolve.render.wrap import fit_text

    out = fit_text(heading(exercise), width, hang=2) + [""]
    for line in exercise.statement:
        out += paragraph(line, decimals, width) + [""]
    for i, question in enumerate(exercise.questions):
        text, _ = _plain(question.text, decimals)
        out += _wrapped(text, f"{label(i)} ", " " * 4, width)
    return "\n".join(out) + "\n"


def paragraph(line: Line, decimals: int, width: int, prefix: str = "") -> list[str]:
    """A statement line wrapped (or a display equation, indented on its own)."""
    text, display = _plain(line, decimals)
    if display:
        from dlsolve.render.wrap import fit_text

        return [prefix + row for row in fit_text(INDENT * 2 + text, width - len(prefix))]
    return _wrapped(text, prefix, prefix, width)


def footer(exercise: Exercise, solution: bool, width: int = 0) -> str:
    """How to get the same exercise again and its solution."""
    from dlsolve.render.wrap import fit_text

    lines = [f"Same exercise again (any machine): {invocation(exercise)}"]
    if not solution:
        lines.append(f"Worked solution: {invocation(exercise, '--solution')}")
    return "".join(row + "\n" for line in lines for row in fit_text(line, width, hang=2))


# --- Markdown -----------------------------------------------------------------------------


def markdown(exercise: Exercise, derivation: Derivation | None, decimals: int) -> str:
    """The exercise as a Markdown document, the worked solution as its second section."""
    from dlsolve.render import to_markdown

    lines = [f"# {to_markdown.escape(f'Practice: {exercise.title}')}", "",
             f"*Level {exercise.level}, seed {exercise.seed}: `{invocation(exercise)}` gives this exercise again.*", ""]
    for line in exercise.statement:
        lines += to_markdown.blocks(line, decimals)
    for i, question in enumerate(exercise.questions):
        lines += [f"**{label(i)}** " + to_markdown.inline(line_source(question.text, decimals)), ""]
    if derivation is not None:
        lines += ["## Solution", "", to_markdown.render(derivation, decimals, level=3)]
    return to_markdown.tidy(lines)


# --- JSON ---------------------------------------------------------------------------------


def to_dict(exercise: Exercise, derivation: Derivation | None) -> dict[str, Any]:
    """The exercise as data: the question, the problem file's content, the answer keys."""
    from dlsolve.render.plain import plain_line

    data: dict[str, Any] = {
        "command": exercise.command, "level": exercise.level, "seed": exercise.seed, "title": exercise.title,
        "statement": [plain_line(line, DEFAULT_DECIMALS) for line in exercise.statement],
        "questions": [{"label": label(i)[1:-1], "text": plain_line(q.text, DEFAULT_DECIMALS), "answers": list(q.answers)}
                      for i, q in enumerate(exercise.questions)],
        "problem": problem_table(exercise),
    }
    if derivation is not None:
        from dlsolve.render import to_json

        data["solution"] = to_json.to_dict(derivation)
    return data


def json_text(exercise: Exercise, derivation: Derivation | None) -> str:
    import json

    return json.dumps(to_dict(exercise, derivation), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# --- the problem file ---------------------------------------------------------------------


def problem_table(exercise: Exercise) -> dict[str, Any]:
    """What ``--save-problem`` writes: the command, a description and the inputs."""
    return {"command": exercise.command, "description": exercise.description, **exercise.problem}


def problem_file(exercise: Exercise) -> str:
    """The problem file's TOML, the question in its comments."""
    from dlsolve.practice.toml_file import dumps

    comments = [f"# {heading(exercise)}", f"# made by: {invocation(exercise)}", "#"]
    for line in exercise.statement:
        comments += paragraph(line, DEFAULT_DECIMALS, COMMENT_WIDTH, "# ") + ["#"]
    for i, question in enumerate(exercise.questions):
        text, _ = _plain(question.text, DEFAULT_DECIMALS)
        comments += _wrapped(text, f"# {label(i)} ", "#     ", COMMENT_WIDTH)
    comments += ["#", f"# Solve it with: dlsolve solve FILE (answers: {', '.join(_short_keys(exercise))})"]
    return dumps(problem_table(exercise), comments)


def _short_keys(exercise: Exercise) -> list[str]:
    """The answer keys without their item numbers: ``distances, winners, history``."""
    seen: dict[str, None] = {}
    for key in exercise.answers:
        seen[key.split(".")[0]] = None
    return list(seen)
