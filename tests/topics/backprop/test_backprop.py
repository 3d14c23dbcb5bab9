"""backprop against independent truth: the published 2-2-2 worked example, finite differences
of a loss written here from scratch, and torch autograd when torch is installed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlsolve.core.inputs import InputError
from dlsolve.runner import derive

# --- the published worked example (NOTES-PROBLEMS §1; the values are the published ones) ---


def test_notes_network_forward_pass_and_error():
    a = derive("backprop", {}).answers
    # h1 = σ(0.15·0.05 + 0.20·0.10 + 0.35) = σ(0.3775) = 0.593269992
    assert a["hidden"][0] == pytest.approx([0.593269992, 0.596884378], abs=5e-10)
    assert a["outputs"] == pytest.approx([0.751365070, 0.772928465], abs=5e-10)
    # E_total = ½(0.01 − 0.751365070)² + ½(0.99 − 0.772928465)² = 0.274811083 + 0.023560026
    assert a["loss"] == pytest.approx(0.298371109, abs=5e-10)


def test_notes_network_updated_weights():
    a = derive("backprop", {}).answers
    w1_to_w4, w5_to_w8 = a["weights"]
    assert np.ravel(w5_to_w8) == pytest.approx([0.358916480, 0.408666186, 0.511301270, 0.561370121], abs=5e-10)
    assert np.ravel(w1_to_w4) == pytest.approx([0.149780716, 0.199561432, 0.249751144, 0.299502287], abs=5e-10)
    assert a["biases"] == [[0.35, 0.35], [0.6, 0.6]]  # not updated, as in the notes


def test_notes_network_w5_gradient_by_the_chain_rule():
    # ∂E/∂w5 = (out_o1 − t1) · out_o1(1 − out_o1) · out_h1 = 0.741365070 · 0.186815602 · 0.593269992
    expected = 0.741365070 * (0.751365070 * (1 - 0.751365070)) * 0.593269992
    a = derive("backprop", {}).answers
    assert a["grad_weights"][1][0][0] == pytest.approx(expected, rel=1e-8)
    assert a["deltas"][1][0] == pytest.approx(0.741365070 * 0.751365070 * (1 - 0.751365070), rel=1e-8)


def test_notes_network_text_shows_the_notes_chain_rule():
    from dlsolve.render.to_text import render

    text = render(derive("backprop", {}), decimals=9)
    assert "∂E/∂w₅ = ∂E/∂outₒ₁ · ∂outₒ₁/∂netₒ₁ · ∂netₒ₁/∂w₅" in text
    assert "∂Eₒ₁/∂outₕ₁ + ∂Eₒ₂/∂outₕ₁ = δₒ₁ w₅ + δₒ₂ w₇" in text  # the sum over outputs
    # 0.74136507 · 0.186815602 · 0.593269992 = 0.08216704056 (9 significant digits below 1)
    assert "w₅⁺ = w₅ − η · ∂E/∂w₅ = 0.4 − 0.5 · 0.0821670406 = 0.35891648" in text
    assert "E_total = Eₒ₁ + Eₒ₂" in text and "0.298371109" in text


# --- an independent reference: the loss written from scratch, differentiated numerically ---

F = {
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0),
    "linear": lambda z: z,
}


def reference_loss(Ws, bs, acts, x, t, loss):
    a = x
    for W, b, f in zip(Ws, bs, acts):
        a = F[f](W @ a + b)
    if loss == "mse":
        return 0.5 * np.sum((t - a) ** 2)
    return -np.sum(t * np.log(a) + (1 - t) * np.log(1 - a))


def numeric_gradients(Ws, bs, acts, x, t, loss, h=1e-6):
    """Central differences of reference_loss for every weight and bias."""
    grads_W, grads_b = [], []
    for params, grads in ((Ws, grads_W), (bs, grads_b)):
        for P in params:
            G = np.zeros_like(P)
            for idx in np.ndindex(P.shape):
                old = P[idx]
                P[idx] = old + h
                up = reference_loss(Ws, bs, acts, x, t, loss)
                P[idx] = old - h
                down = reference_loss(Ws, bs, acts, x, t, loss)
                P[idx] = old
                G[idx] = (up - down) / (2 * h)
            grads.append(G)
    return grads_W, grads_b


def random_network(seed, widths, acts, loss):
    rng = np.random.default_rng(seed)
    Ws = [rng.uniform(-1, 1, (widths[i + 1], widths[i])) for i in range(len(widths) - 1)]
    bs = [rng.uniform(-0.5, 0.5, widths[i + 1]) for i in range(len(widths) - 1)]
    x = rng.uniform(-1, 1, widths[0])
    t = rng.uniform(0.05, 0.95, widths[-1])
    if acts[-1] == "relu":  # keep relu output units active so the loss is smooth there
        bs[-1] = bs[-1] + 3.0
    return Ws, bs, x, t


def cli_values(Ws, bs, acts, x, t, loss, **extra):
    """Raw option values as the command line would give them."""
    def vec(v):
        return ",".join(repr(float(e)) for e in v)

    return {"x": vec(x), "target": vec(t), "weights": ["; ".join(vec(r) for r in W) for W in Ws],
            "biases": [vec(b) for b in bs], "activation": list(acts), "loss": loss, **extra}


CASES = [
    (seed, acts, loss)
    for seed, acts in enumerate([("sigmoid", "sigmoid", "sigmoid"), ("tanh", "tanh", "sigmoid"),
                                 ("relu", "relu", "sigmoid"), ("linear", "tanh", "sigmoid"),
                                 ("tanh", "relu", "linear"), ("relu", "sigmoid", "tanh")])
    for loss in ("mse", "bce")
    if loss == "mse" or acts[-1] == "sigmoid"
]


@pytest.mark.parametrize("seed,acts,loss", CASES)
def test_two_hidden_layers_match_finite_differences(seed, acts, loss):
    widths = (3, 4, 3, 2)
    Ws, bs, x, t = random_network(seed, widths, acts, loss)
    expected_W, expected_b = numeric_gradients(Ws, bs, acts, x, t, loss)
    a = derive("backprop", cli_values(Ws, bs, acts, x, t, loss)).answers
    assert a["loss"] == pytest.approx(reference_loss(Ws, bs, acts, x, t, loss), rel=1e-12)
    for got, want in zip(a["grad_weights"], expected_W):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-8)
    for got, want in zip(a["grad_biases"], expected_b):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("seed,acts,loss", CASES)
def test_two_hidden_layers_match_torch_autograd(seed, acts, loss):
    torch = pytest.importorskip("torch")
    widths = (3, 4, 3, 2)
    Ws, bs, x, t = random_network(seed, widths, acts, loss)
    tW = [torch.tensor(W, dtype=torch.float64, requires_grad=True) for W in Ws]
    tb = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in bs]
    fns = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu, "linear": lambda z: z}
    a_t = torch.tensor(x, dtype=torch.float64)
    for W, b, f in zip(tW, tb, acts):
        a_t = fns[f](W @ a_t + b)
    target = torch.tensor(t, dtype=torch.float64)
    if loss == "mse":
        E = 0.5 * ((target - a_t) ** 2).sum()
    else:
        E = torch.nn.functional.binary_cross_entropy(a_t, target, reduction="sum")
    E.backward()
    a = derive("backprop", cli_values(Ws, bs, acts, x, t, loss)).answers
    assert a["loss"] == pytest.approx(E.item(), rel=1e-12)
    for got, want in zip(a["grad_weights"], tW):
        np.testing.assert_allclose(got, want.grad.numpy(), rtol=1e-10, atol=1e-14)
    for got, want in zip(a["grad_biases"], tb):
        np.testing.assert_allclose(got, want.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_epochs_repeat_plain_gradient_descent_with_bias_updates():
    Ws, bs, x, t = random_network(7, (2, 3, 1), ("tanh", "sigmoid"), "mse")
    eta, epochs = 0.3, 4
    a = derive("backprop", cli_values(Ws, bs, ("tanh", "sigmoid"), x, t, "mse", lr="0.3", epochs="4", update_biases=True)).answers
    history = []
    for _ in range(epochs):  # an independent loop with numerical gradients
        history.append(reference_loss(Ws, bs, ("tanh", "sigmoid"), x, t, "mse"))
        gW, gb = numeric_gradients(Ws, bs, ("tanh", "sigmoid"), x, t, "mse")
        Ws = [W - eta * g for W, g in zip(Ws, gW)]
        bs = [b - eta * g for b, g in zip(bs, gb)]
    assert a["loss_history"] == pytest.approx(history, rel=1e-9)
    for got, want in zip(a["weights"], Ws):
        np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-10)
    for got, want in zip(a["biases"], bs):
        np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-10)


def test_bce_with_sigmoid_output_has_delta_y_minus_t():
    a = derive("backprop", {"loss": "bce"}).answers
    y, t = a["outputs"], (0.01, 0.99)
    assert a["deltas"][1] == pytest.approx([y[0] - t[0], y[1] - t[1]], rel=1e-12)
    # E = −[0.01 log y1 + 0.99 log(1 − y1)] − [0.99 log y2 + 0.01 log(1 − y2)]
    expected = -sum(tk * math.log(yk) + (1 - tk) * math.log(1 - yk) for tk, yk in zip(t, y))
    assert a["loss"] == pytest.approx(expected, rel=1e-12)


# --- numerical safety -------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
def test_net_inputs_of_plus_minus_1000_stay_finite(activation):
    values = {"x": "1,1", "target": "0.5", "weights": ["1000,0; 0,-1000", "1,1"], "biases": ["0", "0"],
              "activation": [activation, "sigmoid"]}
    a = derive("backprop", values).answers
    assert np.all(np.isfinite(a["hidden"][0])) and math.isfinite(a["loss"])
    assert np.all(np.isfinite(np.concatenate([np.ravel(g) for g in a["grad_weights"]])))


def test_bce_output_that_rounds_to_one_gives_the_exact_loss():
    # net = 800: σ(800) rounds to 1, yet E = −log(1 − σ(800)) = log(1 + e^800) = 800 (+ e^−800)
    a = derive("backprop", {"x": "1", "target": "0", "weights": ["800"], "biases": ["0"], "loss": "bce"}).answers
    assert a["outputs"] == [1.0]
    assert a["loss"] == pytest.approx(800.0, rel=1e-15)
    assert a["deltas"] == [[1.0]]  # δ = y − t


def test_large_network_switches_to_matrix_steps_and_stays_short():
    from dlsolve.render.to_text import render

    rng = np.random.default_rng(0)
    values = {"x": ",".join(map(str, rng.uniform(0, 1, 30).round(3))), "target": "0,1,0",
              "weights": ["; ".join(",".join(map(str, r)) for r in rng.uniform(-0.1, 0.1, shape).round(3))
                          for shape in [(20, 30), (3, 20)]]}
    d = derive("backprop", values)
    assert np.shape(d.answers["weights"][0]) == (20, 30)
    assert len(render(d, decimals=4).splitlines()) < 250


# --- validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values, where",
    [
        ({"x": "1,2,3"}, "--weights (layer 1)"),
        ({"weights": ["0.1,0.2; 0.3,0.4", "0.1,0.2,0.3; 0.4,0.5,0.6"]}, "--weights (layer 2)"),
        ({"target": "1"}, "--target"),
        ({"biases": ["0.1"]}, "--biases"),
        ({"biases": ["0.1,0.2,0.3", "0"]}, "--biases (layer 1)"),
        ({"activation": ["tanh", "tanh", "tanh"]}, "--activation"),
        ({"loss": "bce", "activation": ["sigmoid", "tanh"]}, "--loss"),
        ({"loss": "bce", "target": "0.5,1.5"}, "--target"),
        ({"lr": "0"}, "--lr"),
        ({"epochs": "0"}, "--epochs"),
        ({"weights": ["1e300,1e300; 1e300,1e300", "1e300,1e300; 1e300,1e300"], "activation": ["linear"]}, "--weights/--x/--lr"),
    ],
)
def test_inputs_that_do_not_fit_name_the_option(values, where):
    with pytest.raises(InputError) as error:
        derive("backprop", values)
    assert error.value.where == where


# --- renderings of the other layouts (golden files: wording and layout, reviewed) --------

VARIANTS = {
    "bce-update-biases": {"loss": "bce", "update_biases": True, "epochs": "3"},
    "deep-tanh-relu": {"x": "1,-1", "target": "0.5", "weights": ["0.5,-0.2; 0.1,0.4", "0.3,-0.6; 0.2,0.7", "1,-1"],
                       "biases": ["0.1", "0", "0.2"], "activation": ["tanh", "relu", "linear"], "lr": "0.1"},
    "matrix-layout": {"x": ",".join(["0.5"] * 9), "target": "1,0",
                      "weights": ["; ".join(",".join(str(round(0.1 * ((i + j) % 5 - 2), 1)) for j in range(9)) for i in range(6)),
                                  "; ".join(",".join(str(round(0.1 * ((i * j) % 3 - 1), 1)) for j in range(6)) for i in range(2))]},
}


@pytest.mark.parametrize("name", VARIANTS)
def test_rendering_of_other_layouts(name, golden):
    from dlsolve.render.to_text import render

    assert render(derive("backprop", VARIANTS[name]), decimals=4) == golden["text"]
