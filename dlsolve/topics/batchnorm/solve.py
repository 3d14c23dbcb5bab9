"""Batch normalization (training mode), and the notes' three other normalizations.

Every statistic is per feature (column); rows are the m examples of the mini-batch.

Forward   μ_B = (1/m) Σ xᵢ,  σ²_B = (1/m) Σ (xᵢ − μ_B)²,  x̂ᵢ = (xᵢ − μ_B)/√(σ²_B + ε),  yᵢ = γ x̂ᵢ + β
Running   PyTorch: running = (1 − momentum)·running + momentum·(batch statistic), from 0 and 1,
          with the unbiased variance s² = m/(m − 1)·σ²_B for running_var
Backward  with gᵢ = ∂L/∂yᵢ:  ∂L/∂β = Σ gᵢ,  ∂L/∂γ = Σ gᵢ x̂ᵢ,
          ∂L/∂xᵢ = γ/(m√(σ²_B + ε)) · (m gᵢ − Σ g − x̂ᵢ Σ g x̂)
Others    min-max (x − min)/(max − min);  z-score (x − μ)/σ with the population σ (1/m);
          max-abs x / max|x|

Small batches are written the way an exam wants them (every sum term by term, one line
per value); larger ones as per-feature tables and matrices.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np

from dlsolve.core.derivation import Block, Derivation, Line, Note, Num, Part, Step, Table, joined, line, math
from dlsolve.core.inputs import Choice, Field, InputError, Matrix, Number, NumberOrVector, Vector, parse_matrix, parse_vector

COMMAND = "batchnorm"
METHODS = ("batchnorm", "minmax", "zscore", "maxabs")
METHOD_NAMES = {"batchnorm": "Batch normalization", "minmax": "Min-max normalization",
                "zscore": "Z-score normalization (standardization)", "maxabs": "Max-abs normalization"}
DEFAULT_BATCH = (7.0, 1.0, 15.0, 9.0)  # μ = 8, σ² = 25: x̂ = −0.2, −1.4, 1.4, 0.2 (worked_examples/batchnorm-default.toml)
DEFAULT_GAMMA, DEFAULT_BETA, DEFAULT_EPS, DEFAULT_MOMENTUM = 1.0, 0.0, 1e-5, 0.1
BATCHNORM_ONLY = ("gamma", "beta", "eps", "momentum", "grad_y")
MAX_VALUES = 100_000  # values in the batch (an exam has 4–12; the JSON of 100,000 takes seconds)
WRITTEN_MAX_EXAMPLES = 8  # up to this many examples, every sum is written term by term
WRITTEN_MAX_FEATURES = 4  # up to this many features, one line per feature (else a table)
TINY_VARIANCE = 100  # σ² below 100·ε: ε visibly shrinks x̂ (its SD drops below 0.995)


class MatrixOrVector(NamedTuple):
    """A mini-batch: rows of examples ``"1,2; 3,4"`` (a matrix), or a plain vector
    ``7,1,15,9`` (m examples of one feature). The two give differently shaped answers."""

    def read_text(self, text: str, where: str) -> tuple[float, ...] | tuple[tuple[float, ...], ...]:
        return parse_matrix(text, where, MAX_VALUES) if ";" in text else parse_vector(text, where, MAX_VALUES)

    def read_value(self, value: Any, where: str) -> tuple[float, ...] | tuple[tuple[float, ...], ...]:
        if isinstance(value, str):
            return self.read_text(value, where)
        if isinstance(value, list) and value and all(isinstance(row, list) for row in value):
            return Matrix(MAX_VALUES).read_value(value, where)
        return Vector(MAX_VALUES).read_value(value, where)


FIELDS = (
    Field("batch", MatrixOrVector(), DEFAULT_BATCH),
    Field("method", Choice(METHODS), "batchnorm"),
    # None: not given (1, 0, 1e-5, 0.1 for batchnorm; the other methods refuse them)
    Field("gamma", NumberOrVector(), None),
    Field("beta", NumberOrVector(), None),
    Field("eps", Number(low=0), None),
    Field("momentum", Number(low=0, high=1), None),
    Field("grad_y", MatrixOrVector(), None),
)


# --- the inputs and their validation ---------------------------------------------------


class Batch(NamedTuple):
    """The mini-batch as an m × d array; ``vector`` when it was given as a plain vector
    (then the answers are vectors and numbers instead of matrices and vectors). It also
    decides how the steps show it: every term for a small batch, tables for a large one."""

    X: np.ndarray
    vector: bool

    @property
    def m(self) -> int:
        return self.X.shape[0]

    @property
    def d(self) -> int:
        return self.X.shape[1]

    def feature(self, j: int) -> str:
        """Where an error about feature j (0-based) points."""
        return "--batch" if self.d == 1 else f"--batch (feature {j + 1})"

    def shaped(self, M: np.ndarray) -> list:
        """An m × d result as an answer: a vector for a plain-vector batch, else a matrix."""
        return M[:, 0].tolist() if self.vector else M.tolist()

    def per_feature(self, v: np.ndarray) -> float | list[float]:
        """A per-feature result as an answer: a number for a plain-vector batch, else a vector."""
        return float(v[0]) if self.vector else v.tolist()

    # how the steps show it: written out for a small batch, tables for a large one

    @property
    def written(self) -> bool:
        """Few enough examples to write every sum term by term."""
        return self.m <= WRITTEN_MAX_EXAMPLES

    @property
    def few_features(self) -> bool:
        """Few enough features for one line each (more go into tables)."""
        return self.d <= WRITTEN_MAX_FEATURES

    def lines(self, parts_of: Callable[[int], tuple[Part, ...]]) -> list[Block]:
        """One equation per feature: on its own for one feature, "feature 2: …" for several."""
        if self.d == 1:
            return [math(*parts_of(0))]
        return [line(f"feature {j + 1}: $", *parts_of(j), "$") for j in range(self.d)]

    def rules(self, parts_of: Callable[[int], tuple[Part, ...]]) -> list[Block]:
        """Each feature's formula with its numbers, when there are a few features (one
        feature gets a line per value instead; many get their numbers in tables)."""
        return self.lines(parts_of) if self.d > 1 and self.few_features else []

    def features(self, parts_of: Callable[[int], tuple[Part, ...]], caption: str,
                 columns: Mapping[str, np.ndarray]) -> list[Block]:
        """One equation per feature, or, for many features, a table with one row per feature."""
        if self.few_features:
            return self.lines(parts_of)
        header = ("feature", *columns)
        rows = tuple((j + 1, *(float(v[j]) for v in columns.values())) for j in range(self.d))
        return [Table(line(caption), header, rows)]

    def elements(self, parts_of: Callable[[int], tuple[Part, ...]], caption: str, M: np.ndarray) -> list[Block]:
        """One equation per value for one feature and few examples, else a table: xᵢ and the
        result for one feature, the m × d matrix for several."""
        if self.d == 1 and self.written:
            return [math(*parts_of(i)) for i in range(self.m)]
        if self.d == 1:
            rows = tuple((i + 1, x, v) for i, (x, v) in enumerate(zip(self.X[:, 0].tolist(), M[:, 0].tolist())))
            return [Table(line(f"{caption} of each example"), ("$i$", "$x_i$", caption), rows)]
        header = ("$i$", *(f"feature {j + 1}" for j in range(self.d)))
        rows = tuple((i + 1, *row) for i, row in enumerate(M.tolist()))
        return [Table(line(f"{caption} (rows = examples, columns = features)"), header, rows)]


def _as_columns(value: Any) -> tuple[np.ndarray, bool]:
    """A batch-shaped input as an m × d array, and whether it was a plain vector."""
    A = np.array(value, dtype=float)
    return (A[:, None], True) if A.ndim == 1 else (A, False)


def _shape_text(A: np.ndarray, vector: bool) -> str:
    return f"{A.shape[0]} values" if vector else f"{A.shape[0]} rows × {A.shape[1]} columns"


def _batch(inputs: Mapping[str, Any]) -> Batch:
    X, vector = _as_columns(inputs["batch"])
    if X.shape[0] < 2:
        what = "1 value" if vector else "1 example (row)"
        raise InputError("--batch", f"has {what}; a mini-batch needs m ≥ 2 examples (one value has variance 0, so it says nothing)")
    if X.size > MAX_VALUES:
        raise InputError("--batch", f"has more than {MAX_VALUES:,} values; this tool is for exercises")
    with np.errstate(over="ignore"):
        sums = X.sum(axis=0)  # the steps write Σxᵢ
    if not np.isfinite(sums).all():
        raise InputError("--batch", "the values are too large: their sum overflows double precision")
    return Batch(X, vector)


def _per_feature_parameter(value: Any, default: float, option: str, batch: Batch) -> np.ndarray:
    """γ or β: one number for every feature, or one per feature."""
    if value is None:
        value = default
    if np.isscalar(value):
        return np.full(batch.d, float(value))
    v = np.array(value, dtype=float)
    if v.shape != (batch.d,):
        kind = "a plain-vector --batch is m examples of one feature" if batch.vector else "one column per feature"
        raise InputError(option, f"has {len(v)} values but --batch has {batch.d} feature{'s' * (batch.d > 1)} "
                                 f"({kind}); give one number, or one per feature")
    return v


def _upstream_gradient(value: Any, batch: Batch) -> np.ndarray | None:
    """∂L/∂y, the same shape as the batch (a plain vector of m values fits an m × 1 batch)."""
    if value is None:
        return None
    G, vector = _as_columns(value)
    if G.shape != batch.X.shape:
        raise InputError("--grad-y", f"has {_shape_text(G, vector)} but --batch has {_shape_text(batch.X, batch.vector)} "
                                     "(one upstream gradient ∂L/∂y per value of the batch)")
    return G


def _refuse_batchnorm_options(inputs: Mapping[str, Any], method: str) -> None:
    for name in BATCHNORM_ONLY:
        if inputs[name] is not None:
            raise InputError("--" + name.replace("_", "-"),
                             f"applies only to --method batchnorm (--method {method} has no γ, β, ε, running statistics or backward pass)")


def _constant_features(batch: Batch) -> list[int]:
    """The features whose values are all equal (exactly: their variance is 0)."""
    return [j for j in range(batch.d) if np.ptp(batch.X[:, j]) == 0]


# --- the maths -------------------------------------------------------------------------


def _moments(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-feature mean μ and biased variance σ² = (1/m) Σ (x − μ)². The mean is summed on the
    data shifted by its first row, so equal values have exactly that value as mean (and
    variance exactly 0) despite rounding."""
    mu = X[0] + (X - X[0]).mean(axis=0)
    return mu, ((X - mu) ** 2).mean(axis=0)


