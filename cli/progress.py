"""A progress line for long runs on a terminal: n/N, percent and a remaining time from the recent rate."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def remaining(done: int, total: int, elapsed: float) -> str:
    """Remaining time in words, from the rate since the first item (``elapsed`` counts from it)."""
    if done < 2 or elapsed < 0.2:
        return "时间估算中"
    seconds = elapsed / (done - 1) * (total - done)
    if seconds < 60:
        return f"约 {max(1, round(seconds))} 秒"
    return f"约 {int(seconds // 60)} 分 {round(seconds % 60)} 秒"


def progress(items: Iterable[T], total: int, label: str) -> Iterator[T]:
    """Yield the items, redrawing "评查 12/300（4%，剩余约 5 秒）" on stderr at most ten times a second."""
    start = time.monotonic()
    first: float | None = None
    last = 0.0
    done = 0
    for item in items:
        done += 1
        now = time.monotonic()
        first = first or now
        if now - last >= 0.1 or done == total:
            last = now
            pct = 100 * done // total if total else 100
            # the rate is measured from the first item on: loading and compiling the rules is not a rate
            sys.stderr.write(f"\r{label} {done}/{total}（{pct}%，剩余{remaining(done, total, now - first)}）\033[K")
            sys.stderr.flush()
        yield item
    sys.stderr.write(f"\r{label} {done}/{total}（用时 {time.monotonic() - start:.1f} 秒）\033[K\n")
    sys.stderr.flush()
