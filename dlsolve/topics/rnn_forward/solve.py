"""A recurrent cell (RNN, LSTM, GRU): every weight's shape and the parameter count, and with
numbers the forward pass, one time step at a time.

Shapes   W_xh: G·h × d, W_hh: G·h × h (G gate blocks stacked in rows: 1, 4 for LSTM, 3
         for GRU), W_hy: o × h; the count by conv-params' own layers (``counting``).
Numbers  PyTorch's cells (``forward_pass``, ``cells``): each gate's pre-activation and value, c_t (LSTM), h_t
         and y_t = W_hy h_t + b_y, for every row of --x.

Default: the notes' shapes question, x_t 5 × 1, 10 hidden units, output 20 → W_xh 10 × 5,
W_hh 10 × 10, W_hy 20 × 10, 380 parameters (Keras-style).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dlsolve.core.derivation import Derivation, Note, Step, line
from dlsolve.core.inputs import Choice, Field, InputError, Integer, Matrix, Vector
from dlsolve.topics.conv_params.layers import KERAS, MAX_SIZE, PYTORCH
from dlsolve.topics.rnn_forward.counting import (CELLS, GRU, LSTM, MAX_STEPS, MAX_WORK, RNN, Sizes, count_lines, parameters, plural,
                                                  shape_lines, shapes)

COMMAND = "rnn-forward"
NOTES_SIZES = Sizes(5, 10, 20)  # the notes' question: x_t 5 × 1, 10 hidden units, output 20
NUMBER_OPTIONS = ("x", "h0", "c0", "w_ih", "w_hh", "b_ih", "b_hh", "w_hy", "b_y", "activation")

FIELDS = (
    Field("cell", Choice(CELLS), RNN),
    Field("input_size", Integer(1, MAX_SIZE), None),  # None: the notes' 5 (or --x's columns)
    Field("hidden_size", Integer(1, MAX_SIZE), None),  # None: the notes' 10 (or from --w-hh)
    Field("output_size", Integer(1, MAX_SIZE), None),  # None: the notes' 20 with the notes' sizes, else no output
    Field("framework", Choice((KERAS, PYTORCH)), KERAS),
    Field("x", Matrix(MAX_WORK, MAX_STEPS), None),
    Field("h0", Vector(MAX_WORK), None),
    Field("c0", Vector(MAX_WORK), None),
    Field("w_ih", Matrix(MAX_WORK), None),
    Field("w_hh", Matrix(MAX_WORK), None),
    Field("b_ih", Vector(MAX_WORK), None),
    Field("b_hh", Vector(MAX_WORK), None),
    Field("w_hy", Matrix(MAX_WORK), None),
    Field("b_y", Vector(MAX_WORK), None),
    Field("activation", Choice(("tanh", "relu")), None),  # None: tanh (rnn only)
)


def _sizes(inputs: Mapping[str, Any]) -> Sizes:
    """Shapes only: --input-size and --hidden-size (both, or neither for the notes' sizes)."""
    d, h, o = inputs["input_size"], inputs["hidden_size"], inputs["output_size"]
    if d is None and h is None:
        if o is not None:
            raise InputError("--output-size", "give --input-size and --hidden-size too (or no size, for the notes' 5, 10 and 20)")
        return NOTES_SIZES
    if d is None or h is None:
        missing = "--input-size" if d is None else "--hidden-size"
        raise InputError(missing, "give --input-size and --hidden-size together (or neither, for the notes' sizes)")
    return Sizes(d, h, o)


def _count_step(cell: str, sizes: Sizes, framework: str) -> tuple[Step, int]:
    counted = parameters(cell, sizes, framework)
    style = "Keras" if framework == KERAS else "PyTorch"
    step = Step(line(f"Parameter count ({style}), by conv-params' formula"), tuple(count_lines(cell, sizes, counted)), ("params",))
    return step, counted.total


# --- notes --------------------------------------------------------------------------------


def _notes(cell: str, framework: str, numbers: bool, default: bool) -> list[Note]:
    notes: list[Note] = []
    if default:
        notes.append(Note(line("The notes' question: $x_t$ is 5 × 1, 10 hidden units, an output of 20 → $W_{xh}$ (the notes' "
                               "ω₁) 10 × 5, $W_{hh}$ (ω₁₁) 10 × 10, $W_{hy}$ (ω₂) 20 × 10.")))
    if framework == KERAS:
        notes.append(Note(line("Counted Keras-style: one bias vector per gate block (b_h; for rnn and lstm it stands for "
                               "b_ih + b_hh, which only act as a sum), GRU with reset_after=True (the TF 2 default) "
                               "keeping 2 bias vectors (2 × 3h). --framework pytorch counts b_ih and b_hh.")))
    else:
        notes.append(Note(line("Counted PyTorch-style: two bias vectors per gate block, b_ih and b_hh "
                               "(torch.nn.RNN/LSTM/GRU); --framework keras counts one (GRU: two, reset_after=True).")))
    if numbers:
        notes.append(Note(line("Numbers in PyTorch's layout (torch.nn.RNNCell, LSTMCell, GRUCell): the gate blocks stacked in "
                               "the rows of W_ih and W_hh, an input bias b_ih and a recurrent bias b_hh; --b-hh left at zeros "
                               "makes b_ih the one bias of the notes and Keras.")))
    keras = {RNN: "Keras' SimpleRNN stores kernel = W_ihᵀ (input × hidden), recurrent_kernel = W_hhᵀ and bias = b_ih + b_hh.",
             LSTM: "Keras' LSTM orders its gate blocks i, f, c, o — PyTorch's i, f, g, o, the same order: kernel = W_ihᵀ, "
                   "recurrent_kernel = W_hhᵀ, bias = b_ih + b_hh (4h values).",
             GRU: "Keras' GRU orders its gate blocks z, r, h; PyTorch r, z, n: swap the first two blocks of rows (and of each "
                  "bias) before transposing (kernel = W_ihᵀ, recurrent_kernel = W_hhᵀ). With reset_after=True (the TF 2 "
                  "default) Keras computes PyTorch's GRU, r multiplying (W_hn h + b_hn), and its bias is 2 × 3h: b_ih, then "
                  "b_hh; reset_after=False (TF 1) applies r to h before W_hn and has one bias."}
    notes.append(Note(line(keras[cell])))
    if cell == LSTM:
        notes.append(Note(line("The notes write f_t = σ(W_f x_t + U_f h_{t−1} + b_f): W_f is the f block of W_ih (W_if), U_f "
                               "that of W_hh (W_hf), b_f = b_if + b_hf; the notes' C̃_t is g_t. \"4 networks\": i, f, g, o.")))
    return notes


# --- solve ------------------------------------------------------------------------------------


def _echoed_sizes(sizes: Sizes) -> dict[str, int]:
    """The sizes as inputs; no output_size without an output (a problem file has no null)."""
    return {"input_size": sizes.d, "hidden_size": sizes.h, **({"output_size": sizes.o} if sizes.o is not None else {})}


def _shapes_step(cell: str, sizes: Sizes, framework: str) -> Step:
    keys = ("shapes", *(f"shapes.{name}" for name in shapes(cell, sizes, framework)))
    return Step(line("The weights' shapes"), tuple(shape_lines(cell, sizes, framework)), keys)


def solve(inputs: Mapping[str, Any]) -> Derivation:
    """Shapes and count; with --x and weights, the forward pass step by step."""
    cell, framework = inputs["cell"], inputs["framework"]
    numbers = any(inputs[name] is not None for name in NUMBER_OPTIONS)
    echoed: dict[str, Any] = {"cell": cell, "framework": framework}
    if not numbers:
        sizes = _sizes(inputs)
        count_step, total = _count_step(cell, sizes, framework)
        echoed.update(_echoed_sizes(sizes))
        answers = {"shapes": shapes(cell, sizes, framework), "params": total}
        out = f", {plural(sizes.o, 'output')}" if sizes.o is not None else ""
        title = f"{cell.upper()} weight shapes and parameters: {plural(sizes.d, 'input')}, {plural(sizes.h, 'hidden unit')}{out}"
        notes = _notes(cell, framework, False, sizes == NOTES_SIZES)
        return Derivation(COMMAND, title, echoed, (_shapes_step(cell, sizes, framework), count_step), answers, tuple(notes))

    # the forward pass (NumPy, imported only now: the shapes need none)
    from dlsolve.topics.rnn_forward.forward_pass import forward_pass

    run = forward_pass(inputs, cell)
    sizes = run.sizes
    count_step, total = _count_step(cell, sizes, framework)
    answers = {"shapes": shapes(cell, sizes, framework), "params": total, **run.answers}
    echoed.update(_echoed_sizes(sizes), **run.echoed)
    steps = (_shapes_step(cell, sizes, framework), count_step, *run.steps)
    listed = frozenset({"h", "c", "gates", "y"} & set(answers))
    return Derivation(COMMAND, run.title, echoed, steps, answers, tuple(_notes(cell, framework, True, False)), listed)
