"""Weight penalties: L1, L2 and the elastic net, their gradients, one update and many.

Every penalty here is a·Σ|wᵢ| + b·Σwᵢ² (a sum of an L1 and an L2 part):
  L1       a = λ,       b = 0              gradient λ·sign(w), sign(0) = 0
  L2       a = 0,       b = λ (λ/2)        gradient 2λw (λw with --half)
  elastic  a = λr,      b = λ(1 − r)       gradient λ(r·sign(w) + 2(1 − r)w)  ((1 − r)w with --half)
so one small class computes all three and the steps write each with its own numbers.

One update (``--lr``) is the plain (sub)gradient step w ← w − η(g + ∂penalty/∂w), g the
data gradient. Repeated steps (``--steps``) take the L1 part by its proximal step
(soft-thresholding): v = w − η(g + 2bw), then w ← sign(v)·max(|v| − ηa, 0), which stops a
weight at exactly 0 instead of stepping across it. For L2 (a = 0) it is the plain step.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

KINDS = ("l1", "l2", "elastic")
SNAP = 1e-12  # a soft-thresholded |v| − ηa this small next to |v| + ηa is rounding residue: 0
LABELS = {"l1": "L1", "l2": "L2", "elastic": "Elastic net"}


class Penalty(NamedTuple):
    """One penalty, as the coefficients of its L1 part (a) and its L2 part (b)."""

    kind: str
    lam: float
    l1_ratio: float
    half: bool

    @property
    def a(self) -> float:
        """The coefficient of Σ|wᵢ|."""
        return {"l1": self.lam, "l2": 0.0, "elastic": self.lam * self.l1_ratio}[self.kind]

    @property
    def b(self) -> float:
        """The coefficient of Σwᵢ² (halved with --half)."""
        full = {"l1": 0.0, "l2": self.lam, "elastic": self.lam * (1 - self.l1_ratio)}[self.kind]
        return full / 2 if self.half else full

    @property
    def l2_symbol(self) -> str:
        """The L2 part's gradient coefficient in symbols: ``2λ``, ``λ``, ``2λ(1 − r)``, ``λ(1 − r)``."""
        two = "" if self.half else "2"
        return two + r"\lambda" + (" (1 - r)" if self.kind == "elastic" else "")

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    def value(self, abs_sum: float, square_sum: float) -> float:
        """a·Σ|w| + b·Σw² from the two sums."""
        return self.a * abs_sum + self.b * square_sum

    def gradient(self, w: np.ndarray) -> np.ndarray:
        """∂penalty/∂w = a·sign(w) + 2b·w (sign(0) = 0, NumPy's and PyTorch's)."""
        return self.a * np.sign(w) + 2 * self.b * w



def penalties(kinds: tuple[str, ...], lam: float, l1_ratio: float, half: bool) -> tuple[Penalty, ...]:
    return tuple(Penalty(kind, lam, l1_ratio, half) for kind in kinds)


def total(values: np.ndarray) -> float:
    """An exact sum (math.fsum), ∞ where it leaves double precision (the caller refuses it)."""
    try:
        return math.fsum(values.tolist())
    except OverflowError:  # an intermediate sum beyond 1.8e308
        return math.inf


def mse(y: np.ndarray, y_hat: np.ndarray) -> float:
    """(1/n)Σ(yᵢ − ŷᵢ)², the notes' data loss (no ½)."""
    return total((y - y_hat) ** 2) / len(y)


class Sums(NamedTuple):
    abs_sum: float  # Σ|wᵢ|
    square_sum: float  # Σwᵢ²


def sums(w: np.ndarray) -> Sums:
    return Sums(total(np.abs(w)), total(w * w))


def history(penalty: Penalty, w: np.ndarray, g: np.ndarray, eta: float, steps: int) -> np.ndarray:
    """The weights after each of ``steps`` proximal steps (rows), the data gradient held at g:
    a gradient step on the data and L2 parts, v = w − η(g + 2bw) = (1 − 2ηb)w − ηg, then the L1
    part's soft-threshold w = sign(v)·max(|v| − ηa, 0). What is left of |v| − ηa within rounding
    of 0 (0.5 − 5 × 0.1 = 2.8 × 10⁻¹⁷) is 0."""
    factor, shift, threshold = 1 - 2 * eta * penalty.b, eta * g, eta * penalty.a
    out = np.empty((steps, len(w)))
    for t in range(steps):
        v = factor * w - shift
        if threshold:
            size = np.abs(v)
            left = size - threshold
            left[left <= SNAP * (size + threshold)] = 0.0
            v = np.copysign(left, v)
        out[t] = w = v
    return out
