"""rnn-forward against independent truth: the notes' shapes (NOTES-PROBLEMS §7, §12), counts
worked by hand in the comments, a 1-unit tanh RNN and an LSTM step by hand, torch.nn.RNNCell,
LSTMCell and GRUCell with the weights copied in, and the numel of torch.nn.RNN/LSTM/GRU's
parameters (torch tests are skipped without torch; the hand cases run without it)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlsolve.checking.slips import Work
from dlsolve.checking.student import Student
from dlsolve.core.inputs import InputError
from dlsolve.runner import derive
from dlsolve.topics.rnn_forward import slips


def answers(**options: str) -> dict:
    """The answers for command-line style option values."""
    return derive("rnn-forward", options).answers


def sigmoid(a: float) -> float:
    return 1 / (1 + math.exp(-a))


# --- shapes and counts ------------------------------------------------------------------------


def test_default_is_the_notes_shapes_question():
    a = answers()
    # NOTES-PROBLEMS §7: x_t 5×1, 10 hidden, output 20 → W_xh 10×5, W_hh 10×10, W_hy 20×10
    assert a["shapes"] == {"W_xh": [10, 5], "W_hh": [10, 10], "b_h": [10], "W_hy": [20, 10], "b_y": [20]}
    # SimpleRNN 10·5 + 10·10 + 10 = 160, Dense 10·20 + 20 = 220: 380 (SPEC)
    assert a["params"] == 380


def test_the_notes_lstm_is_98816():
    # NOTES-PROBLEMS §7: 4 × (128·64 + 128·128 + 128) = 4 × 24,704 = 98,816 ("4 networks")
    a = answers(cell="lstm", input_size="64", hidden_size="128")
    assert a["params"] == 98_816
    assert a["shapes"] == {"W_xh": [512, 64], "W_hh": [512, 128], "b_h": [512]}


@pytest.mark.parametrize(("cell", "framework", "count"), [
    ("rnn", "keras", 128 * 64 + 128 * 128 + 128),  # 24,704
    ("rnn", "pytorch", 128 * 64 + 128 * 128 + 2 * 128),  # 24,832
    ("lstm", "pytorch", 4 * (128 * 64 + 128 * 128 + 2 * 128)),  # 99,328
    ("gru", "keras", 3 * (128 * 64 + 128 * 128 + 2 * 128)),  # reset_after=True: 2 biases, 74,496
    ("gru", "pytorch", 3 * (128 * 64 + 128 * 128 + 2 * 128)),
])
def test_counts_by_hand(cell, framework, count):
    assert answers(cell=cell, input_size="64", hidden_size="128", framework=framework)["params"] == count


def test_keras_gru_bias_is_two_by_3h_and_pytorch_keeps_two_vectors():
    assert answers(cell="gru", input_size="3", hidden_size="4")["shapes"]["b_h"] == [2, 12]
    pytorch = answers(cell="gru", input_size="3", hidden_size="4", framework="pytorch")["shapes"]
    assert (pytorch["b_ih"], pytorch["b_hh"]) == ([12], [12])


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("framework", ["keras", "pytorch"])
def test_rnn_forward_and_conv_params_agree(cell, framework):
    layer = {"rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}[cell]
    conv = derive("conv-params", {"input": "20x64", "layers": f"{layer}(128); Dense(10)",
                                  "framework": framework}).answers
    ours = answers(cell=cell, input_size="64", hidden_size="128", output_size="10", framework=framework)
    assert ours["params"] == conv["total_params"]


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_pytorch_counts_are_torch_numel(cell):
    torch = pytest.importorskip("torch")
    module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell](64, 128)
    cell_module = {"rnn": torch.nn.RNNCell, "lstm": torch.nn.LSTMCell, "gru": torch.nn.GRUCell}[cell](64, 128)
    numel = sum(p.numel() for p in module.parameters())
    assert numel == sum(p.numel() for p in cell_module.parameters())
    a = answers(cell=cell, input_size="64", hidden_size="128", framework="pytorch")
    assert a["params"] == numel
    assert a["shapes"]["W_xh"] == list(module.weight_ih_l0.shape) and a["shapes"]["W_hh"] == list(module.weight_hh_l0.shape)
    assert a["shapes"]["b_ih"] == list(module.bias_ih_l0.shape)


# --- the forward pass by hand -------------------------------------------------------------------


def test_one_unit_tanh_rnn_by_hand():
    # a₁ = 0.5·1 + 0.1 + 0.8·0 = 0.6, h₁ = tanh 0.6 = 0.5370496;
    # a₂ = 0.5·0.5 + 0.1 + 0.8·0.5370496 = 0.7796397, h₂ = tanh 0.7796397 = 0.6525
    a = answers(x="1; 0.5", w_ih="0.5", w_hh="0.8", b_ih="0.1")
    assert a["h"][0] == [pytest.approx(math.tanh(0.6), abs=1e-15)]
    assert a["h"][1] == [pytest.approx(math.tanh(0.35 + 0.8 * math.tanh(0.6)), abs=1e-15)]
    assert a["gates"][1]["a"] == [pytest.approx(0.7796397, abs=1e-7)] and a["y"] is None


def test_relu_rnn_by_hand():
    # a₁ = 2·1 − 1 = 1 → 1; a₂ = 2·(−1) − 1 + 0.5·1 = −2.5 → 0
    a = answers(x="1; -1", w_ih="2", w_hh="0.5", b_ih="-1", activation="relu")
    assert a["h"] == [[1.0], [0.0]]


def test_one_lstm_step_by_hand():
    # the worked example rnn-forward-lstm-step: i = σ(0.4 − 0.1 + 0.1 + 0.15) = σ(0.55), f = σ(0.6 + 0.05 + 0.5 + 0.25) = σ(1.4),
    # g = tanh(−0.5 − 0.15 + 0.4) = tanh(−0.25), o = σ(0.2 − 0.35 − 0.2 − 0.2) = σ(−0.55)
    a = derive("rnn-forward", {}, "worked_examples/rnn-forward-lstm-step.toml").answers
    i, f, g, o = sigmoid(0.55), sigmoid(1.4), math.tanh(-0.25), sigmoid(-0.55)
    assert a["gates"][0] == {"i": [pytest.approx(i)], "f": [pytest.approx(f)], "g": [pytest.approx(g)], "o": [pytest.approx(o)]}
    c = f * -0.3 + i * g
    assert a["c"] == [[pytest.approx(c, abs=1e-15)]] and a["h"] == [[pytest.approx(o * math.tanh(c), abs=1e-15)]]


def test_output_layer_by_hand():
    # h₁ = tanh(1) = 0.7615942, y₁ = (2·0.7615942 + 0.5, −0.7615942)
    a = answers(x="1", w_ih="1", w_hh="0", w_hy="2; -1", b_y="0.5, 0")
    assert a["y"] == [[pytest.approx(2 * math.tanh(1) + 0.5), pytest.approx(-math.tanh(1))]]


# --- the forward pass against torch's cells ---------------------------------------------------


def _text(M: np.ndarray) -> str:
    return "; ".join(", ".join(repr(float(v)) for v in row) for row in np.atleast_2d(M))


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize(("d", "h", "T"), [(1, 1, 2), (2, 3, 3), (5, 12, 4)])
def test_forward_matches_torch_cells(cell, d, h, T):
    torch = pytest.importorskip("torch")
    torch.manual_seed(d * 100 + h * 10 + T)
    module = {"rnn": torch.nn.RNNCell, "lstm": torch.nn.LSTMCell, "gru": torch.nn.GRUCell}[cell](d, h).double()
    X, h0, c0 = torch.randn(T, d, dtype=torch.float64), torch.randn(h, dtype=torch.float64), torch.randn(h, dtype=torch.float64)
    options = {"cell": cell, "x": _text(X.numpy()), "h0": _text(h0.numpy()), "w_ih": _text(module.weight_ih.detach().numpy()),
               "w_hh": _text(module.weight_hh.detach().numpy()), "b_ih": _text(module.bias_ih.detach().numpy()),
               "b_hh": _text(module.bias_hh.detach().numpy())}
    if cell == "lstm":
        options["c0"] = _text(c0.numpy())
    a = derive("rnn-forward", options).answers
    state = (h0[None], c0[None]) if cell == "lstm" else h0[None]
    with torch.no_grad():
        for t in range(T):
            state = module(X[t:t + 1], state)
            h_t = state[0] if cell == "lstm" else state
            np.testing.assert_allclose(a["h"][t], h_t[0].numpy(), rtol=1e-12, atol=1e-14)
            if cell == "lstm":
                np.testing.assert_allclose(a["c"][t], state[1][0].numpy(), rtol=1e-12, atol=1e-14)


def test_relu_rnn_matches_torch():
    torch = pytest.importorskip("torch")
    torch.manual_seed(3)
    module = torch.nn.RNNCell(2, 3, nonlinearity="relu").double()
    X = torch.randn(3, 2, dtype=torch.float64)
    a = answers(x=_text(X.numpy()), w_ih=_text(module.weight_ih.detach().numpy()), w_hh=_text(module.weight_hh.detach().numpy()),
                b_ih=_text(module.bias_ih.detach().numpy()), b_hh=_text(module.bias_hh.detach().numpy()), activation="relu")
    with torch.no_grad():
        h = torch.zeros(1, 3, dtype=torch.float64)
        for t in range(3):
            h = module(X[t:t + 1], h)
            np.testing.assert_allclose(a["h"][t], h[0].numpy(), rtol=1e-12, atol=1e-14)


def test_gru_gates_match_torch_formulas():
    """r, z and n as torch.nn.GRUCell's documented equations, computed here from its weights."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(7)
    module = torch.nn.GRUCell(2, 2).double()
    x, h = torch.randn(2, dtype=torch.float64), torch.randn(2, dtype=torch.float64)
    W_ir, W_iz, W_in = module.weight_ih.detach().chunk(3)
    W_hr, W_hz, W_hn = module.weight_hh.detach().chunk(3)
    b_ir, b_iz, b_in = module.bias_ih.detach().chunk(3)
    b_hr, b_hz, b_hn = module.bias_hh.detach().chunk(3)
    r = torch.sigmoid(W_ir @ x + b_ir + W_hr @ h + b_hr)
    z = torch.sigmoid(W_iz @ x + b_iz + W_hz @ h + b_hz)
    n = torch.tanh(W_in @ x + b_in + r * (W_hn @ h + b_hn))
    a = answers(cell="gru", x=_text(x.numpy()), h0=_text(h.numpy()), w_ih=_text(module.weight_ih.detach().numpy()),
                w_hh=_text(module.weight_hh.detach().numpy()), b_ih=_text(module.bias_ih.detach().numpy()),
                b_hh=_text(module.bias_hh.detach().numpy()))
    for name, value in (("r", r), ("z", z), ("n", n)):
        np.testing.assert_allclose(a["gates"][0][name], value.numpy(), rtol=1e-12)
    np.testing.assert_allclose(a["h"][0], ((1 - z) * n + z * h).numpy(), rtol=1e-12)


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(("options", "where", "words"), [
    ({"cell": "lstm", "x": "1,2,3", "w_ih": ";".join(["1,1,1"] * 30), "w_hh": ";".join([",".join(["0"] * 10)] * 40)},
     "--w-ih", "expected 40×3 (4·hidden × input for lstm"),
    ({"cell": "lstm", "x": "1", "w_ih": "1;1;1", "w_hh": "1;1;1"}, "--w-hh", "expected 4×1"),
    ({"x": "1", "w_ih": "1", "w_hh": "1,2"}, "--w-hh", "expected 2×2 (hidden × hidden, a square matrix), got 1×2"),
    ({"x": "1", "w_ih": "1", "w_hh": "1", "h0": "1,2"}, "--h0", "expected 1 values"),
    ({"x": "1", "w_ih": "1", "w_hh": "1", "c0": "1"}, "--c0", "only an LSTM"),
    ({"cell": "gru", "x": "1", "w_ih": "1;1;1", "w_hh": "1;1;1", "activation": "relu"}, "--activation", "only --cell rnn"),
    ({"x": "1", "w_ih": "1", "w_hh": "1", "w_hy": "1,2"}, "--w-hy", "expected 1×1"),
    ({"x": "1", "w_ih": "1", "w_hh": "1", "b_y": "1"}, "--b-y", "goes with --w-hy"),
    ({"x": "1", "w_ih": "1", "w_hh": "1", "hidden_size": "3"}, "--hidden-size", "disagrees"),
    ({"x": "1"}, "--w-ih", "needs --x, --w-ih and --w-hh"),
    ({"hidden_size": "3"}, "--input-size", "together"),
    ({"output_size": "3"}, "--output-size", "--input-size and --hidden-size too"),
    ({"x": "1e300", "w_ih": "1e300", "w_hh": "0", "activation": "relu"}, "--x/--w-ih/--w-hh", "overflows"),
    ({"x": ";".join(["1"] * 600), "w_ih": ";".join(["1"] * 120), "w_hh": ";".join([",".join(["0"] * 30)] * 120), "cell": "lstm"},
     "--x/--w-ih/--w-hh", "at most 2,000,000"),
])
def test_bad_inputs_are_refused_in_one_line(options, where, words):
    with pytest.raises(InputError) as error:
        derive("rnn-forward", options)
    assert error.value.where == where and words in str(error.value) and "\n" not in str(error.value)


