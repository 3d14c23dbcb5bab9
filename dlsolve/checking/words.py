"""The words and symbols a student writes for an answer that is a word: the t-test's
alternative hypothesis (``two-sided``, ``greater``, ``less``).

Accepted, case and spacing aside: the word itself; two-tailed/two sided/both/≠/!=/<>;
greater/right/upper/more/>; less/left/lower/</; a whole hypothesis (``mu > 42``, ``H1: μ ≠ 42``)
when its number is the problem's μ₀. "one-tailed" (or one-sided) alone does not say which tail,
so it is not read as either: the student is asked which.
"""

from __future__ import annotations

import re
from typing import Any

ALTERNATIVES: dict[str, tuple[str, ...]] = {
    "two-sided": ("two-sided", "two-tailed", "two", "both", "both-tails", "not-equal", "≠", "!=", "<>", "=/="),
    "greater": ("greater", "greater-than", "right", "right-tailed", "right-sided", "upper", "upper-tailed", "more", "more-than", ">"),
    "less": ("less", "less-than", "left", "left-tailed", "left-sided", "lower", "lower-tailed", "fewer", "<"),
}
ONE_TAILED = ("one-tailed", "one-sided", "one", "1-tailed", "1-sided")
CHOICES_TEXT = "two-sided (≠, two-tailed), greater (>, right) or less (<, left)"
_HYPOTHESIS = re.compile(r"(?:h[1a₁]\s*:\s*)?(?:μ|mu|m|mean|x̄)?\s*(≠|!=|<>|=/=|>|<)\s*([+-]?\d+(?:\.\d*)?|\.\d+)?")
_BY_WORD = {word: canonical for canonical, words in ALTERNATIVES.items() for word in words}


class Unclear(ValueError):
    """A word that is not one of the choices, or that does not decide between them."""


def _plain(text: str) -> str:
    """Lower case, one hyphen for any run of spaces, hyphens and dashes: "Two  Tailed" → "two-tailed"."""
    return re.sub(r"[\s_\-–—]+", "-", text.strip().lower().translate(str.maketrans({"−": "-"}))).strip("-")


def alternative(text: str, mu0: float | None) -> str:
    """The alternative ``text`` means (two-sided, greater or less). Raises Unclear."""
    word = _plain(text)
    if word in _BY_WORD:
        return _BY_WORD[word]
    if word in ONE_TAILED or word.removesuffix("-test") in ONE_TAILED:
        raise Unclear(f"{text.strip()!r} does not say which tail: greater (>, right) or less (<, left)?")
    match = _HYPOTHESIS.fullmatch(text.strip().lower().replace("−", "-"))
    if match:
        symbol, number = match.groups()
        if number is not None and mu0 is not None and float(number) != mu0:
            raise Unclear(f"H₁ compares μ with μ₀ = {mu0:g} here, not {number}")
        return _BY_WORD[symbol]
    raise Unclear(f"{text.strip()!r} is not one of {CHOICES_TEXT}")


def meant(command: str, key: str, given: Any, inputs: Any) -> Any:
    """A given word as the answer it stands for (an answers file's "two-tailed" is two-sided);
    anything else as it is."""
    if command == "ttest" and key == "alternative" and isinstance(given, str):
        try:
            return alternative(given, inputs.get("mu0"))
        except Unclear:
            return given
    return given
