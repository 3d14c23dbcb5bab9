"""Check reports: a file's table (its answers grouped by the solution's steps), a class
summary for many files (with every file's table on request), and the same as Markdown, JSON
(always every answer of every file) and Gradescope's results.json.

Given values are shown as the student wrote them ("0.60" stays 0.60); expected values to
the shown decimals, and always one digit beyond what the student wrote, so a wrong last
digit is visible.
"""

from __future__ import annotations

import io
import json
import math
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

from dlsolve import __version__
from dlsolve.checking.compare import OutOfRange, Rule, Verdict, as_decimal
from dlsolve.checking.judge import Checked, element_name
from dlsolve.checking.session import FileResult
from dlsolve.core.inputs import one_line
from dlsolve.core.numbers import format_number
from dlsolve.render.common import MAX_MATRIX_ENTRIES, MAX_VECTOR, elide
from dlsolve.render.wrap import StyledLine, fit

MARKS = {"right": "✓", "carried": "✗", "wrong": "✗"}


# --- values as text -------------------------------------------------------------------------


def _minus(text: str) -> str:
    return text.replace("-", "−") if text[:1] == "-" or "e-" in text else text


def _number_as_written(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return _minus(str(value) if value.is_finite() else str(value).lower().replace("infinity", "inf"))
    if isinstance(value, str):
        return f'"{one_line(value)}"'  # a student's text: its control characters escaped
    if value is None:
        return "null"
    return _minus(str(value))


def _places_written(given: Any) -> int | None:
    """Decimal places the student wrote (for showing the expected value one further)."""
    if type(given) is int:
        return 0
    number = given if type(given) is Decimal else (as_decimal(given) if not isinstance(given, (bool, str)) else None)
    if number is None or not number.is_finite():
        return None
    return max(-number.as_tuple().exponent, 0)


@lru_cache(maxsize=4096)
def _expected_float(value: float, places: int | None, decimals: int) -> str:
    """An exact value to ``decimals`` and at least one place beyond the ``places`` written
    (a class's files share their expected values: cached)."""
    if places is not None and value != 0 and math.isfinite(value):
        # format_number shows `decimals` places from 1 up, `decimals` significant digits below
        needed = places + 1 if abs(value) >= 1 else places + 1 + math.floor(math.log10(abs(value))) + 1
        decimals = max(decimals, needed)
    return _minus(format_number(value, min(decimals, 15), latex=False))


def _expected_number(value: Any, given: Any, decimals: int) -> str:
    if type(value) is float:
        return _expected_float(value, _places_written(given), decimals)
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return _number_as_written(value)
    return _minus(format_number(value, decimals, latex=False))


def _joined(items: list[str], depth: int) -> str:
    if depth == 0 and len(items) > MAX_VECTOR:
        return ", ".join(elide(items, MAX_VECTOR, "…")) + f" ({len(items)} values)"
    return ("; " if depth else ", ").join(items)


def _large(value: list[Any]) -> bool:
    """A matrix (or deeper array) with more entries than a line shows."""
    rows, first = len(value), value[0]
    if isinstance(first[0] if first else None, list):
        return rows * len(first) * len(first[0]) > MAX_MATRIX_ENTRIES
    return rows * len(first) > MAX_MATRIX_ENTRIES


def value_text(value: Any, given: Any = None, decimals: int = 4, written: bool = False) -> str:
    """A value as the report shows it: ``a, b; c, d`` for a matrix (the command-line syntax).
    ``written``: the student's own digits; else the exact value, one digit beyond ``given``'s."""
    if isinstance(value, list) and value and isinstance(value[0], list) and _large(value):
        return f"{len(value)} × {len(value[0])} values (see --format json)"
    return _text(value, given, decimals, written)


def _text(value: Any, given: Any, decimals: int, written: bool) -> str:
    if isinstance(value, list):
        if not value:
            return "(empty)"
        parts = given if isinstance(given, list) and len(given) == len(value) else [None] * len(value)
        if isinstance(value[0], (list, dict)):  # rows of a matrix, or tables (conv-params' layers)
            return "; ".join(_text(v, g, decimals, written) for v, g in zip(value, parts))
        if written:
            items = [_number_as_written(v) for v in value]
        else:
            items = [_expected_number(v, g, decimals) for v, g in zip(value, parts)]
        return f"[{items[0]}]" if len(items) == 1 else _joined(items, 0)
    if isinstance(value, dict):
        parts = given if isinstance(given, dict) else {}
        return "{" + ", ".join(f"{k} = {_text(v, parts.get(k), decimals, written)}" for k, v in value.items()) + "}"
    return _number_as_written(value) if written else _expected_number(value, given, decimals)


def _tolerance(t: float) -> str:
    """A tolerance to two significant digits, never in e-notation: 0.0000005, 0.0051, 0.5."""
    if t == 0:
        return "0"
    places = max(0, 1 - math.floor(math.log10(t)))
    text = f"{t:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def tolerance_text(verdict: Verdict) -> str:
    """``±0.005``, ``±0.0005–0.05`` (written to different precisions) or ``exact``."""
    tolerances = sorted({e.tolerance for e in verdict.elements if e.tolerance is not None})
    if not tolerances:
        return "exact"
    low, high = _tolerance(tolerances[0]), _tolerance(tolerances[-1])
    return f"±{low}" if low == high else f"±{low}–{high}"


def _elements(paths: Sequence[Any]) -> str:
    names = [element_name(p) for p in paths]
    if len(paths) and len(paths[0]) == 1 and isinstance(paths[0][0], int):
        return ("element " if len(names) == 1 else "elements ") + ", ".join(names)
    return ", ".join(names)


def remarks(c: Checked, decimals: int) -> list[tuple[str, str]]:
    """What is said under a wrong answer: (text, style) lines; the verdict given the
    student's earlier answers first when it is the one that counts."""
    out: list[tuple[str, str]] = []
    verdict = c.verdict
    if c.carried and c.carried.verdict.right:
        out.append(_carried_line(c, decimals))
    if verdict.problem:
        out.append((verdict.problem, "yellow"))
    wrong = verdict.wrong
    if wrong and len(verdict.elements) > 1:
        out.append((f"wrong: {_elements([e.path for e in wrong])} of {len(verdict.elements)}", ""))
    for e in wrong:
        if e.note:
            where = f"{element_name(e.path)}: " if e.path else ""
            out.append((f"{where}{e.note}", "yellow"))
    for d in c.diagnoses:
        partial = f" — matches {_elements(d.explains)}; {_elements(d.unexplained)} wrong otherwise" if d.unexplained else ""
        out.append((f"slip: {d.text}{partial}", "bold magenta"))
    if c.carried and not c.carried.verdict.right:
        out.append(_carried_line(c, decimals))
    return out


def _yours(carried: Any) -> str:
    """``se = 1.3416``, ``mean = 47 and sd = 3.03``, ``history.2``: the student's values used."""
    named = [f"{key} = {_number_as_written(value)}" if not isinstance(value, (list, dict)) else key
             for key, value in zip(carried.sources, carried.values)]
    text = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    return text if carried.wrong_sources else text + (" as you rounded it" if len(named) == 1 else " as you rounded them")


def _carried_line(c: Checked, decimals: int) -> tuple[str, str]:
    carried = c.carried
    assert carried is not None
    value = value_text(carried.expected, c.given, decimals)
    if isinstance(carried.widening, float) and carried.widening > 0 and len(carried.verdict.elements) == 1:
        value += f" ± {_tolerance(carried.verdict.elements[0].tolerance or 0.0)}"
    if carried.refused:
        return f"right given your {_yours(carried)} ({value}), but no credit: {carried.refused}", "yellow"
    if carried.verdict.right:
        return f"✓ right given your {_yours(carried)} (error carried forward: {value})", "green"
    return f"✗ also wrong given your {_yours(carried)} (from your values: {value})", "red"


# --- the text report ------------------------------------------------------------------------


def _score(result: FileResult) -> str:
    return f"{result.score:g}/{result.max_score}"


def _score_line(result: FileResult) -> str:
    right, carried, wrong = (result.count(s) for s in ("right", "carried", "wrong"))
    if not carried and not wrong:
        return f"Score {_score(result)}: every answer right."
    parts = [f"{right} right"]
    if carried:
        parts.append(f"{carried} right given your earlier answers (error carried forward)")
    parts.append(f"{wrong} wrong")
    return f"Score {_score(result)}: {', '.join(parts)}."


def _step_text(ref: Any) -> str:
    return f"Step {ref.number}. {ref.title}" if ref else "—"


def _file_lines(result: FileResult, rule: Rule, decimals: int, width: int) -> list[StyledLine]:
    """A file's heading, its answers as a table grouped by step (turned into one block per
    answer when the table is wider than ``width``), its score."""
    who = f" ({one_line(result.student)})" if result.student else ""
    out = fit([(f"{one_line(result.path)}{who}", "bold"), (f" — {result.command}: {result.title}", "")], width)
    out += fit([(f"{result.problem[0].upper()}{result.problem[1:]}. Judged {(result.rule or rule).describe()}.", "dim")], width) + [[]]
    rows = [(c, value_text(c.given, written=True), value_text(c.expected, c.given, decimals), tolerance_text(c.verdict))
            for c in result.checked]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in ((1, "given"), (2, "expected"), (3, "tolerance"))]
    key_width = max([len("answer")] + [len(c.key) for c in result.checked])
    turned = 0 < width < 5 + key_width + sum(widths) + 3 * len(widths)
    if not turned:
        header = f"     {'answer'.ljust(key_width)}   {'given'.ljust(widths[0])}   {'expected'.ljust(widths[1])}   tolerance"
        out.append([(header, "bold")])
        out.append([("  " + "─" * (len(header) - 2 + max(0, widths[2] - len("tolerance"))), "dim")])
    current: Any = 0
    for c, given, expected, tolerance in rows:
        if c.step != current:
            current = c.step
            out += fit([(_step_text(c.step) if c.step else "Not tied to a step", "bold cyan")], width, hang=8)
        mark = [("  ", ""), (MARKS[c.status], {"right": "bold green", "carried": "bold yellow", "wrong": "bold red"}[c.status]), ("  ", "")]
        if turned:
            out.append([*mark, (c.key, "")])
            for label, text in (("given", given), ("expected", expected), ("tolerance", tolerance)):
                out += fit([(f"       {label.ljust(9)}  ", "dim"), (text, "")], width, hang=18)
            under = 7  # the remarks under the labels
        else:
            cells = f"{c.key.ljust(key_width)}   {given.ljust(widths[0])}   {expected.ljust(widths[1])}   {tolerance}"
            out.append([*mark, (cells, "")])
            under = 8 + key_width  # the remarks under "given"
        for text, style in remarks(c, decimals):
            out += fit([(" " * under, ""), (text, style)], width, hang=under + 2)
    out += [[]] + fit([(_score_line(result), "bold")], width)
    if result.first_wrong:
        out += fit([(f"First wrong step: {_step_text(result.first_wrong)}", "")], width)
    return out


