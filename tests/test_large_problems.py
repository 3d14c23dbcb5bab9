"""Large problems cost in proportion to what is written: a 512-256-10 backprop network
(133,632 weights) rendered as text builds only the dozen table rows shown, and as JSON is
written piece by piece (memory a row, not the whole text). Memory bounds via tracemalloc,
no timings."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from dlsolve.render import to_json, to_text
from dlsolve.topics.backprop import solve as backprop

MB = 1 << 20


def _inputs() -> dict[str, Any]:
    """A 512-256-10 network with random weights (a fixed seed)."""
    rng = np.random.default_rng(0)
    inputs = {field.name: field.default for field in backprop.FIELDS}
    inputs.update(x=tuple(rng.uniform(0, 1, 512)), target=(1.0,) + (0.0,) * 9, biases=(0.0, 0.0),
                  weights=(tuple(map(tuple, rng.normal(0, 0.05, (256, 512)))), tuple(map(tuple, rng.normal(0, 0.1, (10, 256))))))
    return inputs


@pytest.fixture(scope="module")
def derivation() -> Any:
    return backprop.solve(_inputs())


def _peak(action: Callable[[], Any]) -> int:
    """Bytes allocated at the peak of ``action`` beyond what was held before it."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class _Sink:
    """A stream that counts what is written and keeps nothing."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, text: str) -> int:
        self.size += len(text)
        return len(text)


def test_text_builds_only_the_rows_shown() -> None:
    # held by the solution: about five 133,632 × 8 B ≈ 1.1 MB arrays (weights read, gradients,
    # new weights, …); the answers as lists would add 2 × 133,632 × (24 + 8) B ≈ 8.2 MB, full
    # tables of both matrices 2 × 4.3 MB more
    inputs = _inputs()
    lines = []
    assert _peak(lambda: lines.append(to_text.render(backprop.solve(inputs), 4))) < 7 * MB
    assert len(lines[0].splitlines()) < 200


def test_json_is_streamed_not_built_whole(derivation: Any) -> None:
    sink = _Sink()
    peak = _peak(lambda: to_json.write(derivation, sink))
    assert sink.size > 5 * MB  # 3 × 133,632 numbers (inputs echoed, gradients, new weights)
    assert peak < sink.size / 10  # a few rows at a time, not the text (nor its pieces joined)


def test_saved_matrices_are_read_by_the_fast_toml_reader() -> None:
    # a trailing comma inside an array sends the text to tomllib (pure Python: about 20 s for a
    # 2048-1024-10 network); without one the subset reads it, with tomllib's result
    import tomllib

    from dlsolve.checking import toml_subset
    from dlsolve.practice.toml_file import dumps

    rng = np.random.default_rng(1)
    table = {"command": "backprop", "x": [0.5, -0.0, 1e-300], "weights": [rng.normal(size=(3, 3)).tolist(), [[1, 2, 3]]], "lr": 0.5}
    text = dumps(table, ["# a saved problem"])
    assert ",\n]" not in text
    assert toml_subset.parse(text, float) == tomllib.loads(text) == table


def test_a_class_of_identical_files_is_judged_once(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from dlsolve.checking import session

    calls = []
    judge = session.judge
    monkeypatch.setattr(session, "judge", lambda *args: calls.append(args) or judge(*args))
    texts = ['command = "som-train"\nstudent = "A"\n[answers]\nwinners.1 = 1\n', 'command = "som-train"\nstudent = "B"\n[answers]\nwinners.1 = 1\n',
             'command = "som-train"\n[answers]\nwinners.1 = 2\n', 'command = "som-train"\n[answers]\nwinners.1 = 1.0\n']
    paths = []
    for i, text in enumerate(texts):
        paths.append(str(tmp_path / f"s{i}.toml"))
        (tmp_path / f"s{i}.toml").write_text(text, encoding="utf-8")
    results = session.Checker().check_files(paths)
    assert len(calls) == 3  # A and B wrote the same answers; 2 and 1.0 are other answers as written
    assert [r.student for r in results] == ["A", "B", None, None]
    assert results[0].checked == results[1].checked and results[0].all_right and not results[2].all_right


def test_a_problem_files_weights_are_read_into_arrays(tmp_path: Any) -> None:
    """A network's weights from a problem file become float arrays holding the file's
    numbers (8 bytes each, not a Python float's 32), and the answers written in JSON are
    those of the same network given as lists."""
    import json

    from dlsolve.runner import derive, resolved_inputs

    rng = np.random.default_rng(2)
    weights = [rng.normal(size=(12, 9)).round(4).tolist(), [[1, -2] * 6]]  # ints too
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"command": "backprop", "x": [0.5] * 9, "target": [1], "weights": weights}), encoding="utf-8")
    inputs = resolved_inputs("backprop", {}, str(path))
    assert [type(w) for w in inputs["weights"]] == [np.ndarray] * 2
    assert [w.tolist() for w in inputs["weights"]] == weights
    written = json.loads(to_json.render(derive("backprop", {}, str(path))))
    assert written["inputs"]["weights"] == weights
    expected_first = np.array(weights[0]) - 0.5 * np.outer(written["answers"]["deltas"][0], [0.5] * 9)  # W − η δ xᵀ
    np.testing.assert_allclose(written["answers"]["weights"][0], expected_first, rtol=0, atol=1e-15)


@pytest.mark.parametrize("value, problem", [
    ([[1.0, True]], "expected a number, got true/false"),
    ([[1.0, "2"]], None),  # a number written as text is read as on the command line
    ([[1.0, float("inf")]], "must be a finite number"),
    ([[1.0, 2.0], [3.0]], "row 2 has 1 number but row 1 has 2"),
    ([[1.0, 10**400]], "is too large"),
    ([[]], "expected a non-empty list of numbers"),
    ([[1.0, None]], "expected a number, got NoneType"),
])
def test_a_matrix_read_as_an_array_refuses_what_the_tuple_reader_refuses(value: Any, problem: str | None) -> None:
    from dlsolve.core.inputs import InputError, Matrix

    as_tuples, as_array = Matrix(), Matrix(array=True)
    if problem is None:
        assert as_array.read_value(value, "w").tolist() == [list(row) for row in as_tuples.read_value(value, "w")]
        return
    for kind in (as_tuples, as_array):
        with pytest.raises(InputError, match=problem):
            kind.read_value(value, "w")


def test_strings_and_comments_are_skipped_as_the_regex_skips_them() -> None:
    """The nesting check's fast skipping of strings and comments (bytes.find from each quote)
    leaves what the regex substitution it replaces leaves, on random skeletons."""
    import random

    from dlsolve.core import data_file

    rng = random.Random(0)
    alphabet = [b'"', b"'", b"#", b"\n", b".", b",", b"=", b"[", b"]", b"{", b"}", b'"""', b"'''"]
    for _ in range(20_000):
        skeleton = b"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert data_file._without_strings(skeleton) == data_file._QUOTED_OR_COMMENT.sub(b"", skeleton), skeleton
