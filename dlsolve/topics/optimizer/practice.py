"""Optimizer exercises: a few steps of one or several update rules.

Exam-friendly means: at the easy level f(w) = w² (g = 2w) with η = 0.1, 0.2 or 0.25, so GD
multiplies w by 0.8, 0.6 or 0.5, and β = 0.5 or 0.9; at the exam level an exam's given
gradients with one decimal; at the hard level a two-parameter bowl with whole-number
curvatures and centers.
"""

from __future__ import annotations

from dlsolve.core.derivation import Line, line
from dlsolve.practice.draw import Draw, first
from dlsolve.practice.exercise import Generated, Question, given, numbered, vector
from dlsolve.topics.optimizer.names import METHODS, NAMES, STATES

TITLE = "Optimizer steps"
RULES = {
    "gd": r"$w \leftarrow w - \eta g$",
    "momentum": r"$v \leftarrow \beta v + g$, $w \leftarrow w - \eta v$ (PyTorch's form, $v_{0} = 0$)",
    "nesterov": r"$v \leftarrow \beta v + g$, $w \leftarrow w - \eta (g + \beta v)$ (PyTorch's form, $v_{0} = 0$)",
    "adagrad": r"$G \leftarrow G + g^{2}$, $w \leftarrow w - \eta g/(\sqrt{G} + \varepsilon)$ ($G_{0} = 0$)",
    "rmsprop": r"$v \leftarrow \rho v + (1 - \rho) g^{2}$, $w \leftarrow w - \eta g/(\sqrt{v} + \varepsilon)$ ($v_{0} = 0$)",
    "adam": (r"$m \leftarrow \beta_{1} m + (1 - \beta_{1}) g$, $v \leftarrow \beta_{2} v + (1 - \beta_{2}) g^{2}$, "
             r"$\hat{m} = m/(1 - \beta_{1}^{t})$, $\hat{v} = v/(1 - \beta_{2}^{t})$, "
             r"$w \leftarrow w - \eta \hat{m}/(\sqrt{\hat{v}} + \varepsilon)$ ($m_{0} = v_{0} = 0$)"),
}
SETTINGS_TEXT = {"momentum": r"$\beta = {beta}$", "nesterov": r"$\beta = {beta}$", "adagrad": r"$\varepsilon = 10^{{-8}}$",
                 "rmsprop": r"$\rho = 0.9$, $\varepsilon = 10^{{-8}}$", "adam": r"$\beta_{{1}} = 0.9$, $\beta_{{2}} = 0.999$, $\varepsilon = 10^{{-8}}$"}


def generate(draw: Draw, level: str) -> Generated:
    if level == "easy":
        return _easy(draw)
    if level == "exam":
        return _exam(draw)
    return _hard(draw)


def _easy(draw: Draw) -> Generated:
    """GD or momentum, two steps on f = w² from a whole-number start."""
    method = draw.choice(("gd", "momentum"))
    w0, lr, beta = float(draw.choice((1, 2, 3, 4, 5, 10))), draw.choice((0.1, 0.2, 0.25)), draw.choice((0.5, 0.9))
    problem = {"method": [method], "w0": [w0], "lr": lr, "steps": 2}
    if method == "momentum":
        problem["beta"] = beta
    statement = (line("Minimize $f(w) = w^{2}$ (so $g = 2w$) from $w_{0} = ", given(w0), r"$ with learning rate $\eta = ", given(lr), "$."),
                 _rule_line(method, beta))
    return Generated(problem, statement, _questions(method, 2, quadratic=True), f"{NAMES[method]}, 2 steps on w², η = {lr:g}")


