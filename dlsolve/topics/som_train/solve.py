"""Kohonen self-organizing map: competitive training of a line of units, one sample at a time.

Distance  d²ⱼ = Σᵢ (xᵢ − wⱼᵢ)²  for every unit j (the square root is not needed to compare)
Winner    c = the unit with the smallest d², the lowest unit number on a tie
Update    wⱼ ← wⱼ + η (x − wⱼ)  for the winner and every unit with |j − c| ≤ R (R = 0: winner only)
Rate      η is multiplied by the decay factor after each epoch (Fausett's α(t + 1) = 0.5 α(t))

One iteration presents one sample; each epoch presents the samples in the order given.
Small runs are written the notes' way (every d² term by term, every update with numbers
substituted, the weight matrix after each iteration); long runs are summarized epoch by
epoch so the solution stays a few screens long, with every value in the answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from dlsolve.core.derivation import Block, Derivation, Line, Note, Num, Part, Step, Table, joined, line, math
from dlsolve.core.inputs import Field, InputError, Integer, Matrix, Number, count

COMMAND = "som-train"
NOTES_SAMPLES = ((1.0, 0.0, 1.0, 0.0), (1.0, 0.0, 0.0, 0.0), (1.0, 1.0, 1.0, 1.0), (0.0, 1.0, 1.0, 0.0))
NOTES_WEIGHTS = ((0.3, 0.5, 0.7, 0.2), (0.6, 0.7, 0.4, 0.3))
NOTES_LR = 0.6

# total-work caps (a hand exercise: 4 samples × 2 units × 4 inputs, 1–3 epochs)
MAX_ITERATIONS = 20_000  # samples × epochs: one Python-level step each
MAX_DISTANCES = 250_000  # iterations × units: the `distances` answer
MAX_WORK = 10_000_000  # iterations × units × inputs: the arithmetic
HISTORY_MAX_NUMBERS = 250_000  # iterations × units × inputs kept in `history` (≈ 5 MB of JSON)
WORKED_MAX_ITERATIONS = 12  # every iteration written out up to this many (a few screens)
WORKED_MAX_UNITS = 8
WORKED_MAX_INPUTS = 6  # d² term by term fits on a line
LISTED_MAX_ITERATIONS = 24  # `distances.k`, `history.k` one row each in the answers table
TABLE_MAX_SAMPLES = 12  # per-sample tables (d² to each unit) up to this many samples
SHOWN_ROWS = (6, 5)  # long tables: the first and last rows, ⋮ between (as the renderers elide)
TIE_RTOL = 1e-12  # distances equal to 12 significant digits are a tie (decimal ties survive binary rounding)
CLOSE_RTOL = 1e-4  # winner and runner-up closer than this are written with every digit

FIELDS = (
    Field("samples", Matrix(), NOTES_SAMPLES),
    Field("weights", Matrix(), NOTES_WEIGHTS),
    Field("lr", Number(low=0, low_inclusive=False), NOTES_LR),
    Field("epochs", Integer(low=1, high=MAX_ITERATIONS), 1),
    Field("lr_decay", Number(low=0, high=1, low_inclusive=False), 1.0),
    Field("radius", Integer(low=0), 0),
)


# --- validation -------------------------------------------------------------------------


def _checked(inputs: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Samples X (rows = samples) and initial weights W (rows = units), or InputError."""
    X = np.array(inputs["samples"], dtype=float)
    W = np.array(inputs["weights"], dtype=float)
    N, n = X.shape
    m = W.shape[0]
    if W.shape[1] != n:
        if tuple(map(tuple, W.tolist())) == NOTES_WEIGHTS:
            raise InputError("--weights", f"not given: the notes' weights have {W.shape[1]} columns but --samples has {n}; "
                                          f"give --weights with {n} columns (one row per unit)")
        raise InputError("--weights", f"has {W.shape[1]} columns but --samples has {n} (each unit needs one weight per input)")
    T = N * inputs["epochs"]
    option = "--epochs" if inputs["epochs"] > 1 else "--samples"
    if T > MAX_ITERATIONS:
        raise InputError(option, f"{N:,} samples × {inputs['epochs']:,} epochs = {T:,} iterations; this tool is for exercises (at most {MAX_ITERATIONS:,})")
    if T * m > MAX_DISTANCES:
        raise InputError(option, f"{T:,} iterations × {m} units = {T * m:,} distances; this tool is for exercises (at most {MAX_DISTANCES:,})")
    if T * m * n > MAX_WORK:
        raise InputError(option, f"{T:,} iterations × {m * n:,} weights is too much arithmetic for this tool (at most {MAX_WORK:,})")
    return X, W


