"""batchnorm against independent truth: hand calculations (arithmetic in the comments), a
forward pass written here from scratch and differentiated by finite differences, scipy's
z-score, and torch.nn.BatchNorm1d with autograd when torch is installed (each torch case has a
twin without torch: the reference forward pass, the running statistics by hand, finite differences)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlsolve.core.inputs import InputError
from dlsolve.render import to_json, to_text
from dlsolve.runner import derive


def answers(**options: str) -> dict:
    return derive("batchnorm", options).answers


# --- the default problem, by hand -------------------------------------------------------------


def test_default_batch_mean_variance_and_x_hat():
    a = answers()
    # x = 7, 1, 15, 9: μ = 32/4 = 8; σ² = (1 + 49 + 49 + 1)/4 = 100/4 = 25
    assert a["mean"] == 8 and a["var"] == 25
    # x̂ = (x − 8)/√(25 + 0.00001): −1/5.000001 = −0.19999996, −7/5.000001 = −1.39999972 …
    root = math.sqrt(25.00001)
    assert a["x_hat"] == pytest.approx([-1 / root, -7 / root, 7 / root, 1 / root], rel=1e-15)
    assert a["x_hat"] == pytest.approx([-0.19999996, -1.39999972, 1.39999972, 0.19999996], abs=1e-8)
    assert a["y"] == a["x_hat"]  # γ = 1, β = 0


def test_default_running_statistics():
    a = answers()
    # running_mean = 0.9·0 + 0.1·8 = 0.8; s² = 100/3 = 33.333…, running_var = 0.9·1 + 0.1·33.333… = 4.2333…
    assert a["running_mean"] == pytest.approx(0.8, rel=1e-15)
    assert a["running_var"] == pytest.approx(0.9 + 10 / 3, rel=1e-15)
    assert "grad_x" not in a  # no --grad-y, no backward pass


def test_eps_zero_gives_the_exact_hand_values():
    a = answers(eps="0")
    # x̂ = (x − 8)/5 exactly
    assert a["x_hat"] == pytest.approx([-0.2, -1.4, 1.4, 0.2], abs=1e-15)


def test_backward_pass_by_hand():
    a = answers(gamma="2", beta="0.5", grad_y="0.1,-0.2,0.3,0.4", eps="0")
    # x̂ = −0.2, −1.4, 1.4, 0.2; y = 2x̂ + 0.5 = 0.1, −2.3, 3.3, 0.9
    assert a["y"] == pytest.approx([0.1, -2.3, 3.3, 0.9], abs=1e-14)
    # ∂L/∂β = 0.1 − 0.2 + 0.3 + 0.4 = 0.6; ∂L/∂γ = −0.02 + 0.28 + 0.42 + 0.08 = 0.76
    assert a["grad_beta"] == pytest.approx(0.6, abs=1e-15)
    assert a["grad_gamma"] == pytest.approx(0.76, abs=1e-15)
    # ∂L/∂x = 2/(4·5) · (4g − 0.6 − 0.76x̂):
    #   0.1·(0.4 − 0.6 + 0.152) = −0.0048; 0.1·(−0.8 − 0.6 + 1.064) = −0.0336
    #   0.1·(1.2 − 0.6 − 1.064) = −0.0464; 0.1·(1.6 − 0.6 − 0.152) = 0.0848
    assert a["grad_x"] == pytest.approx([-0.0048, -0.0336, -0.0464, 0.0848], abs=1e-15)


def test_two_features_by_hand():
    a = answers(batch="1,10; 2,20; 3,60", gamma="1,0.5", beta="0,1", eps="0")
    # feature 1: μ = 2, σ² = (1 + 0 + 1)/3 = 2/3; feature 2: μ = 30, σ² = (400 + 100 + 900)/3 = 1400/3
    assert a["mean"] == pytest.approx([2, 30], rel=1e-15)
    assert a["var"] == pytest.approx([2 / 3, 1400 / 3], rel=1e-15)
    s1, s2 = math.sqrt(2 / 3), math.sqrt(1400 / 3)
    assert np.array(a["x_hat"]) == pytest.approx(np.array([[-1 / s1, -20 / s2], [0, -10 / s2], [1 / s1, 30 / s2]]), rel=1e-14)
    # y₂ = 0.5·x̂ + 1
    assert [row[1] for row in a["y"]] == pytest.approx([1 - 10 / s2, 1 - 5 / s2, 1 + 15 / s2], rel=1e-14)
    # unbiased s² = 1 and 700: running_var = 0.9 + 0.1 = 1 and 0.9 + 70 = 70.9; running_mean = 0.2, 3
    assert a["running_mean"] == pytest.approx([0.2, 3.0], rel=1e-15)
    assert a["running_var"] == pytest.approx([1.0, 70.9], rel=1e-15)


# --- answer shapes (SPEC) ------------------------------------------------------------------------


def test_plain_vector_gives_vectors_and_numbers():
    a = answers(grad_y="1,0,0,0")
    assert isinstance(a["mean"], float) and isinstance(a["running_var"], float) and isinstance(a["grad_gamma"], float)
    assert len(a["x_hat"]) == 4 and isinstance(a["x_hat"][0], float) and isinstance(a["grad_x"][0], float)


def test_matrix_gives_matrices_and_per_feature_vectors():
    a = answers(batch="7;1;15;9", grad_y="1;0;0;0")  # a 4 × 1 matrix, not a plain vector
    assert a["mean"] == [8.0] and a["var"] == [25.0] and len(a["grad_beta"]) == 1
    assert np.shape(a["x_hat"]) == (4, 1) and np.shape(a["y"]) == (4, 1) and np.shape(a["grad_x"]) == (4, 1)


def test_a_plain_vector_gradient_fits_a_one_column_batch():
    assert np.shape(answers(batch="7;1;15;9", grad_y="1,0,0,0")["grad_x"]) == (4, 1)


def test_answer_keys_and_order_follow_the_spec():
    assert list(answers()) == ["mean", "var", "x_hat", "y", "running_mean", "running_var"]
    assert list(answers(grad_y="1,2,3,4")) == ["mean", "var", "x_hat", "y", "running_mean", "running_var",
                                              "grad_x", "grad_gamma", "grad_beta"]


def test_every_answer_is_derived_by_a_step():
    for options in ({}, {"grad_y": "1,2,3,4"}, {"method": "minmax"}, {"method": "zscore"}, {"method": "maxabs"}):
        derivation = derive("batchnorm", options)
        linked = {key for step in derivation.steps for key in step.answers}
        assert set(derivation.answers) == linked, options


# --- an independent reference: batch norm written from scratch, finite differences ---------------


def reference_forward(X: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    """y = γ(x − mean)/sqrt(var + ε) + β, per column, the plain way."""
    mean = X.sum(axis=0) / len(X)
    var = ((X - mean) ** 2).sum(axis=0) / len(X)
    return gamma * (X - mean) / np.sqrt(var + eps) + beta


def numerical_gradient(f, p: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar function f at p, one coordinate at a time."""
    grad = np.zeros_like(p)
    for index in np.ndindex(p.shape):
        up, down = p.copy(), p.copy()
        up[index] += h
        down[index] -= h
        grad[index] = (f(up) - f(down)) / (2 * h)
    return grad


