"""Each rule of checks.md: a consistent report passes, the same report with one planted defect fails."""

from __future__ import annotations

from datetime import date

import pytest
from checks_factory import consistent_report, plant

from checks import REPORT_RULES, CheckSettings, ReportRecord, Subject, apply_rules, check_all
from parsers.report import ParsedReport

COUNTY = "140525"
URL_2023 = "http://127.0.0.1/2023/report.html"
URL_2022 = "http://127.0.0.1/2022/report.html"


def record(report: ParsedReport, url: str | None = None, **facts: object) -> ReportRecord:
    """The stored report as the checks see it."""
    url = url or report.source
    fields: dict = {"county": COUNTY, "agency": report.agency, "year": report.year, "kind": report.kind, "url": url,
                    "document": url, "published_on": report.published_on, "first_seen": f"{report.year + 1}-01-10"}
    fields.update(facts)
    return ReportRecord(report, **fields)


def run(rule: str, report: ParsedReport, previous: ParsedReport | None = None,
        others: tuple[ReportRecord, ...] = (), **facts: object) -> list[tuple]:
    """(rule, keys, expected, found) of what one rule finds."""
    subject = Subject(record(report, **facts), CheckSettings(), date(2024, 6, 1),
                      previous=record(previous) if previous else None, others=list(others))
    return [(f.rule, f.keys, f.expected, f.found) for f in REPORT_RULES[rule](subject)]


@pytest.fixture
def report() -> ParsedReport:
    """泽州县教育局 2023, template 2021, every sum holds."""
    return consistent_report(2023, note="部分栏目更新不及时，")


@pytest.fixture
def previous() -> ParsedReport:
    """The same agency's 2022 report: carried forward 1 (自然人), 现行有效规范性文件 4, other numbers."""
    earlier = consistent_report(2022)
    plant(earlier, "active.normative_documents.in_force", 4)
    return plant(earlier, "active.licensing.decisions", 100)


def test_checks_consistent_reports_have_no_findings(report: ParsedReport, previous: ParsedReport) -> None:
    findings = check_all([record(previous), record(report)], settings=CheckSettings(years=(2023,)),
                         as_of=date(2024, 6, 1))
    assert [f.to_json() for f in findings] == []


def test_row_total_finding_is_the_json_of_checks_md(report: ParsedReport) -> None:
    plant(report, "requests.received.total", 5)
    subject = Subject(record(report), CheckSettings(), date(2024, 6, 1))
    assert [f.to_json() for f in REPORT_RULES["row_total"](subject)] == [{
        "rule": "row_total", "severity": "error", "county": "140525", "agency": "泽州县教育局", "year": 2023,
        "keys": ["requests.received.total"], "expected": 4, "found": 5,
        "message": "申请情况表“一、本年新收政府信息公开申请数量”行“总计”列与各申请人列之和不符："
                   "自然人3+商业企业1≠总计5",
        "url": URL_2023,
    }]


def test_balance_column_that_does_not_balance(report: ParsedReport) -> None:
    assert run("balance", report) == []
    plant(report, "requests.carried_forward.natural_person", 2)
    keys = ["requests.received.natural_person", "requests.carried_over.natural_person",
            "requests.results_total.natural_person", "requests.carried_forward.natural_person"]
    assert run("balance", report) == [("balance", keys, 4, 5)]


def test_balance_broken_in_a_column_and_total_is_one_finding(report: ParsedReport) -> None:
    plant(report, "requests.carried_forward.total", 2)
    subject = Subject(record(report), CheckSettings(), date(2024, 6, 1))
    [total_only] = REPORT_RULES["balance"](subject)
    plant(report, "requests.carried_forward.natural_person", 2)
    subject = Subject(record(report), CheckSettings(), date(2024, 6, 1))
    [both] = REPORT_RULES["balance"](subject)
    assert both.keys == [f"requests.{row}.{column}" for column in ("natural_person", "total")
                         for row in ("received", "carried_over", "results_total", "carried_forward")]
    assert both.message.startswith("申请情况表“自然人”“总计”2列收支不平衡")
    assert "“自然人”列本年新收3+上年结转1=4，而办理结果总计3+结转下年度2=5" in both.message
    # The total column's defect gained a column: still the same finding (its fingerprint).
    assert both.fingerprint == total_only.fingerprint


