"""When "right given your earlier answers" earns credit: the policy that keeps error carried
forward from being gamed (a nonsense early answer that makes the later ones easy, Numbas #368).

An answer right only given the student's earlier answers earns the ECF credit when every
wrong earlier answer it uses is an attempt at the step:
- a recognised slip gives some of its wrong numbers (the notes' own SOM iteration 2 matches
  the update-sign slip in two of its four wrong numbers), or
- it is itself right given the answers before it (and credited: the policy applies up the chain), or
- each of its wrong numbers lies within a factor FACTOR of the right one (between half and
  twice it, same sign) or is off by at most half the answer's largest right number (a slip in
  a small entry of a vector or matrix) — the right one, or the value that follows from the
  student's own earlier answers, or
- it is a pick (a winner, a class, true/false, a word): any pick is an attempt.
Otherwise the answer is still shown as right given the student's values, with the reason it
earns nothing, and counts as wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dlsolve.checking.compare import as_decimal
from dlsolve.checking.keys import get

if TYPE_CHECKING:
    from dlsolve.checking.judge import Checked

FACTOR = 2.0


def _near(given: float, right: float, scale: float) -> bool:
    """Within a factor FACTOR of ``right``, or off by at most 1/FACTOR of the answer's largest
    right number (an arithmetic slip in a small entry of a matrix: 0.132 for 0.032 in a
    history whose largest entry is 0.888)."""
    return (right != 0 and 1 / FACTOR <= given / right <= FACTOR) or abs(given - right) <= scale / FACTOR


def _largest(value: Any) -> float:
    if isinstance(value, list):
        return max((_largest(v) for v in value), default=0.0)
    if isinstance(value, dict):
        return max((_largest(v) for v in value.values()), default=0.0)
    return abs(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _far(c: Checked, choices: frozenset[str]) -> str:
    """Why the wrong answer ``c`` is no attempt at its step ("" when it is one)."""
    if c.verdict.problem:
        return f"your {c.key} is {c.verdict.problem.split(', got ')[-1]}"
    if c.key.split(".")[0] in choices or c.diagnoses:
        return ""
    scale = _largest(c.expected)
    for e in c.verdict.wrong:
        if isinstance(e.expected, (bool, str)) or e.expected is None:
            continue
        number = as_decimal(e.given)
        if number is None or not number.is_finite():
            return f"your {c.key} is not a number"
        value = float(number)
        followed = get(c.carried.expected, e.path) if c.carried else None
        if _near(value, float(e.expected), scale) or (isinstance(followed, (int, float)) and _near(value, float(followed), scale)):
            continue
        where = f" ({'element ' if len(e.path) == 1 else ''}{'.'.join(str(p + 1) if isinstance(p, int) else p for p in e.path)})" if e.path else ""
        return (f"your {c.key}{where} = {_minus(str(number))} is no recognised slip and more than a factor {FACTOR:g} "
                f"from the right {_minus(f'{e.expected:.6g}')}")
    return ""


def _minus(text: str) -> str:
    return text.replace("-", "−")


def apply_policy(checked: Sequence[Checked], choices: frozenset[str]) -> list[Checked]:
    """The answers with the credit of each "right given your earlier answers" decided."""
    by_key = {c.key: c for c in checked}
    decided: dict[str, Checked] = {}

    def resolve(c: Checked, seen: frozenset[str]) -> Checked:
        if c.key in decided:
            return decided[c.key]
        carried = c.carried
        if carried and carried.verdict.right:
            for key in carried.wrong_sources:
                source = by_key.get(key)
                if source is None or key in seen:
                    continue
                source = resolve(source, seen | {c.key})
                if source.status == "carried":
                    continue
                reason = _far(source, choices)
                if reason or source.carried and source.carried.verdict.right:  # a chain whose link earns nothing
                    c = c._replace(carried=carried._replace(refused=reason or f"your {key} earns none itself"))
                    break
        decided[c.key] = c
        return c

    return [resolve(c, frozenset()) for c in checked]
