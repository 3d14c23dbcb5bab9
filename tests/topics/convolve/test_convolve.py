"""convolve's numbers against truth from outside dlsolve: the published 5×5 example and hand
calculations written here (these run without PyTorch), PyTorch's conv2d/max_pool2d/avg_pool2d
and SciPy's correlate2d/convolve2d, a Hypothesis fuzz against SciPy, and the slips that
check diagnoses."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlsolve.core.inputs import resolve
from dlsolve.topics.convolve import solve as convolve

PUBLISHED_IMAGE = [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]
PUBLISHED_KERNEL = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]
PUBLISHED_MAP = [[4, 3, 4], [2, 4, 3], [2, 3, 4]]  # the widely published result (e.g. the Stanford UFLDL tutorial's animation)


def answers(**values):
    """The solver's answers for a problem given as problem-file values."""
    return convolve.solve(resolve(convolve.FIELDS, {}, values)).answers


# --- hand values (no library needed) ---------------------------------------------------------------


def test_the_default_is_the_published_example():
    a = answers()
    assert a["output_shape"] == [3, 3] and a["feature_map"] == PUBLISHED_MAP and a["activated"] == PUBLISHED_MAP
    assert a["pooled"] is None and a["pooled_shape"] is None


def test_a_small_map_by_hand_in_both_modes():
    image = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    # correlation with [[1, 0], [0, −1]]: z₁₁ = 1·1 + 5·(−1) = −4, and every window differs by the same −4
    assert answers(image=image, kernel=[[1, 0], [0, -1]])["feature_map"] == [[-4, -4], [-4, -4]]
    # convolution flips it to [[−1, 0], [0, 1]]: z₁₁ = −1 + 5 = 4
    assert answers(image=image, kernel=[[1, 0], [0, -1]], mode="convolution")["feature_map"] == [[4, 4], [4, 4]]
    # a non-constant case: kernel [[1, 2]] → z₁₁ = 1 + 2·2 = 5; flipped [[2, 1]] → 2 + 2 = 4
    assert answers(image=image, kernel=[[1, 2]])["feature_map"][0] == [5, 8]
    assert answers(image=image, kernel=[[1, 2]], mode="convolution")["feature_map"][0] == [4, 7]


def test_padding_and_stride_by_hand():
    # padded 6×6 with P = 1, 2×2 kernel [[1, 0], [−1, 2]], S = 2: ⌊(4 − 2 + 2)/2⌋ + 1 = 3
    # z₁₁ = 0·1 + 0·0 + 0·(−1) + 1·2 = 2; z₁₂ = 0 + 0 + 2·(−1) + 0·2 = −2; z₂₁ = 0 + 0 + 0·(−1) + 2·2 = 4;
    # z₂₂ = 1·1 + 3·0 + 1·(−1) + 0·2 = 0; z₃₃ = 2·1 + 0 + 0 + 0 = 2
    a = answers(image=[[1, 2, 0, 1], [0, 1, 3, 1], [2, 1, 0, 0], [1, 0, 1, 2]], kernel=[[1, 0], [-1, 2]], padding=1, stride=2)
    assert a["output_shape"] == [3, 3]
    z = a["feature_map"]
    assert (z[0][0], z[0][1], z[1][0], z[1][1], z[2][2]) == (2, -2, 4, 0, 2)


def test_two_channels_are_summed_with_the_bias():
    # channel 1 window [[1, 0], [0, 1]]·[[1, 0], [0, 1]] = 2; channel 2 [[0, 1], [1, 0]]·[[0, 1], [1, 0]] = 2; + 0.5
    a = answers(image=[[[1, 0, 2], [0, 1, 1], [2, 1, 0]], [[0, 1, 1], [1, 0, 2], [1, 1, 0]]],
                kernel=[[[1, 0], [0, 1]], [[0, 1], [1, 0]]], bias=0.5)
    assert a["feature_map"] == [[4.5, 2.5], [2.5, 4.5]]


def test_pooling_of_the_published_map_by_hand():
    # 2×2 windows at stride 1 over [[4,3,4],[2,4,3],[2,3,4]]: max 4 everywhere;
    # avg (4+3+2+4)/4 = 3.25, (3+4+4+3)/4 = 3.5, (2+4+2+3)/4 = 2.75, (4+3+3+4)/4 = 3.5
    assert answers(pool="max", pool_stride=1)["pooled"] == [[4, 4], [4, 4]]
    a = answers(pool="avg", pool_stride=1)
    assert a["pooled"] == [[3.25, 3.5], [2.75, 3.5]] and a["pooled_shape"] == [2, 2]
    # the default stride is the pool size: ⌊(3 − 2)/2⌋ + 1 = 1, the last row and column left out
    assert answers(pool="max")["pooled"] == [[4]]


