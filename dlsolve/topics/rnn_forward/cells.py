"""One step of a recurrent cell in PyTorch's layout (``torch.nn.RNNCell``, ``LSTMCell``,
``GRUCell``): W_ih (gate blocks stacked in rows), W_hh, b_ih, b_hh.

  rnn   a = W_ih x + b_ih + W_hh h + b_hh,  h' = f(a)  (f = tanh or relu)
  lstm  (i, f, g, o) blocks of W_ih x + b_ih + W_hh h + b_hh;  i, f, o = σ(·), g = tanh(·)
        c' = f ⊙ c + i ⊙ g,  h' = o ⊙ tanh(c')
  gru   r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz)
        n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))   (PyTorch's placement of r)
        h' = (1 − z) ⊙ n + z ⊙ h
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlsolve.core.activations import ACTIVATIONS, SIGMOID, TANH
from dlsolve.topics.rnn_forward.counting import GATES, GRU, LSTM


class Weights(NamedTuple):
    """The cell's weights, PyTorch's layout; ``W_hy``/``b_y`` None without an output."""

    W_ih: np.ndarray
    W_hh: np.ndarray
    b_ih: np.ndarray
    b_hh: np.ndarray
    W_hy: np.ndarray | None
    b_y: np.ndarray | None

    @property
    def h(self) -> int:
        return self.W_hh.shape[1]


class Parts(NamedTuple):
    """One gate block's pre-activation, split the way the steps write it: the input part
    W_ih x + b_ih and the recurrent part W_hh h + b_hh (summed, except GRU's n)."""

    x_part: np.ndarray
    h_part: np.ndarray


class StepValues(NamedTuple):
    """Everything one time step computes: each gate block's parts, pre-activation and value,
    the new cell state (LSTM), hidden state and output."""

    parts: dict[str, Parts]
    pre: dict[str, np.ndarray]
    gates: dict[str, np.ndarray]
    c: np.ndarray | None
    h: np.ndarray
    y: np.ndarray | None


def parts(cell: str, w: Weights, x: np.ndarray, h_prev: np.ndarray) -> dict[str, Parts]:
    """Each gate block's input part and recurrent part."""
    x_all, h_all = w.W_ih @ x + w.b_ih, w.W_hh @ h_prev + w.b_hh
    n = w.h
    return {gate: Parts(x_all[k * n:(k + 1) * n], h_all[k * n:(k + 1) * n]) for k, gate in enumerate(GATES[cell])}


def step(cell: str, activation: str, w: Weights, x: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray | None) -> StepValues:
    """One time step from (h_{t−1}, c_{t−1})."""
    p = parts(cell, w, x, h_prev)
    pre: dict[str, np.ndarray] = {}
    gates: dict[str, np.ndarray] = {}
    c = None
    if cell == LSTM:
        for gate, (xp, hp) in p.items():
            pre[gate] = xp + hp
            gates[gate] = (TANH if gate == "g" else SIGMOID).apply(pre[gate])
        c = gates["f"] * c_prev + gates["i"] * gates["g"]
        h = gates["o"] * np.tanh(c)
    elif cell == GRU:
        for gate in ("r", "z"):
            pre[gate] = p[gate].x_part + p[gate].h_part
            gates[gate] = SIGMOID.apply(pre[gate])
        pre["n"] = p["n"].x_part + gates["r"] * p["n"].h_part
        gates["n"] = np.tanh(pre["n"])
        h = (1.0 - gates["z"]) * gates["n"] + gates["z"] * h_prev
    else:
        pre["a"] = p["a"].x_part + p["a"].h_part
        gates["a"] = pre["a"]
        h = ACTIVATIONS[activation].apply(pre["a"])
    y = w.W_hy @ h + w.b_y if w.W_hy is not None else None
    return StepValues(p, pre, gates, c, h, y)


def forward(cell: str, activation: str, w: Weights, X: np.ndarray, h0: np.ndarray, c0: np.ndarray | None) -> list[StepValues]:
    """Every time step, one row of X each, h_1 first."""
    out: list[StepValues] = []
    h, c = h0, c0
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is refused by the caller as a non-finite value
        for x in X:
            values = step(cell, activation, w, x, h, c)
            out.append(values)
            h, c = values.h, values.c
    return out
