"""Only http and https: a portal's file: link is never read, a finding's javascript: URL is never a link."""

from __future__ import annotations

from pathlib import Path

from test_crawl import FAST, current_reports, write_sites

from alerts.digest import build_digest
from crawler.run import crawl
from samples.portal_server import serve
from samples.portals import _html, _links, _page, document, plain_portal, sample


def test_digest_links_only_http_urls() -> None:
    items = [{"kind": "finding", "rule": "late", "severity": "error", "county": "140525", "county_name": "泽州县",
              "agency": "泽州县教育局", "year": 2023, "report_id": 7, "message": "逾期发布",
              "url": "javascript:alert(document.cookie)", "title": "泽州县教育局2023年政府信息公开工作年度报告"}]
    digest = build_digest(items, base_url="http://127.0.0.1:8001/nianbao")
    assert 'href="javascript' not in digest.html
    assert "javascript:alert(document.cookie)" in digest.html  # shown, as text
    assert '<a href="http://127.0.0.1:8001/nianbao/reports/7">' in digest.html


def test_crawl_never_reads_a_file_url_even_with_private_networks_allowed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(document(sample("古县机密局", 2023, 99), "pdf").body)
    portal = plain_portal(private_redirect=secret.as_uri())  # 交通运输局's link redirects to file:///…
    portal.resources["/xxgk/nb/list?page=2"] = _html(_page("年度报告", _links([
        ("古县机密局2023年政府信息公开工作年度报告", secret.as_uri()),
        ("古县林业局2022年政府信息公开工作年度报告", "/files/lyj2022.docx")])))
    server = serve([portal])
    try:
        sites = write_sites(tmp_path / "sites.csv", server)
        crawl(sites, tmp_path / "nianbao.db", tmp_path, overrides={**FAST, "allow_private_networks": True})
    finally:
        server.close()
    reports = current_reports(tmp_path / "nianbao.db")
    assert ("141025", "古县林业局", 2022) in reports
    assert all(agency != "古县机密局" for _, agency, _ in reports)
