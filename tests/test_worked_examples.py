"""Every problem file in worked_examples/ (not the students' answers files) names its command,
solves without error, and gets at least one answer right against a value from outside the
solver: the course notes' right answers (NOTES-PROBLEMS.md, by §), a published value, a hand
formula written here, or numpy/scipy computed here from the file's own numbers."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from dlsolve import commands
from dlsolve.commands.examples import read_examples
from dlsolve.core.problem_file import read_table
from dlsolve.runner import derive

EXAMPLES = [example.path for example in read_examples(Path(__file__).parent.parent / "worked_examples")]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_worked_example_solves(path):
    command = read_table(str(path))["command"]
    assert command in commands.names()
    derivation = derive(command, {}, str(path))
    assert derivation.steps and derivation.answers


# --- independent references, written from scratch -----------------------------------------------


def numeric_gradient(f: Callable[[], float], p: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of f() with respect to the array p, changed in place and restored."""
    grad = np.zeros_like(p)
    for index in np.ndindex(p.shape):
        old = p[index]
        p[index] = old + h
        up = f()
        p[index] = old - h
        down = f()
        p[index] = old
        grad[index] = (up - down) / (2 * h)
    return grad


ACTIVATIONS = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh}


def network_loss(Ws, bs, acts, x, t, loss) -> float:
    a = x
    for W, b, f in zip(Ws, bs, acts):
        a = ACTIVATIONS[f](W @ a + b)
    if loss == "mse":
        return float(0.5 * np.sum((t - a) ** 2))
    return float(-np.sum(t * np.log(a) + (1 - t) * np.log(1 - a)))


def gradient_descent(problem: dict) -> tuple[list[float], list[np.ndarray], list[np.ndarray]]:
    """Plain gradient descent on the file's network with finite-difference gradients:
    the loss before each step, then the final weights and biases."""
    Ws = [np.array(W, float) for W in problem["weights"]]
    raw_biases = problem["biases"]
    bs = [np.full(len(W), float(b)) if np.ndim(b) == 0 else np.array(b, float) for W, b in zip(Ws, raw_biases)]
    acts = problem["activation"] if isinstance(problem["activation"], list) else [problem["activation"]] * len(Ws)
    x, t = np.array(problem["x"], float), np.array(problem["target"], float)
    history = []
    for _ in range(problem.get("epochs", 1)):
        def f() -> float:
            return network_loss(Ws, bs, acts, x, t, problem["loss"])

        history.append(f())
        gW = [numeric_gradient(f, W) for W in Ws]
        gb = [numeric_gradient(f, b) for b in bs]
        Ws = [W - problem["lr"] * g for W, g in zip(Ws, gW)]
        if problem.get("update_biases", False):
            bs = [b - problem["lr"] * g for b, g in zip(bs, gb)]
    return history, Ws, bs


def batchnorm_forward(X: np.ndarray, gamma, beta, eps: float) -> np.ndarray:
    return gamma * (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + eps) + beta


