"""The convolve topic: the command ``dlsolve convolve`` (its options; its docstring is its
help), no NumPy. Beside it: solve.py (the steps), windows.py (the arithmetic), slips.py (for
check), practice.py (the exercise generator)."""

from __future__ import annotations

from typing import Annotated, Optional

from dlsolve.commands._shared import solver_command, value

NAME = "convolve"
EPILOG = """\b
Examples:
  dlsolve convolve
      the published 5×5 image and 3×3 kernel: [[4,3,4],[2,4,3],[2,3,4]]
  dlsolve convolve --image "1,2,0,1; 0,1,3,1; 2,1,0,0; 1,0,1,2" --kernel "1,0; -1,2" --padding 1 --stride 2
      the padded image, then a window every 2 rows and columns
  dlsolve convolve --image "1,0,2; 0,1,1; 2,1,0" --image "0,1,1; 1,0,2; 1,1,0" --kernel "1,0; 0,1" --kernel "0,1; 1,0"
      2 input channels: one kernel each, the maps summed
  dlsolve convolve --bias -3 --activation relu --pool max --pool-size 2 --pool-stride 1
      bias, ReLU, then 2×2 max pooling with the window of each maximum
  dlsolve convolve --mode convolution --kernel "1,2; 3,4"
      true convolution: the kernel flipped by 180° first
"""


@solver_command(NAME)
def command(
    image: Annotated[Optional[list[str]], value("MATRIX", 'The image, rows separated by ";": "1,1,0; 0,1,1; 1,0,1". Repeat once per input channel.')] = None,
    kernel: Annotated[Optional[list[str]], value("MATRIX", "The kernel (filter); repeat once per channel, as many as --image, all the same size.")] = None,
    bias: Annotated[Optional[str], value("B", "Added to every output (default 0).")] = None,
    stride: Annotated[Optional[str], value("S", "Step of the window in rows and columns (default 1).")] = None,
    padding: Annotated[Optional[str], value("P|valid|same", "Zeros around each side: a whole number, valid (0, the default) or same (⌈W/S⌉ outputs, TensorFlow's rule).")] = None,
    mode: Annotated[Optional[str], value("correlation|convolution", "correlation (default: what layers compute) or convolution (the kernel flipped by 180° first).")] = None,
    activation: Annotated[Optional[str], value("none|relu|sigmoid|tanh", "Applied to the feature map (default none).")] = None,
    pool: Annotated[Optional[str], value("none|max|avg", "Pooling after the activation (default none).")] = None,
    pool_size: Annotated[Optional[str], value("K", "Pooling window K×K (default 2).")] = None,
    pool_stride: Annotated[Optional[str], value("S", "Pooling stride (default: the pool size).")] = None,
) -> None:
    """Convolution by hand: one filter over an image, sum of products, bias, activation, pooling.

    Shows the definition (layers compute cross-correlation; convolution flips the kernel,
    shown flipped), the padded image, the output size ⌊(W − K + 2P)/S⌋ + 1 per axis,
    every output element as its sum of products (1·1 + 1·0 + … = 4; a matrix for large
    maps, with the first element written), the channels summed, the bias, the activation,
    and max/avg pooling with the window that gave each pooled value. With no inputs: the
    widely published 5×5 image with the kernel [[1,0,1],[0,1,0],[1,0,1]].

    Limits (an exercise tool): at most 64 channels, 1,000,000 values in the padded image
    and 1,000,000 multiply-adds and pooled values in all; a stride, padding or pool size at
    most 1,000,000.
    """
