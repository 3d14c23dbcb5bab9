"""Turn the restricted LaTeX of our formulas into readable Unicode for the terminal.

One source of truth per formula: steps are written in LaTeX (Markdown shows it as math);
the terminal gets ``x̄``, ``μ₀``, ``σ²``, ``√(n − 1)``, ``∂E/∂w₅`` from this converter.
Fractions get parentheses wherever precedence needs them: ``\\frac{1}{1 + e^{-z}}`` →
``1/(1 + e^(−z))``.

Supported: groups ``{…}``, ``^``/``_`` (Unicode super/subscripts when every character has
one, else ``^(…)``/``_…``), ``\\frac``, ``\\sqrt``, accents (``\\bar``, ``\\hat``,
``\\tilde``), ``\\text``-like commands, Greek letters, common operators and spacing,
``\\left``/``\\right``. Anything else keeps its name without the backslash.

The Unicode rendering also measures a formula (:func:`width`) for the Markdown export, which
breaks a long display equation into ``aligned`` rows under a width budget
(:func:`aligned_rows`) and writes fractions inside running text with a slash
(:func:`slash_fractions`).
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
_CHARS = {"-": "−", "~": " ", "'": "′"}  # characters that read otherwise in a formula
_PLAIN_CHARS = str.maketrans(_CHARS)
_STRUCTURE = re.compile(r"[\\{}^_]")  # a formula without these is its characters, each as _CHARS writes it


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _TOKEN.findall(source)  # (command, special, char); "" where a group is absent
        self.pos = 0

    def parse(self, until_brace: bool = False) -> str:
        out: list[str] = []
        tokens, end = self.tokens, len(self.tokens)
        while self.pos < end:
            command, special, char = tokens[self.pos]
            if char:  # a plain character, most of a formula: as atom() writes it, without the call
                self.pos += 1
                out.append(_CHARS.get(char, char))
                continue
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
        if char:
            return _CHARS.get(char, char)
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
    if not _STRUCTURE.search(latex):  # a number or plain symbols (most table cells)
        return latex.translate(_PLAIN_CHARS)
    return _Parser(latex).parse()


def width(latex: str) -> int:
    """How wide a formula reads: the length of its Unicode rendering (a simple, renderer-free
    stand-in for its typeset width; MathJax sets about 0.4 em per character)."""
    return len(to_unicode(latex))


# --- fractions in running text ---------------------------------------------------------

_TOKEN_OR_GROUP = re.compile(r"\s*(\\[A-Za-z]+|\\.|[^{}\s]|\{)")
# what may follow a slashed fraction without reading as a factor of its denominator
_NOT_A_FACTOR = {"cdot", "times", "div", "pm", "mp", "quad", "qquad", "right", "le", "leq", "ge", "geq", "lt",
                 "gt", "approx", "neq", "ne", "equiv", "sim", "to", "rightarrow", "leftarrow", "Rightarrow",
                 "Leftarrow", "Leftrightarrow", "mapsto", "in", "ll", "gg", "propto", "rVert", "rfloor",
                 "rceil", "rangle", "lVert", "lfloor", "lceil", "langle", "left", "bigl", "Bigl", "ldots", "dots", "cdots", "mid", "vert", "Vert", ",", ";", ":", " ", "!"}


def _group(tex: str, start: int) -> tuple[str, int]:
    """The argument at ``start`` (a ``{…}`` group's contents or one token) and the index after it."""
    match = _TOKEN_OR_GROUP.match(tex, start)
    if not match:
        return "", len(tex)
    if match.group(1) != "{":
        return match.group(1), match.end()
    depth, i = 1, match.end()
    while i < len(tex) and depth:
        depth += {"{": 1, "}": -1}.get(tex[i], 0)
        i += 2 if tex[i] == "\\" else 1
    return tex[match.end():i - 1], i


def _is_factor(token: str, brackets: str) -> bool:
    """Whether ``token`` next to a slashed fraction would multiply it: a letter, digit,
    command that is not an operator or relation, or one of ``brackets`` facing it."""
    if token.startswith("\\"):
        return token[1:] not in _NOT_A_FACTOR
    return token.isalnum() or token in brackets


def _slash_operand(tex: str) -> str:
    """A numerator or denominator for ``a/b``: parenthesized where precedence needs it."""
    text = to_unicode(tex).strip()
    if _wrap(text) != text:
        return f"({tex})"
    return tex if re.fullmatch(r"[A-Za-z0-9.]+|\\[A-Za-z]+", tex.strip()) else "{" + tex + "}"


def slash_fractions(tex: str) -> str:
    """``tex`` with every ``\\frac{a}{b}`` written ``a/b``, for math inside running text,
    where a stacked fraction shrinks to an unreadable size: ``\\frac{1}{1 + e^{-z}}`` →
    ``1/(1 + e^{-z})``; a fraction followed by a factor is parenthesized whole."""
    out, i = [], 0
    while (j := tex.find(r"\frac", i)) >= 0:
        if tex[j + 5:j + 6].isalpha():  # some other command, such as \fracture
            out.append(tex[i:j + 5])
            i = j + 5
            continue
        numerator, k = _group(tex, j + 5)
        denominator, k = _group(tex, k)
        slashed = f"{_slash_operand(slash_fractions(numerator))}/{_slash_operand(slash_fractions(denominator))}"
        before = re.search(r"(\\[A-Za-z]+|\S)\s*$", tex[i:j])
        after = _TOKEN_OR_GROUP.match(tex, k)
        if before and _is_factor(before.group(1), ")}") or after and _is_factor(after.group(1), "({"):
            slashed = f"({slashed})"  # 2(a/b), (1/m)x: not 2a/b, 1/mx
        out += [tex[i:j], " " if re.search(r"\\[A-Za-z]+$", tex[i:j]) else "", slashed]  # \lceil W, not \lceilW
        i = k
    return "".join(out) + tex[i:]


# --- long display equations as aligned rows ---------------------------------------------

_RELATIONS = {"=", "<", ">", r"\approx", r"\leftarrow", r"\rightarrow", r"\Rightarrow", r"\le", r"\leq", r"\ge",
              r"\geq", r"\neq", r"\ne", r"\equiv", r"\to"}
_SUMS = {"+", "-", r"\pm"}
_PRODUCTS = {r"\cdot", r"\times"}
_COMMAS = {","}
_STATEMENT_BREAKS = {r"\quad", r"\qquad"}
_STATEMENT_BREAK = re.compile(r"^\\q?quad\b\s*")
_LATEX_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|.", re.DOTALL)
_WIDE_FRACTION = re.compile(r"\\frac\s*\{")
_CONTINUATION_INDENT = r"\quad {} "  # {} makes a leading + or − a binary operator


def _cut_points(tokens: list[str], kinds: set[str]) -> list[tuple[int, int]]:
    """(token index, parenthesis depth) of each token of ``kinds`` outside every group,
    ``\\left…\\right`` pair and environment (a row may not end inside those); a ``-`` that
    is a sign rather than an operator is skipped."""
    points, braces, pairs, parens, previous = [], 0, 0, 0, ""
    for i, token in enumerate(tokens):
        if token == "{":
            braces += 1
        elif token == "}":
            braces -= 1
        elif token in (r"\left", r"\begin"):
            pairs += 1
        elif token in (r"\right", r"\end"):
            pairs -= 1
        elif braces == pairs == 0:
            is_sign = token == "-" and (previous in ("", "(", "[", ",") or previous in _RELATIONS | _SUMS | _PRODUCTS)
            if token in kinds and i > 0 and not is_sign:
                points.append((i, parens))
            parens += token in "([" and previous not in (r"\left", r"\right")
            parens -= token in ")]" and previous not in (r"\left", r"\right")
        if not token.isspace():
            previous = token
    return points


def _split(tex: str, kinds: set[str], depth: int | None = None) -> list[str]:
    """``tex`` cut before each top-level token of ``kinds`` (at parenthesis ``depth``, or
    at the shallowest depth that has one)."""
    tokens = _LATEX_TOKEN.findall(tex)
    points = _cut_points(tokens, kinds)
    if not points:
        return [tex]
    depth = min(d for _, d in points) if depth is None else depth
    after = kinds is _COMMAS  # a comma ends its row
    cuts = [0] + [i + after for i, d in points if d == depth] + [len(tokens)]
    return [piece for a, b in zip(cuts, cuts[1:]) if (piece := "".join(tokens[a:b]).strip())]


def _opened_fraction(tex: str, budget: int) -> str:
    """``tex`` with its first fraction whose numerator is wider than ``budget`` written
    ``\\frac{1}{d}\\bigl(n\\bigr)``, so the numerator's terms can go on rows of their own
    (a row cannot end inside a group); ``tex`` itself when it has none."""
    for match in _WIDE_FRACTION.finditer(tex):
        numerator, end = _group(tex, match.end() - 1)
        if width(numerator) > budget:
            denominator, end = _group(tex, end)
            return f"{tex[:match.start()]}\\frac{{1}}{{{denominator}}}\\bigl({numerator}\\bigr){tex[end:]}"
    return tex


def _terms(segment: str, budget: int) -> list[str]:
    """A segment too wide for a row, cut at its operators (sums before products before
    commas, outer parentheses first) into pieces that fit where possible."""
    if width(segment) <= budget:
        return [segment]
    for kinds in (_SUMS, _PRODUCTS, _COMMAS):
        pieces = _split(segment, kinds)
        if len(pieces) > 1:
            return _packed([term for piece in pieces for term in _terms(piece, budget)], budget)
    opened = _opened_fraction(segment, budget)
    return [segment] if opened == segment else _terms(opened, budget)


def _packed(terms: list[str], budget: int) -> list[str]:
    """Consecutive terms joined into as few pieces as fit ``budget``."""
    pieces = terms[:1]
    for term in terms[1:]:
        if width(f"{pieces[-1]} {term}") <= budget:
            pieces[-1] += " " + term
        else:
            pieces.append(term)
    return pieces


def _statement_rows(statement: str, budget: int) -> list[tuple[str, str]]:
    """One equation as (left, right) rows: its left-hand side, then its relations packed
    from the end (the result stays with the last steps), a long one continued at operators."""
    segments = _split(statement, _RELATIONS, depth=0)
    lhs, segments = (segments[0], segments[1:]) if len(segments) > 1 else ("", segments)
    room = max(budget - width(lhs + " "), budget // 2)  # every row is indented by the left-hand side
    pieces: list[str] = []
    for segment in reversed(segments):
        terms = _terms(segment, room - width(_CONTINUATION_INDENT))
        if len(terms) == 1 and pieces and width(f"{terms[0]} {pieces[0]}") <= room:
            pieces[0] = f"{terms[0]} {pieces[0]}"
        else:
            pieces[:0] = [terms[0]] + [_CONTINUATION_INDENT + term for term in terms[1:]]
    return [(lhs, pieces[0])] + [("", piece) for piece in pieces[1:]]


def aligned_rows(tex: str, budget: int) -> list[str]:
    """A display equation as the rows of an ``aligned`` block, each at most ``budget``
    characters wide (see :func:`width`; a row counts the left-hand side it is indented by)
    where break points allow: equations side by side (``a = 1, \\quad b = 2``) on rows of
    their own, a row per relation unless short ones fit together (``&=``), and a long
    right-hand side continued at an operator or a comma (``&\\quad +``). One row,
    unchanged, when it fits."""
    if width(tex) <= budget:
        return [tex]
    rows: list[tuple[str, str]] = []
    for statement in _split(tex, _STATEMENT_BREAKS, depth=0):
        statement = _STATEMENT_BREAK.sub("", statement, count=1)
        if rows and not _cut_points(_LATEX_TOKEN.findall(statement), _RELATIONS):  # an aside, such as (\text{…})
            left, right = rows[-1]
            if width(f"{left}{right}{_CONTINUATION_INDENT}{statement}") <= budget:
                rows[-1] = (left, f"{right} {_CONTINUATION_INDENT}{statement}")
            else:
                rows.append(("", _CONTINUATION_INDENT + statement))
            continue
        rows += _statement_rows(statement, budget)
    return [tex] if len(rows) == 1 else [f"{left} &{right}".lstrip() for left, right in rows]
