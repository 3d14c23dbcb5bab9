"""KL-divergence exercises: two discrete distributions, a VAE's KL term, two Gaussians.

Exam-friendly means: at the easy level probabilities that are powers of ½ in bits, so
every log₂(pᵢ/qᵢ) is a whole number and the answer is an exact fraction; elsewhere
probabilities in steps of 0.05, means and σ with one decimal.
"""

from __future__ import annotations

from typing import NamedTuple

from dlsolve.core.derivation import Line, line
from dlsolve.practice.draw import Draw, first
from dlsolve.practice.exercise import Generated, Question, given, vector

TITLE = "KL divergence"
DYADIC = ((0.5, 0.25, 0.25), (0.5, 0.25, 0.125, 0.125), (0.25, 0.25, 0.25, 0.25))  # distributions of powers of ½
SIGMAS = (0.5, 0.8, 1.0, 1.5, 2.0)


class Shape(NamedTuple):
    kinds: tuple[str, ...]  # dyadic, discrete, zero (a 0 in P), vae, logvar, gaussian


LEVELS = {"easy": Shape(("dyadic",)), "exam": Shape(("discrete", "vae")), "hard": Shape(("gaussian", "logvar", "zero"))}


def _dyadic(draw: Draw) -> tuple[list[float], list[float]]:
    """P and Q of the same length, each made of powers of ½, P ≠ Q."""
    length = draw.choice((3, 4))
    shapes = [d for d in DYADIC if len(d) == length]
    return first(lambda: (draw.shuffled(draw.choice(shapes)), draw.shuffled(draw.choice(shapes))), lambda pq: pq[0] != pq[1])


def _twentieths(draw: Draw, k: int, zeros: int = 0) -> list[float]:
    """k probabilities in steps of 0.05 (``zeros`` of them 0, the rest at least 0.1), summing to 1."""
    def make() -> list[int]:
        cuts = sorted(draw.integer(1, 19) for _ in range(k - zeros - 1))
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, 20])]
        return draw.shuffled(parts + [0] * zeros)

    parts = first(make, lambda parts: sum(1 for p in parts if p == 0) == zeros and all(p == 0 or p >= 2 for p in parts))
    return [p / 20 for p in parts]


def generate(draw: Draw, level: str) -> Generated:
    kind = draw.choice(LEVELS[level].kinds)
    if kind in ("dyadic", "discrete", "zero"):
        if kind == "dyadic":
            p, q = _dyadic(draw)
        else:
            k = 4 if kind == "zero" else 3
            p, q = first(lambda: (_twentieths(draw, k, 1 if kind == "zero" else 0), _twentieths(draw, k)), lambda pq: pq[0] != pq[1])
        base = "2" if kind in ("dyadic", "zero") else "e"
        problem = {"p": p, "q": q, "base": base}
        return Generated(problem, _discrete_statement(p, q, base), _discrete_questions(),
                         f"discrete, {len(p)} outcomes, base {base}")
    if kind == "gaussian":
        mu1, mu2 = (draw.integer(-6, 6) / 2 for _ in range(2))
        sigma1, sigma2 = (draw.choice((0.5, 1.0, 2.0, 3.0)) for _ in range(2))
        problem = {"mu1": mu1, "sigma1": sigma1, "mu2": mu2, "sigma2": sigma2, "base": "e"}
        return Generated(problem, _gaussian_statement(problem), (Question(line("Compute $\\mathrm{KL}(N_1 \\Vert N_2)$ in nats."), ("kl",)),),
                         "two Gaussians, nats")
    dims = draw.choice((2, 3)) if kind == "vae" else draw.choice((3, 4))
    mu = [draw.integer(-15, 15) / 10 for _ in range(dims)]
    problem = {"mu": mu, "base": "e"}
    if kind == "vae":
        problem["sigma"] = [draw.choice(SIGMAS) for _ in range(dims)]
    else:
        problem["log_var"] = [draw.integer(-10, 10) / 10 for _ in range(dims)]
    return Generated(problem, _vae_statement(problem), _vae_questions(),
                     f"VAE KL term, {dims} dimensions, {'σ' if kind == 'vae' else 'log-variances'} given")


def _discrete_statement(p: list[float], q: list[float], base: str) -> tuple[Line, ...]:
    unit = "base-2 logarithms (bits)" if base == "2" else "natural logarithms (nats)"
    return (line(f"Two distributions over the same {len(p)} outcomes are $P = ", *vector(p), "$ and $Q = ", *vector(q), "$."),
            line(r"The KL divergence is $\mathrm{KL}(P \Vert Q) = \sum_{i} p_{i} \log(p_{i}/q_{i})$ (a term with $p_{i} = 0$ is 0). "
                 f"Use {unit}."))


def _discrete_questions() -> tuple[Question, ...]:
    return (Question(line(r"Compute every term $p_{i} \log(p_{i}/q_{i})$ and $\mathrm{KL}(P \Vert Q)$."), ("terms", "kl")),
            Question(line(r"Compute the reverse divergence $\mathrm{KL}(Q \Vert P)$. Is KL symmetric?"), ("reverse",)),
            Question(line(r"Compute the entropy $H(P)$ and the cross-entropy $H(P, Q)$, and check that $H(P, Q) = H(P) + \mathrm{KL}(P \Vert Q)$."),
                     ("entropy_p", "cross_entropy")))


def _gaussian_statement(problem: dict) -> tuple[Line, ...]:
    return (line("Two normal distributions: $N_1 = N(", given(problem["mu1"]), ", ", given(problem["sigma1"]), "^{2})$ and $N_2 = N(",
                 given(problem["mu2"]), ", ", given(problem["sigma2"]), "^{2})$."),
            line(r"Their KL divergence has the closed form $\mathrm{KL}(N_1 \Vert N_2) = \ln(\sigma_2/\sigma_1) + "
                 r"(\sigma_1^2 + (\mu_1 - \mu_2)^2)/(2\sigma_2^2) - 1/2$."))


def _vae_statement(problem: dict) -> tuple[Line, ...]:
    dims = len(problem["mu"])
    given_sigma = ("$\\sigma = ", *vector(problem["sigma"]), "$") if "sigma" in problem else \
        ("the log-variances $\\ln \\sigma^{2} = ", *vector(problem["log_var"]), "$")
    return (line(f"The encoder of a VAE with a {dims}-dimensional latent space outputs, for one input, $\\mu = ", *vector(problem["mu"]),
                 "$ and ", *given_sigma, "; the prior is $N(0, I)$."),
            line(r"The KL term of the loss is $\mathrm{KL}(N(\mu, \sigma^{2}) \Vert N(0, I)) = \frac{1}{2}\sum_{i} "
                 r"(\sigma_{i}^{2} + \mu_{i}^{2} - \ln \sigma_{i}^{2} - 1)$, in nats."))


def _vae_questions() -> tuple[Question, ...]:
    return (Question(line("Compute the KL contribution of every latent dimension."), ("terms",)),
            Question(line("Compute the KL term of the loss."), ("kl",)))
