"""RBF network: Gaussian hidden units, one linear output unit, a threshold.

Hidden   hⱼ(x) = exp(−‖x − cⱼ‖² / (2σ²)), one unit per center cⱼ  (Φᵢⱼ = hⱼ(xᵢ))
Output   y = Σⱼ wⱼ hⱼ + b, class 1 when y > θ
Solve    the output weights by least squares, A u ≈ t with A = [Φ | 1] and u = (w, b)
         (A = Φ and u = w with --no-bias), from the SVD A = U Σ Vᵀ: u = A⁺t = V Σ⁺ Uᵀ t,
         the minimum-norm least-squares solution. The steps show it the way it is done by
         hand: u = A⁻¹t (square), the normal equations AᵀA u = Aᵀt (more equations than
         unknowns), the minimum-norm u = Aᵀ(AAᵀ)⁻¹t (fewer), the pseudo-inverse A⁺
         (rank-deficient or ill-conditioned).

Default: the notes' XOR network (four centers on the XOR inputs, σ = 1, w = −0.8, 0.9,
0.9, −0.8, θ = 0), set beside the notes' one-decimal hand calculation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from dlsolve.core.derivation import Block, Derivation, Line, Note, Num, Part, Step, Table, joined, line, math
from dlsolve.core.inputs import Field, Flag, InputError, Matrix, Number, Vector, count

COMMAND = "rbf-xor"
XOR_INPUTS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
XOR_TARGETS = (0.0, 1.0, 1.0, 0.0)
NOTES_WEIGHTS = (-0.8, 0.9, 0.9, -0.8)
NOTES_WORKED = {(0.0, 0.0): -0.04, (1.0, 0.0): 0.3}  # the inputs the notes work by hand: their y
NOTES_PLACES = 1  # the notes round every h to one decimal
MAX_VALUES = 250_000  # inputs × (centers + 1) × coordinates: an exercise, not a data set
DETAIL_MAX_PAIRS = 32  # inputs × centers up to this: every distance written out
DETAIL_MAX_DIM = 4  # coordinates written term by term up to this dimension
CENTERS_INLINE = 6  # up to this many centers listed on one line
SUM_MAX_TERMS = 5  # y = w₁h₁ + … written term by term up to this many centers
EQUATIONS_MAX = (8, 6)  # the system written equation by equation up to (equations, unknowns)
SUMMARY_MAX_CENTERS = 5  # the summary table lists every h up to this many centers
VECTOR_MAX = 10  # longer vectors are shown as tables
COND_LIMIT = 1e6  # beyond this condition number, the solution is shown through the SVD
SNAP = 1e-10  # |value| ≤ SNAP × (size of the terms it came from) is rounding residue: 0
MARGIN = 0.01  # an output closer than this to θ gets a warning

FIELDS = (
    Field("centers", Matrix(), XOR_INPUTS),
    Field("sigma", Number(low=0, low_inclusive=False), 1.0),
    Field("weights", Vector(), None),  # None: --solve, or the notes' weights for the notes' centers
    Field("bias", Number(), None),  # None: 0 for given weights; fitted with --solve
    Field("solve", Flag(), False),
    Field("no_bias", Flag(), False),
    Field("threshold", Number(), None),  # None: 0 for given weights (the notes), 0.5 when solved
    Field("inputs", Matrix(), XOR_INPUTS),
    Field("targets", Vector(), XOR_TARGETS),
)
# given weights (and bias) or fitted ones: the command line's choice beats the problem file's
EXCLUSIVE_OPTIONS = ((frozenset({"weights", "bias"}), frozenset({"solve", "no_bias"})),)


# --- the problem and its validation -----------------------------------------------------


class Problem(NamedTuple):
    """Centers (rows), σ, inputs (rows), 0/1 targets and the output unit: given weights
    ``w`` and bias ``b``, or ``w is None`` to fit them (the bias too when ``fit_bias``)."""

    C: np.ndarray
    sigma: float
    X: np.ndarray
    t: np.ndarray
    w: np.ndarray | None
    b: float
    fit_bias: bool
    theta: float

    @property
    def solving(self) -> bool:
        return self.w is None

    @property
    def with_bias(self) -> bool:
        """Whether the output has a bias term worth writing."""
        return self.fit_bias or self.b != 0

    @property
    def two_s2(self) -> float:
        """2σ², the denominator of the Gaussian's exponent."""
        return 2.0 * self.sigma * self.sigma


