"""backprop: the forward and backward pass recomputed from the student's own values at every
stage, and the slips a marker sees in backpropagation exercises.

Carried forward (each from the student's values of the stage before):
  hidden.l, outputs       f(W out⁽ˡ⁻¹⁾ + b) from the student's previous layer
  loss                    from the student's outputs (and loss_history.1 = their loss)
  deltas.L                (y − t) ⊙ f′ from the student's outputs (bce: y − t)
  deltas.l                (Wᵀ δ⁽ˡ⁺¹⁾) ⊙ f′ from the student's next δ and this layer's outputs
  grad_weights.l          δ⁽ˡ⁾ out⁽ˡ⁻¹⁾ᵀ, grad_biases.l = δ⁽ˡ⁾, from the student's δ and outputs
  weights.l, biases.l     W − η ∂E/∂W from the student's gradient (one epoch only: after several,
                          the final weights do not follow from the first epoch's answers)

Each slip is the same pass with one rule changed, from the student's values where given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache, partial
from typing import Any, NamedTuple

import numpy as np

from dlsolve.checking.keys import Path
from dlsolve.checking.slips import Analysis, Carried, Deferred, Slip, Work


class Variant(NamedTuple):
    """One rule of the pass changed (all False: the right rules)."""

    no_half: bool = False  # mse without ½: E = Σ(t − y)², ∂E/∂y = 2(y − t)
    sigma_slope: bool = False  # sigmoid's derivative written σ instead of σ(1 − σ)
    no_slope: bool = False  # f′(net) left out of δ
    error_sign: bool = False  # t − y instead of y − t
    update_sign: bool = False  # w + η ∂E/∂w
    no_eta: bool = False  # w − ∂E/∂w
    updated_weights_back: bool = False  # hidden δ through the already updated weights


# slip id → (what the student did, the variant, the answers it changes)
SLIPS: dict[str, tuple[str, Variant, frozenset[str]]] = {
    "mse-half": ("the ½ missing in the mse: E = Σ(t − y)², so ∂E/∂y = 2(y − t)", Variant(no_half=True),
                 frozenset({"loss", "loss_history", "deltas", "grad_weights", "grad_biases", "weights", "biases"})),
    "sigmoid-slope": ("the sigmoid's derivative written σ(net) instead of σ(net)(1 − σ(net)) = out(1 − out)", Variant(sigma_slope=True),
                      frozenset({"deltas", "grad_weights", "grad_biases", "weights", "biases"})),
    "no-slope": ("the activation's derivative f′(net) left out of δ", Variant(no_slope=True),
                 frozenset({"deltas", "grad_weights", "grad_biases", "weights", "biases"})),
    "error-sign": ("the error written t − y instead of y − t: every δ and gradient has the wrong sign", Variant(error_sign=True),
                   frozenset({"deltas", "grad_weights", "grad_biases", "weights", "biases"})),
    "update-sign": ("the update's sign flipped: w + η ∂E/∂w instead of w − η ∂E/∂w", Variant(update_sign=True),
                    frozenset({"weights", "biases"})),
    "no-eta": ("η left out of the update: w − ∂E/∂w", Variant(no_eta=True), frozenset({"weights", "biases"})),
    "updated-weights-back": ("the hidden δ computed with the already updated weights (the backward pass uses the weights before the update)",
                             Variant(updated_weights_back=True), frozenset({"deltas", "grad_weights", "grad_biases", "weights", "biases"})),
}


class _Net(NamedTuple):
    x: np.ndarray
    t: np.ndarray
    W: list[np.ndarray]
    b: list[np.ndarray]
    f: list[str]
    loss: str
    eta: float
    update_biases: bool
    one_epoch: bool


def _net(inputs: Mapping[str, Any]) -> _Net:
    W = [np.array(w, dtype=float) for w in inputs["weights"]]
    names = list(inputs["activation"])
    names = names * len(W) if len(names) == 1 else names
    return _Net(np.array(inputs["x"], dtype=float), np.array(inputs["target"], dtype=float), W,
                [np.array(b, dtype=float) for b in inputs["biases"]], names, inputs["loss"], float(inputs["lr"]),
                bool(inputs["update_biases"]), inputs["epochs"] == 1)


def _apply(name: str, net: np.ndarray) -> np.ndarray:
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-net))
    if name == "tanh":
        return np.tanh(net)
    if name == "relu":
        return np.maximum(net, 0.0)
    return net.copy()


def _slope(name: str, net: np.ndarray, out: np.ndarray, v: Variant) -> np.ndarray:
    """∂out/∂net from the unit's output, as students write it (sigmoid out(1 − out))."""
    if v.no_slope or name == "linear":
        return np.ones_like(out)
    if name == "sigmoid":
        return out if v.sigma_slope else out * (1.0 - out)
    if name == "tanh":
        return 1.0 - out**2
    return (net > 0).astype(float)


