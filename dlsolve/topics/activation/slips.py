"""activation: derivatives recomputed from the student's own values, and the slips a marker
sees in activation exercises.

Carried forward (the derivative written in terms of the function's value, as the notes do):
σ′ = σ(1 − σ) and tanh′ = 1 − tanh² from the student's values; ELU′ = ELU(x) + α for x ≤ 0;
softmax's Jacobian diag(s) − s sᵀ from the student's probabilities.

Slips: σ′ written as σ(x), or as x(1 − x) (x where σ(x) belongs); tanh′ as 1 − tanh (not
squared), or 1 − x²; the leaky/parametric ReLU's α used on the positive side (αx and α for
x > 0, x and 1 for x ≤ 0); the other one-sided slope at a kink (relu′(0) = 1, relu6′(6) = 1,
hard-swish′(−3) = −0.5 …); swish′ without the product rule (σ(x) alone); ELU without its α;
softmax not normalized (e^x, or e^(x − m), not divided by the sum); the Jacobian's diagonal
alone (softmax treated as element-wise), or diag(s) − s sᵀ with its sign flipped.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlsolve.checking.keys import Path
from dlsolve.checking.slips import Analysis, Carried, Slip, Work
from dlsolve.core.activations import elementwise, softmax_jacobian
from dlsolve.topics.activation.names import ALPHA_OF



def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # σ(x) = (1 + tanh(x/2))/2: no overflow for any x


def _vector(work: Work, path: Path) -> np.ndarray | None:
    """The student's values at ``path`` over the solution's (None when not all numbers)."""
    values = work.given(path, work.solution(path))
    return np.array(values, dtype=float) if all(isinstance(v, float) for v in values) else None


def _carried(work: Work, names: set[str], x: np.ndarray) -> dict[Path, Carried]:
    out: dict[Path, Carried] = {}
    from_value = {"sigmoid": lambda y: y * (1.0 - y), "tanh": lambda y: 1.0 - y**2,
                  "elu": lambda y: np.where(x > 0, 1.0, y + work.inputs["elu_alpha"])}
    for name, slope in from_value.items():
        if name in names and (y := _vector(work, ("values", name))) is not None:
            out[("derivatives", name)] = Carried(slope(y).tolist(), (("values", name),))
    if "softmax" in names and (s := _vector(work, ("values", "softmax"))) is not None:
        out[("derivatives", "softmax")] = Carried(softmax_jacobian(s).tolist(), (("values", "softmax"),))
    return out


def _kink_slips(work: Work, names: set[str], x: np.ndarray) -> list[Slip]:
    """Per function with an x on a kink: that x's slope taken from the side PyTorch does not take."""
    fs = elementwise(work.inputs["alpha"], work.inputs["prelu_alpha"], work.inputs["elu_alpha"])
    slips = []
    for name, f in fs.items():
        if name not in names:
            continue
        right = work.answers["derivatives"][name]
        changed, said = list(right), []
        for k in f.kinks:
            at = np.array([k - 1e-9, k + 1e-9])  # just left and just right of the kink
            left_side, right_side = (round(v, 6) for v in f.slope(at, f.apply(at)).tolist())
            hits = np.flatnonzero(x == k).tolist()
            if hits and left_side != right_side:
                taken = round(right[hits[0]], 6)
                other = right_side if taken == left_side else left_side
                changed = [other if i in hits else v for i, v in enumerate(changed)]
                said.append(f"{name}′({k:g}) = {other:g} where PyTorch's autograd takes {taken:g}".replace("(-", "(−"))
        if said:
            slips.append(Slip(f"kink-{name}", "at a kink, the other side's slope: " + "; ".join(said), {("derivatives", name): changed}))
    return slips


def analyse(work: Work) -> Analysis:
    x = np.array(work.inputs["x"], dtype=float)
    names = set(work.answers["values"])
    slips: list[Slip] = []

    def slip(name: str, text: str, values: dict[Path, Any]) -> None:
        kept = {path: v for path, v in values.items()
                if path[1] in names and np.all(np.isfinite(np.asarray(v, dtype=float))) and v != work.solution(path)}
        if kept:
            slips.append(Slip(name, text, kept))

    with np.errstate(over="ignore", invalid="ignore"):
        slip("sigma-prime-as-sigma", "σ′(x) written as σ(x): the derivative is σ(x)(1 − σ(x))",
             {("derivatives", "sigmoid"): work.answers["values"].get("sigmoid")})
        slip("sigma-prime-of-x", "σ′ = x(1 − x) with x where σ(x) belongs: the derivative is σ(x)(1 − σ(x))",
             {("derivatives", "sigmoid"): (x * (1 - x)).tolist()})
        slip("tanh-prime-not-squared", "tanh′(x) = 1 − tanh(x), the square missing: the derivative is 1 − tanh²(x)",
             {("derivatives", "tanh"): (1 - np.tanh(x)).tolist()})
        slip("tanh-prime-of-x", "tanh′ = 1 − x² with x where tanh(x) belongs: the derivative is 1 − tanh²(x)",
             {("derivatives", "tanh"): (1 - x**2).tolist()})
        swapped: dict[Path, Any] = {}
        for name in ("leaky-relu", "prelu"):
            alpha = work.inputs[ALPHA_OF[name]]
            swapped[("values", name)] = np.where(x > 0, alpha * x, x).tolist()
            swapped[("derivatives", name)] = np.where(x > 0, alpha, 1.0).tolist()
        slip("leaky-slope-positive-side", "the slope α used on the positive side (αx and α for x > 0, x and 1 for x ≤ 0): "
             "the leaky ReLU is x for x > 0 and αx otherwise", swapped)
        slip("swish-product-rule", "swish′ = σ(x), the product rule forgotten: (x σ(x))′ = σ(x) + x σ(x)(1 − σ(x))",
             {("derivatives", "swish"): _sigmoid(x).tolist()})
        elu_x = np.minimum(x, 0.0)
        slip("elu-alpha-missing", "ELU without its α: eˣ − 1 and eˣ for x ≤ 0 instead of α(eˣ − 1) and αeˣ",
             {("values", "elu"): np.where(x > 0, x, np.expm1(elu_x)).tolist(), ("derivatives", "elu"): np.where(x > 0, 1.0, np.exp(elu_x)).tolist()})
        if "softmax" in names:
            raw = np.exp(x)
            if np.all(np.isfinite(raw)):
                slip("softmax-not-normalized", "softmax without normalizing: e^(xᵢ), not divided by Σⱼ e^(xⱼ)",
                     {("values", "softmax"): raw.tolist()})
            slip("softmax-shifted-not-normalized", "softmax without normalizing: e^(xᵢ − m), not divided by Σⱼ e^(xⱼ − m)",
                 {("values", "softmax"): np.exp(x - x.max()).tolist()})
            s = np.array(work.answers["values"]["softmax"])
            slip("jacobian-diagonal-only", "softmax's Jacobian as if it were element-wise: sᵢ(1 − sᵢ) on the diagonal, 0 elsewhere "
                 "(Jᵢⱼ = −sᵢsⱼ is missing)", {("derivatives", "softmax"): np.diag(s * (1 - s)).tolist()})
            slip("jacobian-sign", "the Jacobian's sign flipped: s sᵀ − diag(s) instead of diag(s) − s sᵀ",
                 {("derivatives", "softmax"): (-softmax_jacobian(s)).tolist()})
    return Analysis(_carried(work, names, x), slips + _kink_slips(work, names, x))
