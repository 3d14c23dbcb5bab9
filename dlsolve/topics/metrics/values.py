"""The metrics topic's input kinds: class labels (numbers or words) and confusion-matrix
counts (whole numbers ≥ 0), each read from the command line or a problem file.

Label syntax: comma-separated, each a number (``0``, ``-1``, ``2.5``) or a word of letters,
digits, ``_``, ``-`` and ``.`` (``cat``, ``no_cancer``). Whether labels are numbers or words
is decided once over everything given (see :func:`classes_of`): numbers compare by value
(``1`` = ``1.0``) and sort numerically, words compare as written and sort alphabetically,
as scikit-learn's ``np.unique`` sorts them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from dlsolve.core.inputs import InputError, Matrix, count, within_limit

MAX_CLASSES = 500  # classes: the matrix is K × K (an exercise has 2–5)
MAX_LABELS = 100_000  # labels in each of --actual and --predicted (an exercise has 10–20)
MAX_COUNT = 10**12  # the total count N (a screening story of a million people fits; floats stay exact)
MAX_LABEL_LENGTH = 40

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_WORD = re.compile(rf"[A-Za-z0-9_][A-Za-z0-9_.-]{{0,{MAX_LABEL_LENGTH - 1}}}")
_MINUS_SIGNS = str.maketrans({"−": "-", "–": "-"})
LABEL_SYNTAX = f"a number, or a word of letters, digits, '_', '-' and '.' (at most {MAX_LABEL_LENGTH} characters)"

Key = float | str  # a label as compared and sorted: a number's value, or a word as written


def _label(text: str, where: str) -> str:
    """One label as written (stripped); refused unless a number or a word."""
    cleaned = text.strip().translate(_MINUS_SIGNS)
    if not cleaned:
        raise InputError(where, "is empty; give labels separated by commas, e.g. cat,dog,cat")
    if _NUMBER.fullmatch(cleaned):
        if not math.isfinite(float(cleaned)):
            raise InputError(where, f"{cleaned[:20]!r} is too large for a number")
        return cleaned
    if not _WORD.fullmatch(cleaned):
        shown = cleaned if len(cleaned) <= 20 else cleaned[:19] + "…"
        raise InputError(where, f"{shown!r} is not a label: use {LABEL_SYNTAX}")
    return cleaned


def _file_label(value: Any, where: str) -> str:
    """A problem file's label: a string, or a number (written as text: 1 → "1")."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError(where, f"expected a label (text or a number), got {'true/false' if isinstance(value, bool) else type(value).__name__}")
    if isinstance(value, int):
        if value.bit_length() > 64:
            raise InputError(where, "is too large a number for a label")
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(where, "must be a finite number")
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    return _label(value, where)


class Labels(NamedTuple):
    """Class labels, comma-separated (``cat,dog,cat`` or ``0,1,1``), at most ``limit``."""

    limit: int = MAX_LABELS

    def read_text(self, text: str, where: str) -> tuple[str, ...]:
        if not text.strip():
            raise InputError(where, "is empty; give labels separated by commas, e.g. cat,dog,cat")
        within_limit(text.count(",") + 1, self.limit, where, "labels")
        return tuple(_label(item, f"{where} (label {i})") for i, item in enumerate(text.split(","), 1))

    def read_value(self, value: Any, where: str) -> tuple[str, ...]:
        if isinstance(value, str):
            return self.read_text(value, where)
        if not isinstance(value, list) or not value:
            raise InputError(where, "expected a non-empty list of labels (text or numbers)")
        within_limit(len(value), self.limit, where, "labels")
        return tuple(_file_label(v, f"{where} (label {i})") for i, v in enumerate(value, 1))


class Label(NamedTuple):
    """One class label (``--positive``)."""

    def read_text(self, text: str, where: str) -> str:
        return _label(text, where)

    def read_value(self, value: Any, where: str) -> str:
        return _file_label(value, where)


def _whole(x: float, where: str) -> int:
    if x < 0:
        raise InputError(where, f"{x:g} is negative; a count is a whole number ≥ 0")
    if not x.is_integer():
        raise InputError(where, f"{x:g} is not a whole number; a count is a whole number ≥ 0")
    if x > MAX_COUNT:
        raise InputError(where, f"{x:g} is more than {MAX_COUNT:,} (the largest total count accepted)")
    return int(x)


class Counts(NamedTuple):
    """A confusion matrix of whole counts ≥ 0, rows separated by ``;``: ``"5,1; 2,7"``."""

    matrix: Matrix = Matrix(MAX_CLASSES * MAX_CLASSES, MAX_CLASSES)

    def read_text(self, text: str, where: str) -> tuple[tuple[int, ...], ...]:
        return self._counted(self.matrix.read_text(text, where), where)

    def read_value(self, value: Any, where: str) -> tuple[tuple[int, ...], ...]:
        return self._counted(self.matrix.read_value(value, where), where)

    @staticmethod
    def _counted(rows: tuple[tuple[float, ...], ...], where: str) -> tuple[tuple[int, ...], ...]:
        counted = tuple(tuple(_whole(x, f"{where} (row {i}, column {j})") for j, x in enumerate(row, 1)) for i, row in enumerate(rows, 1))
        k = len(counted)
        if len(counted[0]) != k:
            raise InputError(where, f"is {k} × {len(counted[0])}; a confusion matrix is square (rows = actual class, columns = predicted)")
        if k < 2:
            raise InputError(where, "has 1 class; a confusion matrix needs at least 2 (rows = actual class, columns = predicted)")
        total = sum(map(sum, counted))
        if total == 0:
            raise InputError(where, "every count is 0; there is nothing to measure")
        if total > MAX_COUNT:
            raise InputError(where, f"counts {total:,} in all; at most {MAX_COUNT:,} are accepted (this tool is for exercises)")
        return counted


# --- numbers or words ---------------------------------------------------------------------------


class Classes(NamedTuple):
    """How the labels of one problem compare: as numbers or as words."""

    numeric: bool

    def key(self, text: str) -> Key:
        return float(text) if self.numeric else text

    def name(self, key: Key) -> str:
        """A class as shown: ``1`` (not 1.0), ``2.5``, ``cat``."""
        if isinstance(key, str):
            return key
        return str(int(key)) if key.is_integer() and abs(key) < 1e15 else f"{key:g}"

    def echoed(self, key: Key) -> Any:
        """A class as JSON echoes it: an int for a whole number, else the number or the word."""
        if isinstance(key, str):
            return key
        return int(key) if key.is_integer() and abs(key) < 2**53 else key


def classes_of(*groups: Iterable[str]) -> Classes:
    """Numbers when every label given is a number, else words (``0`` and ``cat`` together
    make both words: "0" is then compared as written)."""
    return Classes(all(_NUMBER.fullmatch(text) for group in groups for text in group))


def distinct(keys: Sequence[Key], classes: Classes, where: str) -> None:
    """Refuse a label given twice (``--labels a,b,a``)."""
    seen: set[Key] = set()
    for key in keys:
        if key in seen:
            raise InputError(where, f"gives {classes.name(key)!r} twice; each class once")
        seen.add(key)


def labels_count(n: int) -> str:
    return count(n, "label")
