"""batchnorm: each stage recomputed from the student's own earlier values (recomputed ones
where they skipped a stage), and the slips a marker sees in normalization exercises.

Carried forward (batch norm):
  var           (1/m) Σ (x − μ)² around the student's μ
  x_hat         (x − μ)/√(σ² + ε) with the student's μ and σ²
  y             γ x̂ + β from the student's x̂
  running_mean  momentum · μ (from 0), running_var (1 − momentum) · 1 + momentum · σ² m/(m − 1)
  grad_gamma    Σ g x̂, grad_x from the student's x̂ and σ²
and likewise for z-score (var, sd, x_hat), min-max and max-abs (x_hat from the student's
min, max or max|x|).

Slips: the unbiased variance (1/(m − 1)) where batch norm uses 1/m; the biased variance in
running_var where PyTorch uses the unbiased one; ε left out; dividing by σ² instead of √(σ² + ε);
momentum the other way round; running_var started from 0; min-max over max instead of the
range; max-abs over the largest value instead of the largest size.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from dlsolve.checking.keys import Path
from dlsolve.checking.slips import Analysis, Carried, Slip, Work


class _Batch:
    """The batch as an m × d matrix, and answers read and written in the solver's shapes."""

    def __init__(self, work: Work) -> None:
        self.work = work
        batch = np.array(work.inputs["batch"], dtype=float)
        self.vector = batch.ndim == 1
        self.X = batch[:, None] if self.vector else batch
        self.m = len(self.X)

    def per_feature(self, values: np.ndarray) -> Any:
        """A per-feature result as the solver gives it: a number for a plain-vector batch."""
        return float(values[0]) if self.vector else values.tolist()

    def shaped(self, M: np.ndarray) -> Any:
        return M[:, 0].tolist() if self.vector else M.tolist()

    def feature_given(self, name: str, carried: dict[Path, Carried] | None = None) -> np.ndarray:
        """The student's per-feature value; where not given, the one that follows from their
        earlier values (in ``carried``), else the solution's."""
        return np.atleast_1d(np.array(self.work.given((name,), self._base(name, carried)), dtype=float))

    def matrix_given(self, name: str, carried: dict[Path, Carried]) -> np.ndarray:
        return np.array(self.work.given((name,), self._base(name, carried)), dtype=float).reshape(self.X.shape)

    def _base(self, name: str, carried: dict[Path, Carried] | None) -> Any:
        return carried[(name,)].value if carried and (name,) in carried else self.work.answers[name]

    def parameter(self, name: str, default: float) -> np.ndarray:
        value = self.work.inputs.get(name)
        return np.broadcast_to(np.array(default if value is None else value, dtype=float), (self.X.shape[1],))