def _summary_rows(results: Sequence[FileResult]) -> tuple[list[str], list[list[str]]]:
    """The class summary as a header and rows of cells (an unusable file: its error in the score column)."""
    students = any(r.student for r in results)
    header = ["file", *(["student"] if students else []), "score", "right", "ecf", "wrong", "first wrong step"]
    rows = []
    marks: dict[int, list[str]] = {}  # by the judged answers: files judged alike share them (Checker remembers)
    for r in results:
        name = [one_line(r.path), *([one_line(r.student or "")] if students else [])]
        if r.error is not None:
            rows.append([*name, "unusable: " + r.error])
            continue
        if id(r.checked) not in marks:
            marks[id(r.checked)] = [_score(r), *(str(r.count(s)) for s in ("right", "carried", "wrong")), _step_text(r.first_wrong)]
        rows.append([*name, *marks[id(r.checked)]])
    return header, rows


def _summary_lines(results: Sequence[FileResult], rule: Rule, width: int) -> list[StyledLine]:
    """The class table (turned into one block per file when wider than ``width``), the
    share of files all right, the answers most often wrong."""
    usable = [r for r in results if r.error is None]
    out = fit([(f"Class summary: {len(results)} files", "bold cyan"), (f", judged {rule.describe().split(':')[0]}", "")], width)
    header, rows = _summary_rows(results)
    first = len(header) - 5  # the name columns
    widths = [max(len(row[i]) for row in [header, *rows] if len(row) > i + 1 or i < first) for i in range(len(header) - 1)]

    def cells(row: list[str]) -> str:
        if len(row) == first + 1:  # unusable: the error after the names
            return "   ".join(c.ljust(w) for c, w in zip(row[:first], widths)) + "   " + row[first]
        return "   ".join(c.ljust(w) if i < first else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))) + "   " + row[-1]

    line = cells(header)
    if 0 < width < 2 + max(len(cells(row)) for row in [header, *rows]):
        out += _summary_blocks(rows, first, width)
    else:
        out += [[("  " + line, "bold")], [("  " + "─" * len(line), "dim")]]
        out += [[("  " + cells(row), "red" if len(row) == first + 1 else "")] for row in rows]
    if usable:
        mean = sum(r.score / r.max_score for r in usable) / len(usable)
        out += fit([(f"  {sum(r.all_right for r in usable)} of {len(usable)} files all right; mean score {100 * mean:.1f}%", "dim")], width)
    missed = _most_missed(usable)
    if missed:
        out += [[], [("Most often wrong", "bold cyan")]]
        out += [row for line in missed for row in fit([(f"  {line}", "")], width, hang=4)]
    return out


