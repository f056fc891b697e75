"""Crawl throughput: `nianbao crawl` against a bare Scrapy spider fetching the same URLs, on a loopback network.

    .venv/bin/python bench/crawl.py                      # 200 sites × 100 pages = 20,000 pages, politeness off
    .venv/bin/python bench/crawl.py --sites 20 --pages 100
    .venv/bin/python bench/crawl.py --polite --sites 40  # both with robots.txt, 0.5 s delay, AutoThrottle

Each site is a TRS-style county (home → 政府信息公开 → 年报 column with createPageHTML paging, 部门信息公开 →
departments → their 年报) whose report articles hold the tables, so parsing is on. The portals run in a separate
server process. The bare spider gets the list of every URL nianbao fetched (no discovery, no parsing, no store),
one download slot per site as nianbao has, and the same settings: concurrency (overall and 2 per site) and
politeness (robots.txt, DOWNLOAD_DELAY, AutoThrottle start delay and target concurrency), either nianbao's
defaults (--polite; the bare spider then runs a second time without them) or all off (benchmark only, printed).
Targets: ≥ 0.7 of the bare rate like for like; peak memory < 300 MB."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.run import crawl  # noqa: E402
from samples.layout import layout  # noqa: E402
from samples.portals import Portal, Resource, _html, _links, _page, sample  # noqa: E402
from samples.render import html_body  # noqa: E402

DEPARTMENTS = ("教育局", "民政局", "财政局", "人力资源和社会保障局", "自然资源局", "住房和城乡建设局", "交通运输局",
               "水利局", "农业农村局", "商务局", "文化和旅游局", "卫生健康局", "应急管理局", "审计局", "统计局",
               "医疗保障局", "林业局", "市场监督管理局", "司法局", "退役军人事务局")


def network(sites: int, pages: int) -> list[Portal]:
    """`sites` counties of about `pages` pages each, about a fifth of them report articles holding the tables."""
    template = sample("模板县人民政府", 2023, 11)
    body = html_body(layout(template))
    portals = []
    departments = min(len(DEPARTMENTS), max(1, pages // 20))
    lists = max(1, int((pages - 4 - 3 * departments) / 1.25))  # list pages; every fourth one lists a report
    for index in range(sites):
        name = f"测{index:03d}县"
        code = f"{990000 + index:06d}"
        res: dict[str, Resource] = {
            "/": _html(_page(f"{name}人民政府", _links([("政府信息公开", "/zfxxgk/"), ("新闻中心", "/xwzx/")]))),
            "/zfxxgk/": _html(_page("政府信息公开", _links([("政府信息公开年报", "/zfxxgk/nb/"),
                                                      ("部门信息公开", "/bmxxgk/"), ("政府信息公开指南", "/zn/")]))),
        }

        def report(agency: str, year: int, path: str, name: str = name, res: dict[str, Resource] = res) -> None:
            text = body.replace("模板县人民政府", agency).replace("2023年", f"{year}年")
            title = f"{agency}{year}年政府信息公开工作年度报告"
            res[path] = _html(_page(title, f'<h1>{title}</h1><div class="TRS_Editor">{text}</div>',
                                    meta={"ArticleTitle": title, "PubDate": f"{year + 1}-01-20 10:00"}))

        for number in range(lists):
            items = [(f"{name}人民政府{2023 - number % 9}年第{number}期工作动态", f"/xw/{number}_{k}.html")
                     for k in range(9)]
            if number % 4 == 0:
                agency = f"{name}{DEPARTMENTS[number % len(DEPARTMENTS)]}{number}所"
                items.insert(number % 9, (f"{agency}2023年政府信息公开工作年度报告", f"/zfxxgk/nb/t{number}.html"))
                report(agency, 2023, f"/zfxxgk/nb/t{number}.html")
            pager = f'<script>createPageHTML({lists}, {number}, "index", "html");</script>'
            res[f"/zfxxgk/nb/index{'_' + str(number) if number else ''}.html"] = _html(
                _page("政府信息公开年报", _links(items), scripts=pager))
        res["/zfxxgk/nb/"] = res["/zfxxgk/nb/index.html"]
        res["/bmxxgk/"] = _html(_page("部门信息公开", _links(
            [(f"{name}{d}", f"/bmxxgk/bm{i}/") for i, d in enumerate(DEPARTMENTS[:departments])])))
        for i, department in enumerate(DEPARTMENTS[:departments]):
            res[f"/bmxxgk/bm{i}/"] = _html(_page(department, _links([("政府信息公开年报", f"/bmxxgk/bm{i}/nb/"),
                                                                    ("政府信息公开指南", f"/bmxxgk/bm{i}/zn/")])))
            res[f"/bmxxgk/bm{i}/nb/"] = _html(_page("年报", _links(
                [(f"{name}{department}2023年政府信息公开工作年度报告", f"/bmxxgk/bm{i}/nb/t1.html")])))
            report(f"{name}{department}", 2023, f"/bmxxgk/bm{i}/nb/t1.html")
        portals.append(Portal(code, name, res))
    return portals


def _serve(sites: int, pages: int, connection: multiprocessing.connection.Connection) -> None:
    from samples.portal_server import serve

    server = serve(network(sites, pages))
    connection.send([server.url(p) for p in server.portals])
    connection.recv()  # until the bench is done
    server.close()


def _peak_memory(pid: int, peak: list[int]) -> None:
    """Follow the peak resident set (VmHWM) of a process plus its children (parse workers) until it exits."""
    peaks: dict[int, int] = {}
    while Path(f"/proc/{pid}").exists():
        for process in [pid, *_children(pid)]:
            try:
                for line in Path(f"/proc/{process}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks[process] = max(peaks.get(process, 0), int(line.split()[1]) * 1024)
            except (FileNotFoundError, ProcessLookupError):
                continue
        peak[0] = peaks.get(pid, 0)
        peak[1] = sum(peaks.values())
        time.sleep(0.2)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


BARE = """
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess

