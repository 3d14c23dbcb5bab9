"""Classification metrics from a confusion matrix, worked as the notes do (§11): accuracy,
precision, recall (sensitivity), specificity, F1 and F-beta for two classes; per class, then
macro, micro and weighted averages for more.

The matrix comes from ``--matrix``, from ``--actual``/``--predicted`` label vectors (counted
first, and shown), or from binary ``--tp --fp --fn --tn`` (confusion.py). Every ratio is
written with its counts substituted; a zero denominator gives 0 with a note, as
scikit-learn's ``zero_division=0``. Plain Python throughout: counts are whole numbers and
every metric one division, so no NumPy is needed (and none is imported).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dlsolve.core.derivation import Derivation, Line, Note, Num, Part, Step, Table, joined, line
from dlsolve.core.derivation import math as eq
from dlsolve.core.inputs import Field, Integer, Number
from dlsolve.core.numbers import format_number
from dlsolve.topics.metrics.confusion import MODE_OPTIONS, Confusion, OneVsRest, confusion, one_vs_rest
from dlsolve.topics.metrics.measures import f_beta, mean, ratio, weighted
from dlsolve.topics.metrics.values import MAX_CLASSES, MAX_COUNT, Counts, Label, Labels

COMMAND = "metrics"
MAX_BETA = 100.0  # F-beta's β: beyond 100 it is recall to four digits
DETAIL_MAX = 8  # up to this many classes, a written line per class; more: tables only
SAMPLES_SHOWN = 40  # up to this many samples, each cell of the matrix lists its samples

COUNT = Integer(0, MAX_COUNT)
FIELDS = (
    Field("matrix", Counts(), None),
    Field("actual", Labels(), None),
    Field("predicted", Labels(), None),
    Field("tp", COUNT, None),
    Field("fp", COUNT, None),
    Field("fn", COUNT, None),
    Field("tn", COUNT, None),
    Field("labels", Labels(MAX_CLASSES), None),
    Field("positive", Label(), None),
    Field("beta", Number(low=0, high=MAX_BETA, low_inclusive=False), 1.0),
)
# one confusion matrix: the command line's choice of input beats the problem file's
EXCLUSIVE_OPTIONS = (tuple(frozenset(names) for names in MODE_OPTIONS.values()),)

ZERO_DIVISION = "zero_division=0"
TP, FP, FN, TN = r"\mathrm{TP}", r"\mathrm{FP}", r"\mathrm{FN}", r"\mathrm{TN}"


def _count(n: int) -> str:
    """A count as prose writes it (98,816)."""
    return format_number(n, latex=False)


def _fraction(symbol: str, top: str, bottom: Sequence[str], numerator: Sequence[int], parts: Sequence[int], value: float) -> Line:
    """``symbol = top/(b₁ + b₂) = (a₁ + a₂)/(c₁ + c₂) = n/d = value``; ``n/0 → 0`` for a zero denominator."""
    total, denominator = sum(numerator), sum(parts)
    written: list[Part] = [rf"{symbol} = \frac{{{top}}}{{{' + '.join(bottom)}}} = \frac{{", *joined(list(numerator), " + "), "}{",
                           *joined(list(parts), " + "), "}"]
    if len(parts) > 1:
        written += [r" = \frac{", total, "}{", denominator, "}"]
    written += [" = ", value] if denominator else [r" \to 0"]
    return eq(*written)


def _zero_note(what: str) -> Note:
    return Note(line(f"{what}: a ratio with a zero denominator (0/0) is set to 0, as scikit-learn does with {ZERO_DIVISION}."), "warning")


# --- the matrix -----------------------------------------------------------------------------------


def _matrix_table(c: Confusion) -> Table:
    """Rows = actual, columns = predicted, with totals; two classes: each cell named TP/FP/FN/TN."""
    k = c.size
    roles: dict[tuple[int, int], str] = {}
    if c.positive is not None:
        p, n = c.positive, 1 - c.positive
        roles = {(p, p): "TP", (n, p): "FP", (p, n): "FN", (n, n): "TN"}

    def cell(i: int, j: int) -> Part:
        return f"{roles[i, j]} = {_count(c.matrix[i][j])}" if roles else c.matrix[i][j]

    header = ("actual ↓ predicted →", *c.names, "total")
    rows: list[tuple[Part, ...]] = [(name, *(cell(i, j) for j in range(k)), c.row_total(i)) for i, name in enumerate(c.names)]
    rows.append(("total", *(c.column_total(j) for j in range(k)), c.total))
    return Table(line("the confusion matrix C: row = actual class, column = predicted class (scikit-learn's layout)"), header, rows)


def _counting_step(c: Confusion) -> Step:
    """Labels mode: the classes, then which samples land in each cell of the matrix."""
    order = ("in the order --labels gives" if c.source == "labels" and _ordered_by_labels(c)
             else "sorted, as scikit-learn's confusion_matrix sorts them")
    body: list[Line | Table] = [line(f"{len(c.pairs):,} samples, {c.size} classes ({order}): {', '.join(c.names)}.")]
    if len(c.pairs) <= SAMPLES_SHOWN:
        for i, actual in enumerate(c.names):
            for j, predicted in enumerate(c.names):
                samples = [s for s, pair in enumerate(c.pairs, 1) if pair == (i, j)]
                if samples:
                    body.append(line(f"actual {actual}, predicted {predicted}: {_count(len(samples))} "
                                     f"(sample{'s' if len(samples) > 1 else ''} {', '.join(map(str, samples))})"))
    else:
        body.append(line("Each sample adds 1 to the cell of its actual class's row and its predicted class's column."))
    body.append(_matrix_table(c))
    return Step(line("Count the samples into the confusion matrix"), tuple(body), ("matrix",))


def _ordered_by_labels(c: Confusion) -> bool:
    return list(c.keys) != sorted(c.keys)


def _matrix_step(c: Confusion) -> Step:
    body: list[Line | Table] = []
    if c.source == "counts":
        body.append(line("The four counts placed as C = [[TN, FP], [FN, TP]]."))
    body.append(_matrix_table(c))
    return Step(line("The confusion matrix"), tuple(body), ("matrix",))


# --- two classes ------------------------------------------------------------------------------------


def _binary(c: Confusion, beta: float) -> tuple[list[Step], dict[str, Any], list[Note]]:
    assert c.positive is not None
    pos, neg = c.names[c.positive], c.names[1 - c.positive]
    m = one_vs_rest(c)[c.positive]
    tp, fp, fn, tn = m.tp, m.fp, m.fn, m.tn
    n = tp + fp + fn + tn
    accuracy, precision, recall = ratio(tp + tn, n), ratio(tp, tp + fp), ratio(tp, tp + fn)
    specificity = ratio(tn, tn + fp)
    f1, fbeta = f_beta(precision, recall, 1.0), f_beta(precision, recall, beta)

    steps = [] if c.source == "counts" else [
        Step(line(f"The positive class: {pos}" + (" (--positive)" if c.positive != 1 else " (the second class)")),
             (eq(f"{TP} = ", tp, rf",\quad {FP} = ", fp, rf",\quad {FN} = ", fn, rf",\quad {TN} = ", tn),
              line(f"TP: actual {pos}, predicted {pos}. FP: actual {neg}, predicted {pos}. FN: actual {pos}, predicted {neg}. "
                   f"TN: actual {neg}, predicted {neg}."))),
    ]
    steps += [
        Step(line("Accuracy: the share of all predictions that are right"),
             (_fraction(r"\text{accuracy}", f"{TP} + {TN}", (TP, TN, FP, FN), (tp, tn), (tp, tn, fp, fn), accuracy),), ("accuracy",)),
        Step(line(f"Precision: of those predicted {pos}, the share that are {pos}"),
             (_fraction("P", TP, (TP, FP), (tp,), (tp, fp), precision),), ("precision",)),
        Step(line(f"Recall (sensitivity): of the actual {pos} samples, the share found"),
             (_fraction("R", TP, (TP, FN), (tp,), (tp, fn), recall),), ("recall",)),
        Step(line(f"Specificity: of the actual {neg} samples, the share predicted {neg}"),
             (_fraction(r"\text{specificity}", TN, (TN, FP), (tn,), (tn, fp), specificity),), ("specificity",)),
        Step(line("F1 score: the harmonic mean of precision and recall"),
             (*_f_lines("F_1", precision, recall, 1.0, f1),
              eq(rf"\text{{check: }} F_1 = \frac{{2 {TP}}}{{2 {TP} + {FP} + {FN}}} = \frac{{", 2 * tp, "}{", 2 * tp + fp + fn, "} = ", f1),
              *([] if beta != 1 else [line("With β = 1, F-beta is F1: $F_\\beta = ", f1, "$.")])),
             ("f1", "fbeta") if beta == 1 else ("f1",)),
    ]
    if beta != 1:
        steps.append(Step(line("F-beta: recall weighted β times as much as precision, β = ", Num(beta, exact=True)),
                          tuple(_f_lines(r"F_\beta", precision, recall, beta, fbeta)), ("fbeta",)))
    steps.append(_reading_step(pos, neg, m, recall, precision))
    answers = {"matrix": [list(row) for row in c.matrix], "accuracy": accuracy, "precision": precision, "recall": recall,
               "specificity": specificity, "f1": f1, "fbeta": fbeta}
    notes = []
    for what, denominator in ((f"precision (nothing was predicted {pos}, TP + FP = 0)", tp + fp),
                              (f"recall (no sample is actually {pos}, TP + FN = 0)", tp + fn),
                              (f"specificity (no sample is actually {neg}, TN + FP = 0)", tn + fp)):
        if denominator == 0:
            notes.append(_zero_note(what[0].upper() + what[1:]))
    if precision + recall == 0:
        notes.append(_zero_note("F1 (P + R = 0)"))
    return steps, answers, notes


def _f_lines(symbol: str, p: float, r: float, beta: float, value: float, formula: bool = True) -> list[Line]:
    """F1 = 2PR/(P + R), or F-beta = (1 + β²)PR/(β²P + R), with the numbers (``formula``:
    the symbols first; a class's line leaves them to its step's formula)."""
    b2 = beta * beta
    top, bottom = (1 + b2) * p * r, b2 * p + r
    if beta == 1:
        shape = r"\frac{2 \cdot P \cdot R}{P + R} = "
        head = [r"\frac{2 \cdot ", Num(p), r" \cdot ", Num(r), "}{", Num(p), " + ", Num(r), "}"]
    else:
        shape = r"\frac{(1 + \beta^2) \cdot P \cdot R}{\beta^2 \cdot P + R} = "
        head = [r"\frac{(1 + ", Num(b2), r") \cdot ", Num(p), r" \cdot ", Num(r), "}{", Num(b2), r" \cdot ", Num(p), " + ", Num(r), "}"]
    head = [f"{symbol} = " + (shape if formula else ""), *head]
    tail: list[Part] = [r" \to 0"] if bottom == 0 else [r" = \frac{", Num(top), "}{", Num(bottom), "} = ", value]
    return [eq(*head, *tail)]


def _reading_step(pos: str, neg: str, m: OneVsRest, recall: float, precision: float) -> Step:
    """The notes' cancer reading: which error is the dangerous one, and which metric counts it."""
    n = m.tp + m.fp + m.fn + m.tn
    return Step(line("Reading the errors (the notes' cancer screening: positive = has cancer)"), (
        line(f"A false positive (FP = {_count(m.fp)}, actual {neg} predicted {pos}) is, in the screening, a healthy person flagged: "
             "a scare and a second test."),
        line(f"A false negative (FN = {_count(m.fn)}, actual {pos} predicted {neg}) is a sick person missed and sent home: "
             "\"FN is dangerous\"."),
        line(f"Recall counts the misses: {_count(m.tp)} of the {_count(m.tp + m.fn)} actual {pos} cases found, {_count(m.fn)} missed (R = ", recall,
             "). Where a miss is costly (disease, fraud) recall is the metric to watch; where a false alarm is costly (spam), "
             f"precision (P = ", precision, ")."),
        line(f"Accuracy misleads when one class is rare: predicting {neg} for everyone scores (TN + FP)/N = "
             f"{_count(m.tn + m.fp)}/{_count(n)} = ", ratio(m.tn + m.fp, n), f" and finds no {pos} at all."),
    ))


