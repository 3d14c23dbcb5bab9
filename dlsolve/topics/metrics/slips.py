"""metrics: every metric recomputed from the student's own confusion matrix, F1 from their
own precision and recall, the averages from their own per-class values, and the slips a
marker sees in metrics exercises.

Carried forward:
  accuracy, precision, recall, specificity, per_class.*, micro.*   from the student's matrix
  f1, fbeta (binary; per class too)                              from the student's P and R
  macro.*, weighted.*                                             from the student's per-class values

Slips: precision and recall swapped; accuracy over the wrong total (FN or FP left out of it,
or only the true positives counted as right) and the mean of the recalls (balanced
accuracy); F1 as the arithmetic mean (P + R)/2; micro and macro swapped; specificity as
TN/(TN + FN).
"""

from __future__ import annotations

import math
from typing import Any

from dlsolve.checking.keys import Path
from dlsolve.checking.slips import Analysis, Carried, Slip, Work
from dlsolve.topics.metrics.measures import f_beta, mean, ratio, weighted

AVERAGES = ("macro", "micro", "weighted")


def _matrix(work: Work) -> list[list[int]] | None:
    """The student's confusion matrix (the solution's where they gave none), if it is one."""
    m = work.given(("matrix",), work.answers["matrix"])
    k = len(work.answers["matrix"])
    if not (isinstance(m, list) and len(m) == k and all(isinstance(r, list) and len(r) == k for r in m)):
        return None
    if not all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for r in m for x in r) or sum(map(sum, m)) == 0:
        return None
    return m


def _number(value: Any) -> bool:
    return isinstance(value, float) and math.isfinite(value)


def _binary(work: Work, beta: float) -> Analysis:
    a = work.answers
    carried: dict[Path, Carried] = {}
    m = _matrix(work)
    p_index = _positive_index(work)
    if m is not None:
        tp, fp, fn, tn = _counts(m, p_index)
        source = (("matrix",),)
        for name, value in (("accuracy", ratio(tp + tn, tp + fp + fn + tn)), ("precision", ratio(tp, tp + fp)),
                            ("recall", ratio(tp, tp + fn)), ("specificity", ratio(tn, tn + fp))):
            carried[(name,)] = Carried(value, source)
    p = work.given(("precision",), carried[("precision",)].value if ("precision",) in carried else a["precision"])
    r = work.given(("recall",), carried[("recall",)].value if ("recall",) in carried else a["recall"])
    if _number(p) and _number(r):
        carried[("f1",)] = Carried(f_beta(p, r, 1.0), (("precision",), ("recall",)))
        carried[("fbeta",)] = Carried(f_beta(p, r, beta), (("precision",), ("recall",)))

    tp, fp, fn, tn = _counts(a["matrix"], p_index)
    n = tp + fp + fn + tn
    slips = [
        Slip("precision-recall-swapped", "precision and recall swapped: TP/(TP + FN) for precision and TP/(TP + FP) for recall",
             {("precision",): a["recall"], ("recall",): a["precision"]}),
        Slip("accuracy-total-without-fn", "accuracy over the wrong total: (TP + TN)/(TP + TN + FP), the false negatives left out",
             {("accuracy",): ratio(tp + tn, tp + tn + fp)}),
        Slip("accuracy-total-without-fp", "accuracy over the wrong total: (TP + TN)/(TP + TN + FN), the false positives left out",
             {("accuracy",): ratio(tp + tn, tp + tn + fn)}),
        Slip("accuracy-positives-only", "accuracy counting only the true positives as right: TP/N instead of (TP + TN)/N",
             {("accuracy",): ratio(tp, n)}),
        Slip("balanced-accuracy", "the balanced accuracy (recall + specificity)/2 instead of the accuracy (TP + TN)/N",
             {("accuracy",): (a["recall"] + a["specificity"]) / 2}),
        Slip("f1-arithmetic-mean", "F1 as the arithmetic mean (P + R)/2 instead of the harmonic mean 2PR/(P + R)",
             {("f1",): (p + r) / 2 if _number(p) and _number(r) else (a["precision"] + a["recall"]) / 2}),
        Slip("specificity-over-fn", "specificity as TN/(TN + FN) (the negative predictive value) instead of TN/(TN + FP)",
             {("specificity",): ratio(tn, tn + fn)}),
    ]
    return Analysis(carried, slips)


def _positive_index(work: Work) -> int:
    labels, positive = work.inputs["labels"], work.inputs["positive"]
    return labels.index(positive) if positive in labels else 1


