"""Activation functions: value, slope, and how each is written with numbers substituted.

The slope is written in terms of the unit's output where the notes do (sigmoid:
out(1 − out); tanh: 1 − out²), so a student sees the familiar shortcut.

Beside backprop's four (``ACTIVATIONS``), the functions of ``dlsolve activation``
(:func:`elementwise`: the leaky and parametric ReLUs, ReLU6, ELU, swish, hard-swish, and
the sigmoid and tanh written out in exponentials) and the softmax with its Jacobian. At a
kink the slope is the one-sided value PyTorch's autograd gives (``kinks`` lists where).
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
    ``slope_symbolic``/``slope_written`` the parts of ∂out/∂net in symbols and numbers.

    ``label`` (LaTeX of the name, for f(2) and f′(2)), ``definition`` and
    ``slope_definition`` (f(x) and f′(x) in general) and ``kinks`` (where the slope jumps)
    describe the function for a table of activations."""

    name: str
    apply: Callable[[np.ndarray], np.ndarray]
    slope: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (net, out) -> f'(net)
    symbol: Callable[[str], str]  # LaTeX of f applied to the net-input symbol
    written: Callable[[float], tuple[Part, ...]]
    slope_symbolic: Callable[[str, str], str]  # (out symbol, net symbol) -> LaTeX
    slope_written: Callable[[float, float], tuple[Part, ...]]  # (net, out) -> parts
    label: str = ""
    definition: str = ""
    slope_definition: str = ""
    kinks: tuple[float, ...] = ()


