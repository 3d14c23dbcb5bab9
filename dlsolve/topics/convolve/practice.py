"""Feature-map exercises: one filter over a small image, by hand.

Exam-friendly means: 0/1 images and kernels at the easy level, small whole numbers
elsewhere; maps whose size the pooling divides exactly (no row or column left out), so every
pooled value is a maximum or a quarter-sum of whole numbers.

easy  a 0/1 image (4×4 to 6×6) and a 0/1 kernel (2×2 or 3×3), stride 1, no padding
exam  small whole numbers, padding 1 or stride 2, a bias and ReLU, then 2×2 max pooling
hard  two channels, 'same' padding, ReLU, max or average pooling, now and then true
      convolution (the kernel flipped)
"""

from __future__ import annotations

from dlsolve.core.derivation import Line, line
from dlsolve.practice.draw import Draw, first
from dlsolve.practice.exercise import Generated, Question, counted, given, numbered, vector
from dlsolve.topics.convolve.sizes import output_size, same_pads

TITLE = "Convolution: feature map, activation, pooling"

Matrix = list[list[float]]


def _matrix(draw: Draw, rows: int, columns: int, low: int, high: int) -> Matrix:
    """A matrix of whole numbers in ``low … high`` with at least two distinct entries."""
    return first(lambda: [[float(draw.integer(low, high)) for _ in range(columns)] for _ in range(rows)],
                 lambda m: len({v for row in m for v in row}) > 1)


def _map_size(side: int, kernel: int, padding: int | str, stride: int) -> int:
    if padding == "same":
        return output_size(side, kernel, *same_pads(side, kernel, stride), stride)
    return output_size(side, kernel, int(padding), int(padding), stride)


def _easy(draw: Draw) -> dict:
    side, kernel = draw.choice((4, 5, 6)), draw.choice((2, 3))
    return {"image": [_matrix(draw, side, side, 0, 1)], "kernel": [_matrix(draw, kernel, kernel, 0, 1)]}


def _exam(draw: Draw) -> dict:
    def make() -> tuple[int, int, int, int]:
        return draw.choice((4, 5, 6)), draw.choice((2, 3)), draw.choice((0, 1)), draw.choice((1, 2))

    def fits(shape: tuple[int, int, int, int]) -> bool:
        side, kernel, padding, stride = shape
        out = _map_size(side, kernel, padding, stride)
        return (padding or stride > 1) and (side - kernel + 2 * padding) % stride == 0 and out >= 2 and out % 2 == 0

    side, kernel, padding, stride = first(make, fits)
    return {"image": [_matrix(draw, side, side, 0, 3)], "kernel": [_matrix(draw, kernel, kernel, -1, 2)],
            "bias": float(draw.choice((-2, -1, 1))), "stride": stride, "padding": padding, "activation": "relu", "pool": "max"}


def _hard(draw: Draw) -> dict:
    side = draw.choice((4, 6))
    return {"image": [_matrix(draw, side, side, 0, 2) for _ in range(2)], "kernel": [_matrix(draw, 3, 3, -1, 1) for _ in range(2)],
            "bias": float(draw.choice((-1, 1))), "padding": "same", "mode": draw.choice(("correlation", "convolution")),
            "activation": "relu", "pool": draw.choice(("max", "avg"))}


GENERATORS = {"easy": _easy, "exam": _exam, "hard": _hard}


def _rows(m: Matrix) -> tuple:
    return numbered([("$", *vector(row), "$") for row in m])


