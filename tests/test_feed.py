"""The Atom feed of a county through Datasette's own client: findings found, fixed and dismissed, newest first."""

from __future__ import annotations

import asyncio
import sqlite3
import xml.etree.ElementTree as ElementTree
from datetime import date
from pathlib import Path

from checks_factory import ingest_page, sample_page, zezhou_store
from test_alerts_email import recheck

from alerts import feed
from checks import CheckSettings
from checks.service import run_checks
from db import finding_states
from db.browse import make_datasette
from db.store import Store

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
