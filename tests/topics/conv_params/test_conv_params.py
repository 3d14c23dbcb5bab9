"""conv-params against independent truth: counts worked by hand in the comments (the notes'
problems, TensorFlow's CIFAR-10 CNN tutorial and Keras' simple MNIST convnet, whose
summaries are published). Every PyTorch count is also worked by hand, so it runs without
torch; when torch is installed, its ``numel`` sums and forward-pass shapes confirm them."""

import time

import pytest

from dlsolve.core.inputs import InputError
from dlsolve.render.to_text import render
from dlsolve.runner import derive
from dlsolve.topics.conv_params.parse import InputShape, LayerTexts, parse_layer, split_layers


def solve(layers, input=None, framework=None):
    values = {"layers": layers, "input": input, "framework": framework}
    return derive("conv-params", {k: v for k, v in values.items() if v is not None})


def counts(derivation):
    return [layer["params"] for layer in derivation.answers["layers"]]


def shapes(derivation):
    return [layer["output_shape"] for layer in derivation.answers["layers"]]


# --- the notes' problems (NOTES-PROBLEMS §7) ------------------------------------------------


def test_notes_network_is_the_default():
    d = derive("conv-params", {})
    # (32 − 3 + 0)/1 + 1 = 30; (30 − 2)/2 + 1 = 15; (15 − 3)/1 + 1 = 13
    assert shapes(d) == [[30, 30, 32], [15, 15, 32], [13, 13, 64]]
    # 3·3·3·32 + 32 = 864 + 32 = 896; pooling 0; 3·3·32·64 + 64 = 18,432 + 64 = 18,496
    assert counts(d) == [896, 0, 18_496]
    assert d.answers["total_params"] == 19_392 and d.answers["trainable_params"] == 19_392
    assert d.answers["non_trainable_params"] == 0
    assert d.inputs == {"input": [32, 32, 3], "layers": ["Conv2D(32, 3)", "MaxPooling2D(2)", "Conv2D(64, 3)"], "framework": "keras"}


def test_notes_1849_slip_is_named_as_an_erratum():
    errata = [note for note in derive("conv-params", {}).notes if note.kind == "erratum"]
    assert len(errata) == 1
    text = "".join(str(part) for part in errata[0].text.parts)
    assert '"1849"' in text and "18,496" in text and "layer 3" in text


def test_notes_formulas_are_written_with_numbers():
    text = render(derive("conv-params", {}), decimals=4)
    assert "⌊(32 − 3 + 2 · 0)/1⌋ + 1 = 30" in text
    assert "⌊(30 − 2 + 2 · 0)/2⌋ + 1 = 15" in text
    assert "3 · 3 · 3 · 32 + 32 = 864 + 32 = 896" in text
    assert "3 · 3 · 32 · 64 + 64 = 18,432 + 64 = 18,496" in text
    assert "conv2d_1 (Conv2D)              (None, 13, 13, 64)    18,496" in text
    assert "Total params: 19,392" in text and "Non-trainable params: 0" in text


def test_notes_embedding_and_lstm():
    d = derive("conv-params", {}, "worked_examples/conv-params-lstm.toml")
    # Embedding: 1000 · 64 = 64,000, output (None, None, 64) as in the notes' table
    # LSTM: 4 × (128·64 + 128·128 + 128) = 4 × (8,192 + 16,384 + 128) = 4 × 24,704 = 98,816
    assert counts(d) == [64_000, 98_816]
    assert shapes(d) == [[None, 64], [128]]
    text = render(d, decimals=4)
    assert "4 × (128 · (64 + 128) + 128) = 4 × 24,704 = 98,816" in text
    assert "8,192 + 16,384 + 128 = 24,704" in text


def test_notes_rnn_weight_shapes():
    d = derive("conv-params", {}, "worked_examples/conv-params-rnn.toml")
    text = render(d, decimals=4)
    # x_t 5×1, 10 hidden units, 20 outputs: W_xh 10 × 5, W_hh 10 × 10, W_hy 20 × 10
    assert "Wₓₕ: 10 × 5, Wₕₕ: 10 × 10, bₕ: 10" in text
    assert "W_hy: 20 × 10" in text
    # SimpleRNN 10·5 + 10·10 + 10 = 160; Dense 10·20 + 20 = 220 (at every step)
    assert counts(d) == [160, 220]
    assert shapes(d) == [[None, 10], [None, 20]]