# --- training ---------------------------------------------------------------------------


class Problem(NamedTuple):
    """The inputs as arrays: samples X (rows), initial weights W0 (rows = units), η, the
    decay factor, the number of epochs and the neighbourhood radius R."""

    X: np.ndarray
    W0: np.ndarray
    eta: float
    decay: float
    epochs: int
    R: int

    @property
    def shape(self) -> tuple[int, int, int]:
        """(N samples, m units, n inputs)."""
        return self.X.shape[0], self.W0.shape[0], self.X.shape[1]

    def neighbours(self, c: int) -> range:
        """The units updated when c wins: |j − c| ≤ R on the line of units."""
        return range(max(c - self.R, 0), min(c + self.R + 1, self.W0.shape[0]))

    @property
    def per_sample_tables(self) -> bool:
        """Few enough samples and units for a table of every sample's d² to every unit."""
        return self.X.shape[0] <= TABLE_MAX_SAMPLES and self.W0.shape[0] <= WORKED_MAX_UNITS


class Training(NamedTuple):
    """What the run computes. Iterations are 0-based here (t = 0 is iteration 1)."""

    d2: np.ndarray  # (T, m): squared distance of iteration t's sample to each unit
    winners: np.ndarray  # (T,): winning unit c, 0-based
    tied: tuple[tuple[int, ...], ...]  # per iteration: the units tied for the win (empty: no tie)
    history: np.ndarray  # (H + 1, m, n): initial weights, then after each of the first H iterations
    epoch_ends: Mapping[int, np.ndarray]  # epoch (1-based) → weights at its end, for the epochs shown
    etas: np.ndarray  # (E,): η of each epoch
    quantization: np.ndarray  # (E,): mean ‖x − w_c‖ over the samples, weights at the epoch's end
    weights: np.ndarray  # (m, n): final weights

    @property
    def iterations(self) -> int:
        return len(self.winners)

    @property
    def history_complete(self) -> bool:
        return len(self.history) - 1 == self.iterations


def _winner(d2: np.ndarray, tol: float) -> tuple[int, tuple[int, ...]]:
    """The unit with the smallest d² (lowest number among those within ``tol`` of it) and
    the tied units when more than one is that near."""
    near = np.flatnonzero(d2 <= d2.min() * (1 + TIE_RTOL) + tol)
    return int(near[0]), (tuple(int(j) for j in near) if len(near) > 1 else ())


def _tie_tolerance(X: np.ndarray, W: np.ndarray) -> float:
    """An absolute floor for ties, on the scale of the data: d² computed from values of
    size s carry rounding of about 1e-16 s², which a relative test misses near d² = 0."""
    s = float(np.abs(X).max()) + float(np.abs(W).max())  # Python floats: an overflow is inf, then d² is refused
    return 1e-14 * s * s


def _quantization_error(X: np.ndarray, W: np.ndarray) -> float:
    """E_q = (1/N) Σₙ ‖xₙ − w_c(n)‖, the mean distance of each sample to its nearest unit."""
    d2 = (X * X).sum(axis=1)[:, None] - 2 * X @ W.T + (W * W).sum(axis=1)[None, :]
    return float(np.sqrt(np.maximum(d2.min(axis=1), 0.0)).mean())