def test_balance_message_names_both_sides(report: ParsedReport) -> None:
    plant(report, "requests.carried_forward.natural_person", 2)
    subject = Subject(record(report), CheckSettings(), date(2024, 6, 1))
    message = next(iter(REPORT_RULES["balance"](subject))).message
    assert message.endswith("本年新收3+上年结转1=4，而办理结果总计3+结转下年度2=5")


def test_results_total_when_a_result_row_is_not_counted(report: ParsedReport) -> None:
    assert run("results_total", report) == []
    plant(report, "requests.denied.state_secret.natural_person", 1)
    plant(report, "requests.denied.state_secret.total", 1)
    assert run("results_total", report) == [
        ("results_total", ["requests.results_total.natural_person"], 4, 3),
        ("results_total", ["requests.results_total.total"], 5, 4),
    ]


def test_results_total_counts_the_2019_other_handling_row() -> None:
    report = consistent_report(2020, template="2019")
    assert run("results_total", report) == []
    plant(report, "requests.other_handling.commercial", 1)
    assert run("results_total", report) == [("results_total", ["requests.results_total.commercial"], 2, 1)]


def test_review_total_wrong_sum(report: ParsedReport) -> None:
    assert run("review_total", report) == []
    plant(report, "reviews.review.total", 3)
    assert run("review_total", report) == [("review_total", ["reviews.review.total"], 2, 3)]


def test_litigation_total_checks_both_rows(report: ParsedReport) -> None:
    assert run("litigation_total", report) == []
    plant(report, "reviews.litigation_direct.corrected", 1)
    plant(report, "reviews.litigation_after_review.total", 0)
    assert run("litigation_total", report) == [
        ("litigation_total", ["reviews.litigation_direct.total"], 1, 0),
        ("litigation_total", ["reviews.litigation_after_review.total"], 1, 0),
    ]


def test_negative_value_count_below_zero(report: ParsedReport) -> None:
    assert run("negative_value", report) == []
    plant(report, "requests.granted.natural_person", -1)
    assert run("negative_value", report) == [("negative_value", ["requests.granted.natural_person"], 0, -1)]


def test_negative_value_allows_change_column() -> None:
    report = plant(consistent_report(2020, template="2019"), "active.licensing.change", -3, "减3")
    assert run("negative_value", report) == []


def test_unreadable_value_and_its_sums_are_not_judged(report: ParsedReport) -> None:
    plant(report, "requests.granted.commercial", None, raw="详见附件")
    assert run("unreadable_value", report) == [
        ("unreadable_value", ["requests.granted.commercial"], None, "详见附件")]
    assert run("row_total", report) == []
    assert run("results_total", report) == []


def test_blank_cell_makes_sums_incomplete_not_inconsistent(report: ParsedReport) -> None:
    assert run("blank_cell", report) == []
    plant(report, "requests.granted.total", None)
    assert run("blank_cell", report) == [("blank_cell", ["requests.granted.total"], None, 1)]
    assert run("row_total", report) == []
    assert run("results_total", report) == []


def test_unit_suspect_yuan_in_wan_cell(report: ParsedReport) -> None:
    assert run("unit_suspect", report) == []
    plant(report, "active.fees.amount", 35_000_000)
    assert run("unit_suspect", report) == [("unit_suspect", ["active.fees.amount"], 1_000_000, 35_000_000)]


def test_implausible_value_count_far_too_large(report: ParsedReport) -> None:
    assert run("implausible_value", report) == []
    plant(report, "requests.received.natural_person", 12_000_000)
    assert run("implausible_value", report) == [
        ("implausible_value", ["requests.received.natural_person"], 1_000_000, 12_000_000)]


def test_narrative_mismatch_stated_count_differs(report: ParsedReport) -> None:
    assert run("narrative_mismatch", report) == []
    report.stated["requests.received.total"] = 5
    assert run("narrative_mismatch", report) == [("narrative_mismatch", ["requests.received.total"], 4, 5)]


