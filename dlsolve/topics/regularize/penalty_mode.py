"""The penalty mode's derivation: the data loss, each penalty with its numbers, the cost, the
gradient, the update and, with --steps, the weights step by step (maths in penalty.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from dlsolve.core.derivation import Block, Derivation, Note, Num, Part, Step, Table, joined, line
from dlsolve.core.derivation import math as eq
from dlsolve.core.inputs import InputError
from dlsolve.topics.regularize import solve as fields
from dlsolve.topics.regularize.penalty import Penalty, Sums, history, mse, penalties, sums

DETAIL_MAX = 8  # up to this many weights (or targets): one written term or line each; more: a table
SUMMARY_MAX = 6  # up to this many weights: the steps' summary says when each reached 0
SIGN = r"\operatorname{sign}"


class Problem(NamedTuple):
    """The penalty mode's inputs, checked and defaulted."""

    w: np.ndarray
    lam: float
    penalties: tuple[Penalty, ...]
    y: np.ndarray | None  # None: the data loss was given as a number
    y_hat: np.ndarray | None
    data_loss: float
    data_given: bool  # --data-loss given (else the MSE of y and ŷ, or 0 with neither)
    g: np.ndarray  # ∂L_data/∂w, one per weight
    g_given: bool
    eta: float | None
    steps: int | None


def _problem(inputs: Mapping[str, Any]) -> Problem:
    """The inputs with the default problem's values where none were given, checked to fit."""
    w = np.array(inputs["weights"] if inputs["weights"] is not None else fields.DEFAULT_WEIGHTS, dtype=float)
    lam = fields.DEFAULT_LAM if inputs["lam"] is None else inputs["lam"]
    kinds = inputs["penalty"] if inputs["penalty"] is not None else fields.DEFAULT_PENALTIES
    for i, kind in enumerate(kinds):
        if kind in kinds[:i]:
            raise InputError("--penalty", f"{kind} is given twice; give each penalty once")
    if inputs["l1_ratio"] is not None and "elastic" not in kinds:
        raise InputError("--l1-ratio", "applies to the elastic net only; add --penalty elastic")
    l1_ratio = fields.DEFAULT_L1_RATIO if inputs["l1_ratio"] is None else inputs["l1_ratio"]
    y, y_hat, data_loss = _data(inputs)
    g = _data_gradient(inputs["grad"], len(w))
    eta, steps = inputs["lr"], inputs["steps"]
    if steps is not None and eta is None:
        raise InputError("--steps", "needs --lr (the learning rate η of every step)")
    if steps is not None and steps * len(w) * len(kinds) > fields.MAX_UPDATES:
        raise InputError("--steps", f"{steps:,} steps × {len(w):,} weights × {len(kinds)} penalties are "
                                    f"{steps * len(w) * len(kinds):,} weight updates; at most {fields.MAX_UPDATES:,} are accepted")
    return Problem(w, lam, penalties(tuple(kinds), lam, l1_ratio, bool(inputs["half"])), y, y_hat, data_loss,
                   inputs["data_loss"] is not None, g,
                   inputs["grad"] is not None, eta, steps)


def _data(inputs: Mapping[str, Any]) -> tuple[np.ndarray | None, np.ndarray | None, float]:
    """y and ŷ and their MSE, or the data loss as a number; when neither is given, the default
    problem's y and ŷ with its weights, else 0 (the SPEC's default for --data-loss)."""
    y, y_hat, loss = inputs["y"], inputs["y_hat"], inputs["data_loss"]
    if loss is not None:
        if y is not None or y_hat is not None:
            names = ", ".join(f"--{n}" for n, v in (("y", y), ("y-hat", y_hat)) if v is not None)
            raise InputError(f"--data-loss, {names}", "give the data loss as a number or as --y with --y-hat, not both")
        return None, None, loss
    if (y is None) != (y_hat is None):
        raise InputError("--y" if y is None else "--y-hat", "is missing; the MSE needs both the targets --y and the predictions --y-hat")
    if y is None and inputs["weights"] is not None:  # the user's own weights: the penalty alone, as --data-loss 0
        return None, None, 0.0
    if y is None:  # the default problem's targets and predictions go with its weights
        y, y_hat = fields.DEFAULT_Y, fields.DEFAULT_Y_HAT
    if len(y_hat) != len(y):
        raise InputError("--y-hat", f"has {len(y_hat)} values but --y has {len(y)} (one prediction per target)")
    y_v, y_hat_v = np.array(y, dtype=float), np.array(y_hat, dtype=float)
    with np.errstate(over="ignore"):
        loss = mse(y_v, y_hat_v)
    if not np.isfinite(loss):
        raise InputError("--y/--y-hat", "the squared errors overflow double precision")
    return y_v, y_hat_v, loss