def _problem(inputs: Mapping[str, Any]) -> Problem:
    """Check that the options fit together and build the problem (or raise InputError)."""
    solving, no_bias = inputs["solve"], inputs["no_bias"]
    if solving and inputs["weights"] is not None:
        raise InputError("--weights", "give either --weights or --solve, not both (--solve fits the weights)")
    if solving and inputs["bias"] is not None:
        raise InputError("--bias", "--solve fits the bias; add --no-bias to fit the weights without one")
    if no_bias and not solving:
        raise InputError("--no-bias", "only goes with --solve (given --weights have no bias unless --bias is given)")

    C, X = np.array(inputs["centers"], dtype=float), np.array(inputs["inputs"], dtype=float)
    t = np.array(inputs["targets"], dtype=float)
    if C.shape[1] != X.shape[1]:
        raise InputError("--centers", f"each center has {count(C.shape[1], 'coordinate')} but each input (--inputs row) has {X.shape[1]}")
    if X.shape[0] * (C.shape[0] + 1) * X.shape[1] > MAX_VALUES:
        raise InputError("--inputs/--centers", f"more than {MAX_VALUES:,} input-center values; this tool is for exercises")
    if len(t) != len(X):
        raise InputError("--targets", f"has {count(len(t), 'value')} but {_there(len(X), 'input')} (--inputs rows); give one 0/1 target per input")
    bad = [i for i, v in enumerate(t, 1) if v not in (0, 1)]
    if bad:
        raise InputError("--targets", f"value {bad[0]} is {t[bad[0] - 1]:g}; targets are class labels, 0 or 1")
    sigma = inputs["sigma"]
    if not 0 < 2 * sigma * sigma < np.inf:  # a product, not sigma**2: 1e308**2 raises instead of giving inf
        raise InputError("--sigma", f"{sigma:g} is too {'small' if sigma < 1 else 'large'}: 2σ² is not a positive double-precision number")

    w = None
    if not solving:
        weights = inputs["weights"]
        if weights is None:
            if not _is_xor_grid(C):
                raise InputError("--weights", f"give one output weight per center ({count(len(C), 'center')}) or --solve; "
                                              "the notes' weights belong to the notes' four centers")
            weights = NOTES_WEIGHTS
        if len(weights) != len(C):
            raise InputError("--weights", f"has {count(len(weights), 'value')} but {_there(len(C), 'center')} (--centers rows); "
                                          "give one output weight per center")
        w = np.array(weights, dtype=float)
    b = inputs["bias"] if inputs["bias"] is not None else 0.0
    theta = inputs["threshold"] if inputs["threshold"] is not None else (0.5 if solving else 0.0)
    return Problem(C, float(sigma), X, t, w, float(b), solving and not no_bias, float(theta))


def _is_xor_grid(C: np.ndarray) -> bool:
    """The notes' centers: (0,0), (0,1), (1,0), (1,1), in that order."""
    return C.shape == (4, 2) and np.array_equal(C, XOR_INPUTS)


def _there(n: int, noun: str) -> str:
    """``there is 1 input``, ``there are 4 inputs``."""
    return f"there {'is' if n == 1 else 'are'} {count(n, noun)}"


# --- the maths: hidden layer, least squares, outputs --------------------------------------


def _hidden(p: Problem) -> tuple[np.ndarray, np.ndarray]:
    """Squared distances d²ᵢⱼ = ‖xᵢ − cⱼ‖² and Φᵢⱼ = e^(−d²ᵢⱼ/(2σ²))."""
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is caught below as a non-finite d²
        diff = p.X[:, None, :] - p.C[None, :, :]
        d2 = np.einsum("ijk,ijk->ij", diff, diff)
    if not np.all(np.isfinite(d2)):
        raise InputError("--inputs/--centers", "the squared distances overflow double precision; use smaller coordinates")
    with np.errstate(over="ignore"):
        z = d2 / p.two_s2
    if not np.all(np.isfinite(z)):
        raise InputError("--sigma", f"{p.sigma:g} is too small for these distances: d²/(2σ²) overflows double precision")
    return d2, np.exp(-z)


class Fit(NamedTuple):
    """Least squares A u ≈ t: ``u = A⁺t``, the SVD's singular values (those below the rank
    tolerance set to 0) and ``method``, how the steps show it: "inverse", "normal",
    "min_norm" or "pinv"."""

    A: np.ndarray
    u: np.ndarray
    s: np.ndarray
    rank: int
    A_pinv: np.ndarray
    method: str

    @property
    def cond(self) -> float:
        """Condition number s_max / s_min over the nonzero singular values."""
        return float(self.s[0] / self.s[self.rank - 1]) if self.rank else float("inf")


def _fit(A: np.ndarray, t: np.ndarray) -> Fit:
    """The minimum-norm least-squares solution of A u ≈ t with numpy's rank tolerance
    (s > s_max · max(n, p) · ε, as ``numpy.linalg.lstsq`` and ``matrix_rank`` use)."""
    n, q = A.shape
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    tol = s.max(initial=0.0) * max(n, q) * np.finfo(float).eps
    kept = s > tol
    rank = int(np.count_nonzero(kept))
    s_inv = np.divide(1.0, s, out=np.zeros_like(s), where=kept)
    A_pinv = (Vt.T * s_inv) @ U.T
    fit = Fit(A, A_pinv @ t, np.where(kept, s, 0.0), rank, A_pinv, "pinv")
    if rank < min(n, q) or fit.cond > COND_LIMIT:
        return fit
    return fit._replace(method="inverse" if n == q else "normal" if n > q else "min_norm")