def matrix_text(M: np.ndarray) -> str:
    return "; ".join(",".join(repr(float(v)) for v in row) for row in M)


def vector_text(v: np.ndarray) -> str:
    return ",".join(repr(float(x)) for x in v)


@pytest.mark.parametrize("seed, m, d", [(0, 4, 1), (1, 5, 3), (2, 12, 2), (3, 2, 4), (4, 30, 7)])
def test_backward_pass_matches_finite_differences(seed, m, d):
    rng = np.random.default_rng(seed)
    X, G = rng.normal(2, 3, (m, d)), rng.normal(0, 1, (m, d))
    gamma, beta, eps = rng.uniform(0.5, 2, d), rng.normal(0, 1, d), 1e-3
    a = answers(batch=matrix_text(X), grad_y=matrix_text(G), gamma=vector_text(gamma), beta=vector_text(beta), eps=repr(eps))

    def loss(X=X, gamma=gamma, beta=beta) -> float:  # L = Σ g ⊙ y, so ∂L/∂y = g
        return float((G * reference_forward(X, gamma, beta, eps)).sum())

    assert np.array(a["y"]) == pytest.approx(reference_forward(X, gamma, beta, eps), rel=1e-10, abs=1e-12)
    assert np.array(a["grad_x"]) == pytest.approx(numerical_gradient(lambda p: loss(X=p), X), rel=1e-5, abs=1e-7)
    assert np.array(a["grad_gamma"]) == pytest.approx(numerical_gradient(lambda p: loss(gamma=p), gamma), rel=1e-6, abs=1e-8)
    assert np.array(a["grad_beta"]) == pytest.approx(numerical_gradient(lambda p: loss(beta=p), beta), rel=1e-6, abs=1e-8)