def test_missing_table_reviews_replaced_by_sentence(report: ParsedReport) -> None:
    assert run("missing_table", report) == []
    report.tables.remove("reviews")
    for key in [k for k in report.values if k.startswith("reviews.")]:
        del report.values[key], report.states[key], report.raw[key]
    assert run("missing_table", report) == [
        ("missing_table", ["reviews"], "四、政府信息公开行政复议、行政诉讼情况", None)]
    assert run("missing_row", report) == []


def test_missing_row_coercion_absent(report: ParsedReport) -> None:
    assert run("missing_row", report) == []
    del report.values["active.coercion.decisions"], report.states["active.coercion.decisions"]
    assert run("missing_row", report) == [("missing_row", ["active.coercion"], "行政强制", None)]


def test_outdated_template_2019_form_for_2022() -> None:
    assert run("outdated_template", consistent_report(2020, template="2019")) == []
    assert run("outdated_template", consistent_report(2022, template="2019")) == [
        ("outdated_template", [], "2021", "2019")]
    assert run("outdated_template", consistent_report(2020, template="2021")) == [
        ("outdated_template", [], "2019", "2021")]


def test_unknown_template(report: ParsedReport) -> None:
    assert run("unknown_template", report) == []
    report.template = "unknown"
    assert run("unknown_template", report) == [("unknown_template", [], "2021", "unknown")]


def test_year_mismatch_title_and_statistics_period(report: ParsedReport) -> None:
    assert run("year_mismatch", report) == []
    report.statistics_year = 2022
    assert run("year_mismatch", report) == [("year_mismatch", [], 2023, 2022)]


def test_missing_section_five(report: ParsedReport) -> None:
    assert run("missing_section", report) == []
    report.sections.remove("五")
    assert run("missing_section", report) == [("missing_section", ["五"], "五、存在的主要问题及改进情况", None)]


def test_missing_section_cannot_judge_without_headings(report: ParsedReport) -> None:
    report.sections.clear()
    subject = Subject(record(report), CheckSettings(), date(2024, 6, 1))
    assert [(f.rule, f.severity) for f in REPORT_RULES["missing_section"](subject)] == [("missing_section", "info")]


def test_carry_over_mismatch_with_previous_year(report: ParsedReport, previous: ParsedReport) -> None:
    assert run("carry_over_mismatch", report, previous) == []
    plant(previous, "requests.carried_forward.natural_person", 2)
    plant(previous, "requests.carried_forward.total", 2)
    # One defect (last year's carry-forward differs), one finding touching both cells.
    assert run("carry_over_mismatch", report, previous) == [
        ("carry_over_mismatch", ["requests.carried_over.natural_person", "requests.carried_over.total"], 2, 1),
    ]
    subject = Subject(record(report), CheckSettings(), date(2024, 6, 1), previous=record(previous))
    message = next(iter(REPORT_RULES["carry_over_mismatch"](subject))).message
    assert "自然人1件（上年报告为2件）、总计1件（上年报告为2件）" in message


def test_in_force_rollover_does_not_add_up(report: ParsedReport, previous: ParsedReport) -> None:
    assert run("in_force_rollover", report, previous) == []
    plant(previous, "active.normative_documents.in_force", 6)
    finding = run("in_force_rollover", report, previous)
    assert finding == [("in_force_rollover", ["active.normative_documents.in_force"], 7, 5)]


def test_copied_report_same_text_and_values(previous: ParsedReport) -> None:
    copy = consistent_report(2023)
    plant(copy, "active.normative_documents.in_force", 4)
    plant(copy, "active.licensing.decisions", 100)
    assert run("copied_report", copy, previous) == [
        ("copied_report", ["text"], None, URL_2022), ("copied_report", ["values"], None, URL_2022)]


def test_copied_report_new_text_and_numbers_pass(report: ParsedReport, previous: ParsedReport) -> None:
    assert run("copied_report", report, previous) == []


def test_copied_report_ignores_all_zero_tables() -> None:
    zero_now, zero_before = consistent_report(2023, note="今年新增："), consistent_report(2022)
    for one in (zero_now, zero_before):
        for key in list(one.values):
            plant(one, key, 0)
    assert run("copied_report", zero_now, zero_before) == []


