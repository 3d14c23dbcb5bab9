"""The confusion matrix of a metrics problem, from whichever input gives it, and the
counts every metric is a ratio of.

Three ways in: ``--matrix`` (rows = actual class, columns = predicted, as scikit-learn's
``confusion_matrix``), ``--actual``/``--predicted`` label vectors (counted into that matrix,
classes sorted as scikit-learn sorts them unless ``--labels`` gives the order), or binary
``--tp --fp --fn --tn`` (the matrix [[TN, FP], [FN, TP]]). With none: the default problem, a
screening of 100 people (TP 8, FN 2, FP 12, TN 78).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from dlsolve.core.inputs import InputError, option
from dlsolve.topics.metrics.values import MAX_CLASSES, MAX_COUNT, Classes, Key, classes_of, distinct, labels_count

DEFAULT_COUNTS = {"tp": 8, "fp": 12, "fn": 2, "tn": 78}  # the default problem: a screening of 100 people
COUNT_NAMES = ("tp", "fp", "fn", "tn")
COUNT_WORDS = ("negative", "positive")  # the classes of --tp/--fp/--fn/--tn when --labels does not name them
MODE_OPTIONS = {"matrix": ("matrix",), "labels": ("actual", "predicted"), "counts": COUNT_NAMES}
MODE_USAGE = "--matrix; or --actual with --predicted; or --tp, --fp, --fn, --tn"


class Confusion(NamedTuple):
    """A confusion matrix with its classes, and where it came from."""

    matrix: tuple[tuple[int, ...], ...]  # rows = actual class, columns = predicted
    keys: tuple[Key, ...]  # the classes, in the matrix's order
    classes: Classes
    source: str  # "matrix" | "labels" | "counts"
    positive: int | None  # the positive class's index (two classes), else None
    pairs: tuple[tuple[int, int], ...] = ()  # labels mode: (actual, predicted) class index of each sample

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.classes.name(k) for k in self.keys)

    @property
    def size(self) -> int:
        return len(self.keys)

    @property
    def total(self) -> int:
        return sum(map(sum, self.matrix))

    def row_total(self, k: int) -> int:
        """n_k: the samples whose actual class is k (its support)."""
        return sum(self.matrix[k])

    def column_total(self, k: int) -> int:
        """The samples predicted as class k."""
        return sum(row[k] for row in self.matrix)


class OneVsRest(NamedTuple):
    """A class against all the others: TP, FP, FN, TN and its support."""

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def support(self) -> int:
        return self.tp + self.fn


def one_vs_rest(c: Confusion) -> list[OneVsRest]:
    """Each class against the rest: TP = C_kk; FP = column k's total − TP; FN = row k's
    total − TP; TN = the rest (the totals summed once: a 500-class matrix stays fast)."""
    columns = [sum(column) for column in zip(*c.matrix)]
    total = sum(columns)
    out = []
    for k, row in enumerate(c.matrix):
        tp = row[k]
        fp, fn = columns[k] - tp, sum(row) - tp
        out.append(OneVsRest(tp, fp, fn, total - tp - fp - fn))
    return out


# --- which input ---------------------------------------------------------------------------------


def _given(value: Any) -> bool:
    return value is not None


def mode(inputs: Mapping[str, Any]) -> str:
    """The input whose options were given (the default counts when none were)."""
    given = {m: [n for n in names if _given(inputs[n])] for m, names in MODE_OPTIONS.items()}
    modes = [m for m, names in given.items() if names]
    if len(modes) > 1:
        options = ", ".join(option(n) for m in modes for n in given[m])
        raise InputError(options, f"give one confusion matrix, not several: {MODE_USAGE}")
    return modes[0] if modes else "counts"


def _positive(inputs: Mapping[str, Any], keys: Sequence[Key], classes: Classes) -> int | None:
    """The positive class's index: --positive, else the second class; None beyond two classes."""
    given = inputs["positive"]
    if len(keys) > 2:
        if given is not None:
            raise InputError("--positive", f"is for two classes; this matrix has {len(keys)}, so every class is measured in turn")
        return None
    if given is None:
        return 1
    key = classes.key(given)
    if key not in keys:
        raise InputError("--positive", f"{given!r} is not one of the classes ({', '.join(map(classes.name, keys))})")
    return keys.index(key)


