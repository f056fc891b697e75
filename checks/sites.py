"""The rules about a county's portal, judged on each crawl of it: site_unreachable and site_changed.

They are raised and resolved as each crawl is recorded (`db.crawl_runs.finish_runs` writes them with the crawl's
rows, in one transaction), not by `nianbao check`: a site is judged by its latest crawl, not by stored reports.
"""

from __future__ import annotations

from checks.model import SITE_SEVERITY, Finding
from db.crawl_runs import SiteRun

UNREACHABLE = ("failed", "blocked")


def site_findings(run: SiteRun, found_before: int | None) -> tuple[list[Finding], list[str]]:
    """What one crawl of a site says, given the most reports an earlier finished crawl found there:
    the findings it raises (or keeps open), and the fingerprints of the findings it resolves."""
    raised: list[Finding] = []
    resolved: list[str] = []
    if run.status in UNREACHABLE:
        why = "被网站防护拦截（JS 验证）" if run.status == "blocked" else "无法访问"
        raised.append(_finding(run, "site_unreachable", f"门户网站{why}：{run.message}".rstrip("：")))
    else:
        resolved.append(_finding(run, "site_unreachable", "").fingerprint)
    if run.status == "empty" and found_before:
        raised.append(_finding(run, "site_changed",
                               f"门户网站本次未找到任何年报，上次找到 {found_before} 份：栏目可能已改版或迁移"))
    elif run.reports_found:
        resolved.append(_finding(run, "site_changed", "").fingerprint)
    if run.status not in UNREACHABLE:
        _department_columns(run, raised, resolved)
    return raised, resolved


def _department_columns(run: SiteRun, raised: list[Finding], resolved: list[str]) -> None:
    """A directory of departments found, but not one 年报 column in their sub-sites: the portal changed."""
    keys = ["department_columns"]  # its own fingerprint, apart from "no report at all"
    if run.departments_listed and not run.report_columns:
        message = (f"门户网站列出 {run.departments_listed} 个部门（进入 {run.subsites_visited} 个部门子站），"
                   "但未找到任何部门的政府信息公开年报栏目：部门栏目可能已改版或迁移")
        raised.append(_finding(run, "site_changed", message, keys))
    elif run.report_columns:
        resolved.append(_finding(run, "site_changed", "", keys).fingerprint)


def _finding(run: SiteRun, rule: str, message: str, keys: list[str] | None = None) -> Finding:
    # No agency or year: the fingerprint is rule + county (+ keys), the same for every crawl of the site.
    return Finding(rule=rule, severity=SITE_SEVERITY[rule], county=run.county_code, agency=None, year=None,
                   keys=keys or [], expected=None, found=None, message=message, url=None)