class _Pass:
    """The pass under a variant, every stage from the student's values of the stage before."""

    def __init__(self, work: Work, n: _Net, v: Variant) -> None:
        self.work, self.n, self.v = work, n, v
        self.values: dict[Path, Any] = {}
        self.sources: dict[Path, tuple[Path, ...]] = {}

    def _record(self, path: Path, value: Any, sources: tuple[Path, ...]) -> np.ndarray:
        """Keep the recomputed value; return the student's where they gave it."""
        plain = value.tolist() if hasattr(value, "tolist") else value
        self.values[path], self.sources[path] = plain, sources
        return np.array(self.work.given(path, plain), dtype=float)

    def run(self) -> None:
        n, v = self.n, self.v
        L = len(n.W)
        out_keys: list[Path] = [("hidden", l) for l in range(L - 1)] + [("outputs",)]
        # forward: each layer from the student's previous layer
        outs, nets = [n.x], []
        for l in range(L):
            nets.append(n.W[l] @ outs[l] + n.b[l])
            outs.append(self._record(out_keys[l], _apply(n.f[l], nets[l]), (out_keys[l - 1],) if l else ()))
        y, t = outs[-1], n.t
        # loss from the student's outputs
        if n.loss == "mse":
            loss = float((1.0 if v.no_half else 0.5) * ((t - y) ** 2).sum())
        else:
            loss = float(-(t * np.log(y) + (1 - t) * np.log(1 - y)).sum()) if np.all((y > 0) & (y < 1)) else None
        if loss is not None and np.isfinite(loss):
            given_loss = self._record(("loss",), loss, (("outputs",),))
            self._record(("loss_history", 0), float(given_loss), (("loss",),))
        # backward: δ of the output layer, then each layer from the student's next δ
        if n.loss == "mse":
            dE = (2.0 if v.no_half else 1.0) * (y - t)
            delta = dE * _slope(n.f[-1], nets[-1], y, v)
        else:
            delta = y - t
        if v.error_sign:
            delta = -delta
        deltas: list[np.ndarray] = [np.empty(0)] * L
        deltas[-1] = self._record(("deltas", L - 1), delta, (("outputs",),))
        updated: list[np.ndarray] = [np.empty(0)] * L
        for l in range(L - 1, -1, -1):
            if l < L - 1:
                W_next = updated[l + 1] if v.updated_weights_back else n.W[l + 1]
                delta = (W_next.T @ deltas[l + 1]) * _slope(n.f[l], nets[l], outs[l + 1], v)
                deltas[l] = self._record(("deltas", l), delta, (("deltas", l + 1), out_keys[l]))
            before = (out_keys[l - 1],) if l else ()
            grad = self._record(("grad_weights", l), np.outer(deltas[l], outs[l]), (("deltas", l), *before))
            grad_b = self._record(("grad_biases", l), deltas[l], (("deltas", l),))
            step = (1.0 if v.no_eta else n.eta) * (-1.0 if v.update_sign else 1.0)
            updated[l] = n.W[l] - step * grad
            if n.one_epoch:
                updated[l] = self._record(("weights", l), updated[l], (("grad_weights", l),))
                bias = n.b[l] - step * grad_b if n.update_biases else n.b[l]
                if n.update_biases:
                    self._record(("biases", l), bias, (("grad_biases", l),))


def _run(work: Work, n: _Net, v: Variant) -> _Pass:
    p = _Pass(work, n, v)
    with np.errstate(all="ignore"):
        p.run()
    return p


def _applies(slip: str, n: _Net) -> bool:
    """Whether a slip can happen in this network."""
    if slip == "mse-half":
        return n.loss == "mse"
    if slip == "sigmoid-slope":
        return "sigmoid" in (n.f[:-1] if n.loss == "bce" else n.f)
    if slip == "no-slope":
        return any(f != "linear" for f in (n.f[:-1] if n.loss == "bce" else n.f))
    if slip == "no-eta":
        return n.eta != 1
    if slip == "updated-weights-back":
        return len(n.W) > 1
    return True


def analyse(work: Work) -> Analysis:
    n = _net(work.inputs)
    right = _run(work, n, Variant())
    carried = {path: Carried(value, right.sources[path]) for path, value in right.values.items()}
    slips = []
    for name, (text, variant, changes) in SLIPS.items():
        if _applies(name, n):
            run = lru_cache(maxsize=1)(partial(_run, work, n, variant))  # the pass runs when a value is first read
            thunks = {path: partial(_value_of, run, path) for path in right.values if path[0] in changes}
            slips.append(Slip(name, text, Deferred(thunks)))
    return Analysis(carried, slips)


def _value_of(run: Callable[[], _Pass], path: Path) -> Any:
    return run().values.get(path)