urls = json.load(open(sys.argv[1]))
settings = json.load(open(sys.argv[2]))

class Bare(scrapy.Spider):
    name = "bare"
    async def start(self):
        for url, slot in urls:
            yield scrapy.Request(url, callback=self.parse, meta={"download_slot": slot}, dont_filter=True)
    def parse(self, response):
        self.crawler.stats.inc_value("bare/pages")

process = CrawlerProcess({"LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False, "HTTPERROR_ALLOWED_CODES": [404, 412],
                          "COOKIES_ENABLED": False, **settings})
process.crawl(Bare)
process.start()
"""

# The same politeness for both sides: nianbao's defaults (crawler/settings.py) or all of it off (benchmark only).
POLITE: dict[str, object] = {"obey_robots": True, "download_delay": 0.5, "autothrottle": True}
IMPOLITE: dict[str, object] = {"obey_robots": False, "download_delay": 0, "autothrottle": False}


def bare_settings(politeness: dict[str, object], concurrency: int, per_site: int = 2) -> dict[str, object]:
    """Scrapy settings for the bare spider matching nianbao's for the same options (crawler/settings.py)."""
    return {"CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": per_site,
            "ROBOTSTXT_OBEY": politeness["obey_robots"], "DOWNLOAD_DELAY": politeness["download_delay"],
            "AUTOTHROTTLE_ENABLED": politeness["autothrottle"],
            "AUTOTHROTTLE_START_DELAY": politeness["download_delay"], "AUTOTHROTTLE_TARGET_CONCURRENCY": per_site}


def run_bare(urls: list[tuple[str, str]], settings: dict[str, object], temp: Path) -> tuple[float, int]:
    """Seconds and peak memory of a bare Scrapy spider fetching the URLs."""
    (temp / "urls.json").write_text(json.dumps(urls))
    (temp / "bare.json").write_text(json.dumps(settings))
    (temp / "bare.py").write_text(BARE)
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(temp / "bare.py"), str(temp / "urls.json"),
                                str(temp / "bare.json")])
    peak = [0, 0]
    watcher = threading.Thread(target=_peak_memory, args=(process.pid, peak))
    watcher.start()
    process.wait()
    watcher.join()
    return time.perf_counter() - start, peak[1]


