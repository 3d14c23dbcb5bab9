"""Output shapes and parameter counts of a stack of layers, Keras' ``model.summary()``
derived by hand: for every layer the output-size formula ⌊(W − K + 2P)/S⌋ + 1 (or ⌈W/S⌉
for 'same' padding) and the parameter formula with its numbers, then the summary table
with the totals (trainable and not).

Layers are written Keras-style and parsed without evaluation (``conv_params_parse``); what
each layer computes lives in ``conv_params_layers``. Counting is exact integer arithmetic,
so no NumPy is needed.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from dlsolve.core.derivation import Derivation, Line, Note, Step, Table, line, math
from dlsolve.core.inputs import Choice, Field, InputError
from dlsolve.topics.conv_params.layers import KERAS, PYTORCH, Context, Layer, LayerError, Output, bind, count, dims, run
from dlsolve.topics.conv_params.parse import InputShape, LayerCall, LayerTexts, parse_layer

COMMAND = "conv-params"
NOTES_INPUT = {KERAS: (32, 32, 3), PYTORCH: (3, 32, 32)}
NOTES_LAYERS = ("Conv2D(32, 3)", "MaxPooling2D(2)", "Conv2D(64, 3)")
_MATRIX_LAYERS = frozenset({"Dense", "SimpleRNN", "LSTM", "GRU"})
MAX_SUM_TERMS = 10  # a longer sum of per-layer counts is written as its total only

FIELDS = (
    Field("input", InputShape(), None),  # None: the notes' 32x32x3, or from the first layer's input_shape
    Field("layer", LayerTexts(), None),
    Field("layers", LayerTexts(), None),  # None (and no --layer): the notes' three layers
    Field("framework", Choice((KERAS, PYTORCH)), KERAS),
)
# the layers one at a time or in one string: the command line's choice beats the problem file's
EXCLUSIVE_OPTIONS = ((frozenset({"layer"}), frozenset({"layers"})),)


# --- the layers and the input -----------------------------------------------------------------


def _calls(inputs: Mapping[str, Any]) -> tuple[tuple[LayerCall, ...], bool]:
    """The parsed layers and whether they are the notes' (no --layer/--layers given)."""
    if inputs["layer"] and inputs["layers"]:
        raise InputError("--layer/--layers", "give the layers one way: --layer once per layer, or --layers with ';' "
                                             "between them (a problem file counts too)")
    given = inputs["layer"] or inputs["layers"]
    if given:
        return given, False
    return tuple(parse_layer(text, f"--input (the notes' layer {i})") for i, text in enumerate(NOTES_LAYERS, 1)), True


def _input_shape(given: tuple[int | None, ...] | None, layers: Sequence[Layer], framework: str, notes: bool) -> tuple[int | None, ...]:
    """--input, else layer 1's input_shape, else the notes' input; token ids of any length
    in front of an Embedding."""
    for layer in layers[1:]:
        if layer.input_shape is not None:
            raise InputError(layer.where, f"{layer.text}: input_shape/input_dim belongs on the first layer")
    declared = layers[0].input_shape
    if given is not None and declared is not None and given != declared:
        raise InputError("--input", f"{dims(given)} disagrees with layer 1's input shape {dims(declared)}")
    if given is not None or declared is not None:
        return given or declared
    if notes:
        return NOTES_INPUT[framework]
    if layers[0].kind.name == "Embedding":
        return (None,)
    raise InputError("--input", "give the input shape without the batch dimension, e.g. --input 32x32x3 (an image), "
                                "--input 20x5 (20 steps of 5 features) or --input seq (token ids)")


def _input_phrase(shape: tuple[int | None, ...]) -> str:
    """``a 32 × 32 × 3 input``, ``an input of 1,600 values``, or what ``seq`` means."""
    if shape == (None,):
        return "token ids of any length"
    return f"an input of {shape[0]:,} values" if len(shape) == 1 else f"a {dims(shape)} input"


def _forward(layers: Sequence[Layer], x: tuple[int | None, ...], framework: str) -> list[Output]:
    """Each layer's output on the previous layer's output shape."""
    outputs: list[Output] = []
    shape, previous = x, None
    for layer in layers:
        after_recurrent = previous is not None and (previous.kind.recurrent or previous.kind.name == "Bidirectional")
        try:
            out = run(layer, shape, Context(framework, after_recurrent))
        except LayerError as error:
            raise InputError(layer.where, f"{layer.text} on {_input_phrase(shape)}: {error}") from None
        outputs.append(out if layer.trainable else out._replace(trainable=0))
        shape, previous = out.shape, layer
    return outputs


