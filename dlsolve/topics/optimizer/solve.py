"""Optimizer steps: GD, momentum, Nesterov, AdaGrad, RMSProp and Adam side by side.

Gradients   given (--grads, one row per step), or of f(w) = ½ Σᵢ aᵢ(wᵢ − cᵢ)²:
            ∂f/∂wᵢ = aᵢ(wᵢ − cᵢ), at each method's own current w
Updates     dlsolve/topics/optimizer/methods.py (PyTorch's arithmetic, every state from 0)

Default: f(w) = w² (a = 2, c = 0) from w0 = 1 with η = 0.1, 3 steps of all six methods
(GD: 0.8, 0.64, 0.512).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from dlsolve.core.derivation import Block, Derivation, Line, Note, Num, Part, Rows, Step, Table, joined, line, math
from dlsolve.core.inputs import Choice, Field, InputError, Integer, Matrix, Number, NumberOrVector, PerItem, Vector, count
from dlsolve.topics.optimizer.methods import Settings, State, new_state, new_w, zero_state
from dlsolve.topics.optimizer.names import CARRIED, METHODS, NAMES, STATES

COMMAND = "optimizer"
MAX_STEPS = 2_000  # steps of one method (an exercise takes a handful)
MAX_PARAMS = 1_000  # parameters in w: an exercise has one to three
MAX_UPDATES = 200_000  # steps × parameters × methods: an exercise is a few dozen
DETAIL_STEPS = 10  # up to this many steps (and DETAIL_PARAMS parameters) every step is written out
DETAIL_PARAMS = 3
COMPARE_PARAMS = 2  # the comparison shows w's first components up to this many
UNIT = Number(low=0, high=1, high_inclusive=False)

FIELDS = (
    Field("method", PerItem(Choice(METHODS), item="method", limit=len(METHODS)), METHODS),
    Field("grads", Matrix(MAX_UPDATES, MAX_STEPS), None),  # its width is checked against MAX_PARAMS
    Field("curvature", NumberOrVector(), None),  # None: 2 (f = (w − c)²); not with --grads
    Field("center", NumberOrVector(), None),  # None: 0
    Field("w0", Vector(MAX_PARAMS), None),  # None: 1 for every parameter
    Field("lr", Number(low=0, low_inclusive=False), 0.1),
    Field("steps", Integer(1, MAX_STEPS), None),  # None: 3, or the rows of --grads
    Field("beta", UNIT, 0.9),
    Field("momentum_form", Choice(("pytorch", "ema")), "pytorch"),
    Field("rho", UNIT, 0.9),
    Field("beta1", UNIT, 0.9),
    Field("beta2", UNIT, 0.999),
    Field("eps", Number(low=0), 1e-8),
)
# given gradients or the quadratic's: the command line's choice beats the problem file's
EXCLUSIVE_OPTIONS = ((frozenset({"grads"}), frozenset({"curvature", "center"})),)


# --- the problem ----------------------------------------------------------------------------


class Problem(NamedTuple):
    """The methods, the start, the gradients' source (``grads`` rows, or the quadratic's a
    and c) and the settings."""

    methods: tuple[str, ...]
    w0: np.ndarray
    grads: np.ndarray | None
    a: np.ndarray
    c: np.ndarray
    steps: int
    settings: Settings

    @property
    def n(self) -> int:
        return len(self.w0)

    @property
    def quadratic(self) -> bool:
        return self.grads is None

    def gradient(self, w: np.ndarray, t: int) -> np.ndarray:
        """gₜ at w (the quadratic's aᵢ(wᵢ − cᵢ), or row t of --grads)."""
        return self.a * (w - self.c) if self.grads is None else self.grads[t - 1]

    def losses(self, w: np.ndarray) -> np.ndarray:
        """f(w) = ½ Σ aᵢ(wᵢ − cᵢ)² of each row of w."""
        return 0.5 * np.sum(self.a * (w - self.c) ** 2, axis=1)


def _per_parameter(value: float | tuple[float, ...], n: int, name: str) -> np.ndarray:
    """A scalar broadcast to every parameter, or a vector of one value per parameter."""
    if isinstance(value, tuple):
        if len(value) != n:
            raise InputError(name, f"has {count(len(value), 'value')} but w has {count(n, 'parameter')} (--w0); give one or one per parameter")
        return np.array(value, dtype=float)
    return np.full(n, float(value))


def _methods(given: Sequence[str]) -> tuple[str, ...]:
    seen: list[str] = []
    for method in given:
        if method in seen:
            raise InputError("--method", f"{method!r} is given twice")
        seen.append(method)
    return tuple(seen)


def _problem(inputs: Mapping[str, Any]) -> Problem:
    """Check that the options fit together and build the problem (or raise InputError)."""
    methods = _methods(inputs["method"])
    grads, w0 = inputs["grads"], inputs["w0"]
    if grads is not None:
        for name in ("curvature", "center"):
            if inputs[name] is not None:
                raise InputError(f"--{name}", "belongs to the quadratic f(w); with --grads the gradients are given, so leave it out")
        G = np.array(grads, dtype=float)
        if inputs["steps"] is not None and inputs["steps"] != len(G):
            raise InputError("--steps", f"is {inputs['steps']:,} but --grads has {count(len(G), 'row')} (one per step); leave --steps out")
        width = G.shape[1]
        if w0 is not None and len(w0) != width:
            raise InputError("--grads", f"rows have {count(width, 'value')} but --w0 has {len(w0)}; give one gradient per parameter")
        n, steps = width, len(G)
    else:
        G = None
        sizes = {len(v) for v in (inputs["curvature"], inputs["center"]) if isinstance(v, tuple)}
        n = len(w0) if w0 is not None else max(sizes, default=1)
        steps = 3 if inputs["steps"] is None else inputs["steps"]
    if n > MAX_PARAMS:
        raise InputError("--grads" if grads is not None else "--curvature/--center", f"gives {n:,} parameters; at most {MAX_PARAMS:,} are accepted "
                                                                                   "(this tool is for exercises)")
    updates = steps * n * len(methods)
    if updates > MAX_UPDATES:
        raise InputError("--steps/--w0/--method", f"{updates:,} parameter updates (steps × parameters × methods); "
                                                  f"at most {MAX_UPDATES:,} are accepted (this tool is for exercises)")
    a = _per_parameter(2.0 if inputs["curvature"] is None else inputs["curvature"], n, "--curvature")
    c = _per_parameter(0.0 if inputs["center"] is None else inputs["center"], n, "--center")
    start = np.ones(n) if w0 is None else np.array(w0, dtype=float)
    settings = Settings(float(inputs["lr"]), float(inputs["beta"]), inputs["momentum_form"] == "ema", float(inputs["rho"]),
                        float(inputs["beta1"]), float(inputs["beta2"]), float(inputs["eps"]))
    return Problem(methods, start, G, a, c, steps, settings)


# --- the maths --------------------------------------------------------------------------------


class Trace(NamedTuple):
    """One method's run: w₀ … w_T, g₁ … g_T, each state after every step, f(w₀) … f(w_T)."""

    method: str
    w: np.ndarray  # (T + 1, n)
    g: np.ndarray  # (T, n)
    state: dict[str, np.ndarray]  # name → (T, n)
    loss: np.ndarray | None  # (T + 1,); None with --grads
    lengths: np.ndarray  # (T,): ‖wₜ − wₜ₋₁‖


def _run(p: Problem, method: str) -> Trace:
    """Step ``method`` p.steps times from w0, refusing a run that leaves double precision."""
    w = np.empty((p.steps + 1, p.n))
    g = np.empty((p.steps, p.n))
    states = {name: np.empty((p.steps, p.n)) for name in STATES[method]}
    w[0] = p.w0
    state: State = zero_state(method, p.n)
    with np.errstate(all="ignore"):  # a non-finite value is refused below, naming the step
        for t in range(1, p.steps + 1):
            g[t - 1] = p.gradient(w[t - 1], t)
            state = new_state(method, p.settings, state, g[t - 1], t)
            w[t] = new_w(method, p.settings, w[t - 1], state, g[t - 1])
            for name in states:
                states[name][t - 1] = state[name]
        bad = ~np.isfinite(w[1:]).all(axis=1)
        for values in states.values():
            bad |= ~np.isfinite(values).all(axis=1)
        if bad.any():
            i = int(np.argmax(bad))
            _refuse(p, method, i + 1, w[i + 1], [values[i] for values in states.values()])
        loss = p.losses(w) if p.quadratic else None
        lengths = np.linalg.norm(np.diff(w, axis=0), axis=1)
    if loss is not None and not np.all(np.isfinite(loss)):
        raise InputError("--w0/--curvature/--center", f"f(w) overflows double precision under {NAMES[method]}; use smaller numbers")
    if not np.all(np.isfinite(lengths)):
        raise InputError("--w0", f"{NAMES[method]}'s step lengths overflow double precision; use smaller numbers")
    return Trace(method, w, g, states, loss, lengths)


def _refuse(p: Problem, method: str, t: int, w: np.ndarray, state: Sequence[np.ndarray]) -> None:
    """Why step t left double precision: 0/0 (a zero gradient with ε = 0), or an overflow."""
    if p.settings.eps == 0 and np.any(np.isnan(w)) and all(np.all(np.isfinite(v)) for v in state):
        raise InputError("--eps", f"{NAMES[method]} divides 0 by 0 at step {t} (a zero gradient with ε = 0); give a positive --eps")
    sizes = "--lr/--w0/--grads" if p.grads is not None else "--lr/--w0/--curvature"
    raise InputError(sizes, f"{NAMES[method]} overflows double precision at step {t}; use a smaller --lr, smaller numbers or fewer --steps")


# --- how things are written ----------------------------------------------------------------


def _n(x: float) -> Num:
    """A value substituted into a formula: in parentheses when negative."""
    return Num(float(x), paren=True)


def _sq(x: float) -> tuple[Part, ...]:
    return (_n(x), "^{2}")


def _tex(name: str, t: int | str) -> str:
    """A state's symbol at step t: ``v_{2}``, ``\\hat{m}_{1}``."""
    base = {"m_hat": r"\hat{m}", "v_hat": r"\hat{v}"}.get(name, name)
    return f"{base}_{{{t}}}"


def _vector_text(values: Sequence[float]) -> tuple[Part, ...]:
    """A vector inside math: one number, or ``(a, b)``."""
    if len(values) == 1:
        return (Num(float(values[0])),)
    return ("(", *joined([Num(float(v)) for v in values], ", "), ")")


class Writer:
    """Writes one method's step, parameter by parameter, from the computed trace."""

    def __init__(self, p: Problem, trace: Trace) -> None:
        self.p, self.trace, self.s = p, trace, p.settings

    def state(self, name: str, t: int, i: int) -> float:
        """A state after step t (0 before the first)."""
        return 0.0 if t == 0 else float(self.trace.state[name][t - 1, i])

    def gradient(self, t: int, i: int) -> Line:
        g, w = float(self.trace.g[t - 1, i]), float(self.trace.w[t - 1, i])
        if not self.p.quadratic:
            return math(f"g_{{{t}}} = ", g, r" \quad \text{(given)}")
        a, c = float(self.p.a[i]), float(self.p.c[i])
        return math(f"g_{{{t}}} = a(w_{{{t - 1}}} - c) = ", Num(a), r" \cdot (", Num(w), " - ", _n(c), ") = ", g)

    def state_lines(self, t: int, i: int) -> list[Line]:
        method, s = self.trace.method, self.s
        g = float(self.trace.g[t - 1, i])
        if method in ("momentum", "nesterov"):
            v0, v = self.state("v", t - 1, i), self.state("v", t, i)
            if s.ema and method == "momentum":
                return [math(f"v_{{{t}}} = \\beta v_{{{t - 1}}} + (1 - \\beta) g_{{{t}}} = ", Num(s.beta), r" \cdot ", _n(v0),
                             " + (1 - ", Num(s.beta), r") \cdot ", _n(g), " = ", v)]
            return [math(f"v_{{{t}}} = \\beta v_{{{t - 1}}} + g_{{{t}}} = ", Num(s.beta), r" \cdot ", _n(v0), " + ", _n(g), " = ", v)]
        if method == "adagrad":
            return [math(f"G_{{{t}}} = G_{{{t - 1}}} + g_{{{t}}}^{{2}} = ", Num(self.state("G", t - 1, i)), " + ", *_sq(g), " = ",
                         self.state("G", t, i))]
        if method == "rmsprop":
            return [math(f"v_{{{t}}} = \\rho v_{{{t - 1}}} + (1 - \\rho) g_{{{t}}}^{{2}} = ", Num(s.rho), r" \cdot ", Num(self.state("v", t - 1, i)),
                         " + (1 - ", Num(s.rho), r") \cdot ", *_sq(g), " = ", self.state("v", t, i))]
        if method == "adam":
            m, v = self.state("m", t, i), self.state("v", t, i)
            return [
                math(f"m_{{{t}}} = \\beta_{{1}} m_{{{t - 1}}} + (1 - \\beta_{{1}}) g_{{{t}}} = ", Num(s.beta1), r" \cdot ",
                     _n(self.state("m", t - 1, i)), " + (1 - ", Num(s.beta1), r") \cdot ", _n(g), " = ", m),
                math(f"v_{{{t}}} = \\beta_{{2}} v_{{{t - 1}}} + (1 - \\beta_{{2}}) g_{{{t}}}^{{2}} = ", Num(s.beta2), r" \cdot ",
                     Num(self.state("v", t - 1, i)), " + (1 - ", Num(s.beta2), r") \cdot ", *_sq(g), " = ", v),
                math(f"\\hat{{m}}_{{{t}}} = \\frac{{m_{{{t}}}}}{{1 - \\beta_{{1}}^{{{t}}}}} = \\frac{{", _n(m), "}{1 - ", Num(s.beta1),
                     f"^{{{t}}}}} = \\frac{{", _n(m), "}{", Num(1 - s.beta1**t), "} = ", self.state("m_hat", t, i)),
                math(f"\\hat{{v}}_{{{t}}} = \\frac{{v_{{{t}}}}}{{1 - \\beta_{{2}}^{{{t}}}}} = \\frac{{", Num(v), "}{1 - ", Num(s.beta2),
                     f"^{{{t}}}}} = \\frac{{", Num(v), "}{", Num(1 - s.beta2**t), "} = ", self.state("v_hat", t, i)),
            ]
        return []

    def update(self, t: int, i: int) -> Line:
        method, s = self.trace.method, self.s
        w0, w, g = float(self.trace.w[t - 1, i]), float(self.trace.w[t, i]), float(self.trace.g[t - 1, i])
        head = f"w_{{{t}}} = w_{{{t - 1}}} - \\eta "
        eps = Num(s.eps)
        if method == "gd":
            return math(head, f"g_{{{t}}} = ", Num(w0), " - ", Num(s.lr), r" \cdot ", _n(g), " = ", w)
        if method == "momentum":
            return math(head, f"v_{{{t}}} = ", Num(w0), " - ", Num(s.lr), r" \cdot ", _n(self.state("v", t, i)), " = ", w)
        if method == "nesterov":
            return math(head, f"(g_{{{t}}} + \\beta v_{{{t}}}) = ", Num(w0), " - ", Num(s.lr), r" \cdot (", _n(g), " + ", Num(s.beta),
                        r" \cdot ", _n(self.state("v", t, i)), ") = ", w)
        if method in ("adagrad", "rmsprop"):
            name = "G" if method == "adagrad" else "v"
            return math(head, f"\\frac{{g_{{{t}}}}}{{\\sqrt{{{name}_{{{t}}}}} + \\varepsilon}} = ", Num(w0), " - ", Num(s.lr),
                        r" \cdot \frac{", _n(g), r"}{\sqrt{", Num(self.state(name, t, i)), "} + ", eps, "} = ", w)
        return math(head, f"\\frac{{\\hat{{m}}_{{{t}}}}}{{\\sqrt{{\\hat{{v}}_{{{t}}}}} + \\varepsilon}} = ", Num(w0), " - ", Num(s.lr),
                    r" \cdot \frac{", _n(self.state("m_hat", t, i)), r"}{\sqrt{", Num(self.state("v_hat", t, i)), "} + ", eps, "} = ", w)

    def loss(self, t: int) -> Line:
        p, w = self.p, self.trace.w[t]
        f = float(self.trace.loss[t])
        if p.n == 1:
            return math(f"f(w_{{{t}}}) = \\frac{{1}}{{2}} a (w_{{{t}}} - c)^{{2}} = \\frac{{1}}{{2}} \\cdot ", Num(float(p.a[0])), r" \cdot (",
                        Num(float(w[0])), " - ", _n(float(p.c[0])), ")^{2} = ", f)
        terms = joined([(Num(float(a)), r" \cdot (", Num(float(x)), " - ", _n(float(c)), ")^{2}") for a, x, c in zip(p.a, w, p.c)], " + ")
        return math(f"f(w_{{{t}}}) = \\frac{{1}}{{2}} \\sum_{{i}} a_{{i}} (w_{{i}} - c_{{i}})^{{2}} = \\frac{{1}}{{2}} (", *terms, ") = ", f)


def _answer_keys(method: str, t: int, last: bool, quadratic: bool) -> tuple[str, ...]:
    keys = [f"state.{method}.{name}.{t}" for name in STATES[method]] + [f"params.{method}.{t}"]
    if quadratic:
        keys.append(f"loss.{method}.{t}")
    if last:
        keys.append(f"final.{method}")
    return tuple(keys)


def _detailed_steps(p: Problem, trace: Trace) -> list[Step]:
    """Every step written out: the gradient, each state update, the parameter update (and f)."""
    writer, steps = Writer(p, trace), []
    for t in range(1, p.steps + 1):
        body: list[Block] = []
        for i in range(p.n):
            if p.n > 1:
                body.append(line(f"Parameter {i + 1} (every symbol below is its component {i + 1}):"))
            body += [writer.gradient(t, i), *writer.state_lines(t, i), writer.update(t, i)]
        if p.n > 1:
            body.append(math(f"w_{{{t}}} = ", *_vector_text(trace.w[t])))
        if p.quadratic:
            body.append(writer.loss(t))
        steps.append(Step(line(f"{NAMES[trace.method]}, step {t}"), tuple(body), _answer_keys(trace.method, t, t == p.steps, p.quadratic)))
    return steps


def _table_step(p: Problem, trace: Trace) -> Step:
    """Many steps or parameters: the method's rule, then one row per step."""
    method = trace.method
    one = p.n == 1
    header: list[Part] = ["$t$"]
    if one:
        header += ["$g_{t}$", *(f"${_tex(name, 't')}$" for name in STATES[method]), "$w_{t}$"]
    else:
        header += [f"$w_{{{i}}}$" for i in range(1, p.n + 1)]
    if p.quadratic:
        header.append("$f(w_{t})$")

    def row(t: int) -> tuple[Part, ...]:
        cells: list[Part] = [t]
        if one:
            cells += [float(trace.g[t - 1, 0]), *(float(trace.state[name][t - 1, 0]) for name in STATES[method])] if t else ["", *("" for _ in STATES[method])]
            cells.append(float(trace.w[t, 0]))
        else:
            cells += [float(x) for x in trace.w[t]]
        if p.quadratic:
            cells.append(float(trace.loss[t]))
        return tuple(cells)

    caption = "every step (t = 0 is the start" + ("" if one else "; columns: w's parameters") + ")"
    body = (line(RULES[method](p.settings)), Table(line(caption), tuple(header), Rows(p.steps + 1, row)))
    keys = ((f"state.{method}",) if STATES[method] else ()) + (f"params.{method}",) + ((f"loss.{method}",) if p.quadratic else ()) + (f"final.{method}",)
    return Step(line(f"{NAMES[method]}: {p.steps:,} steps"), body, keys)


def _ema_rule(s: Settings) -> str:
    return r"$v \leftarrow \beta v + (1 - \beta) g$, $w \leftarrow w - \eta v$" if s.ema else r"$v \leftarrow \beta v + g$, $w \leftarrow w - \eta v$"


RULES = {
    "gd": lambda s: r"$w \leftarrow w - \eta g$",
    "momentum": _ema_rule,
    "nesterov": lambda s: r"$v \leftarrow \beta v + g$, $w \leftarrow w - \eta (g + \beta v)$",
    "adagrad": lambda s: r"$G \leftarrow G + g^{2}$, $w \leftarrow w - \eta \frac{g}{\sqrt{G} + \varepsilon}$",
    "rmsprop": lambda s: r"$v \leftarrow \rho v + (1 - \rho) g^{2}$, $w \leftarrow w - \eta \frac{g}{\sqrt{v} + \varepsilon}$",
    "adam": lambda s: (r"$m \leftarrow \beta_{1} m + (1 - \beta_{1}) g$, $v \leftarrow \beta_{2} v + (1 - \beta_{2}) g^{2}$, $"
                       r"\hat{m} = \frac{m}{1 - \beta_{1}^{t}}$, $\hat{v} = \frac{v}{1 - \beta_{2}^{t}}$, $"
                       r"w \leftarrow w - \eta \frac{\hat{m}}{\sqrt{\hat{v}} + \varepsilon}$"),
}
SETTINGS = {"gd": (), "momentum": ("beta",), "nesterov": ("beta",), "adagrad": ("eps",), "rmsprop": ("rho", "eps"), "adam": ("beta1", "beta2", "eps")}
SYMBOLS = {"beta": r"\beta", "rho": r"\rho", "beta1": r"\beta_{1}", "beta2": r"\beta_{2}", "eps": r"\varepsilon"}


def _problem_step(p: Problem) -> Step:
    """The function (or the given gradients), the start, the rate, and each method's rule."""
    body: list[Block] = []
    if p.quadratic:
        if p.n == 1:
            a, c = float(p.a[0]), float(p.c[0])
            body.append(math(r"f(w) = \frac{1}{2} a (w - c)^{2} = \frac{1}{2} \cdot ", Num(a), r" \cdot (w - ", _n(c), r")^{2}, \quad "
                             r"g = \frac{\partial f}{\partial w} = a (w - c)"))
        else:
            body.append(math(r"f(w) = \frac{1}{2} \sum_{i} a_{i} (w_{i} - c_{i})^{2}, \quad g_{i} = \frac{\partial f}{\partial w_{i}} = a_{i} (w_{i} - c_{i})"))
            if p.n > DETAIL_PARAMS:
                body.append(Table(line("each parameter's curvature, minimum and start"), ("$i$", "$a_{i}$", "$c_{i}$", "$w_{0}$"),
                                  Rows(p.n, lambda i: (i + 1, float(p.a[i]), float(p.c[i]), float(p.w0[i])))))
            else:
                body.append(math("a = ", *_vector_text(p.a), r", \quad c = ", *_vector_text(p.c)))
        body.append(line("Each method computes its gradient at its own current w; the minimum is at $w = c$."))
    else:
        rows = Rows(p.steps, lambda t: (t + 1, *(float(x) for x in p.grads[t])))
        caption = "the given gradients, one row per step" + (" (columns: parameters)" if p.n > 1 else "")
        body.append(Table(line(caption), ("$t$", *(f"$g_{{{i}}}$" if p.n > 1 else "$g$" for i in range(1, p.n + 1))), rows))
    start = (r"\eta = ", Num(p.settings.lr)) if p.quadratic and p.n > DETAIL_PARAMS else \
        ("w_{0} = ", *_vector_text(p.w0), r", \quad \eta = ", Num(p.settings.lr))
    if not p.quadratic and p.n > DETAIL_PARAMS:
        body.append(Table(line("the start"), ("$i$", "$w_{0}$"), Rows(p.n, lambda i: (i + 1, float(p.w0[i])))))
        start = (r"\eta = ", Num(p.settings.lr))
    body.append(math(*start))
    for method in p.methods:
        values = joined([(f"${SYMBOLS[name]} = ", Num(getattr(p.settings, name)), "$") for name in SETTINGS[method]], ", ")
        given = ("; ", *values) if values else ()
        body.append(line(f"{NAMES[method]}: ", RULES[method](p.settings), *given))
    states = list(dict.fromkeys(name for m in p.methods for name in CARRIED[m]))
    if states:
        body.append(line(f"{'Every state' if len(states) > 1 else 'The state'} ({', '.join(f'${name}$' for name in states)}) starts at 0."))
    what = "f and its gradient" if p.quadratic else "the given gradients"
    return Step(line(f"The problem: {what}, the start and the update rules"), tuple(body))


# --- the comparison ---------------------------------------------------------------------------


def _compare_step(p: Problem, traces: Sequence[Trace]) -> Step:
    """w (and f) after each step, one column per method, then what the columns show."""
    header = ("$t$", *(NAMES[tr.method] for tr in traces))
    body: list[Block] = []
    for i in range(min(p.n, COMPARE_PARAMS)):
        symbol = "w" if p.n == 1 else f"w_{{{i + 1}}}"
        body.append(Table(line(f"${symbol}$ after each step (t = 0 is the start)"), header,
                          Rows(p.steps + 1, lambda t, i=i: (t, *(float(tr.w[t, i]) for tr in traces)))))
    if p.quadratic:
        body.append(Table(line("$f(w)$ after each step"), header, Rows(p.steps + 1, lambda t: (t, *(float(tr.loss[t]) for tr in traces)))))
    body.append(Table(line(r"step length $\lVert{w_{t} - w_{t-1}}\rVert$"), header,
                      Rows(p.steps, lambda t: (t + 1, *(float(tr.lengths[t]) for tr in traces)))))
    body += _observations(p, traces)
    keys = tuple(f"final.{tr.method}" for tr in traces)
    return Step(line("Side by side"), tuple(body), keys)


def _observations(p: Problem, traces: Sequence[Trace]) -> list[Line]:
    """Overshoot (w − c changes sign) and growing or shrinking steps, said in words."""
    out: list[Line] = []
    for tr in traces:
        if p.quadratic:
            side = np.sign(tr.w - p.c)
            crossed = np.flatnonzero(np.any(side[1:] * side[:-1] < 0, axis=1))
            if crossed.size:
                out.append(line(f"{NAMES[tr.method]} overshoots: $w - c$ changes sign at step {crossed[0] + 1} (the minimum is at $w = c$)."))
        if p.steps < 2:
            continue
        first, second, last = (float(tr.lengths[k]) for k in (0, 1, -1))
        if tr.method == "adagrad" and np.all(np.diff(tr.lengths) < 0):
            out.append(line("AdaGrad's steps shrink, $", first, r" \to ", last, "$: $G$ only grows, so $\\eta/\\sqrt{G}$ falls."))
        if tr.method in ("momentum", "nesterov") and second > first:
            out.append(line(f"{NAMES[tr.method]}'s steps grow at first, $", first, r" \to ", second, "$: $v$ adds up the past gradients."))
    return out


# --- notes ------------------------------------------------------------------------------------


def _notes(p: Problem) -> list[Note]:
    s, methods = p.settings, p.methods
    notes = [Note(line("PyTorch's conventions (torch.optim): every state starts at 0 (AdaGrad's initial_accumulator_value = 0), "
                       r"and $\varepsilon$ is added outside the square root: $\sqrt{G} + \varepsilon$, $\sqrt{v} + \varepsilon$, "
                       r"$\sqrt{\hat{v}} + \varepsilon$."))]
    if "gd" in methods:
        notes.append(Note(line("GD, SGD and mini-batch GD share the update $w \\leftarrow w - \\eta g$; they differ in the data g is "
                               "computed on (all of it, one sample, a batch).")))
    if "momentum" in methods:
        effective = s.lr * (1 - s.beta)
        if s.ema:
            text = (r"Momentum in the notes' EMA form (--momentum-form ema): $v \leftarrow \beta v + (1 - \beta) g$, so $v_{1} = (1 - \beta) g_{1}$. "
                    r"PyTorch's form (the default) is $v \leftarrow \beta v + g$. Both start at 0, so the EMA's v is $(1 - \beta)$ times "
                    r"PyTorch's at every step: its effective rate is $\eta(1 - \beta) = ")
            tail = "$. (torch.optim.SGD with dampening = β is not the same: its first step sets $v_{1} = g_{1}$.)"
        else:
            text = (r"Momentum in PyTorch's form (torch.optim.SGD, dampening = 0): $v \leftarrow \beta v + g$. The notes write the EMA "
                    r"form $v \leftarrow \beta v + (1 - \beta) g$ (--momentum-form ema); both start at 0, so the EMA's v is $(1 - \beta)$ "
                    r"times PyTorch's at every step and its effective rate is $\eta(1 - \beta) = ")
            tail = "$: the same steps as PyTorch's form with that rate."
        notes.append(Note(line(text, effective, tail)))
    if "nesterov" in methods:
        notes.append(Note(line(r"Nesterov as PyTorch computes it (SGD with nesterov = True): $v \leftarrow \beta v + g$, "
                               r"$w \leftarrow w - \eta (g + \beta v)$, with g at the current w. The look-ahead form (g at $w - \eta \beta v$) "
                               "is the same method after a change of variables. --momentum-form does not change it.")))
    if "rmsprop" in methods:
        notes.append(Note(line("The notes head the RMSProp section \"Adam (Adaptive Moment Estimation)\"; it describes RMSProp "
                               "(AdaGrad with a moving average of squared gradients)."), "erratum"))
        notes.append(Note(line(r"The notes write RMSProp's average as $v_{t} = \beta v_{t-1} + (1 - \beta) g_{t}$: the gradient must be "
                               r"squared, $v_{t} = \rho v_{t-1} + (1 - \rho) g_{t}^{2}$ (torch.optim.RMSprop's alpha is $\rho$)."), "erratum"))
    if "adam" in methods:
        notes.append(Note(line("The notes' final Adam step is garbled (\"", r"$\theta = \theta_{t-1} - \alpha/\sqrt{v_{t}} + \epsilon$", "\"): "
                               r"the step is $\eta \hat{m}_{t}/(\sqrt{\hat{v}_{t}} + \varepsilon)$, with both bias-corrected moments."), "erratum"))
    if not p.quadratic:
        notes.append(Note(line("Gradients given (--grads): every method uses row t at step t whatever its w, as an exam's "
                               "\"given gradients\" do (in training each method would see the gradient at its own w); "
                               "f is unknown, so loss is null.")))
    return notes


# --- solve ------------------------------------------------------------------------------------


def solve(inputs: Mapping[str, Any]) -> Derivation:
    """Each method's steps from w0, written out, then side by side."""
    p = _problem(inputs)
    traces = [_run(p, method) for method in p.methods]

    steps = [_problem_step(p)]
    detailed = p.steps <= DETAIL_STEPS and p.n <= DETAIL_PARAMS
    for trace in traces:
        steps += _detailed_steps(p, trace) if detailed else [_table_step(p, trace)]
    if len(traces) > 1:
        steps.append(_compare_step(p, traces))

    answers = {
        "params": {tr.method: tr.w[1:].tolist() for tr in traces},
        "final": {tr.method: tr.w[-1].tolist() for tr in traces},
        "loss": {tr.method: tr.loss[1:].tolist() for tr in traces} if p.quadratic else None,
        "state": {tr.method: {name: tr.state[name].tolist() for name in STATES[tr.method]} for tr in traces if STATES[tr.method]} or None,
    }  # GD keeps no state: it has no entry in state (null with GD alone)
    echoed = {
        "method": list(p.methods), "grads": None if p.quadratic else p.grads.tolist(),
        "curvature": p.a.tolist() if p.quadratic else None, "center": p.c.tolist() if p.quadratic else None,
        "w0": p.w0.tolist(), "lr": p.settings.lr, "steps": p.steps, "beta": p.settings.beta,
        "momentum_form": "ema" if p.settings.ema else "pytorch", "rho": p.settings.rho, "beta1": p.settings.beta1,
        "beta2": p.settings.beta2, "eps": p.settings.eps,
    }
    source = "f(w) = ½Σa(w − c)²" if p.quadratic else "given gradients"
    methods = "all six methods" if len(p.methods) == len(NAMES) else ", ".join(NAMES[m] for m in p.methods)
    title = f"Optimizer steps: {methods}; {source}, η = {p.settings.lr:g}, {count(p.steps, 'step')}"
    return Derivation(COMMAND, title, echoed, tuple(steps), answers, tuple(_notes(p)))