def _summary_blocks(rows: list[list[str]], first: int, width: int) -> list[StyledLine]:
    """The class table turned: each file's name (and student) on a line, its marks and its
    first wrong step under it."""
    out: list[StyledLine] = []
    for row in rows:
        out += fit([("  " + " — ".join(cell for cell in row[:first] if cell), "bold")], width, hang=4)
        if len(row) == first + 1:  # unusable: the error
            out += fit([("      " + row[first], "red")], width, hang=8)
        else:
            score, right, carried, wrong, step = row[first:]
            out += fit([(f"      score {score}: {right} right, {carried} ecf, {wrong} wrong", "")], width, hang=8)
            if step != "—":
                out += fit([("      first wrong step: ", ""), (step, "")], width, hang=8)
    return out


def _most_missed(results: Sequence[FileResult], limit: int = 8) -> list[str]:
    """Item analysis: the answers most often wrong, how many of those follow from an earlier
    mistake (error carried forward), and the slip most often behind them."""
    wrong: Counter[tuple[str, str]] = Counter()
    carried: Counter[tuple[str, str]] = Counter()
    seen: Counter[tuple[str, str]] = Counter()
    slips: dict[tuple[str, str], Counter[str]] = {}
    alike: dict[int, tuple[str, tuple[Checked, ...], int]] = {}  # files judged alike (the same answers) counted at once
    for r in results:
        command, checked, files = alike.get(id(r.checked), (r.command or "", r.checked, 0))
        alike[id(r.checked)] = (command, checked, files + 1)
    for command, checked, files in alike.values():
        for c in checked:
            item = (command, c.key)
            seen[item] += files
            if not c.verdict.right:
                wrong[item] += files
                carried[item] += files * (c.status == "carried")
                for d in c.diagnoses[:1]:
                    slips.setdefault(item, Counter())[d.text] += files  # the slip in words, not its id
    commands = {command for command, _ in seen}
    out = []
    for item, count in wrong.most_common(limit):
        name = item[1] if len(commands) == 1 else f"{item[0]} {item[1]}"
        ecf = f" ({carried[item]} right given earlier answers)" if carried[item] else ""
        common = slips.get(item)
        slip = f"; most common slip (in {common.most_common(1)[0][1]}): {common.most_common(1)[0][0]}" if common else ""
        out.append(f"{name}: wrong in {count} of {seen[item]} files{ecf}{slip}")
    return out