# --- more classes ---------------------------------------------------------------------------------


def _per_class_counts_step(c: Confusion, counts: Sequence[OneVsRest]) -> Step:
    rows = tuple((k, name, m.tp, c.column_total(k - 1), m.fp, c.row_total(k - 1), m.fn)
                 for k, (name, m) in enumerate(zip(c.names, counts), 1))
    header = ("$k$", "class", r"$\mathrm{TP}_k = C_{kk}$", "column total", r"$\mathrm{FP}_k$", r"row total $n_k$", r"$\mathrm{FN}_k$")
    return Step(line("One class against the rest: TP, FP and FN of each class"), (
        eq(rf"{TP}_k = C_{{kk}},\quad {FP}_k = \sum_i C_{{ik}} - {TP}_k,\quad {FN}_k = \sum_j C_{{kj}} - {TP}_k"),
        line("(FP: the rest of class k's column, predicted k but not k; FN: the rest of its row, actually k but predicted otherwise; "
             "the support $n_k$ is the row total)"),
        Table(line("each class against the rest"), header, rows),
    ))


SYMBOLS = {"precision": ("P", ""), "recall": ("R", ""), "f1": ("F", "1,"), "fbeta": ("F", r"\beta,")}


def _symbol(key: str, index: str) -> str:
    """A metric's symbol with its index: ``P_{k}``, ``F_{1,k}``, ``F_{\beta,\text{macro}}``."""
    letter, prefix = SYMBOLS[key]
    return f"{letter}_{{{prefix}{index}}}"