def gaussian_phi(inputs, centers, sigma: float) -> np.ndarray:
    """φ[i, j] = exp(−‖xᵢ − cⱼ‖²/(2σ²))."""
    X, C = np.array(inputs, float), np.array(centers, float)
    return np.exp(-((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2) / (2 * sigma**2))


def least_squares_weights(problem: dict) -> np.ndarray:
    """[φ 1][w; b] = t by numpy's least squares (the minimum-norm solution when underdetermined)."""
    phi = gaussian_phi(problem["inputs"], problem["centers"], problem["sigma"])
    solution, *_ = np.linalg.lstsq(np.hstack([phi, np.ones((len(phi), 1))]), np.array(problem["targets"], float), rcond=None)
    return solution


def som_epochs(problem: dict) -> tuple[list[int], np.ndarray]:
    """Kohonen training from scratch: the nearest unit (squared distance, first on ties) and its
    neighbours on the line within the radius move η(x − w); η is multiplied by lr_decay each epoch."""
    W, lr = np.array(problem["weights"], float), problem["lr"]
    winners = []
    for _ in range(problem.get("epochs", 1)):
        for x in np.array(problem["samples"], float):
            winner = int(np.argmin(((W - x) ** 2).sum(axis=1)))
            winners.append(winner + 1)
            for unit in range(max(0, winner - problem.get("radius", 0)), min(len(W), winner + problem.get("radius", 0) + 1)):
                W[unit] += lr * (x - W[unit])
        lr *= problem.get("lr_decay", 1.0)
    return winners, W


def layer_counts(answers: dict) -> list[int]:
    return [layer["params"] for layer in answers["layers"]]


def layer_shapes(answers: dict) -> list[list[int | None]]:
    return [layer["output_shape"] for layer in answers["layers"]]


# --- one check per example -------------------------------------------------------------------------


def activation_by_formulas(a: dict, problem: dict) -> None:
    # the textbook formulas written here (NOTES-PROBLEMS §9), at the file's x; softmax by scipy
    from scipy.special import expit, softmax

    x = np.array(problem["x"])
    formulas = {"sigmoid": (expit(x), expit(x) * expit(-x)), "tanh": (np.tanh(x), 1 / np.cosh(x) ** 2),
                "swish": (x * expit(x), expit(x) + x * expit(x) * expit(-x)), "relu": (np.maximum(x, 0), (x > 0) * 1.0)}
    for name, (value, slope) in formulas.items():
        if name in a["values"]:
            assert a["values"][name] == pytest.approx(value.tolist(), rel=1e-12, abs=1e-300), name
            assert a["derivatives"][name] == pytest.approx(slope.tolist(), rel=1e-9, abs=1e-300), name
    if "softmax" in a["values"]:
        s = softmax(x)
        assert a["values"]["softmax"] == pytest.approx(s.tolist(), rel=1e-12)
        assert np.allclose(a["derivatives"]["softmax"], np.diag(s) - np.outer(s, s), rtol=1e-12, atol=1e-17)


def activation_notes(a: dict, problem: dict) -> None:
    activation_by_formulas(a, problem)
    assert a["values"]["sigmoid"][4] == pytest.approx(0.8807971, abs=1e-7)  # σ(2) = 1/(1 + e⁻²), the 0.8808
    assert a["derivatives"]["sigmoid"][4] == pytest.approx(0.1049936, abs=1e-7)  # 0.8807971 · 0.1192029


def activation_saturation(a: dict, problem: dict) -> None:
    activation_by_formulas(a, problem)
    assert a["derivatives"]["sigmoid"][0] == pytest.approx(3.720076e-44, rel=1e-6)  # e⁻¹⁰⁰ (NOTES-PROBLEMS §9: not 26 × 10⁻⁴²)


def backprop_notes(a: dict, problem: dict) -> None:
    # NOTES-PROBLEMS §1, the published values
    assert a["hidden"][0] == pytest.approx([0.593269992, 0.596884378], abs=5e-10)
    assert a["outputs"] == pytest.approx([0.751365070, 0.772928465], abs=5e-10)
    assert a["loss"] == pytest.approx(0.298371109, abs=5e-10)
    assert np.ravel(a["weights"][1]) == pytest.approx([0.358916480, 0.408666186, 0.511301270, 0.561370121], abs=5e-10)
    assert np.ravel(a["weights"][0]) == pytest.approx([0.149780716, 0.199561432, 0.249751144, 0.299502287], abs=5e-10)


def backprop_by_finite_differences(a: dict, problem: dict) -> None:
    history, Ws, bs = gradient_descent(problem)
    assert a["loss_history"] == pytest.approx(history, rel=1e-10)
    for got, want in zip(a["weights"], Ws):
        np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-10)
    for got, want in zip(a["biases"], bs):
        np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-10)


def backprop_bce(a: dict, problem: dict) -> None:
    # the notes' network (§1): y = 0.751365070, 0.772928465, now under the cross-entropy
    # E = −[0.01 ln y₁ + 0.99 ln(1 − y₁)] − [0.99 ln y₂ + 0.01 ln(1 − y₂)]
    y = (0.751365070, 0.772928465)
    assert a["loss"] == pytest.approx(-(0.01 * math.log(y[0]) + 0.99 * math.log(1 - y[0]) + 0.99 * math.log(y[1])
                                        + 0.01 * math.log(1 - y[1])), rel=1e-8)
    backprop_by_finite_differences(a, problem)


def batchnorm_default(a: dict, problem: dict) -> None:
    # NOTES-PROBLEMS §5's formulas on 7, 1, 15, 9: μ = 32/4 = 8, σ² = (1 + 49 + 49 + 1)/4 = 25
    assert (a["mean"], a["var"]) == (8, 25)
    assert a["y"] == pytest.approx([(x - 8) / math.sqrt(25 + 1e-5) for x in (7, 1, 15, 9)], rel=1e-14)
    # running: 0.9·0 + 0.1·8 = 0.8; 0.9·1 + 0.1·(100/3) = 4.2333… (the unbiased variance)
    assert (a["running_mean"], a["running_var"]) == (pytest.approx(0.8), pytest.approx(0.9 + 10 / 3))