def _tables(results: Sequence[FileResult], details: bool) -> list[FileResult]:
    """The files that get a table: one file always; several with ``details`` (else only the summary)."""
    return [r for r in results if r.error is None] if details or len(results) == 1 else []


def text_lines(results: Sequence[FileResult], rule: Rule, decimals: int, details: bool = False, width: int = 0) -> list[StyledLine]:
    """A file's table; for several files the class summary (after every file's table with
    ``details``); fitted to ``width`` (0: no limit)."""
    out: list[StyledLine] = []
    for result in _tables(results, details):
        out += _file_lines(result, rule, decimals, width) + [[]]
    if len(results) > 1:
        out += _summary_lines(results, rule, width)
    while out and not out[-1]:
        out.pop()
    return out


def render_text(results: Sequence[FileResult], rule: Rule, decimals: int = 4, details: bool = False, width: int = 0) -> str:
    from dlsolve.render.to_text import as_text

    return as_text(text_lines(results, rule, decimals, details, width))


def show_text(results: Sequence[FileResult], rule: Rule, decimals: int = 4, details: bool = False, width: int = 0) -> None:
    """Print the text report: in colour on a terminal, else exactly :func:`render_text`."""
    from dlsolve.render.to_text import print_lines

    print_lines(text_lines(results, rule, decimals, details, width))


