"""What an HTML page says about its report outside the article body: title block, 当前位置, 发布机构."""

from __future__ import annotations

from parsers.readers.html import read_html

BODY = ('<div class="TRS_Editor"><p class=MsoNormal><span style="mso-bidi-font-size:10.5pt">'
        "根据《中华人民共和国政府信息公开条例》规定，现将本单位2023年政府信息公开工作年度报告如下：</span></p></div>")


def meta_of(page: str) -> dict[str, str]:
    return read_html(page.encode("utf-8"), "page.html").meta


def test_title_in_a_table_cell_outside_the_body() -> None:
    page = ('<html><head><title>清源县人民政府</title></head><body><div class="nav">首页</div>'
            '<table><tr><td class="biaoti"><span>清源县退役军人事务局2023年政府信息公开工作年度报告</span></td></tr>'
            f"</table>{BODY}</body></html>")
    assert meta_of(page)["heading"] == "清源县退役军人事务局2023年政府信息公开工作年度报告"


def test_h1_that_names_the_report_wins_over_the_site_banner() -> None:
    page = ('<html><body><h1>清源县人民政府</h1><div class="detail"><h1 class="tit">'
            f"清源县审计局2023年政府信息公开工作年度报告</h1>{BODY}</div></body></html>")
    assert meta_of(page)["heading"] == "清源县审计局2023年政府信息公开工作年度报告"


def test_breadcrumb_by_label_and_publisher_in_the_catalogue_header() -> None:
    page = ('<html><body><div class="wz">您的位置：<a href="/">首页</a> &gt; <a href="/bm/">部门信息公开</a> &gt; '
            '<a href="/bm/sj/">清源县审计局</a></div><table class="xxgk"><tr><th>发布机构：</th>'
            f"<td>清源县审计局</td></tr></table>{BODY}</body></html>")
    meta = meta_of(page)
    assert meta["breadcrumb"] == "首页 > 部门信息公开 > 清源县审计局"
    assert meta["publisher"] == "清源县审计局"


def test_page_without_any_of_them_has_none() -> None:
    assert not {"heading", "breadcrumb", "publisher"} & set(meta_of(f"<html><body>{BODY}</body></html>"))



def test_national_metadata_author_is_kept_and_an_empty_one_is_not() -> None:
    head = ('<html><head><meta name="ContentSource" content=""/><meta name="Author" content="平潭综合实验区管委会"/>'
            "</head>")
    assert meta_of(f"{head}<body>{BODY}</body></html>")["Author"] == "平潭综合实验区管委会"
    empty = '<html><head><meta name="Author" content=""/></head>'
    assert "Author" not in meta_of(f"{empty}<body>{BODY}</body></html>")
