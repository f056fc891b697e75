# ruff: noqa: E501
"""What the golden-case builders share: the template's row labels and keys (typed from the spec), cell data.

A case's cells are given as raw text, exactly as printed in the document, next to the number a
person reads from it; expected.json is written from those hand-chosen pairs, never from the parser.
"""

from __future__ import annotations

import json
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent.parent

REQUEST_COLUMNS = ("natural_person", "commercial", "research", "public_interest", "legal_services", "other", "total")
REVIEW_ROWS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

# Table 三 rows: (key, group label or None, row label). Group None + no "（" → label spans all 3 columns.
_REQUEST_HEAD = (
    ("received", None, "一、本年新收政府信息公开申请数量"),
    ("carried_over", None, "二、上年结转政府信息公开申请数量"),
    ("granted", "", "（一）予以公开"),
    ("partially_granted", "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied.state_secret", "（三）不予公开", "1.属于国家秘密"),
    ("denied.prohibited_by_law", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("denied.security_stability", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("denied.third_party", "（三）不予公开", "4.保护第三方合法权益"),
    ("denied.internal_affairs", "（三）不予公开", "5.属于三类内部事务信息"),
    ("denied.process_info", "（三）不予公开", "6.属于四类过程性信息"),
    ("denied.enforcement_file", "（三）不予公开", "7.属于行政执法案卷"),
    ("denied.administrative_query", "（三）不予公开", "8.属于行政查询事项"),
    ("unavailable.not_held", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unavailable.needs_creation", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("unavailable.unclear", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("not_processed.petition", "（五）不予处理", "1.信访举报投诉类申请"),
    ("not_processed.duplicate", "（五）不予处理", "2.重复申请"),
    ("not_processed.publication", "（五）不予处理", "3.要求提供公开出版物"),
    ("not_processed.excessive", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("not_processed.confirmation", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
)
_OTHER_2021 = (
    ("other_handling.no_correction", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_handling.unpaid_fee", "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_handling.other", "（六）其他处理", "3.其他"),
)
_OTHER_2019 = (("other_handling", "", "（六）其他处理"),)
_REQUEST_TAIL = (
    ("results_total", "", "（七）总计"),
    ("carried_forward", None, "四、结转下年度继续办理"),
)
REQUEST_ROWS = {
    "2021": _REQUEST_HEAD + _OTHER_2021 + _REQUEST_TAIL,
    "2019": _REQUEST_HEAD + _OTHER_2019 + _REQUEST_TAIL,
}
RESULTS_LABEL = "三、本年度办理结果"
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# Section 二: (caption, header labels, [(row key, row label, [column keys])]).
ACTIVE_2021 = (
    ("第二十条第（一）项", ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"), (
        ("regulations", "规章", ("issued", "repealed", "in_force")),
        ("normative_documents", "行政规范性文件", ("issued", "repealed", "in_force")),
    )),
    ("第二十条第（五）项", ("信息内容", "本年处理决定数量"), (("licensing", "行政许可", ("decisions",)),)),
    ("第二十条第（六）项", ("信息内容", "本年处理决定数量"), (("penalty", "行政处罚", ("decisions",)),)),
    ("第二十条第（七）项", ("信息内容", "本年处理决定数量"), (("coercion", "行政强制", ("decisions",)),)),
    ("第二十条第（八）项", ("信息内容", "本年收费金额（单位：万元）"), (("fees", "行政事业性收费", ("amount",)),)),
)
ACTIVE_2019 = (
    ("第二十条第（一）项", ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"), (
        ("regulations", "规章", ("new_made", "new_published", "total_published")),
        ("normative_documents", "规范性文件", ("new_made", "new_published", "total_published")),
    )),
    ("第二十条第（五）项", ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"), (
        ("licensing", "行政许可", ("prev_year_items", "change", "decisions")),
        ("other_services", "其他对外管理服务事项", ("prev_year_items", "change", "decisions")),
    )),
    ("第二十条第（六）项", ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"), (
        ("penalty", "行政处罚", ("prev_year_items", "change", "decisions")),
        ("coercion", "行政强制", ("prev_year_items", "change", "decisions")),
    )),
    ("第二十条第（八）项", ("信息内容", "上一年项目数量", "本年增/减"), (
        ("fees", "行政事业性收费", ("prev_year_items", "change")),
    )),
    ("第二十条第（九）项", ("信息内容", "采购项目数量", "采购总金额"), (
        ("procurement", "政府集中采购", ("items", "amount")),
    )),
)
ACTIVE = {"2021": ACTIVE_2021, "2019": ACTIVE_2019}



class Cells:
    """Raw text per key as printed, and the number a person reads from it (None for a blank cell)."""

    def __init__(self) -> None:
        self.raw: dict[str, str] = {}
        self.value: dict[str, int | float | None] = {}

    def put(self, key: str, raw: str, value: int | float | None) -> None:
        self.raw[key] = raw
        self.value[key] = value

    def numbers(self, prefix: str, columns: tuple[str, ...], numbers: list[int]) -> None:
        """Plain integer cells written as digits."""
        assert len(columns) == len(numbers), prefix
        for column, number in zip(columns, numbers, strict=True):
            self.put(f"{prefix}.{column}", str(number), number)

    def requests(self, row: str, numbers: list[int]) -> None:
        assert sum(numbers[:6]) == numbers[6], f"{row}: 总计 is the sum of the six applicant columns"
        self.numbers(f"requests.{row}", REQUEST_COLUMNS, numbers)

    def reviews(self, numbers: list[int]) -> None:
        for index, row in enumerate(REVIEW_ROWS):
            part = numbers[index * 5:(index + 1) * 5]
            assert sum(part[:4]) == part[4], f"{row}: 总计 is the sum of the four results"
            self.numbers(f"reviews.{row}", REVIEW_COLUMNS, part)


def check_balance(cells: Cells, template: str) -> None:
    """The printed 勾稽 identity per column: 一 + 二 = 三（七）总计 + 四, and 总计 = the sum of the results."""
    results = [key for key, _, _ in REQUEST_ROWS[template] if key not in ("received", "carried_over",
                                                                         "results_total", "carried_forward")]
    for column in REQUEST_COLUMNS:
        def get(row: str, column: str = column) -> int:
            return cells.value[f"requests.{row}.{column}"] or 0
        assert get("received") + get("carried_over") == get("results_total") + get("carried_forward"), column
        assert sum(get(row) for row in results) == get("results_total"), column


def write_expected(case: str, header: dict, cells: Cells, states: dict[str, str], raw_keys: tuple[str, ...]) -> None:
    """expected.json of one case: every template key with the hand-chosen value."""
    data = dict(header)
    data["values"] = dict(cells.value)
    data["states"] = states
    data["raw"] = {key: cells.raw[key] for key in raw_keys}
    path = GOLDEN / case / "expected.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
