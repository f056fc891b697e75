"""The Atom feeds of a county and of a recipient through Datasette's own client: findings found, fixed and
dismissed, newest first."""

from __future__ import annotations

import asyncio
import sqlite3
import xml.etree.ElementTree as ElementTree
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from checks_factory import ingest_page, sample_page, zezhou_store
from mail_server import Inbox, bodies
from test_alerts_email import recheck

from alerts import feed
from alerts.wiring import CheckAlertWiring
from checks import CheckSettings
from checks.service import run_checks
from db import finding_states
from db.browse import make_datasette
from db.store import Store
from nianbao.errors import ConfigError
from nianbao.sections import load_checked_config

ATOM = "{http://www.w3.org/2005/Atom}"


def test_county_feed_lists_found_fixed_and_dismissed(tmp_path: Path) -> None:
    db_path = zezhou_store(tmp_path / "nianbao.db")
    recheck(db_path)  # 2024-06-01: 教育局 2023 late, row_total, results_total; 人社局 2023 missing
    with sqlite3.connect(db_path) as db:
        missing = db.execute("SELECT id FROM findings WHERE rule = 'missing_report'").fetchone()[0]
    with Store.open(db_path) as store:
        finding_states.dismiss(store.db, missing, by="李主任", reason="该局2023年并入县政务服务中心",
                               now="2024-06-05T09:00:00Z")
    # 教育局 corrects its 总计 (still late): the two sum findings are fixed.
    ingest_page(db_path, "http://127.0.0.1/jyj/2023.html", sample_page("泽州县教育局", 2023, date(2024, 2, 5)))
    with Store.open(db_path) as store:
        run_checks(store.db, CheckSettings(years=(2023,)), as_of=date(2024, 6, 10))

    datasette = make_datasette(db_path, plugins=[feed])
    asyncio.run(datasette.invoke_startup())
    response = asyncio.run(datasette.client.get("/-/feeds/140525.atom"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    assert root.find(f"{ATOM}title").text == "泽州县政府信息公开年报监测：问题动态"
    entries = [(e.find(f"{ATOM}title").text, e.find(f"{ATOM}updated").text) for e in root.iter(f"{ATOM}entry")]
    assert sorted(entries[:2]) == [("【已整改】泽州县教育局 2023年度 办理结果总计不符", "2024-06-10T00:00:00Z"),
                                   ("【已整改】泽州县教育局 2023年度 申请情况表总计列不符", "2024-06-10T00:00:00Z")]
    assert entries[2] == ("【已排除】泽州县人力资源和社会保障局 2023年度 未发布年度报告", "2024-06-05T09:00:00Z")
    assert sorted(entries[3:]) == sorted([
        ("【发现问题】泽州县教育局 2023年度 逾期发布", "2024-06-01T00:00:00Z"),
        ("【发现问题】泽州县教育局 2023年度 办理结果总计不符", "2024-06-01T00:00:00Z"),
        ("【发现问题】泽州县教育局 2023年度 申请情况表总计列不符", "2024-06-01T00:00:00Z"),
        ("【发现问题】泽州县人力资源和社会保障局 2023年度 未发布年度报告", "2024-06-01T00:00:00Z")])
    dismissed = [e for e in root.iter(f"{ATOM}entry") if "已排除" in e.find(f"{ATOM}title").text][0]
    assert dismissed.find(f"{ATOM}summary").text.startswith("排除原因：该局2023年并入县政务服务中心（李主任）")
    # Another county's feed is empty but valid; a city prefix takes in its counties.
    other = ElementTree.fromstring(asyncio.run(datasette.client.get("/-/feeds/140526.atom")).content)
    assert list(other.iter(f"{ATOM}entry")) == []
    city = ElementTree.fromstring(asyncio.run(datasette.client.get("/-/feeds/1405.atom")).content)
    assert len(list(city.iter(f"{ATOM}entry"))) == len(entries)


YANGCHENG_FINANCE = "阳城县财政局"
CONFIG = """
[checks]
years = [2023]
watch = "agencies.csv"
alert_rules = ["row_total", "results_total", "missing_report", "carry_over_mismatch"]   # not late

[alerts]
datasette_url = "http://127.0.0.1:8001/nianbao"

[[alerts.recipients]]
email = "office@example.org"
name = "泽州县政务公开办"
counties = ["140525"]

[[alerts.recipients]]
webhook = "wecom"
name = "阳城县群"
url_env = "NIANBAO_TEST_UNSET_HOOK"
counties = ["140522"]
severities = ["error"]

[smtp]
host = "127.0.0.1"
port = {port}
"""


def _feed_entries(datasette: Any, path: str) -> tuple[ElementTree.Element, list[dict[str, str]]]:
    """The feed at `path` checked as Atom (namespace, the elements RFC 4287 requires), and its entries."""
    response = asyncio.run(datasette.client.get(path))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for element in (root, *root.iter(f"{ATOM}entry")):
        for required in ("id", "title", "updated"):
            assert (element.findtext(f"{ATOM}{required}") or "").strip(), f"{required} missing"
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    entries = [{"title": e.findtext(f"{ATOM}title"), "summary": e.findtext(f"{ATOM}summary") or "",
                "link": e.find(f"{ATOM}link").get("href")} for e in root.iter(f"{ATOM}entry")]
    return root, entries


def test_recipient_feed_follows_the_recipients_subscription(tmp_path: Path, inbox: Inbox, smtp_port: int) -> None:
    db_path = zezhou_store(tmp_path / "nianbao.db")
    # 阳城县财政局 2023: 予以公开 总计 3 instead of 2 (row_total and results_total errors), published in time.
    yangcheng = ingest_page(db_path, "http://127.0.0.1/yc/czj/2023.html",
                            sample_page(YANGCHENG_FINANCE, 2023, date(2024, 1, 20), requests__granted__total=3),
                            county="140522", county_name="阳城县")
    (tmp_path / "agencies.csv").write_text("140525,泽州县教育局,jyj@example.org\n", encoding="utf-8")
    (tmp_path / "nianbao.toml").write_text(CONFIG.replace("{port}", str(smtp_port)), encoding="utf-8")
    wiring = CheckAlertWiring.from_config(load_checked_config(tmp_path / "nianbao.toml"))
    with Store.open(db_path) as store:
        wiring.run_checks(store.db, as_of=date(2024, 6, 1))
        missing = store.db.execute("SELECT id FROM findings WHERE rule = 'missing_report'").fetchone()[0]
        finding_states.dismiss(store.db, missing, by="李主任", reason="该局2023年并入县政务服务中心",
                               now="2024-06-05T09:00:00Z")
        sent = wiring.send_alerts(store.db, now=datetime(2024, 6, 6, 8, tzinfo=UTC))

    datasette = make_datasette(db_path, plugins=[feed])
    feed.set_subscriptions(datasette, wiring)  # as `nianbao serve --config nianbao.toml` does
    asyncio.run(datasette.invoke_startup())

    # The office of 泽州县: its county only, the rules that raise alerts (no 逾期发布), the dismissal with its reason.
    office_mail = inbox.to("office@example.org")[-1]
    footer = "订阅：http://127.0.0.1:8001/-/feeds/recipients/泽州县政务公开办.atom"
    assert footer in bodies(office_mail)[0]
    root, entries = _feed_entries(datasette, footer.split("8001", 1)[1])
    assert root.findtext(f"{ATOM}title") == "泽州县政务公开办订阅的政府信息公开年报监测：问题动态"
    assert sorted(e["title"] for e in entries) == [
        "【发现问题】泽州县人力资源和社会保障局 2023年度 未发布年度报告",
        "【发现问题】泽州县教育局 2023年度 办理结果总计不符",
        "【发现问题】泽州县教育局 2023年度 申请情况表总计列不符",
        "【已排除】泽州县人力资源和社会保障局 2023年度 未发布年度报告"]
    dismissed = next(e for e in entries if e["title"].startswith("【已排除】"))
    assert dismissed["summary"].startswith("排除原因：该局2023年并入县政务服务中心（李主任）")
    education = next(e for e in entries if "教育局" in e["title"])
    assert education["link"].startswith("http://localhost/nianbao/reports/")

    # The group bot of 阳城县 (errors of 阳城县): 阳城县财政局's two sum errors, linked to its report page.
    bot = dict(sent.digests)["webhook:wecom:阳城县群"]
    assert "订阅：http://127.0.0.1:8001/-/feeds/recipients/阳城县群.atom" in bot.text
    _, entries = _feed_entries(datasette, "/-/feeds/recipients/阳城县群.atom")
    assert sorted(e["title"] for e in entries) == ["【发现问题】阳城县财政局 2023年度 办理结果总计不符",
                                                   "【发现问题】阳城县财政局 2023年度 申请情况表总计列不符"]
    assert {e["link"] for e in entries} == {f"http://localhost/nianbao/reports/{yangcheng}"}

    # The watch list's contact of 泽州县教育局 (no name: its feed is under its address): that agency only.
    assert "订阅：http://127.0.0.1:8001/-/feeds/recipients/jyj@example.org.atom" in bodies(
        inbox.to("jyj@example.org")[-1])[0]
    _, entries = _feed_entries(datasette, "/-/feeds/recipients/jyj@example.org.atom")
    assert sorted(e["title"] for e in entries) == ["【发现问题】泽州县教育局 2023年度 办理结果总计不符",
                                                   "【发现问题】泽州县教育局 2023年度 申请情况表总计列不符"]

    unknown = asyncio.run(datasette.client.get("/-/feeds/recipients/nobody.atom"))
    assert unknown.status_code == 404
    assert "没有名为“nobody”的接收方" in unknown.text


def test_recipients_sharing_a_name_must_share_a_subscription(tmp_path: Path) -> None:
    config = tmp_path / "nianbao.toml"
    config.write_text('[[alerts.recipients]]\nemail = "a@example.org"\nname = "青山县"\ncounties = ["990101"]\n\n'
                      '[[alerts.recipients]]\nemail = "b@example.org"\nname = "青山县"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_checked_config(config)
    assert str(error.value) == (f"{config}:8: [[alerts.recipients]] 第1项和第2项同名（青山县）但订阅的县区、规则或严重"
                                "程度不同：同名的接收方共用一个订阅地址，请改用不同的 name")
