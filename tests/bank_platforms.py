"""The platforms' side of the question banks, written from their documentation and
importers, for the round-trip tests: read an export back as Moodle, GIFT or PrairieLearn
would, and grade a number by each platform's own rule; and what ``dlsolve check`` says of
the same number.

Moodle (question/type/numerical/question.php): a response is graded by the first answer,
in order, with |x − answer| ≤ tolerance + 10⁻¹⁴ (it adds 10^−precision, PHP's precision 14,
against float noise, MDL-3225). A cloze blank is parsed with qtype_multianswer's regexes
(ANSWER_REGEX, ANSWER_ALTERNATIVE_REGEX, NUMERICAL_ALTERNATIVE_REGEX in
question/type/multianswer/questiontype.php), ported here (Python's lookbehind needs fixed
widths: ``(?<!\\\\|&|&amp;)`` is written as three lookbehinds). GIFT is parsed as
question/format/gift/format.php does: blank-line-separated questions, ``//`` comments,
``escapedchar_pre``/``_post``, ``::name::``, the first ``{`` … ``}``, ``####`` general
feedback, ``=``-separated numerical answers with ``%weight%`` and ``#feedback``.
PrairieLearn: pl-number-input ``comparison="relabs"`` is right when
|x − a| ≤ atol + rtol·|a| (docs/elements/pl-number-input.md); pl-integer-input when x = a.
"""

from __future__ import annotations

import html
import importlib.util
import math
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from dlsolve.checking.answers_file import AnswersFile
from dlsolve.checking.compare import Rule
from dlsolve.checking.judge import Solution, judge
from dlsolve.checking.keys import locate

MOODLE_SLACK = 1e-14

# --- Moodle's cloze syntax (qtype_multianswer) ------------------------------------------------

_FRACTION = r"=|%(-?[0-9]+(?:[.,][0-9]*)?)%"
_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"
_FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
_ALTERNATIVE = f"({_FRACTION})?({_ANSWER})(#({_FEEDBACK}))?"
_NUMBER = r"-?(([0-9]+[.,]?[0-9]*|[.,][0-9]+)([eE][-+]?[0-9]+)?)"
_NUMERICAL = f"^({_NUMBER})(:{_NUMBER})?$"
_TYPES = r"(NUMERICAL|NM)|(MULTICHOICE|MC)|(SHORTANSWER|SA|MW)"
ANSWER_REGEX = re.compile(r"\{([0-9]*):(" + _TYPES + "):(" + _ALTERNATIVE + "(~" + _ALTERNATIVE + r")*)\}", re.S)


class Choice(NamedTuple):
    """One answer of a numerical question: fraction, value, tolerance, feedback."""

    fraction: float
    value: float | str  # a multiple choice's option text
    tolerance: float
    feedback: str


def cloze_blanks(text: str) -> list[list[Choice]]:
    """The numerical blanks of a cloze question text, in order, as Moodle extracts them."""
    blanks = []
    while (match := ANSWER_REGEX.search(text)) is not None:
        numerical, multichoice = match.group(3), match.group(4)
        assert numerical or multichoice, f"not a NUMERICAL or MULTICHOICE blank: {match.group(0)[:80]}"
        remaining, choices = match.group(6), []
        while remaining and (alt := re.match("~?" + _ALTERNATIVE, remaining, re.S)):
            fraction = 1.0 if alt.group(1) == "=" else 0.01 * float(alt.group(2).replace(",", ".")) if alt.group(2) else 0.0
            feedback = html.unescape(alt.group(5) or "").replace("\\}", "}").replace("\\#", "#")
            if multichoice:
                option = html.unescape(alt.group(3)).replace("\\}", "}").replace("\\#", "#")
                choices.append(Choice(fraction, option, 0.0, feedback))
            else:
                number = re.match(_NUMERICAL, alt.group(3), re.S)
                assert number, f"not a number: {alt.group(3)!r}"
                choices.append(Choice(fraction, float(number.group(1)), float(number.group(6)) if number.group(6) else 0.0, feedback))
            remaining = remaining.split(alt.group(0), 1)[1]
        blanks.append(choices)
        text = text.replace(match.group(0), f"{{#{len(blanks)}}}", 1)
    return blanks


