"""regularize: the costs and updates recomputed from the student's own earlier values, and the
slips a marker sees in regularization exercises.

Carried forward (penalty mode): cost.k = the student's data_loss + their penalty.k;
updated.k = w − η × their grad.k. (Dropout mode): output from the student's own mask.

Slips — penalty mode: the ½ of the L2 term dropped (or added, against --half); sign(0) taken as
1 for a weight at 0; the MSE without its 1/n; the L1 gradient written λw; the L1 penalty
without the absolute values (λΣw); the update's sign flipped (w + η∂J/∂w). Dropout mode: the
scaling applied at training and at test time both; the units scaled by p instead of 1/(1 − p);
p taken as the probability of keeping a unit; (inverted) the kept units left unscaled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from dlsolve.checking.keys import Path
from dlsolve.checking.slips import Analysis, Carried, Slip, Work
from dlsolve.topics.regularize.dropout import outputs
from dlsolve.topics.regularize.penalty import Penalty, mse, penalties, sums

CHOICES = frozenset({"mask"})  # 0/1 picks, not amounts (see slips.choices)


class _Penalties:
    """The problem's penalties and how a slip changes their answers."""

    def __init__(self, work: Work) -> None:
        inputs = work.inputs
        self.work = work
        self.w = np.array(inputs["weights"], dtype=float)
        self.g = np.array(inputs["grad"], dtype=float)
        self.eta = inputs["lr"]
        self.kinds = tuple(inputs["penalty"])
        self.penalties = penalties(self.kinds, inputs["lam"], inputs["l1_ratio"], inputs["half"])
        self.s = sums(self.w)

    def data_loss(self) -> float:
        return float(self.work.given(("data_loss",), self.work.answers["data_loss"]))

    def answers(self, penalty: Penalty, value: float, gradient: np.ndarray, data_loss: float | None = None) -> dict[Path, Any]:
        """A penalty's answers from its value and gradient (the cost from the student's data loss
        unless another is given)."""
        k = penalty.kind
        grad = self.g + gradient
        out: dict[Path, Any] = {("penalty", k): value, ("cost", k): (self.data_loss() if data_loss is None else data_loss) + value,
                                ("grad", k): grad.tolist()}
        if self.eta is not None:
            out[("updated", k)] = (self.w - self.eta * grad).tolist()
        return out

    def each(self, change: Callable[[Penalty], tuple[float, np.ndarray] | None]) -> dict[Path, Any]:
        """Every penalty's answers with ``change(penalty)`` → (value, gradient), or None to leave it out."""
        out: dict[Path, Any] = {}
        for penalty in self.penalties:
            changed = change(penalty)
            if changed is not None:
                out |= self.answers(penalty, *changed)
        return out

    def carried(self) -> dict[Path, Carried]:
        out: dict[Path, Carried] = {}
        data_loss = self.data_loss()
        for k in self.kinds:
            value = self.work.given(("penalty", k), self.work.answers["penalty"][k])
            if isinstance(value, float):
                out[("cost", k)] = Carried(data_loss + value, (("data_loss",), ("penalty", k)))
            if self.eta is not None:
                grad = np.array(self.work.given(("grad", k), self.work.answers["grad"][k]), dtype=float)
                out[("updated", k)] = Carried((self.w - self.eta * grad).tolist(), (("grad", k),))
        return out


