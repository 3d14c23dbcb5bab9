"""The rnn-forward topic: the command ``dlsolve rnn-forward`` (its options; its docstring is
its help), no NumPy. Beside it: solve.py (the steps), counting.py (shapes and the count,
through conv-params' layers), cells.py (the maths), slips.py (for check), practice.py (the
exercise generator)."""

from __future__ import annotations

from typing import Annotated, Optional

from dlsolve.commands._shared import solver_command, value

NAME = "rnn-forward"
EPILOG = """\b
Examples:
  dlsolve rnn-forward
      the notes' shapes: x_t 5×1, 10 hidden, output 20 → W_xh 10×5, W_hh 10×10,
      W_hy 20×10, 380 parameters
  dlsolve rnn-forward --cell lstm --input-size 64 --hidden-size 128
      the notes' LSTM(128) on 64 inputs: 4 × (128·(64 + 128) + 128) = 98,816
  dlsolve rnn-forward --cell gru --input-size 64 --hidden-size 128 --framework pytorch
      PyTorch's count, b_ih and b_hh for every gate block
  dlsolve rnn-forward --x "1; 0.5" --w-ih 0.5 --w-hh 0.8 --b-ih 0.1
      two steps of a 1-unit tanh RNN, every sum with its numbers
  dlsolve rnn-forward --cell lstm --x "1, 2" --w-ih "0.1,0.2; 0.3,0.4; 0.5,0.6; 0.7,0.8" --w-hh "0.1; 0.2; 0.3; 0.4"
      one LSTM step: i, f, g, o, c_1 and h_1 (gates stacked in rows: i, f, g, o)
"""


@solver_command(NAME)
def command(
    cell: Annotated[Optional[str], value("CELL", "rnn (default), lstm or gru.")] = None,
    input_size: Annotated[Optional[str], value("D", "Inputs per step, the length of x_t (shapes only; default the notes' 5).")] = None,
    hidden_size: Annotated[Optional[str], value("H", "Hidden units (shapes only; default the notes' 10).")] = None,
    output_size: Annotated[Optional[str], value("O", "Outputs y_t = W_hy h_t + b_y (shapes only; default the notes' 20 with the notes' sizes, else none).")] = None,
    framework: Annotated[Optional[str], value("NAME", "How parameters are counted: keras (default; one bias per gate block, GRU reset_after=True: two) or pytorch (b_ih and b_hh).")] = None,
    x: Annotated[Optional[str], value("MATRIX", 'The inputs, one row per time step: "1, 0; 0.5, -1" (2 steps of 2 inputs). Adds the forward pass.')] = None,
    h0: Annotated[Optional[str], value("VECTOR", "The hidden state before step 1 (default zeros).")] = None,
    c0: Annotated[Optional[str], value("VECTOR", "The LSTM's cell state before step 1 (default zeros).")] = None,
    w_ih: Annotated[Optional[str], value("MATRIX", "Input weights, PyTorch's layout: G·hidden × input, gate blocks stacked in rows (lstm: i, f, g, o; gru: r, z, n).")] = None,
    w_hh: Annotated[Optional[str], value("MATRIX", "Recurrent weights, G·hidden × hidden, the same gate order; the hidden size is its number of columns.")] = None,
    b_ih: Annotated[Optional[str], value("VECTOR", "Input bias, G·hidden values (default zeros).")] = None,
    b_hh: Annotated[Optional[str], value("VECTOR", "Recurrent bias, G·hidden values (default zeros: one bias, the Keras case).")] = None,
    w_hy: Annotated[Optional[str], value("MATRIX", "Output weights, outputs × hidden: adds y_t = W_hy h_t + b_y.")] = None,
    b_y: Annotated[Optional[str], value("VECTOR", "Output bias, one per row of --w-hy (default zeros).")] = None,
    activation: Annotated[Optional[str], value("NAME", "The RNN's activation: tanh (default) or relu.")] = None,
) -> None:
    """Recurrent cells (RNN, LSTM, GRU): weight shapes, parameter count, the forward pass step by step.

    Every weight's shape and why (rows = what it produces, columns = what it reads) and
    the parameter count by conv-params' formula. With --x, --w-ih and --w-hh (PyTorch's
    layout), every time step: each gate's pre-activation and value (i, f, g, o, c_t, h_t
    for LSTM; r, z, n with r inside n, h_t for GRU), h_t and y_t; every unit's sum for small
    sizes, vectors beyond. With no inputs: the course notes' question (W_xh 10×5, W_hh
    10×10, W_hy 20×10).

    Limits (an exercise tool): sizes below 1,000,000,000; a forward pass of at most 1,000
    time steps and 2,000,000 multiply-adds (steps × (G·hidden·(input + hidden) +
    outputs·hidden)).
    """