def moodle_questions(xml_text: str) -> tuple[ET.Element, list[ET.Element]]:
    """The quiz's category question and its cloze questions."""
    root = ET.fromstring(xml_text)
    assert root.tag == "quiz"
    questions = root.findall("question")
    assert questions[0].get("type") == "category"
    return questions[0], questions[1:]


def grade(choices: list[Choice], x: float | str) -> Choice | None:
    """Moodle's numerical rule: the first answer within its tolerance (None: no answer
    matches); a multiple choice: the option chosen."""
    if isinstance(x, str):
        return next(c for c in choices if c.value == x)
    return next((c for c in choices if abs(x - c.value) <= c.tolerance + MOODLE_SLACK), None)


# --- GIFT (question/format/gift/format.php) -------------------------------------------------

_ESCAPES = [("\\:", "&&058;"), ("\\#", "&&035;"), ("\\=", "&&061;"), ("\\{", "&&123;"), ("\\}", "&&125;"),
            ("\\~", "&&126;"), ("\\n", "&&010")]
_POST = [("&&058;", ":"), ("&&035;", "#"), ("&&061;", "="), ("&&123;", "{"), ("&&125;", "}"), ("&&126;", "~"), ("&&010", "\n")]


def _pre(text: str) -> str:
    text = text.replace("\\\\", "&&092;")
    for escaped, placeholder in _ESCAPES:
        text = text.replace(escaped, placeholder)
    return text.replace("&&092;", "\\")


def _post(text: str) -> str:
    for placeholder, char in _POST:
        text = text.replace(placeholder, char)
    return text


class GiftQuestion(NamedTuple):
    category: str
    name: str
    text: str
    format: str
    choices: list[Choice]
    general_feedback: str


def gift_questions(source: str) -> list[GiftQuestion]:
    """Every numerical question of a GIFT file, read as Moodle's GIFT importer reads it."""
    out, category = [], ""
    for block in re.split(r"\n\s*\n", source):
        lines = [" " if line.strip().startswith("//") else line for line in block.split("\n")]
        text = _pre("\n".join(lines).strip())
        if not text:
            continue
        if text.startswith("$CATEGORY:"):
            category = text[10:].strip()
            continue
        assert text.startswith("::")
        text = text[2:]
        end = text.index("::")
        name, text = _post(text[:end]), text[end + 2:].strip()
        start, finish = text.index("{"), text.index("}")
        answers, question = text[start + 1:finish].strip(), text[:start]
        assert text.endswith("}") and finish == len(text) - 1, "the answers close the question"
        general = ""
        if "####" in answers:
            cut = answers.rindex("####")
            general, answers = answers[cut + 4:], answers[:cut].strip()
        fmt = "moodle"
        if question.startswith("["):
            fmt, question = question[1:question.index("]")], question[question.index("]") + 1:]
        choices = []
        if answers[0] != "#":  # multiple choice: = the right option, ~ a wrong one, %n% a weight
            assert "~" in answers
            for answer in [a.strip() for a in answers.replace("=", "~=").split("~")]:
                if not answer:
                    continue
                fraction = 1.0 if answer[0] == "=" else 0.0
                answer = answer[1:] if answer[0] == "=" else answer
                text, _, feedback = answer.partition("#")
                feedback = _post(feedback.strip())
                choices.append(Choice(fraction, _post(text.strip()), 0.0, html.unescape(feedback) if fmt == "html" else feedback))
            out.append(GiftQuestion(category, name, _post(question).strip(), fmt, choices, _post(general).strip()))
            continue
        for answer in [a.strip() for a in answers[1:].split("=")]:
            if not answer:
                continue
            weight = re.match(r"^%-*([0-9]{1,2})\.?([0-9]*)%", answer)
            fraction = 1.0
            if weight:
                fraction = float(answer[1:answer.index("%", 1)]) / 100
                answer = answer[answer.index("%", 1) + 1:]
            value_text, _, feedback = answer.partition("#")
            value, _, tol = value_text.strip().partition(":")
            feedback = _post(feedback.strip())
            choices.append(Choice(fraction, float(value), float(tol or 0), html.unescape(feedback) if fmt == "html" else feedback))
        out.append(GiftQuestion(category, name, _post(question).strip(), fmt, choices, _post(general).strip()))
    return out


