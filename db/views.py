"""Indexes and views (SQL), created by db/migrations.py; Datasette's canned queries read the views."""

from __future__ import annotations

INDEXES = (
    "CREATE INDEX IF NOT EXISTS reports_current_year ON reports (is_current, year, county_code)",
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
    return f"(SELECT v.number FROM report_values v WHERE v.report_id = r.id AND v.key = '{key}')"


def _cells_sum(pattern: str) -> str:
    # GLOB with a literal prefix uses the (report_id, key) index as a range.
    return f"(SELECT sum(v.number) FROM report_values v WHERE v.report_id = r.id AND v.key GLOB '{pattern}')"


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
  (SELECT count(*) FROM findings f WHERE f.report_id = r.id AND f.resolved_at IS NULL) AS open_findings
FROM reports r LEFT JOIN counties c ON c.code = r.county_code
WHERE r.is_current = 1
"""

# county × agency × year. A present report is 按时 unless an open `late` finding names it; an agency
# with an open `missing_report` finding and no report is 缺失. Late and missing come only from findings:
# the checks decide deadlines, this view only shows their verdicts.
COVERAGE = """
WITH present AS (
  SELECT r.county_code, r.agency_id, a.name AS agency, a.normalized_name, a.kind, r.year,
         min(r.id) AS report_id, min(coalesce(r.published_on, r.page_date)) AS published_on,
         count(*) AS documents
  FROM reports r JOIN agencies a ON a.id = r.agency_id
  WHERE r.is_current = 1
  GROUP BY r.county_code, r.agency_id, r.year
), open_missing AS (
  SELECT f.county_code, f.agency, f.year, min(f.id) AS finding_id
  FROM findings f WHERE f.rule = 'missing_report' AND f.resolved_at IS NULL
  GROUP BY f.county_code, f.agency, f.year
), marked AS (
  SELECT p.*,
    (EXISTS (SELECT 1 FROM reports r2 JOIN findings f ON f.report_id = r2.id
             WHERE r2.agency_id = p.agency_id AND r2.year = p.year AND f.rule = 'late' AND f.resolved_at IS NULL)
     OR EXISTS (SELECT 1 FROM findings f WHERE f.rule = 'late' AND f.resolved_at IS NULL AND f.report_id IS NULL
                AND f.county_code IS p.county_code AND f.year = p.year AND f.agency IN (p.agency, p.normalized_name))
    ) AS late,
    EXISTS (SELECT 1 FROM open_missing m WHERE m.county_code IS p.county_code AND m.year = p.year
            AND m.agency IN (p.agency, p.normalized_name)) AS missing
  FROM present p
)
SELECT m.county_code, c.name AS county_name, m.agency, m.kind, m.year, 1 AS present, m.late, m.missing,
  CASE WHEN m.late THEN '逾期' ELSE '按时' END AS status, m.report_id, m.published_on, m.documents
FROM marked m LEFT JOIN counties c ON c.code = m.county_code
UNION ALL
SELECT o.county_code, c.name, o.agency, NULL, o.year, 0, 0, 1, '缺失', NULL, NULL, 0
FROM open_missing o LEFT JOIN counties c ON c.code = o.county_code
WHERE NOT EXISTS (SELECT 1 FROM present p WHERE p.county_code IS o.county_code AND p.year = o.year
                  AND o.agency IN (p.agency, p.normalized_name))
"""

VIEWS = {"report_summary": REPORT_SUMMARY, "coverage": COVERAGE}
