"""The [smtp] and [alerts] sections of nianbao.toml, with defaults."""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from checks.model import SEVERITIES, SEVERITY
from nianbao.config_values import (
    Keys,
    boolean,
    division_prefix,
    email,
    existing_file,
    list_of,
    looks_like_email,
    nonempty_text,
    number,
    one_of,
    refused,
    sender,
    tables,
    text,
    url,
    whole,
)
from nianbao.errors import ConfigError

Security = Literal["none", "ssl", "starttls"]
DEFAULT_DATASETTE_URL = "http://127.0.0.1:8001/nianbao"
# Pseudo-rules for alerts that are not findings, usable in a recipient's `rules`.
CRAWL_RULE = "crawl_failed"
JOB_RULE = "job_failed"

# [smtp] and [alerts] as nianbao.toml may set them.
SMTP_KEYS: Keys = {
    "host": nonempty_text,
    "port": whole(1, 65535),
    "security": one_of("none", "ssl", "starttls"),
    "ssl": boolean,
    "starttls": boolean,
    "user": text,
    "password_env": text,
    "password": refused("不能写在文件里：把密码放进环境变量，用 password_env 指明变量名"),
    "ca_file": existing_file(relative_to_config=False),
    "sender": sender,
    "from": sender,
    "timeout": number(0, above=True),
}
WEBHOOK_SERVICES = ("wecom", "dingtalk", "feishu", "json")
RECIPIENT_KEYS: Keys = {
    "email": email,
    "webhook": one_of(*WEBHOOK_SERVICES),
    "name": nonempty_text,
    "url_env": nonempty_text,
    "secret_env": nonempty_text,
    "weekly_summary": boolean,
    "counties": list_of(division_prefix, single_ok=True),
    "rules": list_of(one_of(*SEVERITY, CRAWL_RULE, JOB_RULE,
                            what="规则代码（README 的 The checks 一节）或 crawl_failed、job_failed"), single_ok=True),
    "severities": list_of(one_of(*SEVERITIES), single_ok=True),
}
ALERTS_KEYS: Keys = {
    "datasette_url": url("http", "https"),
    "crawl_failures": whole(1),
    "subject_prefix": text,
    "fix_days": whole(1, 365),
    "remind_every_days": whole(1, 365),
    "recipients": tables(RECIPIENT_KEYS, one_of=["email", "webhook"]),
}


@dataclass(frozen=True)
class SmtpSettings:
    """[smtp]: the password is never in the file, only the name of the environment variable holding it."""

    host: str = "127.0.0.1"
    port: int = 25
    security: Security = "none"
    user: str | None = None
    password_env: str | None = None
    sender: str = "nianbao@localhost"
    timeout: float = 30.0
    ca_file: Path | None = None  # PEM CA bundle trusted instead of the system store (ssl, starttls)

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> SmtpSettings:
        """Read [smtp]; `ssl = true` or `starttls = true` are accepted as well as `security = "…"`."""
        security: Any = section.get("security")
        if security is None:
            security = "ssl" if section.get("ssl") else "starttls" if section.get("starttls") else "none"
        if security not in ("none", "ssl", "starttls"):
            raise ConfigError(f"[smtp] security 应为 none、ssl 或 starttls，而不是 {security!r}")
        if "password" in section:
            raise ConfigError("[smtp] password 不能写在文件里：把密码放进环境变量，用 password_env 指明变量名")
        host = str(section.get("host", "127.0.0.1"))
        if security == "none" and section.get("password_env") and not _on_this_machine(host):
            raise ConfigError(f"[smtp] 设置了 password_env，但 security 为 none：密码将以明文发往 {host}；"
                              "请设置 security = \"starttls\" 或 \"ssl\"（只有本机上的邮件中继才允许明文登录）",
                              key=("smtp", "password_env"))
        default_port = {"none": 25, "ssl": 465, "starttls": 587}[security]
        try:
            port = int(section.get("port", default_port))
            timeout = float(section.get("timeout", 30))
        except (TypeError, ValueError) as error:
            raise ConfigError(f"[smtp] port 和 timeout 应为数字（{error}）") from error
        return cls(
            host=host, port=port, security=cast(Security, security),
            user=section.get("user") or None, password_env=section.get("password_env") or None,
            sender=str(section.get("sender", section.get("from", "nianbao@localhost"))), timeout=timeout,
            ca_file=_ca_file(section.get("ca_file")),
        )


def _on_this_machine(host: str) -> bool:
    """A loopback address or localhost: the mail never leaves the machine."""
    if host.strip().lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


_CA_FILE = ("smtp", "ca_file")


def _ca_file(value: Any) -> Path | None:
    """[smtp] ca_file checked now: a missing, unreadable or non-PEM file is a ConfigError naming it."""
    if not value:
        return None
    path = Path(str(value)).expanduser()
    try:
        ssl.create_default_context(cafile=str(path))
    except FileNotFoundError as error:
        raise ConfigError(f"[smtp] ca_file {path}：文件不存在", key=_CA_FILE) from error
    except ssl.SSLError as error:
        raise ConfigError(f"[smtp] ca_file {path}：其中没有 PEM 格式的证书（{error.reason}）", key=_CA_FILE) from error
    except OSError as error:
        raise ConfigError(f"[smtp] ca_file {path}：无法读取（{error.strerror or error}）", key=_CA_FILE) from error
    return path