def run_nianbao(sites: Path, temp: Path, politeness: dict[str, object],
                concurrency: int) -> tuple[float, int, int, int, int, list[dict]]:
    """Seconds, peak memory (crawl process; with its parse workers), pages, reports stored, progress samples."""
    peak = [0, 0]
    watchers: list[threading.Thread] = []

    def watch(pid: int) -> None:
        watchers.append(threading.Thread(target=_peak_memory, args=(pid, peak)))
        watchers[-1].start()

    samples: list[dict] = []
    start = time.perf_counter()
    summary = crawl(sites, temp / "nianbao.db", temp, overrides={
        **politeness, "concurrency": concurrency, "allow_private_networks": True, "max_pages_per_site": 10_000},
        on_start=watch, progress=samples.append)
    seconds = time.perf_counter() - start
    for watcher in watchers:
        watcher.join()
    return seconds, peak[0], peak[1], summary.total("pages"), summary.total("new"), samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--pages", type=int, default=100, help="pages per site (about)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--polite", action="store_true",
                        help="both sides with nianbao's politeness defaults (robots.txt, 0.5 s delay, AutoThrottle), "
                             "and the bare spider once more without them")
    args = parser.parse_args()
    politeness = POLITE if args.polite else IMPOLITE
    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.Process(target=_serve, args=(args.sites, args.pages, theirs), daemon=True)
    server.start()
    urls = ours.recv()
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as temp_name:
        temp = Path(temp_name)
        sites = temp / "sites.csv"
        sites.write_text("code,name,url\n" + "".join(f"{990000 + i},测{i:03d}县,{url}\n" for i, url in enumerate(urls)),
                         encoding="utf-8")
        seconds, peak, peak_all, pages, stored, samples = run_nianbao(sites, temp, politeness, args.concurrency)
        fetched = _fetched_urls(urls, args.pages)
        bare_seconds, bare_peak = run_bare(fetched, bare_settings(politeness, args.concurrency), temp)
        if args.polite:
            off_seconds, _ = run_bare(fetched, bare_settings(IMPOLITE, args.concurrency), temp)
    ours.send("done")
    rate, bare_rate = pages / seconds, len(fetched) / bare_seconds
    print(f"sites {args.sites}, pages fetched by nianbao {pages}, by the bare spider {len(fetched)}, "
          f"reports stored {stored}")
    print(f"settings for both: concurrency {args.concurrency}, 2 per site, " + ", ".join(
        f"{key} {value}" for key, value in politeness.items()) + ("" if args.polite else " (benchmark only)"))
    print(f"nianbao crawl   {rate:8.1f} pages/s  ({seconds:.1f} s)  peak memory {peak / 2**20:.0f} MB"
          f" (with its parse workers {peak_all / 2**20:.0f} MB)")
    print(f"bare Scrapy     {bare_rate:8.1f} pages/s  ({bare_seconds:.1f} s)  peak memory {bare_peak / 2**20:.0f} MB")
    print(f"ratio like for like {rate / bare_rate:.2f} (target ≥ 0.70); peak memory target < 300 MB")
    if args.polite:
        off_rate = len(fetched) / off_seconds
        print(f"bare Scrapy, politeness off {off_rate:8.1f} pages/s ({off_seconds:.1f} s): "
              f"ratio against it {rate / off_rate:.2f}")
    else:
        print("(politeness off on both sides: the like-for-like ratio is also the ratio against the bare spider "
              "with politeness off)")
    running = [sample for sample in samples if "downloading" in sample]
    if running:
        keys = ("downloading", "slot_queued", "busy_sites", "scheduled", "scraper_bytes", "scraper_items")
        print("nianbao, mean over the crawl: " + ", ".join(
            f"{key} {sum(sample[key] for sample in running) / len(running):.1f}" for key in keys))


def _fetched_urls(urls: list[str], pages: int) -> list[tuple[str, str]]:
    """Every page of the network nianbao's discovery reaches (the same set for the bare spider), with its site."""
    result = []
    for index, base in enumerate(urls):
        for path in network_paths(pages):
            result.append((base.rstrip("/") + path, f"site-{index}"))
    return result


def network_paths(pages: int) -> list[str]:
    """Paths nianbao fetches on one generated site (listings, departments and report articles)."""
    [portal] = network(1, pages)
    return [path for path in portal.resources if path != "/zfxxgk/nb/index.html"]


if __name__ == "__main__":
    main()
