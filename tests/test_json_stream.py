"""The streamed JSON writer (dlsolve.render.to_json) is byte-identical to building the whole
text at once with json.dumps, the layout the SPEC's goldens hold: checked against a
reference written here from the layout rule, on every solver's default problem and on
random nested arrays with the awkward floats (-0.0, subnormals, 1e±300, integers)."""

from __future__ import annotations

import io
import json
import math
import random
from typing import Any

import pytest

from dlsolve.core.derivation import plain
from dlsolve.render import to_json
from dlsolve.runner import derive

COMMANDS = ("backprop", "batchnorm", "conv-params", "kl-divergence", "rbf-xor", "som-train", "ttest")
AWKWARD = [-0.0, 0.0, 1e-300, -1e-300, 1e300, 5e-324, 2.2250738585072014e-308, 0.1, 1 / 3, 123456789.0, 1e16, 0, -7, 2**53 + 1]


def _reference(value: Any, indent: str = "") -> str:
    """The layout rule written directly (the whole text built at once): objects one key a
    line; a list of lists/objects/strings on one line when its items take ≤ 60 characters
    and none spans lines, else one item a line; lists of numbers on one line."""
    inner = indent + "  "
    if isinstance(value, dict) and value:
        return "{\n" + ",\n".join(f"{inner}{json.dumps(k, ensure_ascii=False)}: {_reference(v, inner)}" for k, v in value.items()) + "\n" + indent + "}"
    if isinstance(value, list) and value and isinstance(value[0], (list, dict, str)):
        items = [_reference(item, inner) for item in value]
        if sum(len(item) + 2 for item in items) <= 60 and not any("\n" in item for item in items):
            return "[" + ", ".join(items) + "]"
        return "[\n" + ",\n".join(inner + item for item in items) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _streamed(value: Any) -> str:
    out = io.StringIO()
    to_json._write(value, out.write)
    return out.getvalue()


@pytest.mark.parametrize("command", COMMANDS)
def test_default_problems_byte_identical(command: str) -> None:
    derivation = derive(command, {})
    assert to_json.render(derivation) == _reference(plain(to_json.to_dict(derivation))) + "\n"


@pytest.mark.parametrize("shape", [(2, 2), (1, 64), (8, 9), (30, 40), (3, 4, 5), (100,)])
def test_numpy_arrays_written_as_their_lists(shape: tuple[int, ...]) -> None:
    """A solver may keep a large matrix as an array: written as the same floats listed
    (small arrays at once, larger ones a row at a time)."""
    np = pytest.importorskip("numpy")
    array = np.random.default_rng(len(shape)).normal(size=shape)
    array.flat[0] = -0.0
    value = {"one": array, "layers": [array, array[:1]]}
    assert _streamed(value) == _reference(plain(value))
    assert json.loads(_streamed(value))["one"] == array.tolist()


def _random_value(rng: random.Random, depth: int) -> Any:
    kind = rng.choice(["numbers", "nested", "dict", "str", "empty"] if depth < 4 else ["numbers", "str"])
    if kind == "numbers":
        return [rng.choice(AWKWARD) if rng.random() < 0.5 else rng.uniform(-1e3, 1e3) for _ in range(rng.randint(1, 30))]
    if kind == "nested":
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(1, 6))]
    if kind == "dict":
        return {f"k{i}": _random_value(rng, depth + 1) for i in range(rng.randint(1, 4))}
    if kind == "str":
        return rng.choice(["", "δ", "a\nb", "x" * rng.randint(1, 70)])
    return rng.choice([[], {}])


@pytest.mark.parametrize("seed", range(200))
def test_random_nested_values_byte_identical(seed: int) -> None:
    value = _random_value(random.Random(seed), 0)
    assert _streamed(value) == _reference(value)


def test_awkward_floats_round_trip_exactly() -> None:
    matrix = [AWKWARD, list(reversed(AWKWARD))]
    text = _streamed({"m": matrix})
    assert text == _reference({"m": matrix})
    back = json.loads(text)["m"]
    assert [[repr(v) for v in row] for row in back] == [[repr(v) for v in row] for row in matrix]  # -0.0 keeps its sign
    assert "-0.0" in text and "5e-324" in text and "1e+300" in text


def test_short_nested_lists_on_one_line_and_long_ones_not() -> None:
    assert _streamed([[1, 2], [3, 4]]) == "[[1, 2], [3, 4]]"  # 16 characters: one line
    wide = [[0.123456789] * 4] * 3  # each row 60 characters: one item a line
    assert _streamed(wide) == "[\n" + ",\n".join("  " + json.dumps(row) for row in wide) + "\n]"


def test_non_finite_numbers_are_spelled_as_strings() -> None:
    assert _streamed({"a": [1.0, math.inf, -math.inf]}) == '{\n  "a": [1.0, "inf", "-inf"]\n}'
