"""rnn-forward: each time step recomputed from the student's own state before it, and the
slips a marker sees in recurrent-network exercises.

Carried forward, for step t ≥ 2: gates.t, c.t and h.t from the student's h.(t − 1) (and
c.(t − 1)); y.t from the student's h.t (every t).

Slips: the weights' shapes transposed (W_xh as input × hidden, the way Keras stores its
kernel); an LSTM counted with 3 gate blocks instead of 4; the other framework's bias count
(PyTorch's b_ih and b_hh in a Keras count, or the reverse); LSTM — the forget gate applied to
the candidate (c = i ⊙ c_prev + f ⊙ g), h = tanh(c) without the output gate; GRU — z and
1 − z swapped, r applied to h before W_hn (Keras' reset_after=False); RNN — the activation
left out (h = a). Each step's slip is computed from where the student was.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from dlsolve.checking.keys import Path
from dlsolve.checking.slips import Analysis, Carried, Deferred, Slip, Work
from dlsolve.topics.conv_params.layers import KERAS, PYTORCH
from dlsolve.topics.rnn_forward.cells import StepValues, Weights, step
from dlsolve.topics.rnn_forward.counting import GRU, LSTM, RNN, Sizes, parameters


def _sizes(inputs: dict[str, Any]) -> Sizes:
    return Sizes(inputs["input_size"], inputs["hidden_size"], inputs.get("output_size"))


def _shape_slips(work: Work) -> list[Slip]:
    inputs, answers = work.inputs, work.answers
    cell, framework, sizes = inputs["cell"], inputs["framework"], _sizes(inputs)
    slips = []
    swapped = {("shapes", name): [cols, rows] for name, (rows, cols) in
               ((n, answers["shapes"][n]) for n in ("W_xh", "W_hh", "W_hy") if n in answers["shapes"]) if rows != cols}
    if swapped:
        slips.append(Slip("transposed", "the weights' shapes transposed (input × hidden, as Keras stores its kernel): "
                                        "a weight matrix has one row per value it produces, one column per value it reads", swapped))
    counted = parameters(cell, sizes, framework)
    if cell == LSTM:
        three = counted.total - counted.recurrent.params // 4
        slips.append(Slip("lstm-3-gates", "the LSTM counted with 3 gate blocks: it has 4 (i, f, g, o — the notes' \"4 networks\")",
                          {("params",): three}))
    other = PYTORCH if framework == KERAS else KERAS
    elsewhere = parameters(cell, sizes, other).total
    if elsewhere != counted.total:
        text = ("PyTorch's two bias vectors per gate block (b_ih and b_hh) counted in a Keras count" if framework == KERAS
                else "Keras' one bias vector per gate block counted where PyTorch keeps two (b_ih and b_hh)")
        slips.append(Slip("bias-count-swapped", text, {("params",): elsewhere}))
    return slips


def _weights(inputs: dict[str, Any]) -> Weights:
    arrays = {name: np.array(inputs[name], dtype=float) if name in inputs else None
              for name in ("w_ih", "w_hh", "b_ih", "b_hh", "w_hy", "b_y")}
    return Weights(arrays["w_ih"], arrays["w_hh"], arrays["b_ih"], arrays["b_hh"], arrays["w_hy"], arrays["b_y"])


class _Pass:
    """The problem's arrays and the student's state before each step."""

    def __init__(self, work: Work) -> None:
        inputs = work.inputs
        self.work, self.cell = work, inputs["cell"]
        self.activation = inputs.get("activation", "tanh")
        self.w = _weights(inputs)
        self.X = np.array(inputs["x"], dtype=float)
        self.h0 = np.array(inputs["h0"], dtype=float)
        self.c0 = np.array(inputs["c0"], dtype=float) if self.cell == LSTM else None

    def _given(self, name: str, k: int) -> np.ndarray:
        return np.array(self.work.given((name, k), self.work.answers[name][k]), dtype=float)

    def before(self, k: int) -> tuple[np.ndarray, np.ndarray | None]:
        """(h, c) before step k (0-based): the student's values of step k − 1 where given."""
        if k == 0:
            return self.h0, self.c0
        return self._given("h", k - 1), self._given("c", k - 1) if self.cell == LSTM else None

    def step(self, k: int) -> StepValues:
        h, c = self.before(k)
        with np.errstate(all="ignore"):
            return step(self.cell, self.activation, self.w, self.X[k], h, c)


