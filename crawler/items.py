"""What the spider hands the store pipeline: a fetched document, a document not modified since, or a failure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FailureStatus = Literal["blocked", "unsupported", "failed"]  # documents.status of a document that was not read


@dataclass(frozen=True, slots=True)
class FetchedDocument:
    """A report document downloaded from a county site (an attachment, or an article page with the tables)."""

    site: str  # county code
    url: str  # as first requested, before redirects
    data: bytes = field(repr=False)  # a log line names the document, it does not print it
    final_url: str | None = None
    referer: str | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    page_title: str | None = None
    page_date: str | None = None
    link_text: str | None = None  # the text of the link followed to it (a hint to its author, parsers.hints)


@dataclass(frozen=True, slots=True)
class NotModified:
    """A stored document the site answered 304 Not Modified for: seen again, unchanged."""

    site: str
    url: str


@dataclass(frozen=True, slots=True)
class FetchFailure:
    """A report link that could not be read: blocked by a JS challenge, in an unsupported format, or failed."""

    site: str
    url: str
    status: FailureStatus
    error: str
    referer: str | None = None
    page_title: str | None = None


CrawlItem = FetchedDocument | NotModified | FetchFailure


@dataclass(frozen=True, slots=True)
class Stored:
    """What the pipeline passes on for an item (Scrapy logs it): its URL and what the store did with it."""

    url: str
    outcome: str  # new / changed / unchanged / failed (IngestOutcome.status), touch, failure, or error
