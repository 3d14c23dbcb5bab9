"""Sizes on one axis: the zeros of 'same' padding and the output size ⌊(W − K + P₁ + P₂)/S⌋ + 1.
No NumPy: the exercise generator uses them too."""

from __future__ import annotations

from typing import NamedTuple


class Pads(NamedTuple):
    """Zeros added on each side of every channel."""

    top: int
    bottom: int
    left: int
    right: int

    @property
    def any(self) -> bool:
        return any(self)


def same_pads(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """TensorFlow's 'same' rule on one axis: the output has ⌈W/S⌉ positions, the zeros needed
    for that are max((⌈W/S⌉ − 1)·S + K − W, 0), the odd one at the bottom/right. At stride 1
    it is K − 1 zeros (⌊(K − 1)/2⌋ before), PyTorch's padding='same'."""
    total = max((-(-size // stride) - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def output_size(size: int, kernel: int, before: int, after: int, stride: int) -> int:
    """⌊(W − K + P₁ + P₂)/S⌋ + 1 (≤ 0 when the kernel does not fit)."""
    return (size - kernel + before + after) // stride + 1