def _data_gradient(grad: float | tuple[float, ...] | None, n: int) -> np.ndarray:
    """∂L_data/∂w: 0 when not given, one number for every weight, or one per weight."""
    if grad is None:
        return np.zeros(n)
    if isinstance(grad, tuple):
        if len(grad) != n:
            raise InputError("--grad", f"has {len(grad)} values but --weights has {n} (one ∂L_data/∂w per weight, or one number for all)")
        return np.array(grad, dtype=float)
    return np.full(n, float(grad))


# --- computing -----------------------------------------------------------------------------


class Result(NamedTuple):
    """One penalty's numbers."""

    penalty: Penalty
    value: float
    cost: float
    grad: np.ndarray  # ∂J/∂w = g + ∂penalty/∂w
    updated: np.ndarray | None
    history: np.ndarray | None  # rows: w after each step


def _results(p: Problem, s: Sums) -> list[Result]:
    out = []
    with np.errstate(over="ignore", invalid="ignore"):
        for penalty in p.penalties:
            value = penalty.value(s.abs_sum, s.square_sum)
            grad = p.g + penalty.gradient(p.w)
            updated = None if p.eta is None else p.w - p.eta * grad
            steps = None if p.steps is None else history(penalty, p.w, p.g, p.eta, p.steps)
            out.append(Result(penalty, value, p.data_loss + value, grad, updated, steps))
    if not all(np.all(np.isfinite(x)) for r in out for x in (r.cost, r.grad, r.updated, r.history) if x is not None):
        raise InputError("--weights/--lam/--grad/--lr", "the numbers overflow double precision (w², λΣw² or the update is too large)")
    return out


# --- writing -------------------------------------------------------------------------------


def _w(i: int) -> str:
    return f"w_{{{i}}}"


def _data_step(p: Problem) -> Step:
    if p.y is None:
        title = "The data loss, given" if p.data_given else "The data loss: no --y/--y-hat or --data-loss given, so 0 (the penalty alone)"
        return Step(line(title), (eq(r"L_{\text{data}} = ", p.data_loss),), ("data_loss",))
    n = len(p.y)
    formula = eq(r"L_{\text{data}} = \frac{1}{n} \sum_i (y_i - \hat{y}_i)^2")
    if n > DETAIL_MAX:
        table = Table(line("each target, prediction and squared error"), ("$i$", "$y_i$", r"$\hat{y}_i$", r"$(y_i - \hat{y}_i)^2$"),
                      tuple((i, a, b, (a - b) ** 2) for i, (a, b) in enumerate(zip(p.y.tolist(), p.y_hat.tolist()), 1)))
        total = float(np.sum((p.y - p.y_hat) ** 2))
        body: tuple[Block, ...] = (formula, table, eq(r"L_{\text{data}} = \frac{", total, "}{", n, "} = ", p.data_loss))
    else:
        errors = joined([("(", a, " - ", Num(b, paren=True), ")^2") for a, b in zip(p.y.tolist(), p.y_hat.tolist())], " + ")
        squares = joined([Num((a - b) ** 2) for a, b in zip(p.y.tolist(), p.y_hat.tolist())], " + ")
        body = (formula, eq(r"L_{\text{data}} = \frac{1}{", n, r"} \left(", *errors, r"\right) = \frac{1}{", n, r"} \left(", *squares,
                            r"\right) = ", p.data_loss))
    return Step(line("The data loss: the notes' mean squared error (no ½)"), body, ("data_loss",))


