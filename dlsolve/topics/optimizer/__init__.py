"""The optimizer topic: the command ``dlsolve optimizer`` (its options; its docstring is its
help), no NumPy. Beside it: names.py and methods.py (the update rules), solve.py (the steps
written out), slips.py (for check), practice.py (the exercise generator)."""

from __future__ import annotations

from typing import Annotated, Optional

from dlsolve.commands._shared import solver_command, value

NAME = "optimizer"
EPILOG = """\b
Examples:
  dlsolve optimizer
      f(w) = w² from w0 = 1, η = 0.1, 3 steps of all six methods, side by side
  dlsolve optimizer --method adam --grads "0.5; -0.2" --w0 1 --lr 0.01
      two Adam steps on an exam's given gradients (one row per step)
  dlsolve optimizer --method momentum --momentum-form ema --steps 5
      the notes' EMA momentum v ← βv + (1 − β)g instead of PyTorch's v ← βv + g
  dlsolve optimizer --method gd --method adagrad --curvature 1,10 --w0 1,1
      a two-parameter bowl, steep in w₂: GD against AdaGrad's per-parameter rates
"""


@solver_command(NAME)
def command(
    method: Annotated[Optional[list[str]], value("NAME", "gd, momentum, nesterov, adagrad, rmsprop or adam; repeat for several side by side (default: all six).")] = None,
    grads: Annotated[Optional[str], value("MATRIX", 'Given gradients, one row per step: "0.5; -0.2" (one parameter), "1,2; 0.5,1" (two).')] = None,
    curvature: Annotated[Optional[str], value("A", "Without --grads, f(w) = ½ Σ aᵢ(wᵢ − cᵢ)²: a, one number or one per parameter (default 2, so f = (w − c)²).")] = None,
    center: Annotated[Optional[str], value("C", "The minimum c of f, one number or one per parameter (default 0).")] = None,
    w0: Annotated[Optional[str], value("VECTOR", "Starting parameters (default 1 for each).")] = None,
    lr: Annotated[Optional[str], value("ETA", "Learning rate η > 0 (default 0.1).")] = None,
    steps: Annotated[Optional[str], value("N", "Number of steps (default 3; with --grads, its number of rows).")] = None,
    beta: Annotated[Optional[str], value("BETA", "Momentum β in [0, 1) for momentum and nesterov (default 0.9).")] = None,
    momentum_form: Annotated[Optional[str], value("pytorch|ema", "pytorch: v ← βv + g (default); ema: v ← βv + (1 − β)g, the notes'. Nesterov is always pytorch.")] = None,
    rho: Annotated[Optional[str], value("RHO", "RMSProp's decay ρ in [0, 1) (default 0.9).")] = None,
    beta1: Annotated[Optional[str], value("BETA1", "Adam's β₁ in [0, 1) (default 0.9).")] = None,
    beta2: Annotated[Optional[str], value("BETA2", "Adam's β₂ in [0, 1) (default 0.999).")] = None,
    eps: Annotated[Optional[str], value("EPS", "ε ≥ 0, added outside the square root as PyTorch does (default 1e-8).")] = None,
) -> None:
    """Optimizer steps: GD, momentum, Nesterov, AdaGrad, RMSProp, Adam, side by side.

    Every step writes the gradient (given, or aᵢ(wᵢ − cᵢ) of the quadratic with its
    numbers), each state update (v; G; v; m, v, m̂, v̂ with 1 − β₁ᵗ written out) and the
    parameter update. Several methods end with a table of w and f after each step, per
    method. PyTorch's conventions (torch.optim), the notes' EMA momentum one option away.
    With no inputs: f(w) = w² from w0 = 1, η = 0.1, 3 steps of all six methods.

    Limits (an exercise tool): at most 2,000 steps, 1,000 parameters and 200,000
    parameter updates (steps × parameters × methods).
    """
