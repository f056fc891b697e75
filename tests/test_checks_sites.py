"""site_unreachable and site_changed, judged as each crawl of a county's portal is recorded."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from checks.sites import site_findings
from db.crawl_runs import SiteRun, record_runs
from db.store import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "nianbao.db"
    with Store.open(path) as store:
        store.upsert_county("990104", "白沙县", "http://127.0.0.1:9/")
    return path


def crawl(db_path: Path, finished: str, status: str, found: int = 0, message: str = "") -> None:
    record_runs(db_path, [SiteRun("990104", finished, finished, status, reports_found=found, message=message)],
                site_findings)


def findings(db_path: Path) -> list[tuple[str, str, str, str | None]]:
    with sqlite3.connect(db_path) as db:
        return db.execute("SELECT rule, message, last_seen, resolved_at FROM findings ORDER BY id").fetchall()


def test_site_unreachable_updates_the_finding_an_earlier_version_wrote(db_path: Path) -> None:
    # design.md: a finding's fingerprint is rule + county + agency + year + keys (here no agency, year or keys).
    identity = json.dumps(["site_unreachable", "990104", "", None, []], separators=(",", ":"))
    fingerprint = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]
    with sqlite3.connect(db_path) as db:
        db.execute("""INSERT INTO findings (fingerprint, rule, severity, county_code, keys, message, first_seen,
                      last_seen) VALUES (?, 'site_unreachable', 'warning', '990104', '[]', '门户网站无法访问：timeout',
                      '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')""", [fingerprint])
    crawl(db_path, "2026-01-02T00:00:00Z", "blocked", message="被拦截 blocked (ruishu, HTTP 412)")
    message = "门户网站被网站防护拦截（JS 验证）：被拦截 blocked (ruishu, HTTP 412)"
    assert findings(db_path) == [("site_unreachable", message, "2026-01-02T00:00:00Z", None)]
    crawl(db_path, "2026-01-03T00:00:00Z", "ok", found=3)
    assert [(rule, resolved) for rule, _, _, resolved in findings(db_path)] == [
        ("site_unreachable", "2026-01-03T00:00:00Z")]


def test_site_changed_when_reports_vanish_and_resolved_when_they_are_back(db_path: Path) -> None:
    crawl(db_path, "2026-01-01T00:00:00Z", "ok", found=5)
    crawl(db_path, "2026-01-02T00:00:00Z", "empty")
    assert findings(db_path) == [("site_changed", "门户网站本次未找到任何年报，上次找到 5 份：栏目可能已改版或迁移",
                                  "2026-01-02T00:00:00Z", None)]
    crawl(db_path, "2026-01-03T00:00:00Z", "failed", message="timeout")  # unreachable: says nothing of the column
    assert [(rule, resolved) for rule, _, _, resolved in findings(db_path)] == [
        ("site_changed", None), ("site_unreachable", None)]
    crawl(db_path, "2026-01-04T00:00:00Z", "ok", found=4)
    assert [(rule, resolved) for rule, _, _, resolved in findings(db_path)] == [
        ("site_changed", "2026-01-04T00:00:00Z"), ("site_unreachable", "2026-01-04T00:00:00Z")]


def test_site_rules_without_a_judge_write_only_the_crawl_rows(db_path: Path) -> None:
    record_runs(db_path, [SiteRun("990104", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "blocked")])
    assert findings(db_path) == []