def batchnorm_backward(a: dict, problem: dict) -> None:
    x, g = np.array(problem["batch"], float)[:, None], np.array(problem["grad_y"], float)[:, None]
    eps = 1e-5  # the default

    def loss() -> float:
        return float((g * batchnorm_forward(x, problem["gamma"], problem["beta"], eps)).sum())

    assert a["y"] == pytest.approx(batchnorm_forward(x, 2, 0.5, eps).ravel().tolist(), rel=1e-12)
    assert a["grad_x"] == pytest.approx(numeric_gradient(loss, x).ravel().tolist(), rel=1e-5, abs=1e-8)
    assert a["grad_beta"] == pytest.approx(0.1 - 0.2 + 0.3 + 0.4)  # Σ g


def batchnorm_features(a: dict, problem: dict) -> None:
    X = np.array(problem["batch"], float)
    gamma, beta = np.array(problem["gamma"]), np.array(problem["beta"])
    assert np.array(a["y"]) == pytest.approx(batchnorm_forward(X, gamma, beta, 1e-5), rel=1e-12, abs=1e-15)
    assert a["running_var"] == pytest.approx((0.9 + 0.1 * X.var(axis=0, ddof=1)).tolist(), rel=1e-14)


def batchnorm_maxabs(a: dict, problem: dict) -> None:
    # x/max|x| with max|x| = |−12| = 12 (not the notes' x_max = 9)
    assert a["x_hat"] == pytest.approx([-12 / 12, 3 / 12, 6 / 12, 9 / 12], rel=1e-15)


def batchnorm_minmax(a: dict, problem: dict) -> None:
    # (x − 2)/(9 − 2)
    assert a["x_hat"] == pytest.approx([(x - 2) / 7 for x in problem["batch"]], rel=1e-15)


def batchnorm_zscore(a: dict, problem: dict) -> None:
    from scipy import stats

    assert a["x_hat"] == pytest.approx(stats.zscore(problem["batch"]).tolist(), rel=1e-14, abs=1e-15)
    assert a["sd"] == 2  # the description's population SD


def conv_params_lstm(a: dict, problem: dict) -> None:
    # NOTES-PROBLEMS §7: Embedding 1000·64 = 64,000; LSTM 4 × (128·64 + 128·128 + 128) = 98,816
    assert layer_counts(a) == [64_000, 98_816] and a["total_params"] == 162_816


def conv_params_notes(a: dict, problem: dict) -> None:
    # NOTES-PROBLEMS §7: 3·3·3·32 + 32 = 896 → 30×30×32; pooling 15×15×32; 3·3·32·64 + 64 = 18,496 → 13×13×64
    assert layer_counts(a) == [896, 0, 18_496]
    assert layer_shapes(a) == [[30, 30, 32], [15, 15, 32], [13, 13, 64]]


def conv_params_pytorch_lstm(a: dict, problem: dict) -> None:
    # PyTorch has two bias vectors per gate: 4 × (128·64 + 128·128 + 2·128) = 4 × 24,832 = 99,328
    assert layer_counts(a) == [1000 * 64, 4 * (128 * 64 + 128 * 128 + 2 * 128)]


def conv_params_rnn(a: dict, problem: dict) -> None:
    # NOTES-PROBLEMS §7: W_xh 10×5, W_hh 10×10 (+ 10 biases) = 160; W_hy 20×10 (+ 20 biases) = 220
    assert layer_counts(a) == [10 * 5 + 10 * 10 + 10, 20 * 10 + 20]
    assert layer_shapes(a) == [[None, 10], [None, 20]]


def conv_params_strided(a: dict, problem: dict) -> None:
    # Conv2D(16, 3, strides=2, same) on 28×28×1: ⌈28/2⌉ = 14; 3·3·1·16 + 16 = 160
    # BatchNormalization on 16 channels: 4·16 = 64, of which γ, β = 32 trainable and the moving mean, variance 32 not
    # max pooling 7×7×16; global average pooling 16; Dense(10): 16·10 + 10 = 170
    assert layer_counts(a) == [160, 64, 0, 0, 0, 170]
    assert layer_shapes(a) == [[14, 14, 16], [14, 14, 16], [7, 7, 16], [16], [16], [10]]
    assert (a["total_params"], a["trainable_params"], a["non_trainable_params"]) == (394, 362, 32)


def kl_discrete(a: dict, problem: dict) -> None:
    from scipy import stats

    p, q = problem["p"], [1 / 3] * 3
    assert a["kl"] == pytest.approx(0.0852996, abs=1e-7)  # Wikipedia, "Kullback–Leibler divergence", basic example
    assert a["kl"] == pytest.approx(stats.entropy(p, q), rel=1e-12)
    assert a["reverse"] == pytest.approx(stats.entropy(q, p), rel=1e-12)
    assert a["cross_entropy"] == pytest.approx(math.log(3), rel=1e-14)