# --- Markdown -------------------------------------------------------------------------------


def _cell(text: str) -> str:
    """Text for a Markdown line or table cell, shown and never rendered: one line (control
    characters escaped), Markdown's and HTML's special characters escaped as the solutions'
    prose is — a student's name or text answer may hold ``<script>``, ``[a](javascript:x)``
    or a ``|`` that would split the row."""
    from dlsolve.render.to_markdown import escape  # (the Markdown report only: not on the text path)

    return escape(text if text.isprintable() else one_line(text))


def render_markdown(results: Sequence[FileResult], rule: Rule, decimals: int = 4, details: bool = False) -> str:
    out: list[str] = []
    for result in _tables(results, details):
        who = f" ({_cell(result.student)})" if result.student else ""
        out += [f"## {_cell(result.path)}{who}", "",
                f"{result.command}: {_cell(result.title)}. {result.problem[0].upper()}{result.problem[1:]}; judged {_cell((result.rule or rule).describe())}.", "",
                "| | answer | given | expected | tolerance | step | remarks |", "|---|---|---|---|---|---|---|"]
        for c in result.checked:
            notes = "; ".join(text for text, _ in remarks(c, decimals))
            step = f"{c.step.number}. {c.step.title}" if c.step else ""
            cells = (MARKS[c.status], f"`{c.key}`", value_text(c.given, written=True), value_text(c.expected, c.given, decimals),
                     tolerance_text(c.verdict), step, notes)
            out.append("| " + " | ".join(_cell(x) if i != 1 else x for i, x in enumerate(cells)) + " |")
        out += ["", f"**{_cell(_score_line(result))}**" + (f" First wrong step: {_cell(_step_text(result.first_wrong))}." if result.first_wrong else ""), ""]
    if len(results) > 1:
        header, rows = _summary_rows(results)
        out += ["## Class summary", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(_cell(c) for c in row + [""] * (len(header) - len(row))) + " |" for row in rows]
        missed = _most_missed([r for r in results if r.error is None])
        if missed:
            out += ["", "Most often wrong:", "", *(f"- {_cell(m)}" for m in missed)]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# --- JSON and Gradescope ----------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    """A given value for JSON: decimals as numbers, non-finite and unusable ones as text."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value).lower().replace("infinity", "inf")
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    if isinstance(value, OutOfRange):
        return str(value)
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


