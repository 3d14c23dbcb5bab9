"""Checking benchmark: a class's homework (1,000 generated answers files for the notes' SOM
problem) in one `dlsolve check` call, against the call that checks one file.

    python benchmarks/check.py [--files 1000] [--rounds 5] [--strict]

dlsolve is byte-compiled first (as pip does). The students are generated with a fixed seed, the way a class answers: most right (to 3 or
4 decimals), some with the notes' update-sign slip at some iteration and the rest carried on
from it, some with distances not squared, some with an arithmetic slip in one weight carried
on. The table shows the median wall time of whole processes (one warm-up, then the rounds
interleaved), files per second, the ratio to the one-file call, and the peak RSS of one
more run. Target: 1,000 files in at most 2.5× the time of one (each distinct problem is
solved once, each distinct set of answers judged once, nothing re-imported per file). The
generated class has a few dozen distinct answer sets (most students right, the usual slips
alike), as a real class's mostly are. With --strict the exit code is 1 when the target is
missed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
from _timing import compile_dlsolve, dlsolve, interleaved_medians, time_and_peak

TARGET = 2.5
X = np.array([[1, 0, 1, 0], [1, 0, 0, 0], [1, 1, 1, 1], [0, 1, 1, 0]], dtype=float)
W0 = np.array([[0.3, 0.5, 0.7, 0.2], [0.6, 0.7, 0.4, 0.3]])
ETA = 0.6


def _student(rng: np.random.Generator) -> dict[str, object]:
    """One student's answers: the SOM worked by hand, with at most one slip, carried on."""
    kind = rng.choice(["right", "sign", "root", "arithmetic"], p=[0.6, 0.2, 0.1, 0.1])
    at = int(rng.integers(0, 4))
    W = W0.copy()
    answers: dict[str, object] = {}
    for t, x in enumerate(X):
        d2 = ((x - W) ** 2).sum(axis=1)
        c = int(np.argmin(d2))
        shown = np.sqrt(d2) if kind == "root" and t == at else d2
        W[c] += (-ETA if kind == "sign" and t == at else ETA) * (x - W[c])
        if kind == "arithmetic" and t == at:
            W[c, int(rng.integers(0, 4))] += 0.1
        answers[f"distances.{t + 1}"], answers[f"winners.{t + 1}"], answers[f"history.{t + 1}"] = shown, c + 1, W.copy()
    answers["weights"] = W.copy()
    answers["clusters"] = [int(np.argmin(((x - W) ** 2).sum(axis=1))) + 1 for x in X]
    return answers


def _toml(value: object, decimals: int) -> str:
    if isinstance(value, np.ndarray):
        return "[" + ", ".join(_toml(v, decimals) for v in value) + "]"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.{decimals}f}"
    return str(value)


def write_class(folder: Path, files: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    paths = []
    for i in range(files):
        decimals = int(rng.integers(3, 5))
        lines = ['command = "som-train"', f'student = "Student {i + 1}"', "", "[answers]"]
        lines += [f"{key} = {_toml(value, decimals)}" for key, value in _student(rng).items()]
        path = folder / f"student{i + 1:04}.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args()
    compile_dlsolve()
    with tempfile.TemporaryDirectory() as folder:
        paths = write_class(Path(folder), args.files)
        check = [*dlsolve(), "check"]
        runs = {"1 file": [*check, paths[0]],
                f"{args.files} files, summary": [*check, *paths],
                f"{args.files} files, every table": [*check, *paths, "--details"],
                f"{args.files} files, json": [*check, *paths, "-f", "json"]}
        median = interleaved_medians(runs, args.rounds)
        peak = {name: time_and_peak(argv)[1] for name, argv in runs.items()}
    one = median["1 file"]
    print(f"{'run':<30} {'median s':>9} {'files/s':>9} {'× 1 file':>9} {'peak MB':>8}")
    missed = False
    for name, seconds in median.items():
        count = 1 if name == "1 file" else args.files
        ratio = seconds / one
        print(f"{name:<30} {seconds:>9.3f} {count / seconds:>9.0f} {ratio:>9.2f} {peak[name] / (1 << 20):>8.0f}")
        missed |= name.endswith("summary") and ratio > TARGET
    beyond = (median[f"{args.files} files, summary"] - one) / (args.files - 1) * 1e3
    print(f"each file beyond the first: {beyond:.2f} ms (summary); target: {args.files} files in at most {TARGET:g}× one")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
