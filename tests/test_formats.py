"""Format detection by content: disguised .doc/.wps files (web page, MHT, RTF) are still read."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import pytest

from parsers import detect_format, parse_bytes

GOLDEN = Path(__file__).parent / "golden"
TRS_PAGE = GOLDEN / "html_trs_gbk_2021" / "input.html"
TRS_EXPECTED = json.loads((GOLDEN / "html_trs_gbk_2021" / "expected.json").read_text(encoding="utf-8"))


def _mht(html: bytes, charset: str) -> bytes:
    body = base64.encodebytes(html).decode("ascii")
    return (
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; boundary="----=_NextPart_01D9"\r\n\r\n'
        "------=_NextPart_01D9\r\n"
        f'Content-Type: text/html; charset="{charset}"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
        f"{body}\r\n"
        "------=_NextPart_01D9--\r\n"
    ).encode("ascii")


def test_detect_format_web_page_saved_as_doc_is_html() -> None:
    assert detect_format(TRS_PAGE.read_bytes(), "report.doc") == "html"
    report = parse_bytes(TRS_PAGE.read_bytes(), "report.doc")
    assert report.agency == TRS_EXPECTED["agency"]


def test_detect_format_mht_saved_as_wps_is_read_through_its_html_part() -> None:
    data = _mht(TRS_PAGE.read_bytes(), "gbk")
    assert detect_format(data, "report.wps") == "mht"
    report = parse_bytes(data, "report.wps")
    assert report.agency == TRS_EXPECTED["agency"]
    key = "requests.received.total"
    assert report.values[key] == TRS_EXPECTED["values"][key]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_detect_format_rtf_saved_as_doc_is_converted() -> None:
    rows = "".join(
        r"\trowd\cellx3000\cellx4000\cellx5000\cellx6000"
        + "".join(rf"\pard\intbl {cell}\cell" for cell in cells)
        + r"\row"
        for cells in (("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"), ("行政规范性文件", "2", "0", "5"))
    )
    rtf = (
        r"{\rtf1\ansi\ansicpg936{\fonttbl{\f0 SimSun;}}\uc1"
        + "".join(rf"\u{ord(c)}?" if ord(c) > 127 else c for c in "某县民政局2023年政府信息公开工作年度报告")
        + r"\par "
    )
    encoded_rows = "".join(rf"\u{ord(c)}?" if ord(c) > 127 else c for c in rows)
    data = (rtf + encoded_rows + "}").encode("ascii")
    assert detect_format(data, "report.doc") == "doc"
    report = parse_bytes(data, "report.doc")
    assert report.agency == "某县民政局"
    assert report.values["active.normative_documents.in_force"] == 5
