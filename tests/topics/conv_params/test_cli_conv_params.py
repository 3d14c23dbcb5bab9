"""dlsolve conv-params on the command line: the SPEC's options and answers, problem files,
and bad input as one clear line naming the option and the layer."""

import json

import pytest


def answers(result):
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["answers"]


def test_help_has_examples(cli):
    result = cli("conv-params", "--help")
    assert result.exit_code == 0
    assert 'dlsolve conv-params --input seq --layers "Embedding(1000, 64); LSTM(128)"' in result.stdout


def test_json_answers_follow_the_spec(cli):
    data = json.loads(cli("conv-params", "-f", "json").stdout)
    assert list(data["answers"]) == ["layers", "total_params", "trainable_params", "non_trainable_params"]
    first = data["answers"]["layers"][0]
    assert first == {"name": "conv2d", "output_shape": [30, 30, 32], "params": 896, "trainable": 896}
    assert data["answers"]["total_params"] == 19_392  # 896 + 0 + 18,496
    assert any("1849" in note for note in data["notes"])


def test_unknown_length_is_null_in_json(cli):
    result = cli("conv-params", "--input", "seq", "--layers", "Embedding(1000, 64); LSTM(128)", "-f", "json")
    assert answers(result)["layers"][0]["output_shape"] == [None, 64]


def test_repeated_layer_option_and_semicolons_give_the_same_network(cli):
    repeated = cli("conv-params", "--input", "28x28x1", "--layer", "Conv2D(32, 3)", "--layer", "MaxPooling2D(2)",
                   "--layer", "Flatten()", "--layer", "Dense(10)", "-f", "json")
    joined = cli("conv-params", "--input", "28x28x1", "--layers", "Conv2D(32, 3); MaxPooling2D(2); Flatten(); Dense(10)", "-f", "json")
    assert answers(repeated) == answers(joined)
    # 3·3·1·32 + 32 = 320; 13·13·32 = 5,408 values; 5408·10 + 10 = 54,090
    assert answers(joined)["total_params"] == 320 + 54_090


def test_text_counts_have_thousands_separators(cli):
    out = cli("conv-params", "--input", "seq", "--layers", "Embedding(1000, 64); LSTM(128)").stdout
    assert "Total params: 162,816" in out and "4 × 24,704 = 98,816" in out


def test_pytorch_framework(cli):
    got = answers(cli("conv-params", "--framework", "pytorch", "-f", "json"))
    assert got["layers"][0]["output_shape"] == [32, 30, 30]  # channels first on the default 3x32x32
    assert got["total_params"] == 19_392


def test_problem_file_with_a_layer_list_and_an_override(cli, tmp_path):
    problem = tmp_path / "cnn.toml"
    problem.write_text('command = "conv-params"\ninput = "32x32x3"\nlayers = ["Conv2D(16, 3)", "Flatten()"]\n', encoding="utf-8")
    assert answers(cli("conv-params", "-p", str(problem), "-f", "json"))["total_params"] == 3 * 3 * 3 * 16 + 16
    overridden = answers(cli("conv-params", "-p", str(problem), "--layers", "Conv2D(8, 3)", "-f", "json"))
    assert overridden["total_params"] == 3 * 3 * 3 * 8 + 8


def test_json_problem_file_with_null_dimension(cli, tmp_path):
    problem = tmp_path / "rnn.json"
    problem.write_text(json.dumps({"command": "conv-params", "input": [None, 5], "layers": "SimpleRNN(10)"}), encoding="utf-8")
    assert answers(cli("conv-params", "-p", str(problem), "-f", "json"))["total_params"] == 160  # 10·5 + 10·10 + 10


