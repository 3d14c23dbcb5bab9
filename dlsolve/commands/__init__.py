"""One module per command, each defining ``NAME`` and ``command`` (the Typer function).

``dlsolve.cli`` discovers them, so adding a solver adds a module here and one under
``dlsolve/solvers/`` (named after the command, ``som-train`` → ``som_train.py``) and
touches nothing else. Modules starting with ``_`` are helpers, not commands.
"""
