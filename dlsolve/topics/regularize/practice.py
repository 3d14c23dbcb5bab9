"""Regularization exercises: the L1 and L2 cost (easy), a penalty's gradient and one update
(exam), the elastic net or inverted dropout (hard).

Exam-friendly means: weights, targets, predictions, gradients and activations with one
decimal; λ, η and p from short lists of round values (1/(1 − p) is 2, 1.25, 4/3 or 5); at the
exam level a weight of 0 one time in two, so sign(0) = 0 is asked.
"""

from __future__ import annotations

from dlsolve.core.derivation import Line, line
from dlsolve.practice.draw import Draw
from dlsolve.practice.exercise import Generated, Question, counted, given, vector

TITLE = "Regularization"
LAMBDAS = (0.01, 0.05, 0.1, 0.2, 0.5)
RATES = (0.1, 0.2, 0.25, 0.5)
LRS = (0.1, 0.2, 0.5)
RATIOS = (0.2, 0.5, 0.8)
MSE = r"$L_{\text{data}} = \frac{1}{n} \sum_{i} (y_{i} - \hat{y}_{i})^{2}$"


def _tenths(draw: Draw, n: int, low: int = -15, high: int = 15, nonzero: bool = True) -> list[float]:
    """n numbers with one decimal in [low, high]/10 (0 left out when ``nonzero``)."""
    out = []
    while len(out) < n:
        x = draw.integer(low, high)
        if x or not nonzero:
            out.append(x / 10)
    return out


def generate(draw: Draw, level: str) -> Generated:
    if level == "hard" and draw.chance(1, 2):
        return _dropout(draw)
    n = draw.integer(3, 4)
    weights = _tenths(draw, n)
    lam = draw.choice(LAMBDAS)
    if level == "easy":
        y = [float(draw.integer(0, 1)) for _ in range(3)]
        y_hat = [draw.integer(0, 10) / 10 for _ in range(3)]
        problem = {"weights": weights, "lam": lam, "y": y, "y_hat": y_hat}
        return Generated(problem, _cost_statement(weights, lam, y, y_hat), _cost_questions(),
                         f"L1 and L2 cost, {counted(n, 'weight')}, λ = {lam:g}")
    if level == "exam":
        if draw.chance(1, 2):
            weights[draw.below(n)] = 0.0
        kind = draw.choice(("l1", "l2"))
        problem = {"weights": weights, "lam": lam, "penalty": [kind], "data_loss": draw.integer(1, 20) / 20,
                   "grad": _tenths(draw, n, -5, 5, nonzero=False), "lr": draw.choice(LRS)}
        return Generated(problem, _update_statement(problem), _update_questions(kind),
                         f"{kind.upper()} gradient and one update, {counted(n, 'weight')}")
    ratio = draw.choice(RATIOS)
    problem = {"weights": weights, "lam": lam, "penalty": ["elastic"], "l1_ratio": ratio, "data_loss": draw.integer(1, 20) / 20,
               "grad": _tenths(draw, n, -5, 5, nonzero=False), "lr": draw.choice(LRS)}
    return Generated(problem, _update_statement(problem), _update_questions("elastic"),
                     f"elastic net, r = {ratio:g}, {counted(n, 'weight')}")


def _cost_statement(weights: list[float], lam: float, y: list[float], y_hat: list[float]) -> tuple[Line, ...]:
    return (line("A model with weights $w = ", *vector(weights), "$ predicts $\\hat{y} = ", *vector(y_hat),
                 "$ for targets $y = ", *vector(y), "$."),
            line("Its data loss is the mean squared error ", MSE, "; the regularization strength is $\\lambda = ", given(lam), "$. "
                 "L1 adds $\\lambda \\sum_{i} |w_{i}|$, L2 adds $\\lambda \\sum_{i} w_{i}^{2}$ (no ½)."))


def _cost_questions() -> tuple[Question, ...]:
    return (Question(line("Compute the data loss."), ("data_loss",)),
            Question(line("Compute the L1 and the L2 penalty."), ("penalty.l1", "penalty.l2")),
            Question(line("Compute the cost with each penalty."), ("cost.l1", "cost.l2")))


def _update_statement(problem: dict) -> tuple[Line, ...]:
    kind = problem["penalty"][0]
    form = {"l1": r"\lambda \sum_{i} |w_{i}|", "l2": r"\lambda \sum_{i} w_{i}^{2}",
            "elastic": r"\lambda (r \sum_{i} |w_{i}| + (1 - r) \sum_{i} w_{i}^{2})"}[kind]
    extra = ("$ with $r = ", given(problem["l1_ratio"])) if kind == "elastic" else ()
    return (line("A layer has weights $w = ", *vector(problem["weights"]), "$, a data loss $L_{\\text{data}} = ", given(problem["data_loss"]),
                 "$ and data gradient $\\partial L_{\\text{data}} / \\partial w = ", *vector(problem["grad"]), "$."),
            line(f"It is regularized by ${form}$, $\\lambda = ", given(problem["lam"]), *extra, "$ (take sign(0) = 0), and trained by "
                 "gradient descent with $\\eta = ", given(problem["lr"]), "$."))


def _update_questions(kind: str) -> tuple[Question, ...]:
    return (Question(line("Compute the penalty and the cost."), (f"penalty.{kind}", f"cost.{kind}")),
            Question(line("Compute the gradient of the cost with respect to each weight."), (f"grad.{kind}",)),
            Question(line("Compute the weights after one update."), (f"updated.{kind}",)))


def _dropout(draw: Draw) -> Generated:
    n = draw.integer(4, 6)
    rate = draw.choice(RATES)
    activations = _tenths(draw, n, 1, 20)
    mask = [draw.integer(0, 1) for _ in range(n)]
    problem = {"rate": rate, "activations": activations, "mask": mask, "inverted": True}
    statement = (line(f"A layer of {counted(n, 'unit')} outputs $a = ", *vector(activations), "$. Inverted dropout with $p = ", given(rate),
                      "$ (the probability that a unit is dropped) draws the mask $m = ", *vector(mask), "$ (1 = kept)."),)
    questions = (Question(line("Compute the layer's output in training."), ("output",)),
                 Question(line("Compute its output at test time."), ("test_output",)))
    return Generated(problem, statement, questions, f"inverted dropout, p = {rate:g}, {counted(n, 'unit')}")
