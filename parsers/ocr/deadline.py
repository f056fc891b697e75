"""A time limit on reading one page: OCR of a page is seconds of native calls, and a page that takes far longer
(a poster-sized picture, a page of dense small print) must not eat the whole document's time.

The limit is a timer signal (SIGALRM) raising PageTimeout between two native calls, so it works where the page
is read in a process's main thread (the parse workers, the CLI). Elsewhere the page runs to its end and is
refused afterwards if it ran over, so the outcome is the same, only later.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class PageTimeout(Exception):
    """Reading a page ran over its time limit."""


class Deadline:
    """Whether the limit has passed: the OCR engine wraps what is raised inside it in its own error, so the
    caller asks this rather than trusting the exception's type."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.start = time.monotonic()
        self.fired = False

    @property
    def expired(self) -> bool:
        return self.fired or (self.seconds is not None and time.monotonic() - self.start > self.seconds)

    def interrupt(self, signum: int, frame: FrameType | None) -> None:
        self.fired = True
        raise PageTimeout


@contextmanager
def page_deadline(seconds: float | None) -> Iterator[Deadline]:
    """Raise PageTimeout in the block once `seconds` have passed (no limit when None); on leaving it, raise
    PageTimeout when the time is up whatever the block raised."""
    deadline = Deadline(seconds or None)
    timer = bool(seconds) and threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous = None
    if timer:
        previous = signal.signal(signal.SIGALRM, deadline.interrupt)
        signal.setitimer(signal.ITIMER_REAL, float(seconds or 0))
    try:
        yield deadline
    except Exception as error:
        if deadline.expired:
            raise PageTimeout from error
        raise
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    if deadline.expired:
        raise PageTimeout
