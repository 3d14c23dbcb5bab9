"""Scale benchmark: how long large problems take as whole `dlsolve` processes, and how the
time grows when the problem doubles.

    python benchmarks/scale.py [--rounds 3]

Each case is a problem file generated with a fixed seed, solved with `-f json` and with
text output; the table shows the median wall time of a few runs and the text's line count
(the text must stay a few screens long however large the problem).
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from _timing import dlsolve


def backprop(n_in: int, n_hidden: int, n_out: int) -> dict:
    rng = np.random.default_rng(0)
    target = np.zeros(n_out)
    target[0] = 1
    return {"command": "backprop", "x": rng.uniform(0, 1, n_in).round(3).tolist(), "target": target.tolist(),
            "weights": [rng.normal(0, 0.05, (n_hidden, n_in)).round(4).tolist(),
                        rng.normal(0, 0.1, (n_out, n_hidden)).round(4).tolist()],
            "biases": [0, 0]}


def som(samples: int, dims: int, units: int, epochs: int) -> dict:
    rng = np.random.default_rng(0)
    return {"command": "som-train", "samples": rng.random((samples, dims)).round(3).tolist(),
            "weights": rng.random((units, dims)).round(3).tolist(), "epochs": epochs}


def conv(layers: int) -> dict:
    """A VGG-like stack: pairs of same-padded 3×3 convolutions, pooling every few layers."""
    stack = []
    for i in range(layers - 2):
        stack.append("MaxPooling2D(2, padding='same')" if i % 6 == 5 else f"Conv2D({32 * (1 + i // 12)}, 3, padding='same')")
    return {"command": "conv-params", "input": "224x224x3", "layers": "; ".join([*stack, "Flatten()", "Dense(10)"])}


CASES: list[tuple[str, Callable[[], dict]]] = [
    ("backprop 392-64-10", lambda: backprop(392, 64, 10)),
    ("backprop 784-128-10", lambda: backprop(784, 128, 10)),
    ("backprop 1568-256-10", lambda: backprop(1568, 256, 10)),
    ("som-train 500x16 u25 e10", lambda: som(500, 16, 25, 10)),
    ("som-train 1000x16 u25 e10", lambda: som(1000, 16, 25, 10)),
    ("som-train 2000x16 u25 e10", lambda: som(2000, 16, 25, 10)),
    ("conv-params 25 layers", lambda: conv(25)),
    ("conv-params 50 layers", lambda: conv(50)),
    ("conv-params 100 layers", lambda: conv(100)),
]


def _run(argv: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"{'case':<28} {'json s':>7} {'text s':>7} {'text lines':>10}")
    with tempfile.TemporaryDirectory() as folder:
        for name, make in CASES:
            problem = make()
            path = Path(folder) / f"{name.replace(' ', '_')}.json"
            path.write_text(json.dumps(problem), encoding="utf-8")
            solve = [*dlsolve(), problem["command"], "-p", str(path)]
            json_times, text_times, lines = [], [], 0
            for _ in range(args.rounds):
                json_times.append(_run([*solve, "-f", "json"])[0])
                elapsed, text = _run(solve)
                text_times.append(elapsed)
                lines = len(text.splitlines())
            print(f"{name:<28} {statistics.median(json_times):>7.2f} {statistics.median(text_times):>7.2f} {lines:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