def kl_gaussian(a: dict, problem: dict) -> None:
    # ln(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½ = ln 2 + 2/8 − ½
    assert a["kl"] == pytest.approx(math.log(2) + 2 / 8 - 0.5, rel=1e-14)


def kl_vae_logvar(a: dict, problem: dict) -> None:
    # ½(σ² + μ² − ln σ² − 1) per dimension with σ² = e^(log σ²)
    mu, log_var = np.array(problem["mu"]), np.array(problem["log_var"])
    terms = 0.5 * (np.exp(log_var) + mu**2 - log_var - 1)
    assert a["terms"] == pytest.approx(terms.tolist(), rel=1e-12, abs=1e-15)


def kl_vae(a: dict, problem: dict) -> None:
    # NOTES-PROBLEMS §6: the right formula ½ Σ (σᵢ² + μᵢ² − log σᵢ² − 1), not the notes' Σ (σᵢ² + μᵢ² − log σᵢ − 1)
    mu, sigma = np.array(problem["mu"]), np.array(problem["sigma"])
    assert a["kl"] == pytest.approx(0.5 * float(np.sum(sigma**2 + mu**2 - np.log(sigma**2) - 1)), rel=1e-12)
    assert a["kl"] == pytest.approx(0.887678, abs=1e-6)


def optimizer_reference(problem: dict) -> dict[str, list[list[float]]]:
    """Each method's w after every step, from the update rules written out here in plain
    floats (PyTorch's forms; the notes' EMA momentum when the file asks for it)."""
    a, c = problem.get("curvature", [2.0]), problem.get("center", [0.0])
    grads, lr, beta = problem.get("grads"), problem["lr"], problem.get("beta", 0.9)
    steps = len(grads) if grads else problem["steps"]
    ema = problem.get("momentum_form") == "ema"
    out = {}
    for method in problem["method"]:
        history = []
        for i, w in enumerate(problem["w0"]):
            v = m = s = 0.0
            ws = []
            for t in range(1, steps + 1):
                g = grads[t - 1][i] if grads else (a[i] if len(a) > 1 else a[0]) * (w - (c[i] if len(c) > 1 else c[0]))
                if method == "gd":
                    w -= lr * g
                elif method in ("momentum", "nesterov"):
                    v = beta * v + ((1 - beta) * g if ema and method == "momentum" else g)
                    w -= lr * (v if method == "momentum" else g + beta * v)
                elif method == "adagrad":
                    s += g * g
                    w -= lr * g / (math.sqrt(s) + 1e-8)
                elif method == "rmsprop":
                    s = 0.9 * s + 0.1 * g * g
                    w -= lr * g / (math.sqrt(s) + 1e-8)
                else:
                    m, s = 0.9 * m + 0.1 * g, 0.999 * s + 0.001 * g * g
                    w -= lr * (m / (1 - 0.9**t)) / (math.sqrt(s / (1 - 0.999**t)) + 1e-8)
                ws.append(w)
            history.append(ws)
        out[method] = [list(step) for step in zip(*history)]
    return out


def optimizer_steps(a: dict, problem: dict) -> None:
    for method, expected in optimizer_reference(problem).items():
        np.testing.assert_allclose(a["params"][method], expected, rtol=1e-12, atol=1e-15)


def optimizer_notes(a: dict, problem: dict) -> None:
    optimizer_steps(a, problem)
    # GD on w² from 1 with η = 0.1 (the hand values); momentum 0.8, 0.46, 0.062 (worked in the file)
    assert [w[0] for w in a["params"]["gd"]] == pytest.approx([0.8, 0.64, 0.512], abs=1e-15)
    assert [w[0] for w in a["params"]["momentum"]] == pytest.approx([0.8, 0.46, 0.062], abs=1e-14)


def optimizer_adam_grads(a: dict, problem: dict) -> None:
    optimizer_steps(a, problem)
    # m̂₂ = 0.025/0.19, v̂₂ = 0.00028975/0.001999 (worked in the file)
    assert a["state"]["adam"]["m_hat"][1][0] == pytest.approx(0.025 / 0.19, rel=1e-12)
    assert a["state"]["adam"]["v_hat"][1][0] == pytest.approx(0.00028975 / 0.001999, rel=1e-12)


def rbf_least_squares(a: dict, problem: dict) -> None:
    assert np.array(a["phi"]) == pytest.approx(gaussian_phi(problem["inputs"], problem["centers"], problem["sigma"]), rel=1e-14)
    assert a["weights"] + [a["bias"]] == pytest.approx(least_squares_weights(problem).tolist(), rel=1e-8, abs=1e-10)
    assert a["predictions"] == problem["targets"]