# --- slips and error carried forward --------------------------------------------------------------


def _analysis(options: dict, given: dict):
    derivation = derive("rnn-forward", options)
    return slips.analyse(Work(derivation.inputs, derivation.answers, Student(given.items())))


def test_shape_and_count_slips():
    analysis = _analysis({"cell": "lstm", "input_size": "64", "hidden_size": "128"}, {})
    by_name = {s.name: s for s in analysis.slips}
    assert by_name["transposed"].values[("shapes", "W_xh")] == [64, 512]
    assert by_name["lstm-3-gates"].values[("params",)] == 3 * 24_704  # 3 gate blocks of 128·(64 + 128) + 128
    assert by_name["bias-count-swapped"].values[("params",)] == 99_328  # PyTorch's 4 × (24,576 + 256)


def test_lstm_step_slips_by_hand():
    analysis = _analysis({"cell": "lstm", "x": "1", "w_ih": "0.5; 1; 0.5; 1", "w_hh": "0;0;0;0", "c0": "1"}, {})
    by_name = {s.name: s for s in analysis.slips}
    i, f, g, o = sigmoid(0.5), sigmoid(1), math.tanh(0.5), sigmoid(1)
    swapped = i * 1 + f * g  # c = i·c_prev + f·g
    assert by_name["forget-on-candidate"].values[("c", 0)] == [pytest.approx(swapped)]
    assert by_name["h-without-o"].values[("h", 0)] == [pytest.approx(math.tanh(f * 1 + i * g))]


def test_h2_is_carried_forward_from_the_students_h1():
    # h₁ given as 0.5 (right: tanh 0.6); h₂ from it: tanh(0.5·0.5 + 0.1 + 0.8·0.5) = tanh(0.75)
    analysis = _analysis({"x": "1; 0.5", "w_ih": "0.5", "w_hh": "0.8", "b_ih": "0.1"}, {("h", 0): [0.5]})
    carried = analysis.carried[("h", 1)]
    assert carried.value == [pytest.approx(math.tanh(0.75))] and carried.sources == (("h", 0),)