def _batchnorm(b: _Batch) -> tuple[dict[Path, Carried], list[Slip]]:
    X, m, inputs = b.X, b.m, b.work.inputs
    gamma, beta = b.parameter("gamma", 1.0), b.parameter("beta", 0.0)
    eps, momentum = float(inputs["eps"]), float(inputs["momentum"])
    carried: dict[Path, Carried] = {}
    mu = b.feature_given("mean")
    centered = X - mu
    carried[("var",)] = Carried(b.per_feature((centered**2).mean(axis=0)), (("mean",),))
    var = b.feature_given("var", carried)
    carried[("x_hat",)] = Carried(b.shaped(centered / np.sqrt(var + eps)), (("mean",), ("var",)))
    x_hat = b.matrix_given("x_hat", carried)
    carried[("y",)] = Carried(b.shaped(gamma * x_hat + beta), (("x_hat",),))
    carried[("running_mean",)] = Carried(b.per_feature(momentum * mu), (("mean",),))
    unbiased = var * m / (m - 1)
    carried[("running_var",)] = Carried(b.per_feature((1 - momentum) + momentum * unbiased), (("var",),))
    if inputs.get("grad_y") is not None:
        g = np.array(inputs["grad_y"], dtype=float).reshape(X.shape)
        sum_g_xhat = (g * x_hat).sum(axis=0)
        carried[("grad_gamma",)] = Carried(b.per_feature(sum_g_xhat), (("x_hat",),))
        grad_x = gamma / (m * np.sqrt(var + eps)) * (m * g - g.sum(axis=0) - x_hat * sum_g_xhat)
        carried[("grad_x",)] = Carried(b.shaped(grad_x), (("var",), ("x_hat",)))

    def normalized(divisor: np.ndarray) -> dict[Path, Any]:
        x_hat = centered / divisor
        return {("x_hat",): b.shaped(x_hat), ("y",): b.shaped(gamma * x_hat + beta)}

    var_unbiased = (centered**2).sum(axis=0) / (m - 1)
    slips = [
        Slip("unbiased-var", "the variance divided by m − 1 (unbiased): batch norm normalizes with the biased variance, 1/m",
             {("var",): b.per_feature(var_unbiased), **normalized(np.sqrt(var_unbiased + eps))}),
        Slip("biased-running-var", "running_var updated with the biased variance: PyTorch's running_var uses the unbiased σ²·m/(m − 1)",
             {("running_var",): b.per_feature((1 - momentum) + momentum * var)}),
        Slip("no-eps", "ε left out: x̂ = (x − μ)/√σ²", normalized(np.sqrt(var))),
        Slip("variance-not-sd", "divided by σ² + ε instead of √(σ² + ε)", normalized(var + eps)),
        Slip("momentum-swapped", "momentum applied the other way round: (1 − momentum)·batch + momentum·running (PyTorch: momentum·batch)",
             {("running_mean",): b.per_feature((1 - momentum) * mu), ("running_var",): b.per_feature(momentum + (1 - momentum) * unbiased)}),
        Slip("running-from-zero", "running_var started from 0 (PyTorch starts it at 1)",
             {("running_var",): b.per_feature(momentum * unbiased)}),
    ]
    return carried, slips


def _zscore(b: _Batch) -> tuple[dict[Path, Carried], list[Slip]]:
    mu = b.feature_given("mean")
    centered = b.X - mu
    carried: dict[Path, Carried] = {("var",): Carried(b.per_feature((centered**2).mean(axis=0)), (("mean",),))}
    var = b.feature_given("var", carried)
    carried[("sd",)] = Carried(b.per_feature(np.sqrt(var)), (("var",),))
    sd = b.feature_given("sd", carried)
    carried[("x_hat",)] = Carried(b.shaped(centered / sd), (("mean",), ("sd",)))
    var_unbiased = (centered**2).sum(axis=0) / (b.m - 1)
    slips = [Slip("unbiased-var", "the variance divided by m − 1 (the sample SD): the z-score here uses the population SD, 1/m",
                  {("var",): b.per_feature(var_unbiased), ("sd",): b.per_feature(np.sqrt(var_unbiased)),
                   ("x_hat",): b.shaped(centered / np.sqrt(var_unbiased))}),
             Slip("variance-not-sd", "divided by the variance σ² instead of the SD σ", {("x_hat",): b.shaped(centered / var)})]
    return carried, slips


def _minmax(b: _Batch) -> tuple[dict[Path, Carried], list[Slip]]:
    low, high = b.feature_given("min"), b.feature_given("max")
    carried = {("x_hat",): Carried(b.shaped((b.X - low) / (high - low)), (("min",), ("max",)))}
    return carried, [Slip("over-max", "divided by max instead of the range max − min", {("x_hat",): b.shaped((b.X - low) / high)})]


def _maxabs(b: _Batch) -> tuple[dict[Path, Carried], list[Slip]]:
    scale = b.feature_given("max_abs")
    carried = {("x_hat",): Carried(b.shaped(b.X / scale), (("max_abs",),))}
    largest = np.abs(b.X.max(axis=0))
    slip = Slip("largest-value", "divided by |largest value| instead of the largest size max|x| (as the notes write it)",
                {("max_abs",): b.per_feature(largest), ("x_hat",): b.shaped(b.X / largest)})
    return carried, [slip]


METHODS: dict[str, Callable[[_Batch], tuple[dict[Path, Carried], list[Slip]]]] = {
    "batchnorm": _batchnorm, "zscore": _zscore, "minmax": _minmax, "maxabs": _maxabs}


def analyse(work: Work) -> Analysis:
    with np.errstate(all="ignore"):
        carried, slips = METHODS[work.inputs["method"]](_Batch(work))
    return Analysis(carried, slips)