def _sum_lines(w: np.ndarray, s: Sums, need_abs: bool, need_square: bool) -> list[Block]:
    """Σ|wᵢ| and Σwᵢ² term by term (or just their values for many weights)."""
    out: list[Block] = []
    many = len(w) > DETAIL_MAX
    if need_abs:
        terms = (r"\ldots",) if many else joined([("|", Num(x), "|") for x in w.tolist()], " + ")
        out.append(eq(r"\sum_i |w_i| = ", *terms, " = ", s.abs_sum))
    if need_square:
        terms = (r"\ldots",) if many else joined([(Num(x, paren=True), "^2") for x in w.tolist()], " + ")
        out.append(eq(r"\sum_i w_i^2 = ", *terms, " = ", s.square_sum))
    return out


def _symbolic(penalty: Penalty) -> str:
    """The penalty in symbols."""
    half = r"\frac{1}{2} " if penalty.half else ""
    return {"l1": r"\lambda \sum_i |w_i|",
            "l2": half + r"\lambda \sum_i w_i^2",
            "elastic": r"\lambda \left(r \sum_i |w_i| + " + (r"\frac{1 - r}{2}" if penalty.half else "(1 - r)")
                       + r" \sum_i w_i^2\right)"}[penalty.kind]


def _with_numbers(penalty: Penalty, s: Sums) -> tuple[Part, ...]:
    """The penalty with λ, r and the sums put in."""
    if penalty.kind == "l1":
        return (penalty.lam, r" \cdot ", s.abs_sum)
    if penalty.kind == "l2":
        return ((r"\frac{1}{2} \cdot " if penalty.half else ""), penalty.lam, r" \cdot ", s.square_sum)
    r = penalty.l1_ratio
    l2 = (r"\frac{", 1 - r, "}{2}") if penalty.half else (1 - r,)
    return (penalty.lam, r" \cdot (", r, r" \cdot ", s.abs_sum, " + ", *l2, r" \cdot ", s.square_sum, ")")


def _penalty_step(p: Problem, r: Result, s: Sums) -> Step:
    k = r.penalty.kind
    pen, cost = rf"\Omega_{{\text{{{r.penalty.label}}}}}", rf"J_{{\text{{{r.penalty.label}}}}}"
    body = [*_sum_lines(p.w, s, k != "l2", k != "l1"),
            eq(pen, " = ", _symbolic(r.penalty), " = ", *_with_numbers(r.penalty, s), " = ", r.value),
            eq(cost, r" = L_{\text{data}} + ", pen, " = ", p.data_loss, " + ", r.value, " = ", r.cost)]
    return Step(line(f"{r.penalty.label} penalty and cost"), tuple(body), (f"penalty.{k}", f"cost.{k}"))


def _gradient_symbolic(penalty: Penalty) -> str:
    two = "" if penalty.half else "2"
    return {"l1": rf"\lambda {SIGN}(w_i)",
            "l2": rf"{two}\lambda w_i",
            "elastic": rf"\lambda \left(r {SIGN}(w_i) + {'' if penalty.half else '2'}(1 - r) w_i\right)"}[penalty.kind]


def _gradient_numbers(penalty: Penalty, x: float) -> tuple[Part, ...]:
    """∂penalty/∂wᵢ with the numbers of one weight put in."""
    wx = Num(x, paren=True)
    sign = (rf"{SIGN}(", Num(x), ")")
    two = () if penalty.half else (r"2 \cdot ",)
    if penalty.kind == "l1":
        return (penalty.lam, r" \cdot ", *sign, " = ", penalty.lam, r" \cdot ", Num(int(np.sign(x)), paren=True))
    if penalty.kind == "l2":
        return (*two, penalty.lam, r" \cdot ", wx)
    return (penalty.lam, r" \cdot \left(", penalty.l1_ratio, r" \cdot ", *sign, " + ", *two, 1 - penalty.l1_ratio, r" \cdot ", wx, r"\right)")