def _counts(matrix: list[list[int]], p: int) -> tuple[int, int, int, int]:
    """TP, FP, FN, TN of a 2 × 2 matrix whose positive class is ``p``."""
    n = 1 - p
    return matrix[p][p], matrix[n][p], matrix[p][n], matrix[n][n]


def _per_class(m: list[list[int]], beta: float) -> dict[str, list[float]]:
    k = len(m)
    tp = [m[i][i] for i in range(k)]
    predicted = [sum(m[i][j] for i in range(k)) for j in range(k)]
    actual = [sum(row) for row in m]
    precision = [ratio(tp[i], predicted[i]) for i in range(k)]
    recall = [ratio(tp[i], actual[i]) for i in range(k)]
    return {"precision": precision, "recall": recall, "f1": [f_beta(p, r, 1.0) for p, r in zip(precision, recall)],
            "fbeta": [f_beta(p, r, beta) for p, r in zip(precision, recall)], "support": actual}


def _multiclass(work: Work, beta: float) -> Analysis:
    a = work.answers
    names = [name for name in a["per_class"] if name != "support"]
    carried: dict[Path, Carried] = {}
    m = _matrix(work)
    if m is not None:
        mine = _per_class(m, beta)
        n, correct = sum(map(sum, m)), sum(m[i][i] for i in range(len(m)))
        carried[("accuracy",)] = Carried(correct / n, (("matrix",),))
        for name in names:
            carried[("per_class", name)] = Carried(mine[name], (("matrix",),))
            carried[("micro", name)] = Carried(f_beta(correct / n, correct / n, beta if name == "fbeta" else 1.0)
                                               if name in ("f1", "fbeta") else correct / n, (("matrix",),))
        carried[("per_class", "support")] = Carried(mine["support"], (("matrix",),))
    per_class = {name: work.given(("per_class", name), carried[("per_class", name)].value if ("per_class", name) in carried else a["per_class"][name])
                 for name in (*names, "support")}
    for name in ("f1", "fbeta"):
        if name in names and all(map(_number, per_class["precision"] + per_class["recall"])):
            carried[("per_class", name)] = Carried([f_beta(p, r, beta if name == "fbeta" else 1.0)
                                                   for p, r in zip(per_class["precision"], per_class["recall"])],
                                                  (("per_class", "precision"), ("per_class", "recall")))
            per_class[name] = work.given(("per_class", name), carried[("per_class", name)].value)
    support = per_class["support"]
    for name in names:
        values = per_class[name]
        if all(map(_number, values)):
            carried[("macro", name)] = Carried(mean(values), (("per_class", name),))
            if all(isinstance(s, int) for s in support):
                carried[("weighted", name)] = Carried(weighted(values, support), (("per_class", name), ("per_class", "support")))

    pc = a["per_class"]
    slips = [
        Slip("precision-recall-swapped", "precision and recall swapped: TP/(TP + FN) for precision and TP/(TP + FP) for recall",
             {("per_class", "precision"): pc["recall"], ("per_class", "recall"): pc["precision"],
              **{(avg, "precision"): a[avg]["recall"] for avg in AVERAGES}, **{(avg, "recall"): a[avg]["precision"] for avg in AVERAGES}}),
        Slip("f1-arithmetic-mean", "F1 as the arithmetic mean (P + R)/2 instead of the harmonic mean 2PR/(P + R)",
             {("per_class", "f1"): [(p + r) / 2 for p, r in zip(pc["precision"], pc["recall"])],
              ("macro", "f1"): mean([(p + r) / 2 for p, r in zip(pc["precision"], pc["recall"])]),
              ("weighted", "f1"): weighted([(p + r) / 2 for p, r in zip(pc["precision"], pc["recall"])], pc["support"])}),
        Slip("micro-macro-swapped", "micro and macro averages swapped (macro: the mean of the per-class values; micro: one ratio of the pooled counts)",
             {**{("macro", name): a["micro"][name] for name in names}, **{("micro", name): a["macro"][name] for name in names}}),
        Slip("macro-f1-of-means", "macro F1 as the F1 of macro precision and recall instead of the mean of the per-class F1",
             {("macro", "f1"): f_beta(a["macro"]["precision"], a["macro"]["recall"], 1.0)}),
        Slip("balanced-accuracy", "the mean of the per-class recalls (balanced accuracy) instead of the accuracy Σ C_kk / N",
             {("accuracy",): a["macro"]["recall"]}),
    ]
    return Analysis(carried, slips)


def analyse(work: Work) -> Analysis:
    beta = float(work.inputs["beta"])
    return (_binary if "precision" in work.answers else _multiclass)(work, beta)
