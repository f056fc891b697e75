"""The arithmetic that judges an OCR reading (parsers.ocr.verify), on readings given as a person reads them."""

from __future__ import annotations

from parsers.ocr.verify import identities, verify

REVIEW = {f"reviews.review.{column}": text for column, text in
          zip(("upheld", "corrected", "other", "pending", "total"), ("3", "1", "0", "1", "8"), strict=True)}


def test_a_re_read_that_mends_the_total_is_kept() -> None:
    # The total first read 8 (a blurred 5 looks so); another view of the same cell reads 5.
    views = {"reviews.review.total": ["8", "5", "5"]}
    texts, uncertain = verify(REVIEW, {"reviews.review.total": 0.7}, "2021", lambda key: views.get(key, []))
    assert texts["reviews.review.total"] == "5"
    assert uncertain == set()


def test_no_re_read_mends_it_so_every_cell_of_the_identity_is_uncertain() -> None:
    texts, uncertain = verify(REVIEW, {}, "2021", lambda key: [REVIEW[key]])
    assert texts == REVIEW
    assert uncertain == set(REVIEW)


def test_a_re_read_that_breaks_another_identity_is_refused() -> None:
    # 三（七）总计 reads 5 | 6 | 0… | 12: the row is broken (5 + 6 = 11). Re-reading 自然人 as 6 would mend the
    # row but break the 自然人 column's 勾稽 (5 + 0 = 5 + 0, which held), so it is refused; 总计 re-read as 11 is kept.
    columns = ("natural_person", "commercial", "research", "public_interest", "legal_services", "other", "total")
    texts = {f"requests.results_total.{c}": t for c, t in zip(columns, ("5", "6", "0", "0", "0", "0", "12"),
                                                               strict=True)}
    texts |= {"requests.received.natural_person": "5", "requests.carried_over.natural_person": "0",
              "requests.carried_forward.natural_person": "0"}
    views = {"requests.results_total.natural_person": ["6"], "requests.results_total.total": ["11"]}
    scores = {"requests.results_total.natural_person": 0.5}  # the least sure cell is tried first
    fixed, uncertain = verify(texts, scores, "2021", lambda key: views.get(key, []))
    assert fixed["requests.results_total.natural_person"] == "5"
    assert fixed["requests.results_total.total"] == "11"
    assert uncertain == set()


def test_the_identities_of_the_2021_template() -> None:
    names = [identity.name for identity in identities("2021")]
    assert len(names) == 25 + 7 + 7 + 3  # a 总计 per row of 三, two per column of 三, one per row of 四
    assert "四 行政复议 总计" in names


def test_a_finding_on_a_scanned_report_says_the_reading_may_be_at_fault() -> None:
    from checks.subject import ReportRecord, Subject
    from parsers.report import ParsedReport

    report = ParsedReport(source="scan.pdf", ocr=True, uncertain=["reviews.review.total"])
    subject = Subject(ReportRecord(report, county="140525", agency="泽州县教育局", year=2024))
    doubtful = subject.finding("review_total", ["reviews.review.total"], 5, 8, "行政复议总计不等于各项之和")
    assert doubtful.message.endswith("（扫描件 OCR 识别：所涉单元格读数不确定，可能是识别误差，请对照原件）")
    other = subject.finding("review_total", ["reviews.litigation_direct.total"], 3, 4, "行政诉讼总计不等于各项之和")
    assert other.message.endswith("（扫描件 OCR 识别，读数可能有误）")


def test_a_garbled_row_label_snaps_to_the_template_row_not_yet_seen() -> None:
    from parsers.grid import Document, Table
    from parsers.readers.scan import snap_labels

    zeros = ["0"] * 7
    table = Table.from_texts([
        ["（三）不予公开", "1.属于国家秘密", *zeros],
        ["（三）不予公开", "2.其他法律行政止公开", *zeros],  # OCR lost 法规禁 from the wrapped label
        ["（三）不予公开", "3.危及“三安全一稳定”", *zeros],
        ["（六）其他处理", "3.其他", *zeros],
    ])
    document = Document([table])
    snap_labels(document)
    assert [row[1].text for row in table.rows] == ["1.属于国家秘密", "2.其他法律行政法规禁止公开",
                                                   "3.危及“三安全一稳定”", "3.其他"]
    assert document.warnings == ["扫描件：表三行标签“2.其他法律行政止公开”按模板识别为“2.其他法律行政法规禁止公开”"]
