"""The four comparison modes, element by element. Every expected verdict is worked by hand in
the comment next to it (the SPEC's 0.6065 examples; PrairieLearn's sigfig/decdig rules)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from dlsolve.checking.compare import Rule, as_decimal, compare

WRITTEN = Rule("written")
E = 0.6065306597126334  # e^(−1/2), the RBF notes' h for a squared distance of 1


def right(given, expected, rule=WRITTEN):
    return compare(given, expected, rule).right


# --- written (the default) ----------------------------------------------------------------


@pytest.mark.parametrize("text, ok", [
    ("0.6", True),      # one decimal: ±0.05 → 0.55 … 0.65 holds 0.6065
    ("0.61", True),     # two decimals: ±0.005 → 0.605 … 0.615 holds 0.6065
    ("0.60", False),    # two decimals: 0.595 … 0.605 misses 0.6065 (the written zero counts)
    ("0.62", False),    # 0.615 … 0.625 misses it
    ("0.607", True),    # ±0.0005 → 0.6065 … 0.6075 holds 0.60653
    ("0.6065", True),   # ±0.00005 → 0.60645 … 0.60655
    ("0.6066", False),  # 0.60655 … 0.60665 misses 0.606531
    ("6.1e-1", True),   # written 6.1e-1 has two decimals too: ±0.005
])
def test_written_precision_the_specs_examples(text, ok):
    assert right(Decimal(text), E) is ok


def test_the_tolerance_is_half_a_unit_of_the_last_written_digit():
    assert compare(Decimal("0.61"), E, WRITTEN).elements[0].tolerance == pytest.approx(0.005)
    assert compare(Decimal("0.6"), E, WRITTEN).elements[0].tolerance == pytest.approx(0.05)
    assert compare(Decimal("0.6065"), E, WRITTEN).elements[0].tolerance == pytest.approx(0.00005)


def test_a_whole_number_written_for_a_decimal_answer_has_no_decimals():
    # 0.87 written "1": 0 decimals, ±0.5 → 0.5 … 1.5 holds 0.87; "2" does not; "1.0" (±0.05) does not
    assert right(1, 0.87) and not right(2, 0.87) and not right(Decimal("1.0"), 0.87)
    # the batch-norm variance 25.0 written "25"
    assert right(25, 25.0)


def test_a_tie_is_right_both_ways_whatever_the_last_binary_digit():
    # 0.605 is stored as 0.60499999999999998…; "0.61" and "0.60" are both 0.005 away
    assert right(Decimal("0.61"), 0.605) and right(Decimal("0.60"), 0.605)


def test_large_and_small_values():
    # 18,496 written 18500 (0 decimals, ±0.5) is wrong; 98816.0 is right
    assert not right(18500, 18496.0) and right(Decimal("98816.0"), 98816.0)
    # 4.3856773e-4 written 0.000439 (±0.0000005): |0.000439 − 0.00043857| = 4.3e-7 ≤ 5e-7
    assert right(Decimal("0.000439"), 0.00043856773447434685)
    assert not right(Decimal("0.000438"), 0.00043856773447434685)  # 5.7e-7 > 5e-7


# --- relabs ---------------------------------------------------------------------------------


def test_relabs_with_prairielearns_defaults():
    rule = Rule("relabs")  # rtol 1e-2, atol 1e-8: tolerance = 1e-8 + 0.01 · 0.60653 = 0.0060653
    assert right(Decimal("0.6125"), E, rule)  # |0.6125 − 0.60653| = 0.00597 ≤ 0.0060653
    assert not right(Decimal("0.6127"), E, rule)  # 0.00617 > 0.0060653


def test_relabs_bounds_by_hand():
    rule = Rule("relabs")
    # |0.6 − 0.6065307| = 0.0065307 > 0.0060653: wrong
    assert not right(Decimal("0.60"), E, rule)
    # |0.601 − 0.6065307| = 0.0055307 ≤ 0.0060653: right
    assert right(Decimal("0.601"), E, rule)
    assert compare(Decimal("0.601"), E, rule).elements[0].tolerance == pytest.approx(1e-8 + 0.01 * E)


def test_relabs_with_given_tolerances():
    rule = Rule("relabs", rtol=0.0, atol=0.001)  # |a − 0.6065307| ≤ 0.001
    assert right(Decimal("0.607"), E, rule)  # 0.00047
    assert not right(Decimal("0.608"), E, rule)  # 0.00147
    assert right(Decimal("0.6"), 0.0, Rule("relabs", rtol=0.5, atol=0.6))  # 0.6 ≤ 0.6 + 0.5 · 0 (bound included)


# --- sigfig and decdig (PrairieLearn) --------------------------------------------------------


def test_sigfig_two_digits_prairielearns_default():
    rule = Rule("sigfig", digits=2)
    # n = −⌊log10 0.6065⌋ + 2 − 1 = 1 + 1 = 2; ε = 0.51 · 10⁻² = 0.0051 → 0.6014 < a < 0.6116
    assert right(Decimal("0.61"), E, rule) and right(Decimal("0.6115"), E, rule) and right(Decimal("0.6015"), E, rule)
    assert not right(Decimal("0.60"), E, rule) and not right(Decimal("0.6117"), E, rule)
    assert compare(Decimal("0.61"), E, rule).elements[0].tolerance == pytest.approx(0.0051)


def test_sigfig_of_a_large_value_and_of_zero():
    # 123.4 with 3 digits: n = −2 + 3 − 1 = 0, ε = 0.51 → 122.89 < a < 123.91
    rule = Rule("sigfig", digits=3)
    assert right(123, 123.4, rule) and right(Decimal("123.9"), 123.4, rule) and not right(Decimal("122.8"), 123.4, rule)
    # exact value 0 with 2 digits: n = 2 − 1 = 1, ε = 0.051 → −0.051 < a < 0.051
    rule = Rule("sigfig", digits=2)
    assert right(Decimal("0.05"), 0.0, rule) and not right(Decimal("0.052"), 0.0, rule)


def test_sigfig_bounds_are_strict():
    # 2.0 with 1 digit: n = −0 + 0 = 0, ε = 0.51 → 1.49 < a < 2.51 (2.51 itself is out)
    rule = Rule("sigfig", digits=1)
    assert right(Decimal("2.5"), 2.0, rule) and not right(Decimal("2.51"), 2.0, rule)


def test_decdig():
    # 2 digits: ε = 0.51 · 10⁻² = 0.0051 → 0.60143 < a < 0.61163
    assert right(Decimal("0.61"), E, Rule("decdig", digits=2)) and not right(Decimal("0.60"), E, Rule("decdig", digits=2))
    # 3 digits: ε = 0.00051 → 0.60602 < a < 0.60704
    assert right(Decimal("0.607"), E, Rule("decdig", digits=3)) and not right(Decimal("0.6071"), E, Rule("decdig", digits=3))
    # strict: 1.0 with 0 … use 1 digit, ε = 0.051: 1.051 is out, 1.05 is in
    assert right(Decimal("1.05"), 1.0, Rule("decdig", digits=1)) and not right(Decimal("1.051"), 1.0, Rule("decdig", digits=1))


# --- exact kinds ------------------------------------------------------------------------------


def test_integers_booleans_and_strings_match_exactly_in_every_mode():
    for rule in (WRITTEN, Rule("relabs", rtol=0.5), Rule("sigfig", digits=1), Rule("decdig", digits=0)):
        assert right(2, 2, rule) and right(Decimal("2.0"), 2, rule)  # a winner written 2.0 is 2
        assert not right(3, 2, rule) and not right(Decimal("2.4"), 2, rule)
        assert right(True, True, rule) and not right(1, True, rule) and not right(False, True, rule)
        assert right("T", "t", rule) and right(" two-sided ", "two-sided", rule) and not right("two sided", "two-sided", rule)
    assert compare(Decimal("2.4"), 2, WRITTEN).elements[0].note == "expected a whole number"
    assert compare(1, True, WRITTEN).elements[0].tolerance is None


def test_infinite_kl_and_unknown_lengths():
    assert right(Decimal("Infinity"), "inf") and right("inf", "inf") and right("∞", "inf") and not right(Decimal("1e300"), "inf")
    assert right("None", None) and right(None, None) and not right(64, None)


def test_text_holding_a_number_counts_as_that_number():
    assert right("0.61", E) and not right("0.60", E) and right("−0.0025", -0.0025483654544136702)


def test_nan_and_non_numbers_are_wrong():
    assert not right(Decimal("NaN"), E) and not right("abc", E) and not right(True, 0.5)
    assert compare("abc", E, WRITTEN).elements[0].note == "expected a number"


# --- vectors and matrices ---------------------------------------------------------------------


def test_every_element_is_judged_and_the_wrong_ones_named():
    # x_hat = (−0.2, −1.4, 1.4, 0.2); the second written 1.4 (sign lost), the fourth 0.3
    verdict = compare([Decimal("-0.2"), Decimal("1.4"), Decimal("1.4"), Decimal("0.3")], [-0.2, -1.4, 1.4, 0.2], WRITTEN)
    assert not verdict.right
    assert [e.path for e in verdict.wrong] == [(1,), (3,)]


def test_matrix_elements_have_row_and_column_paths():
    verdict = compare([[1, 2], [3, Decimal("4.1")]], [[1.0, 2.0], [3.0, 4.0]], WRITTEN)
    assert [e.path for e in verdict.wrong] == [(1, 1)]


def test_a_wrong_shape_is_wrong_with_the_reason():
    verdict = compare([Decimal("0.1"), Decimal("0.2")], [[0.1, 0.2], [0.3, 0.4]], WRITTEN)
    assert not verdict.right and verdict.problem == "expected a 2 × 2 matrix, got 2 values"
    assert compare(Decimal("0.1"), [0.1, 0.2], WRITTEN).problem == "expected 2 values, got a number"


def test_tables_are_judged_field_by_field():
    expected = {"name": "conv2d", "output_shape": [30, 30, 32], "params": 896, "trainable": 896}
    assert compare({"params": 896, "output_shape": [30, 30, 32]}, expected, WRITTEN).right
    verdict = compare({"params": 864}, expected, WRITTEN)
    assert [e.path for e in verdict.wrong] == [("params",)]
    assert "unknown field 'parms'" in compare({"parms": 1}, expected, WRITTEN).problem


def test_as_decimal_keeps_the_written_digits():
    assert as_decimal("0.60").as_tuple().exponent == -2
    assert as_decimal(True) is None and as_decimal(3) == 3 and math.isclose(float(as_decimal(0.25)), 0.25)
