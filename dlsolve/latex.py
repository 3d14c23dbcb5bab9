"""Turn the restricted LaTeX of our formulas into readable Unicode for the terminal.

One source of truth per formula: steps are written in LaTeX (Markdown shows it as math);
the terminal gets ``x̄``, ``μ₀``, ``σ²``, ``√(n − 1)``, ``∂E/∂w₅`` from this converter.
Fractions get parentheses wherever precedence needs them: ``\\frac{1}{1 + e^{-z}}`` →
``1/(1 + e^(−z))``.

Supported: groups ``{…}``, ``^``/``_`` (Unicode super/subscripts when every character has
one, else ``^(…)``/``_…``), ``\\frac``, ``\\sqrt``, accents (``\\bar``, ``\\hat``,
``\\tilde``), ``\\text``-like commands, Greek letters, common operators and spacing,
``\\left``/``\\right``. Anything else keeps its name without the backslash.
"""

from __future__ import annotations

import re

_SYMBOLS = {
    # Greek
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ",
    "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    # operators and relations
    "cdot": "·", "times": "×", "div": "÷", "pm": "±", "mp": "∓", "sum": "Σ", "prod": "Π",
    "partial": "∂", "nabla": "∇", "infty": "∞", "approx": "≈", "neq": "≠", "ne": "≠",
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "lt": "<", "gt": ">", "ll": "≪", "gg": "≫",
    "equiv": "≡", "sim": "~", "propto": "∝", "in": "∈", "notin": "∉", "to": "→",
    "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒", "Leftarrow": "⇐",
    "Leftrightarrow": "⇔", "mapsto": "↦", "ldots": "…", "dots": "…", "cdots": "⋯",
    "lVert": "‖", "rVert": "‖", "Vert": "‖", "|": "‖", "mid": "|", "vert": "|",
    "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "langle": "⟨", "rangle": "⟩",
    "top": "ᵀ", "circ": "∘", "odot": "⊙", "checkmark": "✓", "star": "*", "ast": "*",
    "neg": "¬", "forall": "∀", "exists": "∃",
    # spacing and escapes
    ",": " ", ";": " ", ":": " ", " ": " ", "!": "", "quad": "  ", "qquad": "    ",
    "{": "{", "}": "}", "%": "%", "$": "$", "_": "_", "#": "#", "&": "&",
}
_ACCENTS = {"bar": "\u0304", "overline": "\u0304", "hat": "\u0302", "widehat": "\u0302",
            "tilde": "\u0303", "dot": "\u0307", "vec": "\u20d7"}
_TEXT_COMMANDS = {"text", "mathrm", "mathit", "mathbf", "mathsf", "mathcal", "operatorname",
                  "boldsymbol", "textbf", "textit", "mbox", "displaystyle"}
_IGNORED = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
            "displaystyle", "limits", "nolimits"}