# --- published model summaries (each layer's count worked by hand) ----------------------


def test_tensorflow_cifar10_cnn_tutorial():
    d = solve("Conv2D(32, (3, 3), activation='relu', input_shape=(32, 32, 3)); MaxPooling2D((2, 2));"
              "Conv2D(64, (3, 3), activation='relu'); MaxPooling2D((2, 2)); Conv2D(64, (3, 3), activation='relu');"
              "Flatten(); Dense(64, activation='relu'); Dense(10)")
    # 30×30×32: 3·3·3·32 + 32 = 896      15×15×32
    # 13×13×64: 3·3·32·64 + 64 = 18,496   6×6×64 (⌊(13 − 2)/2⌋ + 1 = 6)
    # 4×4×64: 3·3·64·64 + 64 = 36,928     flatten 4·4·64 = 1,024
    # Dense 1024·64 + 64 = 65,600          Dense 64·10 + 10 = 650
    assert shapes(d) == [[30, 30, 32], [15, 15, 32], [13, 13, 64], [6, 6, 64], [4, 4, 64], [1024], [64], [10]]
    assert counts(d) == [896, 0, 18_496, 0, 36_928, 0, 65_600, 650]
    assert d.answers["total_params"] == 122_570  # the tutorial's "Total params: 122,570"


def test_keras_simple_mnist_convnet():
    d = solve("Conv2D(32, kernel_size=(3, 3), activation='relu'); MaxPooling2D(pool_size=(2, 2));"
              "Conv2D(64, kernel_size=(3, 3), activation='relu'); MaxPooling2D(pool_size=(2, 2));"
              "Flatten(); Dropout(0.5); Dense(10, activation='softmax')", input="28x28x1")
    # 26×26×32: 3·3·1·32 + 32 = 320; 13×13×32; 11×11×64: 3·3·32·64 + 64 = 18,496; 5×5×64
    # flatten 5·5·64 = 1,600; Dense 1600·10 + 10 = 16,010
    assert shapes(d) == [[26, 26, 32], [13, 13, 32], [11, 11, 64], [5, 5, 64], [1600], [1600], [10]]
    assert counts(d) == [320, 0, 18_496, 0, 0, 0, 16_010]
    assert d.answers["total_params"] == 34_826  # the example's "Total params: 34,826"
    names = [layer["name"] for layer in d.answers["layers"]]
    assert names == ["conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "flatten", "dropout", "dense"]


# --- output sizes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "layer, input, expected",
    [
        ("Conv2D(8, 3, strides=2)", "32x32x3", [15, 15, 8]),  # ⌊(32 − 3)/2⌋ + 1 = 14 + 1
        ("Conv2D(8, 3, strides=2, padding='same')", "32x32x3", [16, 16, 8]),  # ⌈32/2⌉
        ("Conv2D(8, 3, strides=2, padding='same')", "33x33x3", [17, 17, 8]),  # ⌈33/2⌉
        ("Conv2D(8, 5, padding=2)", "32x32x3", [32, 32, 8]),  # ⌊(32 − 5 + 4)/1⌋ + 1
        ("Conv2D(8, 3, dilation_rate=2)", "32x32x3", [28, 28, 8]),  # K' = 2·2 + 1 = 5: 32 − 5 + 1
        ("Conv2D(8, (3, 5), strides=(1, 2))", "20x20x3", [18, 8, 8]),  # 20 − 3 + 1; ⌊15/2⌋ + 1
        ("Conv1D(4, 3)", "10x2", [8, 4]),  # 10 − 3 + 1
        ("Conv1D(4, 3, padding='causal', dilation_rate=2)", "10x2", [10, 4]),
        ("MaxPooling2D(3)", "10x10x4", [3, 3, 4]),  # strides = pool: ⌊(10 − 3)/3⌋ + 1
        ("MaxPooling2D(2, strides=1)", "10x10x4", [9, 9, 4]),
        ("AveragePooling2D(3, strides=2, padding='same')", "7x7x4", [4, 4, 4]),  # ⌈7/2⌉
        ("MaxPooling1D()", "9x4", [4, 4]),  # default pool 2: ⌊(9 − 2)/2⌋ + 1
        ("AveragePooling1D(3, padding='same')", "10x4", [4, 4]),  # ⌈10/3⌉
        ("GlobalAveragePooling2D()", "7x7x16", [16]),
        ("GlobalMaxPooling2D(keepdims=True)", "7x7x16", [1, 1, 16]),
        ("GlobalMaxPooling1D()", "12x5", [5]),
        ("Flatten()", "7x7x16", [784]),
        ("Dense(3)", "10x4", [10, 3]),  # on the last axis
    ],
)
def test_output_shapes(layer, input, expected):
    d = solve(layer, input=input)
    assert shapes(d) == [expected]


