"""Listing readers for common portal software (TRS, Hanweb, plain lists); each is pure: HTML text in, links out."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    """A link found on a page: absolute URL and its anchor text (or title attribute)."""

    url: str
    text: str = ""


@dataclass(frozen=True)
class PostRequest:
    """A listing page fetched by POST (Hanweb dataproxy.jsp)."""

    url: str
    formdata: dict[str, str] = field(default_factory=dict)
    referer: str = ""