def _carried(p: _Pass, T: int) -> dict[Path, Carried]:
    out: dict[Path, Carried] = {}
    for k in range(1, T):
        sources: tuple[Path, ...] = (("h", k - 1), *((("c", k - 1),) if p.cell == LSTM else ()))
        v = p.step(k)
        out[("h", k)] = Carried(v.h.tolist(), sources)
        out[("gates", k)] = Carried({g: a.tolist() for g, a in v.gates.items()}, sources)
        if p.cell == LSTM:
            out[("c", k)] = Carried(v.c.tolist(), sources)
    if p.w.W_hy is not None:
        for k in range(T):
            out[("y", k)] = Carried((p.w.W_hy @ p._given("h", k) + p.w.b_y).tolist(), (("h", k),))
    return out


def _lstm_variants(p: _Pass, k: int) -> dict[str, dict[Path, Any]]:
    """The LSTM slips at step k, from the student's state before it."""
    v = p.step(k)
    _, c_prev = p.before(k)
    i, f, g, o = (v.gates[name] for name in "ifgo")
    swapped = i * c_prev + f * g
    c_given = np.array(p.work.given(("c", k), v.c.tolist()), dtype=float)
    return {"forget-on-candidate": {("c", k): swapped.tolist(), ("h", k): (o * np.tanh(swapped)).tolist()},
            "h-without-o": {("h", k): np.tanh(c_given).tolist()}}


def _gru_variants(p: _Pass, k: int) -> dict[str, dict[Path, Any]]:
    """The GRU slips at step k, from the student's h before it."""
    v = p.step(k)
    h_prev, _ = p.before(k)
    z, n, r = v.gates["z"], v.gates["n"], v.gates["r"]
    rows = slice(2 * p.w.h, 3 * p.w.h)
    n_before = np.tanh(p.w.W_ih[rows] @ p.X[k] + p.w.b_ih[rows] + p.w.W_hh[rows] @ (r * h_prev) + p.w.b_hh[rows])
    return {"gru-z-swapped": {("h", k): (z * n + (1 - z) * h_prev).tolist()},
            "reset-before": {("gates", k, "n"): n_before.tolist(), ("h", k): ((1 - z) * n_before + z * h_prev).tolist()}}


def _rnn_variants(p: _Pass, k: int) -> dict[str, dict[Path, Any]]:
    return {"no-activation": {("h", k): p.step(k).pre["a"].tolist()}}


TEXTS = {
    "forget-on-candidate": "the forget gate applied to the candidate: c = i ⊙ c_prev + f ⊙ g instead of c = f ⊙ c_prev + i ⊙ g",
    "h-without-o": "the output gate left out: h = tanh(c) instead of h = o ⊙ tanh(c)",
    "gru-z-swapped": "z and 1 − z swapped: h = z ⊙ n + (1 − z) ⊙ h_prev instead of (1 − z) ⊙ n + z ⊙ h_prev (PyTorch, Keras)",
    "reset-before": "r applied to h before the weights, n = tanh(W_in x + b_in + W_hn(r ⊙ h) + b_hn) (Keras' reset_after=False); "
                    "PyTorch's n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))",
    "no-activation": "the activation left out: h = a instead of h = f(a)",
}
VARIANTS: dict[str, Callable[[_Pass, int], dict[str, dict[Path, Any]]]] = {LSTM: _lstm_variants, GRU: _gru_variants, RNN: _rnn_variants}


def _value(p: _Pass, name: str, path: Path) -> Any:
    return VARIANTS[p.cell](p, int(path[1]))[name][path]


def _step_slips(p: _Pass, T: int) -> list[Slip]:
    """Every step's slips, each value computed when first read (only wrong answers are diagnosed)."""
    template = VARIANTS[p.cell](p, 0)  # the paths at step 1; every step has the same ones
    return [Slip(name, TEXTS[name], Deferred({(path[0], k, *path[2:]): partial(_value, p, name, (path[0], k, *path[2:]))
                                              for path in paths for k in range(T)}))
            for name, paths in template.items()]


def analyse(work: Work) -> Analysis:
    slips = _shape_slips(work)
    if "h" not in work.answers:
        return Analysis({}, slips)
    T = len(work.answers["h"])  # at most the solver's MAX_STEPS
    p = _Pass(work)
    with np.errstate(all="ignore"):  # a student's huge h may overflow: such a value matches nothing
        return Analysis(_carried(p, T), slips + _step_slips(p, T))
