"""The one discovery spider: home page → 政府信息公开 → 年报 columns (and 部门信息公开 → XX局) → reports."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any, Self, cast

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import FormRequest, Request, Response, TextResponse
from twisted.python.failure import Failure

from crawler.blocking import CHALLENGE_NAMES, challenge_kind
from crawler.cms import Link, hanweb, jsonlist, trs
from crawler.cms.plain import anchor_links, iframe_sources, next_page_links, redirect_targets
from crawler.items import CrawlItem, FailureStatus, FetchedDocument, FetchFailure, NotModified
from crawler.limits import failure_reason
from crawler.pages import UNSUPPORTED_EXTENSIONS, extension, is_document_url, page_text, read_article
from crawler.pictures import PictureBundle, archived_page, picture_urls
from crawler.session import CrawlSession
from crawler.sites import site_key
from crawler.tally import SiteTally
from crawler.titles import department_name, is_directory_link, is_report_column, nav_score, parse_report_title

logger = logging.getLogger(__name__)
# Inside a department's sub-site, links other than 年报 columns are followed this deep from its root.
_SUBSITE_NAV_DEPTH = 2
OFD_UNSUPPORTED = "OFD 格式暂不支持（请网站另行提供 PDF 或 Word 版本）"
Output = Request | CrawlItem  # what a callback yields: more pages to fetch, items for the store pipeline


class PortalSpider(scrapy.Spider):
    """Discovers report documents on county portals and yields them as items for the store pipeline."""

    name = "nianbao"

    def __init__(self, session: CrawlSession, max_depth: int = 6, max_pages_per_site: int = 3000,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sites = session.sites
        self.gateway = session.gateway
        self.tallies = session.tallies
        self.max_depth = max_depth
        self.max_pages_per_site = max_pages_per_site
        self._keys = {s.code: {site_key(u) for u in (*s.starts, *s.hosts)} for s in self.sites.values()}
        self._requested: dict[str, int] = dict.fromkeys(self.sites, 0)
        self._queued: set[str] = set()  # GET URLs already requested: skip building duplicate Requests
        self._column_urls: set[str] = set()  # 年报 columns linked or read so far (a department entry may be one)
        self._entries_waiting: dict[str, set[str]] = {}  # URL already queued → departments whose entry it is

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        """The spider for the crawl session attached to the crawler (CrawlSession.attach)."""
        kwargs.setdefault("session", CrawlSession.of(crawler))
        return super().from_crawler(crawler, *args, **kwargs)

    async def start(self) -> AsyncIterator[Request]:
        """Each site's home page (and extra start URLs)."""
        for site in self.sites.values():
            for url in site.starts:
                request = self._request(url, site.code, "nav", depth=0, priority=0)
                if request is not None:
                    yield request

    # -- requests ---------------------------------------------------------------------------------------------

    def _request(self, url: str, code: str, role: str, *, depth: int, priority: int = 0, referer: str | None = None,
                 **meta: Any) -> Request | None:
        if url in self._queued:
            return None
        self._queued.add(url)
        self._requested[code] = self._requested.get(code, 0) + 1
        callback = {"nav": self.parse_page, "article": self.parse_article, "document": self.parse_document}[role]
        headers = {"Referer": referer} if referer else None
        return Request(url, callback=callback, errback=self.failed, priority=priority, headers=headers,
                       meta={"site": code, "role": role, "depth": depth, "download_slot": site_slot(code), **meta})

    def _go(self, url: str, code: str, role: str, **kwargs: Any) -> Iterator[Request]:
        request = self._request(url, code, role, **kwargs)
        if request is not None:
            yield request

    def _budget_left(self, code: str) -> bool:
        if self._requested.get(code, 0) < self.max_pages_per_site:
            return True
        self.tallies[code].note(f"达到每站页数上限 {self.max_pages_per_site}，未抓完（[crawl] max_pages_per_site）")
        return False

    def _same_site(self, code: str, url: str) -> bool:
        return site_key(url) in self._keys[code]

    # -- callbacks --------------------------------------------------------------------------------------------

    def _seen(self, response: Response) -> tuple[str, SiteTally]:
        code = response.meta["site"]
        tally = self.tallies[code]
        tally.pages += 1
        return code, tally

    def _blocked(self, response: Response, code: str, tally: SiteTally) -> Iterator[FetchFailure]:
        kind = challenge_kind(response.status, response.body)
        if kind is None:
            return
        tally.blocked += 1
        blocked = f"网站拦截访问（{CHALLENGE_NAMES.get(kind, kind)}，HTTP {response.status}）"
        tally.note(f"{response.url} {blocked}")
        logger.warning("%s：%s", response.url, blocked)
        yield FetchFailure(code, original_url(response), "blocked", blocked,
                           referer=_referer(response), page_title=response.meta.get("link_text"))

    def parse_page(self, response: Response) -> Iterator[Output]:
        """A navigation or listing page: follow 年报-ward links, report articles and further list pages.

        A page reached from the county's 部门信息公开 directory lists departments (meta "directory"); each
        department's sub-site is then crawled as its own branch (meta "department"), depth counted from its root.
        """
        code, tally = self._seen(response)
        blocked = list(self._blocked(response, code, tally))
        if blocked:
            yield from blocked
            return
        if not isinstance(response, TextResponse):
            return
        tally.ok_pages += 1
        context = _context(response.meta)
        if response.meta.get("subsite_root") and context["department"]:
            tally.subsites.add(context["department"])
        if jsonlist.is_json(response.body, _header(response, "Content-Type")):
            yield from self._json_list(response, code, context)
            return
        depth = response.meta["depth"]
        html, selector = page_text(response.url, response.body, lambda: response.text)
        anchors = anchor_links(response.url, selector)
        links = list(anchors)
        if hanweb.is_datastore(html):
            links += hanweb.records(response.url, html)
            for post in hanweb.dataproxy_requests(response.url, html):
                if self._budget_left(code):
                    self._requested[code] += 1
                    yield FormRequest(post.url, formdata=post.formdata, headers={"Referer": post.referer},
                                      callback=self.parse_page, errback=self.failed, priority=5,
                                      meta={"site": code, "role": "nav", "depth": depth,
                                            "download_slot": site_slot(code), **context})
        for link in links:
            yield from self._follow(link, response, code, depth, context)
        listing = trs.page_urls(response.url, html) + next_page_links(response.url, selector, anchors)
        listing += iframe_sources(response.url, selector) + redirect_targets(response.url, html, selector)
        listing += jsonlist.api_urls(response.url, html)
        if response.url in self._column_urls:  # the further pages of a 年报 column are the column too
            for url in trs.page_urls(response.url, html) + next_page_links(response.url, selector, anchors):
                self._mark_column(code, url)
        for url in listing:
            if self._same_site(code, url) and self._budget_left(code):
                yield from self._go(url, code, "nav", depth=depth, priority=5, referer=response.url, **context)

    def _json_list(self, response: Response, code: str, context: dict[str, Any]) -> Iterator[Output]:
        """A JSON list API's reply (named in a page's script): its title/URL objects, then its further pages."""
        data = jsonlist.parse(response.body)
        if data is None:
            self.tallies[code].note(f"{response.url} 返回的内容不是有效的 JSON，无法解析")
            return
        for link in jsonlist.links(response.url, data):
            yield from self._follow(link, response, code, response.meta["depth"], context)
        for url in jsonlist.page_urls(response.url, data):
            if self._same_site(code, url) and self._budget_left(code):
                yield from self._go(url, code, "nav", depth=response.meta["depth"], priority=5,
                                    referer=response.url, **context)

    def _follow(self, link: Link, response: Response, code: str, depth: int,
                context: dict[str, Any]) -> Iterator[Output]:
        department = context["department"]
        report = parse_report_title(link.text)
        if report is not None:
            self._mark_column(code, response.url)
            if department:  # the sub-site lists its reports itself
                self.tallies[code].report_column(department, response.url)
            if extension(link.url) in UNSUPPORTED_EXTENSIONS:
                yield self._unsupported(code, link.url, response.url, link.text, OFD_UNSUPPORTED)
            elif is_document_url(link.url):
                yield from self._document(link.url, code, referer=response.url, page_title=link.text,
                                          link_text=link.text)
            elif self._same_site(code, link.url):
                yield from self._go(link.url, code, "article", depth=depth + 1, priority=10, referer=response.url,
                                    link_text=link.text)
            return
        if not self._same_site(code, link.url):
            return
        entry = self._directory_entry(link, response, code, depth) if context["directory"] and not department \
            else None
        if entry is not None:
            yield from entry
            return
        if department:
            yield from self._in_subsite(link, response, code, depth, context)
            return
        if depth >= self.max_depth or not self._budget_left(code):
            return
        score = nav_score(link.text, link.url)
        if score:
            if is_report_column(link.text, link.url):
                self._mark_column(code, link.url)
            yield from self._go(link.url, code, "nav", depth=depth + 1, priority=score, referer=response.url,
                                directory=is_directory_link(link.text))

    def _mark_column(self, code: str, url: str) -> None:
        """A 年报 column's page (linked as one, or listing reports): departments whose entry it is have one."""
        self._column_urls.add(url)
        for name in self._entries_waiting.pop(url, ()):
            self.tallies[code].report_column(name, url)

    def _directory_entry(self, link: Link, response: Response, code: str, depth: int) -> list[Request] | None:
        """A link on the county's directory of departments: a department's sub-site, or a sub-list of them; the
        requests it takes. None for other links (the page's own menus), which are followed as anywhere else."""
        tally = self.tallies[code]
        name = department_name(link.text)
        if name is not None:
            tally.list_department(name, link.url)
            if link.url in self._queued:  # the entry is a page already reached (often the shared 年报 column)
                tally.subsites.add(name)
                if link.url in self._column_urls:
                    tally.report_column(name, link.url)
                else:  # credited when the page turns out to be one
                    self._entries_waiting.setdefault(link.url, set()).add(name)
            elif self._budget_left(code):  # its sub-site is a branch of its own: depth counts from its root
                return list(self._go(link.url, code, "nav", depth=0, priority=4, referer=response.url,
                                     department=name, subsite_root=True))
            return []
        if is_directory_link(link.text) or _SUB_LIST.search(link.text):
            if depth < self.max_depth and self._budget_left(code):
                return list(self._go(link.url, code, "nav", depth=depth + 1, priority=4, referer=response.url,
                                     directory=True))
            return []
        return None

    def _in_subsite(self, link: Link, response: Response, code: str, depth: int,
                    context: dict[str, Any]) -> Iterator[Output]:
        """Inside a department's sub-site: its 年报 column (often the county's shared one), else its 信息公开 menu;
        inside that column, its year folders and pages as anywhere else."""
        department = context["department"]
        if is_directory_link(link.text) or depth >= self.max_depth or not self._budget_left(code):
            return  # the county's own directory is reached from the county, not from a department
        if is_report_column(link.text, link.url):
            self.tallies[code].report_column(department, link.url)
            self._mark_column(code, link.url)
            yield from self._go(link.url, code, "nav", depth=depth + 1, priority=6, referer=response.url,
                                department=department, column=True)
            return
        score = nav_score(link.text, link.url)
        if score and (context["column"] or depth < _SUBSITE_NAV_DEPTH):
            yield from self._go(link.url, code, "nav", depth=depth + 1, priority=score, referer=response.url,
                                department=department, column=context["column"])

    def _document(self, url: str, code: str, *, referer: str, page_title: str | None,
                  page_date: str | None = None, link_text: str | None = None) -> Iterator[Output]:
        tally = self.tallies[code]
        tally.reports.add(url)
        if self.gateway is not None and self.gateway.done_in_this_job(url):
            tally.unchanged += 1  # stored by the interrupted run this one resumes
            return
        yield from self._go(url, code, "document", depth=0, priority=20, referer=referer,
                            page_title=page_title, page_date=page_date, link_text=link_text)

    def _unsupported(self, code: str, url: str, referer: str, title: str | None, error: str) -> FetchFailure:
        tally = self.tallies[code]
        tally.reports.add(url)
        tally.unsupported += 1
        return FetchFailure(code, url, "unsupported", error, referer=referer, page_title=title)

    def parse_article(self, response: Response) -> Iterator[Output]:
        """A report's article page: the page itself when it holds the tables, and each attachment."""
        code, tally = self._seen(response)
        if response.status == 304:
            tally.ok_pages += 1
            yield from self._article_not_modified(response, code)
            return
        blocked = list(self._blocked(response, code, tally))
        if blocked:
            yield from blocked
            return
        if not isinstance(response, TextResponse):  # a report served without a file extension
            tally.ok_pages += 1
            yield from self._as_document(response, code)
            return
        tally.ok_pages += 1
        html, selector = page_text(response.url, response.body, lambda: response.text)
        yield from self._article_items(original_url(response), response.url, html, selector, response, code)

    def _article_items(self, url: str, final_url: str, html: str, selector: Any, response: Response | None,
                       code: str) -> Iterator[Output]:
        link_text = response.meta.get("link_text", "") if response is not None else ""
        article = read_article(final_url, html, selector, link_text)
        referer = _referer(response) if response is not None else None
        tally = self.tallies[code]
        if article.has_tables:
            tally.reports.add(url)
            if response is not None:
                yield _document_item(response, code, article.title, article.date)
        for attachment in article.attachments:
            yield from self._document(attachment.url, code, referer=url, page_title=article.title,
                                      page_date=article.date, link_text=attachment.text)
        for other in article.unsupported:
            yield self._unsupported(code, other.url, url, article.title, OFD_UNSUPPORTED)
        if not (article.has_tables or article.attachments or article.unsupported):
            if article.has_images and response is None:
                return  # not modified: the page stored with its pictures stands
            if article.has_images and response is not None:
                pictures = self._pictures(response, code, article.title, article.date)
                if pictures is not None:
                    tally.reports.add(url)
                    yield from pictures
                    return
            why = "正文只有图片（不在本站，未能取得），需要 OCR 识别" if article.has_images \
                else "页面中没有年报表格或附件"
            status: FailureStatus = "unsupported" if article.has_images else "failed"
            tally.reports.add(url)
            if status == "failed":
                tally.errors += 1
                tally.note(f"{url} {why}")
            yield FetchFailure(code, url, status, why, referer=referer, page_title=article.title)

    def _pictures(self, response: Response, code: str, title: str | None,
                  date: str | None) -> Iterator[Output] | None:
        """An article whose tables are pictures: its pictures fetched one by one, then the page and the pictures
        stored as one document (crawler.pictures). None when the body has no picture on this site to fetch."""
        urls = picture_urls(response.body, response.url, lambda url: self._same_site(code, url))
        if not urls:
            return None
        max_bytes = self.crawler.settings.getint("DOWNLOAD_MAXSIZE") if getattr(self, "crawler", None) else 0
        bundle = PictureBundle(_document_item(response, code, title, date), urls, max_bytes or 50 * 1024 * 1024)
        return self._next_picture(bundle)

    def _next_picture(self, bundle: PictureBundle) -> Iterator[Output]:
        code = bundle.page.site
        if not bundle.queue:
            if bundle.failed:
                self.tallies[code].note(f"{bundle.page.url} {len(bundle.failed)} 张图片未能取得")
            if bundle.pictures:
                yield bundle.document()
            else:  # nothing to read the tables from: as an image-only page before pictures were fetched
                yield FetchFailure(code, bundle.page.url, "unsupported",
                                   f"正文只有图片（{len(bundle.failed)} 张均未能取得），需要 OCR 识别",
                                   referer=bundle.page.referer, page_title=bundle.page.page_title)
            return
        url = bundle.queue.pop(0)
        self._requested[code] = self._requested.get(code, 0) + 1
        yield Request(url, callback=self.parse_picture, errback=self.picture_failed, priority=20, dont_filter=True,
                      headers={"Referer": bundle.page.final_url or bundle.page.url},
                      meta={"site": code, "role": "picture", "download_slot": site_slot(code), "bundle": bundle})

    def parse_picture(self, response: Response) -> Iterator[Output]:
        """One picture of an image-only article: kept with the page; then the next one, or the page stored."""
        bundle: PictureBundle = response.meta["bundle"]
        self.tallies[bundle.page.site].pages += 1
        why = bundle.add(response.url, response.body)
        if why:
            self.tallies[bundle.page.site].note(f"{response.url} {why}")
        yield from self._next_picture(bundle)

    def picture_failed(self, failure: Failure) -> Iterator[Output]:
        """A picture that could not be fetched: the page is stored without it (its reading then says so)."""
        request = failure.request  # type: ignore[attr-defined]
        bundle: PictureBundle = request.meta["bundle"]
        bundle.failed.append(request.url)
        response = getattr(failure.value, "response", None)
        reason = f"HTTP {response.status}" if response is not None else str(failure.value) or "下载失败"
        logger.info("%s: picture not fetched: %s", request.url, reason)
        yield from self._next_picture(bundle)

    def _article_not_modified(self, response: Response, code: str) -> Iterator[Output]:
        url = original_url(response)
        self.tallies[code].reports.add(url)
        yield NotModified(code, url)
        stored = self.gateway.stored_bytes(url) if self.gateway is not None else None
        if stored is None:  # attachments unknown without the page: fetch it once more, unconditionally
            yield request_of(response).replace(dont_filter=True, meta={**response.meta, "unconditional": True})
            return
        stored = archived_page(stored)
        page = TextResponse(url=url, body=stored, encoding=None)
        html, selector = page_text(url, stored, lambda: page.text)
        yield from self._article_items(url, url, html, selector, None, code)

    def parse_document(self, response: Response) -> Iterator[Output]:
        """An attachment (or an article that is itself the report): hand the bytes to the store."""
        code, tally = self._seen(response)
        tally.ok_pages += 1
        if response.status == 304:
            yield NotModified(code, original_url(response))
            return
        blocked = list(self._blocked(response, code, tally))
        if blocked:
            yield from blocked
            return
        yield from self._as_document(response, code)

    def _as_document(self, response: Response, code: str) -> Iterator[Output]:
        self.tallies[code].reports.add(original_url(response))
        yield _document_item(response, code, response.meta.get("page_title") or response.meta.get("link_text"),
                             response.meta.get("page_date"))

    def failed(self, failure: Failure) -> Iterator[Output]:
        """A request that could not be fetched: counted and noted (dead links, refused addresses, timeouts)."""
        request = failure.request  # type: ignore[attr-defined]
        code = request.meta.get("site")
        if code not in self.tallies:
            return
        tally = self.tallies[code]
        tally.errors += 1
        response = getattr(failure.value, "response", None)
        max_bytes = self.crawler.settings.getint("DOWNLOAD_MAXSIZE") if getattr(self, "crawler", None) else 0
        error = cast(BaseException, failure.value)  # Twisted sets it on every Failure it hands an errback
        reason = f"HTTP {response.status}" if response is not None else failure_reason(error, max_bytes)
        tally.note(f"{request.url} {reason}")
        logger.info("%s: %s", request.url, reason)
        if request.meta.get("role") in ("document", "article"):
            tally.reports.add(request.url)
            yield FetchFailure(code, request.url, "failed", reason,
                               referer=request.headers.get("Referer", b"").decode("latin-1") or None,
                               page_title=request.meta.get("page_title") or request.meta.get("link_text"))


