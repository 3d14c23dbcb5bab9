"""The fast extra (dlsolve.core.fast_json): orjson's rows of floats re-laid byte for byte as
json.dumps writes them, and orjson's reading of a large problem file equal to json.loads'
(type for type) or left to json. The reference is the standard library itself: json.dumps of
the same floats, json.loads of the same text. Without orjson only the last tests run."""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlsolve.core import data_file, fast_json
from dlsolve.core.inputs import InputError


@pytest.fixture
def orjson() -> Any:
    """orjson, skipping the test without it (or with one too old to be used); whether to use
    it decided afresh (and after)."""
    module = pytest.importorskip("orjson")
    fast_json._orjson.cache_clear()
    if fast_json._orjson() is None:
        pytest.skip(f"orjson {module.__version__} lays floats out otherwise (before 3.11.7)")
    yield module
    fast_json._orjson.cache_clear()


@pytest.fixture
def without_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    """``import orjson`` fails, as where the extra is not installed."""
    monkeypatch.setitem(sys.modules, "orjson", None)
    fast_json._orjson.cache_clear()
    yield
    fast_json._orjson.cache_clear()


def _same_as_json(values: Any) -> None:
    row = np.ascontiguousarray(values, dtype=np.float64)
    assert fast_json.float_row(row) == json.dumps(row.tolist())


# --- writing -------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=fast_json.MIN_ROW, max_size=200))
def test_hypothesis_rows_as_json_dumps_writes_them(orjson: Any, values: list[float]) -> None:
    _same_as_json(values)


