"""Start-up benchmark: `dlsolve --help`, `--version`, `backprop --help`, every command's
default problem and `check` of one answers file, timed as whole processes against the
import floors they are judged by, in the same run.

    python benchmarks/startup.py [--rounds 15] [--strict] [--cpu]

Floors are the imports a command cannot avoid: `import typer` for the help and the version,
`import numpy, typer` for a solver and for check (ttest: plus `scipy.special`, which it
needs for its table values; conv-params, early-stopping, metrics and rnn-forward's default: `import typer`, they need no NumPy). Targets: the help, the version and a command's help within
1.1× their floor; each solver within 1.15×; check of one file within 1.2×. Runs are
interleaved round by round so a drift in machine speed hits every command alike; the table
shows medians and, for the spread, the interquartile range. With --strict the exit code is
1 when a target is missed. With --cpu the CPU time (user + system) of each process is
compared instead of its wall time: on a machine other work loads, wall times swing by tens
of percent, CPU times far less (NumPy's thread pool counts in both the floor and the
command).

dlsolve's modules are byte-compiled first, as ``pip install`` does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys

from _timing import compile_dlsolve, dlsolve, interleaved_times

FLOORS = {
    "typer": "import typer",
    "numpy+typer": "import numpy, typer",
    "numpy+typer+scipy.special": "import numpy, typer, scipy.special",
}
# The floor of a solver: numpy and typer, except these (conv-params, early-stopping, metrics and
# rnn-forward's default, the notes' shapes, need no NumPy).
FLOOR_OF = {"conv-params": "typer", "early-stopping": "typer", "metrics": "typer", "rnn-forward": "typer",
            "ttest": "numpy+typer+scipy.special"}
ANSWERS = os.path.join(os.path.dirname(__file__), "..", "worked_examples", "som-train-notes-answers.toml")


def judged() -> list[tuple[str, list[str], str, float]]:
    """(name, dlsolve's arguments, floor, target) of every run judged."""
    from dlsolve.topics import TOPICS

    runs = [("dlsolve --help", ["--help"], "typer", 1.1), ("dlsolve --version", ["--version"], "typer", 1.1),
            ("dlsolve backprop --help", ["backprop", "--help"], "typer", 1.1)]
    runs += [(f"dlsolve {c}", [c], FLOOR_OF.get(c, "numpy+typer"), 1.15) for c in TOPICS]
    return runs + [("dlsolve check (one file)", ["check", ANSWERS], "numpy+typer", 1.2)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="timed runs of each command (after one warm-up)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--cpu", action="store_true", help="compare CPU seconds (user + system) instead of wall seconds")
    args = parser.parse_args()
    if args.rounds < 2:
        parser.error("--rounds: at least 2 (the spread needs two runs)")

    compile_dlsolve()
    runs: dict[str, list[str]] = {name: [sys.executable, "-c", code] for name, code in FLOORS.items()}
    for name, arguments, _, _ in judged():
        runs[name] = [*dlsolve(), *arguments]
    times = interleaved_times(runs, args.rounds, args.cpu)
    median = {name: statistics.median(values) for name, values in times.items()}

    def spread(name: str) -> str:
        """The interquartile range, in % of the median: how noisy the machine was."""
        q1, _, q3 = statistics.quantiles(times[name], n=4)
        return f"{100 * (q3 - q1) / median[name]:>5.0f}%"

    print(f"{'command':<48} {'median s':>9} {'IQR':>6} {'floor':<26} {'floor s':>8} {'ratio':>6}")
    for name in FLOORS:
        print(f"{'python -c ' + repr(FLOORS[name]):<48} {median[name]:>9.3f} {spread(name)}")
    missed = 0
    for name, _, floor, target in judged():
        ratio = median[name] / median[floor]
        verdict = "" if ratio <= target else f"  > {target}×"
        missed += ratio > target
        print(f"{name:<48} {median[name]:>9.3f} {spread(name)} {floor:<26} {median[floor]:>8.3f} {ratio:>5.2f}×{verdict}")
    print(f"{args.rounds} rounds, {'CPU' if args.cpu else 'wall'} seconds; {missed} targets missed")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