def _learning_rates(eta: float, decay: float, epochs: int) -> np.ndarray:
    """η of each epoch, multiplied by ``decay`` after each one (as a student would: 0.6, 0.3, 0.15…)."""
    etas = np.empty(epochs)
    etas[0] = eta
    for e in range(1, epochs):
        etas[e] = etas[e - 1] * decay
    return etas


def train(p: Problem, shown_epochs: Sequence[int]) -> Training:
    """Present the samples in order, ``p.epochs`` times: d² to every unit, the winner c, and
    wⱼ ← wⱼ + η(x − wⱼ) for |j − c| ≤ R. Keeps the weights at the end of ``shown_epochs``."""
    X, W0, epochs = p.X, p.W0, p.epochs
    N, m, n = p.shape
    T = N * epochs
    H = T if T * m * n <= HISTORY_MAX_NUMBERS else min(T, WORKED_MAX_ITERATIONS)
    d2_all = np.empty((T, m))
    winners = np.empty(T, dtype=int)
    tied: list[tuple[int, ...]] = []
    history = np.empty((H + 1, m, n))
    history[0] = W0
    etas = _learning_rates(p.eta, p.decay, epochs)
    quantization = np.empty(epochs)
    epoch_ends = {}
    tol = _tie_tolerance(X, W0)
    W = W0.copy()
    t = 0
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is caught as a non-finite d²
        for e in range(epochs):
            for x in X:
                # distances and the winner
                diff = x - W
                d2 = np.einsum("ji,ji->j", diff, diff)
                if not np.isfinite(d2).all():
                    raise _overflow(p)
                c, ties = _winner(d2, tol)
                # move the winner (and its neighbours on the line) towards the sample
                moved = p.neighbours(c)
                W[moved.start:moved.stop] += etas[e] * diff[moved.start:moved.stop]
                d2_all[t], winners[t] = d2, c
                tied.append(ties)
                if t < H:
                    history[t + 1] = W
                t += 1
            quantization[e] = _quantization_error(X, W)
            if e + 1 in shown_epochs:
                epoch_ends[e + 1] = W.copy()
    return Training(d2_all, winners, tuple(tied), history, epoch_ends, etas, quantization, W)


def _overflow(p: Problem) -> InputError:
    """The error for a run whose numbers leave double precision."""
    if p.eta > 1:
        return InputError("--lr", f"the weights overflow double precision (η = {p.eta:g} > 1 overshoots; above 2 every update overshoots further)")
    return InputError("--samples/--weights", "the values are too large: their squared distances overflow double precision")


def nearest_units(X: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[tuple[int, ...]]]:
    """d² of every sample to every unit (N × m), each sample's nearest unit (0-based, ties to
    the lowest number) and the ties, computed term by term as in training."""
    d2 = np.empty((len(X), len(W)))
    for j, w in enumerate(W):
        diff = X - w
        d2[:, j] = np.einsum("si,si->s", diff, diff)
    tol = _tie_tolerance(X, W)
    picks = [_winner(row, tol) for row in d2]
    return d2, np.array([c for c, _ in picks], dtype=int), [ties for _, ties in picks]


# --- how things are written ---------------------------------------------------------------


def _vector(values: Sequence[float] | np.ndarray) -> tuple[Part, ...]:
    """``(0.3, 0.5, 0.7, 0.2)`` as parts."""
    return ("(", *joined([float(v) for v in values], ", "), ")")


def _d2(j: int) -> str:
    """LaTeX d²ⱼ of unit j (0-based)."""
    return f"d_{{{j + 1}}}^{{2}}"


def _units(units: Sequence[int]) -> str:
    """``unit 3``, ``units 1 and 2``, ``units 1, 2 and 4`` (0-based in, 1-based out)."""
    names = [str(j + 1) for j in units]
    if len(names) == 1:
        return f"unit {names[0]}"
    return f"units {', '.join(names[:-1])} and {names[-1]}"


