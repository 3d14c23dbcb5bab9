"""optimizer: every step recomputed from the student's own previous step, and the slips a
marker sees in optimizer exercises.

Carried forward, per method and step t (from the student's wₜ₋₁ and states after step
t − 1 where given): the states after step t (the quadratic's gradient at the student's
wₜ₋₁); Adam's m̂ₜ and v̂ₜ from the student's mₜ and vₜ; wₜ from the student's wₜ₋₁ and
states after step t; f(wₜ) from the student's wₜ; final from the student's last w.

Slips (each step worked from where the student was, see names.SLIPS): the other momentum
form (PyTorch's v ← βv + g against the notes' v ← βv + (1 − β)g); Adam's bias correction
skipped; ε inside the square root; g instead of g² in AdaGrad's G, RMSProp's and Adam's v;
AdaGrad without the square root; the update's sign flipped.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlsolve.checking.keys import Path
from dlsolve.checking.slips import Analysis, Carried, Slip, Work
from dlsolve.topics.optimizer.methods import Settings, corrected, new_state, new_w, zero_state
from dlsolve.topics.optimizer.names import CARRIED, SLIPS

Chain = dict[Path, tuple[Any, tuple[Path, ...]]]


class _Problem:
    """The echoed inputs, as the solver used them."""

    def __init__(self, inputs: Any) -> None:
        self.grads = None if inputs["grads"] is None else np.array(inputs["grads"], dtype=float)
        self.w0 = np.array(inputs["w0"], dtype=float)
        self.a = None if inputs["curvature"] is None else np.array(inputs["curvature"], dtype=float)
        self.c = None if inputs["center"] is None else np.array(inputs["center"], dtype=float)
        self.steps = int(inputs["steps"])
        self.settings = Settings(float(inputs["lr"]), float(inputs["beta"]), inputs["momentum_form"] == "ema", float(inputs["rho"]),
                                 float(inputs["beta1"]), float(inputs["beta2"]), float(inputs["eps"]))

    def gradient(self, w: np.ndarray, t: int) -> np.ndarray:
        return self.a * (w - self.c) if self.grads is None else self.grads[t - 1]

    def loss(self, w: np.ndarray) -> float:
        return float(0.5 * np.sum(self.a * (w - self.c) ** 2))


def _chain(work: Work, p: _Problem, method: str, slip: str | None) -> Chain:
    """Each answer of ``method`` worked (with ``slip``) from the student's earlier values
    where given, else from this chain's own."""
    s, out = p.settings, {}
    w_prev, prev = p.w0, zero_state(method, len(p.w0))
    for i in range(p.steps):
        t = i + 1
        before: tuple[Path, ...] = ()
        if i:
            before = (("params", method, i - 1), *(("state", method, name, i - 1) for name in CARRIED[method]))
            w_prev = np.array(work.given(("params", method, i - 1), w_prev.tolist()), dtype=float)
            prev = {name: np.array(work.given(("state", method, name, i - 1), prev[name].tolist()), dtype=float) for name in prev}
        g = p.gradient(w_prev, t)
        state = new_state(method, s, prev, g, t, slip)
        for name in CARRIED[method]:
            out[("state", method, name, i)] = (state[name].tolist(), before)
        given = {name: np.array(work.given(("state", method, name, i), state[name].tolist()), dtype=float) for name in CARRIED[method]}
        if method == "adam":
            moments = corrected(s, given["m"], given["v"], t, slip)
            for name, value in moments.items():
                out[("state", method, name, i)] = (value.tolist(), (("state", method, "m" if name == "m_hat" else "v", i),))
            given |= {name: np.array(work.given(("state", method, name, i), moments[name].tolist()), dtype=float) for name in moments}
        w = new_w(method, s, w_prev, given, g, slip)
        reads = ("m_hat", "v_hat") if method == "adam" else CARRIED[method]  # the states the update divides or subtracts
        out[("params", method, i)] = (w.tolist(), (*before[:1], *(("state", method, name, i) for name in reads)))
        if p.grads is None:
            w_given = np.array(work.given(("params", method, i), w.tolist()), dtype=float)
            out[("loss", method, i)] = (p.loss(w_given), (("params", method, i),))
        w_prev, prev = w, {name: state[name] for name in CARRIED[method]}
    last = ("params", method, p.steps - 1)
    out[("final", method)] = (work.given(last, out[last][0]), (last,))
    return out


def _finite(value: Any) -> bool:
    return bool(np.all(np.isfinite(np.array(value, dtype=float))))


def _slip_text(name: str, ema: bool) -> str:
    if name == "momentum-form":
        return ("momentum in PyTorch's form v ← βv + g where the notes' EMA form v ← βv + (1 − β)g is asked" if ema else
                "momentum in the notes' EMA form v ← βv + (1 − β)g where PyTorch's v ← βv + g is asked")
    return {
        "no-bias-correction": "Adam's bias correction skipped: m̂ = m and v̂ = v (no division by 1 − β₁ᵗ and 1 − β₂ᵗ)",
        "eps-inside-root": "ε inside the square root, √(v + ε), where PyTorch adds it outside: √v + ε",
        "g-not-squared": "g instead of g² in the running sum or average (the notes' RMSProp formula)",
        "adagrad-no-root": "AdaGrad without the square root: g/(G + ε) instead of g/(√G + ε)",
        "update-sign": "the update's sign flipped: w + η·(step) instead of w − η·(step)",
    }[name]


def analyse(work: Work) -> Analysis:
    p = _Problem(work.inputs)
    methods = list(work.answers["params"])
    with np.errstate(all="ignore"):
        carried = {path: Carried(value, sources) for m in methods for path, (value, sources) in _chain(work, p, m, None).items()
                   if _finite(value)}
        slips = []
        for name, concerned in SLIPS.items():
            values = {path: value for m in methods if m in concerned for path, (value, _) in _chain(work, p, m, name).items()
                      if _finite(value)}
            if values:
                slips.append(Slip(name, _slip_text(name, p.settings.ema), values))
    return Analysis(carried, slips)