def test_plain_vector_backward_pass_matches_finite_differences():
    x, g = np.array([0.3, -1.2, 2.5, 0.8, 1.1]), np.array([0.5, -0.1, 0.2, 1.0, -0.7])
    a = answers(batch=vector_text(x), grad_y=vector_text(g), gamma="1.5", beta="-0.5")

    def loss(p: np.ndarray) -> float:
        return float((g[:, None] * reference_forward(p[:, None], np.array([1.5]), np.array([-0.5]), 1e-5)).sum())

    assert a["grad_x"] == pytest.approx(numerical_gradient(loss, x).tolist(), rel=1e-5, abs=1e-7)


def test_constant_feature_uses_epsilon():
    a = answers(batch="3,1; 3,2; 3,4", beta="0.5", grad_y="1,1; 2,0; 0,3")
    # feature 1 is constant: σ² = 0, x̂ = 0/√ε = 0 exactly, y = β; the mean is exactly 3
    assert a["mean"][0] == 3 and a["var"][0] == 0
    assert [row[0] for row in a["x_hat"]] == [0, 0, 0] and [row[0] for row in a["y"]] == [0.5, 0.5, 0.5]
    # ∂L/∂x = γ/(m√ε)·(m g − Σg − 0) = 1/(3√1e-5)·(3g − 3)
    assert [row[0] for row in a["grad_x"]] == pytest.approx([(3 * g - 3) / (3 * math.sqrt(1e-5)) for g in (1, 2, 0)], rel=1e-12)
    notes = derive("batchnorm", {"batch": "3,1; 3,2; 3,4"}).notes
    assert any(n.kind == "warning" and "Feature 1 is constant" in str(n.text) for n in notes)


def test_equal_values_that_do_not_sum_exactly_still_have_variance_zero():
    a = answers(batch="0.1,0.1,0.1")  # 0.1 + 0.1 + 0.1 = 0.30000000000000004 in floating point
    assert a["mean"] == 0.1 and a["var"] == 0 and a["x_hat"] == [0, 0, 0]


def test_tiny_variance_gets_a_warning():
    derivation = derive("batchnorm", {"batch": "1,1.001,1.002"})  # σ² = 6.7e-7 < 100ε
    assert any(n.kind == "warning" and "tiny variance" in str(n.text) for n in derivation.notes)


# --- torch.nn.BatchNorm1d (training mode, float64) and autograd ------------------------------------


TRAINING_CASES = [(0, 4, 1, 1e-5, 0.1), (1, 6, 3, 1e-3, 0.3), (2, 16, 5, 1e-5, 0.0), (3, 2, 2, 0.5, 1.0), (4, 40, 8, 1e-5, 0.01)]


def training_problem(seed: int, m: int, d: int):
    """A random m × d batch, upstream gradient, γ and β."""
    rng = np.random.default_rng(seed)
    X, G = rng.normal(-1, 4, (m, d)), rng.normal(0, 1, (m, d))
    return X, G, rng.uniform(-2, 2, d), rng.normal(0, 1, d)


@pytest.mark.parametrize("seed, m, d, eps, momentum", TRAINING_CASES)
def test_training_step_matches_the_reference_without_torch(seed, m, d, eps, momentum):
    """The torch comparison's twin: the forward pass from scratch, PyTorch's running-statistics
    rule by hand and finite differences, so the same cases run where torch is absent."""
    X, G, gamma, beta = training_problem(seed, m, d)
    a = answers(batch=matrix_text(X), grad_y=matrix_text(G), gamma=vector_text(gamma), beta=vector_text(beta),
                eps=repr(eps), momentum=repr(momentum))

    def loss(X=X, gamma=gamma, beta=beta) -> float:  # L = Σ g ⊙ y, so ∂L/∂y = g
        return float((G * reference_forward(X, gamma, beta, eps)).sum())

    assert np.array(a["y"]) == pytest.approx(reference_forward(X, gamma, beta, eps), rel=1e-10, abs=1e-12)
    # running = (1 − momentum)·initial + momentum·batch statistic; initial mean 0, variance 1; the
    # variance that goes in is the unbiased one, Σ(x − x̄)²/(m − 1)
    mean, unbiased = X.sum(axis=0) / m, ((X - X.sum(axis=0) / m) ** 2).sum(axis=0) / (m - 1)
    assert np.array(a["running_mean"]) == pytest.approx(momentum * mean, rel=1e-12, abs=1e-14)
    assert np.array(a["running_var"]) == pytest.approx((1 - momentum) * 1 + momentum * unbiased, rel=1e-12, abs=1e-14)
    assert np.array(a["grad_x"]) == pytest.approx(numerical_gradient(lambda p: loss(X=p), X), rel=1e-5, abs=1e-7)
    assert np.array(a["grad_gamma"]) == pytest.approx(numerical_gradient(lambda p: loss(gamma=p), gamma), rel=1e-6, abs=1e-8)
    assert np.array(a["grad_beta"]) == pytest.approx(G.sum(axis=0), rel=1e-12, abs=1e-12)  # ∂L/∂β = Σ g