def _shaped_tolerances(c: Checked) -> Any:
    """The tolerance of each element, shaped like the answer (a number for a scalar answer;
    null where the match must be exact, or when the given value had another shape)."""
    verdict = c.verdict
    if verdict.problem:
        return None
    if len(verdict.elements) == 1 and not verdict.elements[0].path:
        return verdict.elements[0].tolerance
    out: Any = [] if not isinstance(c.given, dict) else {}
    for e in verdict.elements:
        holder = out
        for part in e.path[:-1]:
            if isinstance(holder, list):
                while len(holder) <= part:
                    holder.append([])
            holder = holder[part]
        if isinstance(holder, list):
            holder.append(e.tolerance)
        else:
            holder[e.path[-1]] = e.tolerance
    return out


def checked_dict(c: Checked) -> dict[str, Any]:
    """One judged answer as the JSON report (and the Python API's ``Report``) gives it."""
    verdict = c.verdict
    return {
        "key": c.key,
        "status": c.status,
        "right": verdict.right,
        "given": _json_value(c.given),
        "given_as_written": value_text(c.given, written=True),
        "expected": c.expected,
        "tolerance": _shaped_tolerances(c),
        "wrong_elements": [list(e.path) for e in verdict.wrong],
        "problem": verdict.problem,
        "step": {"number": c.step.number, "title": c.step.title} if c.step else None,
        "diagnoses": [{"slip": d.slip, "text": d.text, "elements": [list(p) for p in d.explains],
                       "other_wrong_elements": [list(p) for p in d.unexplained]} for d in c.diagnoses],
        "carried_forward": None if c.carried is None else {
            "expected": c.carried.expected, "right": c.carried.verdict.right,
            "from": list(c.carried.sources), "from_wrong": list(c.carried.wrong_sources)},
        "score": c.score,
    }


def _file_dict(r: FileResult) -> dict[str, Any]:
    if r.error is not None:
        return {"file": r.path, "error": r.error}
    first = r.first_wrong
    extra = {"min_sigfigs": r.rule.min_sigfigs} if r.rule and r.rule.min_sigfigs else {}
    return {"file": r.path, "student": r.student, "command": r.command, "title": r.title, "problem": r.problem, **extra,
            "score": r.score, "max_score": r.max_score, "all_right": r.all_right,
            "right": r.count("right"), "carried_forward": r.count("carried"), "wrong": r.count("wrong"),
            "first_wrong_step": {"number": first.number, "title": first.title} if first else None,
            "answers": [checked_dict(c) for c in r.checked]}


def _rule_dict(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {"mode": rule.mode, "description": rule.describe()}
    if rule.mode in ("sigfig", "decdig"):
        out["digits"] = rule.digits
    if rule.mode == "relabs":
        out |= {"rtol": rule.rtol, "atol": rule.atol}
    if rule.min_sigfigs:
        out["min_sigfigs"] = rule.min_sigfigs
    return out


def write_json(results: Sequence[FileResult], rule: Rule, ecf_credit: float, write: Callable[[str], object]) -> None:
    """One object: the rule, a summary, and a line per file (compact, so a class's report
    is written by the C encoder; ``jq`` or any JSON reader pretty-prints it), written a
    file's line at a time (a class of 10,000 files makes tens of megabytes)."""
    usable = [r for r in results if r.error is None]
    head = {
        "version": __version__,
        "rule": _rule_dict(rule),
        "ecf_credit": ecf_credit,
        "summary": {"files": len(results), "unusable": len(results) - len(usable),
                    "all_right": sum(r.all_right for r in usable),
                    "mean_score": sum(r.score / r.max_score for r in usable) / len(usable) if usable else None},
    }
    write("{\n" + "".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False, allow_nan=False)},\n" for k, v in head.items())
          + '  "files": [\n')
    for i, result in enumerate(results):
        write((",\n    " if i else "    ") + json.dumps(_file_dict(result), ensure_ascii=False, allow_nan=False))
    write("\n  ]\n}\n")