def test_bias_and_activation_by_hand():
    # z − 3 = [[1, 0, 1], [−1, 1, 0], [−1, 0, 1]]; ReLU keeps the non-negative ones; σ(1) = 1/(1 + e⁻¹)
    a = answers(bias=-3, activation="relu")
    assert a["feature_map"][1] == [-1, 1, 0] and a["activated"][1] == [0, 1, 0]
    s = answers(bias=-3, activation="sigmoid")["activated"]
    assert s[0][0] == pytest.approx(1 / (1 + math.exp(-1)), rel=1e-15) and s[0][1] == 0.5
    assert answers(bias=-3, activation="tanh")["activated"][1][0] == pytest.approx(math.tanh(-1), rel=1e-15)


def test_same_padding_keeps_the_size_at_stride_1_and_gives_ceil_at_stride_2():
    assert answers(padding="same")["feature_map"] == [  # the 5×5 image padded by 1: the published map with its border
        [2, 2, 3, 1, 1], [1, 4, 3, 4, 1], [1, 2, 4, 3, 3], [1, 2, 3, 4, 1], [0, 2, 2, 1, 1]]
    assert answers(padding="same", stride=2)["output_shape"] == [3, 3]  # ⌈5/2⌉
    # a 2×2 kernel, 'same' at stride 1: one zero row/column, at the bottom/right
    assert answers(image=[[1, 2], [3, 4]], kernel=[[1, 1], [1, 1]], padding="same")["feature_map"] == [[10, 6], [7, 4]]


# --- PyTorch -------------------------------------------------------------------------------------------


def torch_map(image, kernel, bias=0.0, stride=1, padding=0, mode="correlation"):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    x = torch.tensor(np.array(image, dtype=float)[None])
    k = torch.tensor(np.array(kernel, dtype=float)[None])
    if mode == "convolution":
        k = torch.flip(k, dims=(2, 3))
    return F.conv2d(x, k, torch.tensor([bias], dtype=torch.float64), stride=stride, padding=padding)[0, 0]


@pytest.mark.parametrize(("image", "kernel", "extra"), [
    ([PUBLISHED_IMAGE], [PUBLISHED_KERNEL], {}),
    ([[[1, 2, 0, 1], [0, 1, 3, 1], [2, 1, 0, 0], [1, 0, 1, 2]]], [[[1, 0], [-1, 2]]], {"padding": 1, "stride": 2}),
    ([[[0.5, -1, 2, 3, 1], [1, 0, -2, 1, 1], [2, 2, 0, 1, -1], [1, 1, 1, 0, 0]]], [[[1, 2, 3], [0, -1, 4]]],
     {"mode": "convolution", "bias": 0.25, "padding": 2, "stride": 3}),
    ([[[1, 0, 2], [0, 1, 1], [2, 1, 0]], [[0, 1, 1], [1, 0, 2], [1, 1, 0]]], [[[1, 0], [0, 1]], [[0, 1], [1, 0]]], {"bias": -1}),
])
def test_feature_maps_match_torch_conv2d(image, kernel, extra):
    expected = torch_map(image, kernel, **extra)
    assert np.allclose(answers(image=image, kernel=kernel, **extra)["feature_map"], expected.numpy(), rtol=1e-13, atol=1e-13)


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths")  # PyTorch's note that it copies the input
def test_same_padding_at_stride_1_matches_torch():
    torch = pytest.importorskip("torch")
    image, kernel = np.arange(20, dtype=float).reshape(4, 5) % 7, [[1, -1], [2, 0]]  # an even kernel: the extra zero bottom/right
    expected = torch.nn.functional.conv2d(torch.tensor(image[None, None]), torch.tensor([[kernel]], dtype=torch.float64), padding="same")
    assert np.array_equal(answers(image=image.tolist(), kernel=kernel, padding="same")["feature_map"], expected[0, 0].numpy())


