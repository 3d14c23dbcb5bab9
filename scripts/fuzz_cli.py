"""A long fuzzing run: of the command line (tests/test_fuzz_cli.py) and of every solver's
shape space (tests/test_fuzz_shapes.py).

    python scripts/fuzz_cli.py [--examples 1500] [--suite cli|shapes|all]

Runs the chosen fuzz properties with EXAMPLES fresh random examples per solver command (the
command-line suite also half as many hostile problem files), then prints hypothesis'
statistics: the number of invocations that ran and how long they took. Exit status:
pytest's (0 when nothing crashed).
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

SUITES = {"cli": ["test_fuzz_cli.py"], "shapes": ["test_fuzz_shapes.py"], "all": ["test_fuzz_cli.py", "test_fuzz_shapes.py"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=1500, help="examples per command and property")
    parser.add_argument("--suite", choices=sorted(SUITES), default="cli", help="which fuzz properties to run (default cli)")
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DLSOLVE_FUZZ_EXAMPLES": str(args.examples)}
    command = [sys.executable, "-m", "pytest", "-q", "--hypothesis-show-statistics", "-p", "no:cacheprovider",
               *(str(root / "tests" / name) for name in SUITES[args.suite])]
    return subprocess.run(command, env=env, cwd=root, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
