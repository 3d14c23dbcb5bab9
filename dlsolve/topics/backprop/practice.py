"""Backpropagation exercises: a small sigmoid network, one training example, the notes'
weight numbering (w₁, w₂, … layer by layer, one receiving unit after another).

Exam-friendly means: a network small enough to do by hand (one hidden layer of two or
three units), inputs, weights and biases with at most two decimals (tenths at the easy
level), no input of zero (every weight then gets a non-zero gradient), targets the way
exams set them (0.01/0.99, 0.1/0.9 or 0/1).
"""

from __future__ import annotations

from typing import NamedTuple

from dlsolve.core.derivation import Line, Part, line
from dlsolve.practice.draw import Draw
from dlsolve.practice.exercise import Generated, Question, counted, given, numbered, vector

TITLE = "Backpropagation"
SIGMOID = r"$\sigma(z) = \frac{1}{1 + e^{-z}}$"
TARGETS = ((0.01, 0.99), (0.99, 0.01), (0.1, 0.9), (0.9, 0.1), (1.0, 0.0), (0.0, 1.0))  # two outputs
CLASS_TARGETS = ((1.0, 0.0), (0.0, 1.0))  # cross-entropy: class labels
TARGETS_ONE = (0.0, 1.0, 0.9, 0.1)  # one output


class Shape(NamedTuple):
    widths: tuple[tuple[int, ...], ...]  # network shapes to draw from (inputs, hidden, outputs)
    places: int  # decimals of the numbers
    step: int  # numbers are multiples of step / 10**places
    etas: tuple[float, ...]
    variants: tuple[str, ...]  # "plain" (sigmoid, mse), "bce" (cross-entropy, biases updated), "tanh" (tanh hidden)
    epochs: int


LEVELS = {
    "easy": Shape(widths=((2, 2, 1),), places=1, step=1, etas=(0.5, 1.0), variants=("plain",), epochs=1),
    "exam": Shape(widths=((2, 2, 2),), places=2, step=5, etas=(0.5, 0.1, 1.0), variants=("plain",), epochs=1),
    "hard": Shape(widths=((2, 3, 2), (3, 2, 2)), places=2, step=5, etas=(0.5,), variants=("bce", "tanh"), epochs=2),
}


def _number(draw: Draw, shape: Shape, low: int, high: int, negative: bool = False) -> float:
    """A multiple of ``step/10**places`` between ``low`` and ``high`` steps, sometimes negative."""
    value = draw.integer(low, high) * shape.step / 10**shape.places
    return -value if negative and draw.chance(1, 4) else value


def _targets(draw: Draw, n_out: int, variant: str) -> list[float]:
    if n_out == 1:
        return [draw.choice(TARGETS_ONE)]
    return list(draw.choice(CLASS_TARGETS if variant == "bce" else TARGETS))


