"""Seeded draws that give the same exercise for the same seed on any machine.

Everything is built on ``random.Random(key).random()``: Python guarantees that sequence
for a given seed across versions and platforms (the Mersenne Twister; a text key is hashed
with SHA-512 first), whereas ``randrange``/``shuffle``/``sample`` are only stable by
practice. The key names what is drawn (``"som-train:exam:7"``), so the levels and the
commands of one seed are unrelated exercises. Numbers are drawn as
integers and turned into decimals by one division (``7 / 10`` is exactly the float the
literal ``0.7`` is), so no float formatting can differ between machines.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

SEED_DIGITS = 6  # a seed chosen for the user is short enough to retype


def new_seed() -> int:
    """A fresh seed for a run without ``--seed`` (printed, so the exercise can come back)."""
    return secrets.randbelow(10**SEED_DIGITS)


class Draw:
    """Integer-based random choices from one seed."""

    def __init__(self, key: str) -> None:
        self._rng = random.Random(key)

    def below(self, n: int) -> int:
        """A whole number in ``0 … n − 1``."""
        if n < 1:
            raise ValueError(f"nothing to draw from: n = {n}")
        return min(int(self._rng.random() * n), n - 1)

    def integer(self, low: int, high: int) -> int:
        """A whole number in ``low … high`` (both included)."""
        return low + self.below(high - low + 1)

    def decimal(self, low: int, high: int, places: int) -> float:
        """A number with at most ``places`` decimals in ``[low, high] / 10**places``:
        ``decimal(1, 9, 1)`` is one of 0.1, 0.2, …, 0.9."""
        return self.integer(low, high) / 10**places

    def choice(self, items: Sequence[T]) -> T:
        return items[self.below(len(items))]

    def chance(self, numerator: int, denominator: int) -> bool:
        """True with probability ``numerator/denominator``."""
        return self.below(denominator) < numerator

    def shuffled(self, items: Sequence[T]) -> list[T]:
        """A new list with the items in random order (Fisher–Yates)."""
        out = list(items)
        for i in range(len(out) - 1, 0, -1):
            j = self.below(i + 1)
            out[i], out[j] = out[j], out[i]
        return out

    def sample(self, items: Sequence[T], k: int) -> list[T]:
        """``k`` different items, in random order."""
        return self.shuffled(items)[:k]


MAX_TRIES = 100_000


def first(make: Callable[[], T], accept: Callable[[T], bool], tries: int = MAX_TRIES) -> T:
    """The first drawn candidate that ``accept`` takes (rejection sampling: the seed fixes
    which one, so it is the same everywhere)."""
    for _ in range(tries):
        candidate = make()
        if accept(candidate):
            return candidate
    raise RuntimeError(f"no acceptable exercise in {tries:,} draws")  # a generator bug, never the user's
