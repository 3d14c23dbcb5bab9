"""rbf-xor: outputs, classes and the verdict recomputed from the student's own hidden
values, and the slips a marker sees in RBF exercises.

Carried forward:
  weights, bias     (--solve) the least-squares fit to the student's φ
  outputs.i         φᵢ · w + b from the student's φ row (and their weights and bias)
  predictions.i     1 when the student's output is above the threshold
  correct           whether the student's predictions equal the targets

Slips (each a hidden layer computed another way, carried through to the classes): e⁰ taken
as 0 (the notes' own slip for input (0,0)), the 2 in 2σ² left out, the distance not squared,
the exponent's minus sign dropped; and the classes read with the other usual threshold.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlsolve.checking.keys import Path
from dlsolve.checking.slips import Analysis, Carried, Slip, Work

CHOICES = frozenset({"predictions"})  # picks, not amounts (see slips.choices)

HIDDEN_SLIPS = {
    "e0-zero": "e⁰ taken as 0: a center on the input gives h = e⁰ = 1",
    "no-two": "the 2 in 2σ² left out: h = exp(−‖x − c‖²/σ²)",
    "distance-root": "the distance not squared: h = exp(−‖x − c‖/(2σ²))",
    "exponent-sign": "the exponent's minus sign dropped: h = exp(+‖x − c‖²/(2σ²))",
}


class _Problem:
    def __init__(self, work: Work) -> None:
        inputs = work.inputs
        self.work = work
        self.X = np.array(inputs["inputs"], dtype=float)
        self.C = np.array(inputs["centers"], dtype=float)
        self.sigma = float(inputs["sigma"])
        self.targets = np.array(inputs["targets"], dtype=float)
        self.solve = bool(inputs["solve"])
        self.fit_bias = self.solve and not inputs["no_bias"]
        self.d2 = ((self.X[:, None, :] - self.C[None, :, :]) ** 2).sum(axis=2)

    def hidden(self, slip: str | None) -> np.ndarray:
        """φ (rows = inputs) as computed right or with a slip."""
        d2, s2 = self.d2, self.sigma**2
        if slip == "no-two":
            return np.exp(-d2 / s2)
        if slip == "distance-root":
            return np.exp(-np.sqrt(d2) / (2 * s2))
        if slip == "exponent-sign":
            return np.exp(d2 / (2 * s2))
        phi = np.exp(-d2 / (2 * s2))
        return np.where(d2 == 0, 0.0, phi) if slip == "e0-zero" else phi

    def fit(self, phi: np.ndarray) -> tuple[np.ndarray, float]:
        """Least-squares (minimum-norm) output weights for φ, with a bias column unless --no-bias."""
        A = np.hstack([phi, np.ones((len(phi), 1))]) if self.fit_bias else phi
        solution = np.linalg.lstsq(A, self.targets, rcond=None)[0]
        return (solution[:-1], float(solution[-1])) if self.fit_bias else (solution, 0.0)

    def onward(self, phi: np.ndarray, threshold: float) -> dict[Path, tuple[Any, tuple[Path, ...]]]:
        """From φ on: weights (when solved), outputs, predictions and correct, each from the
        student's value of the stage before where they gave it."""
        work, out = self.work, {}
        w, b = np.array(work.answers["weights"], dtype=float), float(work.answers["bias"])
        if self.solve:
            w, b = self.fit(phi)
            out[("weights",)] = (w.tolist(), (("phi",),))
            out[("bias",)] = (b, (("phi",),))
        w = np.array(work.given(("weights",), w.tolist()), dtype=float)
        b = float(work.given(("bias",), b))
        outputs = phi @ w + b
        for i, o in enumerate(outputs.tolist()):
            out[("outputs", i)] = (o, (("phi", i), ("weights",), ("bias",)))
        given_outputs = np.array(work.given(("outputs",), outputs.tolist()), dtype=float)
        predictions = (given_outputs > threshold).astype(int).tolist()
        for i, p in enumerate(predictions):
            out[("predictions", i)] = (p, (("outputs", i),))
        given_predictions = np.array(work.given(("predictions",), predictions), dtype=float)
        out[("correct",)] = (bool(np.array_equal(given_predictions, self.targets)), (("predictions",),))
        return out


def analyse(work: Work) -> Analysis:
    p = _Problem(work)
    threshold = float(work.inputs["threshold"])
    with np.errstate(all="ignore"):
        phi_given = np.array(work.given(("phi",), work.answers["phi"]), dtype=float)
        carried = {path: Carried(value, sources) for path, (value, sources) in p.onward(phi_given, threshold).items()}
        slips = []
        for name, text in HIDDEN_SLIPS.items():
            phi = p.hidden(name)
            if name == "e0-zero" and not np.any(p.d2 == 0):
                continue
            values = {path: value for path, (value, _) in p.onward(phi, threshold).items()}
            values |= {("phi", i): row for i, row in enumerate(phi.tolist())}
            slips.append(Slip(name, text, values))
        other = 0.5 if threshold != 0.5 else 0.0
        values = {path: value for path, (value, _) in p.onward(phi_given, other).items() if path[0] in ("predictions", "correct")}
        slips.append(Slip("threshold", f"class 1 taken when the output is above {other:g} (the threshold here is {threshold:g})", values))
    return Analysis(carried, slips)