@pytest.mark.parametrize("seed, m, d, eps, momentum", TRAINING_CASES)
def test_matches_torch_batchnorm1d(seed, m, d, eps, momentum):
    torch = pytest.importorskip("torch")
    X, G, gamma, beta = training_problem(seed, m, d)

    layer = torch.nn.BatchNorm1d(d, eps=eps, momentum=momentum, dtype=torch.float64)
    layer.train()
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(gamma))
        layer.bias.copy_(torch.tensor(beta))
    x = torch.tensor(X, requires_grad=True)
    y = layer(x)
    y.backward(torch.tensor(G))

    a = answers(batch=matrix_text(X), grad_y=matrix_text(G), gamma=vector_text(gamma), beta=vector_text(beta),
                eps=repr(eps), momentum=repr(momentum))
    assert np.array(a["y"]) == pytest.approx(y.detach().numpy(), rel=1e-10, abs=1e-12)
    assert np.array(a["running_mean"]) == pytest.approx(layer.running_mean.numpy(), rel=1e-12, abs=1e-14)
    assert np.array(a["running_var"]) == pytest.approx(layer.running_var.numpy(), rel=1e-12, abs=1e-14)
    assert np.array(a["grad_x"]) == pytest.approx(x.grad.numpy(), rel=1e-9, abs=1e-12)
    assert np.array(a["grad_gamma"]) == pytest.approx(layer.weight.grad.numpy(), rel=1e-10, abs=1e-12)
    assert np.array(a["grad_beta"]) == pytest.approx(layer.bias.grad.numpy(), rel=1e-12, abs=1e-12)
    # the batch statistics, against torch's own mean and biased variance
    assert np.array(a["mean"]) == pytest.approx(torch.tensor(X).mean(dim=0).numpy(), rel=1e-12, abs=1e-14)
    assert np.array(a["var"]) == pytest.approx(torch.tensor(X).var(dim=0, unbiased=False).numpy(), rel=1e-12)


# --- the notes' other normalizations -------------------------------------------------------------


def test_zscore_textbook_example_by_hand():
    a = answers(method="zscore", batch="2,4,4,4,5,5,7,9")
    # mean = 40/8 = 5; σ² = (9 + 1 + 1 + 1 + 0 + 0 + 4 + 16)/8 = 32/8 = 4; σ = 2 (population SD)
    assert (a["mean"], a["var"], a["sd"]) == (5, 4, 2)
    assert a["x_hat"] == [-1.5, -0.5, -0.5, -0.5, 0, 0, 1, 2]
    assert list(a) == ["mean", "var", "sd", "x_hat"]


def test_zscore_matches_scipy():
    from scipy import stats

    X = np.random.default_rng(7).normal(3, 2, (9, 4))
    a = answers(method="zscore", batch=matrix_text(X))
    assert np.array(a["x_hat"]) == pytest.approx(stats.zscore(X, axis=0, ddof=0), rel=1e-12, abs=1e-14)
    assert np.array(a["sd"]) == pytest.approx(np.std(X, axis=0, ddof=0), rel=1e-12)


def test_minmax_by_hand():
    a = answers(method="minmax", batch="2,4,4,4,5,5,7,9")
    # min = 2, max = 9: (x − 2)/7
    assert (a["min"], a["max"]) == (2, 9)
    assert a["x_hat"] == pytest.approx([0, 2 / 7, 2 / 7, 2 / 7, 3 / 7, 3 / 7, 5 / 7, 1], rel=1e-15)
    assert list(a) == ["min", "max", "x_hat"]