def _gradient_step(p: Problem, r: Result) -> Step:
    k, penalty = r.penalty.kind, r.penalty
    body: list[Block] = [eq(r"\frac{\partial J}{\partial w_i} = g_i + ", _gradient_symbolic(penalty),
                            r", \quad g_i = \frac{\partial L_{\text{data}}}{\partial w_i}")]
    if p.eta is not None:
        body.append(eq(r"w_i \leftarrow w_i - \eta \frac{\partial J}{\partial w_i}, \quad \eta = ", p.eta))
    if len(p.w) > DETAIL_MAX:
        header = ("$i$", "$w_i$", "$g_i$", r"$\partial J / \partial w_i$") + (() if p.eta is None else (r"$w_i$ updated",))
        rows = tuple((i, x, gi, d) + (() if r.updated is None else (r.updated[i - 1],))
                     for i, (x, gi, d) in enumerate(zip(p.w.tolist(), p.g.tolist(), r.grad.tolist()), 1))
        body.append(Table(line(f"each weight's gradient{'' if p.eta is None else ' and update'}"), header, rows))
    else:
        for i, (x, gi, d) in enumerate(zip(p.w.tolist(), p.g.tolist(), r.grad.tolist()), 1):
            body.append(eq(rf"\frac{{\partial J}}{{\partial {_w(i)}}} = ", gi, " + ", *_gradient_numbers(penalty, x), " = ", d))
        if r.updated is not None:
            body += [eq(rf"{_w(i)} \leftarrow ", x, " - ", p.eta, r" \cdot ", Num(d, paren=True), " = ", u)
                     for i, (x, d, u) in enumerate(zip(p.w.tolist(), r.grad.tolist(), r.updated.tolist()), 1)]
    answers = (f"grad.{k}",) + (() if r.updated is None else (f"updated.{k}",))
    title = f"{penalty.label}: the gradient" + ("" if p.eta is None else " and one update")
    return Step(line(title), tuple(body), answers)


def _zero_from(rows: np.ndarray) -> list[int | None]:
    """Per weight: the first step from which it stays exactly 0 (None when it is not 0 at the end)."""
    out: list[int | None] = []
    for column in rows.T:
        nonzero = np.flatnonzero(column != 0)
        if column[-1] != 0:
            out.append(None)
        else:
            out.append(1 if len(nonzero) == 0 else int(nonzero[-1]) + 2)
    return out


def _rule_lines(p: Problem, penalty: Penalty) -> list[Block]:
    """The repeated step's rule with its coefficients (the L1 part by its proximal step)."""
    eta, c = p.eta, 2 * penalty.b  # c: the L2 part's gradient coefficient (2λ, λ, 2λ(1 − r) …)
    if not penalty.a:  # L2 alone: the plain gradient step, a constant factor on w
        factor = 1 - eta * c
        eta_c = penalty.l2_symbol.replace(r"\lambda", r"\eta\lambda")  # 2ηλ, ηλ
        out: list[Block] = [eq(rf"w_i \leftarrow w_i - \eta (g_i + {penalty.l2_symbol} w_i) = (1 - {eta_c}) w_i - \eta g_i = ",
                               factor, r" w_i - ", eta, " g_i")]
        if not p.g.any():
            out.append(line("With $g = 0$ every step multiplies each weight by ", factor,
                            ": it shrinks toward 0 but reaches it only in the limit (unless the factor is 0)."))
        return out
    r = " r" if penalty.kind == "elastic" else ""
    data = eq(r"v_i = w_i - \eta g_i") if not c else eq(rf"v_i = w_i - \eta (g_i + {penalty.l2_symbol} w_i) = w_i - ", eta,
                                                         r" (g_i + ", c, " w_i)")
    return [data,
            eq(rf"w_i \leftarrow {SIGN}(v_i) \max(|v_i| - \eta\lambda{r}, 0), \quad \eta\lambda{r} = ", eta * penalty.a),
            line("The L1 part is taken by its proximal step (soft-thresholding): a weight that would step across 0 stops at "
                 f"exactly 0 and stays there while $|g_i| \\le \\lambda{r}$.")]