def _per_class_step(title: str, formula: str, key: str, lines: Sequence[Line], values: Sequence[float], c: Confusion) -> Step:
    body: list[Line | Table] = [eq(f"{_symbol(key, 'k')} = {formula}")]
    if c.size <= DETAIL_MAX:
        body += lines
    else:
        body.append(Table(line(title), ("$k$", "class", f"${_symbol(key, 'k')}$"),
                          tuple((k, name, v) for k, (name, v) in enumerate(zip(c.names, values), 1))))
    return Step(line(title), tuple(body), (f"per_class.{key}",))


def _labelled(name: str, formula: Line) -> Line:
    """A class's line with its name after it."""
    return Line((*formula.parts, f"   (class {name})"))


def _average_lines(key: str, values: Sequence[float], support: Sequence[int], macro: float, weighted_value: float) -> tuple[Line, Line]:
    """The macro mean and the support-weighted mean of one metric, with the numbers."""
    k = len(values)
    shown = len(values) <= DETAIL_MAX
    each, mean_of, weighted_of = _symbol(key, "k"), _symbol(key, r"\text{macro}"), _symbol(key, r"\text{weighted}")
    macro_line = eq(rf"{mean_of} = \frac{{1}}{{K}} \sum_k {each} = ",
                    *((r"\frac{", *joined([Num(v) for v in values], " + "), "}{", k, "} = ") if shown else ()), macro)
    weighted_line = eq(rf"{weighted_of} = \frac{{\sum_k n_k {each}}}{{N}} = ",
                       *((r"\frac{", *joined([(n, r" \cdot ", Num(v)) for n, v in zip(support, values)], " + "), "}{", sum(support), "} = ")
                         if shown else ()), weighted_value)
    return macro_line, weighted_line


