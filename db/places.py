"""Counties rolled up to their city and province by the division code (140525 → 1405 晋城市 → 14 山西省), and the
per-county counts the national rankings read. The names are db/divisions.csv (the official 行政区划代码 list; its
header names the source), loaded into `divisions` by a migration."""

from __future__ import annotations

import csv
from importlib import resources

from sqlite_utils import Database

from db.views import INCONSISTENCY_RULES

DIVISIONS_TABLE = "CREATE TABLE IF NOT EXISTS divisions (code TEXT PRIMARY KEY, name TEXT NOT NULL)"

# Every monitored county with its city and province (a code missing from the list keeps its digits as its name)
# and what its last crawl found: blocked and unreachable counties are listed as such, never left out.
COUNTY_PLACES = """
SELECT c.code AS county_code, coalesce(c.name, dc.name, c.code) AS county_name,
  substr(c.code, 1, 4) AS city_code, coalesce(dm.name, dp.name, substr(c.code, 1, 4)) AS city_name,
  substr(c.code, 1, 2) AS province_code, coalesce(dp.name, substr(c.code, 1, 2)) AS province_name,
  CASE cr.status WHEN 'ok' THEN '正常' WHEN 'blocked' THEN '被拦截' WHEN 'failed' THEN '无法访问'
    WHEN 'empty' THEN '未找到年报' WHEN 'running' THEN '抓取中' ELSE coalesce(cr.status, '未抓取')
  END AS last_crawl, cr.started_at AS last_crawl_at
FROM counties c
  LEFT JOIN divisions dc ON dc.code = c.code
  LEFT JOIN divisions dm ON dm.code = substr(c.code, 1, 4) || '00'
  LEFT JOIN divisions dp ON dp.code = substr(c.code, 1, 2) || '0000'
  LEFT JOIN crawl_runs cr ON cr.id = (SELECT max(x.id) FROM crawl_runs x WHERE x.county_code = c.code)
"""

_RULES = ", ".join(f"'{rule}'" for rule in INCONSISTENCY_RULES)

# county × year: reports expected (published or missing), on time, late, missing (from coverage_summary, the counts
# the dashboard reads, refreshed after each check run: the live coverage view takes seconds at national scale);
# current reports, complete (every table of a known template read), inconsistent (an open finding of an
# inconsistency rule).
COUNTY_YEAR_COUNTS = f"""
WITH cov AS (
  SELECT county_code, year, sum(CASE WHEN status IN ('按时', '逾期') THEN count ELSE 0 END) AS published,
         sum(CASE WHEN status = '按时' THEN count ELSE 0 END) AS on_time,
         sum(CASE WHEN status = '逾期' THEN count ELSE 0 END) AS late,
         sum(CASE WHEN status = '缺失' THEN count ELSE 0 END) AS missing
  FROM coverage_summary GROUP BY county_code, year
), rep AS (
  SELECT r.county_code, r.year, count(*) AS reports, sum(r.parse_status = 'parsed') AS complete,
         sum(EXISTS (SELECT 1 FROM findings f WHERE f.report_id = r.id AND f.resolved_at IS NULL
                     AND f.rule IN ({_RULES}))) AS inconsistent
  FROM reports r WHERE r.is_current = 1 GROUP BY r.county_code, r.year
)
SELECT cov.county_code, cov.year, cov.published, cov.on_time, cov.late, cov.missing,
  coalesce(rep.reports, 0) AS reports, coalesce(rep.complete, 0) AS complete,
  coalesce(rep.inconsistent, 0) AS inconsistent
FROM cov LEFT JOIN rep ON rep.county_code IS cov.county_code AND rep.year = cov.year
"""

VIEWS = {"county_places": COUNTY_PLACES, "county_year_counts": COUNTY_YEAR_COUNTS}


def division_rows() -> list[tuple[str, str]]:
    """(code, name) of every division in db/divisions.csv (lines starting with # are its notes)."""
    text = resources.files(__package__ or "db").joinpath("divisions.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return [(row["code"], row["name"]) for row in csv.DictReader(lines)]


def load_divisions(db: Database) -> None:
    db.execute(DIVISIONS_TABLE)
    db.conn.executemany("INSERT OR REPLACE INTO divisions (code, name) VALUES (?, ?)", division_rows())
