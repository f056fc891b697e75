"""A generated corpus at scale on loopback: many TRS-style county portals, each listing its agencies' annual reports
as HTML articles (tables in the page) or articles with a DOCX or PDF attachment. bench/pipeline.py crawls it.

Every portal: home → 政府信息公开 → 政府信息公开年报 (20 reports a list page, createPageHTML paging) → articles.
Each agency publishes four years (2021–2024), so the history rules have predecessors; about one report in ten
breaks a sum on purpose.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from html import escape

from samples.generate import random_report
from samples.model import SampleReport
from samples.portals import Portal, Resource, _html, _links, _page, article, document

DEPARTMENTS = ("人民政府", "发展和改革局", "教育局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
               "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局",
               "文化和旅游局", "卫生健康局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局",
               "林业局", "信访局", "退役军人事务局")
YEARS = (2021, 2022, 2023, 2024)
# Share of each format among reports (on real portals most reports are HTML pages, the rest Word or PDF files).
FORMAT_MIX = (("html", 0.6), ("docx", 0.25), ("pdf", 0.15))
PER_LIST_PAGE = 20


def plan(sites: int, reports: int, seed: int = 0) -> list[list[tuple[SampleReport, str]]]:
    """For each site, its reports and the format each is published in (`reports` in all, spread evenly)."""
    rng = random.Random(seed)
    formats = [fmt for fmt, _ in FORMAT_MIX]
    weights = [weight for _, weight in FORMAT_MIX]
    result: list[list[tuple[SampleReport, str]]] = []
    for site in range(sites):
        name = county_name(site)
        count = reports // sites + (1 if site < reports % sites else 0)
        published: list[tuple[SampleReport, str]] = []
        for index in range(count):
            agency = f"{name}{DEPARTMENTS[index // len(YEARS) % len(DEPARTMENTS)]}"
            if index >= len(YEARS) * len(DEPARTMENTS):
                agency += f"第{index // (len(YEARS) * len(DEPARTMENTS))}分局"
            year = YEARS[index % len(YEARS)]
            report = random_report(rng, agency, year, "2021", consistent=rng.random() > 0.1)
            published.append((report, rng.choices(formats, weights)[0]))
        result.append(published)
    return result


def county_name(site: int) -> str:
    """The name of generated county number `site`."""
    return f"样{site:04d}县"


def county_code(site: int) -> str:
    """The 6-digit code of generated county number `site`."""
    return f"{980000 + site:06d}"


def _render(job: tuple[SampleReport, str]) -> Resource:
    return document(*job)


def portals(sites: int, reports: int, seed: int = 0, workers: int = 1) -> list[Portal]:
    """The corpus as fixture portals for samples.portal_server.serve (DOCX and PDF rendered on `workers` cores)."""
    planned = plan(sites, reports, seed)
    files = [(report, fmt) for site in planned for report, fmt in site if fmt != "html"]
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            rendered = iter(list(pool.map(_render, files, chunksize=8)))
    else:
        rendered = iter([_render(job) for job in files])
    return [_portal(site, published, rendered) for site, published in enumerate(planned)]


def _portal(site: int, published: Sequence[tuple[SampleReport, str]], rendered: object) -> Portal:
    name, code = county_name(site), county_code(site)
    res: dict[str, Resource] = {
        "/": _html(_page(f"{name}人民政府", _links([("政府信息公开", "/zfxxgk/"), ("新闻中心", "/xwzx/")]))),
        "/zfxxgk/": _html(_page("政府信息公开", _links([("政府信息公开年报", "/zfxxgk/nb/"),
                                                  ("政府信息公开指南", "/zfxxgk/zn/")]))),
    }
    items = []
    for number, (report, fmt) in enumerate(published):
        title = f"{report.agency}{report.year}年政府信息公开工作年度报告"
        path = f"/zfxxgk/nb/t{number}.html"
        items.append((title, f"./t{number}.html"))
        if fmt == "html":
            res[path] = article(report, title, report.agency, code=code)
            continue
        attachment = (f'<p class="insertfileTag"><a appendix="true" href="./P0{code}{number:05d}.{fmt}">'
                      f"附件：{escape(title)}.{fmt}</a></p>")
        res[path] = article(report, title, report.agency, tables=False, attachments=attachment, code=code)
        res[f"/zfxxgk/nb/P0{code}{number:05d}.{fmt}"] = next(rendered)  # type: ignore[call-overload]
    pages = max(1, -(-len(items) // PER_LIST_PAGE))
    for page in range(pages):
        script = f'<script>createPageHTML({pages}, {page}, "index", "html");</script>'
        listed = items[page * PER_LIST_PAGE:(page + 1) * PER_LIST_PAGE]
        res[f"/zfxxgk/nb/index{'_' + str(page) if page else ''}.html"] = _html(
            _page("政府信息公开年报", _links(listed), scripts=script))
    res["/zfxxgk/nb/"] = res["/zfxxgk/nb/index.html"]
    return Portal(code, name, res, [report for report, _ in published])
