"""nianbao crawl over fixture portals served on 127.0.0.1: what it finds, stores, skips, refuses and resumes."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.run import CrawlFailed, CrawlSummary, crawl
from db.store import Store
from samples.portal_server import PortalServer, serve
from samples.portals import Portal, Resource, document, fixture_portals, plain_portal, sample

# Written by hand from the fixture portals (samples/portals.py): the reports each county really publishes.
# Not expected: the look-alikes (法治政府建设, 网站工作年度报表, 关于报送…通知, 政务公开工作要点, 住房公积金, 预算,
# 指南, 决算), the 图片版 report (image only), the report behind the 412 challenge, the dead link, and the
# report behind a redirect to 10.0.0.1.
EXPECTED = {
    ("140525", "泽州县人民政府", 2023),
    ("140525", "泽州县人力资源和社会保障局", 2023),
    ("360733", "会昌县人民政府", 2023),
    ("360733", "会昌县人民政府", 2022),
    ("360733", "会昌县人力资源和社会保障局", 2023),
    ("360733", "会昌县水利局", 2023),  # title without a year: the year comes from the document
    ("141025", "古县人民政府", 2023),
    ("141025", "古县人力资源和社会保障局", 2023),
    ("141025", "古县林业局", 2022),
}
FAST = {"download_delay": 0, "autothrottle": False}


@pytest.fixture(scope="session")
def portals() -> Iterator[PortalServer]:
    """The three fixture counties (TRS/GBK, Hanweb, plain), each on its own 127.0.0.1 port, for the session."""
    server = serve(fixture_portals())
    yield server
    server.close()


def write_sites(path: Path, server: PortalServer) -> Path:
    """A sites CSV (with a BOM, as Excel saves it) listing the fixture portals."""
    lines = ["code,name,url"] + [f"{p.code},{p.name},{server.url(p)}" for p in server.portals]
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def only_fixture_hosts(server: PortalServer) -> dict[str, object]:
    """Private networks stay forbidden; only the fixture servers' exact host:port are allowed."""
    return {**FAST, "allowed_private_hosts": [server.host(p) for p in server.portals]}


def crawl_one_portal(portal: Portal, folder: Path, **overrides: object) -> CrawlSummary:
    """Serve one fixture portal on 127.0.0.1 and crawl it into folder/nianbao.db (only its host allowed)."""
    server = serve([portal])
    try:
        return crawl(write_sites(folder / "sites.csv", server), folder / "nianbao.db", folder,
                     overrides={**only_fixture_hosts(server), **overrides})
    finally:
        server.close()


@pytest.fixture(scope="module")
def first_crawl(portals: PortalServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CrawlSummary]:
    """One crawl of the fixture portals into a fresh store; (data dir, summary)."""
    data = tmp_path_factory.mktemp("crawl")
    sites = write_sites(data / "sites.csv", portals)
    summary = crawl(sites, data / "nianbao.db", data, overrides=only_fixture_hosts(portals))
    return data, summary


def current_reports(db_path: Path) -> list[tuple[str, str, int]]:
    with Store.open(db_path) as store:
        return sorted((r.county_code, r.agency, r.year) for r in store.current_reports())


def documents(db_path: Path) -> dict[str, tuple[str, str | None]]:
    with sqlite3.connect(db_path) as db:
        return {url: (status, error) for url, status, error in db.execute("SELECT url, status, error FROM documents")}


def hits_since(server: PortalServer, start: int) -> list[tuple[str, int]]:
    return [(hit.path, hit.status) for hit in server.hits[start:]]


def test_crawl_finds_exactly_the_expected_reports(first_crawl: tuple[Path, CrawlSummary]) -> None:
    data, summary = first_crawl
    assert current_reports(data / "nianbao.db") == sorted(EXPECTED)
    assert summary.finish_reason == "finished"
    assert {run.county_code: run.status for run in summary.runs} == {"140525": "ok", "360733": "ok", "141025": "ok"}


def test_crawl_stores_the_report_values(first_crawl: tuple[Path, CrawlSummary]) -> None:
    data, _ = first_crawl
    expected = sample("会昌县人民政府", 2022, 4)  # the DOCX behind downfile.jsp on the Hanweb county
    with sqlite3.connect(data / "nianbao.db") as db:
        rows = dict(db.execute(
            """SELECT v.key, v.number FROM report_values v JOIN reports r ON r.id = v.report_id
               WHERE r.agency = '会昌县人民政府' AND r.year = 2022 AND r.is_current = 1"""))
    assert rows["requests.received.total"] == expected.number("requests.received.total")
    assert rows["reviews.review.total"] == expected.number("reviews.review.total")


