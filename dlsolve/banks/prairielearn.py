"""The bank as PrairieLearn questions: one question folder per variant family (the variants
that ask the same numbers: most banks are one family; a generator that varies the shape of
the exercise, such as a model's number of layers, gives several).

Each folder holds what PrairieLearn's question docs ask for (docs/question/*.md):
  info.json      uuid, type "v3", title, topic, tags (checked against its infoQuestion schema);
                 the uuid is uuid5 of a fixed namespace and command/level/seed/family, so the
                 same bank keeps its questions' identities when exported again
  question.html  the statement (``{{{params.statement}}}``), one ``pl-number-input`` per
                 number (``comparison="relabs"``, ``rtol="0"``, ``atol`` the number's own
                 tolerance from the variant's params: PrairieLearn renders the Mustache of
                 question.html before its elements read their attributes), a
                 ``pl-integer-input`` per whole number, a ``pl-multiple-choice`` per decision
                 or word (which option is right and each option's feedback from the params),
                 the worked solution in the answer panel
  server.py      the family's variants; ``generate(data)`` picks one by
                 ``data["variant_seed"]`` and sets its params and correct answers;
                 ``grade(data)`` names the slip a wrong value matches (within the slip's
                 tolerance, first in catalogue order) in the answer's feedback.
"""

from __future__ import annotations

import json
import uuid
from html import escape
from typing import Any

from dlsolve.banks import html
from dlsolve.banks.model import Asked, Bank, Variant, by_key

NAMESPACE = uuid.UUID("e11c629b-069b-48fc-9663-2e6afb9e04b5")  # dlsolve's question banks (fixed for ever)

SERVER = '''"""PrairieLearn question made by dlsolve: {title}.

{count} variant(s); generate() picks one by the variant seed. grade() runs after the
elements have graded: a wrong number within a slip's tolerance gets the slip's diagnosis.
"""

VARIANTS = {variants}


def generate(data):
    index = data["variant_seed"] % len(VARIANTS)
    variant = VARIANTS[index]
    data["params"].update(variant["params"])
    data["params"]["variant"] = index
    data["correct_answers"].update(variant["answers"])


def grade(data):
    variant = VARIANTS[data["params"]["variant"]]
    for name, slips in variant["slips"].items():
        score = data["partial_scores"].get(name)
        given = data["submitted_answers"].get(name)
        if score is None or score.get("score", 0) >= 1 or isinstance(given, bool) or not isinstance(given, (int, float)):
            continue
        for value, tolerance, feedback in slips:
            if abs(given - value) <= tolerance:
                score["feedback"] = feedback
                data["feedback"][name] = feedback
                break
'''


def family_key(variant: Variant) -> tuple[Any, ...]:
    """What question.html depends on: the numbers asked (name, kind, part) and the unasked keys."""
    return tuple((item.name, item.whole, item.options, item.part) for item in variant.asked) + variant.unasked


def families(bank: Bank) -> list[list[Variant]]:
    """The variants grouped by :func:`family_key`, in order of first appearance."""
    out: dict[tuple[Any, ...], list[Variant]] = {}
    for variant in bank.variants:
        out.setdefault(family_key(variant), []).append(variant)
    return list(out.values())


def folder_name(bank: Bank, index: int, count: int) -> str:
    base = f"dlsolve-{bank.command}-{bank.level}-seed{bank.seed}"
    return base if count == 1 else f"{base}-{index + 1}"


def info(bank: Bank, name: str, variants: list[Variant]) -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid5(NAMESPACE, f"{bank.command}/{bank.level}/{bank.seed}/{name}")),
        "type": "v3",
        "title": f"{variants[0].exercise.title} ({bank.level})",
        "topic": "Deep learning",
        "tags": ["dlsolve", bank.command, bank.level, f"seed{bank.seed}"],
    }