class BatchNorm(NamedTuple):
    """The forward pass (training mode) and the running statistics, per feature."""

    mu: np.ndarray
    var: np.ndarray  # biased, 1/m
    std: np.ndarray  # √(σ² + ε)
    x_hat: np.ndarray
    y: np.ndarray
    s2: np.ndarray  # unbiased, 1/(m − 1): what PyTorch's running_var averages
    running_mean: np.ndarray
    running_var: np.ndarray


def _batchnorm(X: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float, momentum: float) -> BatchNorm:
    m = X.shape[0]
    # batch statistics: μ_B and the biased σ²_B
    mu, var = _moments(X)
    # normalize, then scale and shift
    std = np.sqrt(var + eps)
    x_hat = (X - mu) / std
    y = gamma * x_hat + beta
    # running statistics from 0 and 1, PyTorch's momentum, unbiased variance
    s2 = var * m / (m - 1)
    running_mean = (1 - momentum) * 0.0 + momentum * mu
    running_var = (1 - momentum) * 1.0 + momentum * s2
    return BatchNorm(mu, var, std, x_hat, y, s2, running_mean, running_var)


class Backward(NamedTuple):
    """The backward pass for an upstream gradient g = ∂L/∂y."""

    g: np.ndarray
    sum_g: np.ndarray  # Σ g = ∂L/∂β
    sum_g_xhat: np.ndarray  # Σ g x̂ = ∂L/∂γ
    scale: np.ndarray  # γ/(m√(σ² + ε))
    grad_x: np.ndarray


