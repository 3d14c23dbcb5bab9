"""The arithmetic of sliding windows, shared by the solver and the slips: zero padding,
cross-correlation summed over the channels, and max/average pooling (PyTorch's floor mode,
no pooling padding). The sizes are in sizes.py (no NumPy, for the exercise generator).

Arrays are channels first: an image is C × H × W, a kernel C × K_h × K_w.
"""

from __future__ import annotations

import numpy as np

from dlsolve.topics.convolve.sizes import Pads


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
