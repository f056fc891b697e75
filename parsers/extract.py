"""Document → ParsedReport: find the outline, detect the template, map table rows to spec keys."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from parsers import metadata, readings
from parsers.errors import NotAReport
from parsers.grid import Document, Paragraph
from parsers.hints import Hints
from parsers.identity import resolve_identity
from parsers.labels import Match, closest_row, item_text, rows_containing, strip_run_in
from parsers.normalize import compact, label_key, normalize_text
from parsers.report import ParsedReport
from parsers.rows import (
    ACTIVE_ROW_WORDS,
    REQUEST_ROW_WORDS,
    SUBTOTAL_GROUPS,
    Row,
    aligned_values,
    fit_values,
    group_of,
    header_positions,
    is_requests_header,
    match_words,
    split_row,
    strip_enumerator,
)
from parsers.schema import (
    LAST_PRE_TEMPLATE_YEAR,
    REQUEST_COLUMNS,
    REVIEW_COLUMNS,
    REVIEW_ROWS,
    SECTIONS,
    Template,
    rows_of,
    template_keys,
)
from parsers.schema import Row as Row_
from parsers.values import parse_value

_HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("一", re.compile(r"总体情况|^(?:[一1][、.]?)?概述$")),
    ("二", re.compile(r"主动公开政府信息|^(?:[二2][、.])?主动公开(?:情况)?$")),
    ("三", re.compile(r"收到和处理.{0,8}申请")),
    ("四", re.compile(r"行政复议.{0,4}行政诉讼")),
    ("五", re.compile(r"存在的?主要问题|主要问题(?:及|和)改进")),
    ("六", re.compile(r"其他需要报告的?事项")),
)
_REPORT_TITLE = re.compile(r"信息公开.{0,6}年度?报告|信息公开年报")
_TOP_LEVEL = re.compile(r"^(?:[一二三四五六七八九十]|\d{1,2})(?:[、.．]|\s|$)")
_NO_REVIEWS_SENTENCE = re.compile(r"(?:未|没有|无)(?:发生|出现|有|收到)?.{0,20}行政复议")
_FINGERPRINTS: dict[str, tuple[str, ...]] = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期不补正"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
             "采购项目数量", "采购总金额", "其他对外管理服务事项"),
}
_REQUEST_HEADER_NAMES = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计", "合计")
TABLE_SECTIONS = {"二": "active", "三": "requests", "四": "reviews"}
_GROUP_OF_ROW = {"denied": "三", "unavailable": "四", "not_processed": "五", "other_handling": "六"}
_TABLE_NAMES = {"active": "表二", "requests": "表三", "reviews": "表四"}  # in warnings, as the office numbers them


@cache
def _section_keys(template: str) -> dict[str, frozenset[str]]:
    """The cell keys of each table (active, requests, reviews) of a template."""
    keys = template_keys(template)
    return {name: frozenset(key for key, info in keys.items() if info.section == name)
            for name in TABLE_SECTIONS.values()}


def detect_template(compact_text: str) -> Template:
    """2021 or 2019 by the column labels only one template prints (_FINGERPRINTS), unknown when neither shows."""
    scores = {name: sum(1 for word in words if word in compact_text) for name, words in _FINGERPRINTS.items()}
    if scores["2021"] == scores["2019"] == 0:
        return "unknown"
    return "2021" if scores["2021"] >= scores["2019"] else "2019"


def document_rows(document: Document) -> Iterator[Row]:
    """Every paragraph and table row in reading order, as label | value rows."""
    for table_index, block in enumerate(document.blocks):
        if isinstance(block, Paragraph):
            text = normalize_text(block.text).strip()
            if text:
                yield Row([text], [], is_paragraph=True)
        else:
            for cells in block.rows:
                grid = ["" if cell.from_left else cell.text for cell in cells]
                owners = None
                if block.spanned and any(cell.from_left for cell in cells):
                    owners = list(range(len(cells)))
                    for index in range(1, len(cells)):
                        if cells[index].from_left:
                            owners[index] = owners[index - 1]
                row = split_row([cell.text for cell in cells if not cell.from_left], grid, table_index, owners)
                if row.labels or any(value.strip() for value in row.values):
                    yield row


def heading_of(row: Row) -> str | None:
    """Which outline section (一…六) a heading line opens, if the row is one."""
    if row.value_count() or len(row.labels) != 1:
        return None
    text = compact(row.labels[0]).lstrip("#*")
    if len(text) > 40 or text.startswith("("):
        return None
    if not _TOP_LEVEL.match(text) and len(text) > 18:
        return None
    for section, pattern in _HEADINGS:
        if pattern.search(text):
            return section
    return None


def extract_report(document: Document, source: str, hints: Hints | None = None) -> ParsedReport:
    """Map a read document onto the spec's keys; raise NotAReport when it has no statistics tables."""
    rows = list(document_rows(document))
    lines = [row.labels[0] if row.is_paragraph else "\t".join(row.labels + row.values) for row in rows]
    text = "\n".join(lines)
    report = ParsedReport(source=source, template=detect_template(compact(text)), text=text)
    report.warnings.extend(document.warnings)
    report.ocr = document.ocr
    report.uncertain = list(document.uncertain)
    if document.unread_pages:  # what they held is unknown: never a complete report (the warnings name them)
        report.incomplete.append("ocr_pages")
    report.published_on = metadata.find_closing_date(lines)
    report.statistics_year = metadata.find_statistics_year(text)
    identity = resolve_identity(lines, document.meta, hints, report.statistics_year, report.published_on)
    report.set_identity(identity)
    report.kind = metadata.agency_kind(report.agency)
    if report.template == "unknown" and is_pre_template_report(report):
        # Its tables, if any, are a province's own pre-2019 forms with no keys here: the text keeps them.
        report.template = "pre2019"
        return report

    walker = _TableWalker(report)
    for row in rows:
        walker.feed(row)
    walker.finish()

    received = metadata.find_stated_received("\n".join(walker.overview))
    if received is not None:
        report.stated["requests.received.total"] = received
    if not report.values:
        # A page or file whose tables are pictures the reader could not get at says so (its warning).
        pictures = next((warning for warning in document.warnings if "需要 OCR 识别" in warning), None)
        raise NotAReport(source, pictures or "没有找到统计表（不是年度报告，或表格是图片，需要 OCR）")
    if report.template == "unknown":
        report.warnings.append("统计表与2019年版、2021年版模板都不相符")
    return report


