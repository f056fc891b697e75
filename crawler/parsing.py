"""Parse documents in worker processes, so parsing neither holds the crawl's GIL nor stalls downloads."""

from __future__ import annotations

import asyncio
import logging
import os

from crawler.items import FetchedDocument
from parsers import Limits, ParsedReport, ParseError, parse_bytes
from parsers.hints import Hints, document_hints
from parsers.workers import WorkerLimits, WorkerPool

logger = logging.getLogger(__name__)


def default_parse_workers() -> int:
    """One worker per core beyond the one the crawl itself uses (at least one)."""
    return max(1, (os.cpu_count() or 2) - 1)


def item_hints(item: FetchedDocument, county: str | None) -> Hints:
    """What the crawl knows of a document for the parser: county, page title, link text, file name."""
    return document_hints(item.final_url or item.url, county=county, page_title=item.page_title,
                          link_text=item.link_text)


# Image-only PDFs are stored as needs_ocr and read by the OCR stage (`nianbao ocr`), not here: OCR takes
# seconds per page and would hold a worker (and its time limit) that other documents wait for.
_CRAWL_LIMITS = Limits(ocr=False)


def _parse(source: str, data: bytes, media_type: str | None, hints: Hints | None) -> ParsedReport | ParseError:
    try:
        return parse_bytes(data, source, media_type, _CRAWL_LIMITS, hints=hints)
    except ParseError as error:
        return error  # the store records why it failed
    except Exception as error:  # a reader bug: recorded the same way
        return ParseError(source, f"程序内部错误（{type(error).__name__}：{error}），请把此文件报告给维护者")


class ParsePool:
    """Worker processes answering `await pool.parse(data, source, media_type)` with a report or a ParseError.

    A document that kills its worker, or runs over the time or memory limit, costs that document only
    (parsers.workers); the store records it as failed with the reason."""

    def __init__(self, workers: int, limits: WorkerLimits | None = None) -> None:
        self.workers = WorkerPool(_parse, workers, limits)

    async def parse(self, data: bytes, source: str, media_type: str | None,
                    hints: Hints | None = None) -> ParsedReport | ParseError:
        """The parsed report, or why it could not be parsed, from a worker process."""
        return await asyncio.wrap_future(self.workers.submit(source, data, media_type, hints))

    def close(self) -> None:
        """Stop the workers."""
        self.workers.close()