# --- PrairieLearn -----------------------------------------------------------------------------


def load_server(folder: Path) -> Any:
    """The question's server.py as a module (PrairieLearn imports it the same way)."""
    spec = importlib.util.spec_from_file_location(f"pl_server_{abs(hash(str(folder)))}", folder / "server.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_INPUT = re.compile(r"<(pl-number-input|pl-integer-input|pl-multiple-choice)([^>]*)>")
_PL_ANSWER = re.compile(r'<pl-answer correct="([^"]*)" feedback="([^"]*)">([^<]*)</pl-answer>')
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')


def pl_inputs(question_html: str, params: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The inputs of question.html after PrairieLearn's Mustache pass (only ``{{params.a.b}}``
    occurs in attributes here), by answers-name: the element and its attributes."""
    def value(match: re.Match[str]) -> Any:
        item: Any = params
        for part in match.group(1).split(".")[1:]:
            item = item[part]
        return item

    rendered = re.sub(r"(?<!\{)\{\{(params\.[\w.]+)\}\}(?!\})", lambda m: html.escape(mustache_text(value(m))), question_html)
    out: dict[str, dict[str, Any]] = {}
    for match in _INPUT.finditer(rendered):
        element, attrs = match.group(1), dict(_ATTRIBUTE.findall(match.group(2)))
        out[attrs["answers-name"]] = {"element": element, **attrs}
        if element == "pl-multiple-choice":
            body = rendered[match.end():rendered.index("</pl-multiple-choice>", match.end())]
            out[attrs["answers-name"]]["answers"] = [(html.unescape(text), correct == "true", html.unescape(feedback))
                                                     for correct, feedback, text in _PL_ANSWER.findall(body)]
    return out


def mustache_text(value: Any) -> str:
    """How Mustache (JavaScript) writes a value: true/false for booleans, JS number text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def pl_choice(attrs: dict[str, Any], option: str) -> tuple[float, str]:
    """pl-multiple-choice: the score and the feedback of the option chosen."""
    (correct, feedback), = [(c, f) for text, c, f in attrs["answers"] if text == option]
    return (1.0 if correct else 0.0), feedback


def pl_score(attrs: dict[str, str], x: float, exact: float) -> float:
    """The element's own grading (before server.py's grade)."""
    if attrs["element"] == "pl-integer-input":
        return 1.0 if x == exact else 0.0
    assert attrs["comparison"] == "relabs"
    return 1.0 if abs(x - exact) <= float(attrs["atol"]) + float(attrs["rtol"]) * abs(exact) else 0.0


# --- what dlsolve check says --------------------------------------------------------------------


class CheckVerdict(NamedTuple):
    right: bool
    slips: frozenset[str]  # the slips check names for this element
    texts: frozenset[str]


def written(value: Any, places: int | None) -> Any:
    """A value as a student writes it in an answers file: to ``places`` decimals, or in full."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if places is None:
        return Decimal(repr(float(value)))
    return Decimal(f"{value:.{places}f}")


def check_element(solution: Solution, key: str, inner: tuple, whole: Any, places_of: Any) -> CheckVerdict:
    """``dlsolve check``'s verdict on one element of the answer ``key`` when the student
    writes ``whole`` (nested lists of values) for it, each number to ``places_of(inner)``."""
    def build(value: Any, here: tuple) -> Any:
        if isinstance(value, list):
            return [build(v, (*here, i)) for i, v in enumerate(value)]
        if isinstance(value, dict):
            return {k: build(v, (*here, k)) for k, v in value.items()}
        return written(value, places_of(here))

    file = AnswersFile("test", solution.derivation.command, None, None, {key: build(whole, ())})
    checked = judge(file, solution, Rule(), 1.0, "test")[0]
    element = next(e for e in checked.verdict.elements if e.path == inner)
    named = [d for d in checked.diagnoses if inner in d.explains]
    return CheckVerdict(element.right, frozenset(d.slip for d in named), frozenset(d.text for d in named))


def replaced(whole: Any, inner: tuple, item: Any) -> Any:
    from dlsolve.checking.keys import put

    return put(whole, inner, item)


def answer_of(solution: Solution, key: str) -> Any:
    return locate(solution.derivation.answers, key, "test")[1]


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