SIGMOID = Activation(
    name="sigmoid",
    apply=_sigmoid,
    slope=lambda net, out: out * (1.0 - out),
    symbol=lambda net: rf"\sigma({net})",
    written=lambda net: (r"\frac{1}{1 + e^{", Num(-net), "}}"),
    slope_symbolic=lambda out, net: f"{out}(1 - {out})",
    slope_written=lambda net, out: (out, "(1 - ", out, ")"),
    label=r"\sigma",
    definition=r"\frac{1}{1 + e^{-x}}",
    slope_definition=r"\sigma(x)(1 - \sigma(x))",
)
TANH = Activation(
    name="tanh",
    apply=np.tanh,
    slope=lambda net, out: 1.0 - out**2,
    symbol=lambda net: rf"\tanh({net})",
    written=lambda net: (r"\tanh(", net, ")"),
    slope_symbolic=lambda out, net: f"1 - {out}^2",
    slope_written=lambda net, out: ("1 - ", Num(out, paren=True), "^2"),
    label=r"\tanh",
    definition=r"\frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
    slope_definition=r"1 - \tanh^2(x)",
)
RELU = Activation(
    name="relu",
    apply=lambda z: np.maximum(z, 0.0),
    slope=lambda net, out: (net > 0).astype(float),
    symbol=lambda net: rf"\operatorname{{ReLU}}({net})",
    written=lambda net: (r"\max(0, ", net, ")"),
    slope_symbolic=lambda out, net: rf"[{net} > 0]",
    slope_written=lambda net, out: ("[", net, " > 0]"),
    label=r"\operatorname{ReLU}",
    definition=r"\max(0, x)",
    slope_definition=r"[x > 0]",
    kinks=(0.0,),
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


# --- the activation topic's functions -------------------------------------------------------

SATURATED = 20.0  # beyond |x| = 20, 1 − σ(x) < 2.1e-9 reads as 0 at any --decimals: σ′ is written e^(−|x|)/(1 + e^(−|x|))²


def _sigmoid_slope(net: np.ndarray) -> np.ndarray:
    """σ′(x) = σ(x)σ(−x): σ(1 − σ) without the cancellation that makes σ′(40) exactly 0."""
    return _sigmoid(net) * _sigmoid(-net)


def _sigmoid_slope_written(net: float, out: float) -> tuple[Part, ...]:
    """σ(x)(1 − σ(x)) with numbers, or the exact e^(−|x|)/(1 + e^(−|x|))² when σ(x) is
    within 2e-9 of 0 or 1 (σ(1 − σ) with σ shown as 1 would read 1·(1 − 1))."""
    if abs(net) > SATURATED:
        return (r"\frac{e^{", Num(-abs(net)), r"}}{(1 + e^{", Num(-abs(net)), "})^2}")
    return (out, r" \cdot (1 - ", out, ")")


def _exp(x: float) -> tuple[Part, ...]:
    return ("e^{", Num(x), "}")


def _tanh_slope_written(net: float, out: float) -> tuple[Part, ...]:
    """1 − tanh²(x) with numbers, or the exact 4e^(−2|x|)/(1 + e^(−2|x|))² where tanh(x) is ±1 to the eye."""
    if abs(net) > SATURATED:
        return (r"\frac{4 e^{", Num(-2 * abs(net)), r"}}{(1 + e^{", Num(-2 * abs(net)), "})^2}")
    return ("1 - ", Num(out, paren=True), "^2")


SIGMOID_ACCURATE = SIGMOID._replace(slope=lambda net, out: _sigmoid_slope(net), slope_written=_sigmoid_slope_written)
TANH_EXPONENTIALS = TANH._replace(
    written=lambda net: (r"\frac{", *_exp(net), " - ", *_exp(-net), "}{", *_exp(net), " + ", *_exp(-net), "}"),
    slope=lambda net, out: 4.0 * _sigmoid_slope(2.0 * net),  # 1 − tanh² = 4σ(2x)σ(−2x), without the cancellation
    slope_written=_tanh_slope_written,
)


def _piecewise(net: np.ndarray, positive: np.ndarray, other: np.ndarray) -> np.ndarray:
    return np.where(net > 0, positive, other)


def leaky_relu(alpha: float, name: str = "leaky-relu", label: str = r"\operatorname{LeakyReLU}") -> Activation:
    """x for x > 0, αx otherwise; slope 1 or α, α at 0 (PyTorch's leaky_relu and prelu)."""
    return Activation(
        name=name,
        apply=lambda z: _piecewise(z, z, alpha * z),
        slope=lambda net, out: _piecewise(net, 1.0, alpha),
        symbol=lambda net: rf"{label}({net})",
        written=lambda net: (net,) if net > 0 else (Num(alpha), r" \cdot ", Num(net, paren=True)),
        slope_symbolic=lambda out, net: rf"[{net} > 0] + \alpha [{net} \le 0]",
        slope_written=lambda net, out: ("1",) if net > 0 else (Num(alpha),),
        label=label,
        definition=r"x \text{ if } x > 0, \text{ else } \alpha x",
        slope_definition=r"1 \text{ if } x > 0, \text{ else } \alpha",
        kinks=(0.0,),
    )


RELU6 = Activation(
    name="relu6",
    apply=lambda z: np.clip(z, 0.0, 6.0),
    slope=lambda net, out: ((net > 0) & (net < 6)).astype(float),
    symbol=lambda net: rf"\operatorname{{ReLU6}}({net})",
    written=lambda net: (r"\min(\max(0, ", net, "), 6)"),
    slope_symbolic=lambda out, net: rf"[0 < {net} < 6]",
    slope_written=lambda net, out: ("[0 < ", net, " < 6]"),
    label=r"\operatorname{ReLU6}",
    definition=r"\min(\max(0, x), 6)",
    slope_definition=r"[0 < x < 6]",
    kinks=(0.0, 6.0),
)


def elu(alpha: float) -> Activation:
    """x for x > 0, α(eˣ − 1) otherwise; slope 1 or αeˣ = f(x) + α (α at 0, as PyTorch)."""
    return Activation(
        name="elu",
        apply=lambda z: _piecewise(z, z, alpha * np.expm1(np.minimum(z, 0.0))),
        slope=lambda net, out: _piecewise(net, 1.0, alpha * np.exp(np.minimum(net, 0.0))),
        symbol=lambda net: rf"\operatorname{{ELU}}({net})",
        written=lambda net: (net,) if net > 0 else (Num(alpha), r" \cdot (", *_exp(net), " - 1)"),
        slope_symbolic=lambda out, net: rf"[{net} > 0] + \alpha e^{{{net}}} [{net} \le 0]",
        slope_written=lambda net, out: ("1",) if net > 0 else (Num(alpha), r" \cdot ", *_exp(net)),
        label=r"\operatorname{ELU}",
        definition=r"x \text{ if } x > 0, \text{ else } \alpha (e^{x} - 1)",
        slope_definition=r"1 \text{ if } x > 0, \text{ else } \alpha e^{x}",
        kinks=(0.0,),  # a kink unless α = 1; PyTorch's slope there is α either way
    )


SWISH = Activation(
    name="swish",
    apply=lambda z: z * _sigmoid(z),
    slope=lambda net, out: _sigmoid(net) + net * _sigmoid_slope(net),
    symbol=lambda net: rf"\operatorname{{swish}}({net})",
    written=lambda net: (Num(net, paren=True), r" \cdot \sigma(", net, ")"),
    slope_symbolic=lambda out, net: rf"\sigma({net}) + {net} \sigma({net})(1 - \sigma({net}))",
    slope_written=lambda net, out: (float(_sigmoid(np.float64(net))), " + ", Num(net, paren=True), r" \cdot ",
                                    float(_sigmoid_slope(np.float64(net)))),
    label=r"\operatorname{swish}",
    definition=r"x \cdot \sigma(x)",
    slope_definition=r"\sigma(x) + x \cdot \sigma(x)(1 - \sigma(x))",
)


def _hard_swish_written(net: float) -> tuple[Part, ...]:
    if net <= -3:
        return ("0",)
    if net >= 3:
        return (net,)
    return (Num(net, paren=True), r" \cdot (", Num(net), " + 3) / 6")


def _hard_swish_slope_written(net: float) -> tuple[Part, ...]:
    if net <= -3:
        return ("0",)
    if net >= 3:
        return ("1",)
    return ("(2 \\cdot ", Num(net, paren=True), " + 3) / 6")


HARD_SWISH = Activation(
    name="hard-swish",
    apply=lambda z: z * (np.clip(z + 3.0, 0.0, 6.0) / 6.0),  # the ratio first: 1e308 · 6 would overflow
    slope=lambda net, out: np.where(net <= -3, 0.0, np.where(net < 3, (2.0 * np.clip(net, -3.0, 3.0) + 3.0) / 6.0, 1.0)),
    symbol=lambda net: rf"\operatorname{{hardswish}}({net})",
    written=_hard_swish_written,
    slope_symbolic=lambda out, net: rf"0, \frac{{2 {net} + 3}}{{6}} \text{{ or }} 1",
    slope_written=lambda net, out: _hard_swish_slope_written(net),
    label=r"\operatorname{hardswish}",
    definition=r"x \cdot \operatorname{ReLU6}(x + 3) / 6",
    slope_definition=r"0 \text{ if } x \le -3, \ \frac{2x + 3}{6} \text{ if } -3 < x < 3, \ 1 \text{ if } x \ge 3",
    kinks=(-3.0, 3.0),
)


def elementwise(alpha: float, prelu_alpha: float, elu_alpha: float) -> dict[str, Activation]:
    """The element-wise functions of ``dlsolve activation``, by name, with their slopes (α of
    leaky-relu, prelu and elu given)."""
    return {
        "sigmoid": SIGMOID_ACCURATE,
        "tanh": TANH_EXPONENTIALS,
        "relu": RELU,
        "leaky-relu": leaky_relu(alpha),
        "prelu": leaky_relu(prelu_alpha, "prelu", r"\operatorname{PReLU}"),
        "relu6": RELU6,
        "elu": elu(elu_alpha),
        "swish": SWISH,
        "hard-swish": HARD_SWISH,
    }


class Softmax(NamedTuple):
    """The softmax of z computed stably: m = max z, the shifted z − m, their exponentials,
    the sum, and the probabilities s = e^(z − m) / Σ e^(z − m)."""

    m: float
    shifted: np.ndarray
    exps: np.ndarray
    total: float
    s: np.ndarray


def softmax(z: np.ndarray) -> Softmax:
    """e^(zᵢ)/Σⱼ e^(zⱼ) with the maximum subtracted first: the largest exponent is e⁰ = 1,
    so nothing overflows, and the common factor e^(−m) cancels."""
    m = float(np.max(z))
    shifted = z - m
    exps = np.exp(shifted)
    total = float(np.sum(exps))
    return Softmax(m, shifted, exps, total, exps / total)


def softmax_jacobian(s: np.ndarray) -> np.ndarray:
    """∂sᵢ/∂zⱼ = sᵢ(δᵢⱼ − sⱼ): diag(s) − s sᵀ."""
    return np.diag(s) - np.outer(s, s)
