"""The progress bar: one line on a terminal's stderr, redrawn at most five times a second,
never wider than the terminal (a wider line would wrap into a new line at every redraw)."""

from __future__ import annotations

import os
import time
from typing import BinaryIO

__all__ = ["Progress", "count", "progress_line"]


def count(number: int, word: str) -> str:
    """``1 page``, ``2 pages``, ``12,000 pages``."""
    return f"{number:,} {word}{'' if number == 1 else 's'}"


def progress_line(pages: int, elapsed: float, done: float | None, width: int) -> str:
    """The bar's text, its least useful parts left out until it fits in ``width - 1``
    columns (the last column is left free: writing there wraps on some terminals)."""
    pages_done = count(pages, "page")
    rate = f"{pages / max(elapsed, 1e-9):,.0f} pages/s"
    if done is None:
        candidates = [[pages_done, rate], [pages_done]]
    else:
        filled = int(done * 20)
        bar = "[" + "#" * filled + "-" * (20 - filled) + "]"
        share = f"{done:4.0%}"
        left = f"{_duration(elapsed * (1 - done) / done)} left" if done > 0 else ""
        # From the fullest line to the shortest: the page count matters most.
        candidates = [
            [bar, share, pages_done, rate, left],
            [share, pages_done, rate, left],
            [share, pages_done, left],
            [share, pages_done],
            [pages_done],
        ]
    for parts in candidates:
        line = "  ".join(part for part in parts if part)
        if len(line) < width:
            return line
    return line[: max(width - 1, 0)]


class Progress:
    """Pages done, pages/s, share done and time left (when the input's size is known)."""

    def __init__(self, stream: BinaryIO, enabled: bool, total: int | None) -> None:
        self._stream = stream
        self._enabled = enabled
        self._total = total
        self._start = time.monotonic()
        self._last = 0.0
        self._shown = False

    def _width(self) -> int:
        try:
            columns = os.get_terminal_size(self._stream.fileno()).columns
        except (OSError, ValueError, AttributeError):
            return 80
        return columns if columns > 0 else 80  # a terminal that does not say its width

    def update(self, pages: int, position: int) -> None:
        if not self._enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.2:
            return
        self._last = now
        done = min(position / self._total, 1.0) if self._total else None
        line = progress_line(pages, now - self._start, done, self._width())
        self._stream.write(("\r" + line + "\x1b[K").encode())
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
