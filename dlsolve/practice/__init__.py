"""Generated exercises (``dlsolve practice``): one generator module per solver command.

A generator module (``som_train.py`` for ``som-train``) has ``TITLE`` and
``generate(draw, level) -> Generated``; everything it draws comes from one seed, so the
same (command, level, seed) gives the same exercise on any machine. This package's top
level stays import-free (the CLI reads ``COMMANDS`` at start-up); a generator module is
imported only when its command is practised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dlsolve.practice.exercise import Exercise

COMMANDS = ("backprop", "batchnorm", "conv-params", "kl-divergence", "rbf-xor", "som-train", "ttest")


def command_for(seed: int) -> str:
    """The command practised when none is named: drawn from the seed too, so
    ``practice --seed 7`` is the same exercise as ``practice <that command> --seed 7``."""
    from dlsolve.practice.draw import Draw

    return Draw(f"command:{seed}").choice(COMMANDS)


def generate(command: str, seed: int, level: str = "exam") -> Exercise:
    """The exercise of ``command`` at ``level`` (easy, exam or hard) for ``seed``."""
    import importlib

    from dlsolve.practice.draw import Draw
    from dlsolve.practice.exercise import Exercise

    module = importlib.import_module(f"dlsolve.topics.{command.replace('-', '_')}.practice")
    made = module.generate(Draw(f"{command}:{level}:{seed}"), level)
    return Exercise(command, level, seed, module.TITLE, made.problem, made.statement, made.questions, made.summary)
