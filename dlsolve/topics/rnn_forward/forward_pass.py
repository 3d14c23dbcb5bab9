"""rnn-forward's forward pass: the arrays checked against the cell, every time step computed
(``cells``), then written — each gate's pre-activation and value, every unit's sum for small
sizes, vectors beyond (the middle of a long one elided), the first and last steps of a long
sequence with a table of every h_t. Imported only when numbers are given: the shapes need no
NumPy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from dlsolve.core.derivation import Block, Num, Part, Step, Table, joined, line, math
from dlsolve.core.inputs import InputError
from dlsolve.topics.rnn_forward.cells import StepValues, Weights, forward
from dlsolve.topics.rnn_forward.counting import GATES, GRU, LSTM, MAX_WORK, RNN, Sizes, blocks, plural

DETAIL_MAX = 3  # input and hidden sizes up to this: every unit's sum written out
VECTOR_MAX = 10  # longer vectors are written with their middle elided
HEAD, TAIL = 5, 2  # the first and last values of an elided vector
STEPS_SHOWN = 12  # up to this many time steps written; beyond, the first 6 and the last 2
SIGMA, TANH_F = r"\sigma", r"\tanh"


# --- the problem and its validation -----------------------------------------------------


class Numbers(NamedTuple):
    """A forward pass: the inputs (one row per step), the start states and the weights."""

    X: np.ndarray
    h0: np.ndarray
    c0: np.ndarray | None
    w: Weights
    activation: str


def _shape(M: np.ndarray) -> str:
    return f"{M.shape[0]}×{M.shape[1]}"


def _vector(inputs: Mapping[str, Any], name: str, n: int, what: str) -> np.ndarray:
    """An optional vector of ``n`` values (``what`` says why n), zeros by default."""
    given = inputs[name]
    if given is None:
        return np.zeros(n)
    if len(given) != n:
        raise InputError(f"--{name.replace('_', '-')}", f"expected {n:,} values ({what}), got {len(given):,}")
    return np.array(given, dtype=float)


def _numbers(inputs: Mapping[str, Any], cell: str) -> tuple[Numbers, Sizes]:
    """The forward pass's arrays, every shape checked against the cell's (InputError)."""
    missing = [f"--{n.replace('_', '-')}" for n in ("x", "w_ih", "w_hh") if inputs[n] is None]
    if missing:
        raise InputError(missing[0], "a forward pass needs --x, --w-ih and --w-hh "
                                     f"(missing: {', '.join(missing)}); without numbers give sizes only")
    G = blocks(cell)
    X, W_ih, W_hh = (np.array(inputs[n], dtype=float) for n in ("x", "w_ih", "w_hh"))
    h, d, T = W_hh.shape[1], X.shape[1], X.shape[0]
    if W_hh.shape != (G * h, h):
        why = "hidden × hidden, a square matrix" if G == 1 else f"{G}·hidden × hidden for {cell}, hidden = its {h} columns"
        raise InputError("--w-hh", f"expected {G * h}×{h} ({why}), got {_shape(W_hh)}")
    if W_ih.shape != (G * h, d):
        gates = "hidden" if G == 1 else f"{G}·hidden"
        raise InputError("--w-ih", f"expected {G * h}×{d} ({gates} × input for {cell}: hidden {h} from --w-hh, "
                                   f"input {d} from --x's columns), got {_shape(W_ih)}")
    W_hy = np.array(inputs["w_hy"], dtype=float) if inputs["w_hy"] is not None else None
    if W_hy is not None and W_hy.shape[1] != h:
        raise InputError("--w-hy", f"expected {W_hy.shape[0]}×{h} (outputs × hidden, hidden {h} from --w-hh), got {_shape(W_hy)}")
    if W_hy is None and inputs["b_y"] is not None:
        raise InputError("--b-y", "goes with --w-hy (the output y_t = W_hy h_t + b_y)")
    o = None if W_hy is None else W_hy.shape[0]
    for name, given, size in (("--input-size", inputs["input_size"], d), ("--hidden-size", inputs["hidden_size"], h),
                              ("--output-size", inputs["output_size"], o)):
        if given is not None and given != size:
            source = {"--input-size": "--x's columns", "--hidden-size": "--w-hh", "--output-size": "--w-hy's rows"}[name]
            raise InputError(name, f"{given} disagrees with the weights: {size if size is not None else 'no output'} from {source}")
    work = T * (G * h * (d + h) + (o or 0) * h)
    if work > MAX_WORK:
        raise InputError("--x/--w-ih/--w-hh", f"{T:,} steps need {work:,} multiply-adds; at most {MAX_WORK:,} "
                                              "(this tool is for exercises)")
    if cell != LSTM and inputs["c0"] is not None:
        raise InputError("--c0", "only an LSTM has a cell state (--cell lstm)")
    if cell != RNN and inputs["activation"] is not None:
        raise InputError("--activation", f"only --cell rnn takes an activation ({cell} uses σ and tanh in its gates)")
    gates = f"{G}·hidden" if G > 1 else "hidden"
    w = Weights(W_ih, W_hh, _vector(inputs, "b_ih", G * h, f"{gates}, one per row of --w-ih"),
                _vector(inputs, "b_hh", G * h, f"{gates}, one per row of --w-hh"), W_hy,
                None if W_hy is None else _vector(inputs, "b_y", o, "outputs, one per row of --w-hy"))
    c0 = _vector(inputs, "c0", h, "the hidden size, from --w-hh") if cell == LSTM else None
    problem = Numbers(X, _vector(inputs, "h0", h, "the hidden size, from --w-hh"), c0, w, inputs["activation"] or "tanh")
    return problem, Sizes(d, h, o)


def _finite(run: Sequence[StepValues]) -> None:
    for t, values in enumerate(run, 1):
        arrays = [*values.pre.values(), values.h, *(a for a in (values.c, values.y) if a is not None)]
        if not all(np.all(np.isfinite(a)) for a in arrays):
            raise InputError("--x/--w-ih/--w-hh", f"step {t} overflows double precision; use smaller numbers")


# --- writing vectors and sums -------------------------------------------------------------


def _vec(values: np.ndarray) -> tuple[Part, ...]:
    """``(a, b, c)``, the middle elided beyond VECTOR_MAX values."""
    items = values.tolist()
    if len(items) <= VECTOR_MAX:
        return ("(", *joined(items, ", "), ")")
    return ("(", *joined(items[:HEAD], ", "), r", \dots, ", *joined(items[-TAIL:], ", "), ")")


def _products(row: np.ndarray, v: np.ndarray) -> tuple[Part, ...]:
    """``w₁·v₁ + w₂·v₂``, negative factors in parentheses."""
    return joined([(Num(a, paren=True), r" \cdot ", Num(b, paren=True)) for a, b in zip(row.tolist(), v.tolist())], " + ")


def _sum(W: np.ndarray, b: np.ndarray, row: int, v: np.ndarray, show_bias: bool) -> tuple[Part, ...]:
    """Row ``row`` of W v + b written out (the bias left out when it is not shown)."""
    return (*_products(W[row], v), *((" + ", Num(float(b[row]), paren=True)) if show_bias else ()))


# --- the steps --------------------------------------------------------------------------------


class Layout(NamedTuple):
    """How the steps write the cell: its name, the symbols and which biases are shown."""

    cell: str
    activation: str
    detail: bool  # every unit's sum written out
    show_b_hh: bool  # b_hh is written (not all zeros)

    def function(self, gate: str) -> str:
        if self.cell == RNN:
            return TANH_F if self.activation == "tanh" else r"\operatorname{ReLU}"
        return TANH_F if gate in ("g", "n") else SIGMA

    def symbolic(self, gate: str) -> str:
        """The gate block's pre-activation in symbols, PyTorch's names."""
        x, hh = ("W_{ih}", "W_{hh}") if self.cell == RNN else (f"W_{{i{gate}}}", f"W_{{h{gate}}}")
        bx, bh = ("b_{ih}", "b_{hh}") if self.cell == RNN else (f"b_{{i{gate}}}", f"b_{{h{gate}}}")
        recurrent = f"{hh} h_{{t-1}}" + (f" + {bh}" if self.show_b_hh else "")
        if self.cell == GRU and gate == "n":
            return f"{x} x_t + {bx} + r_t \\odot ({recurrent})"
        return f"{x} x_t + {bx} + {recurrent}"


def _cell_formulas(layout: Layout) -> list[Block]:
    """The cell's equations, once."""
    L = layout
    if L.cell == RNN:
        f = L.function("a")
        return [math(f"a_t = {L.symbolic('a')}"), math(f"h_t = {f}(a_t)"),
                line("($W_{ih}$ is the notes' $W_{xh}$ (ω₁), $W_{hh}$ their ω₁₁)")]
    body: list[Block] = [math(f"{g}_t = {L.function(g)}({L.symbolic(g)})") for g in GATES[L.cell]]
    if L.cell == LSTM:
        body += [math(r"c_t = f_t \odot c_{t-1} + i_t \odot g_t"), math(r"h_t = o_t \odot \tanh(c_t)")]
    else:
        body.append(math(r"h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}"))
    body.append(line("($\\odot$: element by element; $\\sigma(a) = 1/(1 + e^{-a})$)"))
    blocks_of = ", ".join(f"$W_{{i{g}}}$" for g in GATES[L.cell])
    body.append(line(f"({blocks_of} are the row blocks of $W_{{ih}}$ = $W_{{xh}}$; likewise for $W_{{hh}}$ and the biases)"))
    return body


