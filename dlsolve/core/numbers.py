"""How a number is written in a worked solution.

Exam style: no trailing zeros (0.87, 1.1, 2), ``decimals`` places for numbers ≥ 1 and
``decimals`` significant digits below 1 (so a small gradient 0.0004386 keeps its digits),
scientific notation below 1e-4. The same value always gives the same string.
"""

from __future__ import annotations

import math

_SCIENTIFIC_BELOW = 1e-4
_SCIENTIFIC_FROM = 1e15


def _strip_zeros(text: str) -> str:
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _scientific(x: float, digits: int, latex: bool) -> str:
    mantissa, exponent = f"{x:.{max(digits - 1, 0)}e}".split("e")
    mantissa, power = _strip_zeros(mantissa), int(exponent)
    if latex:
        return f"{mantissa} \\times 10^{{{power}}}"
    return f"{mantissa}e{power}"


def _integer(n: int, latex: bool) -> str:
    text = f"{n:,}" if abs(n) >= 10_000 else str(n)  # 8378 as the notes write it; 98,816
    return text.replace(",", "{,}") if latex else text


def format_number(x: float | int, decimals: int = 4, *, latex: bool = True, exact: bool = False) -> str:
    """Write ``x`` for a reader: LaTeX form (``1.2 \\times 10^{-5}``, ``98{,}816``) or plain.

    >>> format_number(0.593269992), format_number(0.000438568), format_number(2.0)
    ('0.5933', '0.0004386', '2')
    """
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return _integer(x, latex)
    if math.isnan(x):
        return r"\text{NaN}" if latex else "nan"
    if math.isinf(x):
        sign = "-" if x < 0 else ""
        return sign + (r"\infty" if latex else "inf")
    if x == 0:
        return "0"
    if exact:
        text = repr(float(x))
        if "e" in text:
            mantissa, exponent = text.split("e")
            return f"{mantissa} \\times 10^{{{int(exponent)}}}" if latex else text
        return _strip_zeros(text)
    ax = abs(x)
    if ax < _SCIENTIFIC_BELOW or ax >= _SCIENTIFIC_FROM:
        return _scientific(x, max(decimals, 1), latex)
    if x == round(x):
        return _integer(int(round(x)), latex)
    if ax >= 1:
        places = decimals
    else:  # `decimals` significant digits
        places = max(decimals, 1) - math.floor(math.log10(ax)) - 1
    return _strip_zeros(f"{x:.{places}f}")


def short_text(x: float) -> str:
    """A number for a plain-text title: short (``%g``), with a true minus sign."""
    return f"{x:g}".replace("-", "−")
