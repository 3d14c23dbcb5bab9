"""The som-train topic: the command ``dlsolve som-train`` (its options; its docstring
is its help), no NumPy. Beside it: solve.py (the maths), slips.py (for check), practice.py
(the exercise generator)."""

from __future__ import annotations

from typing import Annotated, Optional

from dlsolve.commands._shared import solver_command, value

NAME = "som-train"
EPILOG = """\b
Examples:
  dlsolve som-train
      the notes' problem: 4 samples, 2 units, η = 0.6, every iteration written out
  dlsolve som-train --epochs 3 --lr-decay 0.5
      three epochs, η = 0.6, 0.3, 0.15
  dlsolve som-train --samples "1,1,0,0; 0,0,0,1; 1,0,0,0; 0,0,1,1" --weights "0.2,0.6,0.5,0.9; 0.8,0.4,0.7,0.3" --lr-decay 0.5 --epochs 2
      Fausett's example: rows of --samples are samples, rows of --weights are units
  dlsolve som-train --samples "0,0; 1,1; 0,1" --weights "0.5,0.5; 0.2,0.8; 0.9,0.1" --radius 1
      three units on a line: the winner's neighbours move too
"""


@solver_command(NAME)
def command(
    samples: Annotated[Optional[str], value("MATRIX", 'Training samples, one row each, presented in this order: "1,0,1,0; 1,0,0,0".')] = None,
    weights: Annotated[Optional[str], value("MATRIX", 'Initial weights, one row per unit: "0.3,0.5,0.7,0.2; 0.6,0.7,0.4,0.3".')] = None,
    lr: Annotated[Optional[str], value("ETA", "Learning rate η > 0 (default 0.6).")] = None,
    epochs: Annotated[Optional[str], value("N", "Passes over the samples (default 1).")] = None,
    lr_decay: Annotated[Optional[str], value("FACTOR", "η is multiplied by this after each epoch, 0 < factor ≤ 1 (default 1: constant).")] = None,
    radius: Annotated[Optional[str], value("R", "Units within R of the winner on the line of units move too, same η (default 0: winner only).")] = None,
) -> None:
    """Kohonen self-organizing map: distances, winner and update for every sample.

    Each iteration presents one sample: the squared distance d² to every unit, the
    winner (smallest d², lowest unit number on a tie), w ← w + η(x − w), the weights
    after; at the end the class (nearest unit) of each sample. With no inputs: the
    course notes' problem (x1..x4 = 1010, 1000, 1111, 0110; two units; η = 0.6).

    Limits (an exercise tool): at most 20,000 iterations (samples × epochs), 250,000
    distances (iterations × units) and 10,000,000 distance terms (iterations × units ×
    inputs).
    """