def test_unknown_lengths_stay_unknown():
    d = solve("Conv1D(8, 3); GlobalMaxPooling1D(); Dense(2)", input="seqx4")
    assert shapes(d) == [[None, 8], [8], [2]]
    assert counts(d) == [3 * 4 * 8 + 8, 0, 8 * 2 + 2]  # 104, 0, 18


# --- parameter counts worked by hand --------------------------------------------------------------


def test_gru_keras_reset_after_both_ways():
    # reset_after=True: 3 × (64·(32 + 64) + 2·64) = 3 × (6,144 + 128) = 18,816
    # reset_after=False: 3 × (64·(32 + 64) + 64) = 3 × 6,208 = 18,624
    assert counts(solve("GRU(64)", input="10x32")) == [18_816]
    assert counts(solve("GRU(64, reset_after=False)", input="10x32")) == [18_624]


def test_bidirectional_doubles_params_and_width():
    d = solve("Bidirectional(LSTM(10, return_sequences=True))", input="5x8")
    # one LSTM: 4 × (10·(8 + 10) + 10) = 4 × 190 = 760; both ways 1,520
    assert counts(d) == [1520] and shapes(d) == [[5, 20]]
    assert shapes(solve("Bidirectional(LSTM(10), merge_mode='sum')", input="5x8")) == [[10]]


def test_batch_normalization_keras_has_non_trainable_moving_statistics():
    d = solve("Conv2D(16, 3); BatchNormalization(); Flatten(); Dense(4); BatchNormalization()", input="8x8x1")
    # conv 3·3·1·16 + 16 = 160; BN 4·16 = 64 (32 trainable); flatten 6·6·16 = 576;
    # Dense 576·4 + 4 = 2,308; BN 4·4 = 16 (8 trainable)
    assert counts(d) == [160, 64, 0, 2308, 16]
    assert [layer["trainable"] for layer in d.answers["layers"]] == [160, 32, 0, 2308, 8]
    assert d.answers["total_params"] == 2548  # 160 + 64 + 2308 + 16
    assert d.answers["non_trainable_params"] == 40  # 2·16 + 2·4
    assert d.answers["trainable_params"] == 2508


def test_batch_normalization_without_scale_and_center():
    d = solve("BatchNormalization(center=False, scale=False)", input="10x6")
    assert counts(d) == [12] and d.answers["trainable_params"] == 0  # only 2·6 moving statistics


def test_use_bias_false_and_frozen_layers():
    d = solve("Conv2D(4, 3, use_bias=False); Flatten(); Dense(2, trainable=False)", input="5x5x2")
    # 3·3·2·4 = 72 (no bias); flatten 3·3·4 = 36; Dense 36·2 + 2 = 74, all frozen
    assert counts(d) == [72, 0, 74]
    assert d.answers["trainable_params"] == 72 and d.answers["non_trainable_params"] == 74


def test_embedding_input_length_and_time_distributed():
    d = solve("Embedding(5000, 32, input_length=20); TimeDistributed(Dense(8)); SimpleRNN(4)")
    # 5000·32 = 160,000; Dense 32·8 + 8 = 264 at each of the 20 steps; RNN 4·(8 + 4) + 4 = 52
    assert counts(d) == [160_000, 264, 52] and shapes(d) == [[20, 32], [20, 8], [4]]


def test_input_from_the_first_layer():
    d = solve("Dense(12, input_dim=8, activation='relu'); Dense(1, activation='sigmoid')")
    assert counts(d) == [8 * 12 + 12, 12 + 1] and d.inputs["input"] == [8]


def test_names_are_case_insensitive_with_keras_aliases_and_own_names():
    d = solve("conv2d(4, 3, name='first'); MAXPOOL2D(); flatten(); dense(2)", input="8x8x1")
    assert [layer["name"] for layer in d.answers["layers"]] == ["first", "max_pooling2d", "flatten", "dense"]
    assert d.inputs["layers"][0] == "Conv2D(4, 3, name='first')"


