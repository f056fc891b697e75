"""The rules of checks.md over stored reports → findings (pure: the store is asked by db/findings.py)."""

from __future__ import annotations

from checks.model import RULE_NAMES, RULES, SEVERITY, Finding
from checks.runner import REPORT_RULES, apply_rules, check_all
from checks.subject import CheckSettings, ReportRecord, Subject
from checks.watchlist import WatchedAgency, read_watch_list

__all__ = [
    "REPORT_RULES", "RULES", "RULE_NAMES", "SEVERITY", "CheckSettings", "Finding", "ReportRecord", "Subject",
    "WatchedAgency", "apply_rules", "check_all", "read_watch_list",
]
