"""``python -m dlsolve``."""

from dlsolve.cli import main

main()
