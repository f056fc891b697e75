"""Per-site counters of one crawl (pages, reports found, new, changed, errors, blocked) → crawl_runs rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from db.crawl_runs import SiteRun

# Each crawl outcome (crawl_runs.status) with the label people read: summaries, the crawl's notes.
STATUS_LABELS = {"ok": "正常", "empty": "未找到年报", "failed": "无法访问", "blocked": "被拦截", "running": "爬取中",
                 "interrupted": "爬取中断"}


def status_label(status: str | None) -> str:
    """正常, 被拦截, …; a status without a label as it is."""
    return STATUS_LABELS.get(status or "running", status or "")


@dataclass
class SiteTally:
    """What the crawl saw on one site so far."""

    code: str
    name: str
    pages: int = 0
    ok_pages: int = 0
    reports: set[str] = field(default_factory=set)
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: int = 0
    blocked: int = 0
    unsupported: int = 0
    messages: list[str] = field(default_factory=list)
    departments: dict[str, str] = field(default_factory=dict)  # listed on the portal: name → sub-site URL
    subsites: set[str] = field(default_factory=set)  # departments whose sub-site root was read
    columns: dict[str, str] = field(default_factory=dict)  # department → its 年报 column (or report list) URL

    def list_department(self, name: str, url: str) -> None:
        """A department the county's directory lists (the first URL seen for it is kept)."""
        self.departments.setdefault(name, url)

    def report_column(self, department: str, url: str) -> None:
        """A 年报 column (or a list of reports) found in the department's sub-site."""
        self.columns.setdefault(department, url)

    def without_column(self) -> list[str]:
        """Listed departments in whose sub-site no 年报 column was found."""
        return [name for name in self.departments if name not in self.columns]

    def note(self, message: str) -> None:
        """Keep the first few error messages for crawl_runs.message."""
        if len(self.messages) < 5 and message not in self.messages:
            self.messages.append(message)

    def status(self) -> str:
        """ok / failed / blocked / empty, as crawl_runs.status."""
        if self.ok_pages == 0:
            return "blocked" if self.blocked else "failed"
        if self.reports and self.errors and not (self.new or self.changed or self.unchanged):
            return "failed"  # reports were found but none could be fetched or stored
        return "ok" if self.reports else "empty"

    def to_run(self, started_at: str, finished_at: str) -> SiteRun:
        """The crawl_runs row for this site."""
        return SiteRun(
            county_code=self.code, started_at=started_at, finished_at=finished_at, status=self.status(),
            pages=self.pages, reports_found=len(self.reports), new=self.new, changed=self.changed,
            unchanged=self.unchanged, errors=self.errors, blocked=self.blocked, message="；".join(self.messages),
            departments_listed=len(self.departments), subsites_visited=len(self.subsites),
            report_columns=len([name for name in self.columns if name in self.departments]),
            without_column="、".join(self.without_column()), departments=dict(self.departments),
        )