def _samples(indices: Sequence[int], limit: int = 8) -> str:
    """``x₁, x₂, … (40 samples)`` in LaTeX, at most ``limit`` named."""
    named = [f"$x_{{{s + 1}}}$" for s in indices[:limit]]
    more = f", … ({len(indices)} samples)" if len(indices) > limit else ""
    return ", ".join(named) + more if indices else "none"


def _shown_rows(rows: list[tuple[Part, ...]]) -> tuple[tuple[Part, ...], ...]:
    """At most a screen of rows: the first and the last ones with a ⋮ row between, built
    here so a 100,000-row table is never formatted only to be cut."""
    head, tail = SHOWN_ROWS
    if len(rows) <= head + tail + 1:
        return tuple(rows)
    return (*rows[:head], ("⋮",) * len(rows[0]), *rows[-tail:])


def _weights_table(caption: str, W: np.ndarray, updated: Sequence[int] = ()) -> Table:
    """The weight matrix, one row per unit (updated units marked ←)."""
    n = W.shape[1]
    header = ("unit $j$", *(f"$w_{{j{i + 1}}}$" if n < 10 else f"$w_{{j,{i + 1}}}$" for i in range(n)))
    rows = [(f"{j + 1} ←" if j in updated else f"{j + 1}", *row) for j, row in enumerate(W.tolist())]
    return Table(line(caption), header, _shown_rows(rows))


def _winner_line(d2: np.ndarray, c: int, ties: tuple[int, ...]) -> Line:
    """Why unit c wins: the comparison with the runner-up, or the tie rule."""
    if ties:
        return line(f"{_units(ties).capitalize()} tie at $d^{{2}} = ", float(d2[c]), "$: the lowest unit number wins, ",
                    f"unit {c + 1}.")
    if len(d2) == 1:
        return line("Unit 1 wins (the only unit).")
    k = int(next(j for j in np.argsort(d2, kind="stable") if j != c))
    runner_up = "" if len(d2) == 2 else " (the next smallest)"
    close = d2[k] - d2[c] <= CLOSE_RTOL * d2[k]  # would look equal when rounded: show every digit
    won, lost = Num(float(d2[c]), exact=close), Num(float(d2[k]), exact=close)
    return line(f"Unit {c + 1} wins: $", _d2(c), " = ", won, " < ", _d2(k), " = ", lost, f"${runner_up}.")


# --- worked iterations (small runs): everything written out -----------------------------


def _distance_line(x: np.ndarray, w: np.ndarray, j: int, d2: float) -> Line:
    """d²ⱼ = (x₁ − wⱼ₁)² + … = sq₁ + … = d², every term written out."""
    terms = [("(", float(xi), " - ", Num(float(wi), paren=True), ")^{2}") for xi, wi in zip(x, w)]
    if len(x) == 1:
        return math(_d2(j), " = ", *terms[0], " = ", d2)
    squares = [float(v) for v in (x - w) ** 2]
    return math(_d2(j), " = ", *joined(terms, " + "), " = ", *joined(squares, " + "), " = ", d2)


def _update_line(s: int, j: int, eta: float, w: np.ndarray, x: np.ndarray, new: np.ndarray) -> Line:
    """wⱼ ← wⱼ + η(xₛ − wⱼ) with the numbers substituted, x − w shown."""
    return math(f"w_{{{j + 1}}} \\leftarrow w_{{{j + 1}}} + \\eta (x_{{{s + 1}}} - w_{{{j + 1}}}) = ", *_vector(w), " + ",
                eta, r" \cdot ", *_vector(x - w), " = ", *_vector(new))


def _epoch_rate_line(p: Problem, e: int, etas: np.ndarray) -> Line:
    """How η of epoch e (1-based, ≥ 2) comes about."""
    if p.decay == 1:
        return line(f"Epoch {e}: the samples again, in the same order, with $\\eta = ", float(etas[e - 1]), "$.")
    return line(f"Epoch {e}: $\\eta_{{{e}}} = \\eta_{{{e - 1}}} \\cdot ", p.decay, " = ", float(etas[e - 2]), r" \cdot ", p.decay,
                " = ", float(etas[e - 1]), "$ (--lr-decay).")