def test_two_million_random_bit_patterns(orjson: Any) -> None:
    bits = np.random.default_rng(14).integers(0, 2**64, size=2_000_000, dtype=np.uint64, endpoint=False)
    floats = bits.view(np.float64)
    floats = floats[np.isfinite(floats)]
    for row in np.array_split(floats, len(floats) // 2000):
        _same_as_json(row)


def test_every_binary_exponent_with_random_mantissas(orjson: Any) -> None:
    rng = np.random.default_rng(2)
    for exponent in range(-1074, 1024):
        mantissas = np.append(1.0, 1 + rng.random(99))
        values = np.ldexp(mantissas, exponent)
        _same_as_json(np.concatenate((values, -values)))


def test_powers_of_ten_and_their_neighbours(orjson: Any) -> None:
    """Where either layout changes (1e-9, 1e-5, 1e-4, 1e16, 1e22 among them): 10**k in a few
    spellings and the doubles on either side."""
    values = []
    for k in range(-324, 309):
        for mantissa in ("1", "2.5", "5", "9.999999999999999", "1.0000000000000002", "4.3799253804461814"):
            value = float(f"{mantissa}e{k}")
            if math.isfinite(value):
                values += [value, math.nextafter(value, 0), math.nextafter(value, math.inf)]
    _same_as_json(values + [-v for v in values])


def test_named_edge_values(orjson: Any) -> None:
    edges = [0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308,
             1e-4, 9.999999999999999e-05, 1e-05, 9.999999999999999e-06, 0.00001, 0.00005, 6.103515625e-05,
             1e-09, 9.99999999999e-10, 1e16, 9999999999999998.0, 1e22, 1e21, 2**53 + 2.0, 0.1, 1 / 3, 100.0, 10.00001]
    _same_as_json((edges + [-v for v in edges]) * 2)


@pytest.mark.parametrize("low, high", [(1e-5, 1e-4), (1e-9, 1e-5), (1e-7, 1e-6), (1e-4, 1e-3), (1e15, 1e17)])
def test_rows_entirely_in_one_range(orjson: Any, low: float, high: float) -> None:
    """A big network's gradients can be tiny everywhere: every number of the row re-laid."""
    rng = np.random.default_rng(abs(int(math.log10(low))))
    values = rng.uniform(low, high, 2048) * rng.choice([-1.0, 1.0], 2048)
    _same_as_json(values)


def test_the_fix_up_is_exact_where_its_digits_are_unusual(orjson: Any) -> None:
    """Single-digit numbers in the positional range (0.00001 → 1e-05: no "." to add), a
    number ending a row, and 10.00001 (holding "0.0000" not at a token's start)."""
    _same_as_json([10.00001, 1e-05, -1e-05, 5e-05, 2e-07, -3e-09] * 11 + [-7e-05])


@pytest.mark.parametrize("value", [
    np.arange(100),  # integers
    np.arange(100, dtype=np.float32),
    np.arange(200.0)[::2],  # not contiguous
    np.append(np.arange(99.0), math.nan),
    np.append(np.arange(99.0), -math.inf),
    np.arange(63.0),  # short
    np.arange(100.0).reshape(10, 10),
    np.arange(100.0).astype(">f8"),
    np.array([1.0] * 100, dtype=object),
    list(range(100)),
])
def test_other_values_are_left_to_json(orjson: Any, value: Any) -> None:
    assert fast_json.float_row(value) is None


def test_an_orjson_with_another_layout_is_not_used(orjson: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """orjson before 3.11.7 wrote 1e16 where json writes 1e+16: such a version is refused,
    as is one that cannot write NumPy arrays."""

    class Older:
        OPT_SERIALIZE_NUMPY = orjson.OPT_SERIALIZE_NUMPY
        JSONDecodeError = orjson.JSONDecodeError
        loads = staticmethod(orjson.loads)

        @staticmethod
        def dumps(value: Any, option: int = 0) -> bytes:
            return orjson.dumps(value, option=option).replace(b"e+", b"e")

    class WithoutNumPy:  # (before 3.0)
        dumps = staticmethod(orjson.dumps)

    for module in (Older, WithoutNumPy):
        monkeypatch.setitem(sys.modules, "orjson", module)
        fast_json._orjson.cache_clear()
        assert fast_json._orjson() is None
        assert fast_json.float_row(np.arange(100.0)) is None


def test_a_whole_network_written_as_without_orjson(orjson: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 512-256-10 backprop, -f json, byte for byte as json writes it (orjson's import failing)."""
    from dlsolve.render import to_json
    from dlsolve.topics.backprop import solve
    from tests.test_large_problems import _inputs

    derivation = solve.solve(_inputs())
    fast = to_json.render(derivation)
    monkeypatch.setitem(sys.modules, "orjson", None)
    fast_json._orjson.cache_clear()
    assert fast_json.float_row(np.arange(100.0)) is None
    assert to_json.render(derivation) == fast
    assert "e-05" in fast and "e-07" in fast  # both re-laid ranges occur


def test_a_default_problem_does_not_import_orjson(imported_modules: Any) -> None:
    assert "orjson" not in imported_modules("backprop", "-f", "json")


# --- reading -------------------------------------------------------------------------------


def _reference(text: str) -> Any:
    return json.loads(text, parse_float=float, parse_constant=float)  # as data_file reads a problem file


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same types throughout (int vs float, the sign of -0.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(_same, a, b))
    return repr(a) == repr(b)


def _padded(text: str) -> str:
    return "\n" * fast_json.MIN_TEXT + text + " \t\r\n"


NUMBER = st.from_regex(r"-?(0|[1-9][0-9]{0,24})(\.[0-9]{1,25})?([eE][+-]?[0-9]{1,3})?", fullmatch=True)
STRING = st.text().map(json.dumps) | st.text().map(lambda s: json.dumps(s, ensure_ascii=False)) | st.sampled_from(
    ['"\\/\\b\\f\\n\\r\\t\\"\\\\"', '"\\u00e9\\uD83D\\uDE00"', '"\\u0000"'])
LEAF = NUMBER | STRING | st.sampled_from(["true", "false", "null", "NaN", "-Infinity", "1e400", "18446744073709551616",
                                          "-9223372036854775809", '"\\ud800"', "-0", "-0.0"])
DOCUMENT = st.recursive(LEAF, lambda inner: st.lists(inner, max_size=6).map(lambda items: "[" + ", ".join(items) + "]")
                        | st.lists(st.tuples(STRING, inner), max_size=5).map(
                            lambda pairs: "{" + ",".join(f"{k}: {v}" for k, v in pairs) + "}"), max_leaves=30)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(DOCUMENT)
def test_hypothesis_documents_read_as_json_reads_them(orjson: Any, document: str) -> None:
    text = _padded(document)
    fast = fast_json.loads(text)
    if fast is not None:
        assert _same(fast, _reference(text))


def test_numbers_read_to_the_same_float(orjson: Any) -> None:
    """orjson's decimal-to-double conversion is Python's float() (correctly rounded) on
    shortest forms, 17-digit forms, and long decimals near halfway points."""
    rng = np.random.default_rng(5)
    bits = rng.integers(0, 2**64, size=200_000, dtype=np.uint64).view(np.float64)
    floats = bits[np.isfinite(bits)].tolist()
    numbers = [repr(x) for x in floats] + [f"{x:.17e}" for x in floats[:50_000]]
    numbers += [f"{a}.{b:018d}50e{e}" for a, b, e in zip(rng.integers(1, 10, 50_000).tolist(), rng.integers(0, 10**18, 50_000).tolist(),
                                                         rng.integers(-330, 300, 50_000).tolist())]
    text = "[" + ", ".join(numbers) + "]"
    fast = fast_json.loads(text)
    assert fast is not None and _same(fast, _reference(text))


@pytest.mark.parametrize("leaf", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "18446744073709551616",
                                  "-9223372036854775809", "123456789012345678901234567890", '"\\ud800"', "[1,]", "01"])
def test_what_orjson_reads_otherwise_or_refuses_is_left_to_json(orjson: Any, leaf: str) -> None:
    assert fast_json.loads(_padded(f"[1.5, {leaf}]")) is None


@pytest.mark.parametrize("text, expected", [
    ('{"a": 1, "b": 2, "a": [3]}', {"a": [3], "b": 2}),  # the last of a duplicated key, in the first one's place
    ("[-0, -0.0, 1e-400, -1e-400, 999999999999999999, -999999999999999999, 1e18]",
     [0, -0.0, 0.0, -0.0, 999999999999999999, -999999999999999999, 1e18]),  # (19 digits and more: left to json)
    ('["\\ud83d\\ude00", "\\u0000"]', ["\U0001f600", "\x00"]),
])
def test_documents_read_as_json_reads_them(orjson: Any, text: str, expected: Any) -> None:
    fast = fast_json.loads(_padded(text))
    assert fast is not None and _same(fast, expected) and _same(fast, _reference(text))


def test_a_large_problem_file_is_read_by_orjson(orjson: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = np.random.default_rng(3).normal(0, 0.05, (64, 256)).tolist()
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"weights": rows}))
    read = []
    monkeypatch.setattr(orjson, "loads", lambda data, real=orjson.loads: read.append(1) or real(data))
    assert _same(data_file.read(str(path), "--problem", "problem file"), {"weights": rows})
    assert read


def test_small_files_and_answers_files_stay_on_json(orjson: Any, tmp_path: Any) -> None:
    assert fast_json.loads('{"a": 1}') is None
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"pad": "x" * fast_json.MIN_TEXT, "a": 0.1}))
    from decimal import Decimal

    assert data_file.read(str(path), "FILE", "answers file", parse_float=Decimal)["a"] == Decimal("0.1")