def rbf_two_centers(a: dict, problem: dict) -> None:
    # the file's own derivation: w = 1/(2e^(−1/2) − 1 − e^(−1)) = −6.45919, b = −w(1 + e^(−1)) = 8.83540
    w = 1 / (2 * math.exp(-0.5) - 1 - math.exp(-1))
    assert a["weights"] == pytest.approx([w, w], rel=1e-10)
    assert a["bias"] == pytest.approx(-w * (1 + math.exp(-1)), rel=1e-10)
    rbf_least_squares(a, problem)


def rbf_notes(a: dict, problem: dict) -> None:
    # NOTES-PROBLEMS §2: with unrounded h the outputs are −0.00255 (for (0,0)) and 0.26064 (for (1,0))
    assert a["outputs"] == pytest.approx([-0.00255, 0.26064, 0.26064, -0.00255], abs=5e-6)
    phi = gaussian_phi(problem["inputs"], problem["centers"], 1.0)
    assert a["outputs"] == pytest.approx((phi @ np.array(problem["weights"])).tolist(), rel=1e-14)
    assert a["predictions"] == [0, 1, 1, 0]


def som_notes(a: dict, problem: dict) -> None:
    # NOTES-PROBLEMS §3: d² = (0.87, 1.1), (0.8992, 0.9), (2.2159, 1.1), (2.0559, 1.296)
    assert np.array(a["distances"]) == pytest.approx(np.array([[0.87, 1.1], [0.8992, 0.9], [2.2159, 1.1], [2.0559, 1.296]]), abs=5e-5)
    assert a["weights"] == [pytest.approx([0.888, 0.08, 0.352, 0.032]), pytest.approx([0.336, 0.952, 0.904, 0.288])]
    assert a["clusters"] == [1, 1, 2, 2]
    som_from_scratch(a, problem)


def som_from_scratch(a: dict, problem: dict) -> None:
    winners, W = som_epochs(problem)
    assert a["winners"] == winners
    np.testing.assert_allclose(a["weights"], W, rtol=1e-12, atol=1e-15)


def ttest_notes_a(a: dict, problem: dict) -> None:
    from scipy import stats

    # NOTES-PROBLEMS §4 A: t = (42 − 44)/(6/√19) = −1.45, df = 19, t_tab = 2.093, accept H0
    assert a["statistic"] == pytest.approx(-2 / (6 / math.sqrt(19)), rel=1e-12) and round(a["statistic"], 2) == -1.45
    assert a["df"] == 19 and round(a["critical"], 3) == 2.093 and a["reject"] is False
    assert a["critical"] == pytest.approx(stats.t.ppf(0.975, 19), rel=1e-12)


def ttest_notes_b(a: dict, problem: dict) -> None:
    from scipy import stats

    # NOTES-PROBLEMS §4 B: x̄ = 28.2, s = 6.8767, t = 0.0920, df = 9, one-tailed, t_tab = 1.833, accept H0
    assert (a["mean"], round(a["sd"], 4), round(a["statistic"], 4), a["df"]) == (pytest.approx(28.2), 6.8767, 0.0920, 9)
    assert round(a["critical"], 3) == 1.833 and a["reject"] is False
    scipy_t = stats.ttest_1samp(problem["data"], 28, alternative="greater")
    assert (a["statistic"], a["p_value"]) == (pytest.approx(scipy_t.statistic, rel=1e-12), pytest.approx(scipy_t.pvalue, rel=1e-9))


def ttest_paired(a: dict, problem: dict) -> None:
    from scipy import stats

    scipy_t = stats.ttest_rel(problem["data"], problem["data2"], alternative="greater")  # "improved": after > before
    assert (a["statistic"], a["p_value"]) == (pytest.approx(scipy_t.statistic, rel=1e-12), pytest.approx(scipy_t.pvalue, rel=1e-9))
    assert a["df"] == 7 and a["reject"] is True


def ttest_two_sample(a: dict, problem: dict) -> None:
    from scipy import stats

    scipy_t = stats.ttest_ind(problem["data"], problem["data2"])  # pooled SD
    assert (a["statistic"], a["p_value"]) == (pytest.approx(scipy_t.statistic, rel=1e-12), pytest.approx(scipy_t.pvalue, rel=1e-9))
    assert a["df"] == 6 + 7 - 2 and a["critical"] == pytest.approx(stats.t.ppf(0.975, 11), rel=1e-12)


