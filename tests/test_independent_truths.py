"""Edge answers that no other test pinned down, each compared with a value from outside the code.
A mutation check found them: a solver with the one-character change named in each docstring
passed every other test run without torch."""

from __future__ import annotations

import math

import pytest

from dlsolve.runner import derive

# --- backprop: ReLU at a net input of exactly 0 ---------------------------------------------------

# x = 1, hidden ReLU unit with w₁ = 0, b₁ = 0, so net_h = 0 exactly; output σ(w₂h + b₂) with w₂ = 1, b₂ = 0.5
RELU_AT_ZERO = {"x": "1", "target": "1", "weights": ["0", "1"], "biases": ["0", "0.5"], "activation": ["relu", "sigmoid"]}


def test_backprop_relu_slope_at_zero_is_zero():
    """Mutation: relu′ = [net ≥ 0] instead of [net > 0]."""
    a = derive("backprop", RELU_AT_ZERO).answers
    # SPEC: relu′(0) = 0 (PyTorch autograd's value), so δ_h = w₂ δ_o · 0 = 0 and ∂E/∂w₁ = δ_h x = 0
    y = 1 / (1 + math.exp(-0.5))  # h = max(0, 0) = 0, so net_o = 0.5
    assert a["outputs"] == pytest.approx([y], rel=1e-15)
    assert a["deltas"][1] == pytest.approx([(y - 1) * y * (1 - y)], rel=1e-12)
    assert a["deltas"][0] == [0.0] and a["grad_weights"][0] == [[0.0]]


def test_backprop_relu_slope_at_zero_matches_torch():
    torch = pytest.importorskip("torch")
    w1, w2 = torch.zeros(1, 1, dtype=torch.float64, requires_grad=True), torch.ones(1, 1, dtype=torch.float64, requires_grad=True)
    y = torch.sigmoid(w2 @ torch.relu(w1 @ torch.ones(1, dtype=torch.float64)) + 0.5)
    (0.5 * (1 - y) ** 2).sum().backward()
    a = derive("backprop", RELU_AT_ZERO).answers
    assert a["grad_weights"][0] == [[w1.grad.item()]] == [[0.0]]


# --- rbf-xor: an output equal to the threshold ----------------------------------------------------


def test_rbf_output_equal_to_the_threshold_is_class_0():
    """Mutation: class 1 when y ≥ θ instead of y > θ."""
    # NOTES-PROBLEMS §2 and SPEC: class 1 when the output is above the threshold (0 for given weights).
    # With every weight 0 the output is 0 = θ for each input: class 0 everywhere.
    a = derive("rbf-xor", {"weights": "0,0,0,0"}).answers
    assert a["outputs"] == [0, 0, 0, 0] and a["predictions"] == [0, 0, 0, 0]
    assert a["correct"] is False  # XOR's targets are 0, 1, 1, 0
