"""KL divergence, worked three ways: two discrete distributions, two Gaussians, and the
regularizer of a variational autoencoder.

Discrete   KL(P‖Q) = Σᵢ pᵢ log(pᵢ/qᵢ), where pᵢ = 0 contributes 0 (the limit of x log x)
           and qᵢ = 0 < pᵢ makes it ∞;  H(P) = −Σ pᵢ log pᵢ,  H(P, Q) = −Σ pᵢ log qᵢ,
           and H(P, Q) = H(P) + KL(P‖Q).
Gaussians  KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)) = ln(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½.
VAE        KL(N(μ, diag σ²) ‖ N(0, I)) = ½ Σᵢ (σᵢ² + μᵢ² − ln σᵢ² − 1): the Gaussian closed
           form with μ₂ = 0, σ₂ = 1, once per latent dimension (independent, so they add).

The mode follows from the options given; with none, the VAE term of a small latent (the
notes give the formula, wrongly, but no numbers). ``--base`` chooses the logarithm: e (nats),
2 (bits) or 10 (bans). Gaussian and VAE values are worked in nats, then divided by ln b.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from dlsolve.core.derivation import Derivation, Line, Note, Num, Part, Step, Table, joined, line
from dlsolve.core.derivation import math as eq  # renamed: the standard library's math is used too
from dlsolve.core.inputs import Choice, Field, Flag, InputError, Number, Vector, option, parse_number, within_limit
from dlsolve.core.numbers import short_text

COMMAND = "kl-divergence"
DEFAULT_MU = (0.5, -1.0, 0.0)  # the default problem: a 3-dimensional latent (worked_examples/kl-divergence-vae.toml)
DEFAULT_SIGMA = (0.8, 1.5, 1.0)
SUM_TOLERANCE = 1e-9  # |Σp − 1| allowed before the input is refused (or --normalize asked for)
DETAIL_MAX = 8  # up to this many outcomes/dimensions: one written line each; more: a table
MAX_TERMS = 100_000  # outcomes or latent dimensions: each a term of the sum (an exam has 2–10)
MAX_LOG_VAR = 700.0  # e^700 ≈ 1e304 still fits a double

# --- input kinds ----------------------------------------------------------------------------


def _fraction(text: str, where: str) -> float:
    """A number or a fraction such as ``1/3`` (exam probabilities often are)."""
    numerator, slash, denominator = text.partition("/")
    if not slash:
        return parse_number(text, where)
    bottom = parse_number(denominator, where)
    if bottom == 0:
        raise InputError(where, f"{text.strip()!r} divides by zero")
    return parse_number(numerator, where) / bottom


class Probabilities(NamedTuple):
    """Probabilities ≥ 0, written ``0.36,0.48,0.16``; a value may be a fraction, ``1/3``."""

    def read_text(self, text: str, where: str) -> tuple[float, ...]:
        if not text.strip():
            raise InputError(where, "is empty; give probabilities separated by commas, e.g. 0.5,0.3,0.2")
        within_limit(text.count(",") + 1, MAX_TERMS, where)
        return _nonnegative([_fraction(item, f"{where} (value {i})") for i, item in enumerate(text.split(","), 1)], where)

    def read_value(self, value: Any, where: str) -> tuple[float, ...]:
        if isinstance(value, str):
            return self.read_text(value, where)
        if not isinstance(value, list):
            return Vector(MAX_TERMS).read_value(value, where)  # its error names what was given instead
        within_limit(len(value), MAX_TERMS, where)
        items = [_fraction(v, f"{where} (value {i})") if isinstance(v, str) else Number().read_value(v, f"{where} (value {i})")
                 for i, v in enumerate(value, 1)]
        return _nonnegative(Vector(MAX_TERMS).read_value(items, where), where)


def _nonnegative(values: Sequence[float], where: str) -> tuple[float, ...]:
    for i, x in enumerate(values, 1):
        if x < 0:
            raise InputError(f"{where} (value {i})", f"{x:g} is negative; a probability must be ≥ 0")
    return tuple(values)


class StandardDeviations(NamedTuple):
    """Standard deviations σᵢ > 0, written ``0.8,1.5``."""

    def read_text(self, text: str, where: str) -> tuple[float, ...]:
        return _positive(Vector(MAX_TERMS).read_text(text, where), where)

    def read_value(self, value: Any, where: str) -> tuple[float, ...]:
        return _positive(Vector(MAX_TERMS).read_value(value, where), where)


def _positive(values: Sequence[float], where: str) -> tuple[float, ...]:
    for i, x in enumerate(values, 1):
        if x <= 0:
            raise InputError(f"{where} (value {i})", f"must be > 0 (a standard deviation), got {x:g}; for log-variances use --log-var")
    return tuple(values)


class LogBase(NamedTuple):
    """``e``, ``2`` or ``10``; a problem file may write the numbers 2 and 10 unquoted."""

    choice: Choice = Choice(("e", "2", "10"))

    def read_text(self, text: str, where: str) -> str:
        return self.choice.read_text(text, where)

    def read_value(self, value: Any, where: str) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value in (2, 10):
            return str(int(value))
        return self.choice.read_value(value, where)


SIGMA = Number(low=0, low_inclusive=False)
FIELDS = (
    Field("p", Probabilities(), None),
    Field("q", Probabilities(), None),
    Field("normalize", Flag(), False),
    Field("base", LogBase(), "e"),
    Field("mu1", Number(), None),
    Field("sigma1", SIGMA, None),
    Field("mu2", Number(), None),
    Field("sigma2", SIGMA, None),
    Field("mu", Vector(MAX_TERMS), None),
    Field("sigma", StandardDeviations(), None),
    Field("log_var", Vector(MAX_TERMS), None),
)
MODE_OPTIONS = {
    "discrete": ("p", "q", "normalize"),
    "gaussian": ("mu1", "sigma1", "mu2", "sigma2"),
    "vae": ("mu", "sigma", "log_var"),
}
MODE_USAGE = "--p with --q; or --mu1, --sigma1, --mu2, --sigma2; or --mu with --sigma or --log-var"
# a mode, and σ or ln σ² within the VAE mode: the command line's choice beats the problem file's
EXCLUSIVE_OPTIONS = (tuple(frozenset(names) for names in MODE_OPTIONS.values()), (frozenset({"sigma"}), frozenset({"log_var"})))


def _values(n: int) -> str:
    return "1 value" if n == 1 else f"{n} values"


# --- the logarithm's base -------------------------------------------------------------------


class Base(NamedTuple):
    """A logarithm base: how it is computed, written and what its unit is called."""

    name: str
    log: Callable[[np.ndarray], np.ndarray]
    symbol: str  # LaTeX
    unit: str

    @property
    def ln(self) -> float:
        """ln b, the divisor that turns nats into this unit."""
        return 1.0 if self.name == "e" else math.log(float(self.name))


BASES = {
    "e": Base("e", np.log, r"\ln", "nats"),
    "2": Base("2", np.log2, r"\log_2", "bits"),
    "10": Base("10", np.log10, r"\log_{10}", "bans"),
}
NATS = BASES["e"]


def _answer(x: float) -> float | str:
    """An answer value: the string "inf" for an infinite divergence (JSON has no ∞)."""
    return "inf" if math.isinf(x) else float(x)


def _cell(x: float) -> Part:
    """A table cell: the number, or ∞ written as math (a bare float would print "inf")."""
    return r"$\infty$" if math.isinf(x) else x


def _squared(x: float) -> tuple[Part, ...]:
    """``x^2``, the number in parentheses where a bare exponent would misread: ``(−1)²``,
    ``(2 × 10⁻⁵)²``."""
    return (Num(x, paren=True), "^2")


def _unit(base: Base) -> str:
    return rf"\ \text{{{base.unit}}}"


# --- which mode ---------------------------------------------------------------------------


def _mode(inputs: Mapping[str, Any]) -> str:
    """The mode whose options were given (the VAE default problem when none were)."""
    given = {mode: [name for name in names if inputs[name] is not None and inputs[name] is not False] for mode, names in MODE_OPTIONS.items()}
    modes = [mode for mode, names in given.items() if names]
    if len(modes) > 1:
        options = ", ".join(option(name) for mode in modes for name in given[mode])
        raise InputError(options, f"options of different modes ({', '.join(modes[:-1])} and {modes[-1]}); give one mode's options: {MODE_USAGE}")
    return modes[0] if modes else "vae"


# --- discrete: P and Q ----------------------------------------------------------------------


class Discrete(NamedTuple):
    """Both directions of KL, the entropy and the cross-entropy, term by term."""

    p: np.ndarray
    q: np.ndarray
    terms: np.ndarray  # pᵢ log(pᵢ/qᵢ)
    reverse_terms: np.ndarray  # qᵢ log(qᵢ/pᵢ)
    entropy_terms: np.ndarray  # −pᵢ log pᵢ
    cross_terms: np.ndarray  # −pᵢ log qᵢ

    @property
    def kl(self) -> float:
        return math.fsum(self.terms)

    @property
    def reverse(self) -> float:
        return math.fsum(self.reverse_terms)

    @property
    def entropy(self) -> float:
        return math.fsum(self.entropy_terms)

    @property
    def cross_entropy(self) -> float:
        return math.fsum(self.cross_terms)


def _distributions(inputs: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """P and Q as arrays, checked: both given, same length, each summing to 1 (or normalizable)."""
    p, q = inputs["p"], inputs["q"]
    if p is None or q is None:
        missing = ", ".join(name for name, v in (("--p", p), ("--q", q)) if v is None)
        raise InputError(missing, "the discrete mode needs both --p and --q")
    if len(q) != len(p):
        raise InputError("--q", f"has {_values(len(q))} but --p has {len(p)} (one probability per outcome)")
    for name, values in (("--p", p), ("--q", q)):
        total = math.fsum(values)
        if inputs["normalize"] and total == 0:
            raise InputError(name, "every value is 0, so it cannot be normalized")
        if not inputs["normalize"] and abs(total - 1) > SUM_TOLERANCE:
            raise InputError(name, f"sums to {total:.10g}, not 1; give probabilities that sum to 1, or add --normalize to divide by the sum")
    return np.array(p, dtype=float), np.array(q, dtype=float)


def _log_ratios(a: np.ndarray, b: np.ndarray, base: Base) -> np.ndarray:
    """log(aᵢ/bᵢ) as log aᵢ − log bᵢ (no overflow in the ratio); ∞ where bᵢ = 0 < aᵢ, 0 where aᵢ = 0 (unused)."""
    out = np.zeros_like(a)
    support = a > 0
    with np.errstate(divide="ignore"):
        out[support] = base.log(a[support]) - base.log(b[support])
    return out


def _weighted_logs(a: np.ndarray, b: np.ndarray, base: Base) -> np.ndarray:
    """−aᵢ log bᵢ, with 0 where aᵢ = 0 (0 · log 0 = 0) and ∞ where bᵢ = 0 < aᵢ."""
    out = np.zeros_like(a)
    support = a > 0
    with np.errstate(divide="ignore"):
        out[support] = 0.0 - a[support] * base.log(b[support])  # 0 − x, not −x: no −0 where log bᵢ = 0
    return out


def _discrete(p: np.ndarray, q: np.ndarray, base: Base) -> Discrete:
    return Discrete(p, q, p * _log_ratios(p, q, base), q * _log_ratios(q, p, base),
                    _weighted_logs(p, p, base), _weighted_logs(p, q, base))


def _check_step(p_given: np.ndarray, q_given: np.ndarray, p: np.ndarray, q: np.ndarray, normalized: bool) -> Step:
    """Σp = Σq = 1 shown, or each divided by its sum (--normalize)."""
    body: list[Line | Table] = []
    for name, given, used in (("p", p_given, p), ("q", q_given, q)):
        total = math.fsum(given)
        shown = (*joined(list(given), " + "), " = ") if len(given) <= DETAIL_MAX else ()
        if not normalized or abs(total - 1) <= SUM_TOLERANCE:
            body.append(eq(rf"\sum_i {name}_i = ", *shown, total, r" \checkmark"))
        else:
            body.append(eq(rf"\sum_i {name}_i = ", *shown, total, rf" \quad \Rightarrow \quad {name}_i \leftarrow \frac{{{name}_i}}{{", total, "}"))
            body.append(eq(f"{name.upper()} = (", *_listed(used), ")"))
    title = "Normalize P and Q (--normalize): divide each by its sum" if normalized else "P and Q are probability distributions"
    return Step(line(title), tuple(body))


def _listed(values: Sequence[float]) -> tuple[Part, ...]:
    """``a, b, c`` for up to DETAIL_MAX values, else the first ones and ``…``."""
    shown = list(values) if len(values) <= DETAIL_MAX else [*values[: DETAIL_MAX - 1]]
    parts = joined(shown, ", ")
    return parts if len(values) <= DETAIL_MAX else (*parts, r", \ldots")


def _kl_term_line(a: str, b: str, i: int, ai: float, bi: float, log_ratio: float, term: float, base: Base) -> Line:
    """aᵢ log(aᵢ/bᵢ) with the numbers in; a zero aᵢ and a zero bᵢ say why the term is 0 or ∞."""
    L = base.symbol
    symbol = rf"{a}_{{{i}}} {L}\left(\frac{{{a}_{{{i}}}}}{{{b}_{{{i}}}}}\right)"
    if ai == 0:
        return line(f"${symbol} = 0$ since ${a}_{{{i}}} = 0$ (an outcome {a.upper()} rules out contributes nothing: $0 \\log 0 = 0$)")
    substituted = (ai, rf" {L}\left(\frac{{", ai, "}{", bi, r"}\right)")
    if bi == 0:
        return line(f"${symbol} = ", *substituted, rf" = \infty$ since ${b}_{{{i}}} = 0 < {a}_{{{i}}}$")
    return eq(symbol, " = ", *substituted, " = ", ai, r" \cdot ", Num(log_ratio, paren=True), " = ", term)


def _kl_direction_body(a: str, b: str, av: np.ndarray, bv: np.ndarray, terms: np.ndarray, base: Base) -> list[Line | Table]:
    """KL(A‖B) = Σ aᵢ log(aᵢ/bᵢ): one line per term (a table when long), then the sum."""
    A, B, L = a.upper(), b.upper(), base.symbol
    log_ratio = _log_ratios(av, bv, base)
    body: list[Line | Table] = []
    if len(av) <= DETAIL_MAX:
        body += [_kl_term_line(a, b, i, av[i - 1], bv[i - 1], log_ratio[i - 1], terms[i - 1], base) for i in range(1, len(av) + 1)]
        summed = (*joined([Num(t, paren=True) for t in terms], " + "), " = ")
    else:
        rows = tuple((i, av[i - 1], bv[i - 1], _cell(log_ratio[i - 1]) if av[i - 1] > 0 else "—", _cell(terms[i - 1]))
                     for i in range(1, len(av) + 1))
        header = ("$i$", f"${a}_i$", f"${b}_i$", rf"${L}({a}_i/{b}_i)$", rf"${a}_i {L}({a}_i/{b}_i)$")
        body.append(Table(line(f"each term ({a}ᵢ = 0 gives 0, {b}ᵢ = 0 < {a}ᵢ gives ∞)"), header, rows))
        summed = ()
    total = math.fsum(terms)
    body.append(eq(rf"\mathrm{{KL}}({A} \Vert {B}) = \sum_i {a}_i {L}\left(\frac{{{a}_i}}{{{b}_i}}\right) = ", *summed, total, _unit(base)))
    return body


def _entropy_lines(name: str, arg: str, weights: np.ndarray, args: np.ndarray, terms: np.ndarray, base: Base) -> list[Line]:
    """``name`` = −Σ pᵢ log argᵢ, substituted, then evaluated (terms with pᵢ = 0 left out: they are 0)."""
    L = base.symbol
    formula = rf"{name} = -\sum_i p_i {L} {arg}_i = "
    kept = [i for i in range(len(weights)) if weights[i] > 0]
    if len(weights) > DETAIL_MAX:
        return [eq(formula, math.fsum(terms), _unit(base))]
    with np.errstate(divide="ignore"):
        logs = base.log(args[kept])
    symbolic = joined([(weights[i], f" {L} ", args[i]) for i in kept], " + ")
    numeric = joined([(weights[i], r" \cdot ", Num(v, paren=True)) for i, v in zip(kept, logs)], " + ")
    dropped = len(kept) < len(weights)
    substituted = eq(formula, "-(", *symbolic, ")")
    evaluated = eq("= -(", *numeric, ") = ", math.fsum(terms), _unit(base))
    return [Line((*substituted.parts, " (terms with $p_i = 0$ are 0)")) if dropped else substituted, evaluated]


def _discrete_steps(d: Discrete, given: tuple[np.ndarray, np.ndarray], normalized: bool, base: Base) -> list[Step]:
    L = base.symbol
    steps = [_check_step(*given, d.p, d.q, normalized)]
    steps.append(Step(line(rf"$\mathrm{{KL}}(P \Vert Q) = \sum_i p_i {L}(p_i/q_i)$, term by term"),
                      tuple(_kl_direction_body("p", "q", d.p, d.q, d.terms, base)), ("terms", "kl")))
    reverse = _kl_direction_body("q", "p", d.q, d.p, d.reverse_terms, base)
    same = d.kl == d.reverse or math.isclose(d.kl, d.reverse, rel_tol=1e-12)
    if math.isinf(d.kl) and math.isinf(d.reverse):
        reverse.append(line("Both directions are infinite here; in general KL is not symmetric"))
    elif same:
        reverse.append(line(r"$\mathrm{KL}(P \Vert Q) = \mathrm{KL}(Q \Vert P)$ for this pair only: KL is not symmetric in general"))
    else:
        reverse.append(line(r"$\mathrm{KL}(P \Vert Q) = ", d.kl, r" \ne \mathrm{KL}(Q \Vert P) = ", d.reverse, "$: KL is not symmetric"))
    steps.append(Step(line(rf"The reverse direction $\mathrm{{KL}}(Q \Vert P) = \sum_i q_i {L}(q_i/p_i)$"), tuple(reverse), ("reverse",)))
    steps.append(Step(line(rf"Entropy of P: $H(P) = -\sum_i p_i {L} p_i$"),
                      tuple(_entropy_lines("H(P)", "p", d.p, d.p, d.entropy_terms, base)), ("entropy_p",)))
    check = eq(r"H(P) + \mathrm{KL}(P \Vert Q) = ", d.entropy, " + ", d.kl, " = ", d.entropy + d.kl, r" = H(P, Q) \checkmark")
    steps.append(Step(line(rf"Cross-entropy $H(P, Q) = -\sum_i p_i {L} q_i$, and the check $H(P, Q) = H(P) + \mathrm{{KL}}(P \Vert Q)$"),
                      (*_entropy_lines("H(P, Q)", "q", d.p, d.q, d.cross_terms, base), check), ("cross_entropy",)))
    return steps


def _infinity_notes(d: Discrete) -> list[Note]:
    """Why a direction is infinite: an outcome the second distribution rules out has weight under the first."""
    notes = []
    for a, b, av, bv, value in (("p", "q", d.p, d.q, d.kl), ("q", "p", d.q, d.p, d.reverse)):
        if not math.isinf(value):
            continue
        A, B = a.upper(), b.upper()
        cases = joined([(f"${b}_{{{i + 1}}} = 0 < {a}_{{{i + 1}}} = ", av[i], "$") for i in np.flatnonzero((bv == 0) & (av > 0))], ", ")
        notes.append(Note(line(rf'$\mathrm{{KL}}({A} \Vert {B}) = \infty$ (the answer is the string "inf") because ', *cases,
                               rf": {B} calls impossible an outcome that {A} says happens, and the term ${a}_i \log({a}_i/0)$ is infinite. "
                               f"Smooth {B} (add a small ε to every value and renormalize) if a finite value is wanted."), "warning"))
    return notes


def _solve_discrete(inputs: Mapping[str, Any], base: Base) -> Derivation:
    p_given, q_given = _distributions(inputs)
    normalized = bool(inputs["normalize"])
    p, q = (p_given / math.fsum(p_given), q_given / math.fsum(q_given)) if normalized else (p_given, q_given)
    d = _discrete(p, q, base)
    notes = [Note(line(f"Logarithms to base {base.name}: values in {base.unit}."
                       + ("" if base is NATS else f" (1 {base.unit[:-1]} = ln {base.name} nats.)")))]
    if np.any(p == 0) or np.any(q == 0):
        notes.append(Note(line("A term with a zero weight is 0: $0 \\log 0 = 0$, the limit of $x \\log x$ as $x \\to 0$.")))
    notes += _infinity_notes(d)
    answers = {
        "mode": "discrete",
        "kl": _answer(d.kl),
        "terms": [_answer(t) for t in d.terms],
        "reverse": _answer(d.reverse),
        "entropy_p": d.entropy,
        "cross_entropy": _answer(d.cross_entropy),
    }
    echoed = {"p": list(inputs["p"]), "q": list(inputs["q"]), "normalize": normalized, "base": base.name}
    title = f"KL divergence of two discrete distributions ({len(p)} outcomes, in {base.unit})"
    return Derivation(COMMAND, title, echoed, tuple(_discrete_steps(d, (p_given, q_given), normalized, base)), answers, tuple(notes))


# --- nats → the chosen base ---------------------------------------------------------------


def _in_base_step(base: Base, kl_nats: float, terms_nats: np.ndarray | None) -> Step:
    """Divide by ln b: nats → bits or bans."""
    body: list[Line | Table] = []
    if terms_nats is not None and len(terms_nats) <= DETAIL_MAX:
        body += [eq(rf"\mathrm{{KL}}_{{{i}}} = ", t, rf" / \ln {base.name} = ", t / base.ln, _unit(base))
                 for i, t in enumerate(terms_nats, 1)]
    elif terms_nats is not None:
        body.append(Table(line(f"each dimension's term in {base.unit}"), ("$i$", "nats", base.unit),
                          tuple((i, t, t / base.ln) for i, t in enumerate(terms_nats, 1))))
    body.append(eq(r"\mathrm{KL} = ", kl_nats, rf" / \ln {base.name} = ", kl_nats / base.ln, _unit(base)))
    answers = ("terms", "kl") if terms_nats is not None else ("kl",)
    return Step(line(f"In {base.unit}: divide by $\\ln {base.name} = ", base.ln, "$"), tuple(body), answers)


# --- two Gaussians ------------------------------------------------------------------------


def _gaussian_kl(mu1: float, sigma1: float, mu2: float, sigma2: float) -> tuple[float, float]:
    """The two parts of the closed form, in nats: ln(σ₂/σ₁) and (σ₁² + (μ₁ − μ₂)²)/(2σ₂²)."""
    return math.log(sigma2) - math.log(sigma1), (sigma1**2 + (mu1 - mu2) ** 2) / (2 * sigma2**2)


def _solve_gaussian(inputs: Mapping[str, Any], base: Base) -> Derivation:
    defaults = {"mu1": 0.0, "sigma1": 1.0, "mu2": 0.0, "sigma2": 1.0}
    missing = [name for name in defaults if inputs[name] is None]
    mu1, sigma1, mu2, sigma2 = (defaults[n] if inputs[n] is None else inputs[n] for n in defaults)
    try:
        log_part, quadratic = _gaussian_kl(mu1, sigma1, mu2, sigma2)
        back_log, back_quadratic = _gaussian_kl(mu2, sigma2, mu1, sigma1)
    except ZeroDivisionError:  # σ² underflowed to 0
        name, sigma = ("--sigma1", sigma1) if sigma1 * sigma1 == 0 else ("--sigma2", sigma2)
        raise InputError(name, f"{sigma:g} is too small: σ² is 0 in double precision") from None
    except OverflowError:
        raise InputError("--mu1/--sigma1/--mu2/--sigma2", "the numbers overflow double precision") from None
    kl_nats, reverse_nats = log_part + quadratic - 0.5, back_log + back_quadratic - 0.5
    if not (math.isfinite(kl_nats) and math.isfinite(reverse_nats)):
        raise InputError("--mu1/--sigma1/--mu2/--sigma2", "the numbers overflow double precision")

    # the closed form, each part with its numbers
    numerator = sigma1**2 + (mu1 - mu2) ** 2
    body = (
        eq(r"\mathrm{KL}(\mathcal{N}_1 \Vert \mathcal{N}_2) = \ln\left(\frac{\sigma_2}{\sigma_1}\right)"
           r" + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2 \sigma_2^2} - \frac{1}{2}"),
        eq(r"\ln\left(\frac{\sigma_2}{\sigma_1}\right) = \ln\left(\frac{", sigma2, "}{", sigma1, r"}\right) = ", log_part),
        eq(r"\frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2 \sigma_2^2} = \frac{", *_squared(sigma1), " + (", mu1, " - ", Num(mu2, paren=True),
           r")^2}{2 \cdot ", *_squared(sigma2), "} = \\frac{", numerator, "}{", 2 * sigma2**2, "} = ", quadratic),
        eq(r"\mathrm{KL} = ", Num(log_part), " + ", quadratic, r" - \frac{1}{2} = ", kl_nats, _unit(NATS)),
    )
    steps = [Step(line(r"Closed form: $\mathrm{KL}(\mathcal{N}(\mu_1, \sigma_1^2) \Vert \mathcal{N}(\mu_2, \sigma_2^2))$"),
                  body, () if base is not NATS else ("kl",))]
    if base is not NATS:
        steps.append(_in_base_step(base, kl_nats, None))

    notes = []
    if missing:
        notes.append(Note(line("Not given, so the standard normal's: ",
                               ", ".join(f"{option(n)} = {defaults[n]:g}" for n in missing), ".")))
    notes.append(Note(line(r"KL is not symmetric: the other direction, $\mathrm{KL}(\mathcal{N}_2 \Vert \mathcal{N}_1)$, is ",
                           reverse_nats / base.ln, f" {base.unit} here.")))
    if (mu2, sigma2) == (0.0, 1.0):
        notes.append(Note(line(r"With $\mathcal{N}_2 = \mathcal{N}(0, 1)$ this is one dimension of the VAE term "
                               r"$\frac{1}{2}(\sigma^2 + \mu^2 - \ln \sigma^2 - 1)$ (dlsolve kl-divergence --mu … --sigma …).")))
    answers = {"mode": "gaussian", "kl": kl_nats / base.ln}
    echoed = {"mu1": mu1, "sigma1": sigma1, "mu2": mu2, "sigma2": sigma2, "base": base.name}
    title = (f"KL divergence of two Gaussians: KL(N({short_text(mu1)}, {short_text(sigma1)}²) ‖ N({short_text(mu2)}, {short_text(sigma2)}²)),"
             f" in {base.unit}")
    return Derivation(COMMAND, title, echoed, tuple(steps), answers, tuple(notes))


# --- VAE: N(μ, diag σ²) against N(0, I) ------------------------------------------------------


class Latent(NamedTuple):
    """The encoder's outputs for one input, per latent dimension."""

    mu: np.ndarray
    sigma: np.ndarray  # σᵢ (as given, or exp(½ ln σᵢ²))
    var: np.ndarray  # σᵢ²
    log_var: np.ndarray  # ln σᵢ² (as given, or 2 ln σᵢ)
    from_log_var: bool  # given as --log-var (else --sigma)

    @property
    def terms(self) -> np.ndarray:
        """½(σᵢ² + μᵢ² − ln σᵢ² − 1), in nats."""
        return 0.5 * (self.var + self.mu**2 - self.log_var - 1)

    @property
    def notes_terms(self) -> np.ndarray:
        """The notes' σᵢ² + μᵢ² − ln σᵢ − 1 (no ½, ln σ instead of ln σ²)."""
        return self.var + self.mu**2 - 0.5 * self.log_var - 1


