"""A long fuzzing run of the command line (the properties of tests/test_fuzz_cli.py).

    python scripts/fuzz_cli.py [--examples 1500]

Runs every fuzz property with EXAMPLES random argument lists per solver command (and half as
many hostile problem files), then prints hypothesis' statistics: the number of invocations
that ran and how long they took. Exit status: pytest's (0 when nothing crashed).
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=1500, help="examples per command and property")
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DLSOLVE_FUZZ_EXAMPLES": str(args.examples)}
    command = [sys.executable, "-m", "pytest", "-q", "--hypothesis-show-statistics", "-p", "no:cacheprovider",
               str(root / "tests" / "test_fuzz_cli.py")]
    return subprocess.run(command, env=env, cwd=root, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
