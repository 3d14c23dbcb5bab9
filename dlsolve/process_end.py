"""Ending the command-line process without Python's teardown (see :func:`dlsolve.cli.main`).

The one function of :mod:`atexit` used here, ``atexit._run_exitfuncs``, is CPython's,
undocumented but present since Python 3.0; tests/test_startup.py fails, naming it, if a
Python release drops it. Where it is missing, the process ends the normal way.
"""

from __future__ import annotations

import atexit
import os
import sys
from typing import NoReturn


def end_now(code: int) -> NoReturn:
    """Run the exit functions, flush the standard streams, and end with ``code`` at once."""
    run_exit_functions = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_functions is None:
        sys.exit(code)
    run_exit_functions()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # reported already, or nowhere to report to: the code still tells
            pass
    os._exit(code)
