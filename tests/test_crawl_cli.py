"""`nianbao crawl` from the command line: a bad sites file, and a crawl of fixture portals with its summary."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from crawler.sites import read_sites
from nianbao.cli import main
from samples.portal_server import serve
from samples.portals import hanweb_portal, trs_portal

ROOT = Path(__file__).parent.parent


def test_crawl_cli_bad_sites_file_names_file_and_line(tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text("code,name,url\n140525,泽州县,http://www.zezhou.gov.cn/\n1405,古县,http://a.gov.cn/\n",
                     encoding="utf-8")
    result = CliRunner().invoke(main, ["crawl", "--sites", str(sites), "--db", str(tmp_path / "n.db")])
    assert result.exit_code == 2
    assert f"错误：{sites}:3: code 列的 '1405' 不是6位行政区划代码" in result.output


def test_crawl_cli_example_sites_file_is_valid() -> None:
    sites = read_sites(ROOT / "sites.example.csv")
    assert {"140525", "360733"} <= {site.code for site in sites}


def test_crawl_cli_crawls_and_prints_a_summary(tmp_path: Path) -> None:
    server = serve([trs_portal(), hanweb_portal()])  # neither redirects anywhere outside its own server
    try:
        sites = tmp_path / "sites.csv"
        sites.write_text("code,name,url\n" + "".join(f"{p.code},{p.name},{server.url(p)}\n" for p in server.portals),
                         encoding="utf-8")
        config = tmp_path / "nianbao.toml"
        config.write_text('[crawl]\ndownload_delay = 0\nautothrottle = false\ncontact = "ops@example.org"\n',
                          encoding="utf-8")
        result = CliRunner().invoke(main, ["--config", str(config), "crawl", "--sites", str(sites),
                                           "--db", str(tmp_path / "nianbao.db"), "--allow-private-networks"])
    finally:
        server.close()
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split() for line in result.output.splitlines() if line[:1].isdigit()}
    # 代码 县区 状态 页面 年报 新增 更新 错误 被拦截
    assert rows["140525"][1:3] == ["泽州县", "正常"]
    assert rows["140525"][4:6] == ["5", "2"]  # html+pdf of the county report, .ofd, 图片版; 2 new reports
    assert rows["360733"][4:6] == ["4", "4"]
    assert rows["360733"][-1] == "2"  # the 412 challenge and the ~1 KB script shell
    agents = {hit.user_agent for hit in server.hits}
    assert all("nianbao/" in agent and "ops@example.org" in agent for agent in agents)
