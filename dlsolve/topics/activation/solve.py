"""Activation functions at given inputs: every value and derivative with its formula and
numbers, the softmax computed stably and its Jacobian.

Element-wise  f(xᵢ) and f′(xᵢ) for sigmoid, tanh, ReLU, leaky ReLU, PReLU, ReLU6, ELU, swish
              and hard-swish (dlsolve/core/activations.py); at a kink f′ is the one-sided
              value PyTorch's autograd gives.
Softmax       over the whole vector x (one layer's logits): m = max x, e^(xᵢ − m), their sum,
              sᵢ = e^(xᵢ − m)/Σⱼ e^(xⱼ − m); its Jacobian ∂sᵢ/∂xⱼ = sᵢ(δᵢⱼ − sⱼ) = diag(s) − s sᵀ.

Default: x = −2, −1, 0, 1, 2 through all ten functions (the notes list them with their
formulas but no numbers).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np

from dlsolve.core.activations import SATURATED, Activation, elementwise, softmax, softmax_jacobian
from dlsolve.core.derivation import Derivation, Line, Note, Num, Part, Rows, Step, Table, joined, line
from dlsolve.core.derivation import math as eq  # renamed: the standard library's math is used too
from dlsolve.core.inputs import Choice, Field, InputError, Number, PerItem, Vector, option
from dlsolve.core.numbers import short_text
from dlsolve.topics.activation.names import ALPHA_OF, FUNCTIONS, TITLES

COMMAND = "activation"
DEFAULT_X = (-2.0, -1.0, 0.0, 1.0, 2.0)
MAX_X = 1_000  # x values: a hand exercise has 3–6; softmax's Jacobian is MAX_X × MAX_X
DETAIL_MAX = 8  # up to this many x values every value is written with its formula; beyond, tables
JACOBIAN_LINES_MAX = 4  # up to this many x values every Jacobian entry is written; beyond, the diagonal and one off it
OVERFLOW_X = math.log(np.finfo(float).max)  # e^x is ∞ in double precision beyond x ≈ 709.78
NOTES_EXP_100 = 26e-42  # the notes' "e^(−100) = 26 × 10^(−42)"
EXP_SHOWN_FROM = 100.0  # an |x| this large names the notes' e^(−100) slip (it is their example)


class FunctionName(NamedTuple):
    """One of :data:`FUNCTIONS`; ``leaky_relu`` is read as ``leaky-relu`` (as an answers file's keys are)."""

    choice: Choice = Choice(FUNCTIONS)

    def read_text(self, text: str, where: str) -> str:
        return self.choice.read_text(text.replace("_", "-"), where)

    def read_value(self, value: Any, where: str) -> str:
        return self.choice.read_value(value.replace("_", "-") if isinstance(value, str) else value, where)


FIELDS = (
    Field("x", Vector(MAX_X), DEFAULT_X),
    Field("function", PerItem(FunctionName(), item="function", limit=len(FUNCTIONS) * 2), FUNCTIONS),
    Field("alpha", Number(), 0.01),
    Field("prelu_alpha", Number(), 0.25),
    Field("elu_alpha", Number(), 1.0),
)


# --- inputs -----------------------------------------------------------------------------------


def _functions(inputs: Mapping[str, Any]) -> tuple[str, ...]:
    """The functions asked for, in the order given; one a second time is refused."""
    names = tuple(inputs["function"])
    for i, name in enumerate(names):
        if name in names[:i]:
            raise InputError("--function", f"{name} is given twice; give each function once")
    return names


# --- element-wise functions -----------------------------------------------------------------


def _evaluate(f: Activation, x: np.ndarray, where: str) -> tuple[np.ndarray, np.ndarray]:
    """f(x) and f′(x); InputError when they leave double precision (α·x overflowing)."""
    with np.errstate(over="ignore", invalid="ignore"):
        values = np.asarray(f.apply(x), dtype=float)
        slopes = np.asarray(f.slope(x, values), dtype=float)
    if not (np.all(np.isfinite(values)) and np.all(np.isfinite(slopes))):
        raise InputError(where, f"{f.name} of these values overflows double precision; use smaller numbers")
    return values + 0.0, slopes + 0.0  # + 0.0: −0 (α·0, 0·σ(0)) is written 0


def _lhs(f: Activation, x: float, prime: bool = False) -> tuple[Part, ...]:
    return (f.label, "'" if prime else "", "(", Num(x), ")")


def _formula(written: tuple[Part, ...]) -> tuple[Part, ...]:
    """`` = <written>``, or nothing where the written form is the bare result (x itself, 0, 1)."""
    bare = len(written) == 1 and (not isinstance(written[0], str) or written[0] in ("0", "1"))
    return () if bare else (" = ", *written)


def _value_line(f: Activation, x: float, y: float) -> Line:
    """f(x) = <formula with x> = y."""
    return eq(*_lhs(f, x), *_formula(f.written(x)), " = ", y)


def _slope_line(f: Activation, x: float, y: float, d: float) -> Line:
    """f′(x) = <formula with numbers> = f′(x)."""
    return eq(*_lhs(f, x, prime=True), *_formula(f.slope_written(x, y)), " = ", d)


def _function_step(name: str, f: Activation, alpha: float | None, x: np.ndarray, values: np.ndarray, slopes: np.ndarray) -> Step:
    title = TITLES[name] + ("" if alpha is None else f" (α = {short_text(alpha)})")
    body: list[Line | Table] = [eq(f.label, "(x) = ", f.definition), eq(f.label, "'(x) = ", f.slope_definition)]
    if len(x) <= DETAIL_MAX:
        for xi, yi, di in zip(x.tolist(), values.tolist(), slopes.tolist()):
            body += [_value_line(f, xi, yi), _slope_line(f, xi, yi, di)]
    else:
        body.append(Table(line(f"{TITLES[name]} at each x"), ("$i$", "$x_i$", f"${f.label}(x_i)$", f"${f.label}'(x_i)$"),
                          _columns(x, values, slopes)))
    return Step(line(title), tuple(body), (f"values.{name}", f"derivatives.{name}"))


def _columns(*columns: np.ndarray) -> Rows:
    """Rows (i, column values …): one per x."""
    return Rows(len(columns[0]), lambda i: (i + 1, *(float(c[i]) for c in columns)))


# --- softmax ---------------------------------------------------------------------------------


def _softmax_steps(x: np.ndarray) -> tuple[list[Step], list[float], list[list[float]]]:
    with np.errstate(over="ignore", under="ignore"):  # x − m below −1.8e308 is −∞, and e^(−∞) = 0: right
        sm = softmax(x)
    s = sm.s
    n = len(x)
    body: list[Line | Table] = [
        eq(r"s_i = \frac{e^{x_i}}{\sum_j e^{x_j}} = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}}, \quad m = \max_j x_j"),
        line(r"Why subtract $m$: $e^{x}$ overflows double precision beyond $x \approx 709.78$ ($e^{710} = \infty$, and "
             r"$\infty/\infty$ is NaN). With $m$ subtracted the largest exponential is $e^{0} = 1$ and the sum is at least 1, "
             r"while the factor $e^{-m}$ cancels between numerator and denominator, so $s$ is unchanged."),
        eq("m = ", r"\max(", *(joined([Num(v) for v in x.tolist()], ", ") if n <= DETAIL_MAX else (r"x_1, \ldots, x_{", n, "}")),
           ") = ", sm.m),
        Table(line("each input shifted by m, its exponential and its probability"),
              ("$i$", "$x_i$", "$x_i - m$", "$e^{x_i - m}$", "$s_i$"), _columns(x, sm.shifted, sm.exps, s)),
    ]
    terms = joined([Num(v) for v in sm.exps.tolist()], " + ") if n <= DETAIL_MAX else (r"\ldots",)
    if sm.m > OVERFLOW_X:
        body.append(line(r"Here the naive formula fails: $e^{", Num(sm.m), r"} = \infty$ in double precision, and $s_i$ would be "
                         r"$\infty/\infty$ = NaN."))
    body.append(eq(r"\sum_j e^{x_j - m} = ", *terms, " = ", sm.total))
    if n <= DETAIL_MAX:
        body += [eq(f"s_{{{i + 1}}} = ", r"\frac{", e, "}{", sm.total, "} = ", v) for i, (e, v) in enumerate(zip(sm.exps.tolist(), s.tolist()))]
    body.append(eq(r"\sum_i s_i = ", math.fsum(s.tolist()), r" \checkmark"))
    value_step = Step(line("Softmax over the whole vector x, computed stably: subtract the maximum first"), tuple(body), ("values.softmax",))

    J = softmax_jacobian(s)
    jac: list[Line | Table] = [eq(r"\frac{\partial s_i}{\partial x_j} = s_i(\delta_{ij} - s_j): \quad J = \operatorname{diag}(s) - s s^{\mathsf{T}}"),
                               eq(r"J_{ii} = s_i(1 - s_i), \quad J_{ij} = -s_i s_j \ (i \ne j)")]
    if n <= DETAIL_MAX:
        pairs = [(i, j) for i in range(n) for j in range(n)] if n <= JACOBIAN_LINES_MAX else [(i, i) for i in range(n)] + ([(0, 1)] if n > 1 else [])
        for i, j in pairs:
            if i == j:
                jac.append(eq(f"J_{{{i + 1}{j + 1}}} = ", float(s[i]), r" \cdot (1 - ", float(s[i]), ") = ", float(J[i, j])))
            else:
                jac.append(eq(f"J_{{{i + 1}{j + 1}}} = -", float(s[i]), r" \cdot ", float(s[j]), " = ", float(J[i, j])))
    jac.append(Table(line("the Jacobian J (row i: the output sᵢ; column j: the input xⱼ)"), ("", *(f"$x_{{{j + 1}}}$" for j in range(n))),
                     Rows(n, lambda i: (f"$s_{{{i + 1}}}$", *J[i].tolist()))))
    jac.append(line("Each row sums to 0 (the probabilities always sum to 1), and J is symmetric."))
    jacobian_step = Step(line(r"Softmax's derivative: the Jacobian $J = \operatorname{diag}(s) - s s^{\mathsf{T}}$"), tuple(jac),
                         ("derivatives.softmax",))
    return [value_step, jacobian_step], s.tolist(), J.tolist()


# --- the summary tables and the notes -----------------------------------------------------------


def _summary_step(names: tuple[str, ...], fs: Mapping[str, Activation], x: np.ndarray, values: Mapping[str, list[float]],
                  slopes: Mapping[str, list[float]]) -> Step:
    header = ("", *(Num(v) for v in x.tolist()))
    label = {name: f"${fs[name].label}$" if name in fs else r"$\operatorname{softmax}$" for name in names}
    body: list[Table | Line] = [Table(line("values f(x), one column per x"), header, tuple((label[n], *values[n]) for n in names), elide=False)]
    derivable = [n for n in names if n in fs]
    if derivable:
        body.append(Table(line("derivatives f′(x), one column per x"), header, tuple((label[n], *slopes[n]) for n in derivable), elide=False))
    if "softmax" in names:
        body.append(line("Softmax's derivative is a matrix, the Jacobian above."))
    return Step(line("Summary"), tuple(body))


def _kink_note(names: tuple[str, ...], fs: Mapping[str, Activation], x: np.ndarray) -> Note | None:
    """The convention at each kink of the functions shown, from the slopes themselves."""
    parts: list[tuple[Part, ...]] = []
    for name in names:
        f = fs.get(name)
        if f is None or not f.kinks:
            continue
        at = np.array(f.kinks)
        slopes = f.slope(at, f.apply(at))
        alpha = r" = \alpha" if name in ALPHA_OF else ""
        parts += [(f"${f.label}'(", Num(k), f"){alpha} = ", float(d), "$") for k, d in zip(f.kinks, slopes.tolist())]
    if not parts:
        return None
    hit = sorted({k for n in names if n in fs for k in fs[n].kinks if np.any(x == k)})
    where = f" (x = {', '.join(short_text(k) for k in hit)} is one here)" if hit else ""
    return Note(line("At a kink the derivative is the one-sided value current PyTorch autograd gives: ", *joined(parts, ", "),
                     f"{where}. A hand solution may take either side; say which."))


def _saturation_note(names: tuple[str, ...]) -> Note:
    """Why σ′ and tanh′ are not computed from σ(1 − σ) and 1 − tanh² far from 0."""
    shown = [name for name in ("sigmoid", "tanh") if name in names]
    forms = {"sigmoid": r"$\sigma'(x) = \sigma(x)\sigma(-x) = e^{-|x|}/(1 + e^{-|x|})^2$",
             "tanh": r"$\tanh'(x) = 4e^{-2|x|}/(1 + e^{-2|x|})^2$"}
    return Note(line(rf"For $|x| > {SATURATED:g}$ the sigmoid and tanh are within $2 \times 10^{{-9}}$ of their limits "
                     r"($\sigma(40)$ and $\tanh(20)$ are exactly 1 in double precision), so the slope is computed and written as ",
                     " and ".join(forms[n] for n in shown), r": $\sigma(1 - \sigma)$ and $1 - \tanh^2$ would give exactly 0 "
                     "there (as PyTorch's autograd does)."), "warning")


def _sigmoid_notes(x: np.ndarray, slopes: list[float]) -> list[Note]:
    """The notes' vanishing gradient and their e^(−100)."""
    n_layers = 5
    far = int(np.argmax(np.abs(x)))
    notes = [Note(line(r"Vanishing gradient: $\sigma'(x) = \sigma(x)(1 - \sigma(x)) \le 0.25$, the maximum at $x = 0$, so a gradient "
                       r"passing back through $n$ sigmoid layers is scaled by at most $0.25^n$ (",
                       f"$0.25^{n_layers} = ", 0.25**n_layers, f"$ for {n_layers} layers). For large $|x|$ the slope is about "
                       r"$e^{-|x|}$ (at the largest $|x|$ here, $\sigma'(", Num(float(x[far])), ") = ", slopes[far], r"$): the weights feeding a saturated "
                       "unit get almost no update, the notes' point."))]
    if np.any(np.abs(x) >= EXP_SHOWN_FROM):
        notes.append(Note(line(r"The notes' saturation example writes $e^{-100} = 26 \times 10^{-42}$; in fact $e^{-100} = ",
                               math.exp(-100.0), f"$: theirs is {NOTES_EXP_100 / math.exp(-100.0):.0f} times too large. So ",
                               r"$\sigma(-100) \approx \sigma'(100) \approx ", math.exp(-100.0), "$."), "erratum"))
    return notes


# --- solve ----------------------------------------------------------------------------------


def solve(inputs: Mapping[str, Any]) -> Derivation:
    """Values and derivatives of every function asked for at every x, softmax over x."""
    names = _functions(inputs)
    x = np.array(inputs["x"], dtype=float)
    fs = elementwise(inputs["alpha"], inputs["prelu_alpha"], inputs["elu_alpha"])
    steps: list[Step] = []
    values: dict[str, Any] = {}
    slopes: dict[str, Any] = {}
    for name in names:
        if name == "softmax":
            softmax_steps, values[name], slopes[name] = _softmax_steps(x)
            steps += softmax_steps
            continue
        alpha_name = ALPHA_OF.get(name)
        where = "--x" if alpha_name is None else f"--x/{option(alpha_name)}"
        v, d = _evaluate(fs[name], x, where)
        values[name], slopes[name] = v.tolist(), d.tolist()
        steps.append(_function_step(name, fs[name], None if alpha_name is None else inputs[alpha_name], x, v, d))
    steps.append(_summary_step(names, fs, x, values, slopes))

    notes = [note for note in (_kink_note(names, fs, x),) if note is not None]
    if "sigmoid" in names:
        notes += _sigmoid_notes(x, slopes["sigmoid"])
    if ("sigmoid" in names or "tanh" in names) and np.any(np.abs(x) > SATURATED):
        notes.append(_saturation_note(names))
    if "softmax" in names:
        notes.append(Note(line("Softmax is taken over the whole vector x, as over one layer's logits; the other functions act on "
                               "each x on its own.")))
    echoed = {"x": x.tolist(), "function": list(names), "alpha": inputs["alpha"], "prelu_alpha": inputs["prelu_alpha"],
              "elu_alpha": inputs["elu_alpha"]}
    shown = "x = " + ", ".join(short_text(v) for v in x.tolist()) if len(x) <= DETAIL_MAX else f"{len(x):,} values of x"
    title = f"Activation functions at {shown}: values and derivatives"
    return Derivation(COMMAND, title, echoed, tuple(steps), {"values": values, "derivatives": slopes}, tuple(notes))