def _pick(item: Asked) -> str:
    """A decision or word: the options in a fixed order; which is right and each one's
    feedback come from the variant's params (``correct``/``feedback`` of ``pl-answer``)."""
    answers = "".join(f'<pl-answer correct="{{{{params.picks.{item.name}.c{i}}}}}" feedback="{{{{params.picks.{item.name}.f{i}}}}}">'
                      f"{escape(text)}</pl-answer>" for i, text in enumerate(item.options, 1))
    return f'<code>{escape(item.label)}</code>: <pl-multiple-choice answers-name="{item.name}" order="fixed">{answers}</pl-multiple-choice>'


def _input(item: Asked) -> str:
    label = escape(f"{item.label} =")
    if item.options:
        return _pick(item)
    if item.whole:
        return f'<pl-integer-input answers-name="{item.name}" label="{label}"></pl-integer-input>'
    return (f'<pl-number-input answers-name="{item.name}" comparison="relabs" rtol="0" '
            f'atol="{{{{params.atol.{item.name}}}}}" label="{label}"></pl-number-input>')


def question_html(variant: Variant) -> str:
    """The family's page: the variant's text from params, the inputs fixed by the family."""
    out = ["<pl-question-panel>", "{{{params.statement}}}", "</pl-question-panel>"]
    for index, question in enumerate(variant.exercise.questions):
        out.append(f"{{{{{{params.part_{index + 1}}}}}}}")
        for _, items in by_key(variant, index):
            out += [f"<div>{_input(item)}</div>" if item.options else f"<p>{_input(item)}</p>" for item in items]
        out += [f"<p><code>{escape(key)}</code>: in the worked solution (not graded here)</p>"
                for key in question.answers if key in variant.unasked]
    out += ["<pl-answer-panel>", "{{{params.solution}}}", "</pl-answer-panel>"]
    return "\n".join(out) + "\n"


def variant_data(variant: Variant, decimals: int) -> dict[str, Any]:
    """What server.py holds for one variant: params, correct answers, slips."""
    exercise = variant.exercise
    from dlsolve.practice.render import invocation

    params: dict[str, Any] = {"statement": html.statement(exercise, decimals) + "\n" + html.precision(decimals)}
    for index in range(len(exercise.questions)):
        params[f"part_{index + 1}"] = html.part(exercise, index, decimals)
    params["solution"] = (html.solution(variant.derivation, decimals)
                          + f"\n<p><em>Made by dlsolve: <code>{escape(invocation(exercise, '--solution'))}</code></em></p>")
    numbers = [item for item in variant.asked if not item.options]
    params["atol"] = {item.name: item.tolerance for item in numbers if not item.whole}
    params["picks"] = {item.name: _pick_params(item) for item in variant.asked if item.options}
    return {"seed": exercise.seed, "params": params,
            "answers": {item.name: item.exact for item in numbers},
            "slips": {item.name: [[s.value, s.tolerance, s.feedback] for s in item.slips] for item in numbers if item.slips}}


def _pick_params(item: Asked) -> dict[str, Any]:
    """``c1``: whether option 1 is right, ``f1``: its feedback, and so on."""
    out: dict[str, Any] = {}
    for i, text in enumerate(item.options, 1):
        slip = item.slip_for(text)
        out[f"c{i}"] = text == item.exact
        out[f"f{i}"] = "Right." if text == item.exact else slip.feedback if slip else ""
    return out


def files(bank: Bank) -> dict[str, str]:
    """Every file of the export, by its path relative to the output folder."""
    groups = families(bank)
    out: dict[str, str] = {}
    for index, variants in enumerate(groups):
        name = folder_name(bank, index, len(groups))
        out[f"{name}/info.json"] = json.dumps(info(bank, name, variants), ensure_ascii=False, indent=2) + "\n"
        out[f"{name}/question.html"] = question_html(variants[0])
        data = [variant_data(v, bank.decimals) for v in variants]
        out[f"{name}/server.py"] = SERVER.format(title=f"{bank.title}, family {index + 1} of {len(groups)}",
                                                 count=len(variants), variants=repr(data))
    return out
