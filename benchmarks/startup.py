"""Start-up benchmark: `dlsolve --help` and every command's default problem, timed as whole
processes against the import floors they are judged by, in the same run.

    python benchmarks/startup.py [--rounds 15] [--strict]

Targets: `--help` within 1.3× of `python -c "import typer, rich.console"`; each solver
within 1.3× of `python -c "import numpy, typer, rich.console"` (ttest: that floor plus
`scipy.special`, which it needs for its table values). Runs are interleaved round by round
so a drift in machine speed hits every command alike; the table shows medians. With
--strict the exit code is 1 when a target is missed.

dlsolve's modules are byte-compiled first, as ``pip install`` does.
"""

from __future__ import annotations

import argparse
import sys

from _timing import compile_dlsolve, dlsolve, interleaved_medians

TARGET = 1.3
FLOORS = {
    "typer+rich": "import typer, rich.console",
    "numpy+typer+rich": "import numpy, typer, rich.console",
    "numpy+typer+rich+scipy.special": "import numpy, typer, rich.console, scipy.special",
}
FLOOR_OF = {"ttest": "numpy+typer+rich+scipy.special"}  # default: numpy+typer+rich


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="timed runs of each command (after one warm-up)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    compile_dlsolve()
    from dlsolve.topics import TOPICS

    runs: dict[str, list[str]] = {name: [sys.executable, "-c", code] for name, code in FLOORS.items()}
    runs["dlsolve --help"] = [*dlsolve(), "--help"]
    solvers = TOPICS
    for command in solvers:
        runs[f"dlsolve {command}"] = [*dlsolve(), command]
    median = interleaved_medians(runs, args.rounds)

    judged = [("dlsolve --help", "typer+rich")] + [(f"dlsolve {c}", FLOOR_OF.get(c, "numpy+typer+rich")) for c in solvers]
    print(f"{'command':<32} {'median s':>9} {'floor':<32} {'floor s':>8} {'ratio':>6}")
    for name in FLOORS:
        print(f"{'python -c ' + repr(name):<32} {median[name]:>9.3f}")
    missed = 0
    for name, floor in judged:
        ratio = median[name] / median[floor]
        verdict = "" if ratio <= TARGET else f"  > {TARGET}×"
        missed += ratio > TARGET
        print(f"{name:<32} {median[name]:>9.3f} {floor:<32} {median[floor]:>8.3f} {ratio:>5.2f}×{verdict}")
    print(f"{args.rounds} rounds; target ≤ {TARGET}× the floor; {missed} missed")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