def _snap(values: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """``values`` with rounding residue (|v| ≤ SNAP · scale) set to exactly 0, so an exact
    fit shows 0 rather than 4e-16 (and the same bytes on every machine)."""
    return np.where(np.abs(values) <= SNAP * scale, 0.0, values)


class Result(NamedTuple):
    """Everything the steps show: the hidden layer, the output weights, the outputs."""

    d2: np.ndarray
    Phi: np.ndarray
    w: np.ndarray
    b: float
    y: np.ndarray
    classes: np.ndarray
    fit: Fit | None

    def term_sizes(self) -> np.ndarray:
        """Σⱼ |wⱼ hⱼ| + |b| per input: the scale of the sum that gives y."""
        return np.abs(self.Phi * self.w).sum(axis=1) + abs(self.b)


def _result(p: Problem) -> Result:
    d2, Phi = _hidden(p)
    fit = None
    if p.solving:
        A = np.hstack([Phi, np.ones((len(Phi), 1))]) if p.fit_bias else Phi
        fit = _fit(A, p.t)
        w, b = fit.u[: len(p.C)], float(fit.u[-1]) if p.fit_bias else 0.0
    else:
        w, b = p.w, p.b
    r = Result(d2, Phi, w, b, np.empty(0), np.empty(0), fit)
    y = _snap(Phi @ w + b, r.term_sizes())
    return r._replace(y=y, classes=(y > p.theta).astype(int))


# --- how things are written -----------------------------------------------------------


def _point(v: Sequence[float]) -> tuple[Part, ...]:
    """``(0, 1)`` as parts, inside math."""
    return ("(", *joined([Num(float(a)) for a in v], ", "), ")")


def _point_text(v: Sequence[float]) -> str:
    """``(0, 1)`` for a table cell or prose (coordinates are given values: shown as given)."""
    return "(" + ", ".join(f"{a:g}" for a in v) + ")"


def _points_text(points: Sequence[Sequence[float]]) -> str:
    """``(0, 0)``, ``(0, 0) and (1, 1)``, ``(0, 0), (0, 1) and (1, 1)``."""
    names = [_point_text(x) for x in points]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _vector(symbol: str, values: Sequence[float]) -> Block:
    """``symbol = (a, b, c)`` as an equation, or a table when long."""
    if len(values) <= VECTOR_MAX:
        return math(symbol, " = ", *_point(values))
    return Table(line(f"${symbol}$"), ("", "value"), tuple((i, float(v)) for i, v in enumerate(values, 1)))


def _unknowns(m: int, fit_bias: bool) -> list[str]:
    """LaTeX names of the unknowns: w_1 … w_m (and b)."""
    return [f"w_{{{j}}}" for j in range(1, m + 1)] + (["b"] if fit_bias else [])


def _matrix(caption: str, M: np.ndarray, row_names: Sequence[str], column_names: Sequence[str]) -> Table:
    return Table(line(caption), ("", *column_names), tuple((name, *map(float, row)) for name, row in zip(row_names, M)))


def _hidden_line(p: Problem, r: Result, i: int, j: int) -> Line:
    """‖x − cⱼ‖² = (x₁ − cⱼ₁)² + … = d²,  hⱼ = e^(−d²/(2σ²)) = e^(…) = h."""
    x, c, d2 = p.X[i], p.C[j], float(r.d2[i, j])
    if len(x) <= DETAIL_MAX_DIM:
        squares = joined([("(", Num(float(a)), " - ", Num(float(b), paren=True), ")^{2}") for a, b in zip(x, c)], " + ")
        distance: tuple[Part, ...] = (*squares, " = ", d2)
    else:
        distance = (d2,)
    z = d2 / p.two_s2
    exponent = ("e^{", Num(-z), "}") if p.two_s2 == 1 else ("e^{-", Num(d2), "/", p.two_s2, "} = e^{", Num(-z), "}")
    return math(rf"\lVert{{x - c_{{{j + 1}}}}}\rVert^{{2}} = ", *distance, rf", \quad h_{{{j + 1}}} = ", *exponent, " = ", float(r.Phi[i, j]))


def _output_line(p: Problem, r: Result, i: int) -> Line:
    """y = w₁h₁ + … + b with the numbers substituted."""
    bias = " + b" if p.with_bias else ""
    if len(r.w) > SUM_MAX_TERMS:
        return math(r"y = \sum_{j} w_{j} h_{j}" + bias, " = ", float(r.y[i]))
    symbols = " + ".join(f"w_{{{j}}} h_{{{j}}}" for j in range(1, len(r.w) + 1)) + bias
    numbers = joined([(Num(float(wj), paren=True), r" \cdot ", Num(float(hj))) for wj, hj in zip(r.w, r.Phi[i])], " + ")
    b = (" + ", Num(r.b, paren=True)) if p.with_bias else ()
    return math("y = ", symbols, " = ", *numbers, *b, " = ", float(r.y[i]))


def _class_line(p: Problem, r: Result, i: int) -> Line:
    """y > θ ⇒ class 1 (or ≤ ⇒ 0), checked against the target."""
    k, target = int(r.classes[i]), float(p.t[i])
    relation = " > " if k else r" \le "
    mark = "✓" if k == target else "✗ wrong"
    return line("$y = ", float(r.y[i]), relation, r"\theta = ", p.theta, r" \Rightarrow$ class ", k, f" (target {target:g} {mark})")


# --- the worked steps ---------------------------------------------------------------------


def _network_step(p: Problem, r: Result) -> Step:
    m = len(p.C)
    body: list[Block] = [
        math(r"h_{j}(x) = e^{-\lVert{x - c_{j}}\rVert^{2} / (2\sigma^{2})}, \quad 2\sigma^{2} = 2 \cdot ", Num(p.sigma), "^{2} = ", p.two_s2),
    ]
    if m <= CENTERS_INLINE and p.C.shape[1] <= DETAIL_MAX_DIM:
        body.append(math(*joined([(f"c_{{{j + 1}}} = ", *_point(c)) for j, c in enumerate(p.C)], r", \quad ")))
    else:
        body.append(_matrix("centers, one per row", p.C, [f"$c_{{{j}}}$" for j in range(1, m + 1)],
                            [f"coordinate {k}" for k in range(1, p.C.shape[1] + 1)]))
    output = r"y = \sum_{j} w_{j} h_{j}" + (" + b" if p.with_bias else "")
    body.append(math(output, r", \quad \text{class }1\text{ when }y > \theta = ", p.theta))
    if p.solving:
        unknown = "the weights $w_{j}$" + (" and the bias $b$" if p.fit_bias else "")
        body.append(line(f"The output unit is unknown: {unknown} are fitted to the targets by least squares."))
    else:
        body.append(_vector("w", r.w))
        if p.with_bias:
            body.append(math("b = ", p.b))
    return Step(line(f"The network: {count(m, 'Gaussian hidden unit')} (one per center), one linear output unit"), tuple(body))


def _input_steps(p: Problem, r: Result) -> list[Step]:
    """One step per input: its distance to every center and each hidden output (and, for
    given weights, the output and the class, as the notes do)."""
    steps = []
    for i in range(len(p.X)):
        body: list[Block] = [_hidden_line(p, r, i, j) for j in range(len(p.C))]
        answers = [f"phi.{i + 1}"]
        if not p.solving:
            body += [_output_line(p, r, i), _class_line(p, r, i)]
            answers += [f"outputs.{i + 1}", f"predictions.{i + 1}"]
        what = ": distances and hidden outputs" if p.solving else ""
        title = line(f"Input {i + 1}: $x = ", *_point(p.X[i]), f"$, target {p.t[i]:g}{what}")
        steps.append(Step(title, tuple(body), tuple(answers)))
    return steps


def _hidden_tables_step(p: Problem, r: Result) -> Step:
    """Large problems: d² and Φ as tables instead of one line per input and center."""
    rows = [_point_text(x) for x in p.X]
    columns = [f"$c_{{{j}}}$" for j in range(1, len(p.C) + 1)]
    body = (math(r"\Phi_{ij} = h_{j}(x_{i}) = e^{-\lVert{x_{i} - c_{j}}\rVert^{2} / (2\sigma^{2})}, \quad 2\sigma^{2} = ", p.two_s2),
            _matrix(r"squared distances $\lVert{x_{i} - c_{j}}\rVert^{2}$ (rows: inputs)", r.d2, rows, columns),
            _matrix(r"hidden outputs $\Phi$ (rows: inputs, columns: centers)", r.Phi, rows, columns))
    return Step(line("Distances and hidden outputs of every input"), body, ("phi",))


def _design_step(p: Problem, r: Result) -> Step:
    """A = [Φ | 1], u = (w, b), and the equations A u = t written out."""
    A, m = r.fit.A, len(p.C)
    names = _unknowns(m, p.fit_bias)
    columns = [f"$h_{{{j}}}$" for j in range(1, m + 1)] + (["$1$"] if p.fit_bias else []) + ["$t$"]
    caption = r"$A = [\Phi \mid 1]$ (the column of 1s multiplies b) and the targets t" if p.fit_bias else r"$A = \Phi$ and the targets t"
    table = Table(line(caption), ("$x$", *columns), tuple((_point_text(x), *map(float, row), float(t)) for x, row, t in zip(p.X, A, p.t)))
    body: list[Block] = [math("u = (", ", ".join(names), r"), \quad A u = t"), table]
    n, q = A.shape
    if n <= EQUATIONS_MAX[0] and q <= EQUATIONS_MAX[1]:
        body.append(line("One equation per input:"))
        for row, t in zip(A, p.t):
            terms = joined([(name,) if a == 1 else (Num(float(a)), f" {name}") for a, name in zip(row, names)], " + ")
            body.append(math(*terms, " = ", float(t)))
    return Step(line(f"The system: {count(n, 'equation')} (one per input), {count(q, 'unknown')}"), tuple(body))


def _solve_step(p: Problem, r: Result) -> Step:
    """How u follows from A and t, by the method that fits the shape and rank of A."""
    fit, t = r.fit, p.t
    A = fit.A
    n, q = A.shape
    names = [f"${s}$" for s in _unknowns(len(p.C), p.fit_bias)]
    inputs = [_point_text(x) for x in p.X]
    if fit.method == "inverse":
        title = "$u = A^{-1} t$"
        body: list[Block] = [line(f"A is square ({n} × {n}) with rank {n}: exactly one solution, $u = A^{{-1}} t$."),
                             _matrix("$A^{-1}$ (rows: unknowns, columns: inputs)", np.linalg.inv(A), names, inputs),
                             _vector("u = A^{-1} t", fit.u)]
    elif fit.method == "normal":
        title = "the normal equations"
        AtA = A.T @ A
        body = [line(f"More equations ({n}) than unknowns ({q}), rank {q}: the least-squares solution solves the ",
                     r"normal equations $A^{\top} A u = A^{\top} t$."),
                _matrix(r"$A^{\top} A$", AtA, names, names),
                _vector(r"A^{\top} t", A.T @ t),
                _matrix(r"$(A^{\top} A)^{-1}$", np.linalg.inv(AtA), names, names),
                _vector(r"u = (A^{\top} A)^{-1} A^{\top} t", fit.u)]
    elif fit.method == "min_norm":
        title = "the minimum-norm solution"
        AAt = A @ A.T
        squares = " + ".join(f"{s}^{{2}}" for s in _unknowns(len(p.C), p.fit_bias))
        if q > SUM_MAX_TERMS:
            squares = rf"w_{{1}}^{{2}} + \dots + w_{{{len(p.C)}}}^{{2}}" + (" + b^{2}" if p.fit_bias else "")
        body = [line(f"Fewer equations ({n}) than unknowns ({q}), rank {n}: infinitely many exact solutions. ",
                     rf"The minimum-norm one (smallest $\lVert{{u}}\rVert^{{2}} = {squares}$) is $u = A^{{\top}} (A A^{{\top}})^{{-1}} t$."),
                _matrix(r"$A A^{\top}$ (rows and columns: inputs)", AAt, inputs, inputs),
                _vector(r"\alpha = (A A^{\top})^{-1} t", np.linalg.solve(AAt, t)),
                _vector(r"u = A^{\top} \alpha", fit.u)]
    else:
        title = "the pseudo-inverse $A^{+}$"
        body = [*_pinv_lines(p, fit),
                _matrix("$A^{+}$ (rows: unknowns, columns: inputs)", fit.A_pinv, names, inputs),
                _vector("u = A^{+} t", fit.u)]
    solved = ("w = ", *_point(r.w)) if len(r.w) <= VECTOR_MAX else (r"w: \text{every value is in the answers}",)
    body.append(math(*solved, *((r", \quad b = ", r.b) if p.fit_bias else ())))
    return Step(line(f"Solving for the output weights: {title}"), tuple(body), ("weights", "bias"))


def _pinv_lines(p: Problem, fit: Fit) -> list[Block]:
    """Why the pseudo-inverse: the rank (and which centers coincide), or the conditioning."""
    n, q = fit.A.shape
    values = [float(s) for s in fit.s]
    shown = joined(values, ", ") if len(values) <= VECTOR_MAX else (*joined(values[:5], ", "), r", \dots, ", *joined(values[-3:], ", "))
    remarks = ([f"{len(values)} values, largest first"] if len(values) > VECTOR_MAX else []) + \
        (["those below $s_{\\max} \\cdot \\max(n, p) \\cdot \\varepsilon$ count as 0"] if fit.rank < len(values) else [])
    singular = line("Singular values of $A$: $", *shown, "$", f" ({'; '.join(remarks)})" if remarks else "", ".")
    pseudo = line(r"$u = A^{+} t$ with the pseudo-inverse $A^{+} = V \Sigma^{+} U^{\top}$ from the SVD $A = U \Sigma V^{\top}$ ",
                  r"($\Sigma^{+}$ inverts the nonzero singular values and leaves the zero ones at 0).")
    if fit.rank == min(n, q):
        return [line(f"A has full rank ({fit.rank}) but condition number {fit.cond:.3g}: inverting $A^{{\\top}} A$ would square it ",
                     "and lose every digit, so u comes from the singular value decomposition."), singular, pseudo]
    lines: list[Block] = [line(f"rank(A) = {fit.rank} < {min(n, q)}: the system is rank-deficient; $A^{{\\top}} A$ ",
                               f"({q} × {q}) is singular, so the normal equations do not pin u down.")]
    lines += _coincident_centers(p.C)
    lines += [singular, pseudo, line("Of all the u with the smallest error, $A^{+} t$ is the one with the smallest $\\lVert{u}\\rVert$.")]
    return lines


def _coincident_centers(C: np.ndarray) -> list[Line]:
    """``Centers c₁ and c₃ coincide …`` for each group of identical centers."""
    groups: dict[tuple[float, ...], list[int]] = {}
    for j, c in enumerate(C, 1):
        groups.setdefault(tuple(c), []).append(j)
    reasons = []
    for members in (g for g in groups.values() if len(g) > 1):
        names = ", ".join(f"$c_{{{j}}}$" for j in members[:-1]) + f" and $c_{{{members[-1]}}}$"
        weights = " + ".join(f"w_{{{j}}}" for j in members)
        reasons.append(line(f"Centers {names} coincide: their columns of $\\Phi$ are identical, so only ${weights}$ is determined ",
                            "(the minimum-norm solution shares it equally)."))
    return reasons


def _outputs_step(p: Problem, r: Result) -> Step:
    """With the fitted weights: each input's output and class, and the squared error."""
    body: list[Block] = []
    if len(p.X) * len(p.C) <= DETAIL_MAX_PAIRS:
        for i in range(len(p.X)):
            body += [line(f"Input {i + 1}, $x = ", *_point(p.X[i]), "$:"), _output_line(p, r, i), _class_line(p, r, i)]
    else:
        body.append(math(r"y = \Phi w" + (" + b" if p.fit_bias else ""), r", \quad \text{class }1\text{ when }y > \theta = ", p.theta))
    residual = _snap(r.y - p.t, r.term_sizes() + np.abs(p.t))
    sse = float(residual @ residual)
    verdict = " (an exact fit)" if sse == 0 else " (the least-squares minimum)"
    body.append(line(r"$\sum_{i} (y_{i} - t_{i})^{2} = ", sse, "$", verdict))
    return Step(line("Outputs and classes with the fitted weights"), tuple(body), ("outputs", "predictions"))


def _summary_step(p: Problem, r: Result) -> Step:
    """Every input's hidden outputs, output and class in one table; with one or two centers
    also the decision boundary in the hidden space."""
    m = len(p.C)
    shown = m <= SUMMARY_MAX_CENTERS
    hs = [f"$h_{{{j}}}$" for j in range(1, m + 1)] if shown else []
    rows = tuple((_point_text(x), *(map(float, h) if shown else ()), float(y), int(k), int(t), "✓" if k == t else "✗")
                 for x, h, y, k, t in zip(p.X, r.Phi, r.y, r.classes, p.t))
    caption = "every input: hidden outputs, output y, class" if shown else "every input: output y and class"
    body: list[Block] = [Table(line(caption), ("$x$", *hs, "$y$", "class", "target", "ok"), rows)]
    wrong = [p.X[i] for i in range(len(p.X)) if r.classes[i] != p.t[i]]
    if wrong:
        body.append(line(f"{len(wrong)} of {count(len(p.X), 'input')} misclassified ({_points_text(wrong)}): correct = false."))
    else:
        body.append(line(f"All {count(len(p.X), 'input')} classified correctly: correct = true."))
    if m <= 2:
        with np.errstate(over="ignore"):  # a boundary beyond double precision (θ = 1e308, tiny w) is written ∞
            body += _boundary_lines(p, r)
    title = "The hidden space: outputs, classes and the decision boundary" if m <= 2 else "Summary: outputs and classes"
    return Step(line(title), tuple(body), ("correct",))


def _boundary_lines(p: Problem, r: Result) -> list[Block]:
    """The decision boundary w·h + b = θ in the hidden space: a line for two centers."""
    w, b, theta = r.w, r.b, p.theta
    if not np.any(w):
        return [line("Every weight is 0: the output is the constant $b = ", b, "$, so every input gets the same class.")]
    lines: list[Block] = []
    if len(w) == 1:
        side = ">" if w[0] > 0 else "<"
        lines.append(math(r"\text{class }1 \Leftrightarrow w_{1} h_{1} + b > \theta \Leftrightarrow h_{1} ", side,
                          r" \frac{\theta - b}{w_{1}} = ", (theta - b) / w[0]))
    else:
        lines.append(math(r"w_{1} h_{1} + w_{2} h_{2} + b = \theta: \quad ", Num(float(w[0]), paren=True), " h_{1} + ",
                          Num(float(w[1]), paren=True), " h_{2} + ", Num(b, paren=True), " = ", theta))
        if w[1] != 0:
            intercept, slope = (theta - b) / w[1], -w[0] / w[1]
            sign = " - " if slope < 0 else " + "
            coefficient = () if np.isclose(abs(slope), 1, rtol=1e-12, atol=0) else (Num(abs(float(slope))), " ")
            lines.append(math(r"h_{2} = \frac{\theta - b - w_{1} h_{1}}{w_{2}} = ", intercept, sign, *coefficient, "h_{1}"))
            lines.append(line(f"This is the decision boundary: class 1 ($y > \\theta$) lies {'above' if w[1] > 0 else 'below'} ",
                              f"the line in the $(h_{{1}}, h_{{2}})$ plane, since $w_{{2}} {'>' if w[1] > 0 else '<'} 0$."))
        else:
            lines.append(math(r"h_{1} = \frac{\theta - b}{w_{1}} = ", (theta - b) / w[0]))
            lines.append(line(f"This vertical line is the decision boundary: class 1 lies to its {'right' if w[0] > 0 else 'left'}."))
    if _is_xor(p.X, p.t):
        lines.append(line("In the input plane XOR is not linearly separable: no line has (0, 1) and (1, 0) on one side ",
                          "and (0, 0) and (1, 1) on the other."))
        if np.array_equal(r.classes, p.t):
            lines.append(line("In the hidden space it is: every input lies on its own class's side of this boundary."))
    return lines


def _is_xor(X: np.ndarray, t: np.ndarray) -> bool:
    """The inputs are 0/1 pairs and every target is their exclusive or."""
    binary = X.shape[1] == 2 and np.all((X == 0) | (X == 1))
    return bool(binary and np.array_equal(t, np.logical_xor(X[:, 0], X[:, 1]).astype(float)))


# --- the notes' hand calculation ----------------------------------------------------------


def _notes_rows(p: Problem) -> list[int]:
    """The inputs the notes work out by hand (indices), when the network is the notes'."""
    notes_network = (not p.solving and _is_xor_grid(p.C) and p.sigma == 1 and np.array_equal(p.w, NOTES_WEIGHTS)
                     and p.b == 0 and p.theta == 0)
    if not notes_network:
        return []
    rows = [next((i for i in range(len(p.X)) if tuple(p.X[i]) == x), None) for x in NOTES_WORKED]
    return [i for i in rows if i is not None]


def _notes_step(p: Problem, r: Result, rows: list[int]) -> Step:
    """The notes' values (each h rounded to one decimal, h̃) next to the exact ones, and
    where the gap in y comes from: y − ỹ = Σⱼ wⱼ (hⱼ − h̃ⱼ)."""
    table: list[tuple[Part, ...]] = []
    body: list[Block] = []
    for i in rows:
        h, h_notes = r.Phi[i], np.round(r.Phi[i], NOTES_PLACES)
        y_notes = float(h_notes @ r.w)
        cells: list[Part] = [float(v) for v in h_notes]
        if tuple(p.X[i]) == (0.0, 0.0):
            cells[0] = "$1$ (written $e^{-0} = 0$)"
        table.append((_point_text(p.X[i]), "notes", *cells, y_notes, int(y_notes > p.theta)))
        table.append(("", "exact", *map(float, h), float(r.y[i]), int(r.classes[i])))
        rounded = joined([(Num(float(wj), paren=True), r" \cdot ", float(hn)) for wj, hn in zip(r.w, h_notes)], " + ")
        body.append(math(r"\tilde{y}", *_point(p.X[i]), " = ", *rounded, " = ", y_notes))
        gap = [(Num(float(wj), paren=True), r" \cdot ", Num(float(hj - hn), paren=True)) for wj, hj, hn in zip(r.w, h, h_notes) if hj != hn]
        body.append(math(r"y - \tilde{y} = \sum_{j} w_{j} (h_{j} - \tilde{h}_{j}) = ", *joined(gap, " + "), " = ", float(r.y[i]) - y_notes))
    header = ("$x$", "", *(f"$h_{{{j}}}$" for j in range(1, len(p.C) + 1)), "$y$", "class")
    body.insert(0, Table(line(r"the notes' values ($\tilde{h}$: each h rounded to one decimal) and the exact ones"), header, tuple(table)))
    worst = float(np.max(np.abs(r.Phi[rows] - np.round(r.Phi[rows], NOTES_PLACES))))
    body.append(line("Rounding moves each h by up to $", worst, "$ and the weights carry that into y: the classes survive, the outputs do not."))
    return Step(line(r"The notes' hand calculation: each h rounded to one decimal ($\tilde{h}$)"), tuple(body))


def _notes_errata(p: Problem, r: Result, rows: list[int]) -> list[Note]:
    notes = []
    if any(tuple(p.X[i]) == (0.0, 0.0) for i in rows):
        notes.append(Note(line(r"For input (0, 0) the notes write $h_{1} = e^{-0} = 0$; $e^{0} = 1$, since $x = c_{1}$ ",
                               "(their sum does use 1)."), "erratum"))
    claims = joined([("$y = ", NOTES_WORKED[tuple(p.X[i])], "$ for ", _point_text(p.X[i])) for i in rows], " and ")
    exact = joined([("$", float(r.y[i]), "$") for i in rows], " and ")
    notes.append(Note(line(r"The notes round every h to one decimal ($e^{-1/2} = 0.6065 \to 0.6$, $e^{-1} = 0.3679 \to 0.4$) and get ",
                           *claims, "; with unrounded h the outputs are ", *exact, " (last step)."), "erratum"))
    return notes


# --- notes after the solution -------------------------------------------------------------


def _convention_notes(p: Problem, r: Result) -> list[Note]:
    notes = [Note(line(r"$h = e^{-\lVert{x - c}\rVert^{2} / (2\sigma^{2})}$. The notes write $e^{-(x - c)^{2} / \gamma^{2}}$ but divide by 2 ",
                       r"in their numbers ($e^{-1/2}$ for a squared distance of 1): this formula with $\sigma = 1$ ($\gamma^{2} = 2\sigma^{2} = 2$)."))]
    if p.solving:
        rule = ", halfway between the targets 0 and 1" if p.theta == 0.5 else " (--threshold)"
    else:
        rule = ", the notes' rule for given weights" if p.theta == 0 else " (--threshold)"
    notes.append(Note(line(r"Class 1 when $y > \theta = ", p.theta, f"${rule}.")))
    if p.fit_bias:
        notes.append(Note(line("--solve fits a bias b with the weights; the minimum-norm solution counts it like a weight ",
                               r"(smallest $w_{1}^{2} + \dots + b^{2}$, as numpy.linalg.lstsq and pinv do). --no-bias fits the weights alone.")))
        notes += _no_bias_note(p, r)
    close = [i for i in range(len(p.X)) if abs(r.y[i] - p.theta) < MARGIN]
    if close:
        values = joined([("$", float(r.y[i]), "$") for i in close], ", ")
        subject = f"The output of {_point_text(p.X[close[0]])} is" if len(close) == 1 else f"The outputs of {_points_text([p.X[i] for i in close])} are"
        notes.append(Note(line(f"{subject} within {MARGIN:g} of θ (", *values,
                               "): the class hangs on a thin margin (class 1 needs y > θ), and rounding the h values could flip it."), "warning"))
    if r.fit is not None and r.fit.rank == min(r.fit.A.shape) and r.fit.method == "pinv":
        notes.append(Note(line(f"A is ill-conditioned (condition number {r.fit.cond:.3g}): tiny changes in the h values change the weights a lot. ",
                               "The centers' h columns are nearly dependent (σ too wide, or centers too close)."), "warning"))
    return notes


def _no_bias_note(p: Problem, r: Result) -> list[Note]:
    """With a square, invertible Φ: the exact weights without a bias (the textbook
    interpolation w = Φ⁻¹t), next to the fitted ones."""
    Phi = r.Phi
    if Phi.shape[0] != Phi.shape[1] or np.linalg.cond(Phi) > COND_LIMIT:
        return []
    w = np.linalg.solve(Phi, p.t)
    shown = ("$w = \\Phi^{-1} t = ", *_point(w), "$") if len(w) <= SUM_MAX_TERMS else ("$w = \\Phi^{-1} t$",)
    return [Note(line(r"$\Phi$ alone is square and invertible: without a bias (--no-bias) the exact weights are ",
                      *shown, ", another exact fit."))]


# --- solve ------------------------------------------------------------------------------


def solve(inputs: Mapping[str, Any]) -> Derivation:
    """The RBF network's hidden outputs, output weights (given or fitted), outputs and classes."""
    p = _problem(inputs)
    r = _result(p)

    # the steps: the network, the hidden layer input by input, the fit, the summary
    detailed = len(p.X) * len(p.C) <= DETAIL_MAX_PAIRS
    steps = [_network_step(p, r)]
    steps += _input_steps(p, r) if detailed else [_hidden_tables_step(p, r)]
    if p.solving:
        steps += [_design_step(p, r), _solve_step(p, r), _outputs_step(p, r)]
    elif not detailed:
        steps.append(Step(line("Outputs and classes"), (math(r"y = \Phi w" + (" + b" if p.with_bias else "")),), ("outputs", "predictions")))
    steps.append(_summary_step(p, r))

    # the notes' problem: their hand calculation beside the exact one
    notes: list[Note] = []
    notes_rows = _notes_rows(p)
    if notes_rows:
        steps.append(_notes_step(p, r, notes_rows))
        notes += _notes_errata(p, r, notes_rows)
    notes += _convention_notes(p, r)

    answers = {
        "phi": r.Phi.tolist(),
        "weights": r.w.tolist(),
        "bias": r.b,
        "outputs": r.y.tolist(),
        "predictions": r.classes.tolist(),
        "correct": bool(np.array_equal(r.classes, p.t)),
    }
    echoed = {
        "centers": p.C.tolist(), "sigma": p.sigma, "weights": None if p.solving else p.w.tolist(),
        "bias": None if p.solving else p.b, "solve": p.solving, "no_bias": p.solving and not p.fit_bias,
        "threshold": p.theta, "inputs": p.X.tolist(), "targets": p.t.tolist(),
    }
    how = ("output weights" + (" and bias" if p.fit_bias else "") + " fitted by least squares") if p.solving else "given output weights"
    title = f"RBF network: {count(len(p.C), 'Gaussian center')}, σ = {p.sigma:g}, {how}"
    return Derivation(COMMAND, title, echoed, tuple(steps), answers, tuple(notes))