def test_crawl_records_blocked_unsupported_and_dead_documents(first_crawl: tuple[Path, CrawlSummary],
                                                             portals: PortalServer) -> None:
    data, summary = first_crawl
    docs = documents(data / "nianbao.db")
    trs, hanweb, plain = portals.portals
    assert docs[portals.url(hanweb, "/art/2024/1/30/art_101_5004.html")][0] == "blocked"
    assert docs[portals.url(trs, "/zfxxgk/zfxxgknb/202403/P020240325375739523060.ofd")][0] == "unsupported"
    assert docs[portals.url(trs, "/zfxxgk/zfxxgknb/202401/t20240129_100006.html")][0] == "unsupported"
    assert docs[portals.url(plain, "/xxgk/nb/gone.html")] == ("failed", "HTTP 404")
    shell = docs[portals.url(hanweb, "/col/col205/index.html")]  # the ~1 KB script shell of a department column
    assert shell == ("blocked", "网站拦截访问（需运行脚本才显示内容的页面，HTTP 200）")
    runs = {run.county_code: run for run in summary.runs}
    assert runs["360733"].blocked == 2  # the 412 challenge and the script shell
    assert "网站拦截访问（需运行脚本才显示内容的页面，HTTP 200）" in runs["360733"].message
    assert runs["141025"].errors == 2  # the dead link and the redirect to a private address


def test_crawl_refuses_a_redirect_to_a_private_address(first_crawl: tuple[Path, CrawlSummary]) -> None:
    data, _ = first_crawl
    status, error = documents(data / "nianbao.db")["http://10.0.0.1/nb.html"]
    assert status == "failed"
    assert "10.0.0.1" in error and "不允许访问内网" in error


def test_crawl_never_follows_decoys(first_crawl: tuple[Path, CrawlSummary], portals: PortalServer) -> None:
    data, _ = first_crawl
    fetched = {hit.path for hit in portals.hits}
    for decoy in ("/zfxxgk/zfxxgknb/202403/t20240320_100002.html",  # 法治政府建设年度报告
                  "/zfxxgk/zfxxgknb/202401/t20240115_100003.html",  # 政府网站工作年度报表
                  "/zfxxgk/zfxxgknb/202312/t20231201_100005.html",  # 关于报送…的通知
                  "/zfxxgk/zfxxgknb/202403/t20240328_100008.html",  # 住房公积金
                  "/art/2024/2/1/art_101_5003.html",  # 部门预算
                  "/xxgk/zn.html", "/xxgk/js.html"):  # 指南, 决算
        assert decoy not in fetched


def test_crawl_second_run_downloads_nothing_new(first_crawl: tuple[Path, CrawlSummary],
                                               portals: PortalServer) -> None:
    data, _ = first_crawl
    start = len(portals.hits)
    summary = crawl(data / "sites.csv", data / "nianbao.db", data, overrides=only_fixture_hosts(portals))
    again = hits_since(portals, start)
    downloads = [(path, status) for path, status in again if path.endswith((".pdf", ".docx")) or "downfile" in path]
    assert downloads and all(status == 304 for _, status in downloads), downloads
    assert summary.total("new") == 0 and summary.total("changed") == 0
    assert current_reports(data / "nianbao.db") == sorted(EXPECTED)


def test_crawl_picks_up_a_changed_report_as_a_new_version(first_crawl: tuple[Path, CrawlSummary],
                                                         portals: PortalServer) -> None:
    data, _ = first_crawl
    plain = portals.portals[2]
    original = plain.resources["/files/gx2023.pdf"]
    plain.resources["/files/gx2023.pdf"] = document(sample("古县人民政府", 2023, 70), "pdf")
    try:
        summary = crawl(data / "sites.csv", data / "nianbao.db", data, overrides=only_fixture_hosts(portals))
    finally:
        plain.resources["/files/gx2023.pdf"] = original
    assert {run.county_code: run.changed for run in summary.runs}["141025"] == 1
    with sqlite3.connect(data / "nianbao.db") as db:
        versions = db.execute("SELECT version, is_current FROM reports WHERE agency = '古县人民政府' AND year = 2023"
                              " ORDER BY version").fetchall()
    assert versions == [(1, 0), (2, 1)]


