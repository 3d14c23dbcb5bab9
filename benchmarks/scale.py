"""Scale benchmark: how time and memory grow with the problem, as whole `dlsolve` processes,
from a quarter of each hardening cap up to the cap (dlsolve/topics/*/solve.py), doubling.

    python benchmarks/scale.py [--rounds 5] [--only backprop]

dlsolve is byte-compiled first (as pip does). Each case is a problem generated with a fixed
seed, solved with `-f json` and with text output (for check: a class's answers files, as
benchmarks/check.py writes them). The table shows the median wall time and the largest
peak RSS of the rounds, and the text's line count (a few screens however large the problem);
under each family, the log-log slope of time and memory against the problem's size
(1: proportional; a fixed start-up cost pulls it below 1 for small problems).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from _timing import compile_dlsolve, dlsolve, time_and_peak
from check import write_class

MB = 1 << 20


def backprop(n_in: int, n_hidden: int = 1024, n_out: int = 10) -> dict:
    rng = np.random.default_rng(0)
    target = np.zeros(n_out)
    target[0] = 1
    return {"command": "backprop", "x": rng.uniform(0, 1, n_in).round(3).tolist(), "target": target.tolist(),
            "weights": [rng.normal(0, 0.05, (n_hidden, n_in)).round(4).tolist(),
                        rng.normal(0, 0.1, (n_out, n_hidden)).round(4).tolist()],
            "biases": [0, 0]}


def som(samples: int, dims: int = 16, units: int = 12, epochs: int = 10) -> dict:
    rng = np.random.default_rng(0)
    return {"command": "som-train", "samples": rng.random((samples, dims)).round(3).tolist(),
            "weights": rng.random((units, dims)).round(3).tolist(), "epochs": epochs}


def conv(layers: int) -> dict:
    """A VGG-like stack: pairs of same-padded 3×3 convolutions, pooling every few layers."""
    stack = []
    for i in range(layers - 2):
        stack.append("MaxPooling2D(2, padding='same')" if i % 6 == 5 else f"Conv2D({32 * (1 + i // 12)}, 3, padding='same')")
    return {"command": "conv-params", "input": "224x224x3", "layers": "; ".join([*stack, "Flatten()", "Dense(10)"])}


# family → (size, label, problem) from a quarter of the cap to the cap
FAMILIES: dict[str, list[tuple[int, str, Callable[[], dict]]]] = {
    # MAX_WEIGHTS 2,500,000: 2048-1024-10 has 2,107,392 weights
    "backprop": [(n * 1024 + 10240, f"{n}-1024-10", lambda n=n: backprop(n)) for n in (256, 512, 1024, 2048)],
    # MAX_ITERATIONS 20,000 (samples × epochs), MAX_DISTANCES 250,000 (× 12 units)
    "som-train": [(s * 10, f"{s}x16 u12 e10", lambda s=s: som(s)) for s in (250, 500, 1000, 2000)],
    # MAX_LAYERS 1,000
    "conv-params": [(n, f"{n} layers", lambda n=n: conv(n)) for n in (125, 250, 500, 1000)],
    # no cap on files: a class of 1,250 to 10,000 answers files
    "check": [(n, f"{n} files", lambda n=n: {"files": n}) for n in (1250, 2500, 5000, 10000)],
}


def _argv_pairs(problem: dict, folder: Path, name: str) -> dict[str, list[str]]:
    """The runs of one case: json and text output."""
    if "files" in problem:
        (folder / name).mkdir()
        paths = write_class(folder / name, problem["files"])
        check = [*dlsolve(), "check", *paths]
        return {"json": [*check, "-f", "json"], "text": check}
    path = folder / f"{name}.json"
    path.write_text(json.dumps(problem), encoding="utf-8")
    solve = [*dlsolve(), problem["command"], "-p", str(path)]
    return {"json": [*solve, "-f", "json"], "text": solve}


def _slope(sizes: list[int], values: list[float]) -> float:
    """Least-squares slope of log(value) against log(size)."""
    x, y = np.log(sizes), np.log(values)
    return float(np.polyfit(x, y, 1)[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", choices=list(FAMILIES), help="one family")
    args = parser.parse_args()
    compile_dlsolve()
    print(f"{'case':<26} {'json s':>7} {'json MB':>8} {'text s':>7} {'text MB':>8} {'text lines':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for family, cases in FAMILIES.items():
            if args.only and family != args.only:
                continue
            results: dict[str, list[tuple[float, int]]] = {"json": [], "text": []}
            for size, label, make in cases:
                name = f"{family} {label}"
                runs = _argv_pairs(make(), folder, name.replace(" ", "_"))
                lines = len(subprocess.run(runs["text"], capture_output=True, text=True).stdout.splitlines())
                row = []
                for kind, argv in runs.items():
                    measured = [time_and_peak(argv) for _ in range(args.rounds)]
                    seconds, peak = statistics.median(t for t, _ in measured), max(p for _, p in measured)
                    results[kind].append((seconds, peak))
                    row += [f"{seconds:>7.2f}", f"{peak / MB:>8.0f}"]
                print(f"{name:<26} {' '.join(row)} {lines:>10}", flush=True)
            sizes = [size for size, _, _ in cases]
            slopes = [f"{kind} time {_slope(sizes, [t for t, _ in results[kind]]):.2f}, memory {_slope(sizes, [p for _, p in results[kind]]):.2f}"
                      for kind in ("json", "text")]
            last = [f"{kind} ×{results[kind][-1][0] / results[kind][-2][0]:.2f} time, ×{results[kind][-1][1] / results[kind][-2][1]:.2f} memory"
                    for kind in ("json", "text")]
            print(f"  log-log slope: {'; '.join(slopes)}")
            print(f"  last doubling: {'; '.join(last)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