def render_json(results: Sequence[FileResult], rule: Rule, ecf_credit: float) -> str:
    """:func:`write_json`'s text as one string."""
    buffer = io.StringIO()
    write_json(results, rule, ecf_credit, buffer.write)
    return buffer.getvalue()


def _test_output(c: Checked, decimals: int) -> str:
    lines = [f"given:     {value_text(c.given, written=True)}", f"expected:  {value_text(c.expected, c.given, decimals)}",
             f"tolerance: {tolerance_text(c.verdict)}"]
    if c.step:
        lines.append(f"from:      Step {c.step.number}. {c.step.title}")
    return "\n".join(lines + [text for text, _ in remarks(c, decimals)])


def render_gradescope(result: FileResult, rule: Rule, decimals: int = 4) -> str:
    """Gradescope's results.json: one test per answer (1 point each; an answer right only
    given the student's earlier answers earns the error-carried-forward credit)."""
    if result.error is not None:
        document: dict[str, Any] = {"score": 0, "output": f"Your answers file could not be checked: {result.error}", "tests": []}
    else:
        header = f"{result.command}: {result.title}. Judged {(result.rule or rule).describe()}. {_score_line(result)}"
        if result.first_wrong:
            header += f" First wrong step: {_step_text(result.first_wrong)}."
        document = {
            "score": result.score,
            "output": header,
            "tests": [{"name": f"{c.key}" + (f" (Step {c.step.number}. {c.step.title})" if c.step else ""),
                       "number": str(i), "score": c.score, "max_score": 1, "status": "passed" if c.verdict.right else "failed",
                       "output": _test_output(c, decimals)} for i, c in enumerate(result.checked, 1)],
            "extra_data": {"max_score": result.max_score, "command": result.command, "rule": _rule_dict(result.rule or rule)},
        }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# --- writing ---------------------------------------------------------------------------------


def rendered(results: Sequence[FileResult], rule: Rule, format: str, decimals: int = 4, details: bool = False,
             ecf_credit: float = 1.0, width: int = 0) -> str:
    """The report in ``format`` (text, markdown, html, json or gradescope — one file) as one string;
    text fitted to ``width`` (0: no limit)."""
    if format == "json":
        return render_json(results, rule, ecf_credit)
    if format == "gradescope":
        return render_gradescope(results[0], rule, decimals)
    if format == "markdown":
        return render_markdown(results, rule, decimals, details)
    if format == "html":
        from dlsolve.render.to_html import page

        return page(render_markdown(results, rule, decimals, details))
    return render_text(results, rule, decimals, details, width)


def emit(results: Sequence[FileResult], rule: Rule, format: str, output: str | None, force: bool, decimals: int = 4,
         details: bool = False, ecf_credit: float = 1.0, width: int | None = None) -> None:
    """Show the report, or write it to ``output`` atomically; text fitted to ``--width``
    (None: the terminal's, $COLUMNS or 80)."""
    from dlsolve.render.wrap import text_width

    fitted = text_width(width)
    if output:
        from dlsolve.core.output import write_atomic

        if format == "json":
            write_atomic(output, lambda stream: write_json(results, rule, ecf_credit, stream.write), force)
        else:
            write_atomic(output, rendered(results, rule, format, decimals, details, ecf_credit, fitted), force)
    elif format == "json":
        write_json(results, rule, ecf_credit, sys.stdout.write)
    elif format == "text":
        show_text(results, rule, decimals, details, fitted)
    else:
        sys.stdout.write(rendered(results, rule, format, decimals, details, ecf_credit))
