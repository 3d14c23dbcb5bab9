"""The arithmetic of sliding windows, shared by the solver, the slips and the exercises:
zero padding, the output size ⌊(W − K + P₁ + P₂)/S⌋ + 1, cross-correlation summed over the
channels, and max/average pooling (PyTorch's floor mode, no pooling padding).

Arrays are channels first: an image is C × H × W, a kernel C × K_h × K_w.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


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


def padded(image: np.ndarray, pads: Pads) -> np.ndarray:
    """The image with zeros around each channel."""
    return np.pad(image, ((0, 0), (pads.top, pads.bottom), (pads.left, pads.right)))


def flipped(kernel: np.ndarray) -> np.ndarray:
    """The kernel rotated by 180° (rows and columns reversed), what convolution slides."""
    return kernel[:, ::-1, ::-1].copy()


def windows(image: np.ndarray, shape: tuple[int, int], stride: int) -> np.ndarray:
    """Every window of ``shape`` at ``stride``: an array C × H_out × W_out × K_h × K_w (a view)."""
    view = np.lib.stride_tricks.sliding_window_view(image, shape, axis=(1, 2))
    return view[:, ::stride, ::stride]


def correlate(image: np.ndarray, kernel: np.ndarray, stride: int) -> np.ndarray:
    """Each channel's cross-correlation (C × H_out × W_out): Σ_m Σ_n x[iS + m, jS + n]·k[m, n];
    the feature map is their sum over the channels plus the bias."""
    return np.einsum("chwmn,cmn->chw", windows(image, kernel.shape[1:], stride), kernel)


def pool(values: np.ndarray, size: int, stride: int, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Max or average over size × size windows of a 2-D map: the pooled map, and for each
    pooled value the flat index (in its window, row by row) of the first maximum (0 for avg)."""
    view = windows(values[None], (size, size), stride)[0]
    flat = view.reshape(*view.shape[:2], size * size)
    if kind == "max":
        return flat.max(axis=2), flat.argmax(axis=2)
    return flat.mean(axis=2), np.zeros(flat.shape[:2], dtype=int)