def test_fifty_layers_are_instant():
    layers = ["Conv2D(8, 3, padding='same')", "BatchNormalization()"] * 24 + ["GlobalAveragePooling2D()", "Dense(10)"]
    start = time.perf_counter()
    d = solve(layers, input="32x32x3")
    render(d, decimals=4)
    assert time.perf_counter() - start < 0.5
    # first conv 3·3·3·8 + 8 = 224, the other 23 convs 3·3·8·8 + 8 = 584 each, 24 BNs 4·8 = 32
    # each (16 trainable), Dense 8·10 + 10 = 90
    assert d.answers["total_params"] == 224 + 23 * 584 + 24 * 32 + 90
    assert d.answers["non_trainable_params"] == 24 * 16


def test_same_inputs_same_output():
    run = lambda: render(solve("Conv2D(8, 3); Flatten(); Dense(4)", input="9x9x2"), decimals=4)  # noqa: E731
    assert run() == run()


# --- the layer-string parser ----------------------------------------------------------------


def test_split_on_semicolons_outside_parentheses_and_quotes():
    assert split_layers("Conv2D(32, 3); Dense(10, name='a;b'); Dense(2, name=\"c;\\\"d\")") == [
        "Conv2D(32, 3)", "Dense(10, name='a;b')", 'Dense(2, name="c;\\"d")']
    assert split_layers("Bidirectional(LSTM(4)); Dense(1)") == ["Bidirectional(LSTM(4))", "Dense(1)"]


def test_parser_reads_literals_only():
    call = parse_layer("Conv2D(32, (3, 3), strides=[2, 2], padding='same', use_bias=False, bias=-1.5)", "--layers (layer 1)")
    assert call.name == "Conv2D" and call.args == (32, (3, 3))
    assert dict(call.kwargs) == {"strides": (2, 2), "padding": "same", "use_bias": False, "bias": -1.5}


@pytest.mark.parametrize(
    "text, message",
    [
        ("__import__('os').system('echo hacked')", "attribute access is not allowed"),
        ("layers.Conv2D(32, 3)", "write the layer name alone: Conv2D(…), not layers.Conv2D(…)"),
        ("Dense(x)", "must be literal values"),
        ("Dense(1 + 2)", "not arithmetic"),
        ("(lambda: 0)()", "not a lambda"),
        ("Dense(10)[0]", "indexing"),
        ("Dense(*a)", "*-unpacking"),
        ("Dense(**a)", "**-unpacking"),
        ("Dense(10", "'(' was never closed"),
        ("Dense(b'x')", "the value b'x'"),
        ("Flatten", "add parentheses"),
    ],
)
def test_parser_refuses_everything_else(text, message):
    with pytest.raises(InputError) as error:
        parse_layer(text, "--layers (layer 1)")
    assert error.value.where == "--layers (layer 1)" and message in error.value.problem


def test_layer_texts_number_layers_across_repeated_options():
    with pytest.raises(InputError) as error:
        LayerTexts().read_text(["Dense(2)", "Dense(3); os.system('x')"], "--layer")
    assert error.value.where == "--layer (layer 3)"


@pytest.mark.parametrize("text, shape", [("32x32x3", (32, 32, 3)), ("32×32×3", (32, 32, 3)), ("(20, 5)", (20, 5)),
                                         ("seq", (None,)), ("100", (100,)), ("? x 5", (None, 5)), ("None*5", (None, 5))])
def test_input_shapes(text, shape):
    assert InputShape().read_text(text, "--input") == shape


def test_input_shape_from_a_json_problem_file_allows_null():
    assert InputShape().read_value([None, 5], "input") == (None, 5)
    assert InputShape().read_value(100, "input") == (100,)


# --- PyTorch: counts and shapes by hand, and the same from torch itself ------------------------
#
# Every case is checked twice: by hand (the formula in the comment, no torch needed, so CI runs
# it) and, when torch is installed, against torch's numel sums and a forward pass, which also
# confirms the hand values.

