"""Generated exercises (``dlsolve practice``): the engine; each topic has its generator.

A topic's generator (``dlsolve/topics/som_train/practice.py``) has ``TITLE`` and
``generate(draw, level) -> Generated``; everything it draws comes from one seed, so the
same (command, level, seed) gives the same exercise on any machine. A generator is imported
only when its command is practised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dlsolve.practice.exercise import Exercise


def command_for(seed: int) -> str:
    """The command practised when none is named: drawn from the seed too, so
    ``practice --seed 7`` is the same exercise as ``practice <that command> --seed 7``."""
    from dlsolve.practice.draw import Draw
    from dlsolve.topics import TOPICS

    return Draw(f"command:{seed}").choice(TOPICS)


def generate(command: str, seed: int, level: str = "exam") -> Exercise:
    """The exercise of ``command`` at ``level`` (easy, exam or hard) for ``seed``."""
    from dlsolve import topics
    from dlsolve.practice.draw import Draw
    from dlsolve.practice.exercise import Exercise

    module = topics.practice(command)
    made = module.generate(Draw(f"{command}:{level}:{seed}"), level)
    return Exercise(command, level, seed, module.TITLE, made.problem, made.statement, made.questions, made.summary)
