"""The rbf-xor topic: the command ``dlsolve rbf-xor`` (its options; its docstring
is its help), no NumPy. Beside it: solve.py (the maths), slips.py (for check), practice.py
(the exercise generator)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from dlsolve.commands._shared import solver_command, value

NAME = "rbf-xor"
EPILOG = """\b
Examples:
  dlsolve rbf-xor
      the notes' network: 4 centers on the XOR inputs, σ = 1, w = −0.8, 0.9, 0.9, −0.8
  dlsolve rbf-xor --solve
      least-squares output weights and bias (minimum-norm: 5 unknowns, 4 equations)
  dlsolve rbf-xor --solve --centers "1,1; 0,0"
      the notes' "nearest two" centers: XOR becomes linearly separable in (h1, h2)
  dlsolve rbf-xor --solve --targets 0,0,0,1
      the same network taught AND
  dlsolve rbf-xor --solve --no-bias
      exact interpolation Φw = t (w = Φ⁻¹t, no bias)
"""


@solver_command(NAME)
def command(
    centers: Annotated[Optional[str], value("MATRIX", 'Centers, one per row: "0,0; 0,1; 1,0; 1,1" (default: the notes\' four, on the XOR inputs).')] = None,
    sigma: Annotated[Optional[str], value("SIGMA", "Width σ in h = exp(−‖x − c‖²/(2σ²)) (default 1).")] = None,
    weights: Annotated[Optional[str], value("VECTOR", "Output weights, one per center (default: the notes' −0.8,0.9,0.9,−0.8). Or --solve.")] = None,
    bias: Annotated[Optional[str], value("B", "Output bias with given --weights: y = Σ wⱼhⱼ + b (default 0, as in the notes).")] = None,
    solve: Annotated[Optional[bool], typer.Option("--solve", help="Fit the output weights and a bias by least squares (minimum-norm when underdetermined).", show_default=False)] = None,
    no_bias: Annotated[Optional[bool], typer.Option("--no-bias", help="With --solve: fit the weights alone, Φw ≈ t (no bias term).", show_default=False)] = None,
    threshold: Annotated[Optional[str], value("THETA", "Class 1 when y > THETA (default 0 for given weights, as in the notes; 0.5 when solved).")] = None,
    inputs: Annotated[Optional[str], value("MATRIX", 'Inputs, one per row (default the XOR inputs "0,0; 0,1; 1,0; 1,1").')] = None,
    targets: Annotated[Optional[str], value("VECTOR", "Target class (0 or 1) of each input (default XOR: 0,1,1,0).")] = None,
) -> None:
    """RBF network: Gaussian units, output, class.

    Hidden units h = exp(−‖x − c‖²/(2σ²)), one per center; output y = Σ wⱼhⱼ + b;
    class 1 when y > θ. Every squared distance, every h with its value, the
    weighted sum and the class, for each input. With --solve, the output weights
    and bias by least squares (the design matrix, then the normal equations, the
    minimum-norm or the pseudo-inverse solution). With no inputs: the course
    notes' XOR network, beside the notes' one-decimal hand calculation.

    Limits (an exercise tool): at most 250,000 input-center values (inputs × (centers +
    1) × coordinates).
    """