def _multiclass(c: Confusion, beta: float) -> tuple[list[Step], dict[str, Any], list[Note]]:
    counts = one_vs_rest(c)
    support = [m.support for m in counts]
    n = c.total
    precision = [ratio(m.tp, m.tp + m.fp) for m in counts]
    recall = [ratio(m.tp, m.tp + m.fn) for m in counts]
    f1 = [f_beta(p, r, 1.0) for p, r in zip(precision, recall)]
    fbeta = [f_beta(p, r, beta) for p, r in zip(precision, recall)]
    per_class: dict[str, list[Any]] = {"precision": precision, "recall": recall, "f1": f1}
    if beta != 1:
        per_class["fbeta"] = fbeta
    per_class["support"] = support
    correct = sum(m.tp for m in counts)
    accuracy = ratio(correct, n)
    sum_fp, sum_fn = sum(m.fp for m in counts), sum(m.fn for m in counts)
    micro_p, micro_r = ratio(correct, correct + sum_fp), ratio(correct, correct + sum_fn)
    metric_names = [name for name in per_class if name != "support"]
    macro = {name: mean(per_class[name]) for name in metric_names}
    weighted_ = {name: weighted(per_class[name], support) for name in metric_names}
    micro = {"precision": micro_p, "recall": micro_r, "f1": f_beta(micro_p, micro_r, 1.0)}
    if beta != 1:
        micro["fbeta"] = f_beta(micro_p, micro_r, beta)

    detail = c.size <= DETAIL_MAX
    names = c.names
    steps = [
        _per_class_counts_step(c, counts),
        Step(line("Accuracy: the diagonal (right predictions) over all samples"),
             (eq(r"\text{accuracy} = \frac{\sum_k C_{kk}}{N} = \frac{",
                 *(joined([m.tp for m in counts], " + ") if detail else (correct,)), "}{", n, "} = ", accuracy),), ("accuracy",)),
        _per_class_step("Precision of each class", rf"\frac{{{TP}_k}}{{{TP}_k + {FP}_k}}", "precision",
                        [_labelled(name, _fraction(_symbol("precision", str(k)), f"{TP}_{{{k}}}", (f"{TP}_{{{k}}}", f"{FP}_{{{k}}}"), (m.tp,), (m.tp, m.fp), p))
                         for k, (name, m, p) in enumerate(zip(names, counts, precision), 1)] if detail else [], precision, c),
        _per_class_step("Recall of each class", rf"\frac{{{TP}_k}}{{{TP}_k + {FN}_k}}", "recall",
                        [_labelled(name, _fraction(_symbol("recall", str(k)), f"{TP}_{{{k}}}", (f"{TP}_{{{k}}}", f"{FN}_{{{k}}}"), (m.tp,), (m.tp, m.fn), r))
                         for k, (name, m, r) in enumerate(zip(names, counts, recall), 1)] if detail else [], recall, c),
        _per_class_step("F1 of each class", r"\frac{2 P_k R_k}{P_k + R_k}", "f1",
                        [_labelled(name, *_f_lines(_symbol("f1", str(k)), p, r, 1.0, f, formula=False)) for k, (name, p, r, f) in enumerate(zip(names, precision, recall, f1), 1)]
                        if detail else [], f1, c),
    ]
    if beta != 1:
        steps.append(_per_class_step(f"F-beta of each class, β = {beta:g}", r"\frac{(1 + \beta^2) P_k R_k}{\beta^2 P_k + R_k}", "fbeta",
                                     [_labelled(name, *_f_lines(_symbol("fbeta", str(k)), p, r, beta, f, formula=False))
                                      for k, (name, p, r, f) in enumerate(zip(names, precision, recall, fbeta), 1)] if detail else [], fbeta, c))
    columns = ("precision", "recall", "F1") + (("F-beta",) if beta != 1 else ())
    steps.append(Step(line("Per class, in one table"), (Table(
        line("each class's metrics and support"), ("class", *columns, "support"),
        tuple((name, *(per_class[key][k] for key in metric_names), support[k]) for k, name in enumerate(names))),), ("per_class",)))

    average_body: list[Line | Table] = [line("Macro: every class counts the same, whatever its size (macro F1 is the mean of the per-class F1, "
                                             "as scikit-learn computes it). Weighted: each class by its support $n_k$.")]
    lines = [_average_lines(key, per_class[key], support, macro[key], weighted_[key]) for key in metric_names]
    average_body += [macro_line for macro_line, _ in lines] + [weighted_line for _, weighted_line in lines]
    steps.append(Step(line("Macro and weighted averages over the classes"), tuple(average_body),
                      tuple(f"{average}.{key}" for average in ("macro", "weighted") for key in metric_names)))
    micro_body = [
        eq(rf"P_{{\text{{micro}}}} = \frac{{\sum_k {TP}_k}}{{\sum_k ({TP}_k + {FP}_k)}} = \frac{{", correct, "}{", correct, " + ", sum_fp, "} = ", micro_p),
        eq(rf"R_{{\text{{micro}}}} = \frac{{\sum_k {TP}_k}}{{\sum_k ({TP}_k + {FN}_k)}} = \frac{{", correct, "}{", correct, " + ", sum_fn, "} = ", micro_r),
        *_f_lines(r"F_{1,\text{micro}}", micro_p, micro_r, 1.0, micro["f1"]),
        *(_f_lines(r"F_{\beta,\text{micro}}", micro_p, micro_r, beta, micro["fbeta"]) if beta != 1 else []),
        line("Each sample has one actual and one predicted class, so ΣFP = ΣFN = N − ΣTP: micro precision, recall and F1 all equal "
             "the accuracy, ", accuracy, "."),
    ]
    steps.append(Step(line("Micro averages: pool the counts of every class, then one ratio"), tuple(micro_body), tuple(f"micro.{key}" for key in micro)))

    answers = {"matrix": [list(row) for row in c.matrix], "accuracy": accuracy, "per_class": per_class,
               "macro": macro, "micro": micro, "weighted": weighted_}
    notes = []
    unpredicted = [name for name, m in zip(names, counts) if m.tp + m.fp == 0]
    absent = [name for name, m in zip(names, counts) if m.tp + m.fn == 0]
    if unpredicted:
        notes.append(_zero_note(f"Precision of class {', '.join(unpredicted)} (never predicted, TP + FP = 0)"))
    if absent:
        notes.append(_zero_note(f"Recall of class {', '.join(absent)} (no actual sample, TP + FN = 0; support 0)"))
    no_f = [name for name, p, r in zip(names, precision, recall) if p + r == 0]
    if no_f:
        notes.append(_zero_note(f"F1 of class {', '.join(no_f)} (P + R = 0)"))
    return steps, answers, notes