@pytest.mark.parametrize(
    "args, message",
    [
        (["--layers", "__import__('os').system('touch hacked')"], "--layers (layer 1): \"__import__('os').system('touch hacked')\": attribute access is not allowed"),
        (["--layers", "Conv2D(32, 3); import os"], "--layers (layer 2): 'import os' is not a layer call: invalid syntax"),
        (["--layers", "layers.Conv2D(32, 3)"], "--layers (layer 1): 'layers.Conv2D(32, 3)': attribute access is not allowed"),
        (["--layers", "Dense((lambda: 10)())"], "--layers (layer 1): 'Dense((lambda: 10)())': the layer must be a plain name"),
        (["--layers", "Dense(lambda: 10)"], "must be literal values (numbers, strings, True/False/None, tuples), not a lambda"),
        (["--layers", "Conv2D(32, (3, 3)"], "--layers (layer 1): 'Conv2D(32, (3, 3)' is not a layer call: '(' was never closed"),
        (["--layers", "Conv2D(32, 3))"], "unmatched ')'"),
        (["--input", "32x32x3", "--layers", "Conv2D(32, -3)"], "--layers (layer 1): Conv2D(32, -3): kernel_size must be at least 1, got -3"),
        (["--input", "32x32x3", "--layers", "Flatten(); Dense(0)"], "--layers (layer 2): Dense(0): units must be at least 1, got 0"),
        (["--input", "32x32x3", "--layers", "Conv2D(0, 3)"], "--layers (layer 1): Conv2D(0, 3): filters must be at least 1, got 0"),
        (["--input", "4x4x3", "--layer", "Conv2D(8, 3)", "--layer", "Conv2D(8, 3)"],
         "--layer (layer 2): Conv2D(8, 3) on a 2 × 2 × 8 input: the height and width (2) are too small for a 3-wide window: "
         "⌊(2 − 3 + 2·0)/1⌋ + 1 = 0 ≤ 0"),
        (["--input", "32x32x3", "--layers", "Conv2D(32, 3, kernal_size=3)"],
         "--layers (layer 1): Conv2D(32, 3, kernal_size=3): Conv2D has no argument 'kernal_size'; did you mean kernel_size?"),
        (["--input", "32x32x3", "--layers", "Conv3d(32, 3)"], "--layers (layer 1): unknown layer 'Conv3d'; did you mean Conv2D?"),
        (["--input", "32x32x3", "--layers", "Dense(10, 'relu', True, 3)"], "Dense takes at most 2 positional arguments (units, activation), got 4"),
        (["--input", "32x32x3", "--layers", "Conv2D(8, 3);;Dense(2)"], "--layers (layer 2): is empty"),
        (["--input", "32x0x3"], "--input: '32x0x3': every size must be at least 1, got 0"),
        (["--input", "32x32xthree"], "--input: '32x32xthree' is not a shape: 'three' is not a whole number"),
        (["--input", "1x2x3x4x5"], "--input: '1x2x3x4x5' has 5 dimensions"),
        (["--input", "2x2x3"], "--input (the notes' layer 1): Conv2D(32, 3) on a 2 × 2 × 3 input: the height and width (2) are too small"),
        (["--input", "32x32", "--layers", "Conv2D(8, 3)"], "needs a 3-D input (height × width × channels), got 32 × 32 (2-D)"),
        (["--layers", "LSTM(8)"], "--input: give the input shape without the batch dimension"),
        (["--input", "seq", "--layers", "Dense(8)"], "--layers (layer 1): Dense(8) on token ids of any length: needs a known number of features"),
        (["--layer", "Dense(2)", "--layers", "Dense(3)"], "--layer/--layers: give the layers one way"),
        (["--framework", "tensorflow"], "--framework: 'tensorflow' is not one of keras, pytorch"),
        (["--framework", "pytorch", "--input", "3x8x8", "--layers", "Conv2D(4, 3, strides=2, padding='same')"],
         "PyTorch's padding='same' needs stride 1"),
    ],
)
def test_bad_input_is_one_clear_line(cli, input_error, args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("conv-params", *args)
    input_error(result, message)
    assert result.stderr.startswith("dlsolve conv-params: error: ")
    assert list(tmp_path.iterdir()) == []  # nothing was executed: no file "hacked"


@pytest.mark.parametrize(
    "content, message",
    [
        ("layers = 3\n", "layers in p.toml: expected a string of layers separated by ';' or a list of layer strings"),
        ("input = []\n", "input in p.toml: is empty"),
        ('layers = ["Dense(2)", "Dense(two)"]\n', "layers in p.toml (layer 2): 'Dense(two)': the arguments of Dense() must be literal values"),
    ],
)
def test_bad_problem_files(cli, tmp_path, content, message):
    problem = tmp_path / "p.toml"
    problem.write_text('command = "conv-params"\n' + content, encoding="utf-8")
    result = cli("conv-params", "-p", str(problem))
    assert result.exit_code == 2 and message in result.stderr
