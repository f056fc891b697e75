"""The cell vocabulary: templates, rows, columns, keys (parsers/schema_doc.py writes docs/report-keys.md from it)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

# pre2019: a report for 2018 or earlier, from before the national template (国办公开办函〔2019〕60号): no
# statistics tables to read, only its agency and year.
Template = Literal["2019", "2021", "pre2019", "unknown"]
TEMPLATES: tuple[Template, ...] = ("2019", "2021")
LAST_PRE_TEMPLATE_YEAR = 2018

# 条例第五十条 and both templates: the six parts of every report, with their headings.
OUTLINE = {
    "一": "一、总体情况",
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
    "五": "五、存在的主要问题及改进情况",
    "六": "六、其他需要报告的事项",
}

# The parts with a statistical table, by table name.
SECTIONS = {"active": OUTLINE["二"], "requests": OUTLINE["三"], "reviews": OUTLINE["四"]}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    money: bool = False
    signed: bool = False  # 本年增/减 is the only column that may be negative


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    columns: tuple[Column, ...]


ISSUED = Column("issued", "本年制发件数")
REPEALED = Column("repealed", "本年废止件数")
IN_FORCE = Column("in_force", "现行有效件数")
DECISIONS_2021 = Column("decisions", "本年处理决定数量")
FEE_AMOUNT = Column("amount", "本年收费金额（单位：万元）", money=True)

NEW_MADE = Column("new_made", "本年新制作数量")
NEW_PUBLISHED = Column("new_published", "本年新公开数量")
TOTAL_PUBLISHED = Column("total_published", "对外公开总数量")
PREV_YEAR_ITEMS = Column("prev_year_items", "上一年项目数量")
CHANGE = Column("change", "本年增/减", signed=True)
DECISIONS_2019 = Column("decisions", "处理决定数量")
PROCUREMENT_ITEMS = Column("items", "采购项目数量")
PROCUREMENT_AMOUNT = Column("amount", "采购总金额", money=True)

ACTIVE_ROWS: dict[str, tuple[Row, ...]] = {
    "2021": (
        Row("regulations", "规章", (ISSUED, REPEALED, IN_FORCE)),
        Row("normative_documents", "行政规范性文件", (ISSUED, REPEALED, IN_FORCE)),
        Row("licensing", "行政许可", (DECISIONS_2021,)),
        Row("penalty", "行政处罚", (DECISIONS_2021,)),
        Row("coercion", "行政强制", (DECISIONS_2021,)),
        Row("fees", "行政事业性收费", (FEE_AMOUNT,)),
    ),
    "2019": (
        Row("regulations", "规章", (NEW_MADE, NEW_PUBLISHED, TOTAL_PUBLISHED)),
        Row("normative_documents", "规范性文件", (NEW_MADE, NEW_PUBLISHED, TOTAL_PUBLISHED)),
        Row("licensing", "行政许可", (PREV_YEAR_ITEMS, CHANGE, DECISIONS_2019)),
        Row("other_services", "其他对外管理服务事项", (PREV_YEAR_ITEMS, CHANGE, DECISIONS_2019)),
        Row("penalty", "行政处罚", (PREV_YEAR_ITEMS, CHANGE, DECISIONS_2019)),
        Row("coercion", "行政强制", (PREV_YEAR_ITEMS, CHANGE, DECISIONS_2019)),
        Row("fees", "行政事业性收费", (PREV_YEAR_ITEMS, CHANGE)),
        Row("procurement", "政府集中采购", (PROCUREMENT_ITEMS, PROCUREMENT_AMOUNT)),
    ),
}

REQUEST_COLUMNS: tuple[Column, ...] = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("public_interest", "社会公益组织"),
    Column("legal_services", "法律服务机构"),
    Column("other", "其他"),
    Column("total", "总计"),
)

_REQUEST_ROWS_COMMON_HEAD = (
    ("received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "三（一）予以公开"),
    ("partially_granted", "三（二）部分公开"),
    ("denied.state_secret", "三（三）1.属于国家秘密"),
    ("denied.prohibited_by_law", "三（三）2.其他法律行政法规禁止公开"),
    ("denied.security_stability", "三（三）3.危及“三安全一稳定”"),
    ("denied.third_party", "三（三）4.保护第三方合法权益"),
    ("denied.internal_affairs", "三（三）5.属于三类内部事务信息"),
    ("denied.process_info", "三（三）6.属于四类过程性信息"),
    ("denied.enforcement_file", "三（三）7.属于行政执法案卷"),
    ("denied.administrative_query", "三（三）8.属于行政查询事项"),
    ("unavailable.not_held", "三（四）1.本机关不掌握相关政府信息"),
    ("unavailable.needs_creation", "三（四）2.没有现成信息需要另行制作"),
    ("unavailable.unclear", "三（四）3.补正后申请内容仍不明确"),
    ("not_processed.petition", "三（五）1.信访举报投诉类申请"),
    ("not_processed.duplicate", "三（五）2.重复申请"),
    ("not_processed.publication", "三（五）3.要求提供公开出版物"),
    ("not_processed.excessive", "三（五）4.无正当理由大量反复申请"),
    ("not_processed.confirmation", "三（五）5.要求行政机关确认或重新出具已获取信息"),
)
_REQUEST_ROWS_TAIL = (
    ("results_total", "三（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
)
_OTHER_HANDLING = {
    "2019": (("other_handling", "三（六）其他处理"),),
    "2021": (
        ("other_handling.no_correction", "三（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        (
            "other_handling.unpaid_fee",
            "三（六）2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        ("other_handling.other", "三（六）3.其他"),
    ),
}

REQUEST_ROWS: dict[str, tuple[Row, ...]] = {
    template: tuple(
        Row(key, label, REQUEST_COLUMNS)
        for key, label in _REQUEST_ROWS_COMMON_HEAD + _OTHER_HANDLING[template] + _REQUEST_ROWS_TAIL
    )
    for template in TEMPLATES
}

_COMMON_REQUEST_ROWS = tuple(row for row in REQUEST_ROWS["2021"] if not row.key.startswith("other_handling"))

# Rows that are results of handling (三（一）…（六）): summed by row （七）总计.
RESULT_ROW_PREFIXES = ("granted", "partially_granted", "denied.", "unavailable.", "not_processed.", "other_handling")

REVIEW_COLUMNS: tuple[Column, ...] = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
REVIEW_ROWS: tuple[Row, ...] = (
    Row("review", "行政复议", REVIEW_COLUMNS),
    Row("litigation_direct", "行政诉讼·未经复议直接起诉", REVIEW_COLUMNS),
    Row("litigation_after_review", "行政诉讼·复议后起诉", REVIEW_COLUMNS),
)


def rows_of(section: str, template: str) -> tuple[Row, ...]:
    """The template rows of one section ("active", "requests", "reviews")."""
    if section == "reviews":
        return REVIEW_ROWS
    if template not in TEMPLATES:
        # Tables of neither template: only the rows both templates share are named.
        return _COMMON_REQUEST_ROWS if section == "requests" else ()
    if section == "active":
        return ACTIVE_ROWS[template]
    if section == "requests":
        return REQUEST_ROWS[template]
    raise ValueError(f"unknown section {section!r}")


@dataclass(frozen=True)
class KeyInfo:
    key: str
    section: str
    row: str
    column: str
    row_label: str
    column_label: str
    money: bool
    signed: bool


@cache
def template_keys(template: str) -> dict[str, KeyInfo]:
    """Every cell key of a template, in document order, with its labels."""
    keys: dict[str, KeyInfo] = {}
    for section in SECTIONS:
        for row in rows_of(section, template):
            for column in row.columns:
                key = f"{section}.{row.key}.{column.key}"
                keys[key] = KeyInfo(
                    key, section, row.key, column.key, row.label, column.label, column.money, column.signed
                )
    return keys


def key_info(key: str) -> KeyInfo | None:
    """Labels of a key from either template (2021 first), or None for extra.* and unknown keys."""
    for template in ("2021", "2019"):
        info = template_keys(template).get(key)
        if info:
            return info
    return None
