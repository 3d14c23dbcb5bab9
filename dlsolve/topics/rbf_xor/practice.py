"""RBF network exercises on a two-input logic gate (XOR, XNOR, AND, OR, NAND, NOR), the
notes' set-up.

Exam-friendly means: centers on the gate's inputs, σ = 1 (h = e^(−d²/2): 1, e^(−1/2),
e^(−1), e^(−2) only) or σ = 0.5, output weights with one decimal, and no output within
``MARGIN`` of the threshold (the notes' own network misses it by 0.0026: not a fair
exam question).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from dlsolve.core.derivation import Line, line
from dlsolve.practice.draw import Draw, first
from dlsolve.practice.exercise import Generated, Question, counted, given, numbered, vector

TITLE = "RBF network for a logic gate"
INPUTS = ((0, 0), (0, 1), (1, 0), (1, 1))
GATES = {"XOR": (0, 1, 1, 0), "XNOR": (1, 0, 0, 1), "AND": (0, 0, 0, 1), "OR": (0, 1, 1, 1), "NAND": (1, 1, 1, 0),
         "NOR": (1, 0, 0, 0)}
EASY_GATES = ("XOR", "XNOR")  # one weight for both centers separates these (the inputs' Σh differ by class)
PAIRS = (((0, 0), (1, 1)), ((0, 1), (1, 0)))  # two centers, as in the notes' "nearest two"
MARGIN = 0.02


class Network(NamedTuple):
    centers: tuple[tuple[int, int], ...]
    sigma: float
    weights: tuple[float, ...] | None  # None: fitted by least squares (with a bias)
    bias: float | None


def _outputs(network: Network) -> list[float]:
    """y for each gate input with given weights (to check the margin)."""
    two_s2 = 2 * network.sigma**2
    return [sum(w * math.exp(-((x[0] - c[0]) ** 2 + (x[1] - c[1]) ** 2) / two_s2) for w, c in zip(network.weights, network.centers))
            + (network.bias or 0.0) for x in INPUTS]


def _clear(network: Network) -> bool:
    return all(abs(y) >= MARGIN for y in _outputs(network))


def _two_centers(draw: Draw, targets: tuple[int, ...]) -> Network:
    """Two centers with one whole-number weight w for both, and a bias in tenths: usually
    one that separates the gate (between −w·Σh of its 0-inputs and of its 1-inputs), one
    time in four any bias, so "does it compute the gate?" is a real question."""
    centers = draw.choice(PAIRS)
    network = Network(centers, 1.0, (1.0, 1.0), 0.0)
    sums = _outputs(network)  # Σh for each input (w = 1, b = 0)
    high = max(sums[i] for i, t in enumerate(targets) if t == 1)
    low = max(sums[i] for i, t in enumerate(targets) if t == 0)
    w = float(draw.integer(2, 10)) * (1 if high > low else -1)  # the inputs of class 1 get the larger y
    if draw.chance(1, 4):
        b = draw.decimal(-100, 100, 1)
    else:
        b = round(-w * (high + low) / 2 * 10) / 10  # between the two classes, in tenths
    return Network(centers, 1.0, (w, w), b)


def _four_centers(draw: Draw, targets: tuple[int, ...]) -> Network:
    """The notes' network: a center on every input, weight +a where the gate is 1, −b where 0."""
    a, b = draw.decimal(5, 15, 1), draw.decimal(5, 15, 1)
    return Network(INPUTS, draw.choice((1.0, 0.5)), tuple(a if t else -b for t in targets), None)


def generate(draw: Draw, level: str) -> Generated:
    gate = draw.choice(EASY_GATES if level == "easy" else tuple(GATES))
    targets = GATES[gate]
    if level == "hard":
        network = Network(draw.choice(PAIRS), draw.choice((1.0, 0.5)), None, None)
    else:
        make = _two_centers if level == "easy" else _four_centers
        network = first(lambda: make(draw, targets), _clear)
    problem = {"centers": [list(c) for c in network.centers], "sigma": network.sigma}
    if network.weights is None:
        problem["solve"] = True
    else:
        problem["weights"] = list(network.weights)
        if network.bias is not None:
            problem["bias"] = network.bias
        problem["threshold"] = 0.0
    problem.update(inputs=[list(x) for x in INPUTS], targets=list(targets))
    mode = "weights by least squares" if network.weights is None else "given weights"
    return Generated(problem, _statement(network, gate, targets), _questions(network, gate),
                     f"{gate}, {counted(len(network.centers), 'center')}, σ = {network.sigma:g}, {mode}")


def _statement(network: Network, gate: str, targets: tuple[int, ...]) -> tuple[Line, ...]:
    centers = numbered([(f"$c_{{{j}}} = ", *vector(c), "$") for j, c in enumerate(network.centers, 1)])
    table = numbered([(*vector(x), r" \rightarrow ", str(t)) for x, t in zip(INPUTS, targets)], ", ", ", ")
    lines = [line(f"The {gate} gate maps $", *table, "$."),
             line(f"An RBF network for it has {counted(len(network.centers), 'Gaussian hidden unit')} "
                  r"$h_{j}(x) = \exp(-\lVert x - c_{j} \rVert^{2}/(2\sigma^{2}))$ with $\sigma = ", given(network.sigma),
                  "$ and centers ", *centers, ".")]
    if network.weights is None:
        lines.append(line("The output unit is linear, $y = \\sum_{j} w_{j} h_{j} + b$, and an input is classed 1 when $y > 0.5$."))
    else:
        values = [(f"$w_{{{j}}} = ", given(w), "$") for j, w in enumerate(network.weights, 1)]
        formula = r"$y = \sum_{j} w_{j} h_{j}$"
        if network.bias is not None:
            values.append(("$b = ", given(network.bias), "$"))
            formula = r"$y = \sum_{j} w_{j} h_{j} + b$"
        lines.append(line("The output unit is linear, ", formula, " with ", *numbered(values), "; an input is classed 1 when $y > 0$."))
    return tuple(lines)


def _questions(network: Network, gate: str) -> tuple[Question, ...]:
    n = len(INPUTS)
    hidden = Question(line("Compute the hidden-unit outputs $h_{j}$ for each of the four inputs."), tuple(f"phi.{i}" for i in range(1, n + 1)))
    if network.weights is None:
        return (hidden,
                Question(line("Find the output weights and the bias by least squares (fit $y$ to the targets)."), ("weights", "bias")),
                Question(line(f"Compute the output $y$ and the class of each input. Does the network compute {gate}?"),
                         ("outputs", "predictions", "correct")))
    return (hidden,
            Question(line("Compute the output $y$ and the class of each input."),
                     tuple(key for i in range(1, n + 1) for key in (f"outputs.{i}", f"predictions.{i}"))),
            Question(line(f"Does the network compute {gate}?"), ("correct",)))