def ttest_z_large(a: dict, problem: dict) -> None:
    from scipy import stats

    # n = 50 > 30: a z-test (NOTES-PROBLEMS §4's rule); the SD is given, so the notes divide by √(n − 1):
    # z = (52.5 − 50)/(7/√49) = 2.5; one-tailed ("more than"): z_tab = Φ⁻¹(0.95) = 1.645, reject H0
    assert (a["test"], a["statistic"]) == ("z", pytest.approx(2.5, rel=1e-14))
    assert a["critical"] == pytest.approx(stats.norm.ppf(0.95), rel=1e-12)
    assert a["p_value"] == pytest.approx(stats.norm.sf(2.5), rel=1e-9) and a["reject"] is True


def convolve_by_scipy(a: dict, problem: dict) -> None:
    """SciPy's correlate2d (convolve2d for --mode convolution) on each zero-padded channel, summed,
    every stride-th value, plus the bias; then ReLU and 2×2 max pooling by NumPy reshapes."""
    from scipy import signal

    images = np.array(problem["image"], dtype=float).reshape(-1, *np.shape(problem["image"])[-2:])
    kernels = np.array(problem["kernel"], dtype=float).reshape(-1, *np.shape(problem["kernel"])[-2:])
    slide = signal.convolve2d if problem.get("mode") == "convolution" else signal.correlate2d
    P, S = problem.get("padding", 0), problem.get("stride", 1)
    z = sum(slide(np.pad(x, P), k, "valid") for x, k in zip(images, kernels))[::S, ::S] + problem.get("bias", 0)
    assert a["output_shape"] == list(z.shape) and np.array_equal(a["feature_map"], z)
    if problem.get("pool") == "max":
        relu = np.maximum(z, 0)
        h, w = relu.shape[0] // 2, relu.shape[1] // 2
        assert np.array_equal(a["pooled"], relu[: 2 * h, : 2 * w].reshape(h, 2, w, 2).max(axis=(1, 3)))


def convolve_notes(a: dict, problem: dict) -> None:
    assert a["feature_map"] == [[4, 3, 4], [2, 4, 3], [2, 3, 4]]  # the widely published answer
    convolve_by_scipy(a, problem)


def early_stopping_by_hand(stop: int | None, best: int, best_loss: float, wait: list[int]) -> Callable[[dict, dict], None]:
    """The run worked by hand in the file's comments (Keras' rule: L < best − min_delta improves)."""
    def check(a: dict, problem: dict) -> None:
        assert (a["stop_epoch"], a["best_epoch"], a["restored_epoch"], a["wait"]) == (stop, best, best, wait)
        assert a["best_loss"] == best_loss == problem["val_loss"][best - 1]
    return check


def metrics_notes(a: dict, problem: dict) -> None:
    # NOTES-PROBLEMS §11 formulas on TP 8, FN 2, FP 12, TN 78: (8 + 78)/100, 8/20, 8/10, 78/90, 2·0.4·0.8/1.2
    assert a["matrix"] == [[78, 12], [2, 8]]
    assert (a["accuracy"], a["precision"], a["recall"]) == (pytest.approx(0.86), pytest.approx(0.4), pytest.approx(0.8))
    assert a["specificity"] == pytest.approx(78 / 90) and a["f1"] == pytest.approx(16 / 30)


def metrics_from_sklearn(a: dict, problem: dict) -> None:
    """The file's matrix or label vectors through sklearn.metrics (a hand value where sklearn is absent)."""
    if "matrix" in problem:
        m = problem["matrix"]
        actual = [i for i, row in enumerate(m) for j, n in enumerate(row) for _ in range(n)]
        predicted = [j for i, row in enumerate(m) for j, n in enumerate(row) for _ in range(n)]
    else:
        actual, predicted = problem["actual"], problem["predicted"]
    # by hand: accuracy = Σ diagonal / N
    assert a["accuracy"] == pytest.approx(sum(a["matrix"][k][k] for k in range(len(a["matrix"]))) / len(actual))
    metrics = pytest.importorskip("sklearn.metrics")
    assert a["matrix"] == metrics.confusion_matrix(actual, predicted).tolist()
    for average in ("macro", "micro", "weighted"):
        p, r, f, _ = metrics.precision_recall_fscore_support(actual, predicted, average=average, zero_division=0)
        assert [a[average][k] for k in ("precision", "recall", "f1")] == pytest.approx([p, r, f], rel=1e-12)
    p, r, f, support = metrics.precision_recall_fscore_support(actual, predicted, average=None, zero_division=0)
    assert a["per_class"]["f1"] == pytest.approx(f.tolist(), rel=1e-12) and a["per_class"]["support"] == support.tolist()