# (input shape, layers, torch model, hand counts per layer, hand output shapes per layer)
PYTORCH_MODELS = {
    "cnn": ((3, 32, 32), "Conv2D(32, 3); MaxPooling2D(2); Conv2D(64, 3)",
            lambda nn: [nn.Conv2d(3, 32, 3), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3)],
            # 3·3·3·32 + 32 = 896; 32 − 3 + 1 = 30 → ⌊30/2⌋ = 15; 3·3·32·64 + 64 = 18,496 on 15 − 3 + 1 = 13
            [896, 0, 18_496], [[32, 30, 30], [32, 15, 15], [64, 13, 13]]),
    "strides-padding-dilation-batchnorm": (
        (3, 29, 37),
        "Conv2D(16, 5, strides=2, padding=1, dilation_rate=2); BatchNormalization(); AveragePooling2D(3, strides=2, padding=1);"
        "Conv2D(8, (3, 1), padding='same'); MaxPooling2D((2, 3)); Flatten(); Dropout(0.2); Dense(5)",
        lambda nn: [nn.Conv2d(3, 16, 5, stride=2, padding=1, dilation=2), nn.BatchNorm2d(16), nn.AvgPool2d(3, stride=2, padding=1),
                    nn.Conv2d(16, 8, (3, 1), padding="same"), nn.MaxPool2d((2, 3)), nn.Flatten(), nn.Dropout(0.2),
                    nn.Linear(8 * 3 * 2, 5)],
        # conv: dilated kernel 2·(5 − 1) + 1 = 9; ⌊(29 + 2 − 9)/2⌋ + 1 = 12, ⌊(37 + 2 − 9)/2⌋ + 1 = 16; 5·5·3·16 + 16 = 1,216
        # BatchNorm2d(16): γ and β only, 2·16 = 32 (running mean and variance are buffers)
        # avg pool: ⌊(12 + 2 − 3)/2⌋ + 1 = 6, ⌊(16 + 2 − 3)/2⌋ + 1 = 8
        # conv (3, 1) same: 3·1·16·8 + 8 = 392; max pool (2, 3), stride = window: ⌊6/2⌋ = 3, ⌊(8 − 3)/3⌋ + 1 = 2
        # flatten 8·3·2 = 48; Linear(48, 5): 48·5 + 5 = 245
        [1_216, 32, 0, 392, 0, 0, 0, 245], [[16, 12, 16], [16, 12, 16], [16, 6, 8], [8, 6, 8], [8, 3, 2], [48], [48], [5]]),
    "conv1d": ((4, 50), "Conv1D(6, 3, strides=2); MaxPooling1D(2); Conv1D(2, 1, use_bias=False)",
               lambda nn: [nn.Conv1d(4, 6, 3, stride=2), nn.MaxPool1d(2), nn.Conv1d(6, 2, 1, bias=False)],
               # 3·4·6 + 6 = 78 on ⌊(50 − 3)/2⌋ + 1 = 24; ⌊24/2⌋ = 12; 1·6·2 = 12, no bias
               [78, 0, 12], [[6, 24], [6, 12], [2, 12]]),
}


def torch_counts_and_shapes(model, input_shape):
    """torch's numel sum per module and the shape after it, for one example."""
    torch = pytest.importorskip("torch")
    counts_, shapes_ = [], []
    x = torch.zeros(1, *input_shape)
    for module in model:
        x = module(x)
        counts_.append(sum(p.numel() for p in module.parameters()))
        shapes_.append(list(x.shape[1:]))
    return counts_, shapes_


@pytest.mark.parametrize("name", PYTORCH_MODELS)
def test_pytorch_models_by_hand(name):
    input_shape, layers, _, hand_counts, hand_shapes = PYTORCH_MODELS[name]
    d = solve(layers, input="x".join(map(str, input_shape)), framework="pytorch")
    assert counts(d) == hand_counts and shapes(d) == hand_shapes
    assert d.answers["total_params"] == d.answers["trainable_params"] == sum(hand_counts)
    assert d.answers["non_trainable_params"] == 0  # PyTorch: BatchNorm's running statistics are buffers


@pytest.mark.parametrize("name", PYTORCH_MODELS)
def test_pytorch_models_match_torch(name):
    nn = pytest.importorskip("torch.nn")
    input_shape, layers, make, hand_counts, hand_shapes = PYTORCH_MODELS[name]
    d = solve(layers, input="x".join(map(str, input_shape)), framework="pytorch")
    expected_counts, expected_shapes = torch_counts_and_shapes(make(nn), input_shape)
    assert (counts(d), shapes(d)) == (expected_counts, expected_shapes)
    assert (hand_counts, hand_shapes) == (expected_counts, expected_shapes)  # the hand values are torch's


