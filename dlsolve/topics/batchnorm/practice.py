"""Batch-normalization exercises: a small mini-batch whose statistics come out whole.

Exam-friendly means: whole-number values with a whole mean and a whole standard deviation
(σ_B² a perfect square), so x̂ = (x − μ_B)/σ_B has at most a few decimals (ε = 10⁻⁵ moves
it only in the 7th significant digit); γ, β and the upstream gradient with one decimal.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from dlsolve.core.derivation import Line, Part, line
from dlsolve.practice.draw import Draw, first
from dlsolve.practice.exercise import Generated, Question, given, listed, numbered, vector

TITLE = "Batch normalization"
METHOD_TEXT = {"minmax": ("min-max normalization", r"$\hat{x} = (x - \min)/(\max - \min)$"),
               "zscore": ("z-score normalization", r"$\hat{x} = (x - \mu)/\sigma$, with the population $\sigma$ (divide by $m$)")}


class Shape(NamedTuple):
    methods: tuple[str, ...]  # batchnorm, minmax, zscore
    sizes: tuple[int, ...]  # m
    features: int
    scale: bool  # γ and β other than 1 and 0, and the running statistics
    backward: bool


LEVELS = {
    "easy": (Shape(("batchnorm", "batchnorm", "zscore", "minmax"), (4,), 1, False, False),),
    "exam": (Shape(("batchnorm",), (4, 5), 1, True, False),),
    "hard": (Shape(("batchnorm",), (4,), 2, True, False), Shape(("batchnorm",), (4,), 1, True, True)),
}


def _deviations(draw: Draw, m: int) -> tuple[int, ...]:
    """m whole deviations from the mean, at least three different: they sum to 0 and Σd²/m
    is a perfect square ≥ 4 (σ_B ≥ 2)."""

    def make() -> tuple[int, ...]:
        d = [draw.integer(-9, 9) for _ in range(m - 1)]
        return (*d, -sum(d))

    def clean(d: tuple[int, ...]) -> bool:
        ss = sum(v * v for v in d)
        return abs(d[-1]) <= 12 and len(set(d)) >= 3 and ss % m == 0 and ss >= 4 * m and math.isqrt(ss // m) ** 2 == ss // m

    return first(make, clean)


def _feature(draw: Draw, m: int) -> list[int]:
    d = _deviations(draw, m)
    low = 1 - min(d)  # every value ≥ 1
    mean = draw.integer(low, low + 15)
    return [mean + v for v in d]


def generate(draw: Draw, level: str) -> Generated:
    shape = draw.choice(LEVELS[level])
    method = draw.choice(shape.methods)
    m = draw.choice(shape.sizes)
    columns = [_feature(draw, m) for _ in range(shape.features)]
    batch: list = columns[0] if shape.features == 1 else [list(row) for row in zip(*columns)]
    problem: dict = {"batch": batch}
    if method != "batchnorm":
        problem["method"] = method
    if shape.scale:
        gamma = [draw.choice((0.5, 1.5, 2.0, 3.0)) for _ in range(shape.features)]
        beta = [draw.choice((-1.0, 0.5, 1.0, 2.0)) for _ in range(shape.features)]
        problem.update(gamma=gamma[0] if shape.features == 1 else gamma, beta=beta[0] if shape.features == 1 else beta, momentum=0.1)
    if shape.backward:
        problem["grad_y"] = [draw.choice((-1, 1)) * draw.decimal(1, 5, 1) for _ in range(m)]
    what = "min-max" if method == "minmax" else "z-score" if method == "zscore" else "batch norm"
    extra = ", backward pass" if shape.backward else ""
    return Generated(problem, _statement(problem, method, m, shape), _questions(method, shape),
                     f"{what}, {m} examples of {shape.features} feature{'s' if shape.features > 1 else ''}{extra}")


def _batch_parts(problem: dict, m: int, features: int) -> tuple[Part, ...]:
    if features == 1:
        return (f"the mini-batch of $m = {m}$ values of one feature, $x = ", *listed(problem["batch"]), "$")
    rows = numbered([(f"$x_{{{i}}} = ", *vector(row), "$") for i, row in enumerate(problem["batch"], 1)])
    return (f"a mini-batch of $m = {m}$ examples of {features} features (one row per example): ", *rows)


def _per_feature(values: float | list[float], symbol: str) -> tuple[Part, ...]:
    if isinstance(values, list):
        return (f"${symbol} = ", *vector(values), "$ (one per feature)")
    return (f"${symbol} = ", given(values), "$")


def _statement(problem: dict, method: str, m: int, shape: Shape) -> tuple[Line, ...]:
    batch = _batch_parts(problem, m, shape.features)
    if method != "batchnorm":
        name, formula = METHOD_TEXT[method]
        return (line("Normalize ", *batch, f" by {name}, ", formula, "."),)
    lines = [line("A batch-normalization layer (training mode) receives ", *batch, ".")]
    formula = r"$\hat{x} = (x - \mu_B)/\sqrt{\sigma_B^2 + \varepsilon}$ and $y = \gamma \hat{x} + \beta$"
    if shape.scale:
        lines.append(line("It computes ", formula, " per feature, with " if shape.features > 1 else " with ", *_per_feature(problem["gamma"], r"\gamma"), ", ",
                          *_per_feature(problem["beta"], r"\beta"), r" and $\varepsilon = 10^{-5}$, the variance $\sigma_B^2$ dividing by $m$."))
        lines.append(line("Its running statistics start at 0 (mean) and 1 (variance) and are updated with momentum 0.1: "
                          r"$\mathrm{running} \leftarrow 0.9 \cdot \mathrm{running} + 0.1 \cdot \mathrm{batch\ statistic}$, "
                          "the running variance taking the unbiased variance (divide by $m - 1$), as PyTorch does."))
    else:
        lines.append(line("It computes ", formula, r" with $\gamma = 1$, $\beta = 0$ and $\varepsilon = 10^{-5}$, the variance dividing by $m$."))
    if shape.backward:
        lines.append(line("In the backward pass the gradient arriving from the next layer is $g = \\partial L/\\partial y = ",
                          *vector(problem["grad_y"]), "$."))
    return tuple(lines)


def _questions(method: str, shape: Shape) -> tuple[Question, ...]:
    if method == "minmax":
        return (Question(line("Find the minimum and the maximum of the batch."), ("min", "max")),
                Question(line("Normalize every value."), ("x_hat",)))
    if method == "zscore":
        return (Question(line("Compute the mean $\\mu$ and the population standard deviation $\\sigma$."), ("mean", "sd")),
                Question(line("Normalize every value."), ("x_hat",)))
    questions = [Question(line("Compute the batch mean $\\mu_B$ and the batch variance $\\sigma_B^2$" + (" of each feature." if shape.features > 1 else ".")),
                          ("mean", "var")),
                 Question(line("Normalize every value: $\\hat{x}$."), ("x_hat",))]
    if shape.scale:
        questions += [Question(line("Scale and shift: $y = \\gamma \\hat{x} + \\beta$."), ("y",)),
                      Question(line("Update the running mean and the running variance."), ("running_mean", "running_var"))]
    if shape.backward:
        questions.append(Question(line("Compute $\\partial L/\\partial \\gamma$, $\\partial L/\\partial \\beta$ and $\\partial L/\\partial x$."),
                                  ("grad_gamma", "grad_beta", "grad_x")))
    return tuple(questions)