def _unit_pre(L: Layout, p: Numbers, g: str, row: int, j: int, x: np.ndarray, h_prev: np.ndarray, v: StepValues) -> tuple[Part, ...]:
    """One unit's pre-activation written out with its numbers; GRU's n then as its two parts,
    W_in x + b_in + r·(W_hn h + b_hn)."""
    inner = (*_sum(p.w.W_ih, p.w.b_ih, row, x, True), " + ")
    recurrent = _sum(p.w.W_hh, p.w.b_hh, row, h_prev, L.show_b_hh)
    if L.cell == GRU and g == "n":
        r = Num(float(v.gates["r"][j]), paren=True)
        f = L.function(g)
        return (*inner, r, r" \cdot (", *recurrent, f")) = {f}(", Num(float(v.parts[g].x_part[j])), " + ", r, r" \cdot ",
                Num(float(v.parts[g].h_part[j]), paren=True))
    return (*inner, *recurrent)


def _gate_lines(L: Layout, p: Numbers, t: int, x: np.ndarray, h_prev: np.ndarray, v: StepValues) -> list[Block]:
    """Each gate block's pre-activation and value at step t (the RNN's a_t: its pre-activation)."""
    n = p.w.h
    body: list[Block] = []
    for k, g in enumerate(GATES[L.cell]):
        f = L.function(g)
        symbol = f"a_{{{t}}}" if L.cell == RNN else f"{g}_{{{t}}}"
        if not L.detail:
            if L.cell == RNN:
                body.append(math(f"{symbol} = {L.symbolic(g)} = ", *_vec(v.pre[g])))
            else:
                body.append(math(f"{symbol} = {f}", *_vec(v.pre[g]), " = ", *_vec(v.gates[g])))  # f element by element
            continue
        for j in range(n):
            name = f"{symbol[:-1]},{j + 1}}}" if n > 1 else symbol
            written = _unit_pre(L, p, g, k * n + j, j, x, h_prev, v)
            pre = float(v.pre[g][j])
            if L.cell == RNN:
                body.append(math(f"{name} = ", *written, " = ", pre))
            else:
                middle = () if L.cell == GRU and g == "n" else (f") = {f}(", pre)  # n: its parts add up in the last ( )
                body.append(math(f"{name} = {f}(", *written, *middle, ") = ", float(v.gates[g][j])))
    return body