_SUB_LIST = re.compile(r"部门|单位|机构|乡镇|街道")


def _context(meta: dict[str, Any]) -> dict[str, Any]:
    """Where a page sits: on the county's directory of departments, or inside one department's sub-site."""
    return {"directory": bool(meta.get("directory")), "department": meta.get("department"),
            "column": bool(meta.get("column"))}


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def site_slot(code: str) -> str:
    """The download slot of a county site (all its hosts share it).

    Set when the request is made, not in a downloader middleware: the scheduler's DownloaderAwarePriorityQueue
    picks the next request from the slot with the fewest downloads, and it reads the slot before any downloader
    middleware runs. Without it every request of sites sharing a host (or of one county's www./xxgk. hosts)
    looked like one slot to the queue, which then handed over one site's pages after another while the per-site
    limit kept all but a few waiting (bench/RESULTS.md).
    """
    return f"site-{code}"


def request_of(response: Response) -> Request:
    """The request a response answers (Scrapy sets it on every response a callback is given)."""
    if response.request is None:
        raise ValueError(f"{response.url}: a response without its request")
    return response.request


def original_url(response: Response) -> str:
    """The URL first requested, before any redirect."""
    return (response.meta.get("redirect_urls") or [request_of(response).url])[0]


def _referer(response: Response | None) -> str | None:
    if response is None:
        return None
    value = request_of(response).headers.get("Referer")
    return value.decode("latin-1") if value else None


def _document_item(response: Response, code: str, title: str | None, date: str | None) -> FetchedDocument:
    headers = response.headers
    def header(name: str) -> str | None:
        value = headers.get(name)
        return value.decode("latin-1") if value else None
    return FetchedDocument(code, original_url(response), response.body, final_url=response.url,
                           referer=_referer(response), content_type=header("Content-Type"), etag=header("ETag"),
                           last_modified=header("Last-Modified"), page_title=title, page_date=date,
                           link_text=response.meta.get("link_text"))