def _backward(bn: BatchNorm, g: np.ndarray, gamma: np.ndarray) -> Backward:
    """∂L/∂xᵢ = γ/(m√(σ²+ε)) · (m gᵢ − Σg − x̂ᵢ Σ g x̂): ∂L/∂x̂ = γg, carried through x̂'s
    dependence on xᵢ directly and through μ_B and σ²_B (which every xᵢ moves)."""
    m = g.shape[0]
    sum_g = g.sum(axis=0)
    sum_g_xhat = (g * bn.x_hat).sum(axis=0)
    scale = gamma / (m * bn.std)
    grad_x = scale * (m * g - sum_g - bn.x_hat * sum_g_xhat)
    return Backward(g, sum_g, sum_g_xhat, scale, grad_x)


# --- numbers written into formulas ---------------------------------------------------------


def _terms(values: np.ndarray) -> tuple[Part, ...]:
    """``7 + 1 + (−3)``: the terms of a sum, negative ones in parentheses."""
    return joined([Num(v, paren=True) for v in values.tolist()], " + ")


def _products(a: np.ndarray, b: np.ndarray) -> tuple[Part, ...]:
    """``a₁ · b₁ + a₂ · b₂ + …`` with negative factors in parentheses."""
    return joined([(Num(p, paren=True), r" \cdot ", Num(q, paren=True)) for p, q in zip(a.tolist(), b.tolist())], " + ")


def _listed(values: np.ndarray, around: str = "") -> tuple[Part, ...]:
    """``7, 1, 15, 9`` (or ``|7|, |1|`` with ``around="|"``) for min(…), max(…)."""
    return joined([(around, Num(v), around) if around else Num(v) for v in values.tolist()], ", ")


# --- the worked steps shared by several methods -------------------------------------------


def _mean_step(batch: Batch, mu: np.ndarray) -> Step:
    X = batch.X

    def parts(j: int) -> tuple[Part, ...]:
        x = X[:, j]
        terms = ("\\frac{", *_terms(x), "}{", batch.m, "} = ") if batch.written else (r"\frac{\sum_i x_i}{m} = ",)
        return (r"\mu_B = ", *terms, r"\frac{", float(x.sum()), "}{", batch.m, "} = ", mu[j])

    body = batch.features(parts, "mean of each feature", {r"$\sum_i x_i$": X.sum(axis=0), r"$\mu_B$": mu})
    each = " of each feature" if batch.d > 1 else ""
    return Step(line(f"Mini-batch mean{each}: ", r"$\mu_B = \frac{1}{m} \sum_i x_i$, with $m = ", batch.m, "$"), tuple(body), ("mean",))


def _variance_step(batch: Batch, mu: np.ndarray, var: np.ndarray, sd: np.ndarray | None) -> Step:
    """σ²_B = (1/m) Σ (xᵢ − μ_B)² (and, for the z-score, σ_B = √σ²_B)."""
    X = batch.X
    squares = (X - mu) ** 2

    def parts(j: int) -> tuple[Part, ...]:
        if batch.written:
            deviations = joined([("(", Num(x, paren=True), " - ", Num(mu[j], paren=True), ")^2") for x in X[:, j].tolist()], " + ")
            terms: tuple[Part, ...] = ("\\frac{", *deviations, "}{", batch.m, "} = \\frac{", *_terms(squares[:, j]), "}{", batch.m, "} = ")
        else:
            terms = (r"\frac{\sum_i (x_i - \mu_B)^2}{m} = ",)
        shown = (r"\sigma_B^2 = ", *terms, r"\frac{", float(squares[:, j].sum()), "}{", batch.m, "} = ", var[j])
        return shown if sd is None else (*shown, r", \quad \sigma_B = \sqrt{", var[j], "} = ", sd[j])

    columns = {r"$\sum_i (x_i - \mu_B)^2$": squares.sum(axis=0), r"$\sigma_B^2$": var} | ({r"$\sigma_B$": sd} if sd is not None else {})
    body = batch.features(parts, "variance of each feature", columns)
    title = "Mini-batch variance" if sd is None else "Variance and standard deviation"
    each = " of each feature" if batch.d > 1 else ""
    formula = r"$\sigma_B^2 = \frac{1}{m} \sum_i (x_i - \mu_B)^2$ (divide by $m$)" + ("" if sd is None else r", $\sigma_B = \sqrt{\sigma_B^2}$")
    return Step(line(f"{title}{each}: {formula}"), tuple(body), ("var",) if sd is None else ("var", "sd"))