def _statement(problem: dict) -> tuple[Line, ...]:
    images, kernels = problem["image"], problem["kernel"]
    side, kernel = len(images[0]), len(kernels[0])
    out: list[Line] = []
    for c, (image, k) in enumerate(zip(images, kernels), 1):
        which = f"Channel {c} of the image" if len(images) > 1 else f"The {side}×{side} image $x$"
        out.append(line(f"{which} has the rows ", *_rows(image), "."))
        out.append(line(f"The {kernel}×{kernel} kernel{f' of channel {c}' if len(images) > 1 else ''} has the rows ", *_rows(k), "."))
    operation = ("true convolution: flip the kernel by 180° first" if problem.get("mode") == "convolution"
                 else "cross-correlation, as a convolutional layer computes (the kernel is not flipped)")
    padding = problem.get("padding", 0)
    shape = (f"stride {problem.get('stride', 1)}, "
             + ("'same' padding (TensorFlow's rule: the odd zero at the bottom/right)" if padding == "same"
                else f"zero padding {padding}" if padding else "no padding"))
    out.append(line(f"Use {operation}; {shape}"
                    + (f", {counted(len(images), 'channel')} summed" if len(images) > 1 else "")
                    + (", then add the bias $b = " if "bias" in problem else "."), *((given(problem["bias"]), "$.") if "bias" in problem else ())))
    if problem.get("pool"):
        kind = "max" if problem["pool"] == "max" else "average"
        out.append(line(f"Apply ReLU, then {kind} pooling with 2×2 windows and stride 2."))
    return tuple(out)


def _questions(problem: dict) -> tuple[Question, ...]:
    questions = [Question(line("Give the size of the feature map."), ("output_shape",)),
                 Question(line("Compute every element of the feature map $z$."), ("feature_map",))]
    if problem.get("activation"):
        questions.append(Question(line("Apply the activation: give $a = \\operatorname{ReLU}(z)$."), ("activated",)))
    if problem.get("pool"):
        questions.append(Question(line("Pool $a$: give the pooled map."), ("pooled",)))
    return tuple(questions)


def _maps(problem: dict) -> tuple[Matrix, Matrix, Matrix]:
    """The feature map, the activated and the pooled map of a generated (square) problem, in
    plain Python: an exercise is printed without importing NumPy."""
    images, kernels = problem["image"], problem["kernel"]
    if problem.get("mode") == "convolution":
        kernels = [[row[::-1] for row in k[::-1]] for k in kernels]
    side, K, S, padding = len(images[0]), len(kernels[0]), problem.get("stride", 1), problem.get("padding", 0)
    before, after = same_pads(side, K, S) if padding == "same" else (padding, padding)

    def pixel(x: Matrix, r: int, c: int) -> float:
        r, c = r - before, c - before
        return x[r][c] if 0 <= r < side and 0 <= c < side else 0.0

    out = range(output_size(side, K, before, after, S))
    z = [[sum(pixel(x, i * S + m, j * S + n) * k[m][n] for x, k in zip(images, kernels) for m in range(K) for n in range(K))
          + problem.get("bias", 0.0) for j in out] for i in out]
    a = [[max(v, 0.0) for v in row] for row in z] if problem.get("activation") else z
    windows = [[[a[i + m][j + n] for m in (0, 1) for n in (0, 1)] for j in range(0, len(a) - 1, 2)] for i in range(0, len(a) - 1, 2)]
    pooled = [[max(w) if problem.get("pool") == "max" else sum(w) / 4 for w in row] for row in windows] if problem.get("pool") else []
    return z, a, pooled


def _interesting(problem: dict) -> bool:
    """A map worth computing: more than two different values, after ReLU some zeros but
    mostly not, and pooled values that differ."""
    z, a, pooled = ([v for row in m for v in row] for m in _maps(problem))
    relu_fits = not problem.get("activation") or 0 < a.count(0.0) < len(a) / 2
    return len(set(z)) > 2 and relu_fits and (not problem.get("pool") or len(set(pooled)) > 1)


def generate(draw: Draw, level: str) -> Generated:
    problem = first(lambda: GENERATORS[level](draw), _interesting)
    side, kernel, channels = len(problem["image"][0]), len(problem["kernel"][0]), len(problem["image"])
    extras = [f"{problem['pool']} pooling"] if problem.get("pool") else []
    image = f"{counted(channels, 'channel')} of a {side}×{side} image" if channels > 1 else f"{side}×{side} image"
    summary = (f"{image}, {kernel}×{kernel} kernel, stride {problem.get('stride', 1)}, "
               f"padding {problem.get('padding', 0)}{''.join(', ' + e for e in extras)}")
    return Generated(problem, _statement(problem), _questions(problem), summary)
