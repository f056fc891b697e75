"""The whole main job on the demo world, offline: serve portals → crawl → parse, store → check → email.

`run_demo(output)` serves samples/demo_world.py's counties on 127.0.0.1, crawls them with the real spider into
output/nianbao.db, checks as of demo_world.AS_OF, and sends the alert digests to an aiosmtpd server started
here, which saves each message as output/emails/NN-recipient.eml.
"""

from __future__ import annotations

import logging
import shutil
import socket
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from alerts.wiring import CheckAlertWiring
from crawler.run import CrawlSummary, crawl
from db.status import StoreStatus, store_status
from db.store import Store
from db.transactions import immediate
from nianbao.config import Config
from samples.demo_portals import demo_portals
from samples.demo_world import AS_OF, YEARS
from samples.portal_server import serve

logger = logging.getLogger(__name__)
DEMO_FILES = ("nianbao.db", "nianbao.db-wal", "nianbao.db-shm", "sites.csv", "nianbao.toml")
DEMO_DIRS = ("documents", "emails", "crawl-job")
Step = Callable[[str], None]
CrawlProgress = Callable[[dict[str, Any]], None]


@dataclass
class DemoResult:
    """Where the demo wrote its files and what it found."""

    output: Path
    crawl: CrawlSummary
    status: StoreStatus
    emails: list[Path] = field(default_factory=list)

    @property
    def db_path(self) -> Path:
        return self.output / "nianbao.db"


class EmlWriter:
    """An aiosmtpd handler that saves every accepted message as NN-recipient.eml."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.saved: list[Path] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:  # noqa: N802
        for recipient in envelope.rcpt_tos:
            path = self.folder / f"{len(self.saved) + 1:02d}-{recipient}.eml"
            path.write_bytes(envelope.content)
            self.saved.append(path)
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def demo_config_text(output: Path, smtp_port: int, datasette_url: str, watch: Path | None = None) -> str:
    """The nianbao.toml the demo runs with (also saved to the output folder, to read and to reuse)."""
    years = ", ".join(map(str, YEARS))
    folder = output.resolve().as_posix()
    watch_line = f'watch = "{watch.resolve().as_posix()}"\n' if watch is not None else ""
    return f"""# The configuration `nianbao demo` ran with (see nianbao.example.toml for every key).
[paths]
data_dir = "{folder}"
db = "{folder}/nianbao.db"

[crawl]
download_delay = 0
autothrottle = false

[checks]
years = [{years}]
{watch_line}
[alerts]
datasette_url = "{datasette_url}"
crawl_failures = 1   # alert a blocked county at once (default 2: one bad night wakes nobody)

[[alerts.recipients]]   # a researcher: everything
email = "researcher@example.org"

[[alerts.recipients]]   # 青山县's disclosure office: its own errors only
email = "qingshan-office@example.org"
name = "青山县政务公开办"   # its Atom feed: /-/feeds/recipients/青山县政务公开办.atom
counties = ["990101"]
severities = ["error"]

[[alerts.recipients]]   # someone watching deadlines and broken sites
email = "deadlines@example.org"
rules = ["late", "missing_report", "crawl_failed"]

[smtp]
host = "127.0.0.1"
port = {smtp_port}
sender = "nianbao-demo@localhost"
"""


def clean_output(output: Path) -> None:
    """Remove what an earlier demo wrote there (only the demo's own files), so each run starts afresh."""
    for name in DEMO_FILES:
        (output / name).unlink(missing_ok=True)
    for name in DEMO_DIRS:
        shutil.rmtree(output / name, ignore_errors=True)


def run_demo(output: Path, *, step: Step | None = None, crawl_progress: CrawlProgress | None = None,
             datasette_url: str = "http://127.0.0.1:8001/nianbao", log_level: str = "WARNING",
             watch: Path | None = None) -> DemoResult:
    """Serve the demo portals, crawl, check and email; return where everything went and what it found.

    `watch`: a watch list (agencies.csv) written into the demo's [checks], as `nianbao check` would read it."""
    say = step or (lambda text: None)
    output.mkdir(parents=True, exist_ok=True)
    clean_output(output)
    (output / "emails").mkdir()
    say("建立示例县区门户网站")
    portals = demo_portals()
    server = serve(portals)
    writer = EmlWriter(output / "emails")
    smtp = Controller(writer, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    try:
        config_text = demo_config_text(output, smtp.port, datasette_url, watch)
        (output / "nianbao.toml").write_text(config_text, encoding="utf-8")
        config = Config(output / "nianbao.toml", tomllib.loads(config_text), config_text)
        db_path, data_dir = config.store_paths()  # the rule of every command: output/nianbao.db, output/documents
        wiring = CheckAlertWiring.from_config(config)  # a bad watch list stops here, before the crawl
        sites = output / "sites.csv"
        sites.write_text("code,name,url\n" + "".join(f"{p.code},{p.name},{server.url(p)}\n" for p in portals),
                         encoding="utf-8")
        say(f"用真实的爬虫爬取 127.0.0.1 上的 {len(portals)} 个门户网站")
        summary = crawl(sites, db_path, data_dir, config, progress=crawl_progress, log_level=log_level,
                        overrides={"allowed_private_hosts": [server.host(p) for p in portals]})
        say(f"以 {AS_OF} 为检查日期检查每份报告")
        alerts = wiring.alert_settings()
        with Store.open(db_path, data_dir) as store:
            name_demo_divisions(store)
            wiring.run_checks(store.db, as_of=AS_OF)
            say(f"发送提醒邮件到本机的 SMTP 服务器（127.0.0.1:{smtp.port}）")
            result = wiring.send_alerts(store.db, alerts, now=datetime.combine(AS_OF, time(8), UTC))
            status = store_status(store.db)
        if result.failures:
            logger.warning("demo digests not delivered: %s", result.failures)
    finally:
        smtp.stop()
        server.close()
    return DemoResult(output, summary, status, sorted(writer.saved))


# The demo world's division codes (99xxxx) are not real ones: the rankings name its province and city so.
DEMO_DIVISIONS = (("990000", "演示省"), ("990100", "演示市"))


def name_demo_divisions(store: Store) -> None:
    with immediate(store.db):
        store.db.conn.executemany("INSERT OR REPLACE INTO divisions (code, name) VALUES (?, ?)", DEMO_DIVISIONS)


def read_eml(path: Path) -> Any:
    """An .eml file the demo saved, parsed (email.message.EmailMessage)."""
    return message_from_bytes(path.read_bytes(), policy=policy.default)