def _latent(inputs: Mapping[str, Any]) -> Latent:
    """μ and σ² (from --sigma or --log-var), checked to fit together and to stay finite."""
    mu, sigma, log_var = inputs["mu"], inputs["sigma"], inputs["log_var"]
    if not any(v is not None for v in (mu, sigma, log_var)):
        mu, sigma = DEFAULT_MU, DEFAULT_SIGMA
    if sigma is not None and log_var is not None:
        raise InputError("--sigma, --log-var", "give one of them, not both (--log-var is ln σ², what encoders usually output)")
    if mu is None:
        raise InputError("--mu", "the VAE mode needs --mu (the encoder's means) with --sigma or --log-var")
    if sigma is None and log_var is None:
        raise InputError("--sigma/--log-var", "the VAE mode needs one of them with --mu (standard deviations, or log-variances ln σ²)")
    spread, name = (log_var, "--log-var") if sigma is None else (sigma, "--sigma")
    if len(spread) != len(mu):
        raise InputError(name, f"has {_values(len(spread))} but --mu has {len(mu)} (one per latent dimension)")
    mu_v = np.array(mu, dtype=float)
    if log_var is not None:
        for i, v in enumerate(log_var, 1):
            if abs(v) > MAX_LOG_VAR:
                raise InputError(f"--log-var (value {i})", f"{v:g} is too far from 0: exp({v:g}) leaves double precision")
        ln_var = np.array(log_var, dtype=float)
        with np.errstate(over="ignore", under="ignore"):
            latent = Latent(mu_v, np.exp(0.5 * ln_var), np.exp(ln_var), ln_var, True)
    else:
        s = np.array(sigma, dtype=float)
        with np.errstate(over="ignore", under="ignore", divide="ignore"):
            latent = Latent(mu_v, s, s**2, 2 * np.log(s), False)
    with np.errstate(over="ignore", invalid="ignore"):
        finite = all(np.all(np.isfinite(t)) and np.isfinite(t.sum()) for t in (latent.terms, latent.notes_terms))  # the notes' too (2× as big)
    if not finite:
        raise InputError(f"--mu/{name}", "the numbers overflow double precision (μ² or σ² is too large)")
    return latent


