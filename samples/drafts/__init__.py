"""The sample draft `nianbao lint --sample` checks: a county government's 2024 report with two planted problems
(行政诉讼·未经复议直接起诉 总计 44 where its parts make 40; 一、总体情况 says 13 applications, table 三 has 12).
Built by tests/drafts/make_drafts.py."""

from __future__ import annotations

from pathlib import Path

SAMPLE_DRAFT = Path(__file__).with_name("sample_draft.docx")
