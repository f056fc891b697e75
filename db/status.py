"""SQL for `nianbao status` and the demo's summary: last crawls, reports by year, open findings, pending alerts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlite_utils import Database


@dataclass
class StoreStatus:
    """What the store holds, in the shape `nianbao status --json` prints."""

    crawls: list[dict[str, Any]] = field(default_factory=list)  # last crawl per county
    reports_by_year: dict[int, int] = field(default_factory=dict)  # current reports per report year
    reports_by_county: dict[str, dict[int, int]] = field(default_factory=dict)  # county → year → count
    findings_by_rule: dict[str, dict[str, int]] = field(default_factory=dict)  # rule → severity → open findings
    pending_alerts: dict[str, int] = field(default_factory=dict)  # recipient → alerts not yet sent
    last_jobs: list[dict[str, Any]] = field(default_factory=list)  # last run of each scheduler job
    # county → {"listed": n, "with_reports": [names], "without_reports": [names]}: the portal's departments
    directory: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict (years as strings, keys stable)."""
        data = asdict(self)
        data["reports_by_year"] = {str(k): v for k, v in self.reports_by_year.items()}
        data["reports_by_county"] = {c: {str(y): n for y, n in years.items()}
                                     for c, years in self.reports_by_county.items()}
        return data


def _dicts(db: Database, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def last_crawls(db: Database) -> list[dict[str, Any]]:
    """The latest crawl_runs row of every county (with its name), by county code."""
    return _dicts(db, """
        SELECT r.county_code, c.name AS county_name, r.started_at, r.finished_at, r.status, r.pages,
               r.reports_found, r.new, r.changed, r.errors, r.blocked, r.message, r.departments_listed,
               r.subsites_visited, r.report_columns, r.without_column
        FROM crawl_runs r LEFT JOIN counties c ON c.code = r.county_code
        WHERE r.id = (SELECT max(id) FROM crawl_runs x WHERE x.county_code = r.county_code)
        ORDER BY r.county_code""")


def reports_by_county_year(db: Database) -> dict[str, dict[int, int]]:
    """county code → report year → number of current reports."""
    result: dict[str, dict[int, int]] = {}
    for county, year, count in db.execute(
            "SELECT county_code, year, count(*) FROM reports WHERE is_current = 1 "
            "GROUP BY county_code, year ORDER BY county_code, year"):
        result.setdefault(county or "", {})[year] = count
    return result


def open_findings_by_rule(db: Database) -> dict[str, dict[str, int]]:
    """rule → severity → number of open (not resolved, not dismissed) findings, crawler findings included."""
    result: dict[str, dict[str, int]] = {}
    for rule, severity, count in db.execute(
            "SELECT rule, severity, count(*) FROM findings WHERE resolved_at IS NULL AND dismissed_at IS NULL "
            "GROUP BY rule, severity ORDER BY rule, severity"):
        result.setdefault(rule, {})[severity] = count
    return result


def pending_alerts(db: Database) -> dict[str, int]:
    """recipient → alerts queued but not delivered yet."""
    return {recipient: count for recipient, count in db.execute(
        """SELECT recipient, count(*) FROM alerts WHERE status IN ('pending', 'sending')
           GROUP BY recipient ORDER BY recipient""")}


def last_jobs(db: Database) -> list[dict[str, Any]]:
    """The latest job_runs row of each scheduler job."""
    return _dicts(db, """
        SELECT job, started_at, finished_at, outcome, error FROM job_runs j
        WHERE j.id = (SELECT max(id) FROM job_runs x WHERE x.job = j.job) ORDER BY job""")


def portal_directory(db: Database) -> dict[str, dict[str, Any]]:
    """county → the agencies its portal lists: how many, which have a current report, which have none."""
    result: dict[str, dict[str, Any]] = {}
    for county, name, has_report in db.execute(
            """SELECT a.county_code, a.name, EXISTS (SELECT 1 FROM reports r WHERE r.agency_id = a.id
                                                     AND r.is_current = 1)
               FROM agencies a WHERE a.listed_on_portal = 1 ORDER BY a.county_code, a.name"""):
        entry = result.setdefault(county or "", {"listed": 0, "with_reports": [], "without_reports": []})
        entry["listed"] += 1
        entry["with_reports" if has_report else "without_reports"].append(name)
    return result


def store_status(db: Database) -> StoreStatus:
    """Everything `nianbao status` shows."""
    by_county = reports_by_county_year(db)
    by_year: dict[int, int] = {}
    for years in by_county.values():
        for year, count in years.items():
            by_year[year] = by_year.get(year, 0) + count
    return StoreStatus(crawls=last_crawls(db), reports_by_year=dict(sorted(by_year.items())),
                       reports_by_county=by_county, findings_by_rule=open_findings_by_rule(db),
                       pending_alerts=pending_alerts(db), last_jobs=last_jobs(db), directory=portal_directory(db))
