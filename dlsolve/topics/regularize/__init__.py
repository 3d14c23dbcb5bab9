"""The regularize topic: the command ``dlsolve regularize`` (its options; its docstring is its
help), no NumPy. Beside it: solve.py (fields and modes), penalty.py and penalty_mode.py (L1, L2,
elastic net), dropout.py, slips.py (for check), practice.py (the exercise generator)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from dlsolve.commands._shared import solver_command, value

NAME = "regularize"
EPILOG = """\b
Examples:
  dlsolve regularize
      L1 and L2 on w = 0.5,-1.2,0.8,0 with lambda = 0.1 and the MSE of y, y-hat
  dlsolve regularize --lr 0.2 --lam 0.5 --steps 5
      L1 against L2 over 5 steps: L1 drives weights to exactly 0, L2 only shrinks them
  dlsolve regularize --weights 0.4,-0.2 --grad 0.3,-0.1 --lr 0.1 --half
      one update with a data gradient, the L2 term as (1/2) lambda sum w^2
  dlsolve regularize --penalty elastic --l1-ratio 0.3 --data-loss 0.42
      the elastic net on a given data loss
  dlsolve regularize --rate 0.5 --activations 0.8,0.2,1.5,0.6 --mask 1,0,1,1
      inverted dropout: the mask, the training output, the test-time network
"""


@solver_command(NAME)
def command(
    weights: Annotated[Optional[str], value("VECTOR", "Penalty mode: the weights w (default 0.5,-1.2,0.8,0).")] = None,
    lam: Annotated[Optional[str], value("LAMBDA", "The penalty's strength λ ≥ 0 (default 0.1).")] = None,
    penalty: Annotated[Optional[list[str]], value("l1|l2|elastic", "A penalty to work; repeat for several side by side (default l1 and l2).")] = None,
    l1_ratio: Annotated[Optional[str], value("R", "Elastic net: the L1 share r in λ(r·Σ|w| + (1 − r)·Σw²), 0 ≤ r ≤ 1 (default 0.5).")] = None,
    half: Annotated[Optional[bool], typer.Option("--half", help="The L2 part as ½λΣw² (gradient λw) instead of the notes' λΣw² (gradient 2λw).", show_default=False)] = None,
    y: Annotated[Optional[str], value("VECTOR", "Targets for the data loss (1/n)Σ(y − ŷ)² (default 1,0,1 with the default weights).")] = None,
    y_hat: Annotated[Optional[str], value("VECTOR", "Predictions ŷ, one per target (default 0.8,0.3,0.6).")] = None,
    data_loss: Annotated[Optional[str], value("L", "The data loss as a number ≥ 0 instead of --y/--y-hat (default 0 with your own --weights).")] = None,
    grad: Annotated[Optional[str], value("VECTOR", "∂L_data/∂w: one number for every weight or one per weight (default 0).")] = None,
    lr: Annotated[Optional[str], value("ETA", "Learning rate η ≥ 0: adds the update w ← w − η(∂L_data/∂w + ∂penalty/∂w).")] = None,
    steps: Annotated[Optional[str], value("N", "With --lr: repeat the update N times, the data gradient held at --grad (L1 by its proximal step).")] = None,
    rate: Annotated[Optional[str], value("P", "Dropout mode: the probability p that a unit is dropped, 0 ≤ p < 1 (default 0.5).")] = None,
    activations: Annotated[Optional[str], value("VECTOR", "Dropout mode: the layer's activations a (default 0.8,0.2,1.5,0.6).")] = None,
    mask: Annotated[Optional[str], value("0/1,…", "Dropout mode: the mask, 1 = kept, one per activation (default: drawn by --seed).")] = None,
    seed: Annotated[Optional[str], value("N", "Dropout mode: draw the mask, unit i dropped when the i-th random() of Python's random.Random(N) is < p (default 0).")] = None,
    inverted: Annotated[Optional[bool], typer.Option("--inverted/--no-inverted", help="Dropout mode: scale kept units by 1/(1 − p) in training (default, PyTorch's), or scale by (1 − p) at test time.", show_default=False)] = None,
) -> None:
    """Regularization: L1/L2/elastic-net penalties, their gradients and updates, or dropout.

    Penalty mode (the default): the data loss (the notes' MSE), each penalty λΣ|w|,
    λΣw² (no ½, as the notes; --half) or the elastic net with its numbers, the cost,
    the gradient (λ·sign(w) with sign(0) = 0; 2λw) and with --lr the update; --steps
    repeats it so L1 is seen to drive weights to exactly 0 while L2 only shrinks them.
    Dropout mode (--rate and the others): the mask, the training output (inverted:
    kept units × 1/(1 − p)), the test-time network and why E[m·a/(1 − p)] = a. With no
    inputs: L1 and L2 on w = 0.5, −1.2, 0.8, 0 with λ = 0.1, y = 1, 0, 1 and
    ŷ = 0.8, 0.3, 0.6.

    Limits (an exercise tool): at most 100,000 weights, targets or activations; at most
    10,000 steps and 100,000 weight updates (steps × weights × penalties).
    """
