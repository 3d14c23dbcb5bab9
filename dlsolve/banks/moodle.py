"""The bank as Moodle XML: one cloze (embedded answers) question per variant.

Why cloze and not one numerical question per number: an exercise asks many chained
numbers (a SOM's distances, winners and weights after every iteration). A cloze keeps the
variant whole: the student fills every blank of one data set, Moodle's "random question
from a category" gives each student one variant, and the statement and worked solution are
stored once per variant (one numerical question per number would repeat them for each of
the 50-odd numbers). Each blank ``{1:NUMERICAL:=exact:t#…~%0%slip:t'#diagnosis~…}`` is a
numerical subquestion exactly as Moodle builds one from ``<answer fraction="100">`` and
``<answer fraction="0">`` elements: the right value first with its tolerance, then each slip
with its feedback; Moodle grades with the first answer within its tolerance.

What Moodle's importer reads (question/format/xml/format.php, ``import_multianswer``): the
question's ``type="cloze"``, ``<name><text>``, ``<questiontext format="html"><text>`` (the
blanks parsed by qtype_multianswer's ANSWER_REGEX), ``<generalfeedback format="html">``,
``<penalty>``; a ``<question type="category">`` sets the category. A blank's feedback ends at
the first ``~`` or ``}`` not preceded by a backslash and is HTML-entity-decoded after it is
cut out, so those two characters are written as entities (``&#126;``, ``&#125;``). A decision
or a word is a ``{1:MULTICHOICE:=right#Right.~wrong#diagnosis}`` drop-down.
"""

from __future__ import annotations

from html import escape

from dlsolve.banks import html
from dlsolve.banks.model import Asked, Bank, Variant, by_key, category, number_text, question_name

PENALTY = "0.3333333"  # Moodle's default penalty for a wrong try


def cdata(text: str) -> str:
    """``text`` in a CDATA section (a ``]]>`` inside split across two)."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def feedback(text: str) -> str:
    """A blank's feedback: HTML-escaped, with the characters that end it as entities."""
    return escape(text, quote=False).replace("~", "&#126;").replace("}", "&#125;")


def pick(item: Asked) -> str:
    """A decision or word as a drop-down: the options in order, the right one with ``=``, a
    wrong one that a slip gives with the slip's diagnosis."""
    def option(text: str) -> str:
        if text == item.exact:
            return f"={text}#Right."
        slip = item.slip_for(text)
        return f"{text}#{feedback(slip.feedback)}" if slip else text

    return "{1:MULTICHOICE:" + "~".join(option(text) for text in item.options) + "}"


def blank(item: Asked) -> str:
    """One numerical blank: the right value, then each slip (fraction 0) with its diagnosis
    (a pick: its drop-down)."""
    if item.options:
        return pick(item)
    alternatives = [f"={number_text(item.exact)}:{number_text(item.tolerance)}#Right."]
    alternatives += [f"%0%{number_text(s.value)}:{number_text(s.tolerance)}#{feedback(s.feedback)}" for s in item.slips]
    return "{1:NUMERICAL:" + "~".join(alternatives) + "}"


def _inputs(items: list[Asked]) -> str:
    """A key's blanks: one, or a vector's in parentheses, a matrix's rows separated by ;."""
    if len(items) == 1 and not items[0].inner:
        return blank(items[0])
    out = []
    for i, item in enumerate(items):
        if i:
            out.append("; " if len(item.inner) > 1 and item.inner[:-1] != items[i - 1].inner[:-1] else ", ")
        out.append(blank(item))
    return "(" + "".join(out) + ")"


def question_text(variant: Variant, decimals: int) -> str:
    exercise = variant.exercise
    out = [html.statement(exercise, decimals), html.precision(decimals)]
    for index in range(len(exercise.questions)):
        out.append(html.part(exercise, index, decimals))
        rows = [f"<li><code>{escape(key)}</code> = {_inputs(items)}</li>" for key, items in by_key(variant, index)]
        rows += [f"<li><code>{escape(key)}</code>: in the worked solution (not graded here)</li>"
                 for key in exercise.questions[index].answers if key in variant.unasked]
        out.append("<ul>\n" + "\n".join(rows) + "\n</ul>")
    return "\n".join(out)


def general_feedback(variant: Variant, decimals: int) -> str:
    from dlsolve.practice.render import invocation

    again = escape(invocation(variant.exercise, "--solution"))
    return html.solution(variant.derivation, decimals) + f"\n<p><em>Made by dlsolve: <code>{again}</code></em></p>"


def render(bank: Bank) -> str:
    """The whole quiz file."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>",
             '  <question type="category">',
             f"    <category><text>{escape(category(bank), quote=False)}</text></category>",
             f'    <info format="html"><text>{cdata(f"<p>{escape(bank.title)}: {len(bank.variants)} variants made by dlsolve.</p>")}</text></info>',
             "  </question>"]
    for variant in bank.variants:
        lines += ['  <question type="cloze">',
                  f"    <name><text>{escape(question_name(bank, variant), quote=False)}</text></name>",
                  f'    <questiontext format="html"><text>{cdata(question_text(variant, bank.decimals))}</text></questiontext>',
                  f'    <generalfeedback format="html"><text>{cdata(general_feedback(variant, bank.decimals))}</text></generalfeedback>',
                  f"    <penalty>{PENALTY}</penalty>",
                  "    <hidden>0</hidden>",
                  f"    <idnumber>dlsolve-{bank.command}-{bank.level}-{bank.seed}-{variant.number}</idnumber>",
                  "  </question>"]
    return "\n".join(lines + ["</quiz>"]) + "\n"
