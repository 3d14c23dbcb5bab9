"""The kl-divergence topic: the command ``dlsolve kl-divergence`` (its options; its docstring
is its help), no NumPy. Beside it: solve.py (the maths), slips.py (for check), practice.py
(the exercise generator)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from dlsolve.commands._shared import solver_command, value

NAME = "kl-divergence"
EPILOG = """\b
Examples:
  dlsolve kl-divergence
      the VAE term of a 3-dimensional latent (mu = 0.5,-1,0; sigma = 0.8,1.5,1)
  dlsolve kl-divergence --p 0.36,0.48,0.16 --q 1/3,1/3,1/3 --base 2
      two discrete distributions, in bits: both directions, H(P) and H(P,Q)
  dlsolve kl-divergence --p 3,1 --q 1,1 --normalize
      counts divided by their sums first
  dlsolve kl-divergence --mu1 1 --sigma1 1 --mu2 0 --sigma2 2
      KL(N(1, 1²) || N(0, 2²)) by the closed form
  dlsolve kl-divergence --mu 0.2,-0.4,1 --log-var 0,-1,0.5
      a VAE encoder's log-variances instead of standard deviations
"""


@solver_command(NAME)
def command(
    p: Annotated[Optional[str], value("PROBS", "Discrete mode: distribution P, e.g. 0.36,0.48,0.16 (fractions like 1/3 allowed).")] = None,
    q: Annotated[Optional[str], value("PROBS", "Discrete mode: distribution Q, as many values as --p.")] = None,
    normalize: Annotated[Optional[bool], typer.Option("--normalize/--no-normalize", help="Discrete mode: divide --p and --q by their sums (else they must sum to 1).", show_default=False)] = None,
    base: Annotated[Optional[str], value("e|2|10", "Logarithm base: e (nats, default), 2 (bits) or 10 (bans).")] = None,
    mu1: Annotated[Optional[str], value("MU", "Gaussian mode: mean of N1 in KL(N1 || N2) (default 0).")] = None,
    sigma1: Annotated[Optional[str], value("SIGMA", "Gaussian mode: standard deviation of N1, > 0 (default 1).")] = None,
    mu2: Annotated[Optional[str], value("MU", "Gaussian mode: mean of N2 (default 0).")] = None,
    sigma2: Annotated[Optional[str], value("SIGMA", "Gaussian mode: standard deviation of N2, > 0 (default 1).")] = None,
    mu: Annotated[Optional[str], value("VECTOR", "VAE mode: the encoder's means, one per latent dimension, e.g. 0.5,-1,0.")] = None,
    sigma: Annotated[Optional[str], value("VECTOR", "VAE mode: the encoder's standard deviations (> 0), as many as --mu.")] = None,
    log_var: Annotated[Optional[str], value("VECTOR", "VAE mode: log-variances ln σ² instead of --sigma (what encoders output).")] = None,
) -> None:
    """KL divergence: two discrete distributions, two Gaussians, or a VAE's KL term.

    The options pick the mode: --p/--q (each term pᵢ log(pᵢ/qᵢ), both directions, the
    entropy and the cross-entropy); --mu1/--sigma1/--mu2/--sigma2 (the closed form for
    two Gaussians); --mu with --sigma or --log-var (½ Σ (σᵢ² + μᵢ² − ln σᵢ² − 1), the
    VAE regularizer, and where the notes' formula goes wrong). With no inputs: the VAE
    term of the latent mu = 0.5, -1, 0 and sigma = 0.8, 1.5, 1.

    Limits (an exercise tool): at most 100,000 outcomes or latent dimensions.
    """
