"""How numbers are written: exam style, deterministic."""

import pytest

from dlsolve.core.numbers import format_number


@pytest.mark.parametrize(
    "x, decimals, latex, text",
    [
        (0.593269992, 4, True, "0.5933"),
        (0.87, 4, True, "0.87"),  # no trailing zeros
        (2.0, 4, True, "2"),
        (1.1059, 2, True, "1.11"),
        (0.000438568, 4, True, "0.0004386"),  # significant digits below 1
        (-0.0381, 4, True, "-0.0381"),
        (4.4e-5, 4, True, r"4.4 \times 10^{-5}"),
        (4.4e-5, 4, False, "4.4e-5"),
        (98816, 4, True, "98{,}816"),
        (98816, 4, False, "98,816"),
        (896, 4, False, "896"),
        (float("inf"), 4, True, r"\infty"),
        (-0.0, 4, True, "0"),
        (0.99999, 4, True, "1"),
        (True, 4, False, "true"),
    ],
)
def test_format(x, decimals, latex, text):
    assert format_number(x, decimals, latex=latex) == text


def test_exact_shows_the_shortest_round_trip():
    assert format_number(0.1 + 0.2, 4, exact=True) == "0.30000000000000004"
