"""A review's progress on a terminal: "评查 12/300（4%，剩余约 5 秒）" redrawn on stderr (engine/batch/progress.py ticks)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def remaining(left: float | None) -> str:
    """Remaining time in words."""
    if left is None:
        return "时间估算中"
    if left < 60:
        return f"约 {max(1, round(left))} 秒"
    return f"约 {int(left // 60)} 分 {round(left % 60)} 秒"


def line(label: str) -> Callable[[Any], None]:
    """Draw each tick as one line of stderr, ended with the time taken."""

    def draw(tick: Any) -> None:
        if tick.took is None:
            sys.stderr.write(f"\r{label} {tick.done}/{tick.total}（{tick.percent}%，剩余{remaining(tick.left)}）\033[K")
        else:
            sys.stderr.write(f"\r{label} {tick.done}/{tick.total}（用时 {tick.took:.1f} 秒）\033[K\n")
        sys.stderr.flush()

    return draw
