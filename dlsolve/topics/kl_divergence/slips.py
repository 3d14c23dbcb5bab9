"""kl-divergence: sums recomputed from the student's own terms, and the slips a marker sees
in KL exercises.

Carried forward: kl = Σ of the student's terms; (discrete) cross_entropy = the student's
H(P) + KL(P‖Q).

Slips: VAE — the ½ missing, log σ instead of log σ², and both at once (the notes' own
formula Σ(σ² + μ² − log σ − 1)); discrete — the direction swapped (KL(Q‖P)), the ratio
inverted (log q/p), the entropy's minus sign dropped; Gaussians — the direction swapped, σ
where σ² belongs; every mode — logarithms to another base than the one asked for.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from dlsolve.checking.keys import Path
from dlsolve.checking.slips import Analysis, Carried, Slip, Work

BASES = {"e": 1.0, "2": math.log(2), "10": math.log(10)}
UNITS = {"e": "nats", "2": "bits", "10": "bans"}


def _finite(value: Any) -> bool:
    return isinstance(value, float) and math.isfinite(value)


def _scaled(values: dict[Path, Any], factor: float) -> dict[Path, Any]:
    """Every finite number (or list of them) times ``factor``; infinite answers ("inf") kept out."""
    out: dict[Path, Any] = {}
    for path, value in values.items():
        if isinstance(value, list) and all(_finite(v) for v in value):
            out[path] = [v * factor for v in value]
        elif _finite(value):
            out[path] = value * factor
    return out


def _base_slips(work: Work, names: tuple[str, ...]) -> list[Slip]:
    """The answers in every other logarithm base."""
    base = work.inputs["base"]
    answers = {(name,): work.answers[name] for name in names if name in work.answers}
    return [Slip(f"log-base-{other}", f"logarithms to base {other} ({UNITS[other]}) instead of base {base} ({UNITS[base]})",
                 _scaled(answers, BASES[base] / BASES[other]))
            for other in BASES if other != base]


def _sum_carried(work: Work) -> dict[Path, Carried]:
    """kl = Σ of the student's terms (when every term is a finite number)."""
    terms = work.given(("terms",), work.answers["terms"])
    if all(isinstance(t, float) and math.isfinite(t) for t in terms):
        return {("kl",): Carried(math.fsum(terms), (("terms",),))}
    return {}


def _vae(work: Work) -> Analysis:
    inputs = work.inputs
    mu = np.array(inputs["mu"], dtype=float)
    ln_var = np.array(inputs["log_var"], dtype=float) if "log_var" in inputs else 2 * np.log(np.array(inputs["sigma"], dtype=float))
    ln_b = BASES[inputs["base"]]
    var = np.exp(ln_var)

    def slip(name: str, text: str, terms: np.ndarray) -> Slip:
        terms = terms / ln_b
        return Slip(name, text, {("terms",): terms.tolist(), ("kl",): math.fsum(terms.tolist())})

    slips = [
        slip("half-missing", "the ½ missing: Σ(σ² + μ² − log σ² − 1) instead of ½ Σ(σ² + μ² − log σ² − 1)", var + mu**2 - ln_var - 1),
        slip("log-sigma", "log σ instead of log σ²: ½ Σ(σ² + μ² − log σ − 1)", 0.5 * (var + mu**2 - ln_var / 2 - 1)),
        slip("notes-formula", "the notes' formula Σ(σ² + μ² − log σ − 1): the ½ missing and log σ instead of log σ²",
             var + mu**2 - ln_var / 2 - 1),
    ]
    return Analysis(_sum_carried(work), slips + _base_slips(work, ("kl", "terms")))


def _discrete(work: Work) -> Analysis:
    a = work.answers
    carried = _sum_carried(work)
    entropy = work.given(("entropy_p",), a["entropy_p"])
    kl = work.given(("kl",), carried[("kl",)].value if ("kl",) in carried else a["kl"])
    if _finite(entropy) and _finite(kl):
        carried[("cross_entropy",)] = Carried(entropy + kl, (("entropy_p",), ("kl",)))
    p, q = np.array(work.inputs["p"], dtype=float), np.array(work.inputs["q"], dtype=float)
    ln_b = BASES[work.inputs["base"]]
    slips = []
    with np.errstate(all="ignore"):
        reverse_terms = np.where(q > 0, q * np.log(q / p), 0.0) / ln_b
    if np.all(np.isfinite(reverse_terms)):
        slips.append(Slip("direction", "the direction swapped: KL(Q‖P) = Σ qᵢ log(qᵢ/pᵢ) instead of KL(P‖Q) = Σ pᵢ log(pᵢ/qᵢ)",
                          {("terms",): reverse_terms.tolist(), ("kl",): a["reverse"], ("reverse",): a["kl"]}))
    slips.append(Slip("ratio-inverted", "log(qᵢ/pᵢ) instead of log(pᵢ/qᵢ): every term's sign flipped",
                      _scaled({("terms",): a["terms"], ("kl",): a["kl"]}, -1.0)))
    slips.append(Slip("entropy-sign", "the entropy's minus sign dropped: Σ pᵢ log pᵢ instead of −Σ pᵢ log pᵢ",
                      {("entropy_p",): -a["entropy_p"]}))
    return Analysis(carried, slips + _base_slips(work, ("kl", "terms", "reverse", "entropy_p", "cross_entropy")))


def _gaussian(work: Work) -> Analysis:
    inputs = work.inputs
    mu1, s1, mu2, s2 = (float(inputs[k]) for k in ("mu1", "sigma1", "mu2", "sigma2"))
    ln_b = BASES[inputs["base"]]

    def kl(m1: float, v1: float, m2: float, v2: float) -> float:
        """ln(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½ with the variances v given."""
        return (0.5 * math.log(v2 / v1) + (v1 + (m1 - m2) ** 2) / (2 * v2) - 0.5) / ln_b

    slips = [Slip("direction", "the direction swapped: KL(N₂‖N₁) instead of KL(N₁‖N₂)", {("kl",): kl(mu2, s2**2, mu1, s1**2)}),
             Slip("sigma-for-variance", "σ used where σ² belongs in (σ₁² + (μ₁ − μ₂)²)/(2σ₂²)",
                  {("kl",): (math.log(s2 / s1) + (s1 + (mu1 - mu2) ** 2) / (2 * s2) - 0.5) / ln_b})]
    return Analysis({}, slips + _base_slips(work, ("kl",)))


def analyse(work: Work) -> Analysis:
    return {"vae": _vae, "discrete": _discrete, "gaussian": _gaussian}[work.answers["mode"]](work)
