"""Digests to group bots and webhooks through Apprise: WeCom (企业微信) bot, DingTalk (钉钉) bot with its signing
secret, Feishu (飞书) bot, generic JSON. The webhook address and secret come only from environment variables.

Each service takes messages up to a size; a longer digest is sent in parts, cut between departments (or between
lines when one department is longer still), each part marked （第i/n部分）.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import apprise

from alerts.digest import Digest
from alerts.settings import Recipient
from nianbao.errors import DeliveryError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Service:
    name: str  # in messages
    limit: int  # bytes of UTF-8 per message, a margin below the service's own limit
    markdown: bool  # whether the service (through Apprise) renders Markdown; else the plain-text digest is sent


SERVICES = {
    # WeCom bot text messages: at most 2048 bytes; Apprise sends them as text.
    "wecom": Service("企业微信机器人", 2000, False),
    # DingTalk and Feishu bots: about 20,000 bytes.
    "dingtalk": Service("钉钉机器人", 18000, True),
    "feishu": Service("飞书机器人", 18000, False),
    "json": Service("JSON 网络钩子", 60000, True),
}
_PART_MARK = "（第{}/{}部分）\n"
_PART_MARK_ROOM = 40


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut(text: str, limit: int) -> list[str]:
    """Lines of a text that is longer than limit, packed; a line longer than limit cut by characters."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while _size(line) > limit:
            head = line.encode("utf-8")[:limit].decode("utf-8", "ignore")
            if current:
                pieces.append(current)
                current = ""
            pieces.append(head)
            line = line[len(head):]
        candidate = f"{current}\n{line}" if current else line
        if _size(candidate) > limit and current:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def pack(blocks: tuple[str, ...] | list[str], limit: int) -> list[tuple[str, set[int]]]:
    """Blocks packed into messages of at most `limit` bytes (separated by a blank line), numbered when several;
    with each message, the blocks (by position) it holds all or part of."""
    room = limit - _PART_MARK_ROOM
    messages: list[tuple[str, set[int]]] = []
    current, holds = "", set[int]()
    for number, block in enumerate(blocks):
        for piece in ([block] if _size(block) <= room else _cut(block, room)):
            candidate = f"{current}\n\n{piece}" if current else piece
            if _size(candidate) > room and current:
                messages.append((current, holds))
                current, holds = piece, {number}
            else:
                current = candidate
                holds.add(number)
    if current:
        messages.append((current, holds))
    if len(messages) > 1:
        messages = [(_PART_MARK.format(i, len(messages)) + text, held)
                    for i, (text, held) in enumerate(messages, start=1)]
    return messages


def split_message(blocks: tuple[str, ...] | list[str], limit: int) -> list[str]:
    """The texts of pack(blocks, limit)."""
    return [text for text, _ in pack(blocks, limit)]


class PartlyDelivered(DeliveryError):
    """Some messages of a split digest were delivered: `delivered` holds the positions of the items that were shown
    whole in delivered messages."""

    def __init__(self, message: str, delivered: set[int]) -> None:
        super().__init__(message)
        self.delivered = delivered


def _env(name: str | None, what: str) -> str:
    value = os.environ.get(name or "")
    if not name or not value:
        raise DeliveryError(f"环境变量 {name}（{what}）未设置")
    return value.strip()


def apprise_url(recipient: Recipient) -> str:
    """The Apprise URL of a webhook recipient, from the address its environment variable holds (as the service
    shows it, e.g. https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…, or just the key or token)."""
    service = recipient.webhook or ""
    address = _env(recipient.url_env, f"{recipient.address} 的 webhook 地址")
    parts = urlsplit(address)
    query = parse_qs(parts.query)
    if service == "wecom":
        key = query.get("key", [""])[0] if parts.scheme else address
        return f"wecombot://{key}"
    if service == "dingtalk":
        token = query.get("access_token", [""])[0] if parts.scheme else address
        secret = _env(recipient.secret_env, f"{recipient.address} 的钉钉加签密钥") \
            if recipient.secret_env else ""
        return f"dingtalk://{secret}@{token}/" if secret else f"dingtalk://{token}/"
    if service == "feishu":
        token = parts.path.rstrip("/").rsplit("/", 1)[-1] if parts.scheme else address
        return f"feishu://{token}"
    if service == "json":
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise DeliveryError(f"{recipient.address}: {recipient.url_env} 应为 http:// 或 https:// 地址")
        scheme = "jsons" if parts.scheme == "https" else "json"
        return f"{scheme}://{parts.netloc}{parts.path}" + (f"?{parts.query}" if parts.query else "")
    raise DeliveryError(f"{recipient.address}: 未知的 webhook 服务 {service!r}")


def send_digest(recipient: Recipient, digest: Digest) -> int:
    """Deliver a digest to a webhook recipient, in as many messages as its size limit needs; how many were sent.
    Any refusal raises DeliveryError (the caller keeps the alerts pending)."""
    service = SERVICES[recipient.webhook or ""]
    url = apprise_url(recipient)
    blocks = digest.markdown_blocks if service.markdown else digest.text_blocks
    block_items = digest.markdown_items if service.markdown else digest.text_items
    packed = pack(blocks, service.limit)
    messages = [text for text, _ in packed]
    notifier = apprise.Apprise()
    if not notifier.add(url):
        raise DeliveryError(f"{recipient.address}: {recipient.url_env} 中的地址不是有效的 {service.name} webhook")
    body_format = apprise.NotifyFormat.MARKDOWN if service.markdown else apprise.NotifyFormat.TEXT
    for number, message in enumerate(messages, start=1):
        with apprise.LogCapture(level=logging.WARNING) as captured:
            delivered = notifier.notify(body=message, title=digest.subject if service.markdown else "",
                                        body_format=body_format)
        if not delivered:
            detail = " ".join(captured.getvalue().split())[-300:]
            problem = (f"{recipient.address}（{service.name}）：第 {number}/{len(messages)} 条消息未送达"
                       f"{'（服务返回：' + detail + '）' if detail else ''}")
            if number == 1:
                raise DeliveryError(problem)
            # A block cut over several messages counts only if all of them went.
            unsent = set().union(*(held for _, held in packed[number - 1:]))
            whole = {block for _, held in packed[:number - 1] for block in held} - unsent
            raise PartlyDelivered(problem, {item for block in whole for item in block_items[block]})
    logger.info("sent %r to %s in %d messages", digest.subject, recipient.address, len(messages))
    return len(messages)