def regularize_notes(a: dict, problem: dict) -> None:
    # NOTES-PROBLEMS §13: (1/n)Σ(y − ŷ)² + λΣ|w| or + λΣw² (no ½); the file's hand values
    w, lam = np.array(problem["weights"]), problem["lam"]
    mse = float(np.mean((np.array(problem["y"]) - np.array(problem["y_hat"])) ** 2))
    assert a["data_loss"] == pytest.approx(0.29 / 3, rel=1e-14) == pytest.approx(mse, rel=1e-14)
    assert a["cost"]["l1"] == pytest.approx(mse + lam * np.abs(w).sum(), rel=1e-14) == pytest.approx(0.346667, abs=1e-6)
    assert a["cost"]["l2"] == pytest.approx(mse + lam * (w**2).sum(), rel=1e-14) == pytest.approx(0.329667, abs=1e-6)
    assert a["grad"]["l1"] == pytest.approx([0.1, -0.1, 0.1, 0.0]) and a["grad"]["l2"] == pytest.approx([0.1, -0.24, 0.16, 0.0])


def regularize_l1_vs_l2(a: dict, problem: dict) -> None:
    # by hand: L1 moves each weight ηλ = 0.1 toward 0 and stops it there; L2 multiplies by 0.8 per step
    w = np.array(problem["weights"])
    assert a["history"]["l1"][-1] == [0.0, pytest.approx(-0.7, rel=1e-14), 0.0, 0.0]
    assert a["history"]["l2"][-1] == pytest.approx((w * 0.8**5).tolist(), rel=1e-12)


def regularize_dropout(a: dict, problem: dict) -> None:
    # kept units × 1/(1 − 0.2) = 1.25; the test-time network is the identity
    assert a["output"] == pytest.approx([1.0, 0.0, 1.875, 0.75, 0.0, 0.5], rel=1e-15)
    assert a["test_output"] == problem["activations"]


def regularize_elastic(a: dict, problem: dict) -> None:
    # scikit-learn's ElasticNet penalty α(r‖w‖₁ + ½(1 − r)‖w‖²) with α = 0.2, r = 0.5: 0.2(0.3 + 0.05) = 0.07
    assert a["penalty"]["elastic"] == pytest.approx(0.07, rel=1e-14)
    assert a["updated"]["elastic"] == pytest.approx([0.356, -0.178, -0.005], rel=1e-13)


def rnn_notes(a: dict, problem: dict) -> None:
    # NOTES-PROBLEMS §7: W_xh 10×5, W_hh 10×10, W_hy 20×10; Keras: 10·5 + 10·10 + 10 + 10·20 + 20 = 380
    assert [a["shapes"][k] for k in ("W_xh", "W_hh", "W_hy")] == [[10, 5], [10, 10], [20, 10]] and a["params"] == 380


def _sigmoid(v: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-v))


def rnn_tanh(a: dict, problem: dict) -> None:
    W, U, b = (np.array(problem[k]) for k in ("w_ih", "w_hh", "b_ih"))
    h = np.zeros(2)
    for t, x in enumerate(problem["x"]):  # h_t = tanh(W x_t + U h_{t−1} + b), y_t = W_hy h_t + b_y
        h = np.tanh(W @ x + U @ h + b)
        assert a["h"][t] == pytest.approx(h.tolist(), rel=1e-13)
        assert a["y"][t] == pytest.approx((np.array(problem["w_hy"]) @ h + problem["b_y"]).tolist(), rel=1e-13)


def rnn_lstm_step(a: dict, problem: dict) -> None:
    pre = np.array(problem["w_ih"]) @ problem["x"][0] + np.array(problem["w_hh"]) @ problem["h0"] + problem["b_ih"]
    i, f, g, o = _sigmoid(pre[0]), _sigmoid(pre[1]), np.tanh(pre[2]), _sigmoid(pre[3])  # rows i, f, g, o
    c = f * problem["c0"][0] + i * g
    assert a["c"][0] == pytest.approx([c], rel=1e-13) and a["h"][0] == pytest.approx([o * np.tanh(c)], rel=1e-13)


def rnn_gru_step(a: dict, problem: dict) -> None:
    Wx, Wh = np.array(problem["w_ih"]).reshape(3, 2, 2), np.array(problem["w_hh"]).reshape(3, 2, 2)  # rows r, z, n
    bx, bh = np.array(problem["b_ih"]).reshape(3, 2), np.array(problem["b_hh"]).reshape(3, 2)
    x, h = np.array(problem["x"][0]), np.array(problem["h0"])
    r = _sigmoid(Wx[0] @ x + bx[0] + Wh[0] @ h + bh[0])
    z = _sigmoid(Wx[1] @ x + bx[1] + Wh[1] @ h + bh[1])
    n = np.tanh(Wx[2] @ x + bx[2] + r * (Wh[2] @ h + bh[2]))  # torch.nn.GRUCell's documented placement of r
    assert a["gates"][0]["n"] == pytest.approx(n.tolist(), rel=1e-13)
    assert a["h"][0] == pytest.approx(((1 - z) * n + z * h).tolist(), rel=1e-13)


