"""Activation functions: value, slope, and how each is written with numbers substituted.

The slope is written in terms of the unit's output where the notes do (sigmoid:
out(1 − out); tanh: 1 − out²), so a student sees the familiar shortcut.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from dlsolve.core.derivation import Num, Part


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1/(1 + e^(−z)) without overflow: e^(−|z|) ≤ 1 on both branches."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


class Activation(NamedTuple):
    """One activation. ``written`` gives the parts of ``f(net) = <formula with net>``;
    ``slope_symbolic``/``slope_written`` the parts of ∂out/∂net in symbols and numbers."""

    name: str
    apply: Callable[[np.ndarray], np.ndarray]
    slope: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (net, out) -> f'(net)
    symbol: Callable[[str], str]  # LaTeX of f applied to the net-input symbol
    written: Callable[[float], tuple[Part, ...]]
    slope_symbolic: Callable[[str, str], str]  # (out symbol, net symbol) -> LaTeX
    slope_written: Callable[[float, float], tuple[Part, ...]]  # (net, out) -> parts


SIGMOID = Activation(
    name="sigmoid",
    apply=_sigmoid,
    slope=lambda net, out: out * (1.0 - out),
    symbol=lambda net: rf"\sigma({net})",
    written=lambda net: (r"\frac{1}{1 + e^{", Num(-net), "}}"),
    slope_symbolic=lambda out, net: f"{out}(1 - {out})",
    slope_written=lambda net, out: (out, "(1 - ", out, ")"),
)
TANH = Activation(
    name="tanh",
    apply=np.tanh,
    slope=lambda net, out: 1.0 - out**2,
    symbol=lambda net: rf"\tanh({net})",
    written=lambda net: (r"\tanh(", net, ")"),
    slope_symbolic=lambda out, net: f"1 - {out}^2",
    slope_written=lambda net, out: ("1 - ", Num(out, paren=True), "^2"),
)
RELU = Activation(
    name="relu",
    apply=lambda z: np.maximum(z, 0.0),
    slope=lambda net, out: (net > 0).astype(float),
    symbol=lambda net: rf"\operatorname{{ReLU}}({net})",
    written=lambda net: (r"\max(0, ", net, ")"),
    slope_symbolic=lambda out, net: rf"[{net} > 0]",
    slope_written=lambda net, out: ("[", net, " > 0]"),
)
LINEAR = Activation(
    name="linear",
    apply=lambda z: z.copy(),
    slope=lambda net, out: np.ones_like(net),
    symbol=lambda net: net,
    written=lambda net: (net,),
    slope_symbolic=lambda out, net: "1",
    slope_written=lambda net, out: ("1",),
)

ACTIVATIONS = {a.name: a for a in (SIGMOID, TANH, RELU, LINEAR)}
