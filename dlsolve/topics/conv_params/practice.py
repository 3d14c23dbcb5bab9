"""Layer-shape and parameter-count exercises: a small CNN on an image, or a recurrent
model on token sequences, written as Keras layers (the notes' style).

Exam-friendly means: every convolution and pooling fits its input exactly (no rows or
columns dropped by the floor in ⌊(W − K + 2P)/S⌋ + 1), sizes an exam uses (28×28×1,
32×32×3 …), filter and unit counts that are powers of two.
"""

from __future__ import annotations

from typing import NamedTuple

from dlsolve.core.derivation import Line, line
from dlsolve.practice.draw import Draw, first
from dlsolve.practice.exercise import Generated, Question, counted

TITLE = "Layer shapes and parameter counts"
IMAGES = ((28, 1), (32, 3), (32, 1), (64, 3))  # (side, channels)
FILTERS = (8, 16, 32, 64)
RECURRENT = ("SimpleRNN", "LSTM", "GRU")


class Layer(NamedTuple):
    text: str  # Keras-style, as the solver reads it
    side: int  # the image side after it (0 for sequence models)


class Shape(NamedTuple):
    kinds: tuple[str, ...]  # cnn, rnn


LEVELS = {"easy": Shape(("cnn",)), "exam": Shape(("cnn", "rnn")), "hard": Shape(("cnn", "rnn"))}


def _conv(draw: Draw, side: int, level: str) -> Layer | None:
    """A Conv2D that fits ``side`` exactly (None when none does)."""
    filters = draw.choice(FILTERS)
    kernel = draw.choice((3, 5) if level != "easy" else (3,))
    if level == "hard" and draw.chance(1, 2):
        stride = 2
        if draw.chance(1, 2):  # "same": output ⌈side/stride⌉
            return Layer(f'Conv2D({filters}, {kernel}, strides={stride}, padding="same")', -(-side // stride)) if side % stride == 0 else None
        fits = (side - kernel) % stride == 0
        return Layer(f"Conv2D({filters}, {kernel}, strides={stride})", (side - kernel) // stride + 1) if fits else None
    return Layer(f"Conv2D({filters}, {kernel})", side - kernel + 1) if side > kernel else None


def _pool(side: int) -> Layer | None:
    return Layer("MaxPooling2D(2)", side // 2) if side % 2 == 0 and side >= 4 else None


def _cnn(draw: Draw, level: str) -> tuple[str, list[str]] | None:
    """Input and layers of a CNN, or None when a layer does not fit."""
    side, channels = draw.choice(IMAGES)
    blocks = 1 if level == "easy" else 2
    layers: list[Layer] = []
    current = side
    for _ in range(blocks):
        conv = _conv(draw, current, level)
        if conv is None:
            return None
        layers.append(conv)
        if level == "hard" and draw.chance(1, 2):
            layers.append(Layer("BatchNormalization()", conv.side))
        pool = _pool(conv.side)
        if pool is None:
            return None
        layers.append(pool)
        current = pool.side
    if level == "hard" and draw.chance(1, 2):
        layers += [Layer("GlobalAveragePooling2D()", 0), Layer("Dropout(0.5)", 0)]
    else:
        layers.append(Layer("Flatten()", 0))
        if level != "easy":
            layers.append(Layer(f"Dense({draw.choice((32, 64, 128))})", 0))
    layers.append(Layer(f"Dense({draw.choice((10, 5, 2))})", 0))
    return f"{side}x{side}x{channels}", [layer.text for layer in layers]


def _rnn(draw: Draw, level: str) -> tuple[str, list[str]]:
    """Embedding, one or two recurrent layers, a Dense output."""
    vocabulary = draw.choice((1000, 5000, 10000))
    width = draw.choice((16, 32, 64))
    first_kind = draw.choice(RECURRENT)
    layers = [f"Embedding({vocabulary}, {width})"]
    if level == "hard":
        layers.append(f"{first_kind}({draw.choice((32, 64))}, return_sequences=True)")
        layers.append(f"{draw.choice(RECURRENT)}({draw.choice((16, 32))})")
    else:
        layers.append(f"{first_kind}({draw.choice((32, 64, 128))})")
    layers.append(f"Dense({draw.choice((1, 5, 10))})")
    return "seq", layers


def generate(draw: Draw, level: str) -> Generated:
    kind = draw.choice(LEVELS[level].kinds)
    shape, layers = first(lambda: _cnn(draw, level), lambda made: made is not None) if kind == "cnn" else _rnn(draw, level)
    framework = "pytorch" if kind == "rnn" and level == "hard" and draw.chance(1, 2) else "keras"
    problem = {"input": shape, "layers": layers}
    if framework != "keras":
        problem["framework"] = framework
    non_trainable = any(layer.startswith("BatchNormalization") for layer in layers)
    return Generated(problem, _statement(shape, layers, framework), _questions(len(layers), non_trainable),
                     f"{'a CNN on ' + shape.replace('x', '×') if kind == 'cnn' else 'a recurrent model on token sequences'}, "
                     f"{counted(len(layers), 'layer')}{', PyTorch counts' if framework == 'pytorch' else ''}")


def _statement(shape: str, layers: list[str], framework: str) -> tuple[Line, ...]:
    if shape == "seq":
        given = "A model reads sequences of token ids (of any length) through these Keras layers, in order:"
        defaults = "Every layer has its default arguments (biases used)."
    else:
        given = f"A model takes {shape.replace('x', ' × ')} images (height × width × channels) through these Keras layers, in order:"
        defaults = 'Every layer has its default arguments unless written (padding "valid", stride 1, biases used).'
    lines = [line(given), line(" → ".join(layers)), line(defaults)]
    if framework == "pytorch":
        lines.append(line("Count the recurrent layers' parameters the PyTorch way: two bias vectors per gate block, $b_{ih}$ and $b_{hh}$."))
    return tuple(lines)


def _questions(n: int, non_trainable: bool) -> tuple[Question, ...]:
    layers = range(1, n + 1)
    totals = ("total_params", "trainable_params", "non_trainable_params") if non_trainable else ("total_params",)
    return (Question(line("Give the output shape of every layer (without the batch dimension)."), tuple(f"layers.{i}.output_shape" for i in layers)),
            Question(line("Count the parameters of every layer."), tuple(f"layers.{i}.params" for i in layers)),
            Question(line("How many parameters does the model have in all" + (", and how many of them are trainable?" if non_trainable else "?")),
                     totals))
