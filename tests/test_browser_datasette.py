"""A real `nianbao serve` on a free 127.0.0.1 port, looked at by headless Chromium: report page and chart."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_datasette import ZEZHOU_HRSS_URL, build_sample_db

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1200,900", "--virtual-time-budget=10000"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`nianbao serve` in its own process on the sample store; yields its base URL."""
    folder = tmp_path_factory.mktemp("served")
    db_path = build_sample_db(folder)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", "from nianbao.cli import main; main()", "serve", "--db", str(db_path),
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/-/versions.json", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.poll() is not None else ""
                    pytest.fail(f"nianbao serve did not start on {base}: {output}")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def chromium(url: str, profile: Path, *mode: str) -> str:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"headless Chromium not installed at {CHROMIUM}: scripts/system-deps.sh installs it")
    result = subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *mode, url],
                            capture_output=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    return result.stdout.decode("utf-8")


def test_browser_report_page_shows_chinese_labels_and_source_link(server: str, tmp_path: Path) -> None:
    url = f"{server}/nianbao/reports/1"
    dom = chromium(url, tmp_path / "profile-dom", "--dump-dom")
    assert "年度报告 1：泽州县人力资源和社会保障局2023年政府信息公开工作年度报告" in dom
    for label in ("报告原文网址", "报告落款日期", "表格模板", "报告数据（单元格）"):
        assert label in dom, label
    assert f'href="{ZEZHOU_HRSS_URL}"' in dom
    # The tables as printed (read off tests/fixtures/store/zezhou_hrss_2023.txt): 行政复议 维持 1, 纠正 1, 总计 2;
    # 未经复议直接起诉 总计 17; the balance finding marked on 本年新收·总计 with its message.
    for text in ("二、主动公开政府信息情况", "申请人情况", "法人或其他组织", "（三）不予公开", "未经复议直接起诉",
                 'data-key="reviews.review.total" class="nb-number">2<',
                 'data-key="reviews.litigation_direct.total" class="nb-number">17<',
                 'data-key="requests.received.total" class="nb-number nb-finding" title="收支不平">0<',
                 "申请收支不平衡", "存档副本", "2022年度报告"):
        assert text in dom, text
    screenshot = tmp_path / "report.png"
    chromium(url, tmp_path / "profile-shot", "--window-size=1280,2400", f"--screenshot={screenshot}")
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_browser_report_page_2019_template_and_a4_print(server: str, tmp_path: Path) -> None:
    url = f"{server}/nianbao/reports/3"  # 前进区人社局 2022, printed in the 2019 template
    dom = chromium(url, tmp_path / "profile-dom", "--dump-dom")
    for text in ("2019年模板", "本年新制作数量", "其他对外管理服务事项", "采购总金额", "（六）其他处理",
                 "没有发现问题"):
        assert text in dom, text
    chromium(url, tmp_path / "profile-shot", "--window-size=1280,2400", f"--screenshot={tmp_path / 'report-2019.png'}")
    pdf = tmp_path / "report-2019.pdf"
    chromium(url, tmp_path / "profile-pdf", "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) not installed: scripts/system-deps.sh installs it")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info  # one report, its three tables, on A4 sheets
    assert int(info.split("Pages:")[1].split()[0]) <= 2


def test_browser_chart_page_draws_years_by_status(server: str, tmp_path: Path) -> None:
    url = f"{server}/-/dashboards/timeliness"
    dom = chromium(url, tmp_path / "profile-dom", "--dump-dom")
    assert "年报按时发布情况" in dom
    # Vega drew the chart (an SVG "visualization") with its Chinese axis and legend labels.
    assert 'aria-roledescription="visualization"' in dom
    for label in ("年度", "年报数量", ">按时<", ">逾期<", ">缺失<", ">2023<"):
        assert label in dom, label
    screenshot = tmp_path / "timeliness.png"
    chromium(url, tmp_path / "profile-shot", f"--screenshot={screenshot}")
    assert screenshot.stat().st_size > 10_000  # for a person: pytest keeps tmp_path of the last runs


def test_browser_county_ranking_lists_lowest_on_time_first(server: str, tmp_path: Path) -> None:
    url = f"{server}/nianbao/county_ranking?year=2023"
    dom = chromium(url, tmp_path / "profile-dom", "--dump-dom")
    for text in ("区县排名：按时、完整、一致", ">省份<", ">地市<", ">按时率<", ">完整率<", ">一致率<", "查看 SQL"):
        assert text in dom, text
    # 2023 in 泽州县 (晋城市, 山西省): 1 on time of 2 published + 1 missing = 33.3 %; 50.0 % consistent; 50.0 %
    # complete (人社局's report has no 行政强制 row in table 二).
    row = dom[dom.index(">泽州县<"):]
    row = row[:row.index("</tr>")]
    for cell in (">140525<", ">33.3<", ">50.0<"):
        assert cell in row, cell
    assert dom.index(">古县<") < dom.index(">泽州县<")  # no 2023 data: listed first, not left out
    chromium(url, tmp_path / "profile-shot", "--window-size=1280,900", f"--screenshot={tmp_path / 'ranking.png'}")


def test_browser_departments_by_years_grid(server: str, tmp_path: Path) -> None:
    url = f"{server}/-/dashboards/national?county=%E6%B3%BD%E5%B7%9E%E5%8E%BF"  # 泽州县
    dom = chromium(url, tmp_path / "profile-dom", "--dump-dom")
    assert "全国年报排名与分布" in dom
    assert dom.count('aria-roledescription="visualization"') >= 3  # provinces, days, grid drawn by Vega
    for label in ("泽州县教育局", "泽州县卫生健康局", "泽州县人力资源和社会保障局", ">按时<", ">逾期<", ">缺失<",
                  "山西省", "距法定期限的天数"):
        assert label in dom, label
    chromium(url, tmp_path / "profile-shot", "--window-size=1280,1600", f"--screenshot={tmp_path / 'grid.png'}")
    table = chromium(f"{server}/nianbao/county_grid?county=%E6%B3%BD%E5%B7%9E", tmp_path / "profile-grid",
                     "--dump-dom")
    assert "2022：按时\u30002023：按时·矛盾" in table and "2023：缺失" in table


def test_browser_search_finds_two_character_word(server: str, tmp_path: Path) -> None:
    url = f"{server}/nianbao/reports?_search=%E5%A4%8D%E8%AE%AE&_col=title&_col=agency&_col=year"  # 复议
    dom = chromium(url, tmp_path / "profile-dom", "--dump-dom")
    assert "共 3 行" in dom
    for title in ("泽州县人力资源和社会保障局2023年政府信息公开工作年度报告",
                  "古县人力资源和社会保障局2021年政府信息公开工作年度报告",
                  "前进区人力资源和社会保障局2022年政府信息公开工作年度报告"):
        assert title in dom, title
    assert "泽州县教育局" not in dom.split("共 3 行")[1]  # the built report has no 复议 in its text
    chromium(url, tmp_path / "profile-shot", "--window-size=1280,900", f"--screenshot={tmp_path / 'search.png'}")
    empty = chromium(f"{server}/nianbao/reports?_search=%E7%8E%AF%E5%A2%83%E7%9D%A3%E5%AF%9F",
                     tmp_path / "profile-empty", "--dump-dom")
    assert "没有找到包含“环境督察”的年报" in empty
