"""Recognise JS-challenge and WAF pages (瑞数 412 + $_ts, 加速乐 cookies…): recorded as blocked, never parsed."""

from __future__ import annotations

import re

_WORDS = ("请稍候", "安全验证", "访问异常")
_MARKERS = re.compile(
    rb"\$_ts|__jsl_clearance|acw_sc__v2|Just a moment|"
    + b"|".join(re.escape(w.encode(c)) for w in _WORDS for c in ("utf-8", "gb18030"))
)
# What each kind of challenge is, in the words of messages people read.
CHALLENGE_NAMES = {"ruishu": "瑞数动态验证", "waf": "防火墙验证页", "js-shell": "需运行脚本才显示内容的页面"}
_SCRIPT = re.compile(rb"<script\b.*?</script>", re.S | re.I)
_TAGS = re.compile(rb"<[^>]+>")


def challenge_kind(status: int, body: bytes) -> str | None:
    """'ruishu' / 'waf' / 'js-shell' when the response is a challenge instead of content, else None."""
    head = body[:3072]
    if status == 412:
        return "ruishu" if b"$_ts" in head else "waf"
    if _MARKERS.search(head):
        return "ruishu" if b"$_ts" in head else "waf"
    if status == 200 and len(body) < 2048 and b"<script" in head.lower():
        # A ~1 KB script-only shell (江西 counties): nothing readable outside the scripts,
        # and not a plain location.replace redirect, which discovery follows instead.
        visible = _TAGS.sub(b"", _SCRIPT.sub(b"", body)).strip()
        if not visible and b"location" not in body and b"document.cookie" in body:
            return "js-shell"
        if not visible and b"location" not in body and len(body) > 600:
            return "js-shell"
    return None