@dataclass(frozen=True)
class Recipient:
    """One [[alerts.recipients]] entry: an email address or a webhook (a group bot), and what it subscribes to
    (empty = everything)."""

    email: str
    counties: tuple[str, ...] = ()  # division code prefixes, e.g. "1405" for 晋城市
    rules: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    agency_key: str | None = None  # set for a watch-list contact: only that agency's findings
    webhook: str | None = None  # wecom, dingtalk, feishu or json: a webhook instead of an email address
    name: str | None = None  # the webhook's name, e.g. 青山县政务公开群 (its alerts are recorded under it)
    url_env: str | None = None  # environment variable holding the webhook address (it contains the bot's key)
    secret_env: str | None = None  # environment variable holding DingTalk's signing secret
    weekly_summary: bool = False  # once a week: per department, findings open, overdue, fixed

    @property
    def address(self) -> str:
        """What alerts record as their recipient: the email address, or webhook:<service>:<name>."""
        return f"webhook:{self.webhook}:{self.name}" if self.webhook else self.email


@dataclass(frozen=True)
class AlertSettings:
    """[alerts]: recipients, the Datasette base URL for links, when a failing crawl is alerted."""

    recipients: tuple[Recipient, ...] = ()
    datasette_url: str = DEFAULT_DATASETTE_URL
    crawl_failures: int = 2  # consecutive failed/empty/blocked crawls of a county before an alert
    subject_prefix: str = "【年报监测】"
    fix_days: int = 15  # a finding should be fixed this many days after it was first seen
    remind_every_days: int = 7  # an overdue open finding is reminded at most this often
    smtp: SmtpSettings = field(default_factory=SmtpSettings)

    @classmethod
    def from_config(cls, alerts: Mapping[str, Any], smtp: Mapping[str, Any]) -> AlertSettings:
        """Read [alerts] and [smtp]; a bad recipient raises ConfigError naming it."""
        recipients = []
        for position, entry in enumerate(alerts.get("recipients", []), start=1):
            recipients.append(_recipient(entry, position))
        _one_scope_per_name(recipients)
        try:
            failures = int(alerts.get("crawl_failures", 2))
            fix_days = int(alerts.get("fix_days", 15))
            remind_every_days = int(alerts.get("remind_every_days", 7))
        except (TypeError, ValueError) as error:
            raise ConfigError("[alerts] crawl_failures、fix_days 和 remind_every_days 应为整数") from error
        return cls(
            recipients=tuple(recipients),
            datasette_url=str(alerts.get("datasette_url", DEFAULT_DATASETTE_URL)).rstrip("/"),
            crawl_failures=max(1, failures),
            subject_prefix=str(alerts.get("subject_prefix", "【年报监测】")),
            fix_days=max(1, fix_days), remind_every_days=max(1, remind_every_days),
            smtp=SmtpSettings.from_section(smtp),
        )


def _one_scope_per_name(recipients: list[Recipient]) -> None:
    """Recipients may share a name (an office's email and its group bot), not with different subscriptions: the
    name is their Atom feed's (/-/feeds/recipients/<name>.atom), which would not know whose to follow."""
    scopes: dict[str, tuple[int, tuple[tuple[str, ...], ...]]] = {}
    for position, recipient in enumerate(recipients, start=1):
        if not recipient.name:
            continue
        scope = (recipient.counties, recipient.rules, recipient.severities)
        first, seen = scopes.setdefault(recipient.name, (position, scope))
        if seen != scope:
            raise ConfigError(f"[[alerts.recipients]] 第{first}项和第{position}项同名（{recipient.name}）但订阅的"
                              "县区、规则或严重程度不同：同名的接收方共用一个订阅地址，请改用不同的 name",
                              key=("alerts", "recipients", position - 1, "name"))


def _recipient(entry: Any, number: int) -> Recipient:
    where = f"[[alerts.recipients]] 第{number}项"
    if not isinstance(entry, Mapping):
        raise ConfigError(f"{where}：需要 email = \"name@example.org\" 或 webhook = \"wecom\"")
    webhook = entry.get("webhook")
    if webhook is not None:
        if "email" in entry:
            raise ConfigError(f"{where}：email 和 webhook 只能设其一（可分成两个接收方）")
        if webhook not in WEBHOOK_SERVICES:
            raise ConfigError(f"{where}：webhook 应为 {'、'.join(WEBHOOK_SERVICES)} 之一")
        for key in ("name", "url_env"):
            if not str(entry.get(key) or "").strip():
                raise ConfigError(f"{where}：webhook 需要设置 {key}（url_env：存放其地址的环境变量名）")
        if "secret_env" in entry and webhook != "dingtalk":
            raise ConfigError(f"{where}：secret_env 只用于钉钉（dingtalk）的加签密钥")
    elif not looks_like_email(str(entry.get("email", ""))):
        raise ConfigError(f"{where}：需要 email = \"name@example.org\" 或 webhook = \"wecom\"")
    lists = {}
    for name in ("counties", "rules", "severities"):
        value = entry.get(name, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise ConfigError(f"{where}：{name} 应为列表")
        lists[name] = tuple(str(v) for v in value)
    known = set(SEVERITY) | {CRAWL_RULE, JOB_RULE}
    unknown = [rule for rule in lists["rules"] if rule not in known]
    if unknown:
        raise ConfigError(f"{where}：未知的规则代码 {', '.join(unknown)}")
    bad = [s for s in lists["severities"] if s not in SEVERITIES]
    if bad:
        raise ConfigError(f"{where}：severities 应为 error、warning 或 info，而不是 {', '.join(bad)}")
    return Recipient(str(entry.get("email", "")), lists["counties"], lists["rules"], lists["severities"],
                     webhook=webhook, name=entry.get("name"), url_env=entry.get("url_env"),
                     secret_env=entry.get("secret_env"), weekly_summary=bool(entry.get("weekly_summary", False)))
