"""The LaTeX → Unicode converter used for the terminal (expected strings written by hand)."""

import pytest

from dlsolve.core.latex import to_unicode


@pytest.mark.parametrize(
    "latex, unicode",
    [
        (r"\frac{\partial E}{\partial w_{5}}", "∂E/∂w₅"),
        (r"\frac{1}{1 + e^{-0.3775}}", "1/(1 + e^(−0.3775))"),  # the denominator keeps its parentheses
        (r"\frac{a + b}{c}", "(a + b)/c"),
        (r"x^{\frac{1}{3}}", "x^(1/3)"),
        (r"\frac{1}{2}(t - y)^2", "½(t − y)²"),
        (r"t = \frac{\bar{x} - \mu_0}{s/\sqrt{n - 1}}", "t = (x̄ − μ₀)/(s/√(n − 1))"),
        (r"\sqrt{20}", "√20"),
        (r"\sqrt{\sigma^2 + \epsilon}", "√(σ² + ε)"),
        (r"E_{\text{total}}", "E_total"),  # long words stay on the line
        (r"\mathrm{out}_{h1}", "outₕ₁"),
        (r"w^{+}_{5}", "w⁺₅"),
        (r"h^{(2)}_{1}", "h⁽²⁾₁"),
        (r"W^\top", "Wᵀ"),
        (r"4.4 \times 10^{-5}", "4.4 × 10⁻⁵"),
        (r"\lVert x - c \rVert^2", "‖ x − c ‖²"),
        (r"\left\lfloor \frac{32 - 3}{1} \right\rfloor + 1", "⌊ (32 − 3)/1 ⌋ + 1"),
        (r"\text{non-zero}", "non-zero"),  # prose keeps its hyphen
        (r"\hat{x}_i", "x̂ᵢ"),
        (r"\log(0.5)", "log(0.5)"),
        (r"a \cdot b \leftarrow c", "a · b ← c"),
        (r"\Delta w", "Δw"),
        (r"\frac{a}{\sqrt{b + c}}", "a/√(b + c)"),  # a square root is one term
        (r"\frac{(v_1 + v_2)^{2}}{n}", "(v₁ + v₂)²/n"),  # so is a bracket raised to a power
    ],
)
def test_converts(latex, unicode):
    assert to_unicode(latex) == unicode


def test_formulas_without_commands_or_groups_take_the_short_way_to_the_same_text():
    """A formula with no ``\\``, braces, ``^`` or ``_`` (a table cell's number) skips the
    parser; it must read exactly as the parser reads it."""
    import random

    from dlsolve.core.latex import _Parser

    rng = random.Random(0)
    alphabet = "0123456789.-−+~' =()×·eE,;xyzαβ|/<>"
    for _ in range(3_000):
        formula = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        assert to_unicode(formula) == _Parser(formula).parse(), formula
