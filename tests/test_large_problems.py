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
    # held by the solution: the gradients and new weights as answer lists, 2 × 133,632 × (24 + 8) B
    # ≈ 8.2 MB, and about five 1.1 MB arrays; full tables of both matrices would add 2 × 4.3 MB more
    inputs = _inputs()
    lines = []
    assert _peak(lambda: lines.append(to_text.render(backprop.solve(inputs), 4))) < 16 * MB
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
