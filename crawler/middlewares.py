"""Downloader middlewares: refuse private addresses (also after redirects) and make conditional GETs."""

from __future__ import annotations

import ipaddress
import logging
import socket
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.gateway import StoreGateway
from crawler.session import CrawlSession

logger = logging.getLogger(__name__)


class ForbiddenAddress(IgnoreRequest):
    """A request to a private, loopback or link-local address while private networks are not allowed."""


def is_forbidden_ip(address: str) -> bool:
    """True for loopback, private, link-local, reserved, multicast or unspecified addresses."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast
            or ip.is_unspecified or not ip.is_global)


def resolve(host: str) -> list[str]:
    """Every address the host name resolves to (an IP literal resolves to itself)."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


class NetGuardMiddleware:
    """Refuses, before connecting, any request whose host resolves to a non-public address.

    Redirects come back through the middleware chain as new requests, so they are checked too.
    `allowed_private_hosts` (host:port) lets tests allow exactly the fixture server.
    """

    def __init__(self, allow_private: bool, allowed_hosts: set[str]) -> None:
        self.allow_private = allow_private
        self.allowed_hosts = allowed_hosts
        self._verdicts: dict[str, str | None] = {}  # host → first forbidden address, None when all public

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NetGuardMiddleware:
        settings = crawler.settings
        if settings.getbool("NIANBAO_ALLOW_PRIVATE_NETWORKS"):
            raise NotConfigured("private networks allowed")  # no per-request coroutine for nothing
        return cls(False, set(settings.getlist("NIANBAO_ALLOWED_PRIVATE_HOSTS")))

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if self.allow_private:
            return None
        parts = urlsplit(request.url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if f"{host}:{port}" in self.allowed_hosts:
            return None
        if host not in self._verdicts:  # one lookup per host and crawl; the resolver re-checks at connect time
            try:
                addresses = await maybe_deferred_to_future(deferToThread(resolve, host))
            except OSError as error:
                raise IgnoreRequest(f"域名 {host} 无法解析（{error.strerror or error}）") from error
            self._verdicts[host] = next((a for a in addresses if is_forbidden_ip(a)), None)
        bad = self._verdicts[host]
        if bad:
            message = (f"拒绝访问 {request.url}：{host} 解析为内网地址 {bad}（不允许访问内网；如确需访问，"
                       "请加 --allow-private-networks）")
            logger.warning(message)
            raise ForbiddenAddress(message)
        return None


class ConditionalGetMiddleware:
    """Adds If-None-Match / If-Modified-Since to requests for documents already in the store."""

    def __init__(self, gateway: StoreGateway) -> None:
        self.gateway = gateway

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        gateway = CrawlSession.of(crawler).gateway
        if gateway is None:
            raise NotConfigured("no store gateway: nothing is stored to ask for")
        return cls(gateway)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if request.meta.get("unconditional") or request.method != "GET":
            return None
        if request.meta.get("role") not in ("document", "article"):
            return None
        stored = self.gateway.document_by_url(request.url)
        if not stored or stored.get("status") == "blocked":
            return None
        if stored.get("etag"):
            request.headers.setdefault(b"If-None-Match", stored["etag"].encode("latin-1"))
        if stored.get("last_modified"):
            request.headers.setdefault(b"If-Modified-Since", stored["last_modified"].encode("latin-1"))
        return None


class SiteSlotMiddleware:
    """One download slot per county site (not per host name), so per-site concurrency and throttling hold
    across www./xxgk. hosts and for loopback fixtures that differ only by port."""

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        code = request.meta.get("site")
        if code and "download_slot" not in request.meta:
            request.meta["download_slot"] = f"site-{code}"  # requests the spider made carry it already
        return None


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's DNS resolver, refusing non-public answers at connect time too (so a name that resolves to a
    public address for the middleware's check and to a private one for the connection is still refused)."""

    allow_private: bool = False
    allowed_names: frozenset[str] = frozenset()

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> GuardedResolver:
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_private = crawler.settings.getbool("NIANBAO_ALLOW_PRIVATE_NETWORKS")
        resolver.allowed_names = frozenset(
            host.rsplit(":", 1)[0] for host in crawler.settings.getlist("NIANBAO_ALLOWED_PRIVATE_HOSTS"))
        return resolver

    def getHostByName(self, name: str, timeout: Any = ()) -> Any:  # noqa: N802 - Twisted's interface
        deferred = super().getHostByName(name, timeout)
        if self.allow_private or name in self.allowed_names:
            return deferred

        def check(address: str) -> str:
            if is_forbidden_ip(address):
                raise ForbiddenAddress(f"拒绝访问 {name}：解析为内网地址 {address}（不允许访问内网；如确需访问，"
                                       "请加 --allow-private-networks）")
            return address

        return deferred.addCallback(check)