def test_duplicate_report_two_documents_differ(report: ParsedReport) -> None:
    other_doc = consistent_report(2023, note="部分栏目更新不及时，")
    assert run("duplicate_report", report, others=(record(other_doc, "http://127.0.0.1/other.pdf"),)) == []
    plant(other_doc, "active.licensing.decisions", 130)
    other = record(other_doc, "http://127.0.0.1/other.pdf")
    assert run("duplicate_report", report, others=(other,)) == [
        ("duplicate_report", ["active.licensing.decisions"], "http://127.0.0.1/other.pdf", URL_2023)]


def test_late_department_after_january_31(report: ParsedReport) -> None:
    assert run("late", report) == []
    report.published_on = "2024-02-05"
    assert run("late", report) == [("late", [], "2024-01-31", "2024-02-05")]
    subject = Subject(record(report), CheckSettings(), date(2024, 6, 1))
    assert next(iter(REPORT_RULES["late"](subject))).message == (
        "2023年度报告应于2024年1月31日前公开，报告落款日期为2024年2月5日，逾期5天；系统首次发现于2024年1月10日")


def test_late_government_has_until_march_31() -> None:
    report = consistent_report(2023, agency="泽州县人民政府")
    report.published_on = "2024-03-20"
    assert run("late", report, kind="government") == []
    assert run("late", report, kind="department") == [("late", [], "2024-01-31", "2024-03-20")]


def test_late_uses_page_date_when_report_has_none(report: ParsedReport) -> None:
    report.published_on = None
    assert run("late", report, published_on=None, page_date="2024-02-02") == [
        ("late", [], "2024-01-31", "2024-02-02")]


def test_late_without_any_date_says_it_cannot_judge(report: ParsedReport) -> None:
    report.published_on = None
    assert run("late", report, published_on=None, first_seen="2024-01-10T02:00:00Z") == []
    subject = Subject(record(report, published_on=None, first_seen="2024-03-01T02:00:00Z"), CheckSettings(),
                      date(2024, 6, 1))
    assert [(f.rule, f.severity, f.found) for f in REPORT_RULES["late"](subject)] == [("late", "info", None)]


def test_late_grace_days_from_settings(report: ParsedReport) -> None:
    report.published_on = "2024-02-05"
    subject = Subject(record(report), CheckSettings(grace_days=7), date(2024, 6, 1))
    assert list(REPORT_RULES["late"](subject)) == []


def test_apply_rules_turns_a_crash_into_an_info_finding(report: ParsedReport) -> None:
    def broken(subject: Subject) -> list:
        raise ZeroDivisionError("division by zero")

    findings = list(apply_rules(Subject(record(report)), {"balance": broken}))
    assert [(f.rule, f.severity) for f in findings] == [("balance", "info")]
    assert "ZeroDivisionError" in findings[0].message


def test_results_total_messages_name_the_rows(report: ParsedReport) -> None:
    plant(report, "requests.denied.state_secret.natural_person", 1)
    plant(report, "requests.results_total.research", 1)
    subject = Subject(record(report), CheckSettings(), date(2024, 6, 1))
    messages = [f.message for f in REPORT_RULES["results_total"](subject)]
    assert messages[:2] == [
        "申请情况表“自然人”列：三（一）至（六）各项办理结果之和三（一）予以公开2+三（三）1.属于国家秘密1"
        "+三（四）1.本机关不掌握相关政府信息1=4，与“三（七）总计”3不符",
        "申请情况表“科研机构”列：三（一）至（六）各项办理结果之和为0，与“三（七）总计”1不符",
    ]


def test_findings_on_a_report_read_with_doubt_say_the_reading_may_be_at_fault(report: ParsedReport) -> None:
    plant(report, "requests.carried_forward.natural_person", 2)
    report.reading_doubt = True
    subject = Subject(record(report), CheckSettings(), date(2024, 6, 1))
    found = {f.rule: f.message for f in apply_rules(subject)}
    assert found["balance"].endswith("结转下年度2=5（注意：解析器读取本报告表格时存疑，见报告的解析提示；"
                                     "请先核对原文，问题可能出在读取而非原文）")
    report.reading_doubt = False
    assert "存疑" not in {f.rule: f.message for f in apply_rules(subject)}["balance"]
