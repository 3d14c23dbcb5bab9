"""Backpropagation: a fully connected network, one training example, plain gradient descent.

Forward   net⁽ˡ⁾ = W⁽ˡ⁾ out⁽ˡ⁻¹⁾ + b⁽ˡ⁾,  out⁽ˡ⁾ = f(net⁽ˡ⁾),  out⁽⁰⁾ = x
Loss      mse: E = ½ Σ (t − y)²;  bce: E = −Σ [t log y + (1 − t) log(1 − y)]
Backward  δ⁽ᴸ⁾ = ∂E/∂out ⊙ f′(net⁽ᴸ⁾)   (bce with a sigmoid output: δ = y − t)
          δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀ δ⁽ˡ⁺¹⁾) ⊙ f′(net⁽ˡ⁾),  ∂E/∂W⁽ˡ⁾ = δ⁽ˡ⁾ out⁽ˡ⁻¹⁾ᵀ,  ∂E/∂b⁽ˡ⁾ = δ⁽ˡ⁾
Update    W⁺ = W − η ∂E/∂W, every gradient taken from the forward pass before any change.

Small networks are written the notes' way (weights w1, w2, … numbered layer by layer,
row by row; every unit and every weight on its own line); larger ones as per-layer
vectors and matrices so the solution stays a few screens long.
"""

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from dlsolve.core.derivation import Derivation, Line, Note, Num, Part, Rows, Step, Table, joined, line, math
from dlsolve.core.inputs import Choice, Field, Flag, InputError, Integer, Matrix, Number, NumberOrVector, PerItem, Vector
from dlsolve.core.activations import ACTIVATIONS, SIGMOID, Activation

COMMAND = "backprop"
NOTES_WEIGHTS = (((0.15, 0.20), (0.25, 0.30)), ((0.40, 0.45), (0.50, 0.55)))
NOTES_BIASES = (0.35, 0.60)
# total-work caps: far above a hand exercise (a 2-2-2 network, a few epochs), and the worst
# admitted input still finishes in seconds; a 2048-1024-10 network (2.1 M weights) is admitted
MAX_LAYERS = 1_000
MAX_UNITS = 10_000  # in any one layer (the input included)
MAX_WEIGHTS = 2_500_000
MAX_LAYER_PASSES = 20_000  # layers × epochs: each a few NumPy calls
MAX_WEIGHT_UPDATES = 250_000_000  # weights × epochs: the arithmetic
DETAIL_MAX_WEIGHTS = 40  # up to this many weights (and layers ≤ 8 wide): one line per weight
DETAIL_MAX_WIDTH = 8
DELTA = r"\delta"
LOSS_FORMULAS = {
    "mse": r"E = \frac{1}{2}\sum_k (t_k - \mathrm{out}_k)^2",
    "bce": r"E = -\sum_k [t_k \log \mathrm{out}_k + (1 - t_k) \log(1 - \mathrm{out}_k)]",
}

FIELDS = (
    Field("x", Vector(), (0.05, 0.10)),
    Field("target", Vector(), (0.01, 0.99)),
    Field("weights", PerItem(Matrix(MAX_WEIGHTS, rows=MAX_UNITS, array=True), limit=MAX_LAYERS), NOTES_WEIGHTS),
    Field("biases", PerItem(NumberOrVector(), limit=MAX_LAYERS), None),  # None: the notes' biases, or 0 for another network
    Field("activation", PerItem(Choice(tuple(ACTIVATIONS)), limit=MAX_LAYERS), ("sigmoid",)),
    Field("loss", Choice(("mse", "bce")), "mse"),
    Field("lr", Number(low=0, low_inclusive=False), 0.5),
    Field("epochs", Integer(low=1, high=100_000), 1),
    Field("update_biases", Flag(), False),
)


# --- the network and its validation ---------------------------------------------------


class Network(NamedTuple):
    """Weights (rows = receiving units), bias vectors and activations, layer by layer."""

    W: tuple[np.ndarray, ...]
    b: tuple[np.ndarray, ...]
    f: tuple[Activation, ...]

    @property
    def widths(self) -> tuple[int, ...]:
        """Units per layer, the input layer first."""
        return (self.W[0].shape[1], *(w.shape[0] for w in self.W))