def generate(draw: Draw, level: str) -> Generated:
    shape = LEVELS[level]
    n_in, n_hidden, n_out = draw.choice(shape.widths)
    variant = draw.choice(shape.variants)
    one = 10**shape.places // shape.step  # 1.0, in steps
    signed = level != "exam"  # the notes' exam network has positive weights only

    def matrix(rows: int, columns: int) -> list[list[float]]:
        return [[_number(draw, shape, 1, one - 1, negative=signed) for _ in range(columns)] for _ in range(rows)]

    x = [_number(draw, shape, 1, one) for _ in range(n_in)]
    W1, W2 = matrix(n_hidden, n_in), matrix(n_out, n_hidden)
    b = [_number(draw, shape, 1, one * 6 // 10) for _ in range(2)]  # one bias per layer, up to 0.6, as the notes' 0.35 and 0.6
    t = _targets(draw, n_out, variant)
    eta = draw.choice(shape.etas)

    problem = {"x": x, "target": t, "weights": [W1, W2], "biases": b, "lr": eta}
    if variant == "tanh":
        problem["activation"] = ["tanh", "sigmoid"]
    if variant == "bce":
        problem["loss"] = "bce"
        problem["update_biases"] = True
    if shape.epochs > 1:
        problem["epochs"] = shape.epochs
    widths = f"{n_in}-{n_hidden}-{n_out}"
    return Generated(problem, _statement(problem, (n_in, n_hidden, n_out), variant, shape.epochs),
                     _questions(variant, shape.epochs), f"a {widths} network, {variant_name(variant)}, η = {eta:g}")


def variant_name(variant: str) -> str:
    return {"plain": "sigmoid, squared error", "bce": "sigmoid, cross-entropy", "tanh": "tanh hidden layer, squared error"}[variant]


def _units(prefix: str, n: int) -> list[tuple[Part, ...]]:
    return [(f"${prefix}_{{{i}}}$",) for i in range(1, n + 1)]


def _weights(W1: list[list[float]], W2: list[list[float]]) -> tuple[Part, ...]:
    """``w₁ = 0.15 (x₁ → h₁), …`` in the notes' numbering: layer by layer, row by row."""
    items, k = [], 1
    for layer, (W, source, target) in enumerate(((W1, "x", "h"), (W2, "h", "o"))):
        for j, row in enumerate(W, 1):
            for i, w in enumerate(row, 1):
                items.append((f"$w_{{{k}}} = ", given(w), f"$ (${source}_{{{i}}} \\rightarrow {target}_{{{j}}}$)"))
                k += 1
    return numbered(items, ", ", ", ")


def _statement(problem: dict, widths: tuple[int, int, int], variant: str, epochs: int) -> tuple[Line, ...]:
    n_in, n_hidden, n_out = widths
    activation = (("The hidden units use $\\tanh$ and the output units the sigmoid ", SIGMOID, ".")
                  if variant == "tanh" else ("Every hidden and output unit uses the sigmoid ", SIGMOID, "."))
    loss = ("binary cross-entropy $E = -\\sum_k [t_k \\log y_k + (1 - t_k) \\log(1 - y_k)]$" if variant == "bce"
            else "squared error $E = \\frac{1}{2}\\sum_k (t_k - y_k)^2$")
    b1, b2 = problem["biases"]
    lines = [
        line(f"A {n_in}-{n_hidden}-{n_out} feed-forward network has inputs ", *numbered(_units("x", n_in)), ", hidden units ",
             *numbered(_units("h", n_hidden)), f" and {counted(n_out, 'output unit')} ", *numbered(_units("o", n_out)), ". ", *activation),
        line("The weights are ", *_weights(*problem["weights"]), "."),
        line("Every hidden unit has the bias $b_{1} = ", given(b1), "$ and ", "every output unit" if n_out > 1 else "the output unit",
             " the bias $b_{2} = ", given(b2), "$."),
        line("The training example is $x = ", *vector(problem["x"]), "$ with the target $t = ",
             *(vector(problem["target"]) if n_out > 1 else (given(problem["target"][0]),)),
             f"$; the loss is the {loss}, and the learning rate is $\\eta = ", given(problem["lr"]), "$."),
        line("The biases are updated as well as the weights." if problem.get("update_biases") else "The biases are not updated."),
    ]
    if epochs > 1:
        lines.append(line(f"Train on this example for {counted(epochs, 'gradient-descent step')} (epochs), every gradient "
                          "taken from the weights before the update."))
    else:
        lines.append(line("Take every gradient from the forward pass before any weight changes."))
    return tuple(lines)


def _questions(variant: str, epochs: int) -> tuple[Question, ...]:
    updated = " and bias" if variant == "bce" else ""
    questions = [
        Question(line("Forward pass: compute the output of every hidden and output unit, and the loss $E$."), ("hidden.1", "outputs", "loss")),
        Question(line("Backward pass: compute the error signal $\\delta = \\partial E/\\partial \\mathrm{net}$ of every output and hidden unit."),
                 ("deltas.2", "deltas.1")),
    ]
    if epochs == 1:
        questions.append(Question(line(f"Compute $\\partial E/\\partial w$ for every weight{updated} and the updated weights."),
                                  ("grad_weights.2", "weights.2", "grad_weights.1", "weights.1")))
    else:
        questions.append(Question(line(f"Compute $\\partial E/\\partial w$ for every weight{updated} in the first step."),
                                  ("grad_weights.2", "grad_weights.1")))
        questions.append(Question(line(f"Give the loss at the start of each step and the weights{updated.replace(' and bias', ' and biases')} "
                                       "after the last one."), ("loss_history", "weights", "biases")))
    return tuple(questions)
