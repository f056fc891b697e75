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


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise PageTimeout


@contextmanager
def page_deadline(seconds: float | None) -> Iterator[None]:
    """Raise PageTimeout in the block once `seconds` have passed (no limit when None)."""
    if not seconds:
        yield
        return
    start = time.monotonic()
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        if time.monotonic() - start > seconds:
            raise PageTimeout
        return
    previous = signal.signal(signal.SIGALRM, _interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
