"""The conv-params topic: the command ``dlsolve conv-params`` (its options; its docstring
is its help), no NumPy. Beside it: solve.py (the maths), slips.py (for check), practice.py
(the exercise generator)."""

from typing import Annotated, Optional

from dlsolve.commands._shared import solver_command, value

NAME = "conv-params"
EPILOG = """\b
Examples:
  dlsolve conv-params
      the notes' network: 32x32x3 → Conv2D(32, 3) → MaxPooling2D(2) → Conv2D(64, 3)
  dlsolve conv-params --input seq --layers "Embedding(1000, 64); LSTM(128)"
      the notes' 64,000 and 98,816 (4 gate networks)
  dlsolve conv-params --input 28x28x1 --layer "Conv2D(32, 3)" --layer "MaxPooling2D(2)" --layer "Flatten()" --layer "Dense(10)"
  dlsolve conv-params --input 20x5 --layers "SimpleRNN(10, return_sequences=True); Dense(20)"
      the RNN weight shapes W_xh 10 × 5, W_hh 10 × 10, W_hy 20 × 10
  dlsolve conv-params --framework pytorch --input 3x32x32 --layers "Conv2D(16, 3, padding=1); BatchNormalization()"
"""


@solver_command(NAME)
def command(
    input: Annotated[Optional[str], value("SHAPE", "Input shape without the batch dimension: 32x32x3 (Keras: height × width × channels; PyTorch: 3x32x32), 20x5 (20 steps of 5 features), or seq / 100 for token ids. Default: the notes' 32x32x3.")] = None,
    layer: Annotated[Optional[list[str]], value("LAYER", "One layer, Keras-style with literal arguments, repeated in order: \"Conv2D(64, (3, 3), strides=2, padding='same')\".")] = None,
    layers: Annotated[Optional[str], value("LAYERS", "All layers in one string, separated by ';': \"Conv2D(32, 3); MaxPooling2D(2); Flatten(); Dense(10)\". Default: the notes' three layers.")] = None,
    framework: Annotated[Optional[str], value("NAME", "keras (default: channels last, one bias per gate) or pytorch (channels first, two biases per RNN gate block).")] = None,
) -> None:
    """Output shapes and parameter counts of CNN/RNN layers, model.summary() by hand.

    For every layer: the output size ⌊(W − K + 2P)/S⌋ + 1 (or ⌈W/S⌉ with 'same' padding)
    and the parameter formula with its numbers (K·K·C_in·F + F, 4 × (h(d + h) + h) …), then
    the summary table with total, trainable and non-trainable counts. Layers: Conv1D/2D,
    MaxPooling1D/2D, AveragePooling1D/2D, GlobalAverage/GlobalMaxPooling1D/2D, Flatten, Dense,
    Dropout, Activation, BatchNormalization, Embedding, SimpleRNN, LSTM, GRU, Bidirectional,
    TimeDistributed. With no inputs: the course notes' network (896 and 18,496 parameters).

    Limits (an exercise tool): at most 1,000 layers; sizes and counts below 10⁹.
    """