def _iteration_step(p: Problem, run: Training, t: int, notes_problem: bool) -> Step:
    """Iteration t (0-based): d² to every unit, the winner, the update(s), the weights after."""
    N, m, _ = p.shape
    e, s = divmod(t, N)
    x, W, new = p.X[s], run.history[t], run.history[t + 1]
    c, d2 = int(run.winners[t]), run.d2[t]
    body: list[Block] = []
    if e > 0 and s == 0:
        body.append(_epoch_rate_line(p, e + 1, run.etas))
    body += [_distance_line(x, W[j], j, float(d2[j])) for j in range(m)]
    body.append(_winner_line(d2, c, run.tied[t]))
    updated = p.neighbours(c)
    if p.R > 0:
        body.append(line(f"Neighbourhood $|j - c| \\le R = {p.R}$: {_units(updated)} move, all with the same $\\eta$."))
    body += [_update_line(s, j, float(run.etas[e]), W[j], x, new[j]) for j in updated]
    if notes_problem and t == 1:
        body.append(line("The notes get (−0.96, 0.32, 1.408, 1.28) here: they subtract $\\eta(x - w)$ (see Notes below)."))
    body.append(_weights_table(f"weights after iteration {t + 1} (← updated)", new, updated))
    where = f" (epoch {e + 1})" if p.epochs > 1 else ""
    title = line(f"Iteration {t + 1}{where}: sample $x_{{{s + 1}}} = ", *_vector(x), "$")
    answers = (f"distances.{t + 1}", f"winners.{t + 1}", f"history.{t + 1}") + (("weights",) if t + 1 == run.iterations else ())
    return Step(title, tuple(body), answers)


# --- summaries (long runs): epoch by epoch ---------------------------------------------------


def _overview_step(p: Problem, run: Training) -> Step:
    """One row per epoch: η, who won (or how many winners changed), quantization error."""
    N = p.shape[0]
    winners = run.winners.reshape(p.epochs, N)
    per_sample = N <= TABLE_MAX_SAMPLES
    if per_sample:
        header: tuple[Part, ...] = ("epoch", r"$\eta$", f"winners of $x_{{1}}$…$x_{{{N}}}$", "$E_{q}$")
    else:
        header = ("epoch", r"$\eta$", "units that won", "samples whose winner changed", "$E_{q}$")
    rows: list[tuple[Part, ...]] = []
    for e in range(p.epochs):
        if per_sample:
            middle: tuple[Part, ...] = (" ".join(str(c + 1) for c in winners[e]),)
        else:
            changed = int((winners[e] != winners[e - 1]).sum()) if e else "—"
            middle = (len(np.unique(winners[e])), changed)
        rows.append((e + 1, float(run.etas[e]), *middle, float(run.quantization[e])))
    body = (math(r"E_{q} = \frac{1}{N} \sum_{n} \lVert x_{n} - w_{c(n)} \rVert"),
            line("(quantization error: the mean distance from each sample to its nearest unit, weights at the epoch's end)"),
            Table(line(f"{count(p.epochs, 'epoch')} of {N} iterations"), header, _shown_rows(rows)))
    return Step(line("Training, epoch by epoch"), body, ("learning_rates",))


def _wins_step(p: Problem, run: Training) -> Step:
    """How many samples each unit won in each epoch (columns = epochs)."""
    N, m, _ = p.shape
    E = p.epochs
    counts = np.bincount((run.winners.reshape(E, N) + m * np.arange(E)[:, None]).ravel(), minlength=E * m).reshape(E, m)
    rows = [(f"{j + 1}", *counts[:, j].tolist()) for j in range(m)]
    table = Table(line("samples won by each unit (columns = epochs)"), ("unit", *(f"{e + 1}" for e in range(E))), _shown_rows(rows))
    return Step(line("Wins per unit in each epoch"), (table,), ("winners",))


