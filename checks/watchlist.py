"""The watch list (agencies.csv): county code, agency name, optional email of the person responsible, optional year
since which the agency no longer exists (retired: merged, abolished) and why."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from checks.agencies import agency_key as _agency_key
from nianbao.config_values import looks_like_email
from nianbao.errors import InputError

_COUNTY = re.compile(r"^\d{6}$")
_YEAR = re.compile(r"^(19|20|21)\d\d$")


@dataclass(frozen=True)
class WatchedAgency:
    county: str
    agency: str
    email: str | None = None
    retired_since: int | None = None  # first report year the agency no longer owes (it was merged or abolished)
    retired_reason: str | None = None

    @property
    def agency_key(self) -> str:
        return _agency_key(self.agency)


@dataclass(frozen=True)
class ListedAgency:
    """An agency the county's portal lists in its directory of departments (agencies.listed_on_portal)."""

    county: str
    name: str
    url: str | None = None


def read_watch_list(path: Path) -> list[WatchedAgency]:
    """Read agencies.csv (a header line is optional); a bad line raises InputError naming file and line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputError(f"{path}: 无法读取关注名单（{error.strerror}）") from error
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: 关注名单应为 UTF-8 文本（请另存为 UTF-8 的 CSV）") from error
    watched: list[WatchedAgency] = []
    for number, row in enumerate(csv.reader(text.splitlines()), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if number == 1 and not any(ch.isdigit() for ch in cells[0]):
            continue  # header such as county_code,agency,email
        if len(cells) < 2 or not cells[1]:
            raise InputError(f"{path}:{number}: 每行应为：县区代码,单位名称[,电子邮件[,撤销年度[,原因]]]")
        if not _COUNTY.match(cells[0]):
            raise InputError(f"{path}:{number}: {cells[0]!r} 不是6位县区行政区划代码")
        email = cells[2] if len(cells) > 2 and cells[2] else None
        if email and not looks_like_email(email):
            raise InputError(f"{path}:{number}: {email!r} 不是电子邮件地址")
        since_text = cells[3] if len(cells) > 3 else ""
        if since_text and not _YEAR.match(since_text):
            raise InputError(f"{path}:{number}: 撤销年度 {since_text!r} 不是年份（如 2025）")
        reason = cells[4] if len(cells) > 4 and cells[4] else None
        watched.append(WatchedAgency(cells[0], cells[1], email, int(since_text) if since_text else None, reason))
    return watched
