"""Every solver's answers round-trip through the checker: the solution's own values check as
right; values moved off check as wrong without breaking the slip analysis; and whatever a
student writes (wrong shapes, text, huge numbers) gives a verdict, never a crash."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlsolve.checking.session import Checker
from dlsolve.runner import derive
from dlsolve.topics import TOPICS

# a problem of each kind the solvers know, as [inputs]
PROBLEMS = [(command, {}) for command in TOPICS] + [
    ("backprop", {"loss": "bce", "epochs": 2, "update_biases": True}),
    ("backprop", {"x": [1, 2], "target": [1], "weights": [[[0.5, -0.5], [0.3, 0.8]], [[1, -1]]], "activation": ["tanh", "linear"]}),
    ("rbf-xor", {"centers": [[1, 1], [0, 0]], "solve": True}),
    ("ttest", {"data": [22, 24, 26, 32, 28, 20, 23, 34, 30, 43], "mu0": 28}),
    ("ttest", {"n": 36, "mean": 52, "sd": 6, "mu0": 50}),
    ("ttest", {"data": [1, 2, 3, 4], "data2": [2, 2, 5, 7]}),
    ("batchnorm", {"batch": [[1, 10], [2, 20], [3, 60]], "grad_y": [[0.1, 0.2], [0.3, -0.1], [0, 0.5]]}),
    ("batchnorm", {"method": "zscore", "batch": [2, 4, 4, 4, 5, 5, 7, 9]}),
    ("batchnorm", {"method": "minmax", "batch": [2, 4, 9]}),
    ("batchnorm", {"method": "maxabs", "batch": [-12, 3, 6]}),
    ("kl-divergence", {"p": [0.5, 0.5, 0], "q": [0.25, 0.25, 0.5], "base": "2"}),
    ("kl-divergence", {"p": [0.5, 0.5], "q": [1, 0]}),
    ("kl-divergence", {"mu1": 1, "sigma1": 1, "mu2": 0, "sigma2": 2}),
    ("kl-divergence", {"mu": [0.2, -0.4], "log_var": [0.0, -1.0]}),
    ("conv-params", {"input": "seq", "layers": "Embedding(1000, 64); LSTM(128); Dense(10)"}),
    ("conv-params", {"input": "20x5", "layers": "GRU(4, return_sequences=True); SimpleRNN(3)", "framework": "pytorch"}),
    ("conv-params", {"input": "32x32x3", "layers": "Conv2D(8, 3, strides=2); AveragePooling2D(2); Flatten(); Dense(10)"}),
]
IDS = [f"{command}-{i}" for i, (command, _) in enumerate(PROBLEMS)]


def solution(command, inputs):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.json"
        path.write_text(json.dumps({"command": command, **inputs}), encoding="utf-8")
        return derive(command, {}, str(path))


def answers_file(tmp_path, command, inputs, answers) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"command": command, "inputs": inputs, "answers": answers}), encoding="utf-8")
    return str(path)


def moved(value):
    """Every number moved off by 1 (or a winner by one unit), booleans flipped."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, list):
        return [moved(v) for v in value]
    if isinstance(value, dict):
        return {k: moved(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("command, inputs", PROBLEMS, ids=IDS)
def test_plumbing_the_solvers_own_answers_pass_the_checker(tmp_path, command, inputs):
    """Plumbing, not evidence: the solver is compared with itself, so this only shows that an
    answers file round-trips through JSON, the input parsing and the checker's comparison. Whether
    the answers are right is for the solver tests, which compare them with independent values."""
    answers = dict(solution(command, inputs).answers)
    result = Checker().check_file(answers_file(tmp_path, command, inputs, answers))
    assert result.error is None, result.error
    assert result.all_right, [c.key for c in result.checked if not c.verdict.right]


@pytest.mark.parametrize("command, inputs", PROBLEMS, ids=IDS)
def test_every_answer_moved_off_is_wrong_and_analysed(tmp_path, command, inputs):
    answers = {k: moved(v) for k, v in solution(command, inputs).answers.items() if v is not None and not isinstance(v, str)}
    result = Checker().check_file(answers_file(tmp_path, command, inputs, answers))
    assert result.error is None, result.error
    assert all(not c.verdict.right for c in result.checked if c.key not in ("alpha", "n"))


_junk = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
                  st.text(max_size=5), st.lists(st.floats(-1e3, 1e3), max_size=5),
                  st.lists(st.lists(st.integers(-3, 3), max_size=3), max_size=3))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_whatever_a_student_writes_gets_a_verdict(tmp_path, data):
    command, inputs = data.draw(st.sampled_from(PROBLEMS))
    keys = [k for k, v in solution(command, inputs).answers.items()]
    answers = {key: data.draw(_junk) for key in data.draw(st.lists(st.sampled_from(keys), min_size=1, max_size=4, unique=True))}
    path = tmp_path / "answers.json"
    text = json.dumps({"command": command, "inputs": inputs, "answers": answers}, allow_nan=True)
    path.write_text(text, encoding="utf-8")
    result = Checker().check_file(str(path))
    assert result.error is None, result.error
    assert len(result.checked) == len(answers)
    assert all(math.isfinite(c.score) for c in result.checked)


def _reshaped(value, numbers):
    """The solution's value with each number replaced by one drawn from ``numbers``."""
    if isinstance(value, list):
        return [_reshaped(v, numbers) for v in value]
    if isinstance(value, dict):
        return {k: _reshaped(v, numbers) for k, v in value.items()}
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return numbers.draw(st.sampled_from([0, -1, 1, 2, 0.5, -0.25, 1e-300, 1e300, -1e300, value, -value, value * 2]))


def _leaves(answers: dict) -> int:
    """How many answers a file's [answers] holds once its tables are read key by key (shapes.W_xh …)."""
    return sum(_leaves(v) if isinstance(v, dict) and v else 1 for v in answers.values())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_numbers_in_the_right_shapes_get_a_verdict(tmp_path, data):
    command, inputs = data.draw(st.sampled_from(PROBLEMS))
    answers = {key: _reshaped(value, data) for key, value in solution(command, inputs).answers.items() if value is not None}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"command": command, "inputs": inputs, "answers": answers}), encoding="utf-8")
    result = Checker().check_file(str(path))
    assert result.error is None, result.error
    assert len(result.checked) == _leaves(answers)  # a table answer (rnn-forward's shapes) is checked key by key