def _spread_table(z: Latent) -> Table:
    """Per dimension: μᵢ and the spread as given, then σᵢ² and ln σᵢ²."""
    n = len(z.mu)
    if z.from_log_var:
        header = ("$i$", r"$\mu_i$", r"$\ln \sigma_i^2$ (given)", r"$\sigma_i^2 = \exp(\ln \sigma_i^2)$", r"$\sigma_i = \exp(\frac{1}{2} \ln \sigma_i^2)$")
        rows = tuple((i + 1, z.mu[i], z.log_var[i], z.var[i], z.sigma[i]) for i in range(n))
        caption = "μᵢ and ln σᵢ² from the encoder; σᵢ² and σᵢ from them (σᵢ is the notes' z_sigma = e^(0.5·z_log_var))"
    else:
        header = ("$i$", r"$\mu_i$", r"$\sigma_i$", r"$\sigma_i^2$", r"$\ln \sigma_i^2$")
        rows = tuple((i + 1, z.mu[i], z.sigma[i], z.var[i], z.log_var[i]) for i in range(n))
        caption = "μᵢ and σᵢ from the encoder; σᵢ² and ln σᵢ² from them"
    return Table(line(caption), header, rows)


def _vae_term_lines(z: Latent, terms: np.ndarray) -> list[Line | Table]:
    """½(σᵢ² + μᵢ² − ln σᵢ² − 1) with the numbers in, one line per dimension (a table when many)."""
    if len(terms) > DETAIL_MAX:
        return [Table(line("each dimension's term"), ("$i$", r"$\mathrm{KL}_i$"), tuple((i, t) for i, t in enumerate(terms, 1)))]
    lines: list[Line | Table] = []
    for i, (mu, var, ln_var, t) in enumerate(zip(z.mu, z.var, z.log_var, terms), 1):
        inside = var + mu**2 - ln_var - 1
        lines.append(eq(rf"\mathrm{{KL}}_{{{i}}} = \frac{{1}}{{2}}\left(", var, " + ", *_squared(mu), " - ", Num(ln_var, paren=True),
                        r" - 1\right) = \frac{1}{2} \cdot ", Num(inside, paren=True), " = ", t))
    return lines


