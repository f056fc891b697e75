"""A portal that later serves a report truncated: the complete reading stays current, and the checks say so."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from checks import CheckSettings
from checks.service import run_checks
from db.store import Store

SEED = Path(__file__).parent / "golden" / "seed_000" / "input.txt"  # 古县人力资源和社会保障局 2021, every table
URL = "http://www.guxian.gov.cn/xxgk/nb/2022/hrss2021.txt"


def _current(store: Store) -> list[tuple[int, str]]:
    return [(r.version, r.report.template) for r in store.current_reports()]


def test_store_truncated_reserve_is_kept_but_not_current(tmp_path: Path) -> None:
    complete = SEED.read_bytes()
    text = complete.decode("utf-8")
    truncated = text[: text.index("\n四、政府信息公开行政复议")].encode("utf-8")  # stops before table four
    with Store.open(tmp_path / "nianbao.db") as store:
        assert store.ingest(complete, url=URL, county_code="141025").status == "new"
        first = next(iter(store.current_reports()))
        assert store.ingest(truncated, url=URL, county_code="141025").status == "degraded"
        now = next(iter(store.current_reports()))
        assert (now.id, now.version) == (first.id, 1)
        assert store.db.execute("SELECT count(*) FROM reports").fetchone()[0] == 2
        run_checks(store.db, CheckSettings(years=(2021,)), as_of=date(2022, 6, 1))
        found = store.db.execute(
            "SELECT message FROM findings WHERE rule = 'report_degraded' AND resolved_at IS NULL").fetchall()
        assert len(found) == 1
        # The 2021 template has 10 + 175 + 15 cells; table four's 15 are gone.
        assert "只读到185个数值，少于此前完整版本的200个，缺少第四、五、六部分" in found[0][0]
        corrected = text.replace("本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量", 1) + "\n（更正）\n"
        assert store.ingest(corrected.encode("utf-8"), url=URL, county_code="141025").status in ("changed",
                                                                                              "unchanged")
        assert next(iter(store.current_reports())).report.tables == first.report.tables
