"""The backprop topic: the command ``dlsolve backprop`` (its options; its docstring
is its help), no NumPy. Beside it: solve.py (the maths), slips.py (for check), practice.py
(the exercise generator)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from dlsolve.commands._shared import solver_command, value

NAME = "backprop"
EPILOG = """\b
Examples:
  dlsolve backprop
      the notes' 2-2-2 sigmoid network (w1..w8), one gradient-descent step
  dlsolve backprop --activation tanh --epochs 5
  dlsolve backprop --x 1,0 --target 1 --weights "0.5,-0.5; 0.3,0.8" --weights "1,-1" --biases 0 --biases 0.1 --loss bce
      a 2-2-1 network: one --weights matrix per layer (rows = receiving units)
"""


@solver_command(NAME)
def command(
    x: Annotated[Optional[str], value("VECTOR", "Input vector (one training example), e.g. 0.05,0.10.")] = None,
    target: Annotated[Optional[str], value("VECTOR", "Target output vector, e.g. 0.01,0.99.")] = None,
    weights: Annotated[Optional[list[str]], value("MATRIX", 'One weight matrix per layer, repeated in order; rows = receiving units: "0.15,0.20; 0.25,0.30".')] = None,
    biases: Annotated[Optional[list[str]], value("VECTOR", "One bias vector per layer, repeated in order; a single number is used for every unit of its layer. Default: the notes' 0.35 and 0.60, or 0 for another network.")] = None,
    activation: Annotated[Optional[list[str]], value("NAME", "sigmoid, tanh, relu or linear: once for all layers or once per layer (default sigmoid).")] = None,
    loss: Annotated[Optional[str], value("NAME", "mse: E = ½Σ(t − y)² (default), or bce: binary cross-entropy (needs sigmoid outputs).")] = None,
    lr: Annotated[Optional[str], value("ETA", "Learning rate η (default 0.5).")] = None,
    epochs: Annotated[Optional[str], value("N", "Gradient-descent steps on the example (default 1).")] = None,
    update_biases: Annotated[Optional[bool], typer.Option("--update-biases/--no-update-biases", help="Also update the biases (default: no, as in the notes).", show_default=False)] = None,
) -> None:
    """Backpropagation: forward pass, error, the chain rule for every weight, the update.

    A fully connected network of any depth and width, one training example, plain
    gradient descent. With no inputs: the course notes' 2-2-2 network (x = 0.05, 0.10;
    t = 0.01, 0.99; w1..w8 = 0.15 … 0.55; b = 0.35, 0.60; η = 0.5).

    Limits (an exercise tool): at most 1,000 layers, 10,000 units in a layer, 2,500,000
    weights, 20,000 layer passes (epochs × layers) and 250,000,000 weight updates
    (epochs × weights).
    """
