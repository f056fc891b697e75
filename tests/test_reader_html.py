"""HTML reader: article body picked out of whole portal pages, Word-pasted tables as full grids."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers import Limits, read_document
from parsers.errors import CorruptDocument, TooLarge
from parsers.grid import Document, Paragraph, Table
from parsers.readers import html as html_reader
from parsers.readers.html import read_html

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def trs_page() -> bytes:
    """清源县人民政府 2023: a TRS article page in GBK with nav, info bar, footer and a TRS_Editor body."""
    return (GOLDEN / "html_trs_gbk_2021" / "input.html").read_bytes()


@pytest.fixture
def traditional_page() -> bytes:
    """清源縣教育局 2022: UTF-8, traditional script, the whole report inside a one-cell layout table."""
    return (GOLDEN / "html_traditional_2021" / "input.html").read_bytes()


def _read(page: bytes | str) -> Document:
    data = page.encode("utf-8") if isinstance(page, str) else page
    return read_html(data, "page.html", Limits())


def _tables(document: Document) -> list[Table]:
    return [block for block in document.blocks if isinstance(block, Table)]


def _paragraphs(document: Document) -> list[str]:
    return [block.text for block in document.blocks if isinstance(block, Paragraph)]


def test_read_html_decodes_gbk_page_and_reads_meta_tags(trs_page: bytes) -> None:
    with pytest.raises(UnicodeDecodeError):
        trs_page.decode("utf-8")
    document = _read(trs_page)
    assert document.meta == {
        "title": "清源县人民政府2023年政府信息公开工作年度报告_清源县人民政府",
        "SiteName": "清源县人民政府",
        "SiteDomain": "www.qingyuan.gov.cn",
        "SiteIDCode": "1410990001",
        "ColumnName": "政府信息公开年报",
        "ColumnType": "信息公开，年度报告",
        "ArticleTitle": "清源县人民政府2023年政府信息公开工作年度报告",
        "PubDate": "2024-01-24 16:05",
        "ContentSource": "清源县人民政府办公室",
        # Outside the TRS_Editor body: the <h1>, the 当前位置 bar and the 信息公开目录 header's 发布机构.
        "heading": "清源县人民政府2023年政府信息公开工作年度报告",
        "breadcrumb": "首页 > 政府信息公开 > 政府信息公开年报",
        "publisher": "清源县人民政府办公室",
    }


def test_read_html_body_is_the_trs_editor_without_page_chrome(trs_page: bytes) -> None:
    document = _read(trs_page)
    paragraphs = _paragraphs(document)
    assert paragraphs[0].startswith("本报告是根据《中华人民共和国政府信息公开条例》")
    assert paragraphs[1] == "一、总体情况"
    assert paragraphs[-2:] == ["清源县人民政府办公室", "2024年1月24日"]
    text = document.text()
    for chrome in ("网站标识码", "ICP备", "当前位置", "繁體版", "无障碍", "分享到", "关闭", "字体", "索引号",
                   ".TRS_Editor", "document.write"):
        assert chrome not in text, chrome
    assert document.warnings == []


def test_read_html_blocks_follow_reading_order(trs_page: bytes) -> None:
    document = _read(trs_page)
    kinds = []
    for block in document.blocks:
        if isinstance(block, Table):
            kinds.append("table")
        elif block.text[:2] in ("二、", "三、", "四、", "五、"):
            kinds.append(block.text[:2])
    assert kinds == ["二、", "table", "三、", "table", "四、", "table", "五、"]


def test_read_html_expands_word_pasted_requests_table(trs_page: bytes) -> None:
    requests = _tables(_read(trs_page))[1]
    assert (len(requests.rows), {len(row) for row in requests.rows}) == (28, {10})
    received = requests.rows[3]
    assert [c.text for c in received[:4]] == ["一、本年新收政府信息公开申请数量"] * 3 + ["38"]
    assert [(c.origin, c.from_left) for c in received[:3]] == [(True, False), (False, True), (False, True)]
    # 三、本年度办理结果 spans the 22 result rows, the first one being its origin.
    column0 = [row[0] for row in requests.rows[5:27]]
    assert {c.text for c in column0} == {"三、本年度办理结果"}
    assert [c.origin for c in column0] == [True] + [False] * 21
    assert requests.rows[27][0].text == "四、结转下年度继续办理"
    # （三）不予公开 spans its eight items 1–8 in the second label column.
    denied = [row[1] for row in requests.rows[7:15]]
    assert {c.text for c in denied} == {"（三）不予公开"} and [c.origin for c in denied] == [True] + [False] * 7
    assert [c.text for c in requests.rows[7][2:]] == ["1.属于国家秘密", "0", "0", "", "0", "0", "0", "0"]


def test_read_html_spanning_header_and_line_breaks_in_cells(trs_page: bytes) -> None:
    requests = _tables(_read(trs_page))[1]
    assert [c.text for c in requests.rows[0][3:5]] == ["申请人情况", "申请人情况"]
    assert [c.text for c in requests.rows[1][3:10]] == ["自然人"] + ["法人或其他组织"] * 5 + ["总计"]
    assert [c.text for c in requests.rows[2][3:6]] == ["自然人", "商业\n企业", "科研\n机构"]
    assert requests.rows[2][3].origin is False


def test_read_html_nbsp_cell_is_an_empty_origin_cell(trs_page: bytes) -> None:
    requests = _tables(_read(trs_page))[1]
    cell = requests.rows[7][5]
    assert (cell.text, cell.origin) == ("", True)


def test_read_html_reviews_table_keeps_fifteen_numbers(trs_page: bytes) -> None:
    reviews = _tables(_read(trs_page))[2]
    assert len(reviews.rows) == 4
    assert [c.text for c in reviews.rows[3]] == list("100121010200000")
    assert [c.origin for c in reviews.rows[2][:5]] == [False] * 5


def test_read_html_descends_into_layout_table(traditional_page: bytes) -> None:
    document = _read(traditional_page)
    assert _paragraphs(document)[0] == "清源縣教育局2022年政府資訊公開工作年度報告"
    shapes = [(len(t.rows), len(t.rows[0])) for t in _tables(document)]
    assert shapes == [(16, 4), (28, 10), (4, 15)]
    assert "網站標識碼" not in document.text()
    assert document.meta["ContentSource"] == "清源縣教育局"


def test_read_html_paragraphs_from_br_div_and_list_items() -> None:
    page = """<html><body><div id="zoom">第一行<br>第二行<br/>
    <div>外层文字<p>段落一</p>尾部文字</div><ul><li>条目一</li><li>条目<b>二</b></li></ul>
    <p>  多个   空格
    换行  </p></div></body></html>"""
    assert _paragraphs(_read(page)) == ["第一行", "第二行", "外层文字", "段落一", "尾部文字", "条目一", "条目二",
                                        "多个 空格 换行"]


def test_read_html_without_container_drops_nav_header_footer_and_scripts() -> None:
    page = """<html><head><title>年报</title><style>p{color:red}</style></head><body>
    <header>网站首页</header><nav>政务公开 互动交流</nav><div class="breadcrumb">当前位置：首页</div>
    <script>document.write("广告")</script>
    <p>一、总体情况</p><table><tr><td>规章</td><td>0</td></tr></table>
    <footer>网站标识码：1101070001</footer><div id="footer">京ICP备12345号</div></body></html>"""
    document = _read(page)
    assert _paragraphs(document) == ["一、总体情况"]
    assert [[c.text for c in row] for row in _tables(document)[0].rows] == [["规章", "0"]]
    assert document.warnings and "没有找到正文区域" in document.warnings[0]


def test_read_html_skips_hidden_elements() -> None:
    page = ('<div class="TRS_Editor"><p>正文内容在这里，足够长的一段文字，用来识别正文容器。</p>'
            '<div style="display: none">隐藏</div></div>')
    assert "隐藏" not in _read(page).text()


def test_read_html_deep_nesting_reads_without_recursion_error() -> None:
    page = "<html><body><div id='zoom'>" + "<div>" * 200 + "深处的文字" + "</div>" * 200 + "</div></body></html>"
    assert "深处的文字" in _read(page).text()
    # Past libxml2's depth limit (huge_tree off) the parser stops; the reader still returns.
    hostile = "<html><body>" + "<div>" * 5000 + "x" + "</div>" * 5000 + "</body></html>"
    assert isinstance(_read(hostile), Document)


def test_read_html_too_many_elements_is_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_reader, "MAX_ELEMENTS", 1000)
    with pytest.raises(TooLarge, match=r"page\.html: HTML page has 1502 elements, over the limit of 1000"):
        _read("<html><body>" + "<p>x</p>" * 1500 + "</body></html>")
    # Far over the limit, the page is refused from its tag count before lxml builds a tree.
    with pytest.raises(TooLarge, match=r"page\.html: HTML page has about 5002 tags"):
        _read("<html><body>" + "<p>x</p>" * 5000 + "</body></html>")


def test_read_html_image_only_body_is_kept_and_flagged() -> None:
    page = """<html><head><title>清源县林业局2023年政府信息公开工作年度报告（图片版）</title></head><body>
    <div class="nav">首页</div><div class="TRS_Editor"><p><img src="./W020240124.png"></p>
    <p><img src="./W020240125.png"></p></div><div class="footer">网站标识码：1410990001</div></body></html>"""
    document = _read(page)
    assert document.blocks == []
    assert document.warnings == ["正文有 2 张图片、没有表格：图片版年报，需要 OCR 识别（图片须与网页一同保存）"]


def test_read_html_whitespace_only_page_is_corrupt() -> None:
    with pytest.raises(CorruptDocument, match="page.html: empty HTML page"):
        _read("   \n ")


def test_read_html_is_chosen_by_read_document(trs_page: bytes) -> None:
    document = read_document(trs_page, "http://www.qingyuan.gov.cn/xxgk/nb/202401/t20240124_1.shtml")
    assert len(_tables(document)) == 3


def test_read_html_empty_tr_covered_by_rowspans_is_a_row() -> None:
    page = """<div id="zoom"><table>
    <tr><td rowspan="3">三、本年度办理结果</td><td rowspan="2">（三）不予公开</td><td>1.属于国家秘密</td></tr>
    <tr></tr>
    <tr><td>（四）无法提供</td><td>1.本机关不掌握相关政府信息</td></tr>
    <tr></tr></table></div>"""
    grid = _tables(_read(page))[0]
    assert [[c.text for c in row] for row in grid.rows] == [
        ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"],
        ["三、本年度办理结果", "（三）不予公开", ""],
        ["三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息"],
    ]