def _within_caps(weights: Sequence[np.ndarray], epochs: int) -> None:
    """Refuse a network or a run beyond the total-work caps, naming the cap."""
    widths = (weights[0].shape[1], *(w.shape[0] for w in weights))
    if max(widths) > MAX_UNITS:
        layer = widths.index(max(widths))
        where = "--x" if layer == 0 else f"--weights (layer {layer})"
        raise InputError(where, f"{max(widths):,} units in one layer; at most {MAX_UNITS:,} (this tool is for exercises)")
    total = sum(w.size for w in weights)
    if total > MAX_WEIGHTS:
        raise InputError("--weights", f"the network has {total:,} weights; at most {MAX_WEIGHTS:,} (this tool is for exercises)")
    if epochs * len(weights) > MAX_LAYER_PASSES:
        raise InputError("--epochs", f"{epochs:,} epochs × {len(weights):,} layers = {epochs * len(weights):,} layer passes; "
                                     f"at most {MAX_LAYER_PASSES:,} (this tool is for exercises)")
    if epochs * total > MAX_WEIGHT_UPDATES:
        raise InputError("--epochs", f"{epochs:,} epochs × {total:,} weights = {epochs * total:,} weight updates; "
                                     f"at most {MAX_WEIGHT_UPDATES:,} (this tool is for exercises)")


def _network(inputs: Mapping[str, Any]) -> tuple[Network, list[Note]]:
    """Check that the options fit together and build the network (or raise InputError)."""
    notes: list[Note] = []
    weights = [np.asarray(w, dtype=float) for w in inputs["weights"]]
    layers = len(weights)
    if weights[0].shape[1] != len(inputs["x"]):
        raise InputError("--weights (layer 1)", f"has {weights[0].shape[1]} columns but --x has {len(inputs['x'])} values (one column per input)")
    for l in range(1, layers):
        if weights[l].shape[1] != weights[l - 1].shape[0]:
            raise InputError(f"--weights (layer {l + 1})", f"has {weights[l].shape[1]} columns but layer {l} has {weights[l - 1].shape[0]} units (rows)")
    if weights[-1].shape[0] != len(inputs["target"]):
        raise InputError("--target", f"has {len(inputs['target'])} values but the output layer (--weights layer {layers}) has {weights[-1].shape[0]} units (rows)")
    _within_caps(weights, inputs["epochs"])

    biases = inputs["biases"]
    if biases is None:
        notes_network = [w.shape for w in weights] == [(2, 2)] * 2 and tuple(tuple(map(tuple, w.tolist())) for w in weights) == NOTES_WEIGHTS
        biases = NOTES_BIASES if notes_network else (0.0,) * layers
        if not notes_network:
            notes.append(Note(line("No --biases given: every bias is 0.")))
    if len(biases) != layers:
        raise InputError("--biases", f"give one per layer ({layers} layers), got {len(biases)}")
    b = []
    for l, (bias, w) in enumerate(zip(biases, weights), 1):
        vector = np.full(w.shape[0], float(bias)) if np.isscalar(bias) else np.array(bias, dtype=float)
        if vector.shape != (w.shape[0],):
            raise InputError(f"--biases (layer {l})", f"has {len(vector)} values but layer {l} has {w.shape[0]} units")
        b.append(vector)

    names = inputs["activation"]
    if len(names) not in (1, layers):
        raise InputError("--activation", f"give one for all layers or one per layer ({layers} layers), got {len(names)}")
    f = tuple(ACTIVATIONS[n] for n in (names * layers if len(names) == 1 else names))

    if inputs["loss"] == "bce":
        if f[-1] is not SIGMOID:
            raise InputError("--loss", f"bce needs a sigmoid output layer (outputs in (0, 1)); the output layer is {f[-1].name}")
        if any(not 0 <= t <= 1 for t in inputs["target"]):
            raise InputError("--target", "bce targets must lie in [0, 1]")
    return Network(tuple(weights), tuple(b), f), notes


# --- one forward and backward pass ----------------------------------------------------


class Pass(NamedTuple):
    """Everything one forward/backward pass computes (lists indexed by layer, 1-based in
    meaning: ``outs[0]`` is x, ``nets[0]`` is layer 1's net input)."""

    nets: tuple[np.ndarray, ...]
    outs: tuple[np.ndarray, ...]
    loss_terms: np.ndarray
    dE_dout: tuple[np.ndarray, ...]  # per layer: ∂E/∂out of every unit
    slopes: tuple[np.ndarray, ...]  # per layer: ∂out/∂net
    deltas: tuple[np.ndarray, ...]  # per layer: δ = ∂E/∂net
    grad_W: tuple[np.ndarray, ...]

    @property
    def loss(self) -> float:
        return float(self.loss_terms.sum())


