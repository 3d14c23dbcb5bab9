"""The early-stopping topic: the command ``dlsolve early-stopping`` (its options; its
docstring is its help), no NumPy. Beside it: rule.py (Keras' rule), solve.py (written out),
slips.py (for check), practice.py (the exercise generator)."""

from __future__ import annotations

from typing import Annotated, Optional

from dlsolve.commands._shared import solver_command, value

NAME = "early-stopping"
EPILOG = """\b
Examples:
  dlsolve early-stopping
      the notes' story: 0.9, 0.7, 0.6, 0.65, 0.7, 0.8 with patience 3
  dlsolve early-stopping --val-loss 0.8,0.6,0.59,0.58,0.57 --patience 2 --min-delta 0.02
      small improvements that do not count: stop after epoch 4, restore epoch 2
  dlsolve early-stopping --val-loss 1,0.8,0.85,0.7,0.75,0.72 --patience 3
      a rise, a new best, then too few epochs: training never stops early
  dlsolve early-stopping --val-loss 0.5,0.4,0.4,0.3 --patience 0
      Keras' default patience 0: the tie at epoch 3 stops it
"""


@solver_command(NAME)
def command(
    val_loss: Annotated[Optional[str], value("VECTOR", "Validation loss after each epoch, epoch 1 first, e.g. 0.9,0.7,0.6,0.65,0.7,0.8.")] = None,
    patience: Annotated[Optional[str], value("N", "Epochs without improvement before training stops, a whole number ≥ 0 (default 3).")] = None,
    min_delta: Annotated[Optional[str], value("DELTA", "An epoch improves only when its loss < best − DELTA, DELTA ≥ 0 (default 0).")] = None,
) -> None:
    """Early stopping: wait per epoch, where training stops, which weights are restored.

    Keras' EarlyStopping with restore_best_weights=True, epoch by epoch: each loss
    compared with the best so far minus min_delta (written with its numbers), the wait
    counter (reset to 0 on an improvement, else + 1), the epoch training stops after
    (the first with wait ≥ patience) and the best epoch, whose weights are restored. With
    no inputs: the course notes' story (stop after epoch 6, restore epoch 3).

    Limits (an exercise tool): at most 100,000 epochs (values of --val-loss); every loss a
    finite number (NaN and infinity are refused, not counted as "no improvement" as Keras
    would).
    """
