"""The crawler's only door to the store: lookups for conditional GETs, writes in one worker thread, a journal."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from crawler.items import CrawlItem, FetchedDocument, FetchFailure, NotModified
from crawler.parsing import item_hints
from db.hashing import sha256_hex
from db.store import IngestOutcome, Store
from parsers.errors import ParseError
from parsers.report import ParsedReport

logger = logging.getLogger(__name__)


class StoreGateway:
    """Reads happen on the reactor thread, writes (which parse) on the single ingest thread, each its own Store.

    The journal lists the URLs stored by this crawl job, so a crawl resumed after being killed does not
    download them again.
    """

    def __init__(self, db_path: Path, data_dir: Path, journal: Path | None = None) -> None:
        self.db_path = db_path
        self.data_dir = data_dir
        self.journal = journal
        self._reader: Store | None = None
        self._writer = threading.local()
        self._done: set[str] = set()
        if journal is not None and journal.exists():
            self._done = {line for line in journal.read_text(encoding="utf-8").splitlines() if line}
        self._journal_lock = threading.Lock()

    # reactor thread -----------------------------------------------------------------------------

    def _read(self) -> Store:
        if self._reader is None:
            self._reader = Store.open(self.db_path, self.data_dir)
        return self._reader

    def document_by_url(self, url: str) -> dict[str, Any] | None:
        """The stored document for a URL (etag, last_modified, sha256, status), or None."""
        return self._read().document_by_url(url)

    def stored_bytes(self, url: str) -> bytes | None:
        """The bytes last stored for a URL, from the content-addressed file store, or None."""
        stored = self.document_by_url(url)
        sha = (stored or {}).get("sha256")
        if not sha:
            return None
        for path in (self.data_dir / "documents" / sha[:2]).glob(f"{sha}.*"):
            return path.read_bytes()
        return None

    def needs_parsing(self, url: str, data: bytes) -> bool:
        """False when the store already holds exactly these bytes, parsed, for this URL (it will not parse)."""
        stored = self.document_by_url(url)
        return not (stored and stored.get("status") == "parsed" and stored.get("sha256") == sha256_hex(data))

    def done_in_this_job(self, url: str) -> bool:
        """True when the interrupted run this crawl resumes already stored the URL."""
        return url in self._done

    # ingest thread ------------------------------------------------------------------------------

    def _write(self) -> Store:
        store = getattr(self._writer, "store", None)
        if store is None:
            store = Store.open(self.db_path, self.data_dir)
            self._writer.store = store
        return store

    def upsert_counties(self, sites: list[tuple[str, str, str]]) -> None:
        """Make sure every crawled county exists (code, name, portal URL)."""
        store = self._write()
        for code, name, url in sites:
            store.upsert_county(code, name, url)

    def write(self, item: CrawlItem, parsed: ParsedReport | ParseError | None = None,
              county: str | None = None) -> IngestOutcome | None:
        """Store one crawler item: a document, a 304 touch, or a failure.

        A document comes with its report when it was parsed in a worker process; otherwise (unchanged bytes,
        a parse error to record, no workers) the store parses it itself.
        """
        store = self._write()
        outcome = None
        if isinstance(item, FetchedDocument):
            meta: dict[str, Any] = {
                "url": item.url, "final_url": item.final_url, "referer": item.referer, "county_code": item.site,
                "content_type": item.content_type, "etag": item.etag, "last_modified": item.last_modified,
                "page_title": item.page_title, "page_date": item.page_date}
            if isinstance(parsed, ParsedReport):
                outcome = store.ingest_parsed(parsed, data=item.data, **meta)
            else:  # not parsed yet, or the ParseError a worker gave
                hints = item_hints(item, county or store.county_name(item.site))
                outcome = store.ingest(item.data, parsed=parsed, hints=hints, **meta)
        elif isinstance(item, NotModified):
            store.touch_document(item.url)
        else:
            store.record_failure(item.url, county_code=item.site, status=item.status, error=item.error,
                                 referer=item.referer, page_title=item.page_title)
        self._mark_done(item)
        return outcome

    def _mark_done(self, item: CrawlItem) -> None:
        # A failure is tried again by a resumed crawl; what was stored or seen unchanged is not fetched again.
        if self.journal is None or isinstance(item, FetchFailure):
            return
        with self._journal_lock, self.journal.open("a", encoding="utf-8") as handle:
            handle.write(item.url + "\n")

    def close_writer(self) -> None:
        """Close the ingest thread's Store (call on that thread)."""
        store = getattr(self._writer, "store", None)
        if store is not None:
            store.close()
            self._writer.store = None

    def close(self) -> None:
        """Close the reader Store."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None
