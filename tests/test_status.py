"""`nianbao status`: last crawl per county, reports by year, open findings by rule, pending alerts, from the store."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from mail_server import free_port

from checks.service import run_checks
from checks.sites import site_findings
from checks.subject import CheckSettings
from db.crawl_runs import SiteRun, record_runs
from db.store import Store
from nianbao.cli import main
from samples.demo_world import follow
from samples.generate import plant_defect
from samples.portals import sample
from samples.render import render


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Two 2023 reports and one 2022 report of 青山县 (one with a broken 行政复议 total), 白沙县 blocked."""
    path = tmp_path / "nianbao.db"
    broken = sample("青山县民政局", 2023, 11)
    plant_defect(broken, "review_total")
    before, after = sample("青山县教育局", 2022, 12), sample("青山县教育局", 2023, 10)
    follow(before, after)  # carried over and in force as the 2022 report left them
    with Store.open(path) as store:
        store.upsert_county("990101", "青山县", "http://127.0.0.1:9/")
        store.upsert_county("990104", "白沙县", "http://127.0.0.1:8/")
        for number, report in enumerate([after, broken, before]):
            outcome = store.ingest(render(report, "html"), url=f"http://127.0.0.1:9/nb/{number}.html",
                                   county_code="990101")
            assert outcome.status == "new", outcome
        run_checks(store.db, CheckSettings(), as_of=date(2024, 6, 1))
    record_runs(path, [
        SiteRun("990101", "2024-05-01T01:00:00Z", "2024-05-01T01:02:00Z", "ok", pages=9, reports_found=3, new=3),
        SiteRun("990104", "2024-05-01T01:00:00Z", "2024-05-01T01:00:05Z", "blocked", blocked=1,
                message="被拦截 blocked (ruishu, HTTP 412)"),
    ], site_findings)
    return path


def status_json(db_path: Path) -> dict:
    result = CliRunner().invoke(main, ["status", "--json", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_status_json_reports_what_the_store_holds(store_path: Path) -> None:
    data = status_json(store_path)
    assert [(c["county_code"], c["county_name"], c["status"], c["reports_found"]) for c in data["crawls"]] == [
        ("990101", "青山县", "ok", 3), ("990104", "白沙县", "blocked", 0)]
    assert data["reports_by_year"] == {"2022": 1, "2023": 2}
    assert data["findings_by_rule"] == {"review_total": {"error": 1}, "site_unreachable": {"warning": 1}}
    assert data["pending_alerts"] == {}


def test_status_counts_alerts_left_pending(store_path: Path, tmp_path: Path) -> None:
    config = tmp_path / "nianbao.toml"
    config.write_text(f'[alerts]\ncrawl_failures = 1\n[[alerts.recipients]]\nemail = "a@example.org"\n'
                      f'[smtp]\nport = {free_port()}\ntimeout = 5\n', encoding="utf-8")
    refused = CliRunner().invoke(main, ["--config", str(config), "alerts", "send", "--db", str(store_path)])
    assert refused.exit_code == 4
    data = status_json(store_path)
    # The review_total finding and 白沙县's blocked crawl; site_unreachable is covered by the crawl alert.
    assert data["pending_alerts"] == {"a@example.org": 2}


def test_status_text_is_one_screen(store_path: Path) -> None:
    result = CliRunner().invoke(main, ["status", "--db", str(store_path)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) < 25
    assert any("990104 白沙县" in line and "被拦截" in line for line in lines)
    assert "现行年报：2022年度 1份 · 2023年度 2份（共 3 份）" in lines
    assert any(line.split()[:3] == ["review_total", "错误", "1"] for line in lines)
