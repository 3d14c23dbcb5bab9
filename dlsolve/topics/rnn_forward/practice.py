"""Recurrent-network exercises: the weights' shapes and parameter count (easy), two steps of
a small tanh RNN (exam), one LSTM or GRU step (hard).

Exam-friendly means: weights and inputs with one decimal (mostly −1 … 1), one or two hidden
units, at most two inputs, so every sum is a few products a person writes out.
"""

from __future__ import annotations

from dlsolve.core.derivation import Part, line
from dlsolve.practice.draw import Draw
from dlsolve.practice.exercise import Generated, Question, counted, given, vector

TITLE = "Recurrent networks: shapes and forward pass"
NAMES = {"rnn": "simple RNN", "lstm": "LSTM", "gru": "GRU"}


def _tenths(draw: Draw, n: int, low: int = -10, high: int = 10) -> list[float]:
    return [draw.integer(low, high) / 10 for _ in range(n)]


def _matrix(draw: Draw, rows: int, cols: int) -> list[list[float]]:
    return [_tenths(draw, cols) for _ in range(rows)]


def _rows(M: list[list[float]]) -> tuple[Part, ...]:
    """``[0.5, −0.2; 0.1, 0.3]`` as math parts (rows separated by ;)."""
    parts: list[Part] = ["["]
    for i, row in enumerate(M):
        if i:
            parts.append("; ")
        for j, v in enumerate(row):
            parts += [", "] * bool(j) + [given(v)]
    return (*parts, "]")


def _shapes(draw: Draw) -> Generated:
    cell = draw.choice(("rnn", "lstm", "gru"))
    d, h, o = draw.integer(2, 12), draw.choice((4, 8, 10, 16, 32, 64)), draw.integer(1, 10)
    framework = draw.choice(("keras", "pytorch"))
    problem = {"cell": cell, "input_size": d, "hidden_size": h, "output_size": o, "framework": framework}
    statement = (line(f"{'An' if cell == 'lstm' else 'A'} {NAMES[cell]} layer reads an input $x_t$ of {d} values at every step and has {h} hidden units; "
                      f"a dense layer turns each $h_t$ into an output $y_t$ of {o} values."),
                 line("Write the weights as $W x$ (one row per value produced), gate blocks stacked in rows as PyTorch does."
                      if cell != "rnn" else "Write the weights as $W x$ (one row per value produced)."))
    style = "Keras (one bias vector per gate block; GRU with reset_after=True: two)" if framework == "keras" else \
        "PyTorch (two bias vectors per gate block, b_ih and b_hh)"
    questions = (Question(line("Give the shapes of $W_{xh}$, $W_{hh}$ and $W_{hy}$."), ("shapes.W_xh", "shapes.W_hh", "shapes.W_hy")),
                 Question(line(f"How many parameters does the model have, counted as {style}?"), ("params",)))
    return Generated(problem, statement, questions, f"{NAMES[cell]} shapes, {d} inputs, {h} hidden, {o} outputs, {framework}")


def _rnn(draw: Draw) -> Generated:
    h, d = draw.integer(1, 2), draw.integer(1, 2)
    problem = {"cell": "rnn", "x": _matrix(draw, 2, d), "w_ih": _matrix(draw, h, d), "w_hh": _matrix(draw, h, h),
               "b_ih": _tenths(draw, h, -5, 5)}
    statement = (line(f"A simple RNN with {counted(h, 'hidden unit')} and tanh: $h_t = \\tanh(W_{{xh}} x_t + W_{{hh}} h_{{t-1}} + b)$, "
                      "$h_0 = 0$."),
                 line("$W_{xh} = ", *_rows(problem["w_ih"]), "$, $W_{hh} = ", *_rows(problem["w_hh"]), "$, $b = ",
                      *vector(problem["b_ih"]), "$."),
                 line("The inputs: $x_1 = ", *vector(problem["x"][0]), "$, $x_2 = ", *vector(problem["x"][1]), "$."))
    questions = (Question(line("Compute $h_1$."), ("h.1",)), Question(line("Compute $h_2$."), ("h.2",)))
    return Generated(problem, statement, questions, f"2 steps of a tanh RNN, {d} input{'s' * (d > 1)}, {h} hidden")


def _gated(draw: Draw) -> Generated:
    cell = draw.choice(("lstm", "gru"))
    gates, d = ("i", "f", "g", "o") if cell == "lstm" else ("r", "z", "n"), draw.integer(1, 2)
    problem: dict = {"cell": cell, "x": _matrix(draw, 1, d), "w_ih": _matrix(draw, len(gates), d),
                     "w_hh": _matrix(draw, len(gates), 1), "h0": _tenths(draw, 1, -5, 5)}
    if cell == "lstm":
        problem["c0"] = _tenths(draw, 1, -5, 5)
    equations = ("LSTM: $i, f, o = \\sigma(\\cdot)$, $g = \\tanh(\\cdot)$, $c_1 = f c_0 + i g$, $h_1 = o \\tanh(c_1)$."
                 if cell == "lstm" else
                 "GRU: $r, z = \\sigma(\\cdot)$, $n = \\tanh(W_{in} x_1 + r (W_{hn} h_0))$, $h_1 = (1 - z) n + z h_0$.")
    statement = (line(f"One step of {'an' if cell == 'lstm' else 'a'} {NAMES[cell]} cell with one hidden unit (PyTorch's equations, no biases): "
                      "$W_{ih} = ", *_rows(problem["w_ih"]), "$ and $W_{hh} = ", *_rows(problem["w_hh"]),
                      f"$, one row per gate ({', '.join(gates)})."),
                 line("$x_1 = ", *vector(problem["x"][0]), "$, $h_0 = ", given(problem["h0"][0]), "$",
                      *((", $c_0 = ", given(problem["c0"][0]), "$") if cell == "lstm" else ()), "."),
                 line(equations))
    states = ("c.1", "h.1") if cell == "lstm" else ("h.1",)
    questions = (Question(line("Compute every gate's value."), tuple(f"gates.1.{g}" for g in gates)),
                 Question(line("Compute $c_1$ and $h_1$." if cell == "lstm" else "Compute $h_1$."), states))
    return Generated(problem, statement, questions, f"one {NAMES[cell]} step, {d} input{'s' * (d > 1)}, 1 hidden")


def generate(draw: Draw, level: str) -> Generated:
    return {"easy": _shapes, "exam": _rnn, "hard": _gated}[level](draw)
