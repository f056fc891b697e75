"""Bounds on what a portal's response can make the crawl process hold, beyond Scrapy's body size limit.

Twisted's HTTP client keeps every response header line it receives, with no limit on their size: a server
sending endless headers drove the crawl process to gigabytes within one timeout. The header block of a real
portal response is under 10 kB.
"""

from __future__ import annotations

import re
from typing import Any

from scrapy.exceptions import DownloadCancelledError
from twisted.internet.defer import CancelledError
from twisted.web import _newclient

MAX_HEADER_BYTES = 256 * 1024


class HeadersTooLarge(Exception):
    """A response whose header block is over the limit."""

    def __init__(self) -> None:
        super().__init__(f"响应头超过上限 {MAX_HEADER_BYTES // 1024} KiB")


# Scrapy parses with its own subclass of HTTPClientParser (which overrides lineReceived), so the bytes are counted
# where every subclass receives them. The chunk that ends the headers may carry body bytes too: the limit is far
# above any real header block, so that does not matter.
_original_data_received = _newclient.HTTPClientParser.dataReceived


def _bounded_data_received(self: Any, data: bytes) -> Any:
    if self.state in (_newclient.STATUS, _newclient.HEADER):
        self._nianbao_header_bytes = getattr(self, "_nianbao_header_bytes", 0) + len(data)
        if self._nianbao_header_bytes > MAX_HEADER_BYTES:
            raise HeadersTooLarge()  # the client protocol gives up on the response and closes the connection
    return _original_data_received(self, data)


def bound_response_headers() -> None:
    """Install the header limit in this process's Twisted HTTP client (idempotent)."""
    _newclient.HTTPClientParser.dataReceived = _bounded_data_received  # type: ignore[method-assign]


def failure_reason(error: BaseException, max_bytes: int) -> str:
    """What to record for a request that failed: the limit it broke in words, else the error itself."""
    # Scrapy hands over Twisted's ResponseFailed as a DownloadFailedError holding only the reasons' text.
    if HeadersTooLarge.__name__ in str(error) or any(
            isinstance(getattr(reason, "value", None), HeadersTooLarge) for reason in getattr(error, "reasons", ())):
        return str(HeadersTooLarge())
    if isinstance(error, CancelledError | DownloadCancelledError):  # Scrapy cancels one past DOWNLOAD_MAXSIZE
        return f"超过大小上限 {max_bytes / 1024 / 1024:.0f} MiB（或下载被取消）"
    return network_error_text(error)


# Twisted's and Scrapy's network errors (by class name, along the class hierarchy) in words.
_NETWORK_ERRORS = {
    "ConnectionRefusedError": "连接被拒绝（网站未开放此端口或服务已停止）",
    "DownloadConnectionRefusedError": "连接被拒绝（网站未开放此端口或服务已停止）",
    "CannotResolveHostError": "域名无法解析（网址有误，或网站已停用）",
    "DownloadTimeoutError": "连接超时（网站无响应）",
    "ResponseDataLossError": "连接中断，响应不完整",
    "UnsupportedURLSchemeError": "不支持的网址类型（只支持 http 和 https）",
    "DNSLookupError": "域名无法解析（网址有误，或网站已停用）",
    "TCPTimedOutError": "连接超时（网站无响应）",
    "TimeoutError": "连接超时（网站无响应）",
    "ConnectionLost": "连接中断，未收到完整响应",
    "ConnectionDone": "连接中断，未收到完整响应",
    "ResponseNeverReceived": "网站关闭了连接，未返回任何响应",
    "ResponseFailed": "连接中断，未收到完整响应",
    "DownloadFailedError": "连接中断，未收到完整响应",
    "NoRouteError": "无法连接到网站（网络不通）",
    "ConnectError": "无法连接到网站",
    "SSLError": "HTTPS 加密连接失败（证书或加密设置有误）",
}


def network_error_text(error: BaseException) -> str:
    """A network error in Chinese words; an error of a kind not known here says its class and its own text."""
    if re.search(r"[\u4e00-\u9fff]", str(error)):  # nianbao's own refusals (private address, Retry-After)
        return str(error)
    for kind in type(error).__mro__:
        if kind.__name__ in _NETWORK_ERRORS:
            return _NETWORK_ERRORS[kind.__name__]
    if "SSL" in type(error).__name__ or "certificate" in str(error):
        return _NETWORK_ERRORS["SSLError"]
    return f"下载失败（{type(error).__name__}：{error}）" if str(error) else f"下载失败（{type(error).__name__}）"
