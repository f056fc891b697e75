"""Tables and views for readers of the Datasette site: rule names in Chinese (`rules`, refreshed from
checks.model whenever a store opens) and `problems`, the findings opening with county, agency, year, rule name,
说明 and severity in words."""

from __future__ import annotations

from sqlite_utils import Database

from checks.model import RULE_NAMES, SEVERITY, SITE_RULE_NAMES
from db.transactions import immediate

# Rules raised outside checks/ (db/crawl_runs.py, alerts/): named here for the same table.
OTHER_RULE_NAMES = {**SITE_RULE_NAMES, "crawl_failed": "抓取失败", "job_failed": "定时任务失败"}

RULES_TABLE = "CREATE TABLE IF NOT EXISTS rules (code TEXT PRIMARY KEY, name TEXT NOT NULL, severity TEXT)"

PROBLEMS = """
SELECT f.id, c.name AS county_name, f.agency, f.year, coalesce(ru.name, f.rule) AS rule_name, f.message,
  CASE f.severity WHEN 'error' THEN '错误' WHEN 'warning' THEN '警告' WHEN 'info' THEN '提示' ELSE f.severity END
    AS severity_name,
  CASE WHEN f.resolved_at IS NULL THEN '未解决' ELSE '已解决' END AS state,
  f.expected, f.found, f.report_id, f.url, f.first_seen, f.resolved_at, f.county_code, f.rule
FROM findings f LEFT JOIN counties c ON c.code = f.county_code LEFT JOIN rules ru ON ru.code = f.rule
"""


def rule_names() -> dict[str, tuple[str, str | None]]:
    names: dict[str, tuple[str, str | None]] = {code: (name, None) for code, name in OTHER_RULE_NAMES.items()}
    names.update({code: (name, SEVERITY.get(code)) for code, name in RULE_NAMES.items()})
    return names


def refresh_rule_names(db: Database) -> None:
    """Write the rule names when the table differs from the code's (read first: opening a store rarely writes)."""
    wanted = rule_names()
    stored = {code: (name, severity) for code, name, severity in db.execute("SELECT code, name, severity FROM rules")}
    if stored == wanted:
        return
    with immediate(db):
        db.execute("DELETE FROM rules")
        db.conn.executemany("INSERT INTO rules (code, name, severity) VALUES (?, ?, ?)",
                            [(code, name, severity) for code, (name, severity) in wanted.items()])
