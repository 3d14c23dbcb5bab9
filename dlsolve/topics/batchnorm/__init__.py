"""The batchnorm topic: the command ``dlsolve batchnorm`` (its options; its docstring
is its help), no NumPy. Beside it: solve.py (the maths), slips.py (for check), practice.py
(the exercise generator)."""

from __future__ import annotations

from typing import Annotated, Optional

from dlsolve.commands._shared import solver_command, value

NAME = "batchnorm"
EPILOG = """\b
Examples:
  dlsolve batchnorm
      the default mini-batch 7, 1, 15, 9 (one feature): μ = 8, σ² = 25, x̂ = −0.2, −1.4, 1.4, 0.2
  dlsolve batchnorm --batch 7,1,15,9 --gamma 2 --beta 0.5 --grad-y 0.1,-0.2,0.3,0.4
      with scale and shift, and the backward pass for the upstream gradient ∂L/∂y
  dlsolve batchnorm --batch "1,10; 2,20; 3,60" --gamma 1,0.5 --momentum 0.01
      three examples (rows) of two features (columns), γ per feature
  dlsolve batchnorm --method zscore --batch 2,4,4,4,5,5,7,9
      the notes' other normalizations: minmax, zscore, maxabs
  dlsolve batchnorm -p my-examples/batchnorm-backward.toml -f markdown -o batchnorm.md
      a problem file (dlsolve examples --copy my-examples), as a Markdown worked solution
"""


@solver_command(NAME)
def command(
    batch: Annotated[Optional[str], value("MATRIX", 'The mini-batch: rows = examples, columns = features ("1,10; 2,20; 3,60"); a plain vector (7,1,15,9) is m examples of one feature. Default: 7,1,15,9.')] = None,
    method: Annotated[Optional[str], value("NAME", "batchnorm (default), or the notes' minmax: (x − min)/(max − min), zscore: (x − μ)/σ, maxabs: x/max|x|.")] = None,
    gamma: Annotated[Optional[str], value("GAMMA", "Scale γ: one number, or one per feature (default 1). batchnorm only.")] = None,
    beta: Annotated[Optional[str], value("BETA", "Shift β: one number, or one per feature (default 0). batchnorm only.")] = None,
    eps: Annotated[Optional[str], value("EPS", "ε ≥ 0 added to the variance (default 1e-5); 0 is allowed unless a feature is constant.")] = None,
    momentum: Annotated[Optional[str], value("M", "Running-statistics momentum in [0, 1], PyTorch's convention: weight of the new batch (default 0.1).")] = None,
    grad_y: Annotated[Optional[str], value("MATRIX", "Upstream gradient ∂L/∂y, the same shape as --batch: adds the backward pass (∂L/∂x, ∂L/∂γ, ∂L/∂β).")] = None,
) -> None:
    """Batch normalization: mean, variance, normalize, scale and shift, running statistics.

    Training mode, per feature: μ_B, σ²_B (divide by m), x̂ = (x − μ_B)/√(σ²_B + ε),
    y = γx̂ + β, then PyTorch's running statistics (from 0 and 1, unbiased variance), and
    with --grad-y the backward pass. --method gives the notes' other normalizations
    (min-max, z-score, max-abs). The notes give no numbers: with no inputs, the mini-batch
    7, 1, 15, 9 of one feature.

    Limits (an exercise tool): at most 100,000 values in the batch.
    """