# --- batch normalization: the steps ---------------------------------------------------------


def _epsilon_line(var: np.ndarray, eps: float) -> Line:
    """Why ε is there, with this batch's numbers."""
    if eps == 0:
        return line(r"With $\epsilon = 0$ this is exactly the z-score $(x_i - \mu_B)/\sigma_B$; ",
                    r"$\epsilon > 0$ is what keeps $\hat{x}$ defined when $\sigma_B^2$ is 0 (a constant feature) or tiny.")
    smallest = float(var.min())
    if smallest == 0:
        return line(r"A constant feature has $\sigma_B^2 = 0$: there $\hat{x}_i = 0/\sqrt{\epsilon} = 0$, ",
                    r"and without $\epsilon$ it would be $0/0$. This is what $\epsilon$ is for: $\sigma_B^2$ that is 0 or tiny.")
    which = r"$\sigma_B^2 = " if len(var) == 1 else r"the smallest $\sigma_B^2$ is $"
    if smallest < TINY_VARIANCE * eps:
        return line(r"$\epsilon$ matters when $\sigma_B^2$ is 0 (a constant feature would give $0/0$) or tiny, as here: ", which, smallest,
                    r"$, so $\epsilon$ shrinks $\hat{x}$ by the factor $\sqrt{\sigma_B^2/(\sigma_B^2 + \epsilon)} = ",
                    float(np.sqrt(smallest / (smallest + eps))), "$.")
    return line(r"$\epsilon$ matters only when $\sigma_B^2$ is 0 (a constant feature would give $0/0$) or tiny; here ",
                which, smallest, r"$, so $\epsilon$ changes $\hat{x}$ by a relative amount of only $\epsilon/(2\sigma_B^2) \approx ",
                eps / (2 * smallest), "$.")


def _normalize_step(batch: Batch, bn: BatchNorm, eps: float) -> Step:
    X = batch.X

    def denominator(j: int) -> tuple[Part, ...]:
        root = (r"\sqrt{", bn.var[j], " + ", eps, "} = ")
        if batch.d == 1:
            return (r"\epsilon = ", eps, r", \quad \sqrt{\sigma_B^2 + \epsilon} = ", *root, bn.std[j])
        return (r"\hat{x}_i = (x_i - ", Num(bn.mu[j], paren=True), ")/", *root, "(x_i - ", Num(bn.mu[j], paren=True), ")/", bn.std[j])

    def element(i: int) -> tuple[Part, ...]:
        return (rf"\hat{{x}}_{{{i + 1}}} = (", Num(X[i, 0], paren=True), " - ", Num(bn.mu[0], paren=True), ")/", bn.std[0], " = ", bn.x_hat[i, 0])

    body: list[Block] = []
    if batch.d > 1:
        body.append(math(r"\epsilon = ", eps))
    body += [*batch.features(denominator, r"the denominators $\sqrt{\sigma_B^2 + \epsilon}$", {r"$\sqrt{\sigma_B^2 + \epsilon}$": bn.std}),
             *batch.elements(element, r"$\hat{x}$", bn.x_hat),
             _epsilon_line(bn.var, eps)]
    if batch.d == 1 and bn.var[0] > 0:  # a constant feature has x̂ = 0 throughout: nothing to check
        ratio = float(bn.var[0] / (bn.var[0] + eps))
        body.append(line(r"Check: $\frac{1}{m} \sum_i \hat{x}_i = 0$ and $\frac{1}{m} \sum_i \hat{x}_i^2 = \frac{\sigma_B^2}{\sigma_B^2 + \epsilon} = ",
                         ratio, r"$, so $\hat{x}$ has mean 0 and SD 1 when $\sigma_B^2 \gg \epsilon$."))
    return Step(line(r"Normalize: $\hat{x}_i = (x_i - \mu_B)/\sqrt{\sigma_B^2 + \epsilon}$"), tuple(body), ("x_hat",))


def _scale_step(batch: Batch, bn: BatchNorm, gamma: np.ndarray, beta: np.ndarray) -> Step:
    def rule(j: int) -> tuple[Part, ...]:
        if batch.d == 1:
            return (r"\gamma = ", gamma[j], r", \quad \beta = ", beta[j])
        return (r"y_i = ", gamma[j], r" \cdot \hat{x}_i + ", Num(beta[j], paren=True))

    def element(i: int) -> tuple[Part, ...]:
        return (rf"y_{{{i + 1}}} = ", Num(gamma[0], paren=True), r" \cdot ", Num(bn.x_hat[i, 0], paren=True), " + ", Num(beta[0], paren=True),
                " = ", bn.y[i, 0])

    body = [*batch.features(rule, r"$\gamma$ and $\beta$ of each feature", {r"$\gamma$": gamma, r"$\beta$": beta}),
            *batch.elements(element, "$y$", bn.y),
            line(r"$\gamma$ and $\beta$ are trainable: they let the network undo the standardization where that helps.")]
    return Step(line(r"Scale and shift: $y_i = \gamma \hat{x}_i + \beta$"), tuple(body), ("y",))