def _solve_vae(inputs: Mapping[str, Any], base: Base) -> Derivation:
    z = _latent(inputs)
    terms, kl_nats = z.terms, math.fsum(z.terms)
    n = len(z.mu)
    at_base = base is NATS
    steps = [
        Step(line(r"Variances and their logarithms" if not z.from_log_var else r"Variances from the log-variances: $\sigma_i^2 = \exp(\ln \sigma_i^2)$"),
             (_spread_table(z),)),
        Step(line(r"Per dimension: $\mathrm{KL}_i = \frac{1}{2}(\sigma_i^2 + \mu_i^2 - \ln \sigma_i^2 - 1)$"),
             tuple(_vae_term_lines(z, terms)), ("terms",) if at_base else ()),
        Step(line("Sum over the latent dimensions"),
             (eq(r"\mathrm{KL}(\mathcal{N}(\mu, \sigma^2) \Vert \mathcal{N}(0, I)) = \sum_i \mathrm{KL}_i = ",
                 *(joined([Num(t, paren=True) for t in terms], " + ") if n <= DETAIL_MAX else (r"\ldots",)), " = ", kl_nats, _unit(NATS)),),
             ("kl",) if at_base else ()),
    ]
    if not at_base:
        steps.append(_in_base_step(base, kl_nats, terms))

    notes_value = math.fsum(z.notes_terms)
    notes = [
        Note(line(r"In the VAE section the KL term is written $\sum_i (\sigma_i^2 + \mu_i^2 - \log \sigma_i - 1)$: the factor $\frac{1}{2}$ is "
                  r"missing and $\log \sigma_i$ should be $\log \sigma_i^2 = 2 \log \sigma_i$. Their formula gives ", notes_value,
                  " nats here instead of ", kl_nats, "."), "erratum"),
        Note(line(r"Each dimension is the two-Gaussian closed form with $\mu_2 = 0$, $\sigma_2 = 1$; the dimensions are independent, "
                  "so their KLs add. Natural logarithms (nats)" + ("." if at_base else f", converted to {base.unit} at the end."))),
    ]
    if z.from_log_var:
        notes.append(Note(line(r"--log-var is $\ln \sigma_i^2$, what an encoder outputs: any real number gives a valid "
                               r"$\sigma_i^2 = \exp(\ln \sigma_i^2) > 0$.")))
    answers = {"mode": "vae", "kl": kl_nats / base.ln, "terms": (terms / base.ln).tolist()}
    spread = {"log_var": z.log_var.tolist()} if z.from_log_var else {"sigma": z.sigma.tolist()}
    echoed = {"mu": z.mu.tolist(), **spread, "base": base.name}
    title = f"KL divergence of a VAE latent from the prior: N(μ, σ²) ‖ N(0, I), {n} dimension{'s' if n > 1 else ''}, in {base.unit}"
    return Derivation(COMMAND, title, echoed, tuple(steps), answers, tuple(notes))


# --- solve ----------------------------------------------------------------------------------


def solve(inputs: Mapping[str, Any]) -> Derivation:
    """KL divergence in the mode the options pick: discrete, gaussian or vae (the default)."""
    base = BASES[inputs["base"]]
    solver = {"discrete": _solve_discrete, "gaussian": _solve_gaussian, "vae": _solve_vae}[_mode(inputs)]
    return solver(inputs, base)