def test_same_padding_at_stride_2_is_tensorflows_rule():
    torch = pytest.importorskip("torch")
    # TensorFlow: out = ⌈W/S⌉, total zeros = max((out − 1)·S + K − W, 0), the odd one after: W = 6, K = 3, S = 2 → 1 zero, after
    image = np.arange(36, dtype=float).reshape(6, 6) % 5
    kernel = [[1, 0, -1], [2, 1, 0], [0, 1, 1]]
    padded = torch.nn.functional.pad(torch.tensor(image[None, None]), (0, 1, 0, 1))  # (left, right, top, bottom)
    expected = torch.nn.functional.conv2d(padded, torch.tensor([[kernel]], dtype=torch.float64), stride=2)[0, 0]
    a = answers(image=image.tolist(), kernel=kernel, padding="same", stride=2)
    assert a["output_shape"] == [3, 3] and np.array_equal(a["feature_map"], expected.numpy())


@pytest.mark.parametrize(("pool", "size", "stride"), [("max", 2, None), ("avg", 2, None), ("max", 3, 1), ("avg", 2, 1), ("max", 2, 3)])
def test_pooling_after_the_activation_matches_torch(pool, size, stride):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    image = (np.arange(49, dtype=float).reshape(7, 7) * 3) % 11 - 4
    kernel = [[1, 0], [-1, 1]]
    z = torch_map([image.tolist()], [kernel], bias=0.5)
    a = torch.relu(z)[None, None]
    expected = (F.max_pool2d if pool == "max" else F.avg_pool2d)(a, size, stride or size)[0, 0]
    got = answers(image=image.tolist(), kernel=kernel, bias=0.5, activation="relu", pool=pool, pool_size=size,
                  pool_stride=stride or size)
    assert np.allclose(got["pooled"], expected.numpy(), rtol=1e-14, atol=0) and got["pooled_shape"] == list(expected.shape)


# --- SciPy, and a fuzz against it -----------------------------------------------------------------------


def test_correlation_and_convolution_match_scipy():
    signal = pytest.importorskip("scipy.signal")
    image = (np.arange(30, dtype=float).reshape(5, 6) * 7) % 5 - 2
    kernel = np.array([[1, 2, 0], [-1, 0, 3]], dtype=float)
    assert np.array_equal(answers(image=image.tolist(), kernel=kernel.tolist())["feature_map"], signal.correlate2d(image, kernel, "valid"))
    assert np.array_equal(answers(image=image.tolist(), kernel=kernel.tolist(), mode="convolution")["feature_map"],
                          signal.convolve2d(image, kernel, "valid"))


@st.composite
def problems(draw):
    channels, H, W = draw(st.integers(1, 3)), draw(st.integers(1, 7)), draw(st.integers(1, 7))
    padding, stride = draw(st.integers(0, 2)), draw(st.integers(1, 3))
    Kh, Kw = draw(st.integers(1, H + 2 * padding)), draw(st.integers(1, W + 2 * padding))
    entries = st.integers(-4, 4).map(float)
    image = [[[draw(entries) for _ in range(W)] for _ in range(H)] for _ in range(channels)]
    kernel = [[[draw(entries) for _ in range(Kw)] for _ in range(Kh)] for _ in range(channels)]
    return {"image": image, "kernel": kernel, "padding": padding, "stride": stride, "bias": draw(entries),
            "mode": draw(st.sampled_from(["correlation", "convolution"]))}


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(problem=problems())
def test_any_small_problem_matches_scipy(problem):
    signal = pytest.importorskip("scipy.signal")
    P, S = problem["padding"], problem["stride"]
    full = sum((signal.convolve2d if problem["mode"] == "convolution" else signal.correlate2d)(np.pad(np.array(x), P), np.array(k), "valid")
               for x, k in zip(problem["image"], problem["kernel"]))
    expected = full[::S, ::S] + problem["bias"]
    a = answers(**problem)
    assert a["output_shape"] == list(expected.shape) and np.array_equal(a["feature_map"], expected)


# --- slips and error carried forward ---------------------------------------------------------------------


def slip_names(checked) -> list[str]:
    return [d.slip for d in checked.diagnoses]


PADDED = 'image = [[1, 2, 0, 1], [0, 1, 3, 1], [2, 1, 0, 0], [1, 0, 1, 2]]\nkernel = [[1, 0], [-1, 2]]\npadding = 1\nstride = 2'


