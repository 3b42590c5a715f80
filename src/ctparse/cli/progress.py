"""The progress bar: one line on a terminal's stderr, redrawn at most five times a second."""

from __future__ import annotations

import time
from typing import BinaryIO

__all__ = ["Progress"]


class Progress:
    """Pages done, pages/s, share done and time left (when the input's size is known)."""

    def __init__(self, stream: BinaryIO, enabled: bool, total: int | None) -> None:
        self._stream = stream
        self._enabled = enabled
        self._total = total
        self._start = time.monotonic()
        self._last = 0.0
        self._shown = False

    def update(self, pages: int, position: int) -> None:
        if not self._enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.2:
            return
        self._last = now
        elapsed = max(now - self._start, 1e-9)
        parts = [f"{pages:,} pages", f"{pages / elapsed:,.0f} pages/s"]
        if self._total:
            done = min(position / self._total, 1.0)
            filled = int(done * 20)
            parts.insert(0, "[" + "#" * filled + "-" * (20 - filled) + f"] {done:4.0%}")
            if done > 0:
                parts.append(f"{_duration(elapsed * (1 - done) / done)} left")
        self._stream.write(("\r" + "  ".join(parts) + "\x1b[K").encode())
        self._stream.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self._stream.write(b"\r\x1b[K")
            self._stream.flush()
            self._shown = False


def _duration(seconds: float) -> str:
    whole = int(seconds + 0.5)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
