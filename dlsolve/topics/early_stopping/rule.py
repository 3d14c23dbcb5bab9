"""Keras' EarlyStopping rule run over a list of validation losses, and the miscounted
versions a student may run instead (for check's slips).

Keras 3 (keras/src/callbacks/early_stopping.py, ``on_epoch_end``): the first epoch sets
the best; then each epoch adds 1 to ``wait`` and, when the loss improves (loss < best −
min_delta), makes it the best and sets ``wait`` back to 0; otherwise training stops once
``wait ≥ patience``. The losses are compared exactly as the decimals they are written as
(``Decimal(repr(x))``), so a loss exactly min_delta below the best is a tie, as by hand.

No NumPy: a run of the largest allowed length takes a fraction of a second in plain Python.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

# Exact sums of two doubles written as decimals: 17 digits at exponents from −324 to 308
# need at most about 650 digits; Inexact would mean a rounded comparison, a bug.
_EXACT = decimal.Context(prec=800, Emin=-decimal.MAX_EMAX, Emax=decimal.MAX_EMAX, traps=[decimal.Inexact])


class Variant(NamedTuple):
    """How improvements are judged and ``wait`` counted: Keras' way by default."""

    against: str = "best"  # "best": the best so far; "previous": the epoch before
    delta_sign: int = -1  # the threshold is reference + delta_sign · min_delta (Keras: −)
    strict: bool = True  # improvement needs loss < threshold (False: ≤, ties improve)
    counting: str = "keras"  # "keras": reset on improvement; "no-reset": never reset; "from-first-rise": every epoch after the first non-improving one counts
    stop_late: bool = False  # stop when wait > patience instead of ≥


KERAS = Variant()


class Epoch(NamedTuple):
    """One epoch as the rule sees it (``number`` counts from 1, as Keras' messages do)."""

    number: int
    loss: float
    reference: float | None  # the loss compared against (None at the first epoch)
    threshold: float | None  # reference ± min_delta, exact as a decimal
    improved: bool
    wait: int  # the counter after this epoch
    best_epoch: int  # the best epoch after this one


class Run(NamedTuple):
    epochs: tuple[Epoch, ...]  # the epochs trained: up to the stop epoch
    stop_epoch: int | None  # None: training never stops early
    best_epoch: int
    best_loss: float


def exact(x: float) -> Decimal:
    """The decimal a float is written as (0.1 → Decimal('0.1'), not its binary value)."""
    return Decimal(repr(x))


def run(losses: Sequence[float], patience: int, min_delta: float, variant: Variant = KERAS) -> Run:
    """Early stopping over ``losses`` (one per epoch), the first loss first."""
    values = [exact(x) for x in losses]
    delta = exact(min_delta) * variant.delta_sign
    epochs: list[Epoch] = []
    best, wait, rising, stop = 0, 0, False, None  # best: index of the best epoch so far
    for i, (loss, value) in enumerate(zip(losses, values)):
        if i == 0:
            reference = threshold = None
            improved = True
        else:
            r = best if variant.against == "best" else i - 1
            reference, limit = losses[r], _EXACT.add(values[r], delta)
            threshold = float(limit)
            improved = value < limit if variant.strict else value <= limit
        counted = not improved or (rising and variant.counting == "from-first-rise")
        rising = rising or not improved
        if improved:
            best = i
        if counted:
            wait += 1
        elif variant.counting == "keras":
            wait = 0
        epochs.append(Epoch(i + 1, loss, reference, threshold, improved, wait, best + 1))
        if counted and (wait > patience if variant.stop_late else wait >= patience):
            stop = i + 1
            break
    return Run(tuple(epochs), stop, best + 1, losses[best])
