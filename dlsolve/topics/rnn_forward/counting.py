"""The weights of a recurrent cell: every shape with what it produces and what it reads, and
the parameter count done by ``conv-params``' own layers (``SimpleRNN``, ``LSTM``, ``GRU``
and a ``Dense`` output), so both commands give the same number (the notes' LSTM(128) on 64
inputs: 98,816); the cells' names and the cap on a forward pass. No NumPy.
"""

from __future__ import annotations

from typing import NamedTuple

from dlsolve.core.derivation import Block, Line, line, math
from dlsolve.topics.conv_params.layers import KERAS, Context, Output, bind, count, run
from dlsolve.topics.conv_params.parse import parse_layer

MAX_WORK = 2_000_000  # a forward pass's multiply-adds: steps × (G·h·(d + h) + o·h)
MAX_STEPS = 1_000  # time steps (rows of --x): an exercise has a handful
RNN, LSTM, GRU = "rnn", "lstm", "gru"
CELLS = (RNN, LSTM, GRU)
GATES = {RNN: ("a",), LSTM: ("i", "f", "g", "o"), GRU: ("r", "z", "n")}  # PyTorch's row blocks, in order
KERAS_LAYER = {RNN: "SimpleRNN", LSTM: "LSTM", GRU: "GRU"}


class Sizes(NamedTuple):
    """Input size d, hidden size h and output size o (None: no output layer)."""

    d: int
    h: int
    o: int | None


def plural(n: int, noun: str) -> str:
    """``1 input``, ``5 inputs`` (thousands separated)."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def blocks(cell: str) -> int:
    """Gate blocks stacked in W_ih's rows: 1, 4 (LSTM) or 3 (GRU)."""
    return len(GATES[cell])


def shapes(cell: str, sizes: Sizes, framework: str) -> dict[str, list[int]]:
    """The ``shapes`` answer: W_xh and W_hh (gate blocks stacked in rows, as PyTorch stores
    them), the bias(es) as the framework stores them, W_hy and b_y with an output."""
    G, d, h, o = blocks(cell), *sizes
    out = {"W_xh": [G * h, d], "W_hh": [G * h, h]}
    if framework == KERAS:
        out["b_h"] = [2, G * h] if cell == GRU else [G * h]
    else:
        out["b_ih"], out["b_hh"] = [G * h], [G * h]
    if o is not None:
        out["W_hy"], out["b_y"] = [o, h], [o]
    return out


def _stacked(cell: str, h: int) -> str:
    """``4 gate blocks (i, f, g, o) of 10 rows`` for a gated cell."""
    return f"{blocks(cell)} gate blocks ({', '.join(GATES[cell])}) of {plural(h, 'row')} each, stacked"


def shape_lines(cell: str, sizes: Sizes, framework: str) -> list[Block]:
    """Each weight's shape and why: rows = what it produces, columns = what it reads."""
    G, d, h, o = blocks(cell), *sizes
    rows = f"the {plural(h, 'hidden unit')}" if G == 1 else _stacked(cell, h)
    body: list[Block] = [
        line(f"$x_t$: {d:,} × 1 (one input vector per step), $h_t$: {h:,} × 1 (the hidden state)"
             + (f", $y_t$: {o:,} × 1" if o is not None else "")),
        line("A weight matrix has one row per value it produces and one column per value it reads:"),
        line(f"$W_{{xh}}$: {G * h:,} × {d:,} — rows: {rows}; columns: the {plural(d, 'input')} of $x_t$"),
        line(f"$W_{{hh}}$: {G * h:,} × {h:,} — rows: {rows}; columns: the {plural(h, 'unit')} of $h_{{t-1}}$"),
    ]
    if framework == KERAS and cell == GRU:
        body.append(line(f"$b_h$: 2 × {G * h:,} — reset_after=True: an input bias and a recurrent bias for every gate row"))
    elif framework == KERAS:
        body.append(line(f"$b_h$: {G * h:,} — one bias for every row of $W_{{xh}}$"))
    else:
        body.append(line(f"$b_{{ih}}$, $b_{{hh}}$: {G * h:,} each — PyTorch keeps an input and a recurrent bias for every row"))
    if o is not None:
        body.append(line(f"$W_{{hy}}$: {o:,} × {h:,} — rows: the {plural(o, 'output')} of $y_t$; columns: the {plural(h, 'unit')} of $h_t$"))
        body.append(line(f"$b_y$: {o:,} — one bias per output"))
    body.append(math(f"W_{{xh}} x_t: ({G * h:,} \\times {d:,})({d:,} \\times 1) = {G * h:,} \\times 1, \\quad "
                     f"W_{{hh}} h_{{t-1}}: ({G * h:,} \\times {h:,})({h:,} \\times 1) = {G * h:,} \\times 1"))
    if o is not None:
        body.append(math(f"W_{{hy}} h_t: ({o:,} \\times {h:,})({h:,} \\times 1) = {o:,} \\times 1"))
    return body


class Count(NamedTuple):
    """The parameter count: the recurrent layer's and the output layer's (conv-params'
    outputs) and the total."""

    recurrent: Output
    output: Output | None
    total: int


def layer_texts(cell: str, sizes: Sizes) -> tuple[str, ...]:
    """The Keras layers conv-params counts: ``LSTM(128)`` and, with an output, ``Dense(20)``."""
    texts = (f"{KERAS_LAYER[cell]}({sizes.h})",)
    return texts if sizes.o is None else (*texts, f"Dense({sizes.o})")


def parameters(cell: str, sizes: Sizes, framework: str) -> Count:
    """Counted by conv-params' layers on a sequence of d features per step."""
    recurrent, *dense = layer_texts(cell, sizes)
    rnn = run(bind(parse_layer(recurrent, "--hidden-size")), (None, sizes.d), Context(framework))
    out = run(bind(parse_layer(dense[0], "--output-size")), rnn.shape, Context(framework, True)) if dense else None
    return Count(rnn, out, rnn.params + (out.params if out else 0))


def _is_count(block: Block) -> bool:
    """conv-params' counting equations (``params = …``, ``one gate = …``), not its shape lines."""
    return isinstance(block, Line) and any(isinstance(p, str) and p.startswith(("\\text{params}", "\\text{one gate}"))
                                           for p in block.parts)


def count_lines(cell: str, sizes: Sizes, counted: Count) -> list[Block]:
    """The count as conv-params writes it, layer by layer, and the total."""
    recurrent, *dense = layer_texts(cell, sizes)
    body: list[Block] = [line(f"{recurrent}, as dlsolve conv-params counts it:"),
                         *(b for b in counted.recurrent.body if _is_count(b))]
    if counted.output is not None:
        body += [line(f"{dense[0]} (the output $y_t = W_{{hy}} h_t + b_y$):"), *(b for b in counted.output.body if _is_count(b))]
        body.append(math(f"\\text{{total}} = {count(counted.recurrent.params)} + {count(counted.output.params)} = "
                         f"{count(counted.total)}"))
    return body
