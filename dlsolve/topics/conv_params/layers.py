"""The layers ``conv-params`` knows: the arguments each takes (Keras' names and positional
order), the shape it outputs, its parameter count, and the lines that show both with the
numbers substituted.

Shapes leave out the batch dimension; ``None`` is a length that is not fixed. Keras is
channels-last (H × W × C, steps × channels), PyTorch channels-first (C × H × W, C × L);
sequences are steps × features in both. Counting conventions:

  Conv          K_h·K_w·C_in·F + F           output ⌊(W − K + 2P)/S⌋ + 1, or ⌈W/S⌉ ('same')
  Dense         n_in·n_out + n_out           on the last axis
  Embedding     V·d
  SimpleRNN     h(d + h) + h                 PyTorch: + 2h (b_ih and b_hh)
  LSTM          4 × (h(d + h) + h)           PyTorch: 4 × (h(d + h) + 2h)
  GRU           3 × (h(d + h) + 2h)          Keras reset_after=True (TF 2 default) and PyTorch
  BatchNorm     4C (γ, β trained; moving mean and variance not)    PyTorch: 2C parameters
"""

from collections.abc import Callable, Sequence
from math import prod
from typing import Any, NamedTuple

from dlsolve.core.derivation import Block, Line, line, math
from dlsolve.core.inputs import InputError, shown_integer
from dlsolve.topics.conv_params.parse import LayerCall

Shape = tuple[int | None, ...]
KERAS, PYTORCH = "keras", "pytorch"
MAX_SIZE = 10**9  # any size or count argument


class LayerError(Exception):
    """A layer that cannot take its arguments or its input; the solver adds where and which."""


# --- numbers and shapes as written in the lines ---------------------------------------------


def count(n: int) -> str:
    """A count with thousands separators, for math: ``18{,}496`` (shown 18,496)."""
    return f"{n:,}".replace(",", "{,}")


def dims(shape: Sequence[int | None]) -> str:
    """``30 × 30 × 32``; an unknown length is ``None`` as in Keras."""
    return " × ".join("None" if d is None else f"{d:,}" for d in shape)


# --- reading argument values ------------------------------------------------------------------

REQUIRED = object()


class Arg(NamedTuple):
    """One argument: its Keras name, how its value is read, its default."""

    name: str
    read: Callable[[Any, str], Any]
    default: Any = REQUIRED


def _shown(value: Any) -> str:
    return "a layer" if isinstance(value, (LayerCall, Layer)) else repr(value)


