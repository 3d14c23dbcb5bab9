"""The bank as GIFT (Moodle's text format): one numerical question per number asked,
grouped in a category per variant.

GIFT has no multi-blank question, so each number is its own question; each repeats the
variant's statement (it must stand alone) and its general feedback is the worked step that
derives the number (the whole solution in each of 50 questions would make the file huge).
A question reads ``::name::[html]text{#=exact:t#Right. =%0%slip:t'#diagnosis … ####step}``:
the right value first (weight 100% by default), then each slip with weight 0 and its
diagnosis; Moodle grades with the first answer within its tolerance. A decision or a word
is a multiple-choice question (``{=right#Right. ~wrong#diagnosis …}``).

Escaping follows Moodle's importer (question/format/gift/format.php): ``\\ ~ = # { } :`` are
written with a backslash before them and a new line as ``\\n`` (its ``repchar``), which its
``escapedchar_pre`` undoes after it has split the question at the unescaped ones, so HTML
and LaTeX pass through unchanged. Questions are separated by blank lines.
"""

from __future__ import annotations

from html import escape

from dlsolve.banks import html
from dlsolve.banks.model import Asked, Bank, Variant, category, number_text, question_name

_RESERVED = str.maketrans({"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:",
                           "\n": "\\n", "\r": ""})


def escaped(text: str) -> str:
    """Text with GIFT's reserved characters escaped (Moodle's ``repchar``)."""
    return text.translate(_RESERVED)


def _answers(item: Asked) -> list[str]:
    if item.options:  # a multiple-choice question: = the right option, ~ the others
        lines = []
        for text in item.options:
            slip = item.slip_for(text)
            diagnosis = f"#{escaped(escape(slip.feedback, quote=False))}" if slip else ""
            lines.append(f"\t={escaped(text)}#Right." if text == item.exact else f"\t~{escaped(text)}{diagnosis}")
        return lines
    lines = [f"\t={number_text(item.exact)}:{number_text(item.tolerance)}#Right."]
    lines += [f"\t=%0%{number_text(s.value)}:{number_text(s.tolerance)}#{escaped(escape(s.feedback, quote=False))}"
              for s in item.slips]
    return lines


def _step_feedback(variant: Variant, item: Asked, decimals: int) -> str:
    from dlsolve.practice.render import invocation

    again = f"<p><em>The whole solution: <code>{escape(invocation(variant.exercise, '--solution'))}</code></em></p>"
    if item.step is None:
        return again
    number = item.step.number
    return html.step(number, variant.derivation.steps[number - 1], decimals) + "\n" + again


def question(bank: Bank, variant: Variant, item: Asked) -> str:
    """One GIFT question: the statement, the part, the number asked, its answers."""
    exercise = variant.exercise
    text = "\n".join([html.statement(exercise, bank.decimals), html.precision(bank.decimals),
                      html.part(exercise, item.part, bank.decimals),
                      f"<p>{'Choose' if item.options else 'Give'} <code>{escape(item.label)}</code>"
                      f"{' (a whole number)' if item.whole else ''}.</p>"])
    name = f"{bank.command} {variant.number:0{len(str(len(bank.variants)))}d} {item.label}"
    return "\n".join([f"::{escaped(name)}::[html]{escaped(text)}" + ("{" if item.options else "{#"), *_answers(item),
                      f"\t####{escaped(_step_feedback(variant, item, bank.decimals))}", "}"])


def render(bank: Bank) -> str:
    """The whole GIFT file: a category per variant, then its questions."""
    blocks = [f"// dlsolve: {escape(bank.title)}, {len(bank.variants)} variants"]
    for variant in bank.variants:
        blocks.append(f"$CATEGORY: {category(bank)}/{question_name(bank, variant)}")
        blocks += [question(bank, variant, item) for item in variant.asked]
    return "\n\n".join(blocks) + "\n"