def _state_lines(L: Layout, p: Numbers, t: int, h_prev: np.ndarray, c_prev: np.ndarray | None, v: StepValues) -> list[Block]:
    """c_t (LSTM) and h_t, then y_t."""
    f = L.function("a")
    body: list[Block] = []
    if not L.detail:
        if L.cell == RNN:
            body.append(math(f"h_{{{t}}} = {f}(a_{{{t}}}) = ", *_vec(v.h)))
        elif L.cell == LSTM:
            body.append(math(f"c_{{{t}}} = f_{{{t}}} \\odot c_{{{t - 1}}} + i_{{{t}}} \\odot g_{{{t}}} = ", *_vec(v.c)))
            body.append(math(f"h_{{{t}}} = o_{{{t}}} \\odot \\tanh(c_{{{t}}}) = ", *_vec(v.h)))
        else:
            body.append(math(f"h_{{{t}}} = (1 - z_{{{t}}}) \\odot n_{{{t}}} + z_{{{t}}} \\odot h_{{{t - 1}}} = ", *_vec(v.h)))
    else:
        n = p.w.h
        for j in range(n):
            u = f",{j + 1}" if n > 1 else ""
            g = {k: Num(float(a[j]), paren=True) for k, a in v.gates.items()}
            if L.cell == RNN:
                body.append(math(f"h_{{{t}{u}}} = {f}(", Num(float(v.pre['a'][j])), ") = ", float(v.h[j])))
            elif L.cell == LSTM:
                body.append(math(f"c_{{{t}{u}}} = ", g["f"], r" \cdot ", Num(float(c_prev[j]), paren=True), " + ", g["i"], r" \cdot ",
                                 g["g"], " = ", float(v.c[j])))
                body.append(math(f"h_{{{t}{u}}} = ", g["o"], r" \cdot \tanh(", Num(float(v.c[j])), ") = ", float(v.h[j])))
            else:
                body.append(math(f"h_{{{t}{u}}} = (1 - ", g["z"], r") \cdot ", g["n"], " + ", g["z"], r" \cdot ",
                                 Num(float(h_prev[j]), paren=True), " = ", float(v.h[j])))
    if v.y is not None:
        if L.detail and len(v.y) <= DETAIL_MAX:
            for k in range(len(v.y)):
                u = f",{k + 1}" if len(v.y) > 1 else ""
                body.append(math(f"y_{{{t}{u}}} = ", *_sum(p.w.W_hy, p.w.b_y, k, v.h, True), " = ", float(v.y[k])))
        else:
            body.append(math(f"y_{{{t}}} = W_{{hy}} h_{{{t}}} + b_y = ", *_vec(v.y)))
    return body


