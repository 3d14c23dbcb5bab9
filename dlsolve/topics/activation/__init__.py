"""The activation topic: the command ``dlsolve activation`` (its options; its docstring is
its help), no NumPy. Beside it: solve.py (the maths), slips.py (for check), practice.py
(the exercise generator)."""

from __future__ import annotations

from typing import Annotated, Optional

from dlsolve.commands._shared import solver_command, value

NAME = "activation"
EPILOG = """\b
Examples:
  dlsolve activation
      all ten functions at x = −2, −1, 0, 1, 2: values, derivatives, softmax's Jacobian
  dlsolve activation --function sigmoid --function tanh --x 2
      σ(2) = 1/(1 + e^(−2)) = 0.8808 and σ′(2) = 0.8808·(1 − 0.8808) = 0.105
  dlsolve activation --function sigmoid --x -100,0,100
      saturation: σ′(±100) = e^(−100)/(1 + e^(−100))², and the notes' e^(−100) slip
  dlsolve activation --function softmax --x 1,2,3
      softmax with the maximum subtracted first, and its Jacobian diag(s) − s sᵀ
  dlsolve activation --function leaky-relu --function elu --alpha 0.1 --elu-alpha 0.5 --x -1,0,1
      other slopes for the negative side
"""


@solver_command(NAME)
def command(
    x: Annotated[Optional[str], value("VECTOR", "The inputs, e.g. -2,-1,0,1,2 (the default); softmax takes them as one vector of logits.")] = None,
    function: Annotated[Optional[list[str]], value("NAME", "sigmoid, tanh, relu, leaky-relu, prelu, relu6, elu, swish, hard-swish or softmax; repeat for several (default: all ten).")] = None,
    alpha: Annotated[Optional[str], value("ALPHA", "Leaky ReLU's slope for x ≤ 0 (default 0.01, PyTorch's).")] = None,
    prelu_alpha: Annotated[Optional[str], value("ALPHA", "PReLU's slope for x ≤ 0, learned in a network (default 0.25, PyTorch's initial value).")] = None,
    elu_alpha: Annotated[Optional[str], value("ALPHA", "ELU's α in α(eˣ − 1) for x ≤ 0 (default 1).")] = None,
) -> None:
    """Activation functions: values and derivatives with their formulas, softmax and its Jacobian.

    For every function and every x: f(x) with the formula and its numbers
    (σ(2) = 1/(1 + e^(−2)) = 0.8808), then f′(x) the same way (σ′(2) = 0.8808·(1 − 0.8808)
    = 0.105), and a summary table of both. Softmax is computed stably (the maximum
    subtracted first, shown) and differentiated as the Jacobian diag(s) − s sᵀ. At a kink
    the derivative is PyTorch autograd's (relu′(0) = 0, leaky′(0) = α, relu6′(0) = relu6′(6)
    = 0, elu′(0) = α, hard-swish′(−3) = 0, hard-swish′(3) = 1), stated in the notes, with
    the sigmoid's vanishing gradient and, for |x| ≥ 100, the notes' e^(−100) slip. With no
    inputs: all ten functions at x = −2, −1, 0, 1, 2.

    Limits (an exercise tool): at most 1,000 x values (softmax's Jacobian is 1,000 × 1,000).
    """
