"""Issue 11, the solvers' part: the crashes an audit found (items 1, 2, 5), the caps on total
work (item 9) and strict JSON. Every refusal is one line on stderr naming the option, exit 2.

The expected values are worked by hand in the comments; the caps are checked on both sides
(the largest admitted input, the smallest refused one) without running the big solves."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dlsolve import topics
from dlsolve.core.inputs import InputError, Matrix, PerItem, Vector, parse_matrix, parse_vector, resolve
from dlsolve.render import to_json
from dlsolve.runner import derive, rendered

HUGE = "1" + "0" * 400  # 10⁴⁰⁰: a Python int when a TOML/JSON file holds it, beyond any double


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dlsolve", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def refused(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """Exit 2, nothing on stdout, one line on stderr that holds ``words``."""
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


def strict_json(text: str) -> dict:
    def forbidden(name: str) -> None:
        raise AssertionError(f"{name} in JSON")

    return json.loads(text, parse_constant=forbidden)


# --- item 1: som-train on 1-epoch problems that are not "small" ----------------------------
def test_one_epoch_som_with_seven_inputs_is_summarized_not_a_crash():
    # x₁ = 0⃗, x₂ = 1⃗ (7 inputs), w₁ = 0⃗, w₂ = 1⃗: d²(x₁) = (0, 7) → unit 1 (moves by 0.6·0 = 0);
    # d²(x₂) = (7, 0) → unit 2 (moves by 0). Nothing moves; each sample is its own unit's class.
    result = run_cli("som-train", "--samples", "0,0,0,0,0,0,0;1,1,1,1,1,1,1", "--weights", "0,0,0,0,0,0,0;1,1,1,1,1,1,1", "-f", "json")
    assert result.returncode == 0, result.stderr
    answers = strict_json(result.stdout)["answers"]
    assert answers["distances"] == [[0, 7], [7, 0]]
    assert answers["winners"] == [1, 2] and answers["clusters"] == [1, 2]
    assert answers["weights"] == [[0] * 7, [1] * 7]


@pytest.mark.parametrize("format", ["text", "markdown", "json"])
def test_one_epoch_som_with_thirteen_samples_is_summarized_not_a_crash(format):
    result = run_cli("som-train", "--samples", ";".join(map(str, range(13))), "--weights", "0;1", "-f", format)
    assert result.returncode == 0, result.stderr
    if format == "json":
        # x = 0 → unit 1 (w₁ = 0 stays 0); x = 1 → unit 2 (d² 1 vs 0), and from then on w₂ moves towards
        # each x from below (0 < w₂ ≤ x), so (x − w₂)² < x² and unit 2 wins every later sample.
        answers = strict_json(result.stdout)["answers"]
        assert answers["winners"] == [1] + [2] * 12
        # w₂ after x = 2: 1 + 0.6·(2 − 1) = 1.6
        assert answers["distances"][3] == pytest.approx([9.0, (3 - 1.6) ** 2])
    else:
        assert "Epoch 1 (iterations 1–13)" in result.stdout
        assert "Epoch 2" not in result.stdout


# --- item 2: numbers of 309+ digits ---------------------------------------------------------
@pytest.mark.parametrize(("name", "text"), [("big.toml", f'command = "backprop"\nlr = {HUGE}\n'),
                                            ("big.json", f'{{"command": "backprop", "lr": {HUGE}}}')])


def test_a_400_digit_learning_rate_in_a_problem_file_is_too_large(tmp_path, name, text):
    (tmp_path / name).write_text(text)
    line = refused(run_cli("backprop", "-p", name, cwd=tmp_path), f"lr in {name}", "1000…000 (401 digits) is too large")
    assert len(line) < 200


def test_a_400_digit_dense_layer_is_refused_in_one_line():
    refused(run_cli("conv-params", "--layer", f"Dense({HUGE})"), "--layer", "must be at most 1,000,000,000", "401 digits")


@pytest.mark.parametrize(("command", "field", "value"), [
    ("som-train", "radius", 10**400), ("som-train", "epochs", 10**400), ("ttest", "n", 10**400),
    ("kl-divergence", "mu", [1, 10**400]), ("batchnorm", "batch", [[1, 2], [3, 10**400]]),
    ("rbf-xor", "centers", [[0, 0], [10**400, 1]]), ("conv-params", "input", [10**400, 3]),
    ("convolve", "image", [[1, 2], [3, 10**400]]),
    ("regularize", "weights", [1, 10**400]), ("regularize", "steps", 10**400),
])


def test_huge_integers_from_a_file_are_refused_before_any_arithmetic(command, field, value):
    solver = topics.load(command)
    with pytest.raises(InputError, match="too large|below 10"):
        resolve(solver.FIELDS, {}, {field: value})


def test_a_long_whole_number_on_the_command_line_is_refused_unparsed():
    refused(run_cli("som-train", "--epochs", "9" * 5000), "--epochs", "is too large")


# --- item 5: numeric edge cases ---------------------------------------------------------------
@pytest.mark.parametrize(("args", "words"), [
    (("rbf-xor", "--sigma", "1e308"), ("--sigma", "too large")),  # 2σ² = 2e616 is not a double
    (("rbf-xor", "--sigma", "1e-160"), ("--sigma", "too small")),  # 2σ² = 2e-320 (subnormal); d²/(2σ²) = 5e319 overflows
    (("kl-divergence", "--mu1", "0", "--sigma1", "5e-324", "--mu2", "0", "--sigma2", "1"), ("--sigma1", "too small")),
    (("kl-divergence", "--mu1", "0", "--sigma1", "1", "--mu2", "0", "--sigma2", "1e-300"), ("--sigma2", "too small")),
    (("ttest", "--alpha", "5e-324", "-f", "json"), ("--alpha", "too small")),
    # found by the shape fuzz: Σxᵢ = 2e308 (the steps write it); the notes' VAE sum Σ(σ² + μ² − ln σ − 1) ≈ 2e308
    (("batchnorm", "--batch", "1e308,1e308"), ("--batch", "sum overflows")),
    (("kl-divergence", "--mu", "1e154,1e154", "--sigma", "1,1"), ("--mu/--sigma", "overflow")),
    (("ttest", "--data", "1e153,-1e153,0", "--data2", "1,2,3", "--mu0", "0"), ("--data/--data2", "double precision")),  # Welch: v₁² ≈ 1e613
])


def test_numbers_beyond_double_precision_are_refused_in_one_line(args, words):
    refused(run_cli(*args), *words)


def test_a_tiny_but_usable_alpha_gives_strict_json():
    # α = 1e-300 two-sided, df = 19: the table value is large but finite
    data = strict_json(run_cli("ttest", "--alpha", "1e-300", "-f", "json").stdout)
    assert data["answers"]["alpha"] == 1e-300
    assert data["answers"]["critical"] > 1e10


def test_json_writes_a_non_finite_answer_as_the_spec_writes_infinity():
    base = derive("backprop", {})
    odd = base._replace(answers={**base.answers, "loss": float("inf"), "outputs": [float("-inf"), float("nan")]})
    data = strict_json(to_json.render(odd))
    assert data["answers"]["loss"] == "inf" and data["answers"]["outputs"] == ["-inf", "nan"]


def test_an_infinite_kl_is_the_string_inf():
    # q₂ = 0 < p₂: KL(P‖Q) = ∞ (SPEC: the string "inf")
    data = strict_json(run_cli("kl-divergence", "--p", "0.5,0.5", "--q", "1,0", "-f", "json").stdout)
    assert data["answers"]["kl"] == "inf"


EXTREMES = ["0", "5e-324", "-5e-324", "1e-308", "1e308", "-1e308", "-0.0", "1e-160", "1e154", HUGE]
SWEEP = [(command, field.name, value)
         for command in ("backprop", "rbf-xor", "som-train", "ttest", "batchnorm", "kl-divergence", "convolve", "early-stopping")
         for field in topics.load(command).FIELDS
         if type(field.kind).__name__ in ("Number", "Integer", "Vector", "NumberOrVector", "PerItem", "Probabilities",
                                          "StandardDeviations", "MatrixOrVector") and field.name != "activation"
         for value in EXTREMES]
KL_GAUSSIAN = {"mu1": "0", "sigma1": "1", "mu2": "0", "sigma2": "1"}


@pytest.mark.parametrize(("command", "name", "value"), SWEEP)
def test_every_numeric_option_survives_the_extremes(command, name, value):
    """0, the smallest subnormal, the largest doubles, −0.0 and 10⁴⁰⁰: refused, or strict JSON."""
    values = {**(KL_GAUSSIAN if command == "kl-divergence" and name in KL_GAUSSIAN else {}), name: value}
    if name in ("weights", "biases") and command == "backprop":
        values[name] = [value]
    try:
        derivation = derive(command, values)
    except InputError as error:
        assert "\n" not in str(error)
        return
    strict_json(rendered(derivation, "json", 4))


# --- item 9: caps on total work -----------------------------------------------------------------
def test_a_five_million_value_string_is_refused_without_being_parsed():
    text = ",".join(["1.5"] * 5_000_000)
    start = time.perf_counter()
    with pytest.raises(InputError, match="5,000,000 numbers; at most 100,000"):
        resolve(topics.load("ttest").FIELDS, {"data": text}, {})
    with pytest.raises(InputError, match="at most 3,000,000"):
        parse_vector(text, "--x")
    with pytest.raises(InputError, match="at most 3,000,000"):
        parse_matrix(text.replace(",", ";"), "--x")
    assert time.perf_counter() - start < 2  # counting separators, not parsing 5 M numbers (≈ 10 s)


def test_file_lists_are_counted_before_they_are_read():
    with pytest.raises(InputError, match="has 11 numbers; at most 10"):
        Vector(10).read_value([1.0] * 11, "data in p.toml")
    with pytest.raises(InputError, match="has 3 rows; at most 2"):
        Matrix(rows=2).read_value([[1.0], [2.0], [3.0]], "weights in p.toml")
    with pytest.raises(InputError, match="for 3 layers; at most 2"):
        PerItem(Vector(), limit=2).read_value([[1.0]] * 3, "weights in p.toml")


def _network(widths: list[int]) -> dict:
    return {"x": [0.5] * widths[0], "target": [0.5] * widths[-1],
            "weights": [[[0.01] * widths[l]] * widths[l + 1] for l in range(len(widths) - 1)]}


def test_the_backprop_caps_admit_a_2048_1024_10_network():
    import numpy as np

    from dlsolve.topics.backprop import solve as backprop

    weights = [np.zeros((1024, 2048)), np.zeros((10, 1024))]  # 2,107,392 weights, 2 layers
    backprop._within_caps(weights, 1)
    backprop._within_caps([np.zeros((2, 2))] * 2, 10_000)  # the notes' network, 10,000 epochs


@pytest.mark.parametrize(("widths", "epochs", "words"), [
    ([10_001, 1, 1], 1, "10,001 units in one layer; at most 10,000"),  # a wide input (a wide layer's rows are refused unread)
    ([1000, 1300, 1000], 1, "2,600,000 weights; at most 2,500,000"),  # each matrix 1.3 M, under the one-input cap
    ([2, 2, 2], 10_001, "20,002 layer passes; at most 20,000"),
    ([1568, 256, 10], 1000, "weight updates; at most 250,000,000"),
    ([1] * 1002, 1, "1,001 layers; at most 1,000"),
])


def test_the_backprop_caps_refuse_beyond_them(widths, epochs, words):
    from dlsolve.topics.backprop import solve as backprop

    with pytest.raises(InputError, match=words.replace("(", r"\(")):
        backprop.solve(resolve(backprop.FIELDS, {"epochs": str(epochs)}, _network(widths)))


@pytest.mark.parametrize(("command", "values", "words"), [
    ("som-train", {"samples": "1;2;3;4", "weights": "0;1", "epochs": "5001"}, "20,004 iterations"),
    ("som-train", {"samples": ";".join(["1"] * 1000), "weights": ";".join(["1"] * 251), "epochs": "1"}, "251,000 distances"),
    ("ttest", {"data": ",".join(["1"] * 100_001)}, "at most 100,000"),
    ("batchnorm", {"batch": ";".join(["1,2"] * 50_001)}, "at most 100,000"),
    ("kl-divergence", {"mu": ",".join(["1"] * 100_001), "sigma": "1"}, "at most 100,000"),
    ("rbf-xor", {"inputs": ";".join(["1"] * 1000), "centers": ";".join(["1"] * 250), "targets": ",".join(["0"] * 1000), "solve": True},
     "more than 250,000"),
    ("conv-params", {"input": "10", "layers": "; ".join(["Dense(2)"] * 1001)}, "1,001 layers; at most 1,000"),
    ("convolve", {"image": [";".join([",".join(["1"] * 600)] * 600)], "kernel": ["1,1; 1,1"]}, "1,435,204 multiply-adds"),  # 599² · 4
    ("early-stopping", {"val_loss": ",".join(["1"] * 100_001)}, "at most 100,000"),
    ("metrics", {"actual": ",".join(["a"] * 100_001), "predicted": "a"}, "100,001 labels; at most 100,000"),
    ("metrics", {"actual": ",".join(f"c{i}" for i in range(501)), "predicted": ",".join(f"c{i}" for i in range(501))}, "501 classes; at most 500"),
    ("metrics", {"matrix": ";".join(["1"] * 501)}, "501 rows; at most 500"),
    ("metrics", {"tp": "1000000000000", "fp": "1", "fn": "0", "tn": "0"}, "1,000,000,000,001 in all; at most 1,000,000,000,000"),
    ("regularize", {"weights": ",".join(["1"] * 1000), "lr": "0.1", "steps": "51"}, "102,000 weight updates; at most 100,000"),
    ("activation", {"x": ",".join(["1"] * 1001)}, "1,001 numbers; at most 1,000"),
    ("optimizer", {"steps": "2000", "w0": ",".join(["1"] * 17)}, "204,000 parameter updates"),
    ("rnn-forward", {"x": ";".join(["1"] * 1001), "w_ih": "1", "w_hh": "1"}, "1,001 rows; at most 1,000"),
    ("rnn-forward", {"cell": "lstm", "x": ";".join(["1"] * 600), "w_ih": ";".join(["1"] * 120), "w_hh": ";".join([",".join(["0"] * 30)] * 120)},
     "600 steps need 2,232,000 multiply-adds; at most 2,000,000"),
])


def test_every_solver_caps_its_total_work(command, values, words):
    with pytest.raises(InputError, match=words):
        derive(command, values)


@pytest.mark.parametrize(("command", "module", "caps"), [
    ("backprop", "dlsolve.topics.backprop.solve", ("MAX_LAYERS", "MAX_UNITS", "MAX_WEIGHTS", "MAX_LAYER_PASSES", "MAX_WEIGHT_UPDATES")),
    ("rbf-xor", "dlsolve.topics.rbf_xor.solve", ("MAX_VALUES",)),
    ("som-train", "dlsolve.topics.som_train.solve", ("MAX_ITERATIONS", "MAX_DISTANCES", "MAX_WORK")),
    ("ttest", "dlsolve.topics.ttest.solve", ("MAX_DATA",)),
    ("batchnorm", "dlsolve.topics.batchnorm.solve", ("MAX_VALUES",)),
    ("kl-divergence", "dlsolve.topics.kl_divergence.solve", ("MAX_TERMS",)),
    ("conv-params", "dlsolve.topics.conv_params.parse", ("MAX_LAYERS",)),
    ("convolve", "dlsolve.topics.convolve.solve", ("MAX_CHANNELS", "MAX_VALUES", "MAX_WORK", "MAX_SIZE")),
    ("early-stopping", "dlsolve.topics.early_stopping.solve", ("MAX_EPOCHS",)),
    ("metrics", "dlsolve.topics.metrics.values", ("MAX_CLASSES", "MAX_LABELS", "MAX_COUNT")),
    ("regularize", "dlsolve.topics.regularize.solve", ("MAX_VALUES", "MAX_STEPS", "MAX_UPDATES")),
    ("activation", "dlsolve.topics.activation.solve", ("MAX_X",)),
    ("optimizer", "dlsolve.topics.optimizer.solve", ("MAX_STEPS", "MAX_PARAMS", "MAX_UPDATES")),
    ("rnn-forward", "dlsolve.topics.rnn_forward.solve", ("MAX_WORK", "MAX_SIZE", "MAX_STEPS")),
])


def test_help_states_every_cap(command, module, caps):
    """The numbers in --help are the ones the solver enforces (they cannot drift apart)."""
    module = importlib.import_module(module)
    result = run_cli(command, "--help")
    text = " ".join(result.stdout.split())
    for cap in caps:
        assert f"{getattr(module, cap):,}" in text, cap


def test_a_decision_boundary_beyond_double_precision_is_written_not_a_crash():
    # found by the shape fuzz: one input at its center, so h₁ = 1; the minimum-norm fit of w₁·1 + b = 1
    # is w₁ = b = 0.5 (y = 1), and the boundary h₁ = (θ − b)/w₁ = 2e308 with θ = 1e308 overflows
    result = run_cli("rbf-xor", "--inputs", "0", "--centers", "0", "--targets", "1", "--threshold", "1e308", "--solve", "-f", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert strict_json(result.stdout)["answers"]["predictions"] == [0]  # y = 1 is not > 1e308