# (torch module, layer, input features, hand count, output width)
PYTORCH_RECURRENT = [
    # RNN(5, 10): W_ih 10·5 + W_hh 10·10 + b_ih 10 + b_hh 10 = 170
    (lambda nn: nn.RNN(5, 10), "SimpleRNN(10)", 5, 10 * 5 + 10 * 10 + 2 * 10, 10),
    # LSTM(64, 128): 4 gates × (128·64 + 128·128 + 2·128) = 4 × 24,832 = 99,328
    (lambda nn: nn.LSTM(64, 128), "LSTM(128)", 64, 4 * (128 * 64 + 128 * 128 + 2 * 128), 128),
    # GRU(64, 128): 3 gates × (128·64 + 128·128 + 2·128) = 3 × 24,832 = 74,496 (two bias vectors per gate)
    (lambda nn: nn.GRU(64, 128), "GRU(128)", 64, 3 * (128 * 64 + 128 * 128 + 2 * 128), 128),
    # GRU(20, 4): 3 × (4·20 + 4·4 + 2·4) = 3 × 104 = 312
    (lambda nn: nn.GRU(20, 4), "GRU(4)", 20, 3 * (4 * 20 + 4 * 4 + 2 * 4), 4),
    # bidirectional LSTM(8, 10): 2 directions × 4 × (10·8 + 10·10 + 2·10) = 2 × 4 × 200 = 1,600; outputs concatenated
    (lambda nn: nn.LSTM(8, 10, bidirectional=True), "Bidirectional(LSTM(10))", 8, 2 * 4 * (10 * 8 + 10 * 10 + 2 * 10), 20),
    # GRU(8, 3) without biases: 3 × (3·8 + 3·3) = 99
    (lambda nn: nn.GRU(8, 3, bias=False), "GRU(3, use_bias=False)", 8, 3 * (3 * 8 + 3 * 3), 3),
]
RECURRENT_IDS = [layer for _, layer, *_ in PYTORCH_RECURRENT]


@pytest.mark.parametrize("make, layer, features, hand_count, width", PYTORCH_RECURRENT, ids=RECURRENT_IDS)
def test_pytorch_recurrent_counts_by_hand(make, layer, features, hand_count, width):
    d = solve(layer, input=f"7x{features}", framework="pytorch")
    assert counts(d) == [hand_count]
    assert shapes(d) == [[width]]  # without return_sequences: the last step


@pytest.mark.parametrize("make, layer, features, hand_count, width", PYTORCH_RECURRENT, ids=RECURRENT_IDS)
def test_pytorch_recurrent_counts_match_torch(make, layer, features, hand_count, width):
    nn = pytest.importorskip("torch.nn")
    torch = pytest.importorskip("torch")
    module = make(nn)
    d = solve(layer, input=f"7x{features}", framework="pytorch")
    assert counts(d) == [sum(p.numel() for p in module.parameters())] == [hand_count]
    output, _ = module(torch.zeros(7, features))  # unbatched: (steps, features)
    assert list(output.shape) == [7, width]


def test_pytorch_embedding_by_hand():
    d = solve("Embedding(1000, 64)", input="12", framework="pytorch")
    assert counts(d) == [1000 * 64]  # one 64-vector per word
    assert shapes(d) == [[12, 64]]


def test_pytorch_embedding_matches_torch():
    nn = pytest.importorskip("torch.nn")
    d = solve("Embedding(1000, 64)", input="12", framework="pytorch")
    assert counts(d) == [sum(p.numel() for p in nn.Embedding(1000, 64).parameters())]


def test_pytorch_batchnorm_running_statistics_are_not_parameters():
    # BatchNorm1d(6) on 6 features: γ, β = 2·6 = 12 parameters; running mean/variance are buffers, not counted
    d = solve("Dense(6); BatchNormalization()", input="4", framework="pytorch")
    assert counts(d) == [4 * 6 + 6, 2 * 6]
    assert (d.answers["total_params"], d.answers["non_trainable_params"]) == (30 + 12, 0)


def test_pytorch_two_bias_vectors_against_keras_one():
    # Keras LSTM(128) on 64 features: 4 × (128·192 + 128) = 98,816; PyTorch adds 4·128 = 512 more
    keras = solve("LSTM(128)", input="seqx64").answers["total_params"]
    pytorch = solve("LSTM(128)", input="seqx64", framework="pytorch").answers["total_params"]
    assert (keras, pytorch) == (98_816, 98_816 + 512)