def _named(inputs: Mapping[str, Any], size: int, default: Sequence[str]) -> tuple[tuple[Key, ...], Classes]:
    """The classes of a matrix given as numbers: --labels (as many as the matrix's size) or ``default``."""
    labels = inputs["labels"]
    if labels is not None and len(labels) != size:
        raise InputError("--labels", f"has {labels_count(len(labels))} but the matrix has {size} classes (one name per row)")
    texts = labels if labels is not None else tuple(default)
    classes = classes_of(texts, () if inputs["positive"] is None else (inputs["positive"],))
    keys = tuple(classes.key(t) for t in texts)
    distinct(keys, classes, "--labels")
    return keys, classes


def _from_matrix(inputs: Mapping[str, Any]) -> Confusion:
    matrix = inputs["matrix"]
    if len(matrix) > MAX_CLASSES:
        raise InputError("--matrix", f"has {len(matrix):,} classes; at most {MAX_CLASSES:,} are accepted")
    keys, classes = _named(inputs, len(matrix), [str(k) for k in range(len(matrix))])
    return Confusion(tuple(map(tuple, matrix)), keys, classes, "matrix", _positive(inputs, keys, classes))


def _from_counts(inputs: Mapping[str, Any]) -> Confusion:
    given = [n for n in COUNT_NAMES if inputs[n] is not None]
    counts = dict(DEFAULT_COUNTS) if not given else {n: inputs[n] for n in COUNT_NAMES}
    missing = [option(n) for n in COUNT_NAMES if counts[n] is None]
    if missing:
        raise InputError(", ".join(missing), "missing: give all four counts --tp, --fp, --fn, --tn (or the matrix with --matrix)")
    total = sum(counts.values())
    if total == 0:
        raise InputError("--tp, --fp, --fn, --tn", "every count is 0; there is nothing to measure")
    if total > MAX_COUNT:
        raise InputError("--tp, --fp, --fn, --tn", f"count {total:,} in all; at most {MAX_COUNT:,} are accepted (this tool is for exercises)")
    keys, classes = _named(inputs, 2, COUNT_WORDS)
    positive = _positive(inputs, keys, classes)
    if positive != 1:
        raise InputError("--positive", f"with --tp/--fp/--fn/--tn the positive class is the one TP counts, the second ({classes.name(keys[1])!r}); "
                                       "to choose another, give the matrix with --matrix")
    matrix = ((counts["tn"], counts["fp"]), (counts["fn"], counts["tp"]))
    return Confusion(matrix, keys, classes, "counts", positive)


def _from_labels(inputs: Mapping[str, Any]) -> Confusion:
    actual, predicted, labels = inputs["actual"], inputs["predicted"], inputs["labels"]
    if actual is None or predicted is None:
        raise InputError("--predicted" if predicted is None else "--actual", "the label vectors come in pairs: give both --actual and --predicted")
    if len(predicted) != len(actual):
        raise InputError("--predicted", f"has {labels_count(len(predicted))} but --actual has {len(actual)} (one of each per sample)")
    classes = classes_of(actual, predicted, labels or (), () if inputs["positive"] is None else (inputs["positive"],))
    true, guess = [classes.key(t) for t in actual], [classes.key(t) for t in predicted]
    seen = set(true) | set(guess)
    if labels is not None:
        keys = tuple(classes.key(t) for t in labels)
        distinct(keys, classes, "--labels")
        missing = sorted(seen - set(keys))
        if missing:
            where = "--actual" if missing[0] in set(true) else "--predicted"
            raise InputError("--labels", f"leaves out {classes.name(missing[0])!r}, which {where} has; list every class")
    else:
        keys = tuple(sorted(seen))  # as np.unique sorts them
    if len(keys) > MAX_CLASSES:
        raise InputError("--actual/--predicted", f"have {len(keys):,} classes; at most {MAX_CLASSES:,} are accepted")
    if len(keys) < 2:
        raise InputError("--actual/--predicted", f"hold one class only ({classes.name(keys[0])!r}); give --labels with both classes of the problem")
    index = {k: i for i, k in enumerate(keys)}
    pairs = tuple((index[t], index[g]) for t, g in zip(true, guess))
    cells = [[0] * len(keys) for _ in keys]
    for i, j in pairs:
        cells[i][j] += 1
    return Confusion(tuple(map(tuple, cells)), keys, classes, "labels", _positive(inputs, keys, classes), pairs)


def confusion(inputs: Mapping[str, Any]) -> Confusion:
    """The problem's confusion matrix, from the input its options give."""
    return {"matrix": _from_matrix, "labels": _from_labels, "counts": _from_counts}[mode(inputs)](inputs)
