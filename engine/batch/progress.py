"""A long run's progress as records: how many items of how many, and the time left from the recent rate (a door
words and draws them; ``quanze review`` as one line on a terminal)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
EVERY = 0.1  # seconds between two ticks (the last item always has one)


@dataclass(frozen=True)
class Tick:
    """``done`` of ``total`` items; ``left`` the seconds still to go (None while too early to tell); ``took`` the
    seconds the whole run took, only on the tick after the last item."""

    done: int
    total: int
    left: float | None = None
    took: float | None = None

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 100


def left_after(done: int, total: int, elapsed: float) -> float | None:
    """Seconds to go at the rate since the first item (``elapsed`` counts from it); None before two items or 0.2 s."""
    if done < 2 or elapsed < 0.2:
        return None
    return elapsed / (done - 1) * (total - done)


def watched(items: Iterable[T], total: int, tell: Callable[[Tick], None]) -> Iterator[T]:
    """Yield the items, telling a ``Tick`` at most every ``EVERY`` seconds and one with ``took`` at the end."""
    start = time.monotonic()
    first: float | None = None
    last = 0.0
    done = 0
    for item in items:
        done += 1
        now = time.monotonic()
        first = first or now
        if now - last >= EVERY or done == total:
            last = now
            # the rate is measured from the first item on: loading and compiling the rules is not a rate
            tell(Tick(done, total, left_after(done, total, now - first)))
        yield item
    tell(Tick(done, total, took=time.monotonic() - start))