def _time_step(L: Layout, p: Numbers, t: int, run: Sequence[StepValues]) -> Step:
    v = run[t - 1]
    h_prev = run[t - 2].h if t > 1 else p.h0
    c_prev = (run[t - 2].c if t > 1 else p.c0) if L.cell == LSTM else None
    x = p.X[t - 1]
    body: list[Block] = [math(f"x_{{{t}}} = ", *_vec(x), f", \\quad h_{{{t - 1}}} = ", *_vec(h_prev),
                              *((f", \\quad c_{{{t - 1}}} = ", *_vec(c_prev)) if c_prev is not None else ()))]
    body += _gate_lines(L, p, t, x, h_prev, v)
    body += _state_lines(L, p, t, h_prev, c_prev, v)
    keys = [f"h.{t}", f"gates.{t}", *(f"gates.{t}.{g}" for g in GATES[L.cell]), *([f"c.{t}"] if L.cell == LSTM else []), *([f"y.{t}"] if v.y is not None else [])]
    return Step(line(f"Time step {t}"), tuple(body), tuple(keys))


def _shown_steps(T: int) -> list[int]:
    """Every step up to STEPS_SHOWN, else the first six and the last two."""
    return list(range(1, T + 1)) if T <= STEPS_SHOWN else [*range(1, 7), T - 1, T]


def _history_step(run: Sequence[StepValues], shown: Sequence[int]) -> Step:
    """h_t of every step in one table (the steps not written out included)."""
    hidden = [t for t in range(1, len(run) + 1) if t not in shown]
    header = ("$t$", *(f"$h_{{t,{j}}}$" for j in range(1, len(run[0].h) + 1)))
    rows = tuple((t, *values.h.tolist()) for t, values in enumerate(run, 1))
    lead = line(f"Steps {hidden[0]}–{hidden[-1]} are computed the same way (every value is in the JSON answers); "
                "the hidden state after each step:")
    return Step(line("The hidden state at every step"), (lead, Table(line("$h_t$"), header, rows)), ("h",))


class Pass(NamedTuple):
    """The forward pass as the solution shows it."""

    sizes: Sizes
    steps: list[Step]
    answers: dict[str, Any]  # h, c (lstm), gates, y
    echoed: dict[str, Any]  # the numbers, defaults filled in
    title: str


def forward_pass(inputs: Mapping[str, Any], cell: str) -> Pass:
    """Validate, compute every step, then write the steps (the cell's equations first)."""
    p, sizes = _numbers(inputs, cell)
    run = forward(cell, p.activation, p.w, p.X, p.h0, p.c0)
    _finite(run)
    layout = Layout(cell, p.activation, sizes.d <= DETAIL_MAX and sizes.h <= DETAIL_MAX, bool(np.any(p.w.b_hh)))
    shown = _shown_steps(len(run))
    steps = [Step(line(f"The {cell.upper()} cell (PyTorch's layout)"), tuple(_cell_formulas(layout))),
             *(_time_step(layout, p, t, run) for t in shown)]
    if len(shown) < len(run):
        steps.append(_history_step(run, shown))

    answers: dict[str, Any] = {"h": [v.h.tolist() for v in run]}
    if cell == LSTM:
        answers["c"] = [v.c.tolist() for v in run]
    answers["gates"] = [{g: v.gates[g].tolist() for g in GATES[cell]} for v in run]
    answers["y"] = [v.y.tolist() for v in run] if p.w.W_hy is not None else None
    echoed: dict[str, Any] = {"x": p.X.tolist(), "h0": p.h0.tolist()}
    if cell == LSTM:
        echoed["c0"] = p.c0.tolist()
    echoed.update(w_ih=p.w.W_ih.tolist(), w_hh=p.w.W_hh.tolist(), b_ih=p.w.b_ih.tolist(), b_hh=p.w.b_hh.tolist())
    if p.w.W_hy is not None:
        echoed.update(w_hy=p.w.W_hy.tolist(), b_y=p.w.b_y.tolist())
    if cell == RNN:
        echoed["activation"] = p.activation
    title = f"{cell.upper()} forward pass: {plural(len(run), 'step')}, {plural(sizes.d, 'input')}, {plural(sizes.h, 'hidden unit')}"
    return Pass(sizes, steps, answers, echoed, title)
