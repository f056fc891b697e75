"""Parse documents in worker processes, so parsing neither holds the crawl's GIL nor stalls downloads."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from parsers import ParsedReport, ParseError, parse_bytes
from parsers.pool import die_with_parent

logger = logging.getLogger(__name__)


def default_parse_workers() -> int:
    """One worker per core beyond the one the crawl itself uses (at least one)."""
    return max(1, (os.cpu_count() or 2) - 1)


def _parse(data: bytes, source: str, media_type: str | None) -> ParsedReport | None:
    try:
        return parse_bytes(data, source, media_type)
    except ParseError:
        return None  # the store parses it again and records why it failed
    except Exception:  # a reader bug: the store records it the same way
        logger.exception("%s: parser error", source)
        return None


class ParsePool:
    """A process pool answering `await pool.parse(data, source, media_type)`; None means "let the store try"."""

    def __init__(self, workers: int) -> None:
        # Started from the reactor (main) thread, which lives as long as the crawl process: the parent-death signal
        # of die_with_parent follows the thread that started the worker.
        self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=die_with_parent, initargs=(os.getpid(),))

    async def parse(self, data: bytes, source: str, media_type: str | None) -> ParsedReport | None:
        """The parsed report, parsed in a worker process."""
        future = self.executor.submit(_parse, data, source, media_type)
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        """Stop the workers."""
        self.executor.shutdown(wait=True, cancel_futures=True)