def _names(layers: Sequence[Layer]) -> list[str]:
    """Keras' automatic names: conv2d, max_pooling2d, conv2d_1 … (or the layer's name=)."""
    seen: dict[str, int] = {}
    names = []
    for layer in layers:
        slug = layer.kind.slug
        names.append(layer.name or (slug if slug not in seen else f"{slug}_{seen[slug]}"))
        seen[slug] = seen.get(slug, 0) + 1
    return names


# --- the steps ----------------------------------------------------------------------------


def _layer_step(i: int, layer: Layer, shape: tuple[int | None, ...], out: Output) -> Step:
    first = ", without the batch dimension (as in every shape here)" if i == 1 else ""
    shown = "token ids of any length (None)" if shape == (None,) else dims(shape)
    body: list[Any] = [line(f"input: {shown}{first}"), *out.body]
    if not layer.trainable:
        body.append(line(f"trainable=False: all {out.params:,} parameters are frozen (non-trainable)"))
    title = line(f"Layer {i}: {layer.text} — {out.summary}")
    return Step(title, tuple(body), (f"layers.{i}.output_shape", f"layers.{i}.params", f"layers.{i}.trainable"))


def _batch_shape(shape: tuple[int | None, ...]) -> str:
    """Keras' summary notation: the batch first, as None: (None, 30, 30, 32)."""
    return "(" + ", ".join(["None", *("None" if d is None else str(d) for d in shape)]) + ")"


def _sum_line(label: str, terms: Sequence[int], what: str) -> Line:
    """``label = a + b + c = total``, or the total alone when there are many terms."""
    total = sum(terms)
    if len(terms) <= 1:
        return math(f"\\text{{{label}}} = {count(total)}")
    if len(terms) > MAX_SUM_TERMS:
        return math(f"\\text{{{label}}} = \\text{{sum of {len(terms)} {what}}} = {count(total)}")
    return math(f"\\text{{{label}}} = {' + '.join(count(t) for t in terms)} = {count(total)}")


def _summary_step(layers: Sequence[Layer], names: Sequence[str], outputs: Sequence[Output], framework: str,
                  total: int, trainable: int) -> Step:
    rows = tuple((f"{name} ({layer.kind.name})", _batch_shape(out.shape), f"{out.params:,}")
                 for name, layer, out in zip(names, layers, outputs))
    caption = "as Keras' model.summary() prints it" if framework == KERAS else "PyTorch shapes (channels first), batch written None"
    frozen = [out.params - out.trainable for out in outputs if out.params > out.trainable]
    body: list[Any] = [Table(line(caption), ("Layer (type)", "Output Shape", "Param #"), rows, elide=False),
                       _sum_line("total", [out.params for out in outputs if out.params], "layers with weights")]
    if frozen:
        body.append(_sum_line("non-trainable", frozen, "layers"))
        body.append(line(f"({_frozen_reason(layers, outputs)})"))
        body.append(math(f"\\text{{trainable}} = {count(total)} - {count(total - trainable)} = {count(trainable)}"))
    body += [line(f"Total params: {total:,}"), line(f"Trainable params: {trainable:,}"),
             line(f"Non-trainable params: {total - trainable:,}")]
    return Step(line("Summary: output shapes and parameter counts"), tuple(body),
                ("total_params", "trainable_params", "non_trainable_params"))


def _frozen_reason(layers: Sequence[Layer], outputs: Sequence[Output]) -> str:
    reasons = []
    if any(layer.trainable and out.params > out.trainable for layer, out in zip(layers, outputs)):
        reasons.append("BatchNormalization's moving means and variances are updated by averaging, not by gradients")
    if any(not layer.trainable and out.params for layer, out in zip(layers, outputs)):
        reasons.append("layers with trainable=False are frozen")
    return "; ".join(reasons)


# --- notes ----------------------------------------------------------------------------------