def test_the_kernel_flipped_in_a_correlation_is_diagnosed(checked_answers):
    # flipped [[2, −1], [0, 1]] on the unpadded 4×4: z₁₁ = 1·2 + 2·(−1) + 0·0 + 1·1 = 1
    found = checked_answers("convolve", '"feature_map.1.1" = 1', "image = [[1, 2, 0, 1], [0, 1, 3, 1], [2, 1, 0, 0], [1, 0, 1, 2]]\nkernel = [[1, 0], [-1, 2]]")
    assert "kernel-flipped" in slip_names(found["feature_map.1.1"])


def test_the_kernel_not_flipped_in_a_convolution_is_diagnosed(checked_answers):
    # image [[1, 2, 3], [4, 5, 6], [7, 8, 9]], kernel [[1, 2]]: correlation gives 5, 8 in row 1; convolution 4, 7
    found = checked_answers("convolve", '"feature_map.1" = [5, 8]', 'image = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]\nkernel = [[1, 2]]\nmode = "convolution"')
    assert "kernel-not-flipped" in slip_names(found["feature_map.1"])


def test_padding_forgotten_and_stride_ignored_are_diagnosed(checked_answers):
    # no padding, S = 2: ⌊(4 − 2)/2⌋ + 1 = 2; z₁₁ = 1·1 + 2·0 + 0·(−1) + 1·2 = 3
    # padding kept, S = 1: 5×5, z₁₂ = 0·1 + 0·0 + 1·(−1) + 2·2 = 3
    found = checked_answers("convolve", 'output_shape = [2, 2]\n"feature_map.1.1" = 3\n"feature_map.1.2" = 3', PADDED)
    assert "size-without-2p" in slip_names(found["output_shape"])
    assert "padding-forgotten" in slip_names(found["feature_map.1.1"])
    assert "stride-ignored" in slip_names(found["feature_map.1.2"])


def test_output_size_without_the_plus_one_is_diagnosed(checked_answers):
    found = checked_answers("convolve", "output_shape = [2, 2]")  # ⌊(5 − 3)/1⌋ = 2 instead of 3
    assert "size-without-plus-one" in slip_names(found["output_shape"])


def test_average_for_max_is_diagnosed_from_the_students_own_map(checked_answers):
    # the student's activated map is wrong (z₁₁ = 5); the average of its 2×2 window is (5 + 3 + 2 + 4)/4 = 3.5
    found = checked_answers("convolve", 'activated = [[5, 3, 4], [2, 4, 3], [2, 3, 4]]\npooled = [[3.5]]', 'pool = "max"')
    assert "avg-for-max" in slip_names(found["pooled"])


def test_activated_and_pooled_are_carried_forward_from_the_students_map(checked_answers):
    # z = published map − 3 = [[1, 0, 1], [−1, 1, 0], [−1, 0, 1]]; the student's z₁₁ = 2 (wrong, but an attempt: within a
    # factor 2); ReLU of theirs: a₁₁ = 2, and max pooling of their a over the one 2×2 window: max(2, 0, 0, 1) = 2 (right: 1)
    found = checked_answers("convolve", 'feature_map = [[2, 0, 1], [-1, 1, 0], [-1, 0, 1]]\nactivated = [[2, 0, 1], [0, 1, 0], [0, 0, 1]]\npooled = [[2]]',
                     'bias = -3\nactivation = "relu"\npool = "max"')
    assert found["feature_map"].status == "wrong"
    assert found["activated"].status == "carried" and found["pooled"].status == "carried"


# --- the exercise generator ---------------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["easy", "exam", "hard"])
def test_the_generators_plain_python_maps_agree_with_scipy(level):
    """practice.py judges an exercise worth asking with plain-Python maps (no NumPy when printing
    it); they agree with SciPy's, and the solver's answers with both."""
    signal = pytest.importorskip("scipy.signal")
    from dlsolve.practice import generate
    from dlsolve.topics.convolve.practice import _maps

    for seed in range(20):
        problem = generate("convolve", seed, level).problem
        z, a, pooled = _maps(problem)
        padding = 1 if problem.get("padding") == "same" else problem.get("padding", 0)  # 'same' with 3×3 at stride 1: one zero
        slide = signal.convolve2d if problem.get("mode") == "convolution" else signal.correlate2d
        S = problem.get("stride", 1)
        expected = sum(slide(np.pad(np.array(x), padding), np.array(k), "valid")
                       for x, k in zip(problem["image"], problem["kernel"]))[::S, ::S] + problem.get("bias", 0)
        assert np.array_equal(z, expected), (level, seed)
        solved = answers(**problem)
        assert solved["feature_map"] == z and solved["activated"] == a and (solved["pooled"] or []) == pooled
