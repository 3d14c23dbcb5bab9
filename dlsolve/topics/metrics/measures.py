"""The classification metrics as ratios of confusion-matrix counts (the notes' §11 formulas),
a zero denominator giving 0 as scikit-learn's ``zero_division=0`` does.

    accuracy     (TP + TN)/(TP + TN + FP + FN)      (multi-class: Σ TP_k / N)
    precision    TP/(TP + FP)
    recall       TP/(TP + FN)                       (sensitivity)
    specificity  TN/(TN + FP)
    F1           2·P·R/(P + R)
    F-beta       (1 + β²)·P·R/(β²·P + R)

Averages over classes: macro = the plain mean of the per-class values (F1 included: the mean
of the F1s, not the F1 of the means); micro = the metric of the pooled counts ΣTP, ΣFP, ΣFN;
weighted = the mean weighted by each class's support n_k.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def ratio(numerator: float, denominator: float) -> float:
    """numerator/denominator, 0 when the denominator is 0 (scikit-learn's zero_division=0)."""
    return numerator / denominator if denominator else 0.0


def f_beta(p: float, r: float, beta: float) -> float:
    """(1 + β²)·P·R/(β²·P + R); 0 when P = R = 0. β = 1 gives F1 = 2PR/(P + R)."""
    b2 = beta * beta
    return ratio((1 + b2) * p * r, b2 * p + r)


def mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def weighted(values: Sequence[float], weights: Sequence[int]) -> float:
    """Σ n_k·v_k / Σ n_k (0 when no class has support)."""
    return ratio(math.fsum(n * v for n, v in zip(weights, values)), sum(weights))