def _forward(network: Network, x: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Every layer's net input and output: net = W·out + b, out = f(net), layer by layer."""
    nets, outs = [], [x]
    for W, b, f in zip(network.W, network.b, network.f):
        nets.append(W @ outs[-1] + b)
        outs.append(f.apply(nets[-1]))
    return nets, outs


def _loss_terms(y: np.ndarray, z: np.ndarray, t: np.ndarray, loss: str) -> np.ndarray:
    """Each output unit's share of the loss, from its output y and net input z."""
    if loss == "mse":
        return 0.5 * (t - y) ** 2
    return np.logaddexp(0.0, z) - t * z  # bce from the net input: −[t log σ(z) + (1 − t) log(1 − σ(z))] = log(1 + e^z) − t z, exact


def _pass(network: Network, x: np.ndarray, t: np.ndarray, loss: str) -> Pass:
    nets, outs = _forward(network, x)
    y = outs[-1]
    loss_terms = _loss_terms(y, nets[-1], t, loss)
    if loss == "mse":
        dE_dy = y - t
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            dE_dy = -t / y + (1 - t) / (1 - y)

    # backward: δ of the output layer, then δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀ δ⁽ˡ⁺¹⁾) ⊙ f′(net⁽ˡ⁾)
    layers = len(network.W)
    slopes = [f.slope(net, out) for f, net, out in zip(network.f, nets, outs[1:])]
    dE_dout: list[np.ndarray] = [np.empty(0)] * layers
    deltas: list[np.ndarray] = [np.empty(0)] * layers
    dE_dout[-1] = dE_dy
    deltas[-1] = y - t if loss == "bce" else dE_dy * slopes[-1]  # bce + sigmoid: the slope cancels
    for l in range(layers - 2, -1, -1):
        dE_dout[l] = network.W[l + 1].T @ deltas[l + 1]
        deltas[l] = dE_dout[l] * slopes[l]

    # gradients: ∂E/∂W⁽ˡ⁾ = δ⁽ˡ⁾ out⁽ˡ⁻¹⁾ᵀ (∂E/∂b⁽ˡ⁾ = δ⁽ˡ⁾)
    grad_W = tuple(np.outer(d, a) for d, a in zip(deltas, outs[:-1]))
    return Pass(tuple(nets), tuple(outs), loss_terms, tuple(dE_dout), tuple(slopes), tuple(deltas), grad_W)


def _updated(network: Network, p: Pass, eta: float, update_biases: bool) -> Network:
    W = tuple(_minus_scaled(w, eta, g) for w, g in zip(network.W, p.grad_W))
    b = tuple(v - eta * d for v, d in zip(network.b, p.deltas)) if update_biases else network.b
    return Network(W, b, network.f)


def _minus_scaled(w: np.ndarray, eta: float, g: np.ndarray) -> np.ndarray:
    """w − η g, the product's array reused for the difference (one large allocation, not two)."""
    step = eta * g
    return np.subtract(w, step, out=step)


def _finite(*arrays: Sequence[np.ndarray]) -> bool:
    return all(np.all(np.isfinite(a)) for group in arrays for a in group)


# --- names in the notes' style --------------------------------------------------------


class _Names:
    """LaTeX names: x_1, net_{h1}, out_{o2}, w_5 (numbered layer by layer, row by row as in
    the notes), and net^{(2)}_{1} for networks with more than one hidden layer."""

    def __init__(self, widths: Sequence[int], per_unit_biases: Sequence[bool]) -> None:
        self.widths = widths
        self.layers = len(widths) - 1
        self.per_unit_biases = per_unit_biases
        self.offsets = np.cumsum([0, *(widths[l] * widths[l - 1] for l in range(1, self.layers + 1))])

    def unit(self, l: int, j: int) -> str:
        if l == 0:
            return f"x{j + 1}"
        if l == self.layers:
            return f"o{j + 1}"
        return f"h{j + 1}" if self.layers == 2 else f"{l}.{j + 1}"

    def of(self, base: str, l: int, j: int) -> str:
        """``base`` (net, out, \\delta, b, E) of unit j of layer l."""
        base = {"net": r"\mathrm{net}", "out": r"\mathrm{out}"}.get(base, base)
        if l == 0:
            return f"x_{{{j + 1}}}"
        if l == self.layers or self.layers == 2:
            return f"{base}_{{{self.unit(l, j)}}}"
        return f"{base}^{{({l})}}_{{{j + 1}}}"

    def weight(self, l: int, j: int, i: int) -> str:
        return f"w_{{{self.offsets[l - 1] + j * self.widths[l - 1] + i + 1}}}"

    def bias(self, l: int, j: int) -> str:
        return self.of("b", l, j) if self.per_unit_biases[l - 1] else f"b_{{{l}}}"

    def label(self, l: int, j: int) -> str:
        """A unit's row label in tables: h1, o2, or h^{(2)}_{1} in deeper networks."""
        if l == self.layers or self.layers == 2:
            return self.unit(l, j)
        return f"h^{{({l})}}_{{{j + 1}}}"

    def layer(self, l: int) -> str:
        """``the output layer``, ``the hidden layer``, ``hidden layer 2``."""
        if l == self.layers:
            return "the output layer"
        return "the hidden layer" if self.layers == 2 else f"hidden layer {l}"

    def weight_range(self, l: int) -> str:
        first, last = self.offsets[l - 1] + 1, self.offsets[l]
        return f"$w_{{{first}}}$" + (f"–$w_{{{last}}}$" if last > first else "")


def _d(top: str, bottom: str) -> str:
    """∂top/∂bottom in LaTeX."""
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


def _product(pairs: Sequence[tuple[float, float]]) -> tuple[Part, ...]:
    """``a·b + c·d`` with negative factors in parentheses."""
    return joined([(Num(a, paren=True), r" \cdot ", Num(b, paren=True)) for a, b in pairs], " + ")


def _weight_table(caption: Line, names: _Names, l: int, W: np.ndarray, b: np.ndarray) -> Table:
    """Layer l's weights (rows = receiving units) with the bias as the last column."""
    header = ("", *(f"${names.of('out', l - 1, i)}$" for i in range(W.shape[1])), "bias")
    return Table(caption, header, Rows(W.shape[0], lambda j: (f"${names.label(l, j)}$", *W[j].tolist(), float(b[j]))))


# --- the worked steps, small networks: one line per unit and per weight ---------------


def _forward_steps(names: _Names, network: Network, p: Pass) -> list[Step]:
    steps = []
    for l in range(1, names.layers + 1):
        W, b, f = network.W[l - 1], network.b[l - 1], network.f[l - 1]
        body: list[Line] = []
        for j in range(W.shape[0]):
            net, out = names.of("net", l, j), names.of("out", l, j)
            symbols = [f"{names.weight(l, j, i)} {names.of('out', l - 1, i)}" for i in range(W.shape[1])]
            numbers = (*_product(list(zip(W[j], p.outs[l - 1]))), " + ", Num(b[j], paren=True))
            body.append(math(net, " = ", " + ".join([*symbols, names.bias(l, j)]), " = ", *numbers, " = ", p.nets[l - 1][j]))
            shown = () if f.name == "linear" else (" = ", *f.written(p.nets[l - 1][j]))
            body.append(math(out, " = ", f.symbol(net), *shown, " = ", p.outs[l][j]))
        key = "outputs" if l == names.layers else f"hidden.{l}"
        steps.append(Step(line(f"Forward pass: {names.layer(l).removeprefix('the ')}"), tuple(body), (key,)))
    return steps


def _loss_step(names: _Names, loss: str, t: np.ndarray, p: Pass) -> Step:
    L, y = names.layers, p.outs[-1]
    body: list[Line] = []
    for k in range(len(t)):
        E, out, tk = names.of("E", L, k), names.of("out", L, k), f"t_{{{k + 1}}}"
        if loss == "mse":
            body.append(math(E, rf" = \frac{{1}}{{2}}({tk} - {out})^2 = \frac{{1}}{{2}}(", t[k], " - ", y[k], ")^2 = ", p.loss_terms[k]))
        else:
            body.append(math(E, rf" = -[{tk} \log {out} + (1 - {tk}) \log(1 - {out})] = -[", t[k], r" \log(", y[k], ") + ",
                             1 - t[k], r" \log(", 1 - y[k], ")] = ", p.loss_terms[k]))
            if y[k] in (0.0, 1.0):
                body.append(line(f"${out}$ rounds to {y[k]:g} in floating point, so ${E}$ is computed from the net input: ",
                                 r"$\log(1 + e^{\mathrm{net}}) - t \cdot \mathrm{net} = ", p.loss_terms[k], "$ (exact, no clipping needed)."))
    labels = [names.of("E", L, k) for k in range(len(t))]
    terms = (" = ", *joined(list(p.loss_terms), " + ")) if len(t) > 1 else ()
    body.append(math(r"E_{\text{total}} = ", " + ".join(labels), *terms, " = ", p.loss))
    formula = LOSS_FORMULAS[loss]
    return Step(line(f"Error: ${formula}$"), tuple(body), ("loss",))


def _slope_line(names: _Names, f: Activation, l: int, j: int, p: Pass) -> Line:
    net, out = names.of("net", l, j), names.of("out", l, j)
    if f.name == "linear":
        return math(_d(out, net), r" = 1 \quad (\text{linear unit})")
    return math(_d(out, net), " = ", f.slope_symbolic(out, net), " = ", *f.slope_written(p.nets[l - 1][j], p.outs[l][j]),
                " = ", p.slopes[l - 1][j])


def _output_delta_step(names: _Names, network: Network, loss: str, t: np.ndarray, p: Pass) -> Step:
    L = names.layers
    body: list[Line] = []
    if loss == "bce":
        body.append(line(r"With bce and a sigmoid output the slope cancels (as in the course notes on loss functions): ",
                         r"$\left(-\frac{t}{y} + \frac{1 - t}{1 - y}\right) \cdot y(1 - y) = y - t$."))
    for k in range(len(t)):
        out, net, tk, delta = names.of("out", L, k), names.of("net", L, k), f"t_{{{k + 1}}}", names.of(DELTA, L, k)
        y, dE = p.outs[-1][k], p.dE_dout[-1][k]
        if loss == "mse":
            body.append(math(_d("E", out), f" = {out} - {tk} = ", y, " - ", t[k], " = ", dE))
        elif np.isfinite(dE):
            body.append(math(_d("E", out), rf" = -\frac{{{tk}}}{{{out}}} + \frac{{1 - {tk}}}{{1 - {out}}} = ",
                             r"-\frac{", t[k], "}{", y, r"} + \frac{", 1 - t[k], "}{", 1 - y, "} = ", dE))
        body.append(_slope_line(names, network.f[-1], L, k, p))
        if loss == "mse":
            body.append(math(delta, " = ", _d("E", net), " = ", _d("E", out), r" \cdot ", _d(out, net), " = ",
                             Num(dE, paren=True), r" \cdot ", Num(p.slopes[-1][k], paren=True), " = ", p.deltas[-1][k]))
        else:
            body.append(math(delta, " = ", _d("E", net), f" = {out} - {tk} = ", y, " - ", t[k], " = ", p.deltas[-1][k]))
    return Step(line("Backward pass: error signal $\\delta$ of each output unit"), tuple(body), (f"deltas.{L}",))


def _hidden_delta_step(names: _Names, network: Network, l: int, p: Pass) -> Step:
    W_next = network.W[l]
    body: list[Line] = []
    for i in range(network.W[l - 1].shape[0]):
        out, net, delta = names.of("out", l, i), names.of("net", l, i), names.of(DELTA, l, i)
        receivers = range(W_next.shape[0])
        symbols = " + ".join(f"{names.of(DELTA, l + 1, j)} {names.weight(l + 1, j, i)}" for j in receivers)
        by_output = (" + ".join(_d(names.of("E", l + 1, j), out) for j in receivers) + " = ") if l + 1 == names.layers else ""
        pairs = [(p.deltas[l][j], W_next[j, i]) for j in receivers]
        body.append(math(_d("E", out), " = ", by_output, symbols, " = ", *_product(pairs), " = ", p.dE_dout[l - 1][i]))
        body.append(_slope_line(names, network.f[l - 1], l, i, p))
        body.append(math(delta, " = ", _d("E", out), r" \cdot ", _d(out, net), " = ", Num(p.dE_dout[l - 1][i], paren=True),
                         r" \cdot ", Num(p.slopes[l - 1][i], paren=True), " = ", p.deltas[l - 1][i]))
    title = f"Backward pass: {names.layer(l).removeprefix('the ')}, summing over the units it feeds"
    return Step(line(title), tuple(body), (f"deltas.{l}",))


def _weight_step(names: _Names, network: Network, new: Network, l: int, p: Pass, eta: float, update_biases: bool, final: bool) -> Step:
    W = network.W[l - 1]
    body: list[Line] = []
    for j in range(W.shape[0]):
        out, net = names.of("out", l, j), names.of("net", l, j)
        for i in range(W.shape[1]):
            w, g, source = names.weight(l, j, i), p.grad_W[l - 1][j, i], p.outs[l - 1][i]
            if np.isfinite(p.dE_dout[l - 1][j]):
                factors = (Num(p.dE_dout[l - 1][j], paren=True), r" \cdot ", Num(p.slopes[l - 1][j], paren=True), r" \cdot ", Num(source, paren=True))
                chain = " \\cdot ".join([_d("E", out), _d(out, net), _d(net, w)])
            else:
                factors = (Num(p.deltas[l - 1][j], paren=True), r" \cdot ", Num(source, paren=True))
                chain = f"{names.of(DELTA, l, j)} \\cdot {_d(net, w)}"
            body.append(math(_d("E", w), " = ", chain, " = ", *factors, " = ", g))
            body.append(math(f"{w}^{{+}} = {w} - \\eta \\cdot {_d('E', w)} = ", W[j, i], " - ", eta, r" \cdot ", Num(g, paren=True), " = ", new.W[l - 1][j, i]))
        if update_biases:
            b, delta = names.bias(l, j), names.of(DELTA, l, j)
            body.append(math(_d("E", b), f" = {delta} = ", p.deltas[l - 1][j]))
            body.append(math(f"{b}^{{+}} = {b} - \\eta \\cdot {delta} = ", network.b[l - 1][j], " - ", eta, r" \cdot ",
                             Num(p.deltas[l - 1][j], paren=True), " = ", new.b[l - 1][j]))
    answers = [f"grad_weights.{l}", f"grad_biases.{l}"] + ([f"weights.{l}"] + ([f"biases.{l}"] if update_biases else []) if final else [])
    title = f"Weights into {names.layer(l)} ({names.weight_range(l)}): chain rule and update"
    return Step(line(title), tuple(body), tuple(answers))


# --- the worked steps, larger networks: per-layer vectors and matrices -----------------


def _unit_table(caption: str, header: tuple[str, ...], columns: Sequence[np.ndarray]) -> Table:
    rows = Rows(len(columns[0]), lambda j: (j + 1, *(float(c[j]) for c in columns)))
    return Table(line(caption), ("unit", *header), rows)


def _matrix_table(caption: Line, M: np.ndarray) -> Table:
    header = ("", *(f"{i + 1}" for i in range(M.shape[1])))
    return Table(caption, header, Rows(M.shape[0], lambda j: (j + 1, *M[j].tolist())))


def _layer_steps(network: Network, new: Network, loss: str, p: Pass, eta: float, update_biases: bool, final: bool) -> list[Step]:
    L = len(network.W)
    steps = []
    for l in range(1, L + 1):
        f = network.f[l - 1]
        body = (math(f"\\mathrm{{net}}^{{({l})}} = W^{{({l})}} \\mathrm{{out}}^{{({l - 1})}} + b^{{({l})}}, \\quad \\mathrm{{out}}^{{({l})}} = ", f.symbol(f"\\mathrm{{net}}^{{({l})}}")),
                _unit_table(f"layer {l}: {len(p.nets[l - 1])} units", (r"$\mathrm{net}$", r"$\mathrm{out}$"), (p.nets[l - 1], p.outs[l])))
        kind = "output layer" if l == L else "hidden layer"
        steps.append(Step(line(f"Forward pass: layer {l} ({kind})" + (", with $out^{(0)} = x$" if l == 1 else "")), body,
                          ("outputs" if l == L else f"hidden.{l}",)))
    formula = LOSS_FORMULAS[loss]
    steps.append(Step(line("Error"), (math(formula, " = ", p.loss),), ("loss",)))
    for l in range(L, 0, -1):
        if l == L:
            rule = r"\delta^{(L)} = \mathrm{out} - t" if loss == "bce" else r"\delta^{(L)} = \frac{\partial E}{\partial \mathrm{out}} \odot f'(\mathrm{net}^{(L)}) = (\mathrm{out} - t) \odot f'(\mathrm{net}^{(L)})"
        else:
            rule = rf"\delta^{{({l})}} = \left(W^{{({l + 1})\top}} \delta^{{({l + 1})}}\right) \odot f'(\mathrm{{net}}^{{({l})}})"
        table = _unit_table(f"layer {l}", (r"$\partial E/\partial \mathrm{out}$", r"$\partial \mathrm{out}/\partial \mathrm{net}$", r"$\delta$"),
                            (p.dE_dout[l - 1], p.slopes[l - 1], p.deltas[l - 1]))
        steps.append(Step(line(f"Backward pass: layer {l}"), (math(rule), table), (f"deltas.{l}",)))
    for l in range(1, L + 1):
        rows, cols = network.W[l - 1].shape
        body = [math(rf"\frac{{\partial E}}{{\partial W^{{({l})}}}} = \delta^{{({l})}} \mathrm{{out}}^{{({l - 1})\top}}"),
                line(f"a {rows} × {cols} matrix (row = receiving unit, column = sending unit):"),
                _matrix_table(line(f"$\\partial E/\\partial W^{{({l})}}$"), p.grad_W[l - 1]),
                math(rf"W^{{({l})+}} = W^{{({l})}} - \eta \frac{{\partial E}}{{\partial W^{{({l})}}}}, \quad \eta = ", eta),
                _matrix_table(line(f"$W^{{({l})+}}$"), new.W[l - 1])]
        if update_biases:
            body.append(math(rf"b^{{({l})+}} = b^{{({l})}} - \eta \, \delta^{{({l})}}"))
        answers = [f"grad_weights.{l}", f"grad_biases.{l}"] + ([f"weights.{l}"] if final else [])
        steps.append(Step(line(f"Gradient and update: layer {l}"), tuple(body), tuple(answers)))
    return steps


# --- solve ------------------------------------------------------------------------------


def _epochs_step(names: _Names, history: list[float], last_loss: float, final: Network) -> Step:
    epochs = len(history)
    body: list[Line | Table] = [
        Table(line("loss $E$ at the start of each epoch (before its update)"), ("epoch", "$E$"),
              tuple((e, loss) for e, loss in enumerate(history, 1))),
        line("after the last update: $E = ", last_loss, "$"),
    ]
    body += [_weight_table(line(f"layer {l} after {epochs} epochs"), names, l, final.W[l - 1], final.b[l - 1]) for l in range(1, names.layers + 1)]
    return Step(line(f"Epochs 1–{epochs}: the same forward/backward/update, repeated"), tuple(body),
                ("loss_history", "weights", "biases"))


def _trained(network: Network, first: Pass, x: np.ndarray, t: np.ndarray, loss: str, eta: float, epochs: int,
             update_biases: bool) -> tuple[Network, list[float], float]:
    """The network after ``epochs`` updates, the loss before each, and the loss after the
    last (each pass's gradients freed as soon as they are used)."""
    current, history, p = network, [], first
    for epoch in range(1, epochs + 1):
        history.append(p.loss)
        current = _updated(current, p, eta, update_biases)
        if epoch < epochs:
            p = _pass(current, x, t, loss)
    nets, outs = _forward(current, x)  # the loss after the last update needs no gradients
    return current, history, float(_loss_terms(outs[-1], nets[-1], t, loss).sum())


def solve(inputs: Mapping[str, Any]) -> Derivation:
    """Forward pass, loss, backward pass and gradient-descent update(s) for ``inputs``."""
    network, notes = _network(inputs)
    x, t = np.array(inputs["x"], dtype=float), np.array(inputs["target"], dtype=float)
    eta, loss, epochs, update_biases = inputs["lr"], inputs["loss"], inputs["epochs"], inputs["update_biases"]

    with np.errstate(over="ignore", invalid="ignore"):
        first = _pass(network, x, t, loss)
        current, history, last_loss = _trained(network, first, x, t, loss, eta, epochs, update_biases)
        after_first = current if epochs == 1 else _updated(network, first, eta, update_biases)
    if not (_finite(first.nets, first.outs, first.grad_W, current.W, current.b) and np.isfinite(history).all() and np.isfinite(last_loss)):
        raise InputError("--weights/--x/--lr", "the numbers overflow double precision (try smaller weights, inputs or learning rate)")

    widths = network.widths
    per_unit = [update_biases or len(set(b.tolist())) > 1 for b in network.b]
    names = _Names(widths, per_unit)
    detailed = sum(w.size for w in network.W) <= DETAIL_MAX_WEIGHTS and max(widths) <= DETAIL_MAX_WIDTH
    single = epochs == 1
    if detailed:
        steps = _forward_steps(names, network, first)
        steps.append(_loss_step(names, loss, t, first))
        steps.append(_output_delta_step(names, network, loss, t, first))
        steps.append(_weight_step(names, network, after_first, names.layers, first, eta, update_biases, single))
        for l in range(names.layers - 1, 0, -1):
            steps.append(_hidden_delta_step(names, network, l, first))
            steps.append(_weight_step(names, network, after_first, l, first, eta, update_biases, single))
        steps.append(Step(line("New weights (each row: one receiving unit; last column: its bias)"),
                          tuple(_weight_table(line(f"layer {l}"), names, l, after_first.W[l - 1], after_first.b[l - 1])
                                for l in range(1, names.layers + 1)),
                          ("weights", "biases") if single else ()))
    else:
        steps = _layer_steps(network, after_first, loss, first, eta, update_biases, single)
        notes.append(Note(line(f"The network has {sum(w.size for w in network.W):,} weights: the steps show each layer's vectors "
                               "and matrices (large ones shortened); --format json has every value.")))
    if not single:
        steps.append(_epochs_step(names, history, last_loss, current))

    notes += _convention_notes(network, first, loss, update_biases)

    def matrices(per_layer: Sequence[np.ndarray]) -> list[Any]:
        """A large network's matrices stay arrays (a quarter of a list's memory; the
        renderers list only what they write); a hand-sized one's are lists, as every answer."""
        return [m.tolist() for m in per_layer] if detailed else list(per_layer)

    answers = {
        "loss": first.loss,
        "outputs": first.outs[-1].tolist(),
        "hidden": [o.tolist() for o in first.outs[1:-1]],
        "deltas": [d.tolist() for d in first.deltas],
        "grad_weights": matrices(first.grad_W),
        "grad_biases": [d.tolist() for d in first.deltas],
        "weights": matrices(current.W),
        "biases": [b.tolist() for b in current.b],
        "loss_history": [float(v) for v in history],
    }
    echoed = {
        "x": list(inputs["x"]), "target": list(inputs["target"]),
        "weights": matrices(network.W), "biases": [b.tolist() for b in network.b],
        "activation": [f.name for f in network.f], "loss": loss, "lr": eta, "epochs": epochs,
        "update_biases": update_biases,
    }
    shape = "-".join(map(str, widths))
    title = f"Backpropagation: {shape} network, {'one gradient-descent step' if single else f'{epochs} gradient-descent steps'}"
    listed = frozenset({"hidden", "deltas", "grad_weights", "grad_biases", "weights", "biases"})
    return Derivation(COMMAND, title, echoed, tuple(steps), answers, tuple(notes), listed)


def _convention_notes(network: Network, first: Pass, loss: str, update_biases: bool) -> list[Note]:
    notes = [Note(line("E = ½ Σ (t − y)² (mse)" if loss == "mse" else "E = −Σ [t log y + (1 − t) log(1 − y)] (bce)",
                       "; every gradient uses the weights before the update, as in the notes",
                       "; biases are updated (--update-biases)." if update_biases else "; biases are not updated, as in the notes (--update-biases updates them)."))]
    if any(f.name == "relu" and np.any(net == 0) for f, net in zip(network.f, first.nets)):
        notes.append(Note(line("A ReLU unit has net input exactly 0: its slope is taken as 0 there, as PyTorch does.")))
    if any(f.name == "sigmoid" and np.any(np.abs(net) > 36) for f, net in zip(network.f, first.nets)):
        notes.append(Note(line("A sigmoid unit is saturated (|net| > 36): its output rounds to 0 or 1 and its slope to 0 in double precision."), "warning"))
    return notes