def test_minmax_and_maxabs_per_feature():
    X = np.array([[-12.0, 3.0], [3.0, -1.0], [6.0, 2.0], [9.0, 0.0]])
    minmax = answers(method="minmax", batch=matrix_text(X))
    assert np.array(minmax["x_hat"]) == pytest.approx((X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0)), rel=1e-15)
    maxabs = answers(method="maxabs", batch=matrix_text(X))
    # column 1: max|x| = 12 → −1, 0.25, 0.5, 0.75; column 2: max|x| = 3 → 1, −1/3, 2/3, 0
    assert maxabs["max_abs"] == [12, 3]
    assert np.array(maxabs["x_hat"]) == pytest.approx(np.array([[-1, 1], [0.25, -1 / 3], [0.5, 2 / 3], [0.75, 0]]), rel=1e-15)


def test_maxabs_names_the_notes_error_with_this_batch():
    notes = derive("batchnorm", {"method": "maxabs", "batch": "-12,3,6,9"}).notes
    erratum = [n for n in notes if n.kind == "erratum"]
    assert len(erratum) == 1
    text = to_text.render(derive("batchnorm", {"method": "maxabs", "batch": "-12,3,6,9"}), decimals=4)
    # the notes' x/|x_max| divides by |9|: −12/9 = −1.3333, outside [−1, 1]
    assert "|xₘₐₓ| = 9 but maxᵢ |xᵢ| = 12" in text and "−1.3333" in text


# --- bad inputs (the CLI shows them; tests/topics/batchnorm/test_cli_batchnorm.py checks the exit code) --------------


@pytest.mark.parametrize("options, where, words", [
    ({"batch": "5"}, "--batch", "m ≥ 2"),
    ({"batch": "1,2,3", "gamma": "1,2"}, "--gamma", "1 feature"),
    ({"batch": "1,2; 3,4", "beta": "1,2,3"}, "--beta", "2 features"),
    ({"grad_y": "1,2"}, "--grad-y", "2 values but --batch has 4 values"),
    ({"batch": "3,3,3", "eps": "0"}, "--eps", "constant"),
    ({"method": "minmax", "momentum": "0.5"}, "--momentum", "applies only to --method batchnorm"),
    ({"method": "zscore", "batch": "1,2; 1,3"}, "--batch (feature 1)", "every value is 1"),
    ({"method": "maxabs", "batch": "0,0,0"}, "--batch", "every value is 0"),
    ({"batch": "1e200,-1e200"}, "--batch", "overflow"),
])
def test_bad_inputs_name_the_option(options, where, words):
    with pytest.raises(InputError) as error:
        derive("batchnorm", options)
    assert error.value.where == where and words in error.value.problem


def test_problem_file_values(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('command = "batchnorm"\nbatch = [[1, 10], [2, 20], [3, 60]]\ngamma = [1, 0.5]\ngrad_y = "1,0; 0,1; 0,0"\n')
    derivation = derive("batchnorm", {}, str(path))
    assert derivation.inputs["batch"] == [[1, 10], [2, 20], [3, 60]] and derivation.inputs["gamma"] == [1, 0.5]
    assert np.shape(derivation.answers["grad_x"]) == (3, 2)


def test_a_one_row_matrix_is_a_batch_of_one_example(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('command = "batchnorm"\nbatch = [[1, 2, 3]]\n')
    with pytest.raises(InputError) as error:
        derive("batchnorm", {}, str(path))
    assert error.value.where == "--batch" and "1 example (row)" in error.value.problem


def test_same_inputs_give_byte_identical_output():
    options = {"batch": "1,10; 2,20; 3,60", "grad_y": "1,0; 0,1; 0,0"}
    assert to_json.render(derive("batchnorm", options)) == to_json.render(derive("batchnorm", options))
    assert to_text.render(derive("batchnorm", options), 4) == to_text.render(derive("batchnorm", options), 4)


def test_output_says_when_epsilon_matters():
    text = to_text.render(derive("batchnorm", {}), decimals=4)
    assert "ε matters only when σ_B² is 0" in text
    assert "μ_B = (7 + 1 + 15 + 9)/4 = 32/4 = 8" in text
    assert "σ_B² = ((7 − 8)² + (1 − 8)² + (15 − 8)² + (9 − 8)²)/4 = (1 + 49 + 49 + 1)/4 = 100/4 = 25" in text
    assert "running_var = 0.9 · 1 + 0.1 · 33.3333 = 4.2333" in text


def test_large_batches_switch_to_tables():
    X = np.random.default_rng(5).normal(size=(20, 6))
    text = to_text.render(derive("batchnorm", {"batch": matrix_text(X)}), decimals=4)
    assert "mean of each feature" in text and "⋮" in text  # per-feature table; long x̂ table elided
