"""What the benchmarks share: how to start dlsolve, and whole-process timing with
interleaved rounds (a drift in machine speed then hits every command alike)."""

import compileall
import os
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))


def dlsolve() -> list[str]:
    """The installed console script, or ``python -m dlsolve``."""
    script = shutil.which("dlsolve")
    return [script] if script else [sys.executable, "-m", "dlsolve"]


def compile_dlsolve() -> None:
    """Byte-compile dlsolve as ``pip install`` does: with PYTHONDONTWRITEBYTECODE set and no
    ``__pycache__``, every run would recompile the modules it imports (the floors' packages
    come compiled)."""
    import dlsolve as package

    compileall.compile_dir(os.path.dirname(package.__file__), quiet=1)


def elapsed(argv: list[str], cpu: bool = False) -> float:
    """Wall-clock seconds of one run of ``argv``, its output discarded; with ``cpu``, the
    CPU seconds (user + system) it took instead, which other processes on a loaded
    machine disturb far less."""
    import resource

    start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    if not cpu:
        return time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


# Runs the command and prints its wall time and peak RSS (kB). A small process of its own:
# Linux counts the memory a child held before exec (a copy of its parent's) in its peak, so
# the benchmark, which holds the generated problems, must not be the parent.
_MEASURE = """import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"""


def time_and_peak(argv: list[str]) -> tuple[float, int]:
    """Wall-clock seconds and peak resident memory (bytes) of one run of ``argv``, its
    output discarded."""
    done = subprocess.run([sys.executable, "-S", "-c", _MEASURE, *argv], capture_output=True, text=True, check=True)
    seconds, kilobytes = done.stdout.split()
    return float(seconds), int(kilobytes) * 1024  # Linux reports kilobytes


def interleaved_times(runs: dict[str, list[str]], rounds: int, cpu: bool = False) -> dict[str, list[float]]:
    """Seconds (wall, or with ``cpu`` CPU) of each command in each of ``rounds`` rounds,
    each round running every command once in turn, after a warm-up round."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for round_ in range(rounds + 1):
        for name, argv in runs.items():
            seconds = elapsed(argv, cpu)
            if round_:  # round 0 warms the file cache
                times[name].append(seconds)
    return times


def interleaved_medians(runs: dict[str, list[str]], rounds: int) -> dict[str, float]:
    """Median seconds of each command over ``rounds`` interleaved rounds."""
    return {name: statistics.median(values) for name, values in interleaved_times(runs, rounds).items()}