CHECKS = {
    "activation-notes.toml": activation_notes,
    "activation-saturation.toml": activation_saturation,
    "activation-softmax.toml": activation_by_formulas,
    "backprop-bce.toml": backprop_bce,
    "backprop-notes.toml": backprop_notes,
    "backprop-tanh.toml": backprop_by_finite_differences,
    "batchnorm-backward.toml": batchnorm_backward,
    "batchnorm-default.toml": batchnorm_default,
    "batchnorm-features.toml": batchnorm_features,
    "batchnorm-maxabs.toml": batchnorm_maxabs,
    "batchnorm-minmax.toml": batchnorm_minmax,
    "batchnorm-zscore.toml": batchnorm_zscore,
    "conv-params-lstm.toml": conv_params_lstm,
    "conv-params-notes.toml": conv_params_notes,
    "conv-params-pytorch-lstm.toml": conv_params_pytorch_lstm,
    "conv-params-rnn.toml": conv_params_rnn,
    "conv-params-strided.toml": conv_params_strided,
    "convolve-flipped.toml": convolve_by_scipy,
    "convolve-notes.toml": convolve_notes,
    "convolve-padded-strided.toml": convolve_by_scipy,
    "convolve-pooling.toml": convolve_by_scipy,
    "convolve-two-channels.toml": convolve_by_scipy,
    "early-stopping-min-delta.toml": early_stopping_by_hand(5, 2, 0.7, [0, 0, 1, 2, 3]),
    "early-stopping-never.toml": early_stopping_by_hand(None, 4, 0.7, [0, 0, 1, 0, 1, 2]),
    "early-stopping-notes.toml": early_stopping_by_hand(6, 3, 0.6, [0, 0, 0, 1, 2, 3]),  # the notes: stop at 6, restore the best (3)
    "kl-divergence-discrete.toml": kl_discrete,
    "kl-divergence-gaussian.toml": kl_gaussian,
    "kl-divergence-vae-logvar.toml": kl_vae_logvar,
    "kl-divergence-vae.toml": kl_vae,
    "metrics-labels.toml": metrics_from_sklearn,
    "metrics-no-predictions.toml": metrics_from_sklearn,
    "metrics-notes.toml": metrics_notes,
    "metrics-three-class.toml": metrics_from_sklearn,
    "optimizer-adam-grads.toml": optimizer_adam_grads,
    "optimizer-adaptive.toml": optimizer_steps,
    "optimizer-momentum-ema.toml": optimizer_steps,
    "optimizer-momentum-pytorch.toml": optimizer_steps,
    "optimizer-notes.toml": optimizer_notes,
    "rbf-xor-haykin.toml": rbf_least_squares,
    "rbf-xor-notes.toml": rbf_notes,
    "rbf-xor-parity3.toml": rbf_least_squares,
    "rbf-xor-two-centers.toml": rbf_two_centers,
    "regularize-dropout.toml": regularize_dropout,
    "regularize-elastic.toml": regularize_elastic,
    "regularize-l1-vs-l2.toml": regularize_l1_vs_l2,
    "regularize-notes.toml": regularize_notes,
    "rnn-forward-gru-step.toml": rnn_gru_step,
    "rnn-forward-lstm-step.toml": rnn_lstm_step,
    "rnn-forward-notes.toml": rnn_notes,
    "rnn-forward-tanh-2-steps.toml": rnn_tanh,
    "som-train-fausett.toml": som_from_scratch,
    "som-train-notes.toml": som_notes,
    "som-train-radius.toml": som_from_scratch,
    "ttest-notes-a.toml": ttest_notes_a,
    "ttest-notes-b.toml": ttest_notes_b,
    "ttest-paired.toml": ttest_paired,
    "ttest-two-sample.toml": ttest_two_sample,
    "ttest-z-large.toml": ttest_z_large,
}


def test_every_worked_example_has_an_independent_check():
    assert sorted(path.name for path in EXAMPLES) == sorted(CHECKS)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_worked_example_answers_match_independent_values(path):
    problem = tomllib.loads(path.read_text(encoding="utf-8"))
    CHECKS[path.name](derive(problem["command"], {}, str(path)).answers, problem)
