"""One filter over an image, by hand: the padded image, the output size per axis, every
output element as its sum of products (summed over the channels), the bias, the activation,
then max or average pooling with the window that gave each pooled value.

What a deep-learning layer computes is cross-correlation, z_ij = Σ_c Σ_m Σ_n
x_c[(i−1)S + m, (j−1)S + n]·k_c[m, n] + b (the default, PyTorch's conv2d); the notes'
convolution g(t) = ∫x(τ)k(t − τ)dτ flips the kernel first (``--mode convolution``).
Default problem: the widely published 5×5 image and 3×3 kernel → [[4,3,4],[2,4,3],[2,3,4]].
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from dlsolve.core.activations import ACTIVATIONS, Activation
from dlsolve.core.derivation import Derivation, Line, Note, Num, Part, Rows, Step, Table, joined, line
from dlsolve.core.derivation import math as eq
from dlsolve.core.inputs import Choice, Field, InputError, Integer, Matrix, Number, PerItem, count, within_limit
from dlsolve.topics.convolve.sizes import Pads, output_size, same_pads
from dlsolve.topics.convolve.windows import correlate, flipped, padded, pool

COMMAND = "convolve"
NOTES_IMAGE = ((1, 1, 1, 0, 0), (0, 1, 1, 1, 0), (0, 0, 1, 1, 1), (0, 0, 1, 1, 0), (0, 1, 1, 0, 0))
NOTES_KERNEL = ((1, 0, 1), (0, 1, 0), (1, 0, 1))
MAX_CHANNELS = 64  # input channels (an exam has 1–3)
MAX_VALUES = 1_000_000  # numbers in the padded image, all channels together
MAX_WORK = 1_000_000  # multiply-adds of the convolution plus values read by the pooling windows
MAX_SIZE = 1_000_000  # a stride, padding or pool size (beyond: refused before any arithmetic)
WRITTEN_MAX = 700  # up to this many products (outputs × kernel entries, a 6×6 map of two 3×3 channels): every output as its sum
POOL_WRITTEN_MAX = 64  # up to this many pooled values: each written with its window
ACTIVATION_WRITTEN_MAX = 16  # up to this many outputs: each activation written with its numbers


# --- input kinds ----------------------------------------------------------------------------


class Channels(NamedTuple):
    """One matrix per channel: the option repeated on the command line; in a problem file a
    single matrix (a list of rows) or a list of them. At most MAX_VALUES numbers in all,
    counted before any is read."""

    def read_text(self, texts: Sequence[str], where: str) -> tuple[tuple[tuple[float, ...], ...], ...]:
        within_limit(sum(t.count(",") + t.count(";") + 1 for t in texts), MAX_VALUES, where)
        return PerItem(Matrix(MAX_VALUES), "channel", MAX_CHANNELS).read_text(texts, where)

    def read_value(self, value: Any, where: str) -> tuple[tuple[tuple[float, ...], ...], ...]:
        per_channel = isinstance(value, list) and bool(value) and all(
            isinstance(m, list) and bool(m) and isinstance(m[0], list) for m in value)
        if per_channel:
            within_limit(sum(len(row) for m in value for row in m if isinstance(row, list)), MAX_VALUES, where)
            return PerItem(Matrix(MAX_VALUES), "channel", MAX_CHANNELS).read_value(value, where)
        return (Matrix(MAX_VALUES).read_value(value, where),)


PADDING_WORDS = ("valid", "same")


class Padding(NamedTuple):
    """Zeros around each side: a whole number, ``valid`` (0) or ``same``."""

    def read_text(self, text: str, where: str) -> int | str:
        word = text.strip().lower()
        if word in PADDING_WORDS:
            return word
        if not re.fullmatch(r"\s*\+?\d+\s*", text):
            raise InputError(where, f"{text.strip()[:40]!r} is not a whole number ≥ 0, valid or same")
        return Integer(0, MAX_SIZE).read_text(text, where)

    def read_value(self, value: Any, where: str) -> int | str:
        if isinstance(value, str):
            return self.read_text(value, where)
        return Integer(0, MAX_SIZE).read_value(value, where)


MODES = ("correlation", "convolution")
FIELDS = (
    Field("image", Channels(), (NOTES_IMAGE,)),
    Field("kernel", Channels(), (NOTES_KERNEL,)),
    Field("bias", Number(), 0.0),
    Field("stride", Integer(1, MAX_SIZE), 1),
    Field("padding", Padding(), 0),
    Field("mode", Choice(MODES), "correlation"),
    Field("activation", Choice(("none", "relu", "sigmoid", "tanh")), "none"),
    Field("pool", Choice(("none", "max", "avg")), "none"),
    Field("pool_size", Integer(1, MAX_SIZE), 2),
    Field("pool_stride", Integer(1, MAX_SIZE), None),
)


# --- the problem, checked ---------------------------------------------------------------------


class Problem(NamedTuple):
    image: np.ndarray  # C × H × W
    kernel: np.ndarray  # C × K_h × K_w, as given
    used: np.ndarray  # the kernel slid over the image: flipped in convolution mode
    bias: float
    stride: int
    pads: Pads
    padding: int | str  # as given
    mode: str
    activation: str
    pool: str
    pool_size: int
    pool_stride: int

    @property
    def channels(self) -> int:
        return self.image.shape[0]

    @property
    def out_shape(self) -> tuple[int, int]:
        (_, H, W), (_, Kh, Kw), p = self.image.shape, self.kernel.shape, self.pads
        return output_size(H, Kh, p.top, p.bottom, self.stride), output_size(W, Kw, p.left, p.right, self.stride)


def _sizes(matrices: Sequence[Sequence[Sequence[float]]]) -> list[tuple[int, int]]:
    return [(len(m), len(m[0])) for m in matrices]


def _shape(size: tuple[int, int]) -> str:
    return f"{size[0]}×{size[1]}"


def _pads(inputs: Mapping[str, Any], size: tuple[int, int], kernel: tuple[int, int], stride: int) -> Pads:
    padding = inputs["padding"]
    if padding == "same":
        return Pads(*same_pads(size[0], kernel[0], stride), *same_pads(size[1], kernel[1], stride))
    p = 0 if padding == "valid" else int(padding)
    return Pads(p, p, p, p)


def problem(inputs: Mapping[str, Any]) -> Problem:
    """The inputs as arrays, refused with one line when they do not fit together or exceed the caps."""
    images, kernels = inputs["image"], inputs["kernel"]
    if len(kernels) != len(images):
        raise InputError("--kernel", f"is given for {len(kernels)} channel(s) but --image for {len(images)}; "
                                     "give one kernel matrix per image channel, in the same order")
    for name, matrices in (("--image", images), ("--kernel", kernels)):
        sizes = _sizes(matrices)
        for c, size in enumerate(sizes[1:], 2):
            if size != sizes[0]:
                raise InputError(f"{name} (channel {c})", f"is {_shape(size)} but channel 1 is {_shape(sizes[0])}; every channel has the same size")
    size, ksize = _sizes(images)[0], _sizes(kernels)[0]
    stride = inputs["stride"]
    pads = _pads(inputs, size, ksize, stride)
    channels = len(images)
    padded_values = channels * (size[0] + pads.top + pads.bottom) * (size[1] + pads.left + pads.right)
    if padded_values > MAX_VALUES:
        raise InputError("--image/--padding", f"the padded image has {padded_values:,} values; at most {MAX_VALUES:,} are accepted (this tool is for exercises)")
    padded_size = (size[0] + pads.top + pads.bottom, size[1] + pads.left + pads.right)
    if ksize[0] > padded_size[0] or ksize[1] > padded_size[1]:
        raise InputError("--kernel", f"is {_shape(ksize)}, larger than the {'padded ' if pads.any else ''}image ({_shape(padded_size)}); "
                                     "the kernel must fit inside it")
    pool_size = inputs["pool_size"]
    pool_stride = inputs["pool_stride"] or pool_size
    image = np.array(images, dtype=float)
    kernel = np.array(kernels, dtype=float)
    mode = inputs["mode"]
    p = Problem(image, kernel, flipped(kernel) if mode == "convolution" else kernel, float(inputs["bias"]), stride, pads,
                inputs["padding"], mode, inputs["activation"], inputs["pool"], pool_size, pool_stride)
    Ho, Wo = p.out_shape
    work = channels * Ho * Wo * ksize[0] * ksize[1]
    if p.pool != "none":
        if pool_size > Ho or pool_size > Wo:
            raise InputError("--pool-size", f"{pool_size} is larger than the {Ho}×{Wo} feature map; the pool must fit inside it")
        work += output_size(Ho, pool_size, 0, 0, pool_stride) * output_size(Wo, pool_size, 0, 0, pool_stride) * pool_size**2
    if work > MAX_WORK:
        raise InputError("--image/--kernel", f"needs {work:,} multiply-adds and pooled values; at most {MAX_WORK:,} are accepted (this tool is for exercises)")
    return p


# --- the computation ----------------------------------------------------------------------------


class Result(NamedTuple):
    padded: np.ndarray  # C × (H + pads) × (W + pads)
    partial: np.ndarray  # C × H_out × W_out: each channel's sum of products
    feature_map: np.ndarray  # Σ over channels + b
    activated: np.ndarray
    pooled: np.ndarray | None
    argmax: np.ndarray | None  # max pooling: the flat index in each window of its maximum


def compute(p: Problem) -> Result:
    """Pad, correlate (with the flipped kernel in convolution mode), add the bias, activate, pool."""
    x = padded(p.image, p.pads)
    with np.errstate(over="ignore", invalid="ignore"):
        partial = correlate(x, p.used, p.stride)
        z = partial.sum(axis=0) + p.bias
    if not (np.all(np.isfinite(partial)) and np.all(np.isfinite(z))):
        raise InputError("--image/--kernel", "the products overflow double precision (values too large)")
    a = ACTIVATIONS[p.activation].apply(z) if p.activation != "none" else z
    if p.pool == "none":
        return Result(x, partial, z, a, None, None)
    with np.errstate(over="ignore"):
        pooled, argmax = pool(a, p.pool_size, p.pool_stride, p.pool)
    if not np.all(np.isfinite(pooled)):
        raise InputError("--image/--pool", "a window's sum overflows double precision (values too large to average)")
    return Result(x, partial, z, a, pooled, argmax)


# --- writing -------------------------------------------------------------------------------------


def index(i: int, j: int) -> str:
    """The subscript of row i, column j (1-based): ``11``, or ``10,3`` once a number has two digits."""
    return f"{i}{j}" if i < 10 and j < 10 else f"{i},{j}"


def matrix_table(caption: str, M: np.ndarray) -> Table:
    """A matrix as a table, rows and columns numbered from 1 (rows built only when shown)."""
    header = ("", *(str(j + 1) for j in range(M.shape[1])))
    return Table(line(caption), header, Rows(M.shape[0], lambda i: (i + 1, *M[i].tolist())))


def _channel(c: int, p: Problem) -> str:
    return f", channel {c + 1}" if p.channels > 1 else ""


def _definition_step(p: Problem) -> Step:
    """The definition, the image and the kernel (and the flipped kernel in convolution mode)."""
    (C, H, W), (_, Kh, Kw) = p.image.shape, p.kernel.shape
    channel_sum = r"\sum_{c} " if C > 1 else ""
    x = "x_{c}" if C > 1 else "x"
    k = "k_{c}" if C > 1 else "k"
    bias = " + b" if p.bias or C > 1 else ""
    body: list[Line | Table] = [
        line("A deep-learning layer slides the kernel over the image without flipping it (cross-correlation):"),
        eq(rf"z_{{ij}} = {channel_sum}\sum_{{m}} \sum_{{n}} {x}[(i - 1)S + m, (j - 1)S + n] \cdot {k}[m, n]{bias}"),
        line("Convolution, the notes' g(t) = ∫x(τ) k(t − τ) dτ, first flips the kernel: rows and columns reversed, "
             "a rotation by 180°; then it slides the same way."),
    ]
    body += [matrix_table(f"image x{_channel(c, p)} ({H}×{W})", p.image[c]) for c in range(C)]
    body += [matrix_table(f"kernel k{_channel(c, p)} ({Kh}×{Kw})", p.kernel[c]) for c in range(C)]
    if p.mode == "convolution":
        body.append(line("Convolution asked: the kernel flipped, $k'[m, n] = k[", Kh + 1, " - m, ", Kw + 1, " - n]$:"))
        body += [matrix_table(f"flipped kernel k′{_channel(c, p)}", p.used[c]) for c in range(C)]
    else:
        body.append(line("Cross-correlation asked: the kernel is used as given."))
    mode = "convolution (kernel flipped)" if p.mode == "convolution" else "cross-correlation"
    return Step(line(f"The definition: {mode}, stride $S = {p.stride}$"), tuple(body))


def _padding_step(p: Problem, x: np.ndarray) -> Step:
    pads, (_, H, W), (_, Kh, Kw) = p.pads, p.image.shape, p.kernel.shape
    body: list[Line | Table] = []
    if p.padding == "same":
        body.append(line(r"'same' padding: enough zeros for $\lceil\frac{W}{S}\rceil$ outputs on each axis, "
                         r"$P_{total} = \max((\lceil\frac{W}{S}\rceil - 1) S + K - W, 0)$, the odd zero at the bottom/right:"))
        for axis, size, K, before, after in (("rows", H, Kh, pads.top, pads.bottom), ("columns", W, Kw, pads.left, pads.right)):
            out = -(-size // p.stride)
            body.append(line(f"{axis}: $P_{{total}} = \\max((", out, " - 1) \\cdot ", p.stride, " + ", K, " - ", size, ", 0) = ",
                             before + after, f"$: {before} before, {after} after"))
    else:
        body.append(line(f"$P = {pads.top}$: a border of {pads.top} zero{'s' if pads.top > 1 else ''} around each side of every channel."))
    body += [matrix_table(f"padded image{_channel(c, p)} ({x.shape[1]}×{x.shape[2]})", x[c]) for c in range(p.channels)]
    return Step(line("Zero padding"), tuple(body))


def _size_line(axis: str, symbol: str, size: int, K: int, before: int, after: int, S: int, out: int) -> Line:
    if before == after:
        return eq(rf"{axis}_{{out}} = \lfloor\frac{{{symbol} - K + 2P}}{{S}}\rfloor + 1 = \lfloor\frac{{",
                  size, " - ", K, r" + 2 \cdot ", before, "}{", S, r"}\rfloor + 1 = ", out)
    return eq(rf"{axis}_{{out}} = \lfloor\frac{{{symbol} - K + P_1 + P_2}}{{S}}\rfloor + 1 = \lfloor\frac{{",
              size, " - ", K, " + ", before, " + ", after, "}{", S, r"}\rfloor + 1 = ", out)


def _size_step(p: Problem) -> Step:
    (_, H, W), (_, Kh, Kw), pads, S = p.image.shape, p.kernel.shape, p.pads, p.stride
    Ho, Wo = p.out_shape
    body = (_size_line("H", "H", H, Kh, pads.top, pads.bottom, S, Ho), _size_line("W", "W", W, Kw, pads.left, pads.right, S, Wo),
            line(f"The feature map is {Ho}×{Wo}."))
    return Step(line(r"Output size on each axis: $\lfloor\frac{W - K + 2P}{S}\rfloor + 1$"), body, ("output_shape",))


def _products(x: np.ndarray, k: np.ndarray) -> tuple[Part, ...]:
    """``1·1 + 1·0 + …`` of a window and a kernel, negative factors in parentheses."""
    return joined([(Num(a, paren=True), r"{\cdot}", Num(b, paren=True)) for a, b in zip(x.ravel().tolist(), k.ravel().tolist())], " + ")


def _element_line(p: Problem, r: Result, i: int, j: int) -> Line:
    """z_ij written as its sum of products (one bracket per channel), the bias, the value."""
    (_, Kh, Kw), S = p.kernel.shape, p.stride
    window = r.padded[:, i * S:i * S + Kh, j * S:j * S + Kw]
    bias: tuple[Part, ...] = (" + ", Num(p.bias, paren=True)) if p.bias else ()
    if p.channels == 1:
        return eq(f"z_{{{index(i + 1, j + 1)}}} = ", *_products(window[0], p.used[0]), *bias, " = ", r.feature_map[i, j])
    groups = joined([("(", *_products(window[c], p.used[c]), ")") for c in range(p.channels)], " + ")
    sums = joined([Num(s, paren=True) for s in r.partial[:, i, j].tolist()], " + ")
    return eq(f"z_{{{index(i + 1, j + 1)}}} = ", *groups, *bias, " = ", *sums, *bias, " = ", r.feature_map[i, j])


def _window_line(p: Problem) -> Line:
    (_, Kh, Kw), S = p.kernel.shape, p.stride
    where = "padded image" if p.pads.any else "image"
    return line(f"$z_{{11}}$ covers rows 1–{Kh} and columns 1–{Kw} of the {where}; the window moves $S = {S}$ "
                f"column{'s' if S > 1 else ''} right for each next $j$ and {S} row{'s' if S > 1 else ''} down for each next $i$.")


def _feature_map_step(p: Problem, r: Result) -> Step:
    Ho, Wo = p.out_shape
    products = Ho * Wo * p.kernel.size
    kernel = "k′" if p.mode == "convolution" else "k"
    body: list[Line | Table] = [_window_line(p)]
    if products <= WRITTEN_MAX:
        body += [_element_line(p, r, i, j) for i in range(Ho) for j in range(Wo)]
    else:
        body.append(line(f"{Ho * Wo:,} outputs of {p.kernel.size:,} products each: the first written out, then the whole map."))
        body.append(_element_line(p, r, 0, 0))
    body.append(matrix_table(f"feature map z ({Ho}×{Wo})", r.feature_map))
    answers = ("feature_map",) + (("activated",) if p.activation == "none" else ())
    summed = ", over every channel" if p.channels > 1 else ""
    bias = ", plus the bias $b$" if p.bias else ""
    return Step(line(f"Every output: the window times {kernel} element by element, added up{summed}{bias}"), tuple(body), answers)


def _activation_step(p: Problem, r: Result) -> Step:
    f: Activation = ACTIVATIONS[p.activation]
    Ho, Wo = p.out_shape
    body: list[Line | Table] = [eq(r"a_{ij} = ", f.symbol("z_{ij}"))]
    if Ho * Wo <= ACTIVATION_WRITTEN_MAX:
        body += [eq(f"a_{{{index(i + 1, j + 1)}}} = ", *f.written(float(r.feature_map[i, j])), " = ", float(r.activated[i, j]))
                 for i in range(Ho) for j in range(Wo)]
    body.append(matrix_table(f"activated map a = {p.activation}(z)", r.activated))
    return Step(line(f"Activation: {p.activation}, element by element"), tuple(body), ("activated",))


def _pool_window(p: Problem, i: int, j: int) -> tuple[range, range]:
    s, k = p.pool_stride, p.pool_size
    return range(i * s, i * s + k), range(j * s, j * s + k)


def _pool_line(p: Problem, a: np.ndarray, pooled: np.ndarray, argmax: np.ndarray, symbol: str, i: int, j: int) -> Line:
    """p_ij = max(…) or (… + …)/n with its window, and for max the element that gave it."""
    rows, columns = _pool_window(p, i, j)
    values = [Num(float(a[m, n]), paren=True) for m in rows for n in columns]
    place = f"rows {rows[0] + 1}–{rows[-1] + 1}, columns {columns[0] + 1}–{columns[-1] + 1}"
    name = f"p_{{{index(i + 1, j + 1)}}}"
    if p.pool == "max":
        m, n = divmod(int(argmax[i, j]), p.pool_size)
        return line(f"${name} = \\max(", *joined(values, ", "), ") = ", float(pooled[i, j]),
                    f"$ (window {place}; the maximum is ${symbol}_{{{index(rows[m] + 1, columns[n] + 1)}}}$)")
    return line(f"${name} = (", *joined(values, " + "), f") / {len(values)} = ", float(pooled[i, j]), f"$ (window {place})")


def _pool_step(p: Problem, a: np.ndarray, pooled: np.ndarray, argmax: np.ndarray) -> Step:
    Ho, Wo = p.out_shape
    Po, Qo = pooled.shape
    k, s = p.pool_size, p.pool_stride
    symbol = "a" if p.activation != "none" else "z"
    kind = "maximum" if p.pool == "max" else "average"
    body: list[Line | Table] = [
        eq(r"\lfloor\frac{", Ho, " - ", k, "}{", s, r"}\rfloor + 1 = ", Po, r", \quad \lfloor\frac{",
           Wo, " - ", k, "}{", s, r"}\rfloor + 1 = ", Qo),
    ]
    dropped = [count(n, noun) for n, noun in (((Ho - k) % s, "row"), ((Wo - k) % s, "column")) if n]
    if dropped:
        body.append(line(f"The last {' and the last '.join(dropped)} fill no window and are left out (floor mode, as PyTorch)."))
    if Po * Qo <= POOL_WRITTEN_MAX:
        body += [_pool_line(p, a, pooled, argmax, symbol, i, j) for i in range(Po) for j in range(Qo)]
    else:
        body.append(_pool_line(p, a, pooled, argmax, symbol, 0, 0))
    body.append(matrix_table(f"pooled map p ({Po}×{Qo})", pooled))
    title = f"{'Max' if p.pool == 'max' else 'Average'} pooling: the {kind} of each {k}×{k} window of ${symbol}$, stride {s}"
    return Step(line(title), tuple(body), ("pooled_shape", "pooled"))


def _notes(p: Problem) -> tuple[Note, ...]:
    notes = [Note(line("Layers compute cross-correlation, the kernel unflipped, as PyTorch's torch.nn.functional.conv2d and Keras' "
                       "Conv2D do: the notes' Σα Σβ x(i + α, j + β)·K(α, β). True convolution flips the kernel by 180° first "
                       "(--mode convolution); a kernel that the flip leaves unchanged gives the same map either way."))]
    if p.padding == "same":
        notes.append(Note(line("'same' padding follows TensorFlow: ⌈W/S⌉ outputs per axis, the odd zero at the bottom/right. "
                               "At stride 1 this is PyTorch's padding='same'; PyTorch refuses 'same' with a stride above 1.")))
    if p.pool != "none":
        notes.append(Note(line("Pooling as PyTorch's max_pool2d/avg_pool2d: no padding, floor mode (a last row or column that fills "
                               "no window is dropped), stride = the pool size unless --pool-stride is given.")))
    return tuple(notes)


def _title(p: Problem) -> str:
    (C, H, W), (_, Kh, Kw) = p.image.shape, p.kernel.shape
    channels = f"{C} channels of " if C > 1 else ""
    extras = [f"stride {p.stride}"]
    if p.pads.any or p.padding == "same":
        extras.append(f"padding {p.padding}")
    if p.activation != "none":
        extras.append(p.activation)
    if p.pool != "none":
        extras.append(f"{p.pool} pooling {p.pool_size}×{p.pool_size}")
    return f"{'Convolution' if p.mode == 'convolution' else 'Cross-correlation'} of {channels}a {H}×{W} image with a {Kh}×{Kw} kernel, {', '.join(extras)}"


def _echoed(p: Problem) -> dict[str, Any]:
    return {"image": p.image.tolist(), "kernel": p.kernel.tolist(), "bias": p.bias, "stride": p.stride, "padding": p.padding,
            "mode": p.mode, "activation": p.activation, "pool": p.pool, "pool_size": p.pool_size, "pool_stride": p.pool_stride}


def solve(inputs: Mapping[str, Any]) -> Derivation:
    """The feature map (and its activation and pooling) of one filter over the image."""
    p = problem(inputs)
    r = compute(p)
    steps = [_definition_step(p)]
    if p.pads.any:
        steps.append(_padding_step(p, r.padded))
    steps += [_size_step(p), _feature_map_step(p, r)]
    if p.activation != "none":
        steps.append(_activation_step(p, r))
    if r.pooled is not None and r.argmax is not None:
        steps.append(_pool_step(p, r.activated, r.pooled, r.argmax))
    answers = {
        "output_shape": list(p.out_shape),
        "feature_map": r.feature_map.tolist(),
        "activated": r.activated.tolist(),
        "pooled": None if r.pooled is None else r.pooled.tolist(),
        "pooled_shape": None if r.pooled is None else list(r.pooled.shape),
    }
    return Derivation(COMMAND, _title(p), _echoed(p), tuple(steps), answers, _notes(p))