def is_pre_template_report(report: ParsedReport) -> bool:
    """An annual report for 2018 or earlier (its title says so): before the 2019 template there were no national
    tables."""
    title = compact(report.title or "")
    return (report.year is not None and report.year <= LAST_PRE_TEMPLATE_YEAR
            and bool(_REPORT_TITLE.search(title)))


class _TableWalker:
    """Walks rows in order, tracking the outline section, and fills the report's cells."""

    def __init__(self, report: ParsedReport) -> None:
        self.report = report
        self.template = report.template
        self.section: str | None = None
        self.overview: list[str] = []
        self.request_group: str | None = None
        self.yuan_columns: set[int] = set()
        self.subtotal_column = False
        self.request_header: dict[str, int] = {}
        self.request_header_row: Row | None = None
        self.active_header: Row | None = None
        self.reviews_sentence = False
        self.reviews_read = False  # section 四's 15 numbers are in (only _review sets reviews.* cells)
        self.seen_rows: set[str] = set()
        self.doubts: list[str] = []  # where the parser itself was unsure of its reading
        self.review_numbers: list[str] = []  # table 四's numbers gathered over consecutive number rows
        self.last_request_key: str | None = None  # the template row of 三 read last, for a row without label

    # -- walking ---------------------------------------------------------------------------------
    def feed(self, row: Row) -> None:
        heading = heading_of(row)
        if heading:
            self.section = heading
            if heading not in self.report.sections:
                self.report.sections.append(heading)
            return
        if row.is_paragraph:
            self._paragraph(row.labels[0])
            return
        section = self._table_section(row)
        if section == "二":
            self._active(row)
        elif section == "三":
            self._request(row)
        elif section == "四":
            self._review(row)

    def _paragraph(self, text: str) -> None:
        if self.section in (None, "一"):
            self.overview.append(text)
        elif self.section == "四" and _NO_REVIEWS_SENTENCE.search(text):
            self.reviews_sentence = True

    def _table_section(self, row: Row) -> str | None:
        """The section a table row belongs to; infers it where the outline heading is missing."""
        labels = "".join(row.labels)
        if row.value_count() >= 15 and self.section in (None, "三", "四"):
            return "四"
        if "行政复议" in labels and "行政诉讼" in labels and not row.value_count():
            self.section = "四" if self.section in (None, "三") else self.section
        if self.section in TABLE_SECTIONS:
            return self.section
        if is_requests_header(row) or match_words(row.label, REQUEST_ROW_WORDS[:2]):
            self.section = "三"
            return "三"
        if row.value_count() and match_words(row.label, ACTIVE_ROW_WORDS):
            return "二"
        return None

    def finish(self) -> None:
        for prefix, name in (("active.", "active"), ("requests.", "requests"), ("reviews.", "reviews")):
            if any(key.startswith(prefix) for key in self.report.values):
                self.report.tables.append(name)
        if "reviews" not in self.report.tables and self.reviews_sentence:
            self.report.warnings.append("四：用一句话（未发生行政复议、行政诉讼）代替了统计表")
        self._count_cells()
        if self.doubts:
            self.report.reading_doubt = True
            self.report.warnings.append("读取存疑（reading_doubt）：" + "；".join(self.doubts))

    def _count_cells(self) -> None:
        """A section the outline shows whose table gave fewer cells than the template has: said, and partial."""
        if self.template == "unknown":
            return
        section_keys = _section_keys(self.template)
        found = self.report.values.keys()
        for outline, name in TABLE_SECTIONS.items():
            expected, read = len(section_keys[name]), len(section_keys[name] & found)
            if not expected or read >= expected or (outline not in self.report.sections and not read):
                continue
            if not read and name == "reviews" and self.reviews_sentence:
                continue  # 未发生行政复议、行政诉讼: no table to read (the missing_table check judges it)
            self.report.incomplete.append(name)
            title = SECTIONS[name]
            if read:
                self.report.warnings.append(f"{title}：表格只读到 {read} 个单元格，模板有 {expected} 个")
            else:
                self.report.warnings.append(f"{title}：正文有此部分，但未能读出其表格（模板有 {expected} 个单元格）")

    # -- cells -------------------------------------------------------------------------------------
    def _set(self, key: str, raw: str, money: bool = False, yuan: bool = False) -> None:
        value = parse_value(raw, money=money)
        number, unit = value.number, value.unit
        if money and yuan and unit is None and number is not None:
            number, unit = round(number / 10000, 6), "元"
        self.report.set_cell(key, raw.strip(), value.state, number, unit)

    def _first_time(self, row_key: str, label: str) -> bool:
        if row_key in self.seen_rows:
            self.report.warnings.append(f"“{label}”行出现了两次，只读取了第一行")
            return False
        self.seen_rows.add(row_key)
        return True

    def _extra(self, section: str, row: Row, names: list[str] | None = None) -> None:
        values = [value for value in row.values if value.strip()] if names is None else row.values
        if not values or not row.label:
            return
        self.report.warnings.append(f"{_TABLE_NAMES.get(section, section)}：“{row.label}”行不是模板中的行，单独保留，"
                                    "不参与核对")
        for index, raw in enumerate(values):
            column = names[index] if names and index < len(names) else str(index + 1)
            self._set(f"extra.{section}.{row.label}.{column}", raw)

    # -- section 二 --------------------------------------------------------------------------------
    def _active(self, row: Row) -> None:
        label = row.label
        if "信息内容" in "".join(row.labels):
            header = row.labels[row.labels.index(next(lb for lb in row.labels if "信息内容" in lb)) + 1:]
            self.yuan_columns = {i for i, text in enumerate(header) if "元" in text and "万元" not in text}
            self.active_header = row
            return
        if label.startswith("第二十条") or not row.values:
            return
        key = match_words(label, ACTIVE_ROW_WORDS) or self._fuzzy_key(label, "active")
        template_row = next((r for r in rows_of("active", self.template) if r.key == key), None)
        if template_row is None:
            self._extra("active", row)
            return
        names = tuple(label_key(column.label) for column in template_row.columns)
        positions = header_positions(self.active_header.grid, names) if self.active_header else {}
        cells = None
        if len(positions) == len(names):
            cells = aligned_values(row, self.active_header, [positions[name] for name in names])
        cells = cells or fit_values(row.values, len(template_row.columns))
        if cells is None:
            self.report.warnings.append(
                f"表二：“{label}”行有{len(row.values)}个单元格（模板为{len(template_row.columns)}个），没有读取")
            self.doubts.append(f"二：行“{label}”有 {len(row.values)} 个单元格，无法确定各列")
            return
        if not self._first_time(f"active.{key}", label):
            return
        for index, (column, raw) in enumerate(zip(template_row.columns, cells, strict=True)):
            self._set(f"active.{key}.{column.key}", raw, column.money, index in self.yuan_columns)

    # -- section 三 --------------------------------------------------------------------------------
    def _request(self, row: Row) -> None:
        if is_requests_header(row):
            self.subtotal_column = self.subtotal_column or "小计" in "".join(row.labels)
            if self.request_header_row is None or self.request_header_row.table != row.table:
                self.request_header = {}
            self.request_header_row = row
            found = header_positions(row.grid, _REQUEST_HEADER_NAMES)
            for name, index in found.items():
                self.request_header.setdefault("总计" if name == "合计" else name, index)
            return
        if row.labels:
            row.labels[-1] = strip_run_in(row.labels[-1])  # 理结2.其他…: 办理结果 printed vertically, run in
        for label in row.labels:
            group = group_of(label)
            if group:
                self.request_group = group
        if not row.labels and row.value_count() >= 7:
            self._request_by_order(row)
            return
        if not row.labels or not row.values:
            return
        key = self._request_key(row)
        if key is None:
            self._extra("requests", row, [c.key for c in REQUEST_COLUMNS])
            return
        # The row tells its group where the group label could not (printed vertically, a character a line).
        self.request_group = _GROUP_OF_ROW.get(key.partition(".")[0], self.request_group)
        cells = self._request_cells(row)
        if cells is None:
            self.report.warnings.append(f"表三：“{row.label}”行有{len(row.values)}个单元格（模板为7个），没有读取")
            self.doubts.append(f"三：行“{row.label}”有 {len(row.values)} 个单元格，无法确定各列")
            return
        template_keys = {r.key for r in rows_of("requests", self.template)}
        prefix = "requests" if key in template_keys else "extra.requests"
        if not self._first_time(f"{prefix}.{key}", row.label):
            return
        for column, raw in zip(REQUEST_COLUMNS, cells, strict=True):
            self._set(f"{prefix}.{key}.{column.key}", raw)
        self.last_request_key = key

    def _fragment_match(self, label: str) -> Match | None:
        """A fragment of a label found in one template row, or in several of which the next unread row in
        the table's order is one."""
        found = rows_containing(label, "requests", self.template)
        if len(found) == 1:
            return found[0]
        order = [r.key for r in rows_of("requests", self.template)]
        if not found or self.last_request_key not in order:
            return None
        following = order[order.index(self.last_request_key) + 1:]
        upcoming = next((key for key in following if f"requests.{key}" not in self.seen_rows), None)
        return next((match for match in found if match.key == upcoming), None)

    def _request_by_order(self, row: Row) -> None:
        """A row of numbers without its label (a dump printed the label on loose lines elsewhere): the
        template row after the last one read, if that one is still unread; said, and marked as a doubt."""
        order = [r.key for r in rows_of("requests", self.template)]
        if self.last_request_key not in order:
            return
        following = order.index(self.last_request_key) + 1
        if following >= len(order) or f"requests.{order[following]}" in self.seen_rows:
            return
        cells = fit_values(row.values, 7)
        if cells is None:
            return
        key = order[following]
        label = next(r.label for r in rows_of("requests", self.template) if r.key == key)
        self.seen_rows.add(f"requests.{key}")
        for column, raw in zip(REQUEST_COLUMNS, cells, strict=True):
            self._set(f"requests.{key}.{column.key}", raw)
        self.last_request_key = key
        self.report.warnings.append(f"{SECTIONS['requests']}：一行没有行名的数字按表中顺序读作“{label}”")
        self.doubts.append(f"三：“{label}”一行没有行名，是按表中顺序推断的")

    def _request_key(self, row: Row) -> str | None:
        label = row.label
        key = match_words(label, REQUEST_ROW_WORDS)
        if key:
            return key
        item = strip_enumerator(label)
        group = group_of(label) or self.request_group
        if item in ("总计", "合计", "小计") and group_of(label) in (None, "七"):
            return "results_total"
        if item == "其他" and (group == "六" or (self.template == "2021" and label.startswith("3."))):
            return "other_handling.other"  # 3.其他 is only ever （六）3 (its group label may be broken)
        if item == "其他处理" and self.template != "2021":
            return "other_handling"
        if group_of(label) in SUBTOTAL_GROUPS:
            return f"{SUBTOTAL_GROUPS[group_of(label) or '']}.subtotal"
        return self._fuzzy_key(label, "requests")

    def _fuzzy_key(self, label: str, section: str) -> str | None:
        """The template row a misspelled label stands for; every such reading is said in the warnings."""
        match = closest_row(label, section, self.template)
        if match is None and section == "requests":
            match = self._fragment_match(label)
        if match is None:
            return None
        self.report.warnings.append(f"行“{item_text(strip_run_in(label))}”按“{match.label}”读取")
        self.doubts.append(f"行“{item_text(strip_run_in(label))}”是按相近的模板行名读取的")
        return match.key

    def _request_positions(self) -> list[int] | None:
        """Column positions from the header, when it names all seven columns left to right."""
        names = [column.label for column in REQUEST_COLUMNS]
        if any(name not in self.request_header for name in names):
            return None
        positions = [self.request_header[name] for name in names]
        return positions if positions == sorted(set(positions)) else None

    def _request_cells(self, row: Row) -> list[str] | None:
        """The row's seven cells; where they can be read several ways, the one whose 总计 adds up."""
        positions = self._request_positions()
        aligned = aligned_values(row, self.request_header_row, positions) if positions else None
        if aligned is not None and aligned == row.values and not self.subtotal_column:
            return aligned  # the row is exactly its seven cells: one reading
        fitted = fit_values(row.values, 7)
        if aligned is not None and (fitted is None or fitted == aligned) and not self.subtotal_column:
            return aligned  # one reading of the cells: the checks judge it
        default = aligned if aligned is not None else fitted
        others = [fitted] if fitted is not None and fitted != default else []
        filled = [value for value in row.values if value.strip()]
        if self.subtotal_column:
            eight = fit_values(row.values, 8)
            if eight is not None:
                dropped = eight[:6] + eight[7:]  # drop the non-template 法人或其他组织小计 column
                default, others = (default, [dropped, *others]) if default is not None else (dropped, others)
        if default is None:
            others = readings.without_one(filled, 7)  # a vanished blank counts 0: sums cannot place it
            split = readings.split_run_together(filled)
            if len(split) == 7 and split != filled:
                others.append(split)
        cells, how = readings.settle(default, others, readings.sums_to_last)
        if how == "other":
            self.report.warnings.append(f"{SECTIONS['requests']}：行“{row.label}”按使总计等于各列之和的分列读取")
            self.doubts.append(f"三：行“{row.label}”的分列是按总计选定的")
        elif how == "doubt":
            self.doubts.append(f"三：行“{row.label}”的总计不等于各列之和，另一种分列也不能使其相等")
        return cells

    # -- section 四 --------------------------------------------------------------------------------
    def _review(self, row: Row) -> None:
        """The 15 numbers of table 四: on one row, or on the rows of its numbers' lines taken together
        (a text layer that breaks the number row in two), or one row per category (行政复议 | 5 numbers)."""
        if self.reviews_read:
            return
        numbers = [value for value in row.values if value.strip()]
        category = self._review_category(row)
        if category is not None and len(numbers) == 5:
            self._review_cells([category], numbers)
            return
        if row.labels and not numbers:
            return  # a header row between the numbers' lines ends nothing
        self.review_numbers = self.review_numbers + numbers if not row.labels else numbers
        if len(self.review_numbers) < 15:
            split = readings.split_run_together(self.review_numbers)
            if len(split) != 15:
                return
            self.reviews_read = True
            cells, how = readings.settle(None, [split], readings.reviews_balance)
            self.report.warnings.append(f"{SECTIONS['reviews']}：有单元格含两个数字（如“"
                                        f"{next(v for v in self.review_numbers if len(v.split()) > 1)}”），按两格读取")
            self.doubts.append("四：有单元格含两个数字，是按两格读取的")
            self._review_cells(list(REVIEW_ROWS), cells or split)
            return
        self.reviews_read = True
        run = self.review_numbers
        default = (fit_values(row.values, 15) if len(numbers) >= 15 else None) or run[-15:]
        others = readings.windows(run, 15) if len(run) > 15 else []
        cells, how = readings.settle(default, others, readings.reviews_balance)
        if how == "other":
            self.report.warnings.append(f"{SECTIONS['reviews']}：表格数字按使各项总计相符的 15 个读取")
            self.doubts.append(f"四：表格有 {len(run)} 个数字，按总计选定了其中 15 个")
        elif how == "doubt":
            self.doubts.append(f"四：表格有 {len(run)} 个数字，无法按总计确定是哪 15 个")
        self._review_cells(list(REVIEW_ROWS), cells or default)

    def _review_category(self, row: Row) -> Row_ | None:
        text = "".join(row.labels)
        words_of = (("行政复议",), ("未经复议", "直接起诉"), ("复议后起诉",))
        for review_row, words in zip(REVIEW_ROWS, words_of, strict=True):
            if any(word in text for word in words) and (review_row.key != "review" or "诉讼" not in text):
                return review_row
        return None

    def _review_cells(self, review_rows: list[Row_], cells: list[str]) -> None:
        for index, review_row in enumerate(review_rows):
            for offset, column in enumerate(REVIEW_COLUMNS):
                self._set(f"reviews.{review_row.key}.{column.key}", cells[index * 5 + offset])
        if all(f"reviews.{r.key}.total" in self.report.values for r in REVIEW_ROWS):
            self.reviews_read = True