def _iteration_table(p: Problem, run: Training, e: int) -> Table:
    """Epoch e's iterations (1-based e): the sample, d² to each unit, the winner."""
    N, m, _ = p.shape
    rows = []
    for s in range(N):
        t = e * N - N + s
        c = int(run.winners[t])
        rows.append((t + 1, f"$x_{{{s + 1}}}$", *(float(v) for v in run.d2[t]), f"{c + 1} (tie)" if run.tied[t] else f"{c + 1}"))
    header = ("iteration", "sample", *(f"${_d2(j)}$" for j in range(m)), "winner")
    return Table(line("$d^{2}$ of each sample to each unit, as presented"), header, tuple(rows))


def _epoch_step(p: Problem, run: Training, e: int) -> Step:
    """Epoch e (1-based) in short: its iterations (few samples) and the weights at its end."""
    N = p.shape[0]
    first, last = (e - 1) * N + 1, e * N
    body: list[Block] = []
    if p.per_sample_tables:
        body.append(_iteration_table(p, run, e))
    body.append(_weights_table(f"weights at the end of epoch {e} (after iteration {last:,})", run.epoch_ends[e]))
    answers = [f"distances.{t}" for t in range(first, last + 1)] if p.per_sample_tables else []
    answers += ([f"history.{last}"] if run.history_complete else []) + (["weights"] if e == p.epochs else [])
    span = f"iteration {first:,}" if N == 1 else f"iterations {first:,}–{last:,}"
    return Step(line(f"Epoch {e} ({span}), $\\eta = ", float(run.etas[e - 1]), "$"), tuple(body), tuple(answers))


# --- class membership ---------------------------------------------------------------------


def _membership_step(p: Problem, d2: np.ndarray, clusters: np.ndarray, ties: list[tuple[int, ...]]) -> Step:
    """Each sample's nearest unit under the final weights: the class it belongs to."""
    N, m, _ = p.shape
    body: list[Block] = []
    if p.per_sample_tables:
        header = ("sample", *(f"${_d2(j)}$" for j in range(m)), "unit")
        rows = tuple((f"$x_{{{s + 1}}}$", *(float(v) for v in d2[s]), f"{clusters[s] + 1}") for s in range(N))
        body.append(Table(line("$d^{2}$ of each sample to each unit, final weights"), header, rows))
    members = [np.flatnonzero(clusters == j).tolist() for j in range(m)]
    rows_by_unit = [(f"{j + 1}", len(members[j]), _samples(members[j])) for j in range(m)]
    body.append(Table(line("the classes"), ("unit", "samples", "which"), _shown_rows(rows_by_unit)))
    tied = [s for s in range(N) if ties[s]]
    for s in tied[:3]:
        body.append(line(f"$x_{{{s + 1}}}$ is equally near {_units(ties[s])}: the lowest number, {clusters[s] + 1}, is taken."))
    if len(tied) > 3:
        body.append(line(f"… and {len(tied) - 3} more samples equally near two or more units (lowest number taken)."))
    return Step(line("Class membership: the nearest unit of each sample under the final weights"), tuple(body), ("clusters",))


# --- notes ----------------------------------------------------------------------------------


