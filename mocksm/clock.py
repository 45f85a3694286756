"""The one time source every mocksm timestamp comes from.

It reads ``time.time()`` at each call, so freezegun and time-machine are followed
when active, and adds an offset the mock handle can move (``set`` / ``advance``).
Timestamps are epoch seconds (floats) with millisecond precision, as AWS sends them.
"""

from __future__ import annotations

import math
import time
from datetime import datetime, timezone

SECONDS_PER_DAY = 86400.0


def _as_epoch(when: datetime | float | int | str) -> float:
    if isinstance(when, datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return when.timestamp()
    if isinstance(when, str):
        return _as_epoch(datetime.fromisoformat(when.replace("Z", "+00:00")))
    return float(when)


def to_millis(seconds: float) -> float:
    """``seconds`` rounded to the millisecond: ``round(seconds, 3)`` for every time a
    clock shows, without its decimal-string round trip (every call reads the clock)."""
    return math.floor(seconds * 1000.0 + 0.5) / 1000.0


class Clock:
    """Wall clock plus a movable offset; ``frozen_at`` pins it to one instant."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._frozen_at: float | None = None

    def now(self) -> float:
        """Current time in epoch seconds, rounded to milliseconds."""
        base = self._frozen_at if self._frozen_at is not None else time.time()
        return to_millis(base + self._offset)

    def now_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now(), tz=timezone.utc)

    def set(self, when: datetime | float | int | str) -> None:
        """Jump to ``when`` (a datetime, naive meaning UTC; epoch seconds; or ISO 8601 text);
        time keeps flowing from there (unless frozen)."""
        target = _as_epoch(when)
        base = self._frozen_at if self._frozen_at is not None else time.time()
        self._offset = target - base

    def advance(
        self,
        days: float = 0,
        hours: float = 0,
        minutes: float = 0,
        seconds: float = 0,
    ) -> None:
        """Move time forward (or back, with negative amounts)."""
        self._offset += days * SECONDS_PER_DAY + hours * 3600 + minutes * 60 + seconds

    def freeze(self, when: datetime | float | int | str | None = None) -> None:
        """Stop time at ``when`` (default: now) until ``unfreeze``, whatever freezegun or
        time-machine do meanwhile."""
        target = self.now() if when is None else _as_epoch(when)
        self._frozen_at = target
        self._offset = 0.0

    def unfreeze(self) -> None:
        """Let time flow again from the instant it was frozen at."""
        if self._frozen_at is not None:
            self._offset = self._frozen_at + self._offset - time.time()
            self._frozen_at = None

    def reset(self) -> None:
        """Drop every move and freeze: back to ``time.time()``."""
        self._offset = 0.0
        self._frozen_at = None


def start_of_day(ts: float) -> float:
    """Midnight UTC of the day containing ``ts`` (AWS's LastAccessedDate granularity)."""
    return (ts // SECONDS_PER_DAY) * SECONDS_PER_DAY
