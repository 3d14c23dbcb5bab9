"""Shape-space fuzzing of every solver: random SHAPES (layer counts and widths, samples,
units, inputs, epochs, centers, dimensions, channels, layer stacks) as well as random values,
solved and rendered in all three formats.

The properties: a solver raises nothing but ``InputError``; its JSON parses strictly (no
NaN/Infinity) and its answers have the SPEC's keys; text and markdown render. The value-only
fuzz of tests/test_fuzz_cli.py never drew a 1-epoch SOM with more than 12 samples or 6
inputs, which crashed the summarized path (issue 11, item 1); this one does in its first
examples.

CI draws the same examples every run; ``scripts/fuzz_cli.py --suite shapes`` runs a long, fresh one
(``DLSOLVE_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlsolve import topics
from dlsolve.core.inputs import InputError, resolve
from dlsolve.runner import rendered

EXAMPLES = int(os.environ.get("DLSOLVE_FUZZ_EXAMPLES", "150"))  # per solver: about 30 s for the file
DERANDOMIZE = "DLSOLVE_FUZZ_EXAMPLES" not in os.environ
QUIET = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]

# values as a user types them: ordinary numbers, and now and then an extreme one
EXTREMES = ["0", "-0.0", "5e-324", "1e-308", "1e308", "-1e308", "1e154", "1e-160", "1" + "0" * 400, "2.5e-300"]
ORDINARY = st.one_of(
    st.integers(-9, 9).map(str),
    st.floats(-10, 10, allow_nan=False).map(lambda x: repr(round(x, 3))),
    st.floats(-1e6, 1e6, allow_nan=False).map(repr),
)
NUMBER = st.one_of(ORDINARY, ORDINARY, ORDINARY, ORDINARY, st.sampled_from(EXTREMES))
POSITIVE = st.one_of(st.floats(0.001, 10).map(lambda x: repr(round(x, 4))), st.sampled_from(["1e-300", "1e300", "5e-324", "0"]))
PROBABILITY = st.one_of(st.floats(0, 1).map(lambda x: repr(round(x, 3))), st.sampled_from(["0", "1", "1/3", "5e-324"]))


def vector(n: int, element: st.SearchStrategy[str] = NUMBER) -> st.SearchStrategy[str]:
    return st.lists(element, min_size=n, max_size=n).map(",".join)


def matrix(rows: int, columns: int, element: st.SearchStrategy[str] = NUMBER) -> st.SearchStrategy[str]:
    return st.lists(vector(columns, element), min_size=rows, max_size=rows).map(";".join)


def sizes(low: int, high: int) -> st.SearchStrategy[int]:
    """A size, small most of the time, now and then near ``high`` (past the layouts' thresholds)."""
    return st.one_of(st.integers(low, min(high, 4)), st.integers(low, high))


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def backprop(draw: st.DrawFn) -> dict[str, Any]:
    widths = draw(st.lists(sizes(1, 24), min_size=2, max_size=draw(st.integers(2, 7))))
    layers = len(widths) - 1
    values: dict[str, Any] = {
        "x": draw(vector(widths[0])),
        "target": draw(vector(widths[-1], PROBABILITY)),
        "weights": [draw(matrix(widths[l + 1], widths[l])) for l in range(layers)],
        "epochs": str(draw(sizes(1, 40))),
        "lr": draw(POSITIVE),
        "loss": draw(st.sampled_from(["mse", "bce"])),
        "update_biases": draw(st.booleans()),
    }
    activations = st.sampled_from(["sigmoid", "tanh", "relu", "linear"])
    values["activation"] = draw(st.one_of(st.lists(activations, min_size=1, max_size=1), st.lists(activations, min_size=layers, max_size=layers)))
    if draw(st.booleans()):
        values["biases"] = [draw(st.one_of(NUMBER, vector(widths[l + 1]))) for l in range(layers)]
    return values


@st.composite
def rbf_xor(draw: st.DrawFn) -> dict[str, Any]:
    n, q, d = draw(sizes(1, 30)), draw(sizes(1, 30)), draw(sizes(1, 7))
    values: dict[str, Any] = {
        "inputs": draw(matrix(n, d)),
        "centers": draw(matrix(q, d)),
        "targets": draw(vector(n, st.sampled_from(["0", "1"]))),
        "sigma": draw(POSITIVE),
        "threshold": draw(maybe(NUMBER)),
    }
    if draw(st.booleans()):
        values["solve"], values["no_bias"] = True, draw(st.booleans())
    else:
        values["weights"], values["bias"] = draw(vector(q)), draw(maybe(NUMBER))
    return values


@st.composite
def som_train(draw: st.DrawFn) -> dict[str, Any]:
    N, m, n = draw(sizes(1, 30)), draw(sizes(1, 14)), draw(sizes(1, 10))
    return {
        "samples": draw(matrix(N, n)),
        "weights": draw(matrix(m, n)),
        "lr": draw(POSITIVE),
        "epochs": str(draw(sizes(1, 6))),
        "lr_decay": draw(PROBABILITY),
        "radius": str(draw(st.integers(0, 4))),
    }


@st.composite
def ttest(draw: st.DrawFn) -> dict[str, Any]:
    values: dict[str, Any] = {
        "mu0": draw(NUMBER),
        "alpha": draw(st.one_of(PROBABILITY, st.sampled_from(["0.05", "0.01", "1e-300"]))),
        "alternative": draw(maybe(st.sampled_from(["two-sided", "less", "greater"]))),
        "test": draw(st.sampled_from(["t", "z", "auto"])),
    }
    kind = draw(st.sampled_from(["data", "summary", "two", "paired"]))
    if kind == "summary":
        values.update(n=str(draw(sizes(2, 200))), mean=draw(NUMBER), sd=draw(POSITIVE),
                      sd_divisor=draw(maybe(st.sampled_from(["n", "n-1"]))))
    else:
        size = draw(sizes(2, 60))
        values["data"] = draw(vector(size))
    if kind in ("two", "paired"):
        values["data2"] = draw(vector(size if kind == "paired" else draw(sizes(2, 60))))
        values["paired"] = kind == "paired"
        if kind == "two":
            values["equal_var"] = draw(maybe(st.booleans()))
    return values


@st.composite
def batchnorm(draw: st.DrawFn) -> dict[str, Any]:
    m, d = draw(sizes(1, 20)), draw(sizes(1, 9))
    plain = d == 1 and draw(st.booleans())
    shape = vector(m) if plain else matrix(m, d)
    method = draw(st.sampled_from(["batchnorm", "batchnorm", "minmax", "zscore", "maxabs"]))
    values: dict[str, Any] = {"batch": draw(shape), "method": method}
    if method == "batchnorm":
        values.update(gamma=draw(maybe(st.one_of(NUMBER, vector(d)))), beta=draw(maybe(st.one_of(NUMBER, vector(d)))),
                      eps=draw(maybe(POSITIVE)), momentum=draw(maybe(PROBABILITY)), grad_y=draw(maybe(shape)))
    return values


@st.composite
def kl_divergence(draw: st.DrawFn) -> dict[str, Any]:
    mode = draw(st.sampled_from(["discrete", "gaussian", "vae", "vae_log_var"]))
    if mode == "gaussian":
        return {"mu1": draw(NUMBER), "sigma1": draw(POSITIVE), "mu2": draw(NUMBER), "sigma2": draw(POSITIVE)}
    k = draw(sizes(1, 24))
    if mode == "discrete":
        return {"p": draw(vector(k, PROBABILITY)), "q": draw(vector(k, PROBABILITY)), "normalize": draw(st.booleans()),
                "base": draw(st.sampled_from(["e", "2", "10"]))}
    if mode == "vae":
        return {"mu": draw(vector(k)), "sigma": draw(vector(k, POSITIVE))}
    return {"mu": draw(vector(k)), "log_var": draw(vector(k))}


@st.composite
def early_stopping(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(sizes(1, 60))  # past the written-out (30) and whole-table (12) thresholds
    losses = vector(n, st.one_of(st.integers(0, 99).map(lambda k: f"0.{k:02d}"), NUMBER))  # two-decimal ties, and any number
    return {"val_loss": draw(losses), "patience": draw(maybe(st.one_of(st.integers(-1, 70).map(str), st.sampled_from(["1e3", "2.5"])))),
            "min_delta": draw(maybe(st.one_of(st.sampled_from(["0", "0.01", "0.05"]), NUMBER)))}
COUNT = st.one_of(st.integers(0, 20).map(str), st.sampled_from(["0", "1e12", "2.5", "-1", "1e13"]))
LABEL = st.sampled_from(["a", "b", "c", "0", "1", "2", "1.0", "-1", "x_y", "10"])


@st.composite
def metrics(draw: st.DrawFn) -> dict[str, Any]:
    mode = draw(st.sampled_from(["matrix", "labels", "counts"]))
    extra = {"beta": draw(maybe(st.sampled_from(["1", "2", "0.5", "100", "1e-300"]))),
             "positive": draw(maybe(LABEL)), "labels": draw(maybe(st.lists(LABEL, min_size=1, max_size=5).map(",".join)))}
    if mode == "matrix":
        k = draw(sizes(1, 12))
        return {"matrix": draw(matrix(k, draw(st.sampled_from([k, k, k, k + 1])), COUNT)), **extra}
    if mode == "counts":
        return {name: draw(COUNT) for name in ("tp", "fp", "fn", "tn")} | extra
    n = draw(sizes(1, 40))
    return {"actual": ",".join(draw(st.lists(LABEL, min_size=n, max_size=n))),
            "predicted": ",".join(draw(st.lists(LABEL, min_size=n, max_size=draw(st.sampled_from([n, n, n + 1]))))), **extra}
ACTIVATION_FUNCTIONS = ["sigmoid", "tanh", "relu", "leaky-relu", "prelu", "relu6", "elu", "swish", "hard-swish", "softmax"]


@st.composite
def activation(draw: st.DrawFn) -> dict[str, Any]:
    return {"x": draw(vector(draw(sizes(1, 40)))), "function": draw(maybe(st.lists(st.sampled_from(ACTIVATION_FUNCTIONS), min_size=1,
                                                                              max_size=4, unique=True))),
            "alpha": draw(maybe(NUMBER)), "prelu_alpha": draw(maybe(NUMBER)), "elu_alpha": draw(maybe(NUMBER))}


@st.composite
def optimizer(draw: st.DrawFn) -> dict[str, Any]:
    n, steps = draw(sizes(1, 12)), draw(sizes(1, 40))
    methods = draw(st.lists(st.sampled_from(["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]), min_size=1, max_size=6, unique=True))
    values: dict[str, Any] = {"method": methods, "w0": draw(maybe(vector(n))), "lr": draw(maybe(POSITIVE)), "beta": draw(maybe(PROBABILITY)),
                              "momentum_form": draw(maybe(st.sampled_from(["pytorch", "ema"]))), "rho": draw(maybe(PROBABILITY)),
                              "beta1": draw(maybe(PROBABILITY)), "beta2": draw(maybe(PROBABILITY)), "eps": draw(maybe(POSITIVE))}
    if draw(st.booleans()):
        values["grads"] = draw(matrix(steps, n))
    else:
        values.update(steps=str(steps), curvature=draw(maybe(st.one_of(NUMBER, vector(n)))), center=draw(maybe(st.one_of(NUMBER, vector(n)))))
    return values


LAYERS = [
    "Conv2D({a}, {k})", "Conv2D({a}, ({k},{k}), strides={s}, padding='same')", "Conv2D(filters={a}, kernel_size={k}, use_bias=False)",
    "Conv1D({a}, {k})", "MaxPooling2D({s})", "AveragePooling2D({s})", "GlobalAveragePooling2D()", "Flatten()", "Dense({a})",
    "Dropout(0.5)", "BatchNormalization()", "Embedding({big}, {a})", "SimpleRNN({a})", "LSTM({a}, return_sequences=True)",
    "GRU({a})", "LSTM({a})",
]


@st.composite
def conv_params(draw: st.DrawFn) -> dict[str, Any]:
    rank = draw(st.integers(0, 3))
    shape = "seq" if rank == 0 else "x".join(str(draw(sizes(1, 64))) for _ in range(rank))
    count = draw(sizes(1, 12))
    layers = [draw(st.sampled_from(LAYERS)).format(a=draw(sizes(1, 300)), k=draw(sizes(1, 7)), s=draw(sizes(1, 4)),
                                                   big=draw(sizes(1, 10**6)))
              for _ in range(count)]
    return {"input": shape, "layers": "; ".join(layers), "framework": draw(st.sampled_from(["keras", "pytorch"]))}


@st.composite
def convolve(draw: st.DrawFn) -> dict[str, Any]:
    channels, height, width = draw(sizes(1, 6)), draw(sizes(1, 40)), draw(sizes(1, 40))
    kernel_height, kernel_width = draw(sizes(1, 7)), draw(sizes(1, 7))
    return {"image": [draw(matrix(height, width)) for _ in range(channels)],
            "kernel": [draw(matrix(kernel_height, kernel_width)) for _ in range(channels)],
            "bias": draw(maybe(NUMBER)), "stride": draw(maybe(sizes(1, 5).map(str))),
            "padding": draw(maybe(st.one_of(sizes(0, 4).map(str), st.sampled_from(["valid", "same"])))),
            "mode": draw(maybe(st.sampled_from(["correlation", "convolution"]))),
            "activation": draw(maybe(st.sampled_from(["none", "relu", "sigmoid", "tanh"]))),
            "pool": draw(maybe(st.sampled_from(["none", "max", "avg"]))), "pool_size": draw(maybe(sizes(1, 6).map(str))),
            "pool_stride": draw(maybe(sizes(1, 4).map(str)))}


@st.composite
def regularize(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(sizes(1, 40))
    if draw(st.booleans()):  # dropout
        mask = st.lists(st.sampled_from(["0", "1"]), min_size=n, max_size=n).map(",".join)
        return {"rate": draw(maybe(PROBABILITY)), "activations": draw(maybe(vector(n))), "mask": draw(maybe(mask)),
                "seed": draw(maybe(st.integers(0, 10**6).map(str))), "inverted": draw(maybe(st.booleans()))}
    k = draw(sizes(1, 12))
    data = {"data_loss": draw(POSITIVE)} if draw(st.booleans()) else {"y": draw(vector(k)), "y_hat": draw(vector(k))}
    return {"weights": draw(vector(n)), "lam": draw(maybe(POSITIVE)), "half": draw(maybe(st.just(True))),
            "penalty": draw(maybe(st.lists(st.sampled_from(["l1", "l2", "elastic"]), min_size=1, max_size=3, unique=True))),
            "grad": draw(maybe(st.one_of(NUMBER, vector(n)))), "lr": draw(maybe(POSITIVE)),
            "steps": draw(maybe(sizes(1, 30).map(str))), **data}


@st.composite
def rnn_forward(draw: st.DrawFn) -> dict[str, Any]:
    cell = draw(st.sampled_from(["rnn", "lstm", "gru"]))
    values: dict[str, Any] = {"cell": cell, "framework": draw(st.sampled_from(["keras", "pytorch"]))}
    if draw(st.booleans()):  # shapes only, sizes up to the cap
        return {**values, "input_size": str(draw(sizes(1, 10**9))), "hidden_size": str(draw(sizes(1, 10**9))),
                "output_size": draw(maybe(sizes(1, 10**9).map(str)))}
    G, d, h, T = {"rnn": 1, "lstm": 4, "gru": 3}[cell], draw(sizes(1, 14)), draw(sizes(1, 14)), draw(sizes(1, 30))
    values.update(x=draw(matrix(T, d)), w_ih=draw(matrix(G * h, d)), w_hh=draw(matrix(G * h, h)),
                  h0=draw(maybe(vector(h))), b_ih=draw(maybe(vector(G * h))), b_hh=draw(maybe(vector(G * h))))
    if cell == "lstm":
        values["c0"] = draw(maybe(vector(h)))
    if cell == "rnn":
        values["activation"] = draw(maybe(st.sampled_from(["tanh", "relu"])))
    if draw(st.booleans()):
        o = draw(sizes(1, 12))
        values.update(w_hy=draw(matrix(o, h)), b_y=draw(maybe(vector(o))))
    return values


STRATEGIES: dict[str, Callable[[], st.SearchStrategy[dict[str, Any]]]] = {
    "backprop": backprop, "rbf-xor": rbf_xor, "som-train": som_train, "ttest": ttest,
    "batchnorm": batchnorm, "kl-divergence": kl_divergence, "conv-params": conv_params,
    "convolve": convolve,
    "early-stopping": early_stopping,
    "metrics": metrics,
    "regularize": regularize,
    "activation": activation,
    "optimizer": optimizer,
    "rnn-forward": rnn_forward,
}

SPEC_KEYS = {
    "backprop": {"loss", "outputs", "hidden", "deltas", "grad_weights", "grad_biases", "weights", "biases", "loss_history"},
    "rbf-xor": {"phi", "weights", "bias", "outputs", "predictions", "correct"},
    "som-train": {"distances", "winners", "history", "weights", "clusters", "learning_rates"},
    "ttest": {"test", "n", "mean", "sd", "se", "statistic", "df", "critical", "p_value", "alternative", "alpha", "reject"},
    "conv-params": {"layers", "total_params", "trainable_params", "non_trainable_params"},
    "convolve": {"output_shape", "feature_map", "activated", "pooled", "pooled_shape"},
    "early-stopping": {"best_epoch", "best_loss", "stop_epoch", "restored_epoch", "wait"},
    "activation": {"values", "derivatives"},
    "optimizer": {"params", "final", "loss", "state"},
    "rnn-forward": {"shapes", "params"},
}


def spec_keys(command: str, values: Mapping[str, Any], answers: Mapping[str, Any]) -> set[str]:
    """The answer keys the SPEC promises for this problem."""
    if command == "batchnorm":
        if values.get("method") != "batchnorm":
            return {"x_hat"}
        keys = {"mean", "var", "x_hat", "y", "running_mean", "running_var"}
        return keys | ({"grad_x", "grad_gamma", "grad_beta"} if values.get("grad_y") else set())
    if command == "regularize":
        dropout = any(values.get(name) is not None for name in ("rate", "activations", "mask", "seed", "inverted"))
        return {"mask", "output", "test_output"} if dropout else {"data_loss", "penalty", "cost", "grad", "updated"}
    if command == "kl-divergence":
        mode = answers.get("mode")
        extra = {"gaussian": set(), "vae": {"terms"}, "discrete": {"terms", "reverse", "entropy_p", "cross_entropy"}}
        return {"mode", "kl"} | extra.get(mode, {"unknown mode"})
    if command == "metrics":
        binary = {"precision", "recall", "specificity", "f1", "fbeta"}
        return {"matrix", "accuracy"} | (binary if len(answers.get("matrix", ())) == 2 else {"per_class", "macro", "micro", "weighted"})
    return SPEC_KEYS[command]


def _no_constant(name: str) -> Any:
    raise AssertionError(f"JSON holds {name}, which strict JSON forbids")


def solve_and_render(command: str, values: dict[str, Any]) -> None:
    """The property: InputError or three renderings, the JSON strict and complete."""
    solver = topics.load(command)
    try:
        derivation = solver.solve(resolve(solver.FIELDS, values, {}))
    except InputError as error:
        assert "\n" not in str(error)
        return
    data = json.loads(rendered(derivation, "json", 4), parse_constant=_no_constant)
    missing = spec_keys(command, values, data["answers"]) - set(data["answers"])
    assert not missing, f"answers lack {sorted(missing)}"
    for format in ("text", "markdown"):
        assert rendered(derivation, format, 4)


@pytest.mark.filterwarnings("error::RuntimeWarning")  # a stray NumPy warning would reach the user's stderr
@pytest.mark.parametrize("command", sorted(STRATEGIES))
@settings(max_examples=EXAMPLES, derandomize=DERANDOMIZE, deadline=None, suppress_health_check=QUIET, database=None)
@given(data=st.data())
def test_any_shape_solves_or_is_refused(command: str, data: st.DataObject) -> None:
    solve_and_render(command, data.draw(STRATEGIES[command](), label="values"))


@pytest.mark.parametrize(("samples", "inputs"), [
    ("0,0,0,0,0,0,0;1,1,1,1,1,1,1", "0,0,0,0,0,0,0;1,1,1,1,1,1,1"),  # 7 inputs: not "small", 1 epoch
    (";".join(str(i) for i in range(13)), "0;1"),  # 13 samples, 1 epoch
])


def test_the_som_crash_this_fuzz_draws(samples: str, inputs: str) -> None:
    """The issue-11 repros, as the property sees them (the CLI test is in test_hardening_solvers)."""
    solve_and_render("som-train", {"samples": samples, "weights": inputs})


def test_every_topic_has_a_shape_strategy() -> None:
    """A new topic is fuzzed too: its shapes (sizes up to its caps) get a strategy here."""
    from dlsolve.topics import TOPICS

    assert sorted(STRATEGIES) == sorted(TOPICS)