def _running_step(batch: Batch, bn: BatchNorm, momentum: float) -> Step:
    m, keep = batch.m, 1 - momentum

    def unbiased(j: int) -> tuple[Part, ...]:
        return (r"s^2 = \frac{m}{m - 1} \sigma_B^2 = \frac{", m, "}{", m - 1, r"} \cdot ", bn.var[j], " = ", bn.s2[j])

    def running_mean(j: int) -> tuple[Part, ...]:
        return (r"\mathrm{running\_mean} = ", keep, r" \cdot 0 + ", momentum, r" \cdot ", Num(bn.mu[j], paren=True), " = ", bn.running_mean[j])

    def running_var(j: int) -> tuple[Part, ...]:
        return (r"\mathrm{running\_var} = ", keep, r" \cdot 1 + ", momentum, r" \cdot ", bn.s2[j], " = ", bn.running_var[j])

    body: list[Block] = [
        line("Starting from running_mean = 0 and running_var = 1; running_var uses the unbiased variance ",
             r"$s^2$ (divide by $m - 1$). Momentum ", momentum, " is the weight of the new batch."),
    ]
    if batch.few_features:
        body += batch.lines(unbiased) + batch.lines(running_mean) + batch.lines(running_var)
    else:
        columns = {"$s^2$": bn.s2, "running_mean": bn.running_mean, "running_var": bn.running_var}
        body += batch.features(unbiased, "running statistics of each feature", columns)
    body.append(line(r"At inference these replace $\mu_B$ and $\sigma_B^2$: $\hat{x} = (x - \mathrm{running\_mean})/\sqrt{\mathrm{running\_var} + \epsilon}$."))
    title = r"Running statistics: $\mathrm{running} = (1 - \mathrm{momentum}) \cdot \mathrm{running} + \mathrm{momentum} \cdot \mathrm{batch\ statistic}$"
    return Step(line(title), tuple(body), ("running_mean", "running_var"))


def _parameter_gradient_step(batch: Batch, bn: BatchNorm, back: Backward) -> Step:
    def beta(j: int) -> tuple[Part, ...]:
        terms = (*_terms(back.g[:, j]), " = ") if batch.written else ()
        return (r"\frac{\partial L}{\partial \beta} = \sum_i g_i = ", *terms, back.sum_g[j])

    def gamma(j: int) -> tuple[Part, ...]:
        terms = (*_products(back.g[:, j], bn.x_hat[:, j]), " = ") if batch.written else ()
        return (r"\frac{\partial L}{\partial \gamma} = \sum_i g_i \hat{x}_i = ", *terms, back.sum_g_xhat[j])

    if batch.few_features:
        body = batch.lines(beta) + batch.lines(gamma)
    else:
        body = batch.features(beta, "gradients of each feature's γ and β",
                               {r"$\partial L/\partial \gamma$": back.sum_g_xhat, r"$\partial L/\partial \beta$": back.sum_g})
    title = r"Backward pass: $\partial L/\partial \beta$ and $\partial L/\partial \gamma$, with $g_i = \partial L/\partial y_i$ (--grad-y)"
    return Step(line(title), tuple(body), ("grad_gamma", "grad_beta"))


def _input_gradient_step(batch: Batch, bn: BatchNorm, back: Backward, gamma: np.ndarray) -> Step:
    m = batch.m

    def scale(j: int) -> tuple[Part, ...]:
        factor = (r"\frac{\gamma}{m\sqrt{\sigma_B^2 + \epsilon}} = \frac{", gamma[j], "}{", m, r" \cdot ", bn.std[j], "} = ", back.scale[j])
        if batch.d == 1:
            return factor
        return (*factor, r", \quad \frac{\partial L}{\partial x_i} = ", back.scale[j], r" \cdot (", m, " g_i - ", Num(back.sum_g[j], paren=True),
                r" - ", Num(back.sum_g_xhat[j], paren=True), r" \cdot \hat{x}_i)")

    def element(i: int) -> tuple[Part, ...]:
        inner = m * back.g[i, 0] - back.sum_g[0] - bn.x_hat[i, 0] * back.sum_g_xhat[0]
        return (rf"\frac{{\partial L}}{{\partial x_{{{i + 1}}}}} = ", back.scale[0], r" \cdot (", m, r" \cdot ", Num(back.g[i, 0], paren=True),
                " - ", Num(back.sum_g[0], paren=True), " - ", Num(bn.x_hat[i, 0], paren=True), r" \cdot ", Num(back.sum_g_xhat[0], paren=True),
                ") = ", back.scale[0], r" \cdot ", Num(float(inner), paren=True), " = ", back.grad_x[i, 0])

    each = " for each feature" if batch.d > 1 else ""
    body = [line(r"The chain rule through $\hat{x}_i$ and through $\mu_B$ and $\sigma_B^2$ (which every $x_i$ moves), ",
                 r"with $\sum_j g_j = \partial L/\partial \beta$ and $\sum_j g_j \hat{x}_j = \partial L/\partial \gamma$ from the previous step:"),
            *batch.features(scale, "the factor of each feature", {r"$\gamma/(m\sqrt{\sigma_B^2 + \epsilon})$": back.scale}),
            *batch.elements(element, r"$\partial L/\partial x$", back.grad_x),
            line(rf"Check: $\sum_i \partial L/\partial x_i = 0${each} (adding the same amount to every $x_i$ leaves $\hat{{x}}$ unchanged).")]
    formula = r"\frac{\partial L}{\partial x_i} = \frac{\gamma}{m\sqrt{\sigma_B^2 + \epsilon}} \cdot \left(m g_i - \sum_j g_j - \hat{x}_i \sum_j g_j \hat{x}_j\right)"
    return Step(line(f"Backward pass: ${formula}$"), tuple(body), ("grad_x",))


