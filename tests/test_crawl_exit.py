"""Exit codes cron can trust: a crawl where every site (or too many) failed or was blocked exits 5, and
`schedule --once` exits 1 with the crawl job recorded as an error. Real portals on 127.0.0.1."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from nianbao.cli import main
from samples.portal_server import PortalServer, serve
from samples.portals import Portal, Resource, trs_portal

# A Ruishu-style challenge as 瑞数-protected portals send it: HTTP 412 and a $_ts script, nothing else.
CHALLENGE = (b'<html><head><meta charset="utf-8"><script>$_ts=window["$_ts"];if(!$_ts)$_ts={};$_ts.nsd=8841;'
             b'</script><script src="/4QbVtADbnLVIc/c.FxJzG50F.js"></script></head></html>')


def blocked_portal() -> Portal:
    return Portal("990104", "白沙县", {"/": Resource(CHALLENGE, status=412)})


def gone_portal() -> Portal:
    """A portal whose every address answers 404 (the site moved): nothing readable, a failed crawl."""
    return Portal("990105", "红石县", {})


@pytest.fixture
def portals() -> Iterator[PortalServer]:
    server = serve([trs_portal(), blocked_portal(), gone_portal()])
    yield server
    server.close()


def sites_file(tmp_path: Path, server: PortalServer, codes: list[str]) -> Path:
    path = tmp_path / "sites.csv"
    path.write_text("code,name,url\n" + "".join(f"{p.code},{p.name},{server.url(p)}\n"
                                                for p in server.portals if p.code in codes), encoding="utf-8")
    return path


def crawl(tmp_path: Path, server: PortalServer, codes: list[str], extra: str = "") -> Result:
    config = tmp_path / "nianbao.toml"
    config.write_text(f"[crawl]\ndownload_delay = 0\nautothrottle = false\nretries = 0\n{extra}", encoding="utf-8")
    sites = sites_file(tmp_path, server, codes)
    return CliRunner().invoke(main, ["--config", str(config), "crawl", "--sites", str(sites),
                                     "--db", str(tmp_path / "nianbao.db"), "--allow-private-networks"])


def statuses(db_path: Path) -> dict[str, str]:
    with sqlite3.connect(db_path) as db:
        return dict(db.execute("SELECT county_code, status FROM crawl_runs").fetchall())


def test_crawl_exit_every_site_failed_or_blocked_is_code_5(tmp_path: Path, portals: PortalServer) -> None:
    # Even with max_failed_share = 1: a crawl that reached no site at all is always a failure.
    result = crawl(tmp_path, portals, ["990104", "990105"], "max_failed_share = 1\n")
    assert result.exit_code == 5, result.output
    assert "990104  白沙县" in result.stdout and "被拦截" in result.stdout  # the table is still printed
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("错误：2/2 个站点无法访问或被拦截（全部站点）：990104 白沙县、990105 红石县")
    assert "990104 白沙县" in error and "990105 红石县" in error
    assert statuses(tmp_path / "nianbao.db") == {"990104": "blocked", "990105": "failed"}  # recorded all the same


def test_crawl_exit_more_than_the_share_failed_is_code_5(tmp_path: Path, portals: PortalServer) -> None:
    result = crawl(tmp_path, portals, ["140525", "990104", "990105"])  # 2 of 3 > the default half
    assert result.exit_code == 5, result.output
    assert "2/3 个站点无法访问或被拦截（超过 [crawl] max_failed_share = 0.5 的比例）" in result.stderr
    assert statuses(tmp_path / "nianbao.db") == {"140525": "ok", "990104": "blocked", "990105": "failed"}
    with sqlite3.connect(tmp_path / "nianbao.db") as db:  # what the good site had is stored
        assert db.execute("SELECT count(*) FROM reports").fetchone()[0] == 2


def test_crawl_exit_within_the_share_is_code_0(tmp_path: Path, portals: PortalServer) -> None:
    result = crawl(tmp_path, portals, ["140525", "990104", "990105"], "max_failed_share = 0.7\n")
    assert result.exit_code == 0, result.output
    assert "注意 990104 白沙县：被拦截" in result.stdout


def test_crawl_exit_json_output_still_exits_5(tmp_path: Path, portals: PortalServer) -> None:
    config = tmp_path / "nianbao.toml"
    config.write_text("[crawl]\ndownload_delay = 0\nretries = 0\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "crawl", "--json", "--allow-private-networks",
                                       "--sites", str(sites_file(tmp_path, portals, ["990105"])),
                                       "--db", str(tmp_path / "nianbao.db")])
    assert result.exit_code == 5
    assert '"county_code": "990105"' in result.stdout and '"status": "failed"' in result.stdout


def test_schedule_once_exits_1_when_the_crawl_reached_no_site(tmp_path: Path, portals: PortalServer) -> None:
    sites_file(tmp_path, portals, ["990104", "990105"])
    config = tmp_path / "nianbao.toml"
    config.write_text('[paths]\ndata_dir = "data"\n[crawl]\ndownload_delay = 0\nretries = 0\n'
                      'allow_private_networks = true\n[schedule]\nsites = "sites.csv"\n', encoding="utf-8")
    db_path = tmp_path / "store" / "nianbao.db"
    result = CliRunner().invoke(main, ["--config", str(config), "schedule", "--once", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stdout == "采集：出错\nOCR 识别：成功\n检查：成功\n发送通知：成功\n"
    with sqlite3.connect(db_path) as db:
        job, outcome, error = db.execute("SELECT job, outcome, error FROM job_runs ORDER BY id LIMIT 1").fetchone()
    assert (job, outcome) == ("crawl", "error")
    assert "2/2 个站点无法访问或被拦截" in error


def test_schedule_once_without_its_sites_file_stops_before_any_work(tmp_path: Path) -> None:
    config = tmp_path / "nianbao.toml"
    config.write_text('[crawl]\nretries = 0\n\n[schedule]\nsites = "sites.csv"\n', encoding="utf-8")
    db_path = tmp_path / "store" / "nianbao.db"
    result = CliRunner().invoke(main, ["--config", str(config), "schedule", "--once", "--db", str(db_path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"错误：{config}:5: 站点列表文件 {tmp_path / 'sites.csv'} 不存在"
                                     '（设置 [schedule] sites = "sites.csv"，相对于 nianbao.toml 所在文件夹）')
    assert not db_path.parent.exists()
