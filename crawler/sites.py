"""The sites file (CSV: code, name, url, start_urls, hosts) and what counts as one county's site."""

from __future__ import annotations

import csv
import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from nianbao.errors import InputError

_CODE = re.compile(r"^\d{6}$")
REQUIRED = ("code", "name", "url")


@dataclass(frozen=True)
class Site:
    """One county portal to crawl."""

    code: str
    name: str
    url: str
    start_urls: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()  # other hosts of the county's site (a 信息公开 platform elsewhere), as URLs

    @property
    def starts(self) -> tuple[str, ...]:
        """The home page first, then the extra start URLs."""
        return (self.url, *[u for u in self.start_urls if u != self.url])


@lru_cache(maxsize=4096)
def _host_key(scheme: str, host: str, port: int | None) -> str:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        labels = host.split(".")
        if host.endswith(".gov.cn") and len(labels) > 3:
            return ".".join(labels[-3:])
        if len(labels) > 2 and labels[0] in ("www", "xxgk", "zwgk", "gk"):
            return ".".join(labels[1:])
        return host
    return f"{host}:{port or (443 if scheme == 'https' else 80)}"


def site_key(url: str) -> str:
    """One site per county: the registrable domain under gov.cn (last three labels), host:port for IPs."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return _host_key(parts.scheme, (parts.hostname or "").lower().rstrip("."), port)


def _check_url(url: str, path: Path, line: int, column: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{path}:{line}: {column} 列的 {url!r} 不是 http(s) 网址")
    return url


def read_sites(path: str | Path) -> list[Site]:
    """Read and validate a sites CSV (UTF-8, BOM tolerated); InputError names the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise InputError(f"{path}: 站点列表文件不存在") from error
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: 不是 UTF-8 文本（第 {error.start} 字节无法解码），请另存为 UTF-8 的 CSV") from error
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise InputError(f"{path}:1: 缺少列 {', '.join(missing)}（表头应为 code,name,url[,start_urls][,hosts]）")
    sites: list[Site] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if not any(row.values()):
            continue
        code = row.get("code", "")
        if not _CODE.match(code):
            raise InputError(f"{path}:{line}: code 列的 {code!r} 不是6位行政区划代码")
        if code in seen:
            raise InputError(f"{path}:{line}: 代码 {code} 已在第 {seen[code]} 行出现过")
        if not row.get("name"):
            raise InputError(f"{path}:{line}: name 列为空（应填县区名称）")
        url = _check_url(row.get("url", ""), path, line, "url")
        starts = tuple(_check_url(u, path, line, "start_urls") for u in row.get("start_urls", "").split(";")
                       if u.strip())
        hosts = tuple(_check_url(u, path, line, "hosts") for u in row.get("hosts", "").split(";") if u.strip())
        seen[code] = line
        sites.append(Site(code, row["name"], url, starts, hosts))
    if not sites:
        raise InputError(f"{path}: 没有站点（应有表头 code,name,url，每个县区一行）")
    return sites
