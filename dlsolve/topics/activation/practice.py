"""Activation exercises: values and derivatives of a few functions at a few inputs.

Exam-friendly means: integer or half-integer x between −3 and 3 (a kink at 0 or ±3 often
among them), slopes α of one or two decimals; easy asks the notes' four classics, exam the
ReLU family with its kinks, hard adds softmax and its Jacobian.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from dlsolve.core.derivation import Line, Part, line
from dlsolve.practice.draw import Draw, first
from dlsolve.practice.exercise import Generated, Question, given, numbered, vector
from dlsolve.topics.activation.names import ALPHA_OF, TITLES

TITLE = "Activation functions and their derivatives"
LABELS = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\operatorname{ReLU}", "leaky-relu": r"\operatorname{LeakyReLU}",
          "prelu": r"\operatorname{PReLU}", "relu6": r"\operatorname{ReLU6}", "elu": r"\operatorname{ELU}",
          "swish": r"\operatorname{swish}", "hard-swish": r"\operatorname{hardswish}", "softmax": r"\operatorname{softmax}"}
DEFINITIONS = {  # as an exam states them (α named where the problem sets it)
    "sigmoid": r"(x) = \frac{1}{1 + e^{-x}}",
    "tanh": r"(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
    "relu": r"(x) = \max(0, x)",
    "leaky-relu": r"(x) = x \text{ for } x > 0, \ \alpha x \text{ otherwise}",
    "prelu": r"(x) = x \text{ for } x > 0, \ a x \text{ otherwise}",
    "relu6": r"(x) = \min(\max(0, x), 6)",
    "elu": r"(x) = x \text{ for } x > 0, \ \alpha (e^{x} - 1) \text{ otherwise}",
    "swish": r"(x) = x \cdot \sigma(x)",
    "hard-swish": r"(x) = x \cdot \operatorname{ReLU6}(x + 3) / 6",
    "softmax": r"(x)_i = e^{x_i} / \sum_j e^{x_j}",
}
ALPHA_SYMBOL = {"leaky-relu": r"\alpha", "prelu": "a", "elu": r"\alpha"}
KINKED = ("relu", "leaky-relu", "prelu", "relu6", "elu", "hard-swish")
ALPHAS = {"leaky-relu": (0.01, 0.1, 0.2), "prelu": (0.25, 0.1, 0.5), "elu": (1.0, 0.5, 2.0)}


class Shape(NamedTuple):
    pool: tuple[str, ...]  # the functions drawn from
    count: tuple[int, int]  # how many of them (low, high)
    halves: bool  # x may be a half-integer
    softmax: bool  # softmax is asked too


LEVELS = {
    "easy": Shape(("sigmoid", "tanh", "relu", "leaky-relu"), (2, 2), False, False),
    "exam": Shape(("sigmoid", "tanh", "relu", "leaky-relu", "prelu", "relu6", "elu", "hard-swish"), (3, 3), True, False),
    "hard": Shape(("tanh", "leaky-relu", "elu", "swish", "hard-swish"), (1, 2), True, True),
}


def _inputs(draw: Draw, shape: Shape) -> list[float]:
    """Three different x in [−3, 3] (halves when allowed), sorted, a kink among them half the time."""
    step = 2 if shape.halves else 1
    def make() -> list[float]:
        return sorted(draw.integer(-3 * step, 3 * step) / step for _ in range(3))
    return first(make, lambda xs: len(set(xs)) == 3 and (0.0 in xs or draw.chance(1, 2)))


def generate(draw: Draw, level: str) -> Generated:
    shape = LEVELS[level]
    count = draw.integer(*shape.count)
    names = sorted(draw.sample(shape.pool, count), key=list(TITLES).index)
    x = _inputs(draw, shape)
    problem: dict[str, Any] = {"x": x, "function": names + (["softmax"] if shape.softmax else [])}
    for name in names:
        if name in ALPHA_OF:
            problem[ALPHA_OF[name]] = draw.choice(ALPHAS[name])
    asked = problem["function"]
    questions = [Question(line(f"Compute ${LABELS[n]}(x)$ and its derivative ${LABELS[n]}'(x)$ at each $x$."),
                          (f"values.{n}", f"derivatives.{n}"))
                 for n in names]
    if shape.softmax:
        questions += [Question(line("Compute the softmax of the vector x (subtract its maximum first)."), ("values.softmax",)),
                      Question(line(r"Compute the softmax's Jacobian $\partial s_i / \partial x_j$."), ("derivatives.softmax",))]
    summary = f"{', '.join(asked)} at x = {', '.join(f'{v:g}' for v in x)}"
    return Generated(problem, _statement(problem), tuple(questions), summary)


def _statement(problem: dict[str, Any]) -> tuple[Line, ...]:
    names = problem["function"]
    parts: list[tuple[Part, ...]] = []
    for name in names:
        alpha = ALPHA_OF.get(name)
        given_alpha: tuple[Part, ...] = (f" with ${ALPHA_SYMBOL[name]} = ", given(problem[alpha]), "$") if alpha else ()
        parts.append((f"${LABELS[name]}{DEFINITIONS[name]}$", *given_alpha))
    kinked = [name for name in names if name in KINKED]
    kinks = (line("Where a function has a kink, take the derivative PyTorch's autograd gives there."),) if kinked else ()
    return (line("The inputs are $x = ", *vector(problem["x"]), "$."),
            line("The activation functions: ", *numbered(parts, "; ", "; and " if len(parts) > 2 else " and "), "."), *kinks)
