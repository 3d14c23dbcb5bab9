"""conv-params: every layer recounted on the student's own output shape of the layer before,
the totals from the student's own per-layer counts, and the slips a marker sees in
parameter-counting exercises.

Carried forward:
  layers.k.output_shape, .params, .trainable   layer k applied to the student's layers.(k − 1).output_shape
  total_params, trainable_params               the sum of the student's per-layer counts
  non_trainable_params                         the student's total − trainable

Slips, per layer (and carried into the totals): the bias forgotten (K·K·C·F without + F,
n_in·n_out without + n_out, no h per gate); an LSTM counted with one gate block instead of
four (a GRU with one instead of three); the other framework's bias count for a recurrent
layer (PyTorch's two bias vectors per gate in a Keras model, or the reverse); a
convolution's input channels left out (K·K·F + F); the output size without the + 1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dlsolve.checking.keys import Path
from dlsolve.checking.slips import Analysis, Carried, Slip, Work
from dlsolve.topics.conv_params.layers import KERAS, PYTORCH, Context, Layer, LayerError, Output, bind, run
from dlsolve.topics.conv_params.parse import parse_layer

SLIPS = {
    "no-bias": "the biases forgotten: weights only (K·K·C·F without + F; n_in·n_out without + n_out; no h per gate)",
    "one-gate": "the recurrent layer counted with one gate block (an LSTM has 4, a GRU 3: 4 × (h(d + h) + h))",
    "framework-biases": "",  # text depends on the framework
    "no-input-channels": "the input channels left out of the filters: K·K·F + F instead of K·K·C·F + F",
    "no-plus-one": "the output size without the + 1: ⌊(W − K + 2P)/S⌋ instead of ⌊(W − K + 2P)/S⌋ + 1",
}
_WINDOWED = {"Conv1D", "Conv2D", "MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D"}


def _output(layer: Layer, shape: tuple[Any, ...], context: Context) -> Output | None:
    """The layer on an input shape, or None when the shape does not fit it."""
    try:
        out = run(layer, shape, context)
    except (LayerError, TypeError, ValueError):
        return None
    return out if layer.trainable else out._replace(trainable=0)


def _counts(out: Output | None) -> dict[str, Any]:
    return {} if out is None else {"params": out.params, "trainable": out.trainable}


def _with(layer: Layer, **values: Any) -> Layer:
    return layer._replace(values={**layer.values, **values})


def _slip_counts(layer: Layer, shape: tuple[Any, ...], context: Context, out: Output) -> dict[str, dict[str, Any]]:
    """What each slip makes of this layer (only the slips that change it)."""
    kind = layer.kind.name
    found: dict[str, dict[str, Any]] = {}
    if layer.values.get("use_bias"):
        found["no-bias"] = _counts(_output(_with(layer, use_bias=False), shape, context))
    gates = {"LSTM": 4, "GRU": 3}.get(kind)
    if gates:
        found["one-gate"] = {"params": out.params // gates, "trainable": out.trainable // gates}
    if layer.kind.recurrent:
        found["framework-biases"] = _counts(_output(layer, shape, context._replace(framework=PYTORCH if context.framework == KERAS else KERAS)))
    if kind.startswith("Conv") and shape and None not in shape:
        channels = -1 if context.framework == KERAS else 0
        one = list(shape)
        one[channels] = 1
        found["no-input-channels"] = _counts(_output(layer, tuple(one), context))
    if kind in _WINDOWED and layer.values.get("padding") not in ("same", "causal"):
        spatial = range(len(out.shape) - 1) if context.framework == KERAS else range(1, len(out.shape))
        found["no-plus-one"] = {"output_shape": [d - 1 if i in spatial and d is not None else d for i, d in enumerate(out.shape)]}
    return {name: counts for name, counts in found.items() if counts and counts != {"params": out.params, "trainable": out.trainable}}


def analyse(work: Work) -> Analysis:
    inputs, solution = work.inputs, work.answers["layers"]
    framework = inputs["framework"]
    layers = [bind(parse_layer(text, f"layer {k}")) for k, text in enumerate(inputs["layers"], 1)]
    carried: dict[Path, Carried] = {}
    slips: dict[str, dict[Path, Any]] = {name: {} for name in SLIPS}
    shape: tuple[Any, ...] = tuple(inputs["input"])
    counts: dict[str, list[int]] = {"params": [], "trainable": []}
    for k, layer in enumerate(layers):
        previous = layers[k - 1] if k else None
        context = Context(framework, previous is not None and (previous.kind.recurrent or previous.kind.name == "Bidirectional"))
        before: tuple[Path, ...] = (("layers", k - 1, "output_shape"),) if k else ()
        out = _output(layer, shape, context)
        if out is not None:
            carried[("layers", k, "output_shape")] = Carried(list(out.shape), before)
            for field in ("params", "trainable"):
                carried[("layers", k, field)] = Carried(getattr(out, field), before)
            for name, changed in _slip_counts(layer, shape, context, out).items():
                slips[name] |= {("layers", k, field): value for field, value in changed.items()}
        for field in counts:
            base = carried[("layers", k, field)].value if out is not None else solution[k][field]
            counts[field].append(int(work.given(("layers", k, field), base)))
        base_shape = carried[("layers", k, "output_shape")].value if out is not None else solution[k]["output_shape"]
        shape = tuple(work.given(("layers", k, "output_shape"), base_shape))

    # the totals: from the student's per-layer counts, and under each slip
    every = tuple(("layers", k, "params") for k in range(len(layers)))
    total, trainable = sum(counts["params"]), sum(counts["trainable"])
    carried[("total_params",)] = Carried(total, every)
    carried[("trainable_params",)] = Carried(trainable, tuple(("layers", k, "trainable") for k in range(len(layers))))
    given_total = int(work.given(("total_params",), total))
    carried[("non_trainable_params",)] = Carried(given_total - int(work.given(("trainable_params",), trainable)),
                                                 (("total_params",), ("trainable_params",)))
    for values in slips.values():
        changed: Callable[[str], int] = lambda field, values=values: sum(
            values.get(("layers", k, field), counts[field][k]) for k in range(len(layers)))
        if any(path[-1] == "params" for path in values):
            values |= {("total_params",): changed("params"), ("trainable_params",): changed("trainable"),
                       ("non_trainable_params",): changed("params") - changed("trainable")}
    texts = dict(SLIPS, **{"framework-biases": "two bias vectors per gate (PyTorch's count) in a Keras model" if framework == KERAS
                           else "one bias vector per gate (Keras' count) in a PyTorch model"})
    return Analysis(carried, [Slip(name, texts[name], values) for name, values in slips.items() if values])
