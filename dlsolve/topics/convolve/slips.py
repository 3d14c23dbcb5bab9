"""convolve: each stage recomputed from the student's own earlier values, and the slips a
marker sees in feature-map exercises.

Carried forward: activated = f(the student's feature_map); pooled = the pooling of the
student's activated (or of f of their feature_map when they skipped it); pooled_shape from
the student's output_shape.

Slips: the kernel not flipped when convolution is asked, or flipped when it is not; the
padding forgotten (the map of the unpadded image); the output size without the 2P or
without the + 1; the stride ignored (stride 1 used); the bias forgotten; the average taken
instead of the maximum, or the maximum instead of the average. A wrong feature map carries
its slip on to the activated and pooled maps.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlsolve.checking.keys import Path
from dlsolve.checking.slips import Analysis, Carried, Slip, Work
from dlsolve.core.activations import ACTIVATIONS
from dlsolve.topics.convolve.solve import Problem, problem
from dlsolve.topics.convolve.sizes import Pads, output_size
from dlsolve.topics.convolve.windows import correlate, flipped, padded, pool

NO_PADS = Pads(0, 0, 0, 0)


def _activate(p: Problem, z: np.ndarray) -> np.ndarray:
    return ACTIVATIONS[p.activation].apply(z) if p.activation != "none" else z


def _pooled(p: Problem, a: np.ndarray, kind: str | None = None) -> list[list[float]] | None:
    """The pooling of ``a`` (None when the pool does not fit it)."""
    if p.pool_size > min(a.shape):
        return None
    return pool(a, p.pool_size, p.pool_stride, kind or p.pool)[0].tolist()


def _sizes(p: Problem, pads: Pads, stride: int, plus_one: bool = True) -> list[int]:
    (_, H, W), (_, Kh, Kw) = p.image.shape, p.kernel.shape
    one = 0 if plus_one else 1
    return [output_size(H, Kh, pads.top, pads.bottom, stride) - one, output_size(W, Kw, pads.left, pads.right, stride) - one]


def _map_slip(p: Problem, name: str, text: str, kernel: np.ndarray, pads: Pads, stride: int, bias: float) -> Slip | None:
    """A slip in the feature map, carried on to the activated and pooled maps (None when the
    slip's kernel would not fit)."""
    (_, H, W), (_, Kh, Kw) = p.image.shape, kernel.shape
    if Kh > H + pads.top + pads.bottom or Kw > W + pads.left + pads.right:
        return None
    z = correlate(padded(p.image, pads), kernel, stride).sum(axis=0) + bias
    a = _activate(p, z)
    values: dict[Path, Any] = {("output_shape",): list(z.shape), ("feature_map",): z.tolist(), ("activated",): a.tolist()}
    if p.pool != "none":
        values[("pooled",)] = _pooled(p, a)
    return Slip(name, text, {path: v for path, v in values.items() if v is not None})


def _slips(p: Problem, work: Work) -> list[Slip | None]:
    flip_matters = not np.array_equal(flipped(p.kernel), p.kernel)
    slips: list[Slip | None] = []
    if p.mode == "convolution" and flip_matters:
        slips.append(_map_slip(p, "kernel-not-flipped", "the kernel not flipped: cross-correlation, where convolution flips the kernel by 180° first",
                               p.kernel, p.pads, p.stride, p.bias))
    if p.mode == "correlation" and flip_matters:
        slips.append(_map_slip(p, "kernel-flipped", "the kernel flipped by 180° (convolution), where a layer's cross-correlation uses it as given",
                               flipped(p.kernel), p.pads, p.stride, p.bias))
    if p.pads.any:
        slips.append(_map_slip(p, "padding-forgotten", "the zero padding left out: the kernel slid over the unpadded image",
                               p.used, NO_PADS, p.stride, p.bias))
        slips.append(Slip("size-without-2p", "the output size without the padding: ⌊(W − K)/S⌋ + 1 instead of ⌊(W − K + 2P)/S⌋ + 1",
                          {("output_shape",): _sizes(p, NO_PADS, p.stride)}))
    if p.stride > 1:
        slips.append(_map_slip(p, "stride-ignored", f"the stride ignored: the window moved 1 step at a time instead of S = {p.stride}",
                               p.used, p.pads, 1, p.bias))
    if p.bias:
        slips.append(_map_slip(p, "bias-forgotten", "the bias b left out of every output", p.used, p.pads, p.stride, 0.0))
    slips.append(Slip("size-without-plus-one", "the output size without the + 1: ⌊(W − K + 2P)/S⌋ instead of ⌊(W − K + 2P)/S⌋ + 1",
                      {("output_shape",): _sizes(p, p.pads, p.stride, plus_one=False)}))
    if p.pool != "none":
        other = "avg" if p.pool == "max" else "max"
        a = np.array(work.given(("activated",), work.answers["activated"]), dtype=float)
        text = "the average of each window instead of its maximum" if p.pool == "max" else "the maximum of each window instead of its average"
        slips.append(Slip(f"{other}-for-{p.pool}", text, {("pooled",): _pooled(p, a, other)}))
    return slips


def _carried(p: Problem, work: Work) -> dict[Path, Carried]:
    carried: dict[Path, Carried] = {}
    z = np.array(work.given(("feature_map",), work.answers["feature_map"]), dtype=float)
    carried[("activated",)] = Carried(_activate(p, z).tolist(), (("feature_map",),))
    if p.pool == "none":
        return carried
    a = np.array(work.given(("activated",), carried[("activated",)].value), dtype=float)
    carried[("pooled",)] = Carried(_pooled(p, a), (("activated",),) if "activated" in work.student.names() else (("feature_map",),))
    shape = work.given(("output_shape",), work.answers["output_shape"])
    if min(shape) >= p.pool_size:
        carried[("pooled_shape",)] = Carried([output_size(n, p.pool_size, 0, 0, p.pool_stride) for n in shape], (("output_shape",),))
    return carried


def analyse(work: Work) -> Analysis:
    p = problem(work.inputs)  # the solution's inputs: they solved, so they fit
    with np.errstate(over="ignore", invalid="ignore"):  # a slip or a student's value may overflow: then it matches nothing
        return Analysis(_carried(p, work), [slip for slip in _slips(p, work) if slip is not None])
