"""Kohonen SOM exercises: binary samples, weights in tenths, a learning rate in tenths.

Exam-friendly means: no near-tie for the win at any iteration (the two smallest d² differ
by at least ``MARGIN``), every unit wins at least once and the final clusters are not all
one unit. The run is simulated with exact fractions, so the check is the same on every
machine.
"""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

from dlsolve.core.derivation import Line, line
from dlsolve.practice.draw import Draw, first
from dlsolve.practice.exercise import Generated, Question, counted, given, numbered, vector

TITLE = "Kohonen self-organizing map"
MARGIN = Fraction(1, 20)  # the winner's d² beats the runner-up's by at least 0.05
UPDATE = r"$w \leftarrow w + \eta (x - w)$"


class Shape(NamedTuple):
    """What a level asks for."""

    samples: int
    inputs: int
    units: int
    epochs: int
    etas: tuple[float, ...]  # learning rates to draw from
    decay: float  # factor after each epoch
    radius: int


LEVELS = {
    "easy": Shape(samples=3, inputs=3, units=2, epochs=1, etas=(0.5,), decay=1.0, radius=0),
    "exam": Shape(samples=4, inputs=4, units=2, epochs=1, etas=(0.4, 0.5, 0.6), decay=1.0, radius=0),
    "hard": Shape(samples=4, inputs=4, units=3, epochs=2, etas=(0.5, 0.6), decay=0.5, radius=1),
}


Samples = list[tuple[int, ...]]
Weights = list[tuple[float, ...]]


def _ranked(x: tuple[int, ...], W: list[list[Fraction]]) -> tuple[list[int], list[Fraction]]:
    """Units from nearest to farthest (lowest number first on a tie) and every d²."""
    d2 = [sum((xi - wi) ** 2 for xi, wi in zip(x, unit)) for unit in W]
    return sorted(range(len(W)), key=lambda j: (d2[j], j)), d2


def _train(samples: Samples, weights: Weights, eta: float, shape: Shape) -> tuple[list[int], list[int]] | None:
    """Winners of every iteration and the final clusters, or None when a win is too close."""
    W = [[Fraction(str(w)) for w in unit] for unit in weights]
    rate, winners = Fraction(str(eta)), []
    for _ in range(shape.epochs):
        for x in samples:
            order, d2 = _ranked(x, W)
            if d2[order[1]] - d2[order[0]] < MARGIN:
                return None
            c = order[0]
            winners.append(c)
            for j in range(max(0, c - shape.radius), min(len(W), c + shape.radius + 1)):  # the winner and its neighbours
                W[j] = [wi + rate * (xi - wi) for xi, wi in zip(x, W[j])]
        rate *= Fraction(str(shape.decay))
    return winners, [_ranked(x, W)[0][0] for x in samples]


def _draw(draw: Draw, shape: Shape) -> tuple[Samples, Weights, float]:
    """Distinct non-zero binary samples, weights in tenths (0.1 … 0.9), one learning rate."""
    patterns = [tuple((k >> i) & 1 for i in reversed(range(shape.inputs))) for k in range(1, 2**shape.inputs)]
    samples = draw.sample(patterns, shape.samples)
    weights = [tuple(draw.decimal(1, 9, 1) for _ in range(shape.inputs)) for _ in range(shape.units)]
    return samples, weights, draw.choice(shape.etas)


def generate(draw: Draw, level: str) -> Generated:
    shape = LEVELS[level]

    def fair(candidate: tuple[Samples, Weights, float]) -> bool:  # clear wins, every unit wins, more than one cluster
        run = _train(*candidate, shape)
        return run is not None and len(set(run[0])) == shape.units and len(set(run[1])) > 1

    samples, weights, eta = first(lambda: _draw(draw, shape), fair)
    problem = {"samples": [list(x) for x in samples], "weights": [list(w) for w in weights], "lr": eta, "epochs": shape.epochs}
    if shape.decay != 1:
        problem["lr_decay"] = shape.decay
    if shape.radius:
        problem["radius"] = shape.radius
    return Generated(problem, _statement(samples, weights, eta, shape), _questions(len(samples) * shape.epochs),
                     f"{len(samples)} samples of {shape.inputs} inputs, {shape.units} units, η = {eta:g}, {counted(shape.epochs, 'epoch')}")


def _statement(samples: Samples, weights: Weights, eta: float, shape: Shape) -> tuple[Line, ...]:
    xs = numbered([(f"$x_{{{i}}} = ", *vector(x), "$") for i, x in enumerate(samples, 1)])
    ws = numbered([(f"$w_{{{j}}} = ", *vector(w), f"$ (unit {j})") for j, w in enumerate(weights, 1)])
    lines = [line(f"A Kohonen self-organizing map with {counted(shape.units, 'output unit')} is trained on "
                  f"{counted(len(samples), 'sample')} of length {shape.inputs}, presented in this order: ", *xs, "."),
             line("The initial weight vectors are ", *ws, ", and the learning rate is $\\eta = ", given(eta), "$."),
             line("The winner is the unit with the smallest squared Euclidean distance $d^{2} = \\sum_{i} (x_{i} - w_{i})^{2}$ "
                  "(the lowest unit number on a tie)" + ("." if shape.radius else f", and only the winner is updated: {UPDATE}."))]
    if shape.radius:
        chain = " – ".join(str(j) for j in range(1, shape.units + 1))
        lines.append(line(f"The units stand on a line, {chain}: the winner and every unit within distance {shape.radius} "
                          f"of it on the line are updated, with the same rate: {UPDATE}."))
    if shape.epochs > 1:
        etas = [eta * shape.decay**e for e in range(shape.epochs)]
        lines.append(line(f"Train for {counted(shape.epochs, 'epoch')}, presenting the samples in the same order each time; "
                          f"the learning rate is multiplied by {shape.decay:g} after each epoch ($\\eta = ",
                          *numbered([(given(e),) for e in etas], ", ", ", then "), "$)."))
    return tuple(lines)


def _questions(iterations: int) -> tuple[Question, ...]:
    steps = range(1, iterations + 1)
    return (
        Question(line("For every iteration, compute the squared distance $d^{2}$ from the sample to each unit and name the winner."),
                 tuple(key for t in steps for key in (f"distances.{t}", f"winners.{t}"))),
        Question(line("Give the weight vectors after every iteration."), tuple(f"history.{t}" for t in steps)),
        Question(line("After training, which unit (cluster) does each sample belong to?"), ("clusters",)),
    )