def _zero_summary(p: Problem, penalty: Penalty, rows: np.ndarray) -> list[Block]:
    """Which weights are exactly 0 at the end, and from which step."""
    zero_from = _zero_from(rows)
    zeros = [(i, t) for i, t in enumerate(zero_from, 1) if t is not None]
    n = len(zero_from)
    if n > SUMMARY_MAX:
        return [line(f"{len(zeros):,} of {n:,} weights are exactly 0 after step {p.steps}.")]
    if not zeros:
        return [line(f"No weight is exactly 0 after step {p.steps}.")]
    listed = ", ".join(f"$w_{{{i}}}$ from step {t}" if t > 1 or (p.w[i - 1] != 0) else f"$w_{{{i}}}$ (0 from the start)"
                       for i, t in zeros)
    return [line(f"Exactly 0 after step {p.steps}: {listed}.")]


def _steps_step(p: Problem, r: Result) -> Step:
    penalty, rows = r.penalty, r.history
    n = len(p.w)
    body = _rule_lines(p, penalty)
    header = ("step",) + tuple(f"$w_{{{i}}}$" for i in range(1, n + 1))
    table_rows = [(0, *p.w.tolist())] + [(t, *row) for t, row in enumerate(rows.tolist(), 1)]
    body.append(Table(line(f"the weights after each step ({penalty.label})"), header, table_rows))
    body += _zero_summary(p, penalty, rows)
    return Step(line(f"{penalty.label} over {p.steps} step{'s' if p.steps != 1 else ''}, the data gradient held at $g$"),
                tuple(body), (f"history.{penalty.kind}",))


def _side_by_side_step(p: Problem, results: Sequence[Result]) -> Step:
    """Each weight at the start and after the last step under every penalty, with the count of exact zeros."""
    header = ("$i$", "$w_i$ at the start") + tuple(f"{r.penalty.label} after {p.steps}" for r in results)
    rows = tuple((i, x, *(r.history[-1][i - 1] for r in results)) for i, x in enumerate(p.w.tolist(), 1))
    zeros = [line(f"{r.penalty.label}: {int(np.sum(r.history[-1] == 0)):,} of {len(p.w):,} weights exactly 0.") for r in results]
    return Step(line(f"Side by side after {p.steps} step{'s' if p.steps != 1 else ''}"),
                (Table(line("each weight under each penalty"), header, rows), *zeros))


# --- notes and the whole -------------------------------------------------------------------