# --- solve ------------------------------------------------------------------------------------------


def _echoed(c: Confusion, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs as used: the matrix's source, the classes in order, the positive class, β."""
    echo: dict[str, Any]
    if c.source == "counts":
        m = one_vs_rest(c)[1]
        echo = {"tp": m.tp, "fp": m.fp, "fn": m.fn, "tn": m.tn}
    elif c.source == "matrix":
        echo = {"matrix": [list(row) for row in c.matrix]}
    else:
        key = c.classes.echoed
        echo = {"actual": [key(c.keys[i]) for i, _ in c.pairs], "predicted": [key(c.keys[j]) for _, j in c.pairs]}
    echo["labels"] = [c.classes.echoed(k) for k in c.keys]
    echo["positive"] = None if c.positive is None else c.classes.echoed(c.keys[c.positive])
    echo["beta"] = inputs["beta"]
    return echo


def _positive_convention(c: Confusion) -> str:
    if c.source == "counts":
        return "The positive class is the one TP counts: the matrix is [[TN, FP], [FN, TP]]."
    return "The positive class is the second (scikit-learn's pos_label=1) unless --positive names another."


def solve(inputs: Mapping[str, Any]) -> Derivation:
    """The confusion matrix (counted first from label vectors), then every metric."""
    c = confusion(inputs)
    beta = float(inputs["beta"])
    binary = c.positive is not None
    steps, answers, notes = (_binary if binary else _multiclass)(c, beta)
    first = _counting_step(c) if c.source == "labels" else _matrix_step(c)
    convention = Note(line("scikit-learn's conventions: the matrix's rows are the actual classes and its columns the predicted ones "
                           "(some books transpose it). " + (_positive_convention(c) if binary else
                                                            "Macro F1 is the mean of the per-class F1 scores, not the F1 of macro P and R.")))
    notes_formulas = Note(line("The notes' formulas (\"What is F1 score?\"): accuracy (TP + TN)/(TP + TN + FN + FP), precision TP/(TP + FP), "
                               "recall TP/(TP + FN), F1 = 2·P·R/(P + R)."))
    if c.source == "counts":
        title = f"Classification metrics of a binary classifier: {c.total:,} samples"
    elif binary:
        title = f"Classification metrics: two classes (positive: {c.names[c.positive]}), {c.total:,} samples"
    else:
        title = f"Classification metrics: {c.size} classes, {c.total:,} samples"
    return Derivation(COMMAND, title, _echoed(c, inputs), (first, *steps), answers, (convention, notes_formulas, *notes))
