"""dlsolve convolve on the command line: the SPEC's options and answers, problem files, and
every bad input as one line naming the option, exit 2, nothing written."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def answers(result):
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["answers"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """A real process, so the shell's bytes (control characters) reach dlsolve as typed."""
    return subprocess.run([sys.executable, "-m", "dlsolve", "convolve", *args], capture_output=True, text=True, timeout=120)


def test_help_has_examples_and_limits(cli):
    result = cli("convolve", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert '--image "1,0,2; 0,1,1; 2,1,0" --image "0,1,1; 1,0,2; 1,1,0"' in text and "Limits" in text


def test_json_answers_follow_the_spec(cli):
    data = json.loads(cli("convolve", "-f", "json").stdout)
    assert list(data["answers"]) == ["output_shape", "feature_map", "activated", "pooled", "pooled_shape"]
    assert data["answers"]["feature_map"] == [[4, 3, 4], [2, 4, 3], [2, 3, 4]]  # the published example
    assert data["inputs"]["padding"] == 0 and data["inputs"]["mode"] == "correlation"
    assert any("cross-correlation" in note for note in data["notes"])


def test_every_output_element_is_written_as_its_sum_of_products(cli):
    out = cli("convolve").stdout
    # z₁₁ = 1·1 + 1·0 + 1·1 + 0·0 + 1·1 + 1·0 + 0·1 + 0·0 + 1·1 = 4 (the image's top-left 3×3 window times the kernel)
    assert "z₁₁ = 1·1 + 1·0 + 1·1 + 0·0 + 1·1 + 1·0 + 0·1 + 0·0 + 1·1 = 4" in out
    assert "⌊(5 − 3 + 2 · 0)/1⌋ + 1 = 3" in out


def test_convolution_mode_shows_the_flipped_kernel(cli):
    out = cli("convolve", "--mode", "convolution", "--kernel", "1,2; 3,4").stdout
    assert "flipped kernel k′" in out and "k′[m, n] = k[3 − m, 3 − n]" in out


def test_pooling_names_the_window_of_each_value(cli):
    out = cli("convolve", "--pool", "max", "--pool-stride", "1").stdout
    assert "p₁₁ = max(4, 3, 2, 4) = 4 (window rows 1–2, columns 1–2; the maximum is z₁₁)" in out


def test_a_large_image_is_a_matrix_with_the_first_element_written(cli):
    image = "; ".join(",".join(str((i * j) % 3) for j in range(30)) for i in range(30))
    out = cli("convolve", "--image", image).stdout
    assert "the first written out" in out and "z₁₂ =" not in out and "⋮" in out


def test_a_problem_file_with_one_matrix_or_one_per_channel(cli, tmp_path):
    one = tmp_path / "one.toml"
    one.write_text('command = "convolve"\nimage = [[1, 2], [3, 4]]\nkernel = [[1, 1], [1, 1]]\n', encoding="utf-8")
    assert answers(cli("convolve", "-p", str(one), "-f", "json"))["feature_map"] == [[10]]  # 1 + 2 + 3 + 4
    two = tmp_path / "two.toml"
    two.write_text('command = "convolve"\nimage = [[[1, 2], [3, 4]], [[1, 0], [0, 1]]]\nkernel = [[[1, 1], [1, 1]], [[2, 0], [0, 2]]]\n',
                   encoding="utf-8")
    assert answers(cli("convolve", "-p", str(two), "-f", "json"))["feature_map"] == [[14]]  # 10 + (2 + 2)


@pytest.mark.parametrize(("args", "words"), [
    (("--kernel", "1,1,1,1,1,1"), ("--kernel", "1×6", "larger than the image (5×5)")),
    (("--kernel", "1,1,1,1,1,1,1,1", "--padding", "1"), ("--kernel", "larger than the padded image (7×7)")),
    (("--image", "1,2; 3,4", "--image", "1,2; 3,4"), ("--kernel", "1 channel(s) but --image for 2")),
    (("--image", "1,2; 3,4", "--image", "1,2,3; 3,4,5", "--kernel", "1", "--kernel", "1"), ("--image (channel 2)", "2×3", "2×2")),
    (("--kernel", "1,0; 0,1", "--kernel", "1,0,0; 0,1,0; 0,0,1", "--image", "1,1; 1,1", "--image", "1,1; 1,1"), ("--kernel (channel 2)",)),
    (("--pool", "max", "--pool-size", "4"), ("--pool-size", "larger than the 3×3 feature map")),
    (("--image", "1,2; 3"), ("--image", "row 2 has 1 number but row 1 has 2")),
    (("--image", "1,nan; 3,4"), ("--image", "'nan' is not a number")),
    (("--image", "1,inf; 3,4"), ("--image", "not a number")),
    (("--kernel", "1e400"), ("--kernel", "too large")),
    (("--image", ""), ("--image", "is empty")),
    (("--bias", "x"), ("--bias", "not a number")),
    (("--stride", "0"), ("--stride", "at least 1")),
    (("--padding", "-1"), ("--padding", "whole number ≥ 0, valid or same")),
    (("--padding", "full"), ("--padding", "valid or same")),
    (("--padding", "1000000"), ("--image/--padding", "the padded image has", "at most 1,000,000")),
    (("--padding", "10000000"), ("--padding", "at most 1,000,000")),
    (("--pool-size", "0", "--pool", "max"), ("--pool-size", "at least 1")),
    (("--mode", "conv"), ("--mode", "correlation, convolution")),
    (("--activation", "softmax"), ("--activation", "none, relu, sigmoid, tanh")),
    (("--image", "1e200,1e200; 1e200,1e200", "--kernel", "1e200"), ("--image/--kernel", "overflow")),
    (("--image", "1e308,1e308; 1e308,1e308", "--kernel", "1", "--pool", "avg"), ("--image/--pool", "overflow")),
])
def test_bad_input_is_one_line(cli, input_error, args, words):
    result = cli("convolve", *args)
    input_error(result, words[0])
    for word in words[1:]:
        assert word in result.stderr


def test_total_work_is_capped(cli, input_error, tmp_path):
    # a 1,000×1,000 image with a 2×2 kernel: 999² · 4 = 3,992,004 multiply-adds
    problem = tmp_path / "big.json"
    problem.write_text(json.dumps({"command": "convolve", "image": [[1] * 1000] * 1000, "kernel": [[1, 1], [1, 1]]}), encoding="utf-8")
    result = cli("convolve", "-p", str(problem))
    input_error(result, "3,992,004 multiply-adds and pooled values; at most 1,000,000")


def test_too_many_channels_are_refused(cli, input_error):
    result = cli("convolve", *[arg for _ in range(65) for arg in ("--image", "1")], *[arg for _ in range(65) for arg in ("--kernel", "1")])
    input_error(result, "65 channels; at most 64")


def test_control_characters_in_a_real_shell_are_one_escaped_line():
    result = run("--image", "1,2\x1b[31m;3,4\r\n5", "-f", "json")
    assert result.returncode == 2 and result.stdout == ""
    line, = result.stderr.splitlines()
    assert "--image" in line and "\\x1b" in line and "Traceback" not in line


def test_nothing_is_written_to_the_output_on_an_error(tmp_path):
    target = tmp_path / "out.md"
    result = run("--kernel", "1,1,1,1,1,1,1", "-f", "markdown", "-o", str(target))
    assert result.returncode == 2 and not target.exists()


def test_the_channels_values_are_counted_together_before_any_is_read(input_error, cli, tmp_path):
    # 2 channels of 800×800 = 1,280,000 numbers: each channel alone is under the cap, both together are not
    problem = tmp_path / "wide.json"
    channel = [[0] * 800] * 800
    problem.write_text(json.dumps({"command": "convolve", "image": [channel, channel], "kernel": [[[1]], [[1]]]}), encoding="utf-8")
    input_error(cli("convolve", "-p", str(problem)), "image in")
    assert "1,280,000 numbers; at most 1,000,000" in cli("convolve", "-p", str(problem)).stderr