@pytest.mark.parametrize("text", ['[1.5, 2,]', '{"a": NaN, "b": [1e400]}', '[1, 2] x'])
def test_a_large_file_gets_jsons_message_and_values(tmp_path: Any, text: str) -> None:
    """With or without orjson: the same refusal as json's, or json's values (nan, inf)."""
    path = tmp_path / "big.json"
    path.write_text(_padded(text))
    try:
        expected: Any = _reference(_padded(text))
    except json.JSONDecodeError as error:
        with pytest.raises(InputError, match=f"not valid JSON: {error.msg} \\(line {error.lineno}, column {error.colno}\\)"):
            data_file.read(str(path), "--problem", "problem file")
    else:
        assert _same(data_file.read(str(path), "--problem", "problem file"), expected)


def test_a_lone_surrogate_in_the_text_itself_is_left_to_json(orjson: Any) -> None:
    assert fast_json.loads(_padded('["\ud800"]')) is None


def test_without_orjson_nothing_changes(without_orjson: None) -> None:
    assert fast_json.float_row(np.arange(100.0)) is None
    assert fast_json.loads(_padded("[1.5]")) is None


def _long_row(rng: np.random.Generator, scale: float = 0.05) -> str:
    return json.dumps(rng.normal(0, scale, int(rng.integers(80, 200))).tolist())


@pytest.mark.parametrize("shape", [
    '{"weights": [ROW, ROW], "x": ROW}',
    '[ROW, [[ROW]], {"a": ROW, "b": "ROW"}, "ROW"]',  # rows in strings stay there
    '{"a": ROW, "a": ROW, "b": [ROW]}',  # a duplicated key: json's last value in the first place
    '{"note": "\\u0001row", "w": [ROW]}',  # the place's own spelling in the document: read whole
    '["\\"[", ROW, "]\\\\", ROW]',  # escaped quotes and backslashes before rows
    '[ROW, NAN_ROW]',  # a row with NaN: json's
    '[ROW, BAD_ROW]',  # a row that only looks like one: json's message
])
def test_long_rows_read_one_at_a_time_as_json_reads_the_document(orjson: Any, shape: str) -> None:
    rng = np.random.default_rng(11)
    variants = {"ROW": "]", "NAN_ROW": ", NaN]", "BAD_ROW": ",, 1]"}
    text = _padded(re.sub(r"NAN_ROW|BAD_ROW|ROW", lambda m: _long_row(rng)[:-1] + variants[m.group()], shape))
    fast = fast_json.loads(text)
    try:
        reference = _reference(text)
    except ValueError:
        assert fast is None
        return
    assert fast is None or _same(fast, reference)
    if "NaN" not in text and "u0001row" not in text and '"a": [' not in text:  # (a duplicated key: json reads it)
        assert fast is not None and fast_json._rows_apart(text, orjson) is not None  # the rows were read apart


def test_a_network_file_reads_its_rows_apart_and_as_json_reads_it(orjson: Any) -> None:
    rng = np.random.default_rng(2)
    document = {"command": "backprop", "x": rng.uniform(0, 1, 300).round(3).tolist(),
                "weights": [rng.normal(0, 0.05, (40, 300)).tolist(), rng.normal(0, 0.1, (3, 40)).round(4).tolist()],
                "biases": [0, 0]}
    text = json.dumps(document, indent=1)
    apart = fast_json._rows_apart(text, orjson)
    assert apart is not None and len(apart[1]) == 41  # x and the 40 rows of the first matrix
    assert _same(fast_json.loads(text), _reference(text))


def test_the_places_own_value_spelt_otherwise_in_the_document_is_no_place(orjson: Any) -> None:
    """A duplicated key drops a place; a string spelling the place's value another way must not stand in for it."""
    rng = np.random.default_rng(4)
    text = _padded(f'{{"a": {_long_row(rng)}, "a": {_long_row(rng)}, "s": "\\u0001\\u0072ow"}}')
    fast = fast_json.loads(text)
    assert fast is None or _same(fast, _reference(text))
    assert fast_json._rows_apart(text, orjson) is None