def _batchnorm_notes(batch: Batch, bn: BatchNorm, eps: float, has_gradient: bool) -> list[Note]:
    notes = [
        Note(line(r"Training mode: $\mu_B$ and $\sigma_B^2$ are the mini-batch's own statistics and $\sigma_B^2$ divides by $m$ (biased), ",
                  "as in the notes and in PyTorch's forward pass.")),
        Note(line("Running statistics as PyTorch's BatchNorm1d: momentum is the weight of the new batch, running_var averages the unbiased ",
                  r"variance $s^2 = m\sigma_B^2/(m - 1)$, starting from 0 and 1. Keras's momentum (0.99) is the weight of the old value: PyTorch momentum 0.01.")),
        Note(line(r"The notes say batch normalization gives mean 0 and SD 1: that is $\hat{x}$ (SD $\sqrt{\sigma_B^2/(\sigma_B^2 + \epsilon)}$, just under 1 unless $\sigma_B^2$ is tiny); ",
                  r"the layer's output $y = \gamma\hat{x} + \beta$ has mean $\beta$ and SD $|\gamma|$ times that.")),
    ]
    if has_gradient:
        notes.append(Note(line(r"Backward pass for any loss $L$ with $\partial L/\partial y_i = g_i$ (--grad-y), in training mode: ",
                               r"$\mu_B$ and $\sigma_B^2$ depend on every $x_i$, so $\partial L/\partial x_i$ is not just $\gamma g_i/\sqrt{\sigma_B^2 + \epsilon}$.")))
    for j in range(batch.d):
        where = "The batch" if batch.d == 1 else f"Feature {j + 1}"
        if bn.var[j] == 0:
            notes.append(Note(line(f"{where} is constant (", r"$\sigma_B^2 = 0$): every $\hat{x}_i = 0/\sqrt{\epsilon} = 0$ and $y_i = \beta$; ",
                                   r"without $\epsilon$ this would be $0/0$."), "warning"))
        elif bn.var[j] < TINY_VARIANCE * eps:
            shrink = float(np.sqrt(bn.var[j] / (bn.var[j] + eps)))
            notes.append(Note(line(f"{where} has a tiny variance ", r"($\sigma_B^2 = ", float(bn.var[j]), r"$, under $", TINY_VARIANCE, r"\epsilon$): ",
                                   r"$\epsilon$ shrinks $\hat{x}$ by the factor $\sqrt{\sigma_B^2/(\sigma_B^2 + \epsilon)} = ", shrink, "$, so its SD is visibly below 1."), "warning"))
    return notes


def _solve_batchnorm(inputs: Mapping[str, Any], batch: Batch) -> tuple[list[Step], dict[str, Any], list[Note], dict[str, Any]]:
    gamma = _per_feature_parameter(inputs["gamma"], DEFAULT_GAMMA, "--gamma", batch)
    beta = _per_feature_parameter(inputs["beta"], DEFAULT_BETA, "--beta", batch)
    eps = DEFAULT_EPS if inputs["eps"] is None else inputs["eps"]
    momentum = DEFAULT_MOMENTUM if inputs["momentum"] is None else inputs["momentum"]
    g = _upstream_gradient(inputs["grad_y"], batch)
    if eps == 0 and (constant := _constant_features(batch)):
        raise InputError("--eps", f"is 0 and {batch.feature(constant[0])} is constant (σ² = 0), so x̂ = 0/0; give ε > 0 (the default is 1e-5)")

    # forward pass, running statistics, backward pass
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        bn = _batchnorm(batch.X, gamma, beta, eps, momentum)
        back = _backward(bn, g, gamma) if g is not None else None
    if eps == 0 and (vanished := np.flatnonzero(bn.var == 0)).size:
        raise InputError("--eps", f"is 0 and the variance of {batch.feature(int(vanished[0]))} underflows to 0 in double precision "
                                  "(its values differ too little), so x̂ = 0/0; give ε > 0")
    if not all(np.isfinite(a).all() for a in (bn.var, bn.x_hat, bn.running_var)):
        raise InputError("--batch", "the values are too large: their squares overflow double precision")
    if not np.isfinite(bn.y).all():
        raise InputError("--gamma/--beta", "y = γx̂ + β overflows double precision")
    if back is not None and not all(np.isfinite(a).all() for a in (back.grad_x, back.sum_g, back.sum_g_xhat)):
        raise InputError("--grad-y", "the gradients overflow double precision")

    steps = [_mean_step(batch, bn.mu), _variance_step(batch, bn.mu, bn.var, None),
             _normalize_step(batch, bn, eps), _scale_step(batch, bn, gamma, beta), _running_step(batch, bn, momentum)]
    answers: dict[str, Any] = {
        "mean": batch.per_feature(bn.mu), "var": batch.per_feature(bn.var),
        "x_hat": batch.shaped(bn.x_hat), "y": batch.shaped(bn.y),
        "running_mean": batch.per_feature(bn.running_mean), "running_var": batch.per_feature(bn.running_var),
    }
    if back is not None:
        steps += [_parameter_gradient_step(batch, bn, back), _input_gradient_step(batch, bn, back, gamma)]
        answers |= {"grad_x": batch.shaped(back.grad_x), "grad_gamma": batch.per_feature(back.sum_g_xhat),
                    "grad_beta": batch.per_feature(back.sum_g)}
    echoed = {"gamma": _echo(inputs["gamma"], DEFAULT_GAMMA), "beta": _echo(inputs["beta"], DEFAULT_BETA), "eps": eps,
              "momentum": momentum, "grad_y": None if g is None else _echo(inputs["grad_y"], None)}
    return steps, answers, _batchnorm_notes(batch, bn, eps, back is not None), echoed


