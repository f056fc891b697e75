"""What a value in nianbao.toml may be: small checkers the sections' key tables are built from.

A checker takes the value and the folder of the configuration file (relative paths are relative to it) and
raises Invalid saying, in Chinese, what the value should be. A base module: it imports nothing of the project.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

Checker = Callable[[Any, Path], None]
Keys = Mapping[str, Checker]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
UNSET: Any = object()  # an Invalid whose value the caller fills in
HIDDEN: Any = object()  # an Invalid whose value is not to be repeated in the message
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def looks_like_email(text: str) -> bool:
    """name@host.domain, no spaces: what a recipient address or a watch list's email must look like."""
    return bool(_EMAIL.match(text))


class Invalid(Exception):
    """A value that is not what its key accepts; `keys` say where below the key it sits (list index, table key)."""

    def __init__(self, problem: str, keys: tuple[str | int, ...] = (), value: Any = UNSET,
                 unknown: bool = False) -> None:
        super().__init__(problem)
        self.problem, self.keys, self.value, self.unknown = problem, keys, value, unknown


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def whole(minimum: int | None = None, maximum: int | None = None) -> Checker:
    """An integer (not 4.0, not "4"), within bounds."""
    span = (f"{minimum}–{maximum} 的整数" if minimum is not None and maximum is not None
            else f"≥ {minimum} 的整数" if minimum is not None else "整数")

    def check(value: Any, folder: Path) -> None:
        if not _is_int(value) or (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise Invalid(f"应为 {span}")
    return check


def number(minimum: float | None = None, maximum: float | None = None, *, above: bool = False) -> Checker:
    """A number (integer or decimal); `above`: strictly greater than minimum."""
    low = f"{'>' if above else '≥'} {minimum}"
    span = (f"{minimum} 到 {maximum} 之间的数" if minimum is not None and maximum is not None
            else f"{low} 的数" if minimum is not None else "数")

    def check(value: Any, folder: Path) -> None:
        if not (_is_int(value) or isinstance(value, float)):
            raise Invalid(f"应为{span}（不加引号）")
        if minimum is not None and (value <= minimum if above else value < minimum):
            raise Invalid(f"应为 {span}")
        if maximum is not None and value > maximum:
            raise Invalid(f"应为 {span}")
    return check


def boolean(value: Any, folder: Path) -> None:
    if not isinstance(value, bool):
        raise Invalid("应为 true 或 false（不加引号）")


def text(value: Any, folder: Path) -> None:
    if not isinstance(value, str):
        raise Invalid("应为字符串（加引号）")


def nonempty_text(value: Any, folder: Path) -> None:
    if not isinstance(value, str) or not value.strip():
        raise Invalid("应为非空字符串（加引号）")


def one_of(*choices: str, what: str = "") -> Checker:
    """One of the choices; `what` names them when they are too many to list."""
    def check(value: Any, folder: Path) -> None:
        if value not in choices:
            raise Invalid(f"应为{what or ' ' + '、'.join(choices) + ' 之一'}{nearest(value, choices)}")
    return check


def url(*schemes: str, empty_ok: bool = False) -> Checker:
    """An absolute URL with one of the schemes (and a host unless the scheme is unix)."""
    wanted = " 或 ".join(f"{scheme}://" for scheme in schemes)

    def check(value: Any, folder: Path) -> None:
        if empty_ok and value == "":
            return
        parts = urlsplit(value) if isinstance(value, str) else None
        if parts is None or parts.scheme not in schemes or (parts.scheme != "unix" and not parts.hostname):
            raise Invalid(f"应为以 {wanted} 开头的完整网址" + ("（或空字符串）" if empty_ok else ""))
    return check


def email(value: Any, folder: Path) -> None:
    """An address like name@example.org."""
    if not isinstance(value, str) or not _EMAIL.match(value):
        raise Invalid("应为电子邮件地址，如 \"name@example.org\"")


def sender(value: Any, folder: Path) -> None:
    """A From: address: name@host (a local host such as localhost is fine), optionally with a display name."""
    address = parseaddr(value)[1] if isinstance(value, str) else ""
    if not re.fullmatch(r"[^@\s]+@[^@\s]+", address):
        raise Invalid("应为电子邮件地址，如 \"nianbao@example.org\"")


def clock_time(value: Any, folder: Path) -> None:
    """HH:MM, 24-hour."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", value) if isinstance(value, str) else None
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise Invalid("应为 24 小时制时刻，如 \"06:00\"")


def parse_month_day(value: str) -> tuple[int, int]:
    """"01-31" → (1, 31); ValueError if it is no day of the year (02-29 is one)."""
    match = re.fullmatch(r"\s*(\d{1,2})-(\d{1,2})\s*", value)
    if not match:
        raise ValueError(value)
    month, day = int(match[1]), int(match[2])
    date(2000, month, day)  # 2000 is a leap year
    return month, day


def month_day(value: Any, folder: Path) -> None:
    try:
        parse_month_day(value if isinstance(value, str) else "")
    except ValueError as error:
        raise Invalid("应为月-日，如 \"01-31\"") from error


def month_day_range(value: Any, folder: Path) -> None:
    """"02-01..04-30" (it may wrap over the new year: "12-01..02-28")."""
    try:
        start, end = (value if isinstance(value, str) else "").split("..")
        parse_month_day(start), parse_month_day(end)
    except ValueError as error:
        raise Invalid("应为日期范围 月-日..月-日，如 \"02-01..04-30\"") from error


def parse_weekday(value: str) -> int:
    """"mon" or "Monday" → 0; ValueError for anything else."""
    name = value.strip().lower()
    for number, (short, full) in enumerate(zip(WEEKDAYS, WEEKDAY_NAMES, strict=True)):
        if name in (short, full):
            return number
    raise ValueError(value)


def weekday(value: Any, folder: Path) -> None:
    try:
        parse_weekday(value if isinstance(value, str) else "")
    except ValueError as error:
        raise Invalid(f"应为星期几：{'、'.join(WEEKDAYS)} 之一{nearest(value, WEEKDAYS)}") from error


def division_prefix(value: Any, folder: Path) -> None:
    """A division code or its prefix: 2 to 6 digits (14 = 山西省, 1405 = 晋城市)."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{2,6}", value):
        raise Invalid("应为 2–6 位行政区划代码（加引号），如 \"1405\"")


