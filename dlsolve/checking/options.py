"""The options of a check (``--mode``, ``--digits``, ``--rtol``, ``--atol``, ``--min-sigfigs``,
``--ecf-credit``) made into a rule, refused with the command line's messages when they do not
fit together: ``dlsolve check`` and :func:`dlsolve.check` read them here."""

from __future__ import annotations

import math
from typing import Any

from dlsolve.checking.compare import DEFAULT_ATOL, DEFAULT_DIGITS, DEFAULT_RTOL, MODES, Rule
from dlsolve.core.inputs import InputError

MAX_DIGITS = 15  # a double's significant figures


def rule_for(mode: str = "written", digits: int | None = None, rtol: float | None = None, atol: float | None = None,
             min_sigfigs: int | None = None) -> Rule:
    """The comparison rule; InputError for an option its mode does not use, a value out of
    range or one that is not finite (nan and inf pass a range check: a comparison with nan
    is false)."""
    if mode not in MODES:
        raise InputError("--mode", f"{mode!r} is not one of {', '.join(MODES)}")
    if digits is not None and mode not in ("sigfig", "decdig"):
        raise InputError("--digits", f"applies to --mode sigfig or decdig, not {mode}")
    for name, value in (("--rtol", rtol), ("--atol", atol)):
        if value is not None and mode != "relabs":
            raise InputError(name, f"applies to --mode relabs, not {mode}")
        if value is not None:
            checked_number(name, value, 0.0)
    for name, count in (("--digits", digits), ("--min-sigfigs", min_sigfigs)):
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_DIGITS):
            raise InputError(name, f"must be a whole number from 1 to {MAX_DIGITS}, got {count!r}")
    return Rule(mode, DEFAULT_DIGITS if digits is None else digits, DEFAULT_RTOL if rtol is None else float(rtol),
                DEFAULT_ATOL if atol is None else float(atol), min_sigfigs)


def checked_number(name: str, value: Any, low: float, high: float = math.inf) -> float:
    """``value`` as a finite float within ``[low, high]``, else InputError naming the option."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(name, f"expected a number, got {type(value).__name__}")
    if isinstance(value, int) and value.bit_length() > 1023 or not math.isfinite(value):
        raise InputError(name, f"must be a finite number, not {value if isinstance(value, float) else 'a number this large'}")
    if not low <= value <= high:
        bounds = f"≥ {low:g}" if high == math.inf else f"from {low:g} to {high:g}"
        raise InputError(name, f"must be {bounds}, got {value:g}")
    return float(value)
