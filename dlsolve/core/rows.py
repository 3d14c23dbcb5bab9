"""Table rows built only when a renderer shows them: a long table's middle rows are elided,
so a 10,000-step run builds the dozen rows a screen shows, not every one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import overload

from dlsolve.core.derivation import Part


class LazyRows(Sequence[tuple[Part, ...]]):
    """``count`` rows, row ``j`` made by ``row(j)`` when it is read."""

    def __init__(self, count: int, row: Callable[[int], tuple[Part, ...]]) -> None:
        self.count, self.row = count, row

    def __len__(self) -> int:
        return self.count

    @overload
    def __getitem__(self, index: int) -> tuple[Part, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[Part, ...]]: ...
    def __getitem__(self, index: int | slice) -> tuple[Part, ...] | list[tuple[Part, ...]]:
        if isinstance(index, slice):
            return [self.row(j) for j in range(*index.indices(self.count))]
        if not -self.count <= index < self.count:
            raise IndexError(index)
        return self.row(index % self.count)
