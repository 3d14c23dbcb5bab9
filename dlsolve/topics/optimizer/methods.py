"""The six update rules, one step at a time, in PyTorch's arithmetic (``torch.optim``).

A step is split the way a person works it: the state update from the previous state and
the gradient (:func:`new_state`, with Adam's bias-corrected moments from :func:`corrected`),
then the parameter update from the previous w and the new state (:func:`new_w`). The
solver chains them; ``check`` calls the same pieces from a student's own earlier values,
and with a ``slip`` to reproduce a common mistake.

  gd        w ← w − ηg
  momentum  v ← βv + g (pytorch) or v ← βv + (1 − β)g (ema);  w ← w − ηv
  nesterov  v ← βv + g;  w ← w − η(g + βv)                (torch.optim.SGD, nesterov=True)
  adagrad   G ← G + g²;  w ← w − ηg/(√G + ε)
  rmsprop   v ← ρv + (1 − ρ)g²;  w ← w − ηg/(√v + ε)
  adam      m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  m̂ = m/(1 − β₁ᵗ),  v̂ = v/(1 − β₂ᵗ);
            w ← w − ηm̂/(√v̂ + ε)
Every state starts at 0; ε is added outside the square root, as PyTorch does.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlsolve.topics.optimizer.names import CARRIED

State = dict[str, np.ndarray]


class Settings(NamedTuple):
    """The hyper-parameters; ``ema`` picks the notes' momentum form."""

    lr: float
    beta: float
    ema: bool
    rho: float
    beta1: float
    beta2: float
    eps: float


def zero_state(method: str, n: int) -> State:
    """Every state at 0 (PyTorch's zero buffers; AdaGrad's initial_accumulator_value=0)."""
    return {name: np.zeros(n) for name in CARRIED[method]}


def corrected(s: Settings, m: np.ndarray, v: np.ndarray, t: int, slip: str | None = None) -> State:
    """Adam's bias-corrected moments m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)."""
    if slip == "no-bias-correction":
        return {"m_hat": m, "v_hat": v}
    return {"m_hat": m / (1 - s.beta1**t), "v_hat": v / (1 - s.beta2**t)}


def new_state(method: str, s: Settings, prev: State, g: np.ndarray, t: int, slip: str | None = None) -> State:
    """The state after step ``t`` (1-based) from the state before it and the gradient gₜ."""
    square = g if slip == "g-not-squared" else g * g
    if method in ("momentum", "nesterov"):
        ema = (s.ema and method == "momentum") != (slip == "momentum-form")  # nesterov: always PyTorch's form
        return {"v": s.beta * prev["v"] + ((1 - s.beta) * g if ema else g)}
    if method == "adagrad":
        return {"G": prev["G"] + square}
    if method == "rmsprop":
        return {"v": s.rho * prev["v"] + (1 - s.rho) * square}
    if method == "adam":
        m = s.beta1 * prev["m"] + (1 - s.beta1) * g
        v = s.beta2 * prev["v"] + (1 - s.beta2) * square
        return {"m": m, "v": v, **corrected(s, m, v, t, slip)}
    return {}


def step_vector(method: str, s: Settings, state: State, g: np.ndarray, slip: str | None = None) -> np.ndarray:
    """What η multiplies in w ← w − η·(this): g, v, g + βv, g/(√G + ε), g/(√v + ε), m̂/(√v̂ + ε)."""
    def root(x: np.ndarray) -> np.ndarray:
        return np.sqrt(x + s.eps) if slip == "eps-inside-root" else np.sqrt(x) + s.eps

    if method == "momentum":
        return state["v"]
    if method == "nesterov":
        return g + s.beta * state["v"]
    if method == "adagrad":
        return g / (state["G"] + s.eps if slip == "adagrad-no-root" else root(state["G"]))
    if method == "rmsprop":
        return g / root(state["v"])
    if method == "adam":
        return state["m_hat"] / root(state["v_hat"])
    return g


def new_w(method: str, s: Settings, w: np.ndarray, state: State, g: np.ndarray, slip: str | None = None) -> np.ndarray:
    """w after the step: w − η·step (w + η·step with the sign slip)."""
    delta = s.lr * step_vector(method, s, state, g, slip)
    return w + delta if slip == "update-sign" else w - delta