def _whole(value: Any, name: str, low: int | None = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise LayerError(f"{name} must be a whole number, got {_shown(value)}")
    if low is not None and value < low:
        raise LayerError(f"{name} must be at least {low}, got {value}")
    if abs(value) > MAX_SIZE:
        raise LayerError(f"{name} must be at most {MAX_SIZE:,} (this tool is for exercises), got {shown_integer(value)}")
    return value


def positive(value: Any, name: str) -> int:
    return _whole(value, name)


def integer(value: Any, name: str) -> int:
    return _whole(value, name, low=None)


def _each_axis(value: Any, name: str, rank: int, low: int) -> tuple[int, ...]:
    """One whole number for every axis (``3``) or one per axis (``(3, 5)``)."""
    items = value if isinstance(value, tuple) else (value,) * rank
    if len(items) != rank:
        raise LayerError(f"{name} needs {rank} value{'s' if rank > 1 else ''}, got {_shown(value)}")
    return tuple(_whole(item, name, low) for item in items)


def sizes(rank: int, allow_none: bool = False) -> Callable[[Any, str], tuple[int, ...] | None]:
    """A size per spatial axis: ``3`` or ``(3, 3)`` (``None`` too when ``allow_none``)."""

    def read(value: Any, name: str) -> tuple[int, ...] | None:
        return None if value is None and allow_none else _each_axis(value, name, rank, low=1)

    return read


def padding(rank: int, modes: tuple[str, ...]) -> Callable[[Any, str], str | tuple[int, ...]]:
    """``'valid'``, ``'same'`` (``'causal'`` for Conv1D), or zeros per side: ``1`` or ``(1, 2)``."""

    def read(value: Any, name: str) -> str | tuple[int, ...]:
        if not isinstance(value, str):
            return _each_axis(value, name, rank, low=0)
        if value.lower() not in modes:
            raise LayerError(f"{name} must be {', '.join(repr(m) for m in modes)} or a number of zeros, got {value!r}")
        return value.lower()

    return read


def flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise LayerError(f"{name} must be True or False, got {_shown(value)}")
    return value


def rate(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
        raise LayerError(f"{name} must be a number in [0, 1), got {_shown(value)}")
    return float(value)


def text_or_none(value: Any, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise LayerError(f"{name} must be a string, got {_shown(value)}")
    return value


def choice(*options: str) -> Callable[[Any, str], str]:
    def read(value: Any, name: str) -> str:
        if not isinstance(value, str) or value.lower() not in options:
            raise LayerError(f"{name} must be one of {', '.join(repr(o) for o in options)}, got {_shown(value)}")
        return value.lower()

    return read


def shape_value(value: Any, name: str) -> Shape:
    """``input_shape=(32, 32, 3)``; ``None`` marks an unknown length."""
    items = value if isinstance(value, tuple) else (value,)
    if not items:
        raise LayerError(f"{name} must not be empty")
    return tuple(None if item is None else _whole(item, name) for item in items)


def layer_value(value: Any, name: str) -> "Layer":
    if not isinstance(value, Layer):
        raise LayerError(f"{name} must be a layer such as LSTM(64), got {_shown(value)}")
    return value


# --- the layer catalogue's records ----------------------------------------------------------


class Context(NamedTuple):
    framework: str
    after_recurrent: bool = False  # the input comes from a recurrent layer (Dense weights are W_hy)


class Output(NamedTuple):
    """What a layer does to its input: the output shape, its counts, a short description
    for the step title and the lines that derive them."""

    shape: Shape
    params: int
    trainable: int
    summary: str
    body: tuple[Block, ...]


class Kind(NamedTuple):
    """A layer type: Keras' class name, its auto-name stem (``conv2d``), its arguments (the
    first ``positional`` of them may be given by position), what it computes, and the
    keywords it accepts that change no count."""

    name: str
    slug: str
    args: tuple[Arg, ...]
    positional: int
    apply: Callable[[dict[str, Any], Shape, Context], Output]
    accepts: frozenset[str] = frozenset()
    recurrent: bool = False


class Layer(NamedTuple):
    """A layer with its arguments read: ``values`` has every argument (defaults filled in)."""

    kind: Kind
    values: dict[str, Any]
    text: str  # canonical: Conv2D(32, 3)
    where: str
    name: str | None  # name="..." if given
    trainable: bool
    input_shape: Shape | None


def run(layer: Layer, shape: Shape, context: Context) -> Output:
    """The layer applied to an input of ``shape`` (LayerError when it does not fit)."""
    return layer.kind.apply(layer.values, shape, context)


# --- helpers the layer types share ---------------------------------------------------------


def _layout(rank: int, context: Context) -> str:
    """The axes of a conv/pool input: height × width × channels (Keras) …"""
    spatial = ("steps",) if rank == 1 else ("height", "width")
    return " × ".join((*spatial, "channels") if context.framework == KERAS else ("channels", *spatial))


def _split_channels(shape: Shape, rank: int, context: Context) -> tuple[Shape, int]:
    """(spatial sizes, channels) of a conv/pool input, which must have ``rank`` + 1 axes."""
    if len(shape) != rank + 1:
        raise LayerError(f"needs a {rank + 1}-D input ({_layout(rank, context)}), got {dims(shape)} ({len(shape)}-D)")
    spatial, C = (shape[:-1], shape[-1]) if context.framework == KERAS else (shape[1:], shape[0])
    if C is None:
        raise LayerError(f"needs a known number of channels, got {dims(shape)}")
    return spatial, C


def _join_channels(spatial: Sequence[int | None], C: int, context: Context) -> Shape:
    return (*spatial, C) if context.framework == KERAS else (C, *spatial)


def _axis_names(rank: int) -> tuple[str, ...]:
    return ("length",) if rank == 1 else ("height", "width")


class Window(NamedTuple):
    """One spatial axis of a convolution or pooling: kernel K, stride S, dilation d and
    padding (zeros per side P, or 'valid'/'same'/'causal')."""

    K: int
    S: int
    d: int
    pad: str | int

    @property
    def K_eff(self) -> int:
        return self.d * (self.K - 1) + 1


def _windows(K: tuple[int, ...], S: tuple[int, ...], d: tuple[int, ...], pad: str | tuple[int, ...]) -> list[Window]:
    return [Window(K[i], S[i], d[i], pad if isinstance(pad, str) else pad[i]) for i in range(len(K))]


def _output_size(label: str, W: int | None, w: Window) -> tuple[int | None, list[Line]]:
    """Output length along one axis and the line that derives it (the notes' formula)."""
    if W is None:
        return None, [line(f"{label}: None in, None out (the length is not fixed)")]
    if w.pad in ("same", "causal"):
        out = -(-W // w.S)
        why = "'same' padding" if w.pad == "same" else f"causal: {w.K_eff - 1} zeros on the left"
        if w.S == 1:
            return out, [line(f"{label}: ${count(W)}$ ({why} keeps the size at stride 1)")]
        return out, [line(f"{label}: $\\lceil\\frac{{W}}{{S}}\\rceil = \\lceil\\frac{{{count(W)}}}{{{w.S}}}\\rceil = {count(out)}$ ({why})")]
    P = 0 if w.pad == "valid" else w.pad
    out = (W - w.K_eff + 2 * P) // w.S + 1
    K = "K'" if w.d > 1 else "K"
    formula = (f"$\\lfloor\\frac{{W - {K} + 2P}}{{S}}\\rfloor + 1 = \\lfloor\\frac{{{count(W)} - {w.K_eff} + 2 \\cdot {P}}}{{{w.S}}}\\rfloor + 1"
               f" = {count(out)}$")
    if out < 1:
        verb = "are" if " and " in label else "is"
        raise LayerError(f"the {label} ({W}) {verb} too small for a {w.K_eff}-wide window: "
                         f"⌊({W} − {w.K_eff} + 2·{P})/{w.S}⌋ + 1 = {str(out).replace('-', '−')} ≤ 0")
    return out, [line(f"{label}: {formula}")]


def _dilation_lines(windows: list[Window]) -> list[Line]:
    """The dilated kernel K′ = d(K − 1) + 1, once when every axis has the same one."""
    dilated = [(label, w) for label, w in zip(_axis_names(len(windows)), windows) if w.d > 1]
    if not dilated:
        return []
    if len(windows) == len(dilated) == 2 and windows[0] == windows[1]:
        dilated = [("", windows[0])]
    return [line(f"{label + ': ' if label else ''}dilated kernel $K' = d(K - 1) + 1 = {w.d}({w.K} - 1) + 1 = {w.K_eff}$")
            for label, w in dilated]


def _spatial(spatial: Shape, windows: list[Window]) -> tuple[Shape, list[Line]]:
    """Every spatial axis through its window; two identical axes are derived once."""
    names = _axis_names(len(spatial))
    lines = _dilation_lines(windows)
    if len(spatial) == 2 and spatial[0] == spatial[1] and windows[0] == windows[1]:
        size, derivation = _output_size("height and width", spatial[0], windows[0])
        return (size, size), lines + derivation
    out = []
    for label, W, w in zip(names, spatial, windows):
        size, derivation = _output_size(label, W, w)
        out.append(size)
        lines += derivation
    return tuple(out), lines


def _per_axis(values: tuple[int, ...]) -> str:
    """``2`` when every axis has the same value, else ``2 × 1``."""
    return str(values[0]) if len(set(values)) == 1 else dims(values)


def _window_summary(S: tuple[int, ...], pad: str | tuple[int, ...], d: tuple[int, ...] = ()) -> str:
    parts = [f"stride {_per_axis(S)}"]
    parts.append(f"'{pad}' padding" if isinstance(pad, str) else f"padding {_per_axis(pad)}")
    if any(x > 1 for x in d):
        parts.append(f"dilation {_per_axis(d)}")
    return ", ".join(parts)


def _params_line(symbols: str, numbers: str, weights: int, bias_symbol: str, bias: int) -> Line:
    """params = weights + biases, symbols then numbers: ``K·K·C_in·F + F = 3·3·3·32 + 32 = 864 + 32 = 896``."""
    if not bias:
        return math(f"\\text{{params}} = {symbols} = {numbers} = {count(weights)}")
    return math(f"\\text{{params}} = {symbols} + {bias_symbol} = {numbers} + {count(bias)} = {count(weights)} + {count(bias)}"
                f" = {count(weights + bias)}")


def _no_params(why: str) -> Line:
    return line(f"$\\text{{params}} = 0$ ({why})")


def _check_padding(pad: str | tuple[int, ...], S: tuple[int, ...], context: Context, pooling: bool, K: tuple[int, ...] = ()) -> None:
    """The framework's own limits on padding (checked before any size is computed)."""
    if context.framework != PYTORCH:
        return
    if pad == "causal":
        raise LayerError("PyTorch has no causal padding; pad on the left yourself or use --framework keras")
    if pad == "same" and pooling:
        raise LayerError("PyTorch pooling has no 'same' padding; give the zeros per side, e.g. padding=1")
    if pad == "same" and any(s > 1 for s in S):
        raise LayerError("PyTorch's padding='same' needs stride 1")
    if pooling and isinstance(pad, tuple) and any(2 * p > k for p, k in zip(pad, K)):
        raise LayerError(f"PyTorch pooling pads at most half the window on each side, got padding {dims(pad)} for a {dims(K)} window")


# --- convolution and pooling -----------------------------------------------------------------


def _conv(rank: int) -> Callable[[dict[str, Any], Shape, Context], Output]:
    def apply(v: dict[str, Any], shape: Shape, context: Context) -> Output:
        spatial, C = _split_channels(shape, rank, context)
        F, K, S, d, pad = v["filters"], v["kernel_size"], v["strides"], v["dilation_rate"], v["padding"]
        if context.framework == KERAS and any(s > 1 for s in S) and any(x > 1 for x in d):
            raise LayerError("Keras does not allow strides > 1 together with dilation_rate > 1")
        _check_padding(pad, S, context, pooling=False)
        out_spatial, lines = _spatial(spatial, _windows(K, S, d, pad))
        out = _join_channels(out_spatial, F, context)
        lines.append(line(f"output: {dims(out)} (one channel per filter)"))

        weights, bias = prod(K) * C * F, F if v["use_bias"] else 0
        K_symbols = ["K"] * rank if len(set(K)) == 1 else [f"K_{i}" for i in range(1, rank + 1)]
        if context.framework == KERAS:
            name, kernel, layout = "kernel", [*K, C, F], [*K_symbols, "C_{in}", "F"]
        else:
            name, kernel, layout = "weight", [F, C, *K], ["F", "C_{in}", *K_symbols]
        lines.append(line(f"{name}: {dims(kernel)} ($", " \\times ".join(layout), "$)", f", bias: {F:,}" if bias else ", no bias"))
        symbols = " \\cdot ".join(K_symbols) + " \\cdot C_{in} \\cdot F"
        lines.append(_params_line(symbols, " \\cdot ".join(count(x) for x in (*K, C, F)), weights, "F", bias))
        summary = f"{F:,} filters {dims(K)}, {_window_summary(S, pad, d)}"
        return Output(out, weights + bias, weights + bias, summary, tuple(lines))

    return apply


def _pool(rank: int, verb: str) -> Callable[[dict[str, Any], Shape, Context], Output]:
    def apply(v: dict[str, Any], shape: Shape, context: Context) -> Output:
        spatial, C = _split_channels(shape, rank, context)
        K, pad = v["pool_size"], v["padding"]
        S = v["strides"] or K
        _check_padding(pad, S, context, pooling=True, K=K)
        out_spatial, lines = _spatial(spatial, _windows(K, S, (1,) * rank, pad))
        out = _join_channels(out_spatial, C, context)
        lines.append(line(f"output: {dims(out)} (channels unchanged)"))
        lines.append(_no_params("pooling has no weights"))
        strides = "" if v["strides"] else " (strides default to the pool size)"
        return Output(out, 0, 0, f"{verb} over {dims(K)} windows, {_window_summary(S, pad)}{strides}", tuple(lines))

    return apply


def _global_pool(rank: int, verb: str) -> Callable[[dict[str, Any], Shape, Context], Output]:
    def apply(v: dict[str, Any], shape: Shape, context: Context) -> Output:
        spatial, C = _split_channels(shape, rank, context)
        out = _join_channels((1,) * rank, C, context) if v["keepdims"] else (C,)
        lines = [line(f"takes the {verb} of each of the {C:,} channels over its {dims(spatial)} positions"),
                 line(f"output: {dims(out)} (one value per channel)"), _no_params("no weights")]
        return Output(out, 0, 0, f"the {verb} of each channel", tuple(lines))

    return apply


# --- shape-only layers -----------------------------------------------------------------------


def _flatten(v: dict[str, Any], shape: Shape, context: Context) -> Output:
    if len(shape) == 1:
        return Output(shape, 0, 0, "already flat", (line(f"output: {dims(shape)} (already one axis)"), _no_params("no weights")))
    size = None if None in shape else prod(shape)
    derived = (math(" \\cdot ".join(count(d) for d in shape), f" = {count(size)}") if size is not None
               else line("an unknown length makes the flattened size unknown (None)"))
    return Output((size,), 0, 0, "all values in one axis",
                  (derived, line(f"output: {dims((size,))}"), _no_params("it only reshapes")))


def _dropout(v: dict[str, Any], shape: Shape, context: Context) -> Output:
    lines = (line(f"output: {dims(shape)} (unchanged: while training a fraction {v['rate']:g} of the values is zeroed)"),
             _no_params("no weights"))
    return Output(shape, 0, 0, f"rate {v['rate']:g}", lines)


def _activation(v: dict[str, Any], shape: Shape, context: Context) -> Output:
    return Output(shape, 0, 0, f"{v['activation']} on every value",
                  (line(f"output: {dims(shape)} (unchanged)"), _no_params("no weights")))


# --- layers with weights ---------------------------------------------------------------------


def _last_axis(shape: Shape, what: str) -> int:
    if shape[-1] is None:
        raise LayerError(f"needs a known number of {what} on the last axis, got {dims(shape)}")
    return shape[-1]


def _dense(v: dict[str, Any], shape: Shape, context: Context) -> Output:
    n_in, n_out = _last_axis(shape, "features"), v["units"]
    out = (*shape[:-1], n_out)
    lines = []
    if len(shape) > 1:
        where = "every position" if None in shape[:-1] else f"each of the {dims(shape[:-1])} positions"
        lines.append(line(f"acts on the last axis ({n_in:,} features) at {where}, with the same weights"))
    W, b = ("W_{hy}", "b_y") if context.after_recurrent else ("W", "b")
    lines.append(line(f"weights ${W}$: {n_out:,} × {n_in:,} ($n_{{out}} \\times n_{{in}}$, one row per unit)"
                      + (f", bias ${b}$: {n_out:,}" if v["use_bias"] else ", no bias")))
    lines.append(line(f"output: {dims(out)}"))
    weights, bias = n_in * n_out, n_out if v["use_bias"] else 0
    lines.append(_params_line("n_{in} \\cdot n_{out}", f"{count(n_in)} \\cdot {count(n_out)}", weights, "n_{out}", bias))
    return Output(out, weights + bias, weights + bias, f"{n_out:,} units", tuple(lines))


def _embedding(v: dict[str, Any], shape: Shape, context: Context) -> Output:
    V, d, L = v["input_dim"], v["output_dim"], v["input_length"]
    if L is not None:
        if len(shape) != 1 or shape[0] not in (None, L):
            raise LayerError(f"input_length={L} does not match the input {dims(shape)}")
        shape = (L,)
    out = (*shape, d)
    lines = (line(f"$V = {count(V)}$ words in the vocabulary, one vector of $d = {count(d)}$ numbers each"),
             line(f"output: {dims(out)} (each token id becomes its {d:,}-vector)"),
             math(f"\\text{{params}} = V \\cdot d = {count(V)} \\cdot {count(d)} = {count(V * d)}"))
    return Output(out, V * d, V * d, f"{V:,} words → {d:,}-vectors", lines)


def _batch_norm(v: dict[str, Any], shape: Shape, context: Context) -> Output:
    axis = v["axis"]
    if context.framework == PYTORCH:
        if axis != -1:
            raise LayerError("axis= is Keras-only; PyTorch normalizes the channel axis (the first)")
        index = 0
    else:  # Keras counts the batch as axis 0
        index = axis - 1 if axis > 0 else axis
        if axis == 0 or not -len(shape) <= index < len(shape):
            raise LayerError(f"axis={axis} is not a feature axis of the {len(shape)}-D input (axis 0 is the batch)")
    C = shape[index]
    if C is None:
        raise LayerError(f"needs a known number of features on its axis, got {dims(shape)}")
    learned = [name for name, on in (("\\gamma", v["scale"]), ("\\beta", v["center"])) if on]
    trained = len(learned) * C
    what = "features" if len(shape) == 1 else "channels"
    lines = [line(f"normalizes each of the {C:,} {what} (a mean and a variance per {what[:-1]}); output: {dims(shape)} (unchanged)")]
    if context.framework == PYTORCH:
        lines.append(math(f"\\text{{params}} = {len(learned)} \\cdot C = {len(learned)} \\cdot {count(C)} = {count(trained)}"))
        lines.append(line(f"(${', '.join(learned) or 'none'}$ trained; the running mean and variance are buffers, "
                          f"{count(2 * C)} values that are not parameters)"))
        return Output(shape, trained, trained, f"{C:,} channels", tuple(lines))
    total = trained + 2 * C
    lines.append(math(f"\\text{{params}} = {len(learned) + 2} \\cdot C = {len(learned) + 2} \\cdot {count(C)} = {count(total)}"))
    if learned:
        lines.append(line(f"trainable: {' and '.join(f'${name}$' for name in learned)}, ${len(learned)} \\cdot {count(C)} = {count(trained)}$; "
                          f"non-trainable: the moving mean and variance, $2 \\cdot {count(C)} = {count(2 * C)}$"))
    else:
        lines.append(line(f"non-trainable: the moving mean and variance, $2 \\cdot {count(C)} = {count(2 * C)}$"))
    return Output(shape, total, trained, f"{C:,} channels", tuple(lines))


# --- recurrent layers ------------------------------------------------------------------------


# a recurrent layer's gate networks, each a W_x (h × d), a W_h (h × h) and its biases
_GATES = {"SimpleRNN": (1, ""),
          "LSTM": (4, "input $i$, forget $f$, candidate $\\tilde{c}$, output $o$"),
          "GRU": (3, "update $z$, reset $r$, candidate $\\tilde{h}$")}


def _recurrent(kind: str) -> Callable[[dict[str, Any], Shape, Context], Output]:
    gates, gate_names = _GATES[kind]

    def apply(v: dict[str, Any], shape: Shape, context: Context) -> Output:
        if len(shape) != 2:
            raise LayerError(f"needs a 2-D input (steps × features), got {dims(shape)} ({len(shape)}-D)")
        T, d, h = shape[0], _last_axis(shape, "features"), v["units"]
        biases = _bias_vectors(kind, v, context)
        lines = [line(f"$h = {count(h)}$ units, $d = {count(d)}$ features per step"), *_weight_lines(kind, gates, gate_names, d, h, biases)]
        per_gate = h * d + h * h + biases * h
        params = gates * per_gate
        H, D = count(h), count(d)  # as written in the formulas
        bias_symbol = {0: "", 1: " + h", 2: " + 2h"}[biases]
        bias_number = {0: "", 1: f" + {H}", 2: f" + 2 \\cdot {H}"}[biases]
        terms = " + ".join(count(t) for t in (h * d, h * h, biases * h) if t)
        one = f"h \\cdot d + h \\cdot h{bias_symbol} = {H} \\cdot {D} + {H} \\cdot {H}{bias_number} = {terms} = {count(per_gate)}"
        if gates == 1:
            lines.append(math(f"\\text{{params}} = {one}"))
        else:
            lines.append(math(f"\\text{{one gate}} = {one}"))
            lines.append(math(f"\\text{{params}} = {gates} \\times (h(d + h){bias_symbol}) = "
                              f"{gates} \\times ({H} \\cdot ({D} + {H}){bias_number}) = {gates} \\times {count(per_gate)}"
                              f" = {count(params)}"))
        out = (T, h) if v["return_sequences"] else (h,)
        seen = "the hidden state at every step: return_sequences=True" if v["return_sequences"] else "the last step's hidden state"
        lines.append(line(f"output: {dims(out)} ({seen})"))
        return Output(out, params, params, f"{h:,} units", tuple(lines))

    return apply


def _bias_vectors(kind: str, v: dict[str, Any], context: Context) -> int:
    """Bias vectors per gate network: Keras 1 (GRU with reset_after: 2), PyTorch 2."""
    if kind == "GRU" and not v["reset_after"] and context.framework == PYTORCH:
        raise LayerError("reset_after=False has no PyTorch equivalent (PyTorch's GRU is the reset_after=True form)")
    if not v["use_bias"]:
        return 0
    if context.framework == PYTORCH:
        return 2
    return 2 if kind == "GRU" and v["reset_after"] else 1


def _weight_lines(kind: str, gates: int, gate_names: str, d: int, h: int, biases: int) -> list[Line]:
    """The weight shapes, written W x (rows = the h units), as in the notes."""
    if kind == "SimpleRNN":
        b = {0: "no bias", 1: f"$b_h$: {h:,}", 2: f"$b_{{ih}}$: {h:,}, $b_{{hh}}$: {h:,}"}[biases]
        b_sum = {0: "", 1: " + b_h", 2: " + b_{ih} + b_{hh}"}[biases]
        return [math(f"h_t = \\tanh(W_{{xh}} x_t + W_{{hh}} h_{{t-1}}{b_sum})"),
                line(f"$W_{{xh}}$: {h:,} × {d:,}, $W_{{hh}}$: {h:,} × {h:,}, {b}")]
    b = {0: "no bias", 1: f"$b$: {h:,}", 2: f"two bias vectors $b_x$, $b_h$: {h:,} each"}[biases]
    return [line(f"{gates} gate networks ({gate_names}), each with $W_x$: {h:,} × {d:,}, $W_h$: {h:,} × {h:,}, {b}")]


def _bidirectional(v: dict[str, Any], shape: Shape, context: Context) -> Output:
    inner: Layer = v["layer"]
    if not inner.kind.recurrent:
        raise LayerError(f"wraps a recurrent layer (SimpleRNN, LSTM, GRU), got {inner.kind.name}")
    one = run(inner, shape, context)
    merge = v["merge_mode"]
    out = (*one.shape[:-1], 2 * one.shape[-1]) if merge == "concat" else one.shape
    lines = [line(f"each direction: {inner.text}"), *one.body,
             math(f"\\text{{params}} = 2 \\times {count(one.params)} = {count(2 * one.params)}"),
             line("(a forward and a backward copy, each with its own weights)")]
    if merge == "concat":
        lines.append(line(f"output: {dims(out)} (both directions side by side: 2 · {one.shape[-1]:,} = {out[-1]:,})"))
    else:
        lines.append(line(f"output: {dims(out)} (the two directions combined by '{merge}')"))
    return Output(out, 2 * one.params, 2 * one.trainable, f"{inner.text} both ways, merge '{merge}'", tuple(lines))


def _time_distributed(v: dict[str, Any], shape: Shape, context: Context) -> Output:
    inner: Layer = v["layer"]
    if len(shape) < 2:
        raise LayerError(f"needs an input with a time axis first, got {dims(shape)}")
    one = run(inner, shape[1:], context)
    out = (shape[0], *one.shape)
    lines = [line(f"applies {inner.text} to each of the {dims(shape[:1])} steps (each {dims(shape[1:])}) with the same weights:"),
             *one.body, line(f"output: {dims(out)}; params as for one step: {one.params:,}")]
    return Output(out, one.params, one.trainable, f"{inner.text} at every step", tuple(lines))


# --- the catalogue ---------------------------------------------------------------------------

_WEIGHT_OPTIONS = frozenset({"activation", "kernel_initializer", "bias_initializer", "kernel_regularizer",
                             "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"})
_RECURRENT_OPTIONS = _WEIGHT_OPTIONS | {"recurrent_activation", "recurrent_initializer", "recurrent_regularizer",
                                        "recurrent_constraint", "dropout", "recurrent_dropout", "go_backwards",
                                        "stateful", "unroll", "unit_forget_bias"}


def _conv_kind(rank: int) -> Kind:
    modes = ("valid", "same", "causal") if rank == 1 else ("valid", "same")
    args = (Arg("filters", positive), Arg("kernel_size", sizes(rank)), Arg("strides", sizes(rank), (1,) * rank),
            Arg("padding", padding(rank, modes), "valid"), Arg("dilation_rate", sizes(rank), (1,) * rank),
            Arg("use_bias", flag, True))
    return Kind(f"Conv{rank}D", f"conv{rank}d", args, 4, _conv(rank), _WEIGHT_OPTIONS)


def _pool_kind(rank: int, name: str, slug: str, verb: str) -> Kind:
    args = (Arg("pool_size", sizes(rank), (2,) * rank), Arg("strides", sizes(rank, allow_none=True), None),
            Arg("padding", padding(rank, ("valid", "same")), "valid"))
    return Kind(f"{name}{rank}D", f"{slug}{rank}d", args, 3, _pool(rank, verb))


def _global_kind(rank: int, name: str, slug: str, verb: str) -> Kind:
    return Kind(f"{name}{rank}D", f"{slug}{rank}d", (Arg("keepdims", flag, False),), 0, _global_pool(rank, verb))


def _recurrent_kind(name: str, slug: str, extra: tuple[Arg, ...] = ()) -> Kind:
    args = (Arg("units", positive), Arg("use_bias", flag, True), Arg("return_sequences", flag, False), *extra)
    return Kind(name, slug, args, 1, _recurrent(name), _RECURRENT_OPTIONS, recurrent=True)


KINDS: tuple[Kind, ...] = (
    _conv_kind(1), _conv_kind(2),
    _pool_kind(1, "MaxPooling", "max_pooling", "maximum"), _pool_kind(2, "MaxPooling", "max_pooling", "maximum"),
    _pool_kind(1, "AveragePooling", "average_pooling", "average"), _pool_kind(2, "AveragePooling", "average_pooling", "average"),
    _global_kind(1, "GlobalAveragePooling", "global_average_pooling", "average"),
    _global_kind(2, "GlobalAveragePooling", "global_average_pooling", "average"),
    _global_kind(1, "GlobalMaxPooling", "global_max_pooling", "maximum"),
    _global_kind(2, "GlobalMaxPooling", "global_max_pooling", "maximum"),
    Kind("Flatten", "flatten", (), 0, _flatten),
    Kind("Dense", "dense", (Arg("units", positive), Arg("activation", text_or_none, None), Arg("use_bias", flag, True)), 2,
         _dense, _WEIGHT_OPTIONS - {"activation"}),
    Kind("Dropout", "dropout", (Arg("rate", rate),), 1, _dropout, frozenset({"noise_shape", "seed"})),
    Kind("Activation", "activation", (Arg("activation", text_or_none),), 1, _activation),
    Kind("BatchNormalization", "batch_normalization",
         (Arg("axis", integer, -1), Arg("center", flag, True), Arg("scale", flag, True)), 1, _batch_norm,
         frozenset({"momentum", "epsilon", "beta_initializer", "gamma_initializer", "moving_mean_initializer",
                    "moving_variance_initializer", "beta_regularizer", "gamma_regularizer"})),
    Kind("Embedding", "embedding", (Arg("input_dim", positive), Arg("output_dim", positive),
                                    Arg("input_length", positive, None)), 2, _embedding,
         frozenset({"embeddings_initializer", "embeddings_regularizer", "embeddings_constraint", "mask_zero"})),
    _recurrent_kind("SimpleRNN", "simple_rnn"),
    _recurrent_kind("LSTM", "lstm"),
    _recurrent_kind("GRU", "gru", (Arg("reset_after", flag, True),)),
    Kind("Bidirectional", "bidirectional", (Arg("layer", layer_value), Arg("merge_mode", choice("concat", "sum", "mul", "ave"), "concat")),
         2, _bidirectional),
    Kind("TimeDistributed", "time_distributed", (Arg("layer", layer_value),), 1, _time_distributed),
)
# Keras' own aliases (MaxPool2D, Convolution2D …), all compared in lower case
_ALIASES = {"maxpool1d": "maxpooling1d", "maxpool2d": "maxpooling2d", "avgpool1d": "averagepooling1d",
            "avgpool2d": "averagepooling2d", "globalavgpool1d": "globalaveragepooling1d",
            "globalavgpool2d": "globalaveragepooling2d", "globalmaxpool1d": "globalmaxpooling1d",
            "globalmaxpool2d": "globalmaxpooling2d", "convolution1d": "conv1d", "convolution2d": "conv2d"}
# names from PyTorch that are written differently here
_HINTS = {"linear": "Dense(units)", "rnn": "SimpleRNN(units)", "batchnorm1d": "BatchNormalization()",
          "batchnorm2d": "BatchNormalization()", "adaptiveavgpool2d": "GlobalAveragePooling2D()",
          "input": "--input 32x32x3 (or input_shape=(32, 32, 3) on the first layer)"}
_BY_NAME = {kind.name.lower(): kind for kind in KINDS}
COMMON_OPTIONS = ("name", "trainable", "input_shape", "input_dim")


# --- binding a parsed call to its layer type ------------------------------------------------


def bind(call: LayerCall) -> Layer:
    """Read a parsed call's arguments by its layer type's signature (InputError on a bad one)."""
    kind = _kind(call)
    try:
        values, extras = _arguments(kind, call)
        name = text_or_none(extras.get("name"), "name")
        trainable = flag(extras.get("trainable", True), "trainable")
        if "input_shape" in extras and "input_dim" in extras:
            raise LayerError("give input_shape or input_dim, not both")
        input_shape = (shape_value(extras["input_shape"], "input_shape") if "input_shape" in extras
                       else (positive(extras["input_dim"], "input_dim"),) if "input_dim" in extras else None)
    except LayerError as error:
        raise InputError(call.where, f"{_call_text(kind, call)}: {error}") from None
    return Layer(kind, values, _call_text(kind, call), call.where, name, trainable, input_shape)


def _kind(call: LayerCall) -> Kind:
    key = call.name.lower()
    kind = _BY_NAME.get(_ALIASES.get(key, key))
    if kind is not None:
        return kind
    if key in _HINTS:
        raise InputError(call.where, f"unknown layer {call.name!r}; write it Keras-style: {_HINTS[key]}")
    import difflib  # only on this error

    close = difflib.get_close_matches(key, [*_BY_NAME, *_ALIASES], n=1, cutoff=0.6)
    hint = f"did you mean {_BY_NAME[_ALIASES.get(close[0], close[0])].name}?" if close else f"known layers: {', '.join(k.name for k in KINDS)}"
    raise InputError(call.where, f"unknown layer {call.name!r}; {hint}")


def _arguments(kind: Kind, call: LayerCall) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every argument's value (defaults filled in) and the options every layer takes."""
    if len(call.args) > kind.positional:
        names = ", ".join(arg.name for arg in kind.args[: kind.positional])
        if not kind.positional:
            raise LayerError(f"{kind.name} takes no positional arguments, got {len(call.args)}; write them as name=value")
        plural = "s" if kind.positional > 1 else ""
        raise LayerError(f"{kind.name} takes at most {kind.positional} positional argument{plural} ({names}), got {len(call.args)}")
    given = {arg.name: value for arg, value in zip(kind.args, call.args)}
    extras: dict[str, Any] = {}
    by_name = {arg.name: arg for arg in kind.args}
    for key, value in call.kwargs:
        if key in given or key in extras:
            raise LayerError(f"got {key} twice")
        if key in by_name:
            given[key] = value
        elif key in COMMON_OPTIONS:
            extras[key] = value
        elif key not in kind.accepts:
            raise LayerError(_unknown_keyword(kind, key))
    values = {}
    for arg in kind.args:
        if arg.name in given:
            value = given[arg.name]
            values[arg.name] = arg.read(bind(value) if isinstance(value, LayerCall) else value, arg.name)
        elif arg.default is REQUIRED:
            raise LayerError(f"{kind.name} needs {arg.name}")
        else:
            values[arg.name] = arg.default
    return values, extras


def _unknown_keyword(kind: Kind, key: str) -> str:
    import difflib  # only on this error

    known = [arg.name for arg in kind.args] + list(COMMON_OPTIONS) + sorted(kind.accepts)
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
    hint = f"did you mean {close[0]}?" if close else f"it takes {', '.join(arg.name for arg in kind.args) or 'no arguments'}"
    return f"{kind.name} has no argument {key!r}; {hint}"


def _call_text(kind: Kind, call: LayerCall) -> str:
    """The call written canonically: ``conv2d(32,3)`` → ``Conv2D(32, 3)``."""
    parts = [_written(arg) for arg in call.args] + [f"{key}={_written(value)}" for key, value in call.kwargs]
    return f"{kind.name}({', '.join(parts)})"


def _written(value: Any) -> str:
    if isinstance(value, LayerCall):
        key = value.name.lower()
        kind = _BY_NAME.get(_ALIASES.get(key, key))
        return _call_text(kind, value) if kind else value.name
    return repr(value)
