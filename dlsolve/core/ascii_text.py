"""A readable ASCII form of the characters a terminal's encoding cannot show.

Registered as a codec error handler, so that the renderers stay Unicode and a non-UTF-8
stdout (``PYTHONIOENCODING=ascii``, an old ``LANG=C`` terminal) gets ``x_bar``, ``sigma``,
``sqrt``, ``->``, ``x_1``, ``s^2`` instead of a ``UnicodeEncodeError``. Characters the
encoding can show (``²`` in Latin-1) are written as they are.
"""

from __future__ import annotations

import codecs
import unicodedata
from typing import Any

HANDLER = "dlsolve-ascii"

_SYMBOLS = {
    "−": "-", "–": "-", "—": "--", "‐": "-", "·": "*", "×": "x", "÷": "/", "±": "+/-", "∓": "-/+",
    "√": "sqrt", "∂": "d", "∇": "grad", "∞": "inf", "≈": "~=", "≠": "!=", "≡": "==", "≤": "<=",
    "≥": ">=", "≪": "<<", "≫": ">>", "∝": "~", "∈": " in ", "∉": " not in ", "∀": "for all ",
    "∃": "exists ", "∘": "o", "⊙": "(.)", "¬": "not ", "‖": "||", "⌈": "ceil(", "⌉": ")",
    "⌊": "floor(", "⌋": ")", "⟨": "<", "⟩": ">", "→": "->", "←": "<-", "↔": "<->", "↦": "|->",
    "⇒": "=>", "⇐": "<=", "⇔": "<=>", "…": "...", "⋯": "...", "⋮": ":", "•": "*", "′": "'",
    "─": "-", "│": "|", "✓": "OK", "✗": "X", "½": "(1/2)", "§": "S", "‘": "'", "’": "'", "“": '"',
    "”": '"', "\u00a0": " ", "∫": "integral ", "°": " degrees",
}
_MARKS = {"\u0302": "_hat", "\u0303": "_tilde", "\u0304": "_bar", "\u0305": "_bar", "\u0307": "_dot",
          "\u0308": "_ddot", "\u20d7": "_vec"}
_GREEK_NAMES = {"LAMDA": "lambda"}


def ascii_form(char: str, previous: str = "") -> str:
    """``char`` in ASCII; ``previous`` (the character before it) joins a run of subscripts
    or superscripts into one (``x₁₂`` → ``x_12``, not ``x_1_2``)."""
    if char in _SYMBOLS:
        return _SYMBOLS[char]
    if char in _MARKS:
        return _MARKS[char]
    name = unicodedata.name(char, "")
    if name.startswith("GREEK "):
        letter = name.rsplit(" ", 1)[-1]
        letter = _GREEK_NAMES.get(letter, letter.lower())
        return letter.capitalize() if " CAPITAL " in name else letter
    marker = _script_marker(name)
    if marker:
        base = unicodedata.normalize("NFKC", char)
        base = base if base.isascii() else _SYMBOLS.get(base, "?")  # ⁻ is − raised: ^-
        return base if _script_marker(unicodedata.name(previous, "")) == marker else marker + base
    decomposed = unicodedata.normalize("NFKD", char)
    if decomposed != char:
        return "".join(ascii_form(part) if not part.isascii() else part for part in decomposed)
    return "?"


def _script_marker(name: str) -> str:
    """``_`` for a subscript character, ``^`` for a superscript or modifier letter, else ``""``."""
    if "SUBSCRIPT" in name:
        return "_"
    if "SUPERSCRIPT" in name or name.startswith("MODIFIER LETTER"):
        return "^"
    return ""


def _replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text, start, end = error.object, error.start, error.end
    return "".join(_spaced(text, i) for i in range(start, end)), end


def _spaced(text: str, i: int) -> str:
    """The ASCII form of ``text[i]``, a word (``sigma``) set apart from the letters and
    digits around it (``½Σ`` → ``(1/2) Sigma``, ``σx`` → ``sigma x``)."""
    before, after = text[i - 1] if i else "", text[i + 1] if i + 1 < len(text) else ""
    shown = ascii_form(text[i], before)
    if len(shown) > 1 and shown.isalpha():
        shown = (" " if before.isalnum() else "") + shown + (" " if after.isascii() and after.isalnum() else "")
    return shown


def write_ascii_for_unencodable(stream: Any) -> None:
    """Make ``stream`` write :func:`ascii_form` for what its encoding cannot encode."""
    try:
        codecs.lookup_error(HANDLER)
    except LookupError:
        codecs.register_error(HANDLER, _replace)
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors=HANDLER)
