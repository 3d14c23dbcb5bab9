"""Regularization, worked two ways: a penalty on the weights, or dropout on a layer's units.

Penalty   cost J = L_data + penalty, L_data = (1/n)Σ(yᵢ − ŷᵢ)² (the notes' MSE, no ½) or a given
          number; L1 λΣ|wᵢ|, L2 λΣwᵢ² (the notes' form; ½λΣwᵢ² with --half), elastic net
          λ(r·Σ|wᵢ| + (1 − r)·Σwᵢ²); each penalty's gradient and, with --lr, the update
          w ← w − η(∂L_data/∂w + ∂penalty/∂w); with --steps, that update repeated (penalty.py).
Dropout   each unit dropped with probability p (the notes' "probability P of being inactive"),
          kept units scaled by 1/(1 − p) in training (inverted, PyTorch's) or the test-time
          output scaled by (1 − p) instead (dropout.py).

The options pick the mode: --rate, --activations, --mask, --seed or --inverted make it dropout;
with none, the penalties of the default problem (w = 0.5, −1.2, 0.8, 0; λ = 0.1; y = 1, 0, 1;
ŷ = 0.8, 0.3, 0.6), which the notes state as formulas without numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dlsolve.core.derivation import Derivation
from dlsolve.core.inputs import Choice, Field, Flag, InputError, Integer, Number, NumberOrVector, PerItem, Vector, option
from dlsolve.topics.regularize.penalty import KINDS

COMMAND = "regularize"
DEFAULT_WEIGHTS = (0.5, -1.2, 0.8, 0.0)
DEFAULT_Y = (1.0, 0.0, 1.0)
DEFAULT_Y_HAT = (0.8, 0.3, 0.6)
DEFAULT_LAM = 0.1
DEFAULT_PENALTIES = ("l1", "l2")
DEFAULT_L1_RATIO = 0.5
DEFAULT_RATE = 0.5  # PyTorch's nn.Dropout default
DEFAULT_ACTIVATIONS = (0.8, 0.2, 1.5, 0.6)
DEFAULT_SEED = 0
MAX_VALUES = 100_000  # weights, targets or activations in one input (an exam has 3–10)
MAX_STEPS = 10_000  # --steps (an exam asks for 1–5)
MAX_UPDATES = 100_000  # weight updates in all: steps × weights × penalties (an exam: 5 × 4 × 2)

FIELDS = (
    Field("weights", Vector(MAX_VALUES), None),
    Field("lam", Number(low=0), None),
    Field("penalty", PerItem(Choice(KINDS), item="penalty", limit=len(KINDS)), None),
    Field("l1_ratio", Number(low=0, high=1), None),
    Field("half", Flag(), None),
    Field("y", Vector(MAX_VALUES), None),
    Field("y_hat", Vector(MAX_VALUES), None),
    Field("data_loss", Number(low=0), None),
    Field("grad", NumberOrVector(), None),
    Field("lr", Number(low=0), None),
    Field("steps", Integer(low=1, high=MAX_STEPS), None),
    Field("rate", Number(low=0, high=1, high_inclusive=False), None),
    Field("activations", Vector(MAX_VALUES), None),
    Field("mask", Vector(MAX_VALUES), None),
    Field("seed", Integer(low=0), None),
    Field("inverted", Flag(), None),
)
MODE_OPTIONS = {
    "penalty": ("weights", "lam", "penalty", "l1_ratio", "half", "y", "y_hat", "data_loss", "grad", "lr", "steps"),
    "dropout": ("rate", "activations", "mask", "seed", "inverted"),
}
# a mode, the data loss's source and the mask's: the command line's choice beats the problem file's
EXCLUSIVE_OPTIONS = (
    tuple(frozenset(names) for names in MODE_OPTIONS.values()),
    (frozenset({"y", "y_hat"}), frozenset({"data_loss"})),
    (frozenset({"mask"}), frozenset({"seed"})),
)


def given(inputs: Mapping[str, Any], names: tuple[str, ...]) -> list[str]:
    """The names among ``names`` whose input was given (not left at None)."""
    return [name for name in names if inputs[name] is not None]


def mode(inputs: Mapping[str, Any]) -> str:
    """The mode whose options were given (penalty, the default problem, when none were)."""
    found = {name: given(inputs, names) for name, names in MODE_OPTIONS.items()}
    if found["penalty"] and found["dropout"]:
        options = ", ".join(option(name) for names in found.values() for name in names)
        raise InputError(options, "options of both modes (penalty and dropout); give --weights and the penalty's options, "
                                  "or --rate with --activations and --mask or --seed")
    return "dropout" if found["dropout"] else "penalty"


def solve(inputs: Mapping[str, Any]) -> Derivation:
    """The penalty mode (the default) or the dropout mode, as the options given pick."""
    if mode(inputs) == "dropout":
        from dlsolve.topics.regularize import dropout

        return dropout.solve(inputs)
    from dlsolve.topics.regularize import penalty_mode

    return penalty_mode.solve(inputs)
