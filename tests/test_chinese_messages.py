"""Everything a person reads is Chinese: the demo world, a crawl of a site that is down, documents that are not
reports, a scheduler job that missed its time; then the digests (the health items too), `nianbao status`, the
commands' output and what the store keeps to show (crawl journal, document errors, report warnings, job errors)
hold no English word, only addresses, file names, codes and configuration keys."""

from __future__ import annotations

import json
import re
import socket
import sqlite3
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner
from mail_server import Inbox, bodies

import scheduler
from checks.model import RULES, SITE_SEVERITY
from nianbao.cli import main
from nianbao.config import load_config
from parsers import errors
from samples.demo_run import read_eml, run_demo

# What may be written in Latin letters in a Chinese message: an address, a file, a code, a key, a name.
_ALLOWED = [
    r"[a-z][a-z0-9+.-]*://[^\s，。；：、（）“”]+",  # URLs
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # email addresses
    r"(?:[\w.-]*/)+[\w.-]*",  # paths
    r"[\w-]+\.(?:html?|pdf|docx?|wps|xlsx?|csv|toml|eml|db|mht|ofd|zip|txt|json|atom)\b",  # file names
    r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b",  # snake_case: config keys, rule and status codes (needs_ocr, max_pages_per_site)
    r"--[a-z-]+",  # command-line options
    r"\bnianbao(?: [a-z]+)?",  # the program and its commands (nianbao crawl)
    r"\[[a-z_.]+\]",  # config sections ([crawl], [alerts.recipients])
    r"\b[A-Z][A-Z0-9-]+\b",  # acronyms and formats: HTTP, OCR, PDF, UTC, MiB is below
    r"\b(?:MiB|KiB|Retry-After|LibreOffice|soffice|Redis|Datasette|Apprise|WeCom|DingTalk|Feishu|Excel|Word|WPS)\b",
    *(rf"\b{re.escape(code)}\b" for code in (*RULES, *SITE_SEVERITY, "crawl_failed", "job_failed")),
    # A document's error begins with its code (parsers.errors: corrupt, needs_ocr, …), matched in SQL.
    *(rf"\b{re.escape(kind.reason)}:" for kind in vars(errors).values()
      if isinstance(kind, type) and issubclass(kind, errors.ParseError)),
]
_ALLOWED_RE = re.compile("|".join(f"(?:{pattern})" for pattern in _ALLOWED))
_ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")


def english_words(text: str) -> list[str]:
    """The words of four letters or more left once addresses, file names, codes and keys are taken out."""
    return _ENGLISH_WORD.findall(_ALLOWED_RE.sub(" ", text))


def test_the_word_finder_sees_english_and_lets_codes_pass() -> None:
    assert english_words("http://127.0.0.1:9/ 页面中没有年报表格或附件 no tables") == ["tables"]
    assert english_words("not run at 2026-12-05T06:00:00Z: the scheduler was down") == [
        "scheduler", "down"]
    assert english_words("needs_ocr: 扫描件 /tmp/a b/2023.pdf 需要 OCR；设置 [crawl] max_pages_per_site；"
                         "运行 nianbao crawl --sites sites.csv；规则 missing_report、late；HTTP 412；"
                         "li@example.org") == []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stored_texts(db_path: Path) -> dict[str, list[str]]:
    """What the store keeps for people to read: crawl journal, document errors, report warnings, job errors,
    delivery errors."""
    with sqlite3.connect(db_path) as db:
        warnings = [w for (text,) in db.execute("SELECT warnings FROM reports WHERE warnings IS NOT NULL")
                    for w in json.loads(text)]
        return {
            "crawl_runs.message": [r for (r,) in db.execute("SELECT message FROM crawl_runs WHERE message > ''")],
            "documents.error": [r for (r,) in db.execute("SELECT error FROM documents WHERE error > ''")],
            "reports.warnings": [str(w) for w in warnings],
            "job_runs.error": [r for (r,) in db.execute("SELECT error FROM job_runs WHERE error > ''")],
            "findings.message": [r for (r,) in db.execute("SELECT DISTINCT message FROM findings")],
        }


def test_what_people_read_has_no_english(tmp_path: Path, inbox: Inbox, smtp_port: int) -> None:
    demo = run_demo(tmp_path / "demo")  # four counties, one of them blocking the crawler
    texts: dict[str, list[str]] = {"demo emails": [bodies(read_eml(path))[0] for path in demo.emails]}

    # Documents an office might leave on its portal that are not reports: stored as errors.
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "通知.html").write_text("<html><body><p>关于召开会议的通知</p></body></html>", encoding="utf-8")
    (folder / "空文件.pdf").write_bytes(b"")
    (folder / "损坏.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "乱码.txt").write_bytes(bytes(range(128, 256)) * 4)
    ingest = CliRunner().invoke(main, ["ingest", "--county", "990101", "--db", str(demo.db_path), str(folder)])
    texts["nianbao ingest"] = [ingest.output]

    # The scheduler over a site that is down, alerting ops@ at once; then a crawl that missed its time.
    (tmp_path / "sites.csv").write_text(f"code,name,url\n990105,临河县,http://127.0.0.1:{_free_port()}/\n",
                                        encoding="utf-8")
    config = tmp_path / "nianbao.toml"
    config.write_text(
        f'[paths]\ndata_dir = "{demo.db_path.parent}"\n\n[crawl]\nallow_private_networks = true\n\n'
        '[schedule]\nsites = "sites.csv"\nmisfire_grace_hours = 0.0003\n\n[checks]\nyears = [2023, 2024]\n\n'
        f'[alerts]\ncrawl_failures = 1\n\n[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\n\n'
        '[[alerts.recipients]]\nemail = "ops@example.org"\nrules = ["crawl_failed", "job_failed"]\n', "utf-8")
    once = CliRunner().invoke(main, ["--config", str(config), "schedule", "--once"])
    texts["nianbao schedule --once"] = [once.output]
    pipeline = scheduler.pipeline_of(load_config(config))
    sched = scheduler.build_scheduler(pipeline)
    sched.modify_job("crawl", next_run_time=datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(hours=2))
    thread = threading.Thread(target=sched.start, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while len(inbox.to("ops@example.org")) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    sched.shutdown(wait=True)
    thread.join(5)
    texts["digests"] = [bodies(message)[0] for _, message in inbox.messages]  # with reminders of the demo's findings
    health = [bodies(message)[0] for message in inbox.to("ops@example.org")]
    assert len(health) == 2, "a digest after the failing crawl, one after the missed job"
    assert "临河县（990105）：连续1次采集失败" in health[0] and "采集任务错过执行时间" in health[1]

    status = CliRunner().invoke(main, ["--config", str(config), "status"])
    texts["nianbao status"] = [status.output]
    texts.update(_stored_texts(demo.db_path))
    assert texts["documents.error"] and texts["crawl_runs.message"] and texts["job_runs.error"]

    english = [f"{where}: {line.strip()}" for where, values in texts.items() for text in values
               for line in text.splitlines() if english_words(line)]
    assert not english, "English in what people read:\n" + "\n".join(sorted(set(english)))