def _notes(p: Problem, run: Training, worked_all: bool, worked_first: bool, notes_problem: bool) -> list[Note]:
    """Conventions used, warnings, and the notes' errors when solving the notes' problem."""
    _, m, n = p.shape
    notes = [Note(line("Winner: the smallest $d^{2}$ (no square root needed to compare); on a tie the lowest unit number wins. "
                       "Distances equal to 12 significant digits tie, so binary rounding never breaks a decimal tie.")),
             Note(line("One iteration presents one sample, in the order given, every epoch; each update is used by the next "
                       "iteration (online training)."))]
    if p.R == 0:
        notes.append(Note(line("Only the winner is updated (--radius 0), as in the notes.")))
    else:
        notes.append(Note(line(f"The units lie on a line: every unit $j$ with $|j - c| \\le {p.R}$ moves with the same $\\eta$ as the winner (--radius {p.R}).")))
    if p.decay != 1:
        notes.append(Note(line(f"$\\eta$ is multiplied by {p.decay:g} after each epoch (--lr-decay; Fausett's example uses "
                               r"$\alpha(t + 1) = 0.5\,\alpha(t)$).")))
    if p.eta > 1:
        notes.append(Note(line(f"$\\eta = {p.eta:g} > 1$: each update overshoots the sample (the winner lands on the far side of it)."), "warning"))
    tie_iterations = [t for t in range(run.iterations) if run.tied[t]]
    if tie_iterations:
        shown = ", ".join(str(t + 1) for t in tie_iterations[:8]) + (f", … ({len(tie_iterations)} in all)" if len(tie_iterations) > 8 else "")
        notes.append(Note(line(f"A tie for the win happened at iteration{'s' if len(tie_iterations) > 1 else ''} {shown}: "
                               "the lowest unit number won."), "warning"))
    if not worked_all:
        written = "epoch 1 is written out, then " if worked_first else ""
        notes.append(Note(line(f"{run.iterations:,} iterations: {written}the steps summarize each epoch; --format json has every "
                               "distance and winner.")))
    if not run.history_complete:
        numbers = run.iterations * m * n
        notes.append(Note(line(f"history is left out (null): the weights after each of the {run.iterations:,} iterations are "
                               f"{numbers:,} numbers (the limit is {HISTORY_MAX_NUMBERS:,}); fewer samples or epochs give it."), "warning"))
    if notes_problem:
        notes += _notes_errata(p)
    return notes


def _notes_errata(p: Problem) -> list[Note]:
    """Where the notes' hand-worked SOM values are wrong (NOTES-PROBLEMS §3)."""
    x1, W = p.X[0], p.W0
    typo = W.copy()
    typo[1, 1] = 0.3
    d2_typo = float(((x1 - typo[1]) ** 2).sum())
    return [
        Note(line("The notes' first weight matrix writes unit 2 as (0.6, 0.3, 0.4, 0.3), but every later line uses (0.6, 0.7, 0.4, 0.3): "
                  "iteration 1's $d_{2}^{2} = 1.1$ needs 0.7 (with 0.3 it would be $d_{2}^{2} = ", d2_typo, " < 0.87$ and unit 2 would win)."), "erratum"),
        Note(line("Iteration 2: the notes update with $w - \\eta(x - w)$, write $x_{2} - w_{1}$ as (0.28, −0.2, −0.88, −0.8) and get "
                  "(−0.96, 0.32, 1.408, 1.28). The rule is $w + \\eta(x - w)$ with $x_{2} - w_{1} = (0.28, -0.2, -0.88, -0.08)$: "
                  "$w_{1} = (0.888, 0.08, 0.352, 0.032)$."), "erratum"),
        Note(line("The notes stop after iteration 2 (\"By calculate 3, by iteration\"); iterations 3 and 4 complete the epoch.")),
    ]


# --- solve ------------------------------------------------------------------------------------


def _is_notes_problem(inputs: Mapping[str, Any]) -> bool:
    """The notes' samples, weights, η and winner-only update (their first epoch)."""
    return (tuple(inputs["samples"]) == NOTES_SAMPLES and tuple(inputs["weights"]) == NOTES_WEIGHTS
            and inputs["lr"] == NOTES_LR and inputs["radius"] == 0)