def host_port(value: Any, folder: Path) -> None:
    if not isinstance(value, str) or not re.fullmatch(r"(\[[0-9a-fA-F:.]+\]|[^:\s\[\]]+):\d{1,5}", value):
        raise Invalid("应为 主机:端口，如 \"127.0.0.1:8080\"")


def existing_file(*, relative_to_config: bool) -> Checker:
    """A file that exists now (relative to nianbao.toml's folder, or to the current folder)."""
    def check(value: Any, folder: Path) -> None:
        nonempty_text(value, folder)
        path = Path(value).expanduser()
        if relative_to_config and not path.is_absolute():
            path = folder / path
        if not path.is_file():
            raise Invalid(f"指向的文件不存在：{path}" if not path.exists() else f"指向的不是文件：{path}")
    return check


def list_of(item: Checker, *, single_ok: bool = False) -> Checker:
    """A list whose every item passes `item`; `single_ok`: one bare item is accepted too."""
    def check(value: Any, folder: Path) -> None:
        if single_ok and not isinstance(value, list):
            value = [value]
        if not isinstance(value, list):
            raise Invalid("应为列表，如 [\"a\", \"b\"]")
        for index, entry in enumerate(value):
            try:
                item(entry, folder)
            except Invalid as error:
                raise Invalid(error.problem, (index, *error.keys),
                              entry if error.value is UNSET else error.value) from None
    return check


def table_of(item: Checker, example: str) -> Checker:
    """A table (inline or not) whose every value passes `item`, whatever its keys."""
    def check(value: Any, folder: Path) -> None:
        if not isinstance(value, dict):
            raise Invalid(f"应为表，如 {example}")
        for key, entry in value.items():
            try:
                item(entry, folder)
            except Invalid as error:
                raise Invalid(error.problem, (key, *error.keys),
                              entry if error.value is UNSET else error.value) from None
    return check


def tables(keys: Keys, required: Iterable[str] = (), one_of: Iterable[str] = ()) -> Checker:
    """An array of tables ([[alerts.recipients]]): each with only these keys, the required ones present, and one
    of `one_of` (when given) present."""
    needed = tuple(required)
    alternatives = tuple(one_of)

    def check(value: Any, folder: Path) -> None:
        if not isinstance(value, list):
            raise Invalid("应为表的数组（[[…]]）")
        for index, entry in enumerate(value):
            if not isinstance(entry, dict):
                raise Invalid("应为表", (index,), entry)
            for key in needed:
                if key not in entry:
                    raise Invalid(f"缺少 {key}", (index,), HIDDEN)
            if alternatives and not any(key in entry for key in alternatives):
                raise Invalid(f"缺少 {' 或 '.join(alternatives)}", (index,), HIDDEN)
            try:
                check_table(entry, keys, folder)
            except Invalid as error:
                raise Invalid(error.problem, (index, *error.keys), error.value, error.unknown) from None
    return check


def refused(reason: str) -> Checker:
    """A key that must never be set (e.g. a password in the file)."""
    def check(value: Any, folder: Path) -> None:
        raise Invalid(reason, value=HIDDEN)
    return check


def check_table(table: Mapping[str, Any], keys: Keys, folder: Path) -> None:
    """Every key of the table known, every value accepted; Invalid at the first one that is not."""
    for key, value in table.items():
        if key not in keys:
            raise Invalid(nearest(key, keys) or f"（可用的有：{', '.join(keys)}）", (key,), unknown=True)
        try:
            keys[key](value, folder)
        except Invalid as error:
            raise Invalid(error.problem, (key, *error.keys), value if error.value is UNSET else error.value,
                          error.unknown) from None


def nearest(word: Any, choices: Iterable[str], shape: str = "{}") -> str:
    """（是否想写 X？） for the closest choice (written as `shape` says), or nothing."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"（是否想写 {shape.format(close[0])}？）" if close else ""