def _echo(value: Any, default: Any) -> Any:
    """An input as plain JSON-ready values (tuples become lists)."""
    if value is None:
        return default
    return np.array(value, dtype=float).tolist() if isinstance(value, tuple) else value


# --- the other normalizations ------------------------------------------------------------


def _refuse_constant(batch: Batch, why: str) -> None:
    """Min-max, z-score and max-abs divide by a spread that is 0 for a constant feature."""
    if constant := _constant_features(batch):
        j = constant[0]
        raise InputError(batch.feature(j), f"every value is {batch.X[0, j]:g}, so {why}")


def _minmax_steps(batch: Batch) -> tuple[list[Step], dict[str, Any]]:
    _refuse_constant(batch, "x_max − x_min = 0 and min-max scaling divides by 0")
    X = batch.X
    low, high = X.min(axis=0), X.max(axis=0)
    x_hat = (X - low) / (high - low)

    def extremes(j: int) -> tuple[Part, ...]:
        listed = _listed(X[:, j]) if batch.written else (r"x_1, \ldots, x_m",)
        return (r"x_{\min} = \min(", *listed, ") = ", low[j], r", \quad x_{\max} = \max(", *listed, ") = ", high[j],
                r", \quad x_{\max} - x_{\min} = ", high[j], " - ", Num(low[j], paren=True), " = ", high[j] - low[j])

    def rule(j: int) -> tuple[Part, ...]:
        return (r"\hat{x}_i = (x_i - ", Num(low[j], paren=True), ")/", high[j] - low[j])

    def element(i: int) -> tuple[Part, ...]:
        return (rf"\hat{{x}}_{{{i + 1}}} = (", Num(X[i, 0], paren=True), " - ", Num(low[0], paren=True), ")/", high[0] - low[0], " = ", x_hat[i, 0])

    steps = [
        Step(line("Minimum and maximum" + (" of each feature" if batch.d > 1 else "")),
             tuple(batch.features(extremes, "minimum and maximum of each feature", {r"$x_{\min}$": low, r"$x_{\max}$": high})), ("min", "max")),
        Step(line(r"Scale to $[0, 1]$: $\hat{x}_i = (x_i - x_{\min})/(x_{\max} - x_{\min})$"),
             (*batch.rules(rule), *batch.elements(element, r"$\hat{x}$", x_hat), line(r"The smallest value maps to 0 and the largest to 1.")),
             ("x_hat",)),
    ]
    answers = {"min": batch.per_feature(low), "max": batch.per_feature(high), "x_hat": batch.shaped(x_hat)}
    return steps, answers


def _zscore_steps(batch: Batch) -> tuple[list[Step], dict[str, Any]]:
    _refuse_constant(batch, "its standard deviation is 0 and the z-score divides by 0")
    X = batch.X
    mu, var = _moments(X)
    sd = np.sqrt(var)
    z = (X - mu) / sd

    def rule(j: int) -> tuple[Part, ...]:
        return (r"\hat{x}_i = (x_i - ", Num(mu[j], paren=True), ")/", sd[j])

    def element(i: int) -> tuple[Part, ...]:
        return (rf"\hat{{x}}_{{{i + 1}}} = (", Num(X[i, 0], paren=True), " - ", Num(mu[0], paren=True), ")/", sd[0], " = ", z[i, 0])

    m = batch.m
    steps = [
        _mean_step(batch, mu),
        _variance_step(batch, mu, var, sd),
        Step(line(r"Standardize: $\hat{x}_i = (x_i - \mu_B)/\sigma_B$"),
             (*batch.rules(rule), *batch.elements(element, r"$\hat{x}$", z),
              line(r"The $\hat{x}_i$ have mean 0 and SD exactly 1 (population SD). With the sample SD $\sqrt{\sum_i (x_i - \mu_B)^2/(m - 1)}$ instead, ",
                   r"every $\hat{x}_i$ would be smaller by the factor $\sqrt{(m - 1)/m} = ", float(np.sqrt((m - 1) / m)), "$.")),
             ("x_hat",)),
    ]
    answers = {"mean": batch.per_feature(mu), "var": batch.per_feature(var), "sd": batch.per_feature(sd), "x_hat": batch.shaped(z)}
    return steps, answers