_SUPERSCRIPT = dict(zip("0123456789+-−=()niTᵀ", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵀᵀ"))
_SUBSCRIPT = dict(zip("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
_SCRIPT_MAX_LETTERS = 3  # longer words stay on the line: E_total, not Eₜₒₜₐₗ
_OPERATOR_CHARS = set(" +−-·×/=<>≤≥,;")
_PREFIXES = {"partial", "nabla", "Delta"}  # written against what follows: ∂E, ∇f, Δw
_TOKEN = re.compile(r"\\([A-Za-z]+|.)|([{}^_])|(.)", re.DOTALL)


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = [(m.group(1), m.group(2), m.group(3)) for m in _TOKEN.finditer(source)]
        self.pos = 0

    def parse(self, until_brace: bool = False) -> str:
        out: list[str] = []
        while self.pos < len(self.tokens):
            command, special, char = self.tokens[self.pos]
            if special == "}" and until_brace:
                self.pos += 1
                return "".join(out)
            out.append(self.atom())
        return "".join(out)

    def argument(self) -> str:
        """The next group or single token (``{abc}`` or ``a``), converted."""
        while self.pos < len(self.tokens) and self.tokens[self.pos][2] == " ":
            self.pos += 1
        if self.pos >= len(self.tokens):
            return ""
        if self.tokens[self.pos][1] == "{":
            self.pos += 1
            return self.parse(until_brace=True)
        return self.atom()

    def raw_text_argument(self) -> str:
        """The argument of ``\\text{…}``: prose, so ``-`` stays a hyphen."""
        if self.pos < len(self.tokens) and self.tokens[self.pos][1] == "{":
            depth, self.pos, out = 1, self.pos + 1, []
            while self.pos < len(self.tokens):
                command, special, char = self.tokens[self.pos]
                self.pos += 1
                if special == "{":
                    depth += 1
                elif special == "}":
                    depth -= 1
                    if depth == 0:
                        break
                out.append(_SYMBOLS.get(command, command) if command else (special or char))
            return "".join(out)
        return self.argument()

    def atom(self) -> str:
        command, special, char = self.tokens[self.pos]
        self.pos += 1
        if char is not None:
            return {"-": "−", "~": " ", "'": "′"}.get(char, char)
        if special == "{":
            return self.parse(until_brace=True)
        if special == "}":
            return ""
        if special in ("^", "_"):
            return _script(self.argument(), superscript=special == "^")
        return self.command(command)

    def command(self, name: str) -> str:
        if name == "frac":
            numerator, denominator = self.argument(), self.argument()
            if (numerator, denominator) == ("1", "2"):
                return "½"
            return f"{_wrap(numerator)}/{_wrap(denominator)}"
        if name == "sqrt":
            return "√" + _wrap(self.argument())
        if name in _ACCENTS:
            return "".join(c + _ACCENTS[name] if c.isalnum() else c for c in self.argument())
        if name in _TEXT_COMMANDS:
            return self.raw_text_argument()
        if name in _IGNORED:
            if self.pos < len(self.tokens) and self.tokens[self.pos][2] == ".":
                self.pos += 1  # \left. is an invisible delimiter
            return ""
        if name in _PREFIXES:
            while self.pos < len(self.tokens) and self.tokens[self.pos][2] == " ":
                self.pos += 1
        return _SYMBOLS.get(name, name)


def _wrap(text: str) -> str:
    """Parenthesize ``text`` when it is more than one term or signed, so ``a/b``,
    ``√x`` and ``e^x`` read right."""
    text = text.strip()
    if len(text) <= 1 or not (text[0] in "−-" or any(c in _OPERATOR_CHARS for c in text[1:])):
        return text
    if text.startswith("(") and _closes_at_end(text):
        return text
    if text.startswith("√(") and _closes_at_end(text[1:]):  # one square root is one term
        return text
    base = text.rstrip("⁰¹²³⁴⁵⁶⁷⁸⁹")
    if base != text and base.startswith("(") and _closes_at_end(base):  # (v₁ + v₂)² is one term
        return text
    return f"({text})"


def _closes_at_end(text: str) -> bool:
    depth = 0
    for i, c in enumerate(text):
        depth += c == "("
        depth -= c == ")"
        if depth == 0:
            return i == len(text) - 1
    return False


def _script(text: str, superscript: bool) -> str:
    table = _SUPERSCRIPT if superscript else _SUBSCRIPT
    letters = sum(c.isalpha() for c in text)
    if text and all(c in table for c in text) and letters <= _SCRIPT_MAX_LETTERS:
        return "".join(table[c] for c in text)
    if superscript and text in ("*", "′", "ᵀ", "+", "⁺"):
        return {"+": "⁺"}.get(text, text)
    marker = "^" if superscript else "_"
    return marker + (text if text.isalnum() else f"({text})" if len(text) > 1 and not _closes_at_end(text) else text)


def to_unicode(latex: str) -> str:
    """Convert one formula (the text between ``$…$``) to Unicode.

    >>> to_unicode(r"\\frac{\\partial E}{\\partial w_{5}} = \\sigma(x)(1 - \\sigma(x))")
    '∂E/∂w₅ = σ(x)(1 − σ(x))'
    """
    return _Parser(latex).parse()
