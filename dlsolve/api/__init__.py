"""The Python API behind ``import dlsolve``: :mod:`.solving` (``solve``, ``Solution``,
``commands``) and :mod:`.checking` (``check``, ``Report``). :mod:`dlsolve` exports them
lazily, so ``import dlsolve`` imports neither until one is used."""