def _penalty_slips(p: _Penalties) -> list[Slip]:
    w, s = p.w, p.s
    slips = []

    def other_half(penalty: Penalty) -> tuple[float, np.ndarray] | None:
        if not penalty.b:
            return None
        b = penalty.b * 2 if penalty.half else penalty.b / 2
        return penalty.a * s.abs_sum + b * s.square_sum, penalty.a * np.sign(w) + 2 * b * w

    if any(pen.b for pen in p.penalties):
        if p.penalties[0].half:
            text = "the ½ of the L2 term dropped: λΣw² (gradient 2λw) although the problem asks for ½λΣw²"
        else:
            text = "a ½ added to the L2 term: ½λΣw² (gradient λw) where the notes' form is λΣw² (gradient 2λw)"
        slips.append(Slip("l2-half", text, p.each(other_half)))
    if np.any(w == 0) and any(pen.a for pen in p.penalties):
        sign_one = np.where(w == 0, 1.0, np.sign(w))
        slips.append(Slip("sign-zero-one", "sign(0) taken as 1: the L1 gradient at a weight of 0 is λ, not 0",
                          p.each(lambda pen: (pen.value(s.abs_sum, s.square_sum), pen.a * sign_one + 2 * pen.b * w) if pen.a else None)))
    if "y" in p.work.inputs and len(p.work.inputs["y"]) > 1:
        y, y_hat = np.array(p.work.inputs["y"], dtype=float), np.array(p.work.inputs["y_hat"], dtype=float)
        total = mse(y, y_hat) * len(y)
        values: dict[Path, Any] = {("data_loss",): total}
        values |= {("cost", pen.kind): total + pen.value(s.abs_sum, s.square_sum) for pen in p.penalties}
        slips.append(Slip("mse-no-mean", "the MSE without its 1/n: Σ(y − ŷ)² instead of (1/n)Σ(y − ŷ)²", values))
    if "l1" in p.kinds:
        slips.append(Slip("l1-grad-w", "the L1 gradient written λw (as if the penalty were ½λΣw²) instead of λ·sign(w)",
                          p.each(lambda pen: (pen.value(s.abs_sum, s.square_sum), pen.lam * w) if pen.kind == "l1" else None)))
        slips.append(Slip("l1-no-abs", "the L1 penalty without the absolute values: λΣw instead of λΣ|w|",
                          {path: v for path, v in p.each(lambda pen: (pen.lam * float(np.sum(w)), pen.gradient(w)) if pen.kind == "l1" else None).items()
                           if path[0] in ("penalty", "cost")}))
    if p.eta is not None:
        values = {}
        for k in p.kinds:
            grad = np.array(p.work.given(("grad", k), p.work.answers["grad"][k]), dtype=float)
            values[("updated", k)] = (w + p.eta * grad).tolist()
        slips.append(Slip("update-sign", "the update's sign flipped: w + η∂J/∂w instead of w − η∂J/∂w", values))
    return slips


def _dropout(work: Work) -> Analysis:
    inputs, answers = work.inputs, work.answers
    p, inverted = float(inputs["rate"]), bool(inputs["inverted"])
    a = np.array(inputs["activations"], dtype=float)
    mask = np.array(work.given(("mask",), answers["mask"]), dtype=float)
    output, _ = outputs(a, mask, p, inverted)
    carried = {("output",): Carried(output.tolist(), (("mask",),))}
    slips = []
    if inverted:
        slips.append(Slip("scaled-twice", "the dropout scaling applied twice: 1/(1 − p) in training and (1 − p) at test time as well",
                          {("test_output",): ((1 - p) * a).tolist()}))
        slips.append(Slip("scaled-by-p", "the kept units multiplied by p instead of 1/(1 − p)", {("output",): (mask * a * p).tolist()}))
        if p > 0:
            slips.append(Slip("keep-probability", "p taken as the probability of keeping a unit: kept units scaled by 1/p instead of 1/(1 − p)",
                              {("output",): (mask * a / p).tolist()}))
        slips.append(Slip("unscaled", "the kept units not scaled: inverted dropout multiplies them by 1/(1 − p) in training",
                          {("output",): (mask * a).tolist()}))
    else:
        slips.append(Slip("scaled-twice", "the dropout scaling applied twice: 1/(1 − p) in training as well as (1 − p) at test time",
                          {("output",): (mask * a / (1 - p)).tolist()}))
        slips.append(Slip("scaled-by-p", "the test-time output multiplied by p instead of (1 − p) (p taken as the keep probability)",
                          {("test_output",): (p * a).tolist()}))
    return Analysis(carried, slips)


def analyse(work: Work) -> Analysis:
    if "mask" in work.answers:
        return _dropout(work)
    p = _Penalties(work)
    with np.errstate(all="ignore"):
        return Analysis(p.carried(), _penalty_slips(p))
