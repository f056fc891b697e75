"""Indexes and views (SQL), created by db/migrations.py; Datasette's canned queries read the views."""

from __future__ import annotations

from sqlite_utils import Database

from db.transactions import immediate

INDEXES = (
    "CREATE INDEX IF NOT EXISTS reports_current_year ON reports (is_current, year, county_code)",
    # Covers the coverage view's grouping, so it never reads the wide report rows (parsed JSON, text).
    "CREATE INDEX IF NOT EXISTS reports_coverage ON reports "
    "(is_current, county_code, agency_id, year, published_on, page_date)",
    "CREATE INDEX IF NOT EXISTS reports_agency_year ON reports (agency_id, year)",
    "CREATE INDEX IF NOT EXISTS reports_document ON reports (document_id, is_current)",
    "CREATE INDEX IF NOT EXISTS reports_county_year ON reports (county_code, year)",
    "CREATE INDEX IF NOT EXISTS document_versions_document ON document_versions (document_id)",
    "CREATE INDEX IF NOT EXISTS documents_county_status ON documents (county_code, status)",
    "CREATE INDEX IF NOT EXISTS findings_rule_year ON findings (rule, resolved_at, year)",
    "CREATE INDEX IF NOT EXISTS findings_report ON findings (report_id, resolved_at)",
    "CREATE INDEX IF NOT EXISTS findings_county_year ON findings (county_code, year)",
    "CREATE INDEX IF NOT EXISTS alerts_status ON alerts (status, created_at)",
    "CREATE INDEX IF NOT EXISTS alerts_finding ON alerts (finding_id)",
    "CREATE INDEX IF NOT EXISTS crawl_runs_county ON crawl_runs (county_code, started_at)",
    "CREATE INDEX IF NOT EXISTS job_runs_job ON job_runs (job, started_at)",
)


def _cell(key: str) -> str:
    return (f"(SELECT v.number FROM cell_values v JOIN cells c ON c.id = v.cell "
            f"WHERE v.report_id = r.id AND c.key = '{key}')")


def _cells_sum(pattern: str) -> str:
    # GLOB with a literal prefix reads the few matching cells through the key index, then each by primary key.
    return (f"(SELECT sum(v.number) FROM cell_values v JOIN cells c ON c.id = v.cell "
            f"WHERE v.report_id = r.id AND c.key GLOB '{pattern}')")


# Open findings of these rules make a report "inconsistent" on the county scorecard: the report
# contradicts itself or its predecessor (checks.md "Inside one report" sums and "Across reports").
INCONSISTENCY_RULES = ("balance", "row_total", "results_total", "review_total", "litigation_total",
                       "negative_value", "narrative_mismatch", "carry_over_mismatch")

REPORT_SUMMARY = f"""
SELECT r.id AS report_id, r.county_code, c.name AS county_name, r.agency_id, r.agency, r.kind, r.year,
  r.version, r.template, r.published_on, r.page_date, r.first_seen, r.source_url,
  {_cell('requests.received.total')} AS received,
  {_cell('requests.granted.total')} AS granted,
  {_cells_sum('requests.denied.*.total')} AS denied,
  {_cell('requests.results_total.total')} AS results_total,
  {_cell('requests.carried_forward.total')} AS carried_forward,
  {_cell('reviews.review.total')} AS reviews_total,
  {_cells_sum('reviews.litigation_*.total')} AS litigation_total,
  (SELECT count(*) FROM findings f WHERE f.report_id = r.id AND f.resolved_at IS NULL
   AND f.dismissed_at IS NULL) AS open_findings
FROM reports r LEFT JOIN counties c ON c.code = r.county_code
WHERE r.is_current = 1
"""

# Findings dismissed by a person (not applicable) count nowhere: not open, not late, not missing.
# county × agency × year. A present report is 按时 unless an open `late` finding (not an `info` one, which
# says the date could not be judged) names it or an earlier version; an agency with an open
# `missing_report` finding and no report is 缺失. Late and missing come only from findings: the checks
# decide deadlines, this view only shows their verdicts.
COVERAGE = """
WITH present AS (
  SELECT r.county_code, r.agency_id, r.year, min(r.id) AS report_id,
         min(coalesce(r.published_on, r.page_date)) AS published_on, count(*) AS documents,
         -- "+f.rule": look the agency's reports up first (few), not every open late finding.
         max(EXISTS (SELECT 1 FROM reports r2 JOIN findings f ON f.report_id = r2.id
                     WHERE r2.agency_id = r.agency_id AND r2.year = r.year AND +f.rule = 'late'
                     AND f.resolved_at IS NULL AND f.dismissed_at IS NULL AND f.severity != 'info')) AS late
  FROM reports r
  WHERE r.is_current = 1
  GROUP BY r.county_code, r.agency_id, r.year
)
SELECT p.county_code, c.name AS county_name, a.name AS agency, a.kind, p.year, 1 AS present, p.late,
  0 AS missing, CASE WHEN p.late THEN '逾期' ELSE '按时' END AS status, p.report_id, p.published_on, p.documents
FROM present p JOIN agencies a ON a.id = p.agency_id LEFT JOIN counties c ON c.code = p.county_code
UNION ALL
SELECT f.county_code, c.name, f.agency, NULL, f.year, 0, 0, 1, '缺失', NULL, NULL, 0
FROM findings f LEFT JOIN counties c ON c.code = f.county_code
WHERE f.rule = 'missing_report' AND f.resolved_at IS NULL AND f.dismissed_at IS NULL
  AND f.id = (SELECT min(g.id) FROM findings g WHERE g.county_code = f.county_code AND g.year = f.year
              AND g.agency = f.agency AND g.rule = 'missing_report' AND g.resolved_at IS NULL
              AND g.dismissed_at IS NULL)
  AND NOT EXISTS (SELECT 1 FROM reports r JOIN agencies a ON a.id = r.agency_id
                  WHERE r.county_code = f.county_code AND r.year = f.year AND r.is_current = 1
                  AND f.agency IN (a.name, a.normalized_name))
"""

VIEWS = {"report_summary": REPORT_SUMMARY, "coverage": COVERAGE}

# The dashboard's all-county chart read `coverage` whole (0.5 s at 100,000 reports): it reads these counts,
# refreshed after every check run and whenever a store that wrote closes.
COVERAGE_SUMMARY_TABLE = """CREATE TABLE IF NOT EXISTS coverage_summary (
    county_code TEXT, year INTEGER NOT NULL, status TEXT NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (county_code, year, status))"""


def refresh_coverage_summary(db: Database) -> None:
    """Recount coverage_summary (county × year × status) from the coverage view, in one transaction."""
    with immediate(db):
        db.execute("DELETE FROM coverage_summary")
        db.execute("""INSERT INTO coverage_summary (county_code, year, status, count)
                      SELECT county_code, year, status, count(*) FROM coverage WHERE year IS NOT NULL
                      GROUP BY county_code, year, status""")