def _notes(layers: Sequence[Layer], x: tuple[int | None, ...], outputs: Sequence[Output], framework: str) -> list[Note]:
    if framework == KERAS:
        notes = [Note(line("Keras conventions: channels last (height × width × channels; sequences steps × features), "
                           "one bias vector per gate network, GRU with reset_after=True (the TensorFlow 2 default)."))]
    else:
        notes = [Note(line("PyTorch conventions: channels first (channels × height × width; sequences steps × features), "
                           "two bias vectors per RNN/LSTM/GRU gate block (b_ih and b_hh), BatchNorm's running mean and "
                           "variance are buffers, not parameters.")),
                 Note(line("Layers are written Keras-style for PyTorch too: Conv2D(filters, kernel_size) is "
                           "nn.Conv2d(in_channels, filters, kernel_size), the input channels coming from the input shape."))]
    if framework == KERAS and any(layer.kind.name in _MATRIX_LAYERS for layer in _all(layers)):
        notes.append(Note(line("Weight matrices are written W x as in the notes, one row per unit; Keras stores the "
                               "transpose (its kernel is inputs × units).")))
    if framework == KERAS and any(isinstance(layer.values.get("padding"), tuple) for layer in layers):
        notes.append(Note(line("Keras layers take padding 'valid' or 'same'; a number P is read as P zeros on each side "
                               "(in Keras: ZeroPadding2D(P) before the layer).")))
    if None in x or any(None in out.shape for out in outputs):
        notes.append(Note(line("None is a length that is not fixed (a sequence of any length), as Keras prints it; "
                               "it never changes a parameter count.")))
    notes += _order_warning(layers[0], x, framework)
    for i, (layer, out) in enumerate(zip(layers, outputs), 1):
        if layer.kind.name == "Conv2D" and layer.values["kernel_size"] == (3, 3) and layer.values["filters"] == 64 and out.params == 18_496:
            notes.append(Note(line(f"For the second convolution (64 filters 3 × 3 on 32 channels, layer {i} here) the notes "
                                   f"write 64 × (3 × 3) × 32 + 64 = \"1849\": a digit is lost, the sum is 18,496."), "erratum"))
    return notes


def _all(layers: Sequence[Layer]) -> list[Layer]:
    """The layers with the ones inside wrappers (Bidirectional, TimeDistributed)."""
    return [item for layer in layers for item in (layer, *_all([layer.values["layer"]] if "layer" in layer.values else []))]


def _order_warning(first: Layer, x: tuple[int | None, ...], framework: str) -> list[Note]:
    """A 2-D layer on an input whose small axis sits where the other framework puts channels."""
    if len(x) != 3 or not first.kind.name.endswith("2D") or None in x:
        return []
    if framework == KERAS and x[0] in (1, 3, 4) and x[2] > 4:
        return [Note(line(f"The input {dims(x)} is read channels-last: {x[2]} channels of {x[0]} × {x[1]}. "
                          f"For {x[0]} channels write --input {x[1]}x{x[2]}x{x[0]} (or use --framework pytorch)."), "warning")]
    if framework == PYTORCH and x[2] in (1, 3, 4) and x[0] > 4:
        return [Note(line(f"The input {dims(x)} is read channels-first: {x[0]} channels of {x[1]} × {x[2]}. "
                          f"For {x[2]} channels write --input {x[2]}x{x[0]}x{x[1]}."), "warning")]
    return []


# --- solve ------------------------------------------------------------------------------------


def solve(inputs: Mapping[str, Any]) -> Derivation:
    """Every layer's output shape and parameter count, then the model summary."""
    # validation: every layer read by its signature, the input shape settled
    framework = inputs["framework"]
    calls, notes_layers = _calls(inputs)
    layers = [bind(call) for call in calls]
    x = _input_shape(inputs["input"], layers, framework, notes_layers)
    # the counting: each layer on the previous one's output
    outputs = _forward(layers, x, framework)
    names = _names(layers)
    total = sum(out.params for out in outputs)
    trainable = sum(out.trainable for out in outputs)

    # the steps, written from the computed shapes and counts
    shapes_in = [x, *(out.shape for out in outputs[:-1])]
    steps = [_layer_step(i, layer, shape, out) for i, (layer, shape, out) in enumerate(zip(layers, shapes_in, outputs), 1)]
    steps.append(_summary_step(layers, names, outputs, framework, total, trainable))

    answers = {
        "layers": [{"name": name, "output_shape": list(out.shape), "params": out.params, "trainable": out.trainable}
                   for name, out in zip(names, outputs)],
        "total_params": total,
        "trainable_params": trainable,
        "non_trainable_params": total - trainable,
    }
    echoed = {"input": list(x), "layers": [layer.text for layer in layers], "framework": framework}
    style = "Keras" if framework == KERAS else "PyTorch"
    title = f"Output shapes and parameters: {len(layers)} layer{'s' if len(layers) > 1 else ''} on {_input_phrase(x)} ({style})"
    return Derivation(COMMAND, title, echoed, tuple(steps), answers, tuple(_notes(layers, x, outputs, framework)),
                      frozenset({"layers"}))