def _exam(draw: Draw) -> Generated:
    """Adam or RMSProp, one or two steps on given gradients."""
    method = draw.choice(("adam", "rmsprop"))
    steps = draw.choice((1, 2))
    grads = [[draw.integer(-20, 20) / 10 or 0.5] for _ in range(steps)]
    w0, lr = draw.integer(-20, 20) / 10, draw.choice((0.1, 0.01, 0.001))
    problem = {"method": [method], "grads": grads, "w0": [w0], "lr": lr}
    shown = numbered([(f"$g_{{{t}}} = ", given(g[0]), "$") for t, g in enumerate(grads, 1)])
    what = "The gradient of the loss at $w_{0}$ is " if steps == 1 else "The gradients of the loss at the next two steps are "
    statement = (line("A parameter starts at $w_{0} = ", given(w0), "$. ", what, *shown, r", and $\eta = ", given(lr), "$."),
                 _rule_line(method, 0.9))
    return Generated(problem, statement, _questions(method, steps, quadratic=False), f"{NAMES[method]}, {steps} step(s) on given gradients")


def _hard(draw: Draw) -> Generated:
    """Two parameters on ½Σaᵢ(wᵢ − cᵢ)², two or three methods side by side, two steps."""
    chosen = draw.sample(METHODS, draw.choice((2, 3)))
    methods = [m for m in METHODS if m in chosen]  # in the usual order
    a = [float(draw.choice((1, 2, 4))), float(draw.choice((5, 8, 10)))]
    c = [float(draw.integer(-2, 2)), float(draw.integer(-2, 2))]
    w0 = first(lambda: [float(draw.integer(-3, 3)), float(draw.integer(-3, 3))], lambda w: w[0] != c[0] and w[1] != c[1])
    lr = draw.choice((0.05, 0.1))
    problem = {"method": methods, "curvature": a, "center": c, "w0": w0, "lr": lr, "steps": 2}
    statement = (line(r"Minimize $f(w) = \frac{1}{2} \sum_{i} a_{i} (w_{i} - c_{i})^{2}$ with $a = ", *vector(a), "$ and $c = ", *vector(c),
                      r"$ (so $g_{i} = a_{i}(w_{i} - c_{i})$), from $w_{0} = ", *vector(w0), r"$ with $\eta = ", given(lr), "$."),
                 *(_rule_line(m, 0.9) for m in methods))
    questions = tuple(Question(line(f"{NAMES[m]}: compute $w_{{1}}$ and $w_{{2}}$, and $f(w_{{2}})$."),
                               (f"params.{m}.1", f"params.{m}.2", f"loss.{m}.2")) for m in methods)
    compare = Question(line("Which method ends closest to the minimum $c$? Give each method's final $w$."), tuple(f"final.{m}" for m in methods))
    return Generated(problem, statement, (*questions, compare), f"{', '.join(NAMES[m] for m in methods)}; two parameters, 2 steps")


def _rule_line(method: str, beta: float) -> Line:
    settings = SETTINGS_TEXT.get(method, "").format(beta=f"{beta:g}")
    return line(f"{NAMES[method]}: ", RULES[method], *((" with ", settings) if settings else ()), ".")


def _questions(method: str, steps: int, quadratic: bool) -> tuple[Question, ...]:
    out = []
    for t in range(1, steps + 1):
        states = ", ".join(_symbol(name, t) for name in STATES[method])
        ask = f"compute {states} and $w_{{{t}}}$." if states else f"compute $w_{{{t}}}$."
        keys = (*(f"state.{method}.{name}.{t}" for name in STATES[method]), f"params.{method}.{t}")
        out.append(Question(line(f"Step {t}: {ask}"), keys))
    if quadratic:
        out.append(Question(line(f"Compute $f(w_{{{steps}}})$. How much did the loss fall from $f(w_{{0}})$?"), (f"loss.{method}.{steps}",)))
    return tuple(out)


def _symbol(name: str, t: int) -> str:
    return {"m_hat": f"$\\hat{{m}}_{{{t}}}$", "v_hat": f"$\\hat{{v}}_{{{t}}}$"}.get(name, f"${name}_{{{t}}}$")
