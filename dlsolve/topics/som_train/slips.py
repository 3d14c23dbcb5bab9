"""som-train: each iteration recomputed from the student's own weights before it, and the
slips a marker sees in Kohonen exercises.

Carried forward, for iteration t (sample x):
  distances.t  d²ⱼ = Σᵢ (xᵢ − wⱼᵢ)² with the student's history.(t − 1)
  winners.t    the smallest of the student's distances.t (lowest unit on a tie)
  history.t    the student's history.(t − 1), the student's winner moved: w + η(x − w)
  weights      as history.T;  clusters: the nearest unit of each sample under the student's weights
  learning_rates.e  the student's η of epoch e − 1 times the decay factor

Slips, each computed from the same starting point (the student's weights before the iteration):
update sign flipped w − η(x − w) (the notes' own iteration 2), the distance not squared (√ or
Σ|x − w|), the largest d² winning, η left out (w ← x), the runner-up or every unit updated.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from dlsolve.checking.keys import Path
from dlsolve.checking.slips import Analysis, Carried, Deferred, Slip, Work

CHOICES = frozenset({"winners", "clusters"})  # picks, not amounts (see slips.choices)

MAX_ITERATIONS = 1_000  # beyond this no recomputation (a worked exercise has a handful)
TIE_RTOL = 1e-12

SLIPS = {
    "update-sign": "the update's sign flipped: w − η(x − w) instead of w + η(x − w)",
    "distance-root": "the distance not squared: √Σ(xᵢ − wᵢ)² instead of d² = Σ(xᵢ − wᵢ)²",
    "distance-abs": "the differences not squared: Σ|xᵢ − wᵢ| instead of Σ(xᵢ − wᵢ)²",
    "largest-wins": "the unit with the largest d² taken as the winner (the smallest d² wins)",
    "no-eta": "η left out of the update: w + (x − w) = x",
    "runner-up": "the runner-up (second smallest d²) updated instead of the winner",
    "all-units": "every unit updated, not only the winner",
}


def _nearest(d2: np.ndarray) -> int:
    """The smallest d², the lowest unit number on a tie (as the solver decides)."""
    values = d2.tolist()
    numbers = [v for v in values if v == v]  # a student's distances may be anything (NaN left out)
    if not numbers:
        return 0
    low = min(numbers) + abs(min(numbers)) * TIE_RTOL + 1e-14
    return next(j for j, v in enumerate(values) if v <= low)


def _moved(W: np.ndarray, x: np.ndarray, rows: range, step: float) -> list[list[float]]:
    """W with ``rows`` (consecutive units) moved by ``step``·(x − w)."""
    new = W.copy()
    moved = new[rows.start:rows.stop]
    moved += step * (x - moved)
    return new.tolist()


def _runner_up_moved(W: np.ndarray, x: np.ndarray, d2: np.ndarray, winner: int, R: int, eta: float) -> list[list[float]]:
    """W with the runner-up (second smallest d²) and its neighbours moved instead of the winner."""
    runner_up = int(next(j for j in np.argsort(d2, kind="stable") if j != winner))
    return _moved(W, x, range(max(runner_up - R, 0), min(runner_up + R + 1, len(W))), eta)


def _root(d2: np.ndarray) -> list[float]:
    return np.sqrt(d2).tolist()


def _abs_sum(diff: np.ndarray) -> list[float]:
    return np.abs(diff).sum(axis=1).tolist()


def _largest(d2: np.ndarray) -> int:
    return int(np.argmax(d2)) + 1


def analyse(work: Work) -> Analysis:
    inputs = work.inputs
    X = np.array(inputs["samples"], dtype=float)
    W0 = np.array(inputs["weights"], dtype=float)
    N, m = len(X), len(W0)
    epochs, decay, R = inputs["epochs"], inputs["lr_decay"], inputs["radius"]
    T = N * epochs
    if T > MAX_ITERATIONS or work.answers["history"] is None:
        return Analysis({}, [])
    carried: dict[Path, Carried] = {}
    slips: dict[str, dict[Path, Callable[[], Any]]] = {name: {} for name in SLIPS}  # computed when read

    def neighbours(c: int) -> range:
        return range(max(c - R, 0), min(c + R + 1, m))

    gave = work.student.names()

    def wanted(*names: str) -> bool:
        """Slips of answers the student did not give are never read (the exact values' slips: all)."""
        return not gave or any(name in gave for name in names)

    # learning rates: η of epoch e from the student's η of epoch e − 1
    etas = []
    for e in range(epochs):
        base = work.solution(("learning_rates", e))
        if e:
            previous = ("learning_rates", e - 1)
            base = float(work.given(previous, work.solution(previous))) * decay
            carried[("learning_rates", e)] = Carried(base, (previous,))
        etas.append(float(work.given(("learning_rates", e), base)))

    # iterations: each from the student's weights before it
    W = W0
    with np.errstate(all="ignore"):
        for t in range(T):
            e, s = divmod(t, N)
            x, eta = X[s], etas[e]
            before: tuple[Path, ...] = (("history", t - 1),) if t else ()
            diff = x - W
            d2 = np.einsum("ji,ji->j", diff, diff)
            carried[("distances", t)] = Carried(d2.tolist(), before)
            d2_given = np.array(work.given(("distances", t), d2.tolist()), dtype=float)
            nearest = _nearest(d2_given)
            carried[("winners", t)] = Carried(nearest + 1, (("distances", t), *before))
            c = int(work.given(("winners", t), nearest + 1)) - 1
            c = c if 0 <= c < m else nearest
            new = _moved(W, x, neighbours(c), eta)
            carried[("history", t)] = Carried(new, (*before, ("winners", t), ("learning_rates", e)))

            # the slips, from the same weights
            if wanted("history", "weights"):
                slips["update-sign"][("history", t)] = partial(_moved, W, x, neighbours(c), -eta)
                slips["no-eta"][("history", t)] = partial(_moved, W, x, neighbours(c), 1.0)
                if m > 1:
                    slips["runner-up"][("history", t)] = partial(_runner_up_moved, W, x, d2_given, nearest, R, eta)
                    slips["all-units"][("history", t)] = partial(_moved, W, x, range(m), eta)
            if wanted("distances"):
                slips["distance-root"][("distances", t)] = partial(_root, d2)
                slips["distance-abs"][("distances", t)] = partial(_abs_sum, diff)
            if m > 1 and wanted("winners"):
                slips["largest-wins"][("winners", t)] = partial(_largest, d2_given)
            W = np.array(work.given(("history", t), new), dtype=float)

        # the final weights are the last iteration's; the classes follow from the student's
        last = ("history", T - 1)
        carried[("weights",)] = Carried(carried[last].value, carried[last].sources)
        for values in slips.values():
            if last in values:
                values[("weights",)] = values[last]  # the same computation
        final = np.array(work.given(("weights",), W.tolist()), dtype=float)
        d2_final = ((X[:, None, :] - final[None, :, :]) ** 2).sum(axis=2)
        carried[("clusters",)] = Carried([_nearest(row) + 1 for row in d2_final], (("weights",), last))
    return Analysis(carried, [Slip(name, SLIPS[name], Deferred(values)) for name, values in slips.items() if values])
