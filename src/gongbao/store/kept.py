"""Values by document pk that a store keeps until the database changes (document texts,
outlines), the least recently used going first once their summed sizes pass a budget; one
per process is shared by the threads' stores (``Store.kept(shared=True)``), so they are
thread-safe."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

CHUNK = 500  # documents per statement (well under SQLite's bound-parameter limit)
V = TypeVar("V")


class KeptByPk(Generic[V]):
    """``budget()`` is read at each trim (a module constant a test may change); ``size`` of a value
    counts against it. The last value read is kept whatever its size."""

    def __init__(self, budget: Callable[[], int], size: Callable[[V], int]) -> None:
        self.values: OrderedDict[int, V] = OrderedDict()
        self.size = 0
        self._budget, self._size = budget, size
        self._lock = threading.Lock()  # loads run outside it: two threads may load one value

    def kept_or_loaded(self, pks: Iterable[int], load: Callable[[list[int]], dict[int, V]]) -> dict[int, V]:
        """The values of ``pks``: kept ones from memory, the others by ``load`` (CHUNK pks a call)."""
        pks, out = set(pks), {}
        with self._lock:
            for pk in pks:
                if pk in self.values:
                    self.values.move_to_end(pk)
                    out[pk] = self.values[pk]
        missing = sorted(pks - out.keys())
        for start in range(0, len(missing), CHUNK):
            loaded = load(missing[start : start + CHUNK])
            out.update(loaded)
            with self._lock:
                for pk, value in loaded.items():
                    old = self.values.get(pk)
                    self.size += self._size(value) - (0 if old is None else self._size(old))
                    self.values[pk] = value
        with self._lock:
            while self.size > self._budget() and len(self.values) > 1:
                self.size -= self._size(self.values.popitem(last=False)[1])
        return out