def _notes(p: Problem, results: Sequence[Result]) -> list[Note]:
    kinds = {r.penalty.kind for r in results}
    notes = []
    if p.y is not None:
        notes.append(Note(line(r"The data loss is the notes' MSE $(1/n)\sum_i (y_i - \hat{y}_i)^2$, without a ½"
                               "; PyTorch's MSELoss with its default mean reduction is the same.")))
    if kinds & {"l2", "elastic"}:
        if p.penalties[0].half:
            notes.append(Note(line(r"--half: the L2 part is $\frac{1}{2}\lambda \sum_i w_i^2$, its gradient $\lambda w_i$ "
                                   "as PyTorch's SGD with weight decay λ adds. The notes write $\\lambda \\sum_i w_i^2$, gradient $2\\lambda w_i$.")))
        else:
            notes.append(Note(line(r"The L2 term is the notes' $\lambda \sum_i w_i^2$ (no ½), so its gradient is $2\lambda w_i$. Many texts "
                                   r"write $\frac{1}{2}\lambda \sum_i w_i^2$ with gradient $\lambda w_i$, as PyTorch's SGD with weight decay λ adds: --half.")))
    if kinds & {"l1", "elastic"}:
        notes.append(Note(line(r"At a weight of exactly 0, $|w|$ has no slope; the L1 gradient uses $\operatorname{sign}(0) = 0$, "
                               "the subgradient PyTorch's autograd and NumPy's sign give.")))
    if "elastic" in kinds:
        notes.append(Note(line(r"Elastic net: $\lambda (r \sum_i |w_i| + (1 - r) \sum_i w_i^2)$ with $r$ = --l1-ratio = ",
                               p.penalties[0].l1_ratio, r"; scikit-learn's ElasticNet halves the L2 part, "
                               r"$\alpha (r \lVert w \rVert_1 + \frac{1}{2}(1 - r) \lVert w \rVert_2^2)$: --half.")))
    if p.steps is not None:
        notes.append(Note(line(f"--steps {p.steps}: the update repeated {p.steps} times with the data gradient held at $g$; "
                               "a real network's g changes every step. The L1 part is taken by its proximal step, soft-thresholding "
                               r"$w \leftarrow \operatorname{sign}(v) \max(|v| - \eta\lambda, 0)$ as ISTA and scikit-learn's Lasso do, "
                               "so a weight reaches exactly 0 and stays there. The plain subgradient step "
                               r"$w - \eta\lambda \operatorname{sign}(w)$ is the single update above, and what adding "
                               r"$\lambda \sum_i |w_i|$ to a loss in PyTorch gives: it steps across 0 and then jumps around it, "
                               "reaching exactly 0 only by coincidence.")))
        for r in results:
            differ = [] if r.updated is None else np.flatnonzero(r.updated != r.history[0])
            if len(differ):
                parts = joined([(f"$w_{{{i + 1}}}$: $", Num(r.updated[i]), "$ against $", Num(r.history[0][i]), "$") for i in differ[:SUMMARY_MAX]], ", ")
                notes.append(Note(line(f"{r.penalty.label}: step 1 of the steps differs from the single update, the plain step against "
                                       "the proximal step, where the plain step carries a weight across 0 or off it: ", *parts,
                                       "" if len(differ) <= SUMMARY_MAX else f" and {len(differ) - SUMMARY_MAX:,} more", "."), "warning"))
    if p.g_given is False and p.eta is not None:
        notes.append(Note(line(r"No --grad: the data gradient $g = \partial L_{\text{data}} / \partial w$ is taken as 0, "
                               "so the update shows the penalty's pull alone.")))
    return notes


def _title(p: Problem) -> str:
    labels = [r.label for r in p.penalties]
    names = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    kind = "penalty" if len(labels) == 1 else "penalties"
    return f"Regularization: {names} {kind} on {len(p.w)} weight{'s' if len(p.w) != 1 else ''}, λ = {p.lam:g}"


def _echoed(p: Problem) -> dict[str, Any]:
    data = {"data_loss": p.data_loss} if p.y is None else {"y": p.y.tolist(), "y_hat": p.y_hat.tolist()}
    return {"weights": p.w.tolist(), "lam": p.lam, "penalty": [r.kind for r in p.penalties], "l1_ratio": p.penalties[0].l1_ratio,
            "half": p.penalties[0].half, **data, "grad": p.g.tolist(), "lr": p.eta, "steps": p.steps}


def solve(inputs: Mapping[str, Any]) -> Derivation:
    p = _problem(inputs)
    with np.errstate(over="ignore", invalid="ignore"):
        s = sums(p.w)
    if not (np.isfinite(s.abs_sum) and np.isfinite(s.square_sum)):
        raise InputError("--weights", "the numbers overflow double precision (Σw² is too large)")
    results = _results(p, s)
    steps = [_data_step(p)]
    steps += [_penalty_step(p, r, s) for r in results]
    steps += [_gradient_step(p, r) for r in results]
    if p.steps is not None:
        steps += [_steps_step(p, r) for r in results]
        if len(results) > 1:
            steps.append(_side_by_side_step(p, results))
    answers: dict[str, Any] = {
        "data_loss": p.data_loss,
        "penalty": {r.penalty.kind: r.value for r in results},
        "cost": {r.penalty.kind: r.cost for r in results},
        "grad": {r.penalty.kind: r.grad.tolist() for r in results},
        "updated": None if p.eta is None else {r.penalty.kind: r.updated.tolist() for r in results},
    }
    if p.steps is not None:
        answers["history"] = {r.penalty.kind: r.history.tolist() for r in results}
    return Derivation(fields.COMMAND, _title(p), _echoed(p), tuple(steps), answers, tuple(_notes(p, results)))