def _rule_step(p: Problem) -> Step:
    """The method in symbols, the samples and the initial weights."""
    N, _, n = p.shape
    who = "the winner only" if p.R == 0 else f"every unit with $|j - c| \\le R = {p.R}$ (units on a line)"
    body: list[Block] = [
        line("The squared distance from the sample $x$ to every unit $j$:"),
        math(r"d_{j}^{2} = \sum_{i} (x_{i} - w_{ji})^{2}"),
        line("The winner $c$ has the smallest $d^{2}$ (the lowest unit number on a tie)."),
        line("The update, for ", who, ":"),
        math(r"w_{j} \leftarrow w_{j} + \eta (x - w_{j}), \quad \eta = ", p.eta),
    ]
    if p.decay != 1:
        body.append(line(f"After each epoch $\\eta$ is multiplied by {p.decay:g}."))
    if N <= TABLE_MAX_SAMPLES and n <= 12:
        body.append(line("Samples, presented in this order", " in every epoch" if p.epochs > 1 else "", ": ",
                         *joined([(f"$x_{{{s + 1}}} = ", *_vector(x), "$") for s, x in enumerate(p.X)], ", "), "."))
    else:
        body.append(line(f"{N:,} samples of {count(n, 'input')}, presented in the order given{' in every epoch' if p.epochs > 1 else ''}."))
    body.append(_weights_table("initial weights (row $j$ = unit $j$)", p.W0))
    return Step(line("The rule, the samples and the initial weights"), tuple(body))


def _title(p: Problem, T: int) -> str:
    N, m, n = p.shape
    decay = f", ×{p.decay:g} per epoch" if p.decay != 1 else ""
    radius = f", radius {p.R}" if p.R else ""
    epochs = "1 epoch" if p.epochs == 1 else f"{p.epochs:,} epochs"
    return (f"Kohonen SOM: {N:,} sample{'s' if N > 1 else ''} of {n} input{'s' if n > 1 else ''}, {m} unit{'s' if m > 1 else ''}, "
            f"η = {p.eta:g}{decay}{radius}, {epochs} ({T:,} iteration{'s' if T > 1 else ''})")


def solve(inputs: Mapping[str, Any]) -> Derivation:
    """Train the map on the samples and write every iteration (or each epoch) out."""
    X, W0 = _checked(inputs)
    p = Problem(X, W0, inputs["lr"], inputs["lr_decay"], inputs["epochs"], inputs["radius"])
    N, m, n = p.shape
    T = N * p.epochs

    # how much is written out: every iteration, the first epoch, or summaries only
    small = m <= WORKED_MAX_UNITS and n <= WORKED_MAX_INPUTS
    worked_all = small and T <= WORKED_MAX_ITERATIONS
    worked_first = small and not worked_all and N <= WORKED_MAX_ITERATIONS
    worked_epochs = p.epochs if worked_all else (1 if worked_first else 0)
    # summarized: the first two epochs and the last, those that exist and are not already written out
    shown_epochs = sorted({e for e in (1, 2, p.epochs) if worked_epochs < e <= p.epochs})

    run = train(p, shown_epochs)
    d2_final, clusters, cluster_ties = nearest_units(X, run.weights)
    notes_problem = _is_notes_problem(inputs)

    # the steps
    steps = [_rule_step(p)]
    steps += [_iteration_step(p, run, t, notes_problem) for t in range(worked_epochs * N)]
    if not worked_all:
        steps.append(_overview_step(p, run))
        if N > TABLE_MAX_SAMPLES:
            steps.append(_wins_step(p, run))
        steps += [_epoch_step(p, run, e) for e in shown_epochs]
    steps.append(_membership_step(p, d2_final, clusters, cluster_ties))

    answers = {
        "distances": run.d2.tolist(),
        "winners": (run.winners + 1).tolist(),
        "history": run.history[1:].tolist() if run.history_complete else None,
        "weights": run.weights.tolist(),
        "clusters": (clusters + 1).tolist(),
        "learning_rates": run.etas.tolist(),
    }
    echoed = {"samples": X.tolist(), "weights": W0.tolist(), "lr": p.eta, "epochs": p.epochs,
              "lr_decay": p.decay, "radius": p.R}
    listed = frozenset({"distances", "history"}) if T <= LISTED_MAX_ITERATIONS else frozenset()
    return Derivation(COMMAND, _title(p, T), echoed, tuple(steps), answers, tuple(_notes(p, run, worked_all, worked_first, notes_problem)), listed)