def _maxabs_steps(batch: Batch) -> tuple[list[Step], dict[str, Any]]:
    X = batch.X
    for j in range(batch.d):
        if not np.any(X[:, j]):
            raise InputError(batch.feature(j), "every value is 0, so max|x| = 0 and max-abs scaling divides by 0")
    scale = np.abs(X).max(axis=0)
    x_hat = X / scale

    def largest(j: int) -> tuple[Part, ...]:
        listed = _listed(X[:, j], "|") if batch.written else (r"|x_1|, \ldots, |x_m|",)
        return (r"\max_i |x_i| = \max(", *listed, ") = ", scale[j])

    def rule(j: int) -> tuple[Part, ...]:
        return (r"\hat{x}_i = x_i/", scale[j])

    def element(i: int) -> tuple[Part, ...]:
        return (rf"\hat{{x}}_{{{i + 1}}} = ", Num(X[i, 0], paren=True), "/", scale[0], " = ", x_hat[i, 0])

    steps = [
        Step(line("Largest absolute value" + (" of each feature" if batch.d > 1 else "")),
             tuple(batch.features(largest, "largest absolute value of each feature", {r"$\max_i |x_i|$": scale})), ("max_abs",)),
        Step(line(r"Scale into $[-1, 1]$: $\hat{x}_i = x_i/\max_i |x_i|$"),
             (*batch.rules(rule), *batch.elements(element, r"$\hat{x}$", x_hat), line("Signs and zeros are kept; the value largest in size maps to 1 or −1.")), ("x_hat",)),
    ]
    return steps, {"max_abs": batch.per_feature(scale), "x_hat": batch.shaped(x_hat)}


def _maxabs_erratum(batch: Batch) -> Note:
    """The notes write x/|x_max| (the size of the largest value); the method divides by the largest size."""
    X = batch.X
    top, largest = np.abs(X.max(axis=0)), np.abs(X).max(axis=0)
    differs = [j for j in range(batch.d) if top[j] != largest[j]]
    if differs:
        j = differs[0]
        where = "" if batch.d == 1 else f" (feature {j + 1})"
        with np.errstate(over="ignore"):  # a subnormal maximum: the notes' quotient is −∞, and says so
            wrong = X[:, j].min() / top[j] if top[j] else -np.inf
        example: tuple[Part, ...] = (f"here{where} ", r"$|x_{\max}| = ", float(top[j]), r"$ but $\max_i |x_i| = ", float(largest[j]),
                                     r"$, and the notes' formula would give $x_{\min}/|x_{\max}| = ", float(wrong), r"$, outside $[-1, 1]$.")
    else:
        same = f"{float(largest[0]):g}" if batch.d == 1 else "the same for every feature"
        example = (f"here both are {same}, so this batch's answer is unaffected.",)
    return Note(line(r"Max-abs formula: the notes write $x/|x_{\max}|$ (the size of the largest value), but max-abs scaling divides by the ",
                     r"largest size $\max_i |x_i|$; the two differ when the most negative value is larger in size than the maximum: ", *example), "erratum")


OTHER_METHODS: dict[str, Callable[[Batch], tuple[list[Step], dict[str, Any]]]] = {
    "minmax": _minmax_steps, "zscore": _zscore_steps, "maxabs": _maxabs_steps,
}
OTHER_NOTES = {
    "minmax": r"Min-max scaling maps each feature onto $[0, 1]$ using only its two extreme values, so one outlier squeezes the rest.",
    "zscore": r"$\sigma_B$ is the population SD (divide by $m$): the z-scores then have SD exactly 1 over this batch, the z-score equals batch "
              r"normalization with $\epsilon = 0$, $\gamma = 1$, $\beta = 0$, and it matches scikit-learn's StandardScaler.",
    "maxabs": r"Max-abs scaling keeps zeros at 0 (sparse data stays sparse) and maps each feature into $[-1, 1]$.",
}


# --- solve ------------------------------------------------------------------------------------


def solve(inputs: Mapping[str, Any]) -> Derivation:
    """Normalize the mini-batch ``inputs["batch"]`` with ``inputs["method"]``, step by step."""
    batch = _batch(inputs)
    method = inputs["method"]
    echoed: dict[str, Any] = {"batch": _echo(inputs["batch"], None), "method": method}
    if method == "batchnorm":
        steps, answers, notes, parameters = _solve_batchnorm(inputs, batch)
        echoed |= parameters
    else:
        _refuse_batchnorm_options(inputs, method)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            steps, answers = OTHER_METHODS[method](batch)
        if not all(np.isfinite(np.array(v, dtype=float)).all() for v in answers.values()):
            raise InputError("--batch", "the computation leaves double precision: values too large, or too close together to divide by their spread")
        notes = [Note(line(OTHER_NOTES[method]))] + ([_maxabs_erratum(batch)] if method == "maxabs" else [])
    features = "one feature" if batch.d == 1 else f"{batch.d} features"
    mode = " (training mode)" if method == "batchnorm" else ""
    title = f"{METHOD_NAMES[method]}{mode}: {features}, mini-batch of m = {batch.m}"
    return Derivation(COMMAND, title, echoed, tuple(steps), answers, tuple(notes))