def _children(pid: int) -> list[int]:
    return [int(child) for task in Path(f"/proc/{pid}/task").glob("*/children") for child in task.read_text().split()]


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped by init is dead)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def test_crawl_resumes_after_being_killed(portals: PortalServer, tmp_path: Path) -> None:
    sites = write_sites(tmp_path / "sites.csv", portals)
    slow = {**only_fixture_hosts(portals), "download_delay": 0.4}
    pids: list[int] = []
    outcome: list[BaseException] = []

    def first() -> None:
        try:
            crawl(sites, tmp_path / "nianbao.db", tmp_path, overrides=slow, on_start=pids.append)
        except CrawlFailed as error:
            outcome.append(error)

    thread = threading.Thread(target=first)
    thread.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_stored(tmp_path / "nianbao.db")) < 3:
        time.sleep(0.1)
    workers = _children(pids[0])  # its parse workers
    assert workers
    os.kill(pids[0], signal.SIGKILL)
    thread.join()
    assert outcome, "the first crawl should have been killed before finishing"
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)], "parse workers outlived the killed crawl"
    assert _runs(tmp_path / "nianbao.db") == [(code, "running") for code in ("140525", "360733", "141025")]
    stored_before = _stored(tmp_path / "nianbao.db")
    assert 3 <= len(stored_before) < len(EXPECTED) + 3
    start = len(portals.hits)
    summary = crawl(sites, tmp_path / "nianbao.db", tmp_path, overrides=only_fixture_hosts(portals))
    assert summary.resumed
    assert current_reports(tmp_path / "nianbao.db") == sorted(EXPECTED)  # each exactly once
    refetched = {path for path, status in hits_since(portals, start) if status == 200}
    for url in stored_before:
        path = url.split(":", 2)[2].split("/", 1)[1]
        assert "/" + path not in refetched, f"{url} was downloaded again after resuming"
    assert not (tmp_path / "crawl-job").exists()
    runs = _runs(tmp_path / "nianbao.db")
    assert runs == [(code, "interrupted") for code in ("140525", "360733", "141025")] + [
        (code, "ok") for code in ("140525", "360733", "141025")]


def _runs(db_path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db_path) as db:
        return db.execute("SELECT county_code, status FROM crawl_runs ORDER BY id").fetchall()


def _stored(db_path: Path) -> list[str]:
    if not db_path.exists():
        return []
    try:
        with sqlite3.connect(db_path) as db:
            return [url for (url,) in db.execute("SELECT url FROM documents WHERE status = 'parsed'")]
    except sqlite3.OperationalError:
        return []


def test_crawl_refuses_loopback_without_the_flag(portals: PortalServer, tmp_path: Path) -> None:
    sites = write_sites(tmp_path / "sites.csv", portals)
    start = len(portals.hits)
    summary = crawl(sites, tmp_path / "nianbao.db", tmp_path, overrides=FAST)
    assert hits_since(portals, start) == []
    assert {run.status for run in summary.runs} == {"failed"}
    assert all("不允许访问内网" in run.message for run in summary.runs)
    with sqlite3.connect(tmp_path / "nianbao.db") as db:
        rules = db.execute("SELECT rule, county_code, severity FROM findings ORDER BY county_code").fetchall()
    assert rules == [("site_unreachable", "140525", "warning"), ("site_unreachable", "141025", "warning"),
                     ("site_unreachable", "360733", "warning")]


def test_crawl_site_that_stops_showing_reports_becomes_a_finding(tmp_path: Path) -> None:
    portal = plain_portal(private_redirect="/xxgk/nb/gone.html")
    server = serve([portal])
    try:
        sites = write_sites(tmp_path / "sites.csv", server)
        before = crawl(sites, tmp_path / "nianbao.db", tmp_path, allow_private_networks=True, overrides=FAST)
        portal.resources["/xxgk/"] = portal.resources["/xxgk/zn.html"]  # the column no longer links the 年报
        summary = crawl(sites, tmp_path / "nianbao.db", tmp_path, allow_private_networks=True, overrides=FAST)
    finally:
        server.close()
    assert summary.runs[0].status == "empty"
    with sqlite3.connect(tmp_path / "nianbao.db") as db:
        rows = db.execute("SELECT rule, county_code, message FROM findings").fetchall()
    assert [(rule, code) for rule, code, _ in rows] == [("site_changed", "141025")]
    assert before.runs[0].status == "ok"
    assert f"上次找到 {before.runs[0].reports_found} 份" in rows[0][2]


def test_crawl_obeys_robots_txt(tmp_path: Path) -> None:
    portal = plain_portal(private_redirect="/xxgk/nb/gone.html")
    portal.resources["/robots.txt"] = Resource(b"User-agent: *\nDisallow: /\n", "text/plain")
    server = serve([portal])
    try:
        sites = write_sites(tmp_path / "sites.csv", server)
        summary = crawl(sites, tmp_path / "nianbao.db", tmp_path, allow_private_networks=True, overrides=FAST)
    finally:
        server.close()
    assert [hit.path for hit in server.hits] == ["/robots.txt"]
    assert summary.runs[0].status == "failed"
    assert "robots.txt" in summary.runs[0].message


def test_crawl_refuses_a_name_that_resolves_to_loopback(portals: PortalServer, tmp_path: Path) -> None:
    trs = portals.portals[0]
    port = portals.host(trs).rsplit(":", 1)[1]
    sites = tmp_path / "sites.csv"
    sites.write_text(f"code,name,url\n{trs.code},{trs.name},http://localhost:{port}/\n", encoding="utf-8")
    start = len(portals.hits)
    # Only the IP literal is allowed: the name localhost is looked up, and its answer (loopback) is refused.
    summary = crawl(sites, tmp_path / "nianbao.db", tmp_path, overrides=only_fixture_hosts(portals))
    assert hits_since(portals, start) == []
    assert summary.runs[0].status == "failed"
    assert "localhost" in summary.runs[0].message and "不允许访问内网" in summary.runs[0].message
