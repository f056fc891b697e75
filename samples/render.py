"""Render a SampleReport as bytes in the formats portals publish: HTML pages, DOCX, PDF and text dumps."""

from __future__ import annotations

from html import escape
from typing import Literal

from samples.layout import Layout, TableSpec, Text, expand, layout
from samples.model import SampleReport

RenderFormat = Literal["html", "html_body", "docx", "pdf", "text_cells", "text_tabs", "text_pipes"]
FORMATS: tuple[RenderFormat, ...] = ("html", "html_body", "docx", "pdf", "text_cells", "text_tabs", "text_pipes")
EXTENSIONS = {"html": ".html", "html_body": ".html", "docx": ".docx", "pdf": ".pdf",
              "text_cells": ".txt", "text_tabs": ".txt", "text_pipes": ".txt"}


def render(report: SampleReport, fmt: RenderFormat, encoding: str = "utf-8", ruled: bool = True) -> bytes:
    """The report as a file of format `fmt`; `encoding` applies to html (utf-8 or gbk), `ruled` to pdf."""
    printed = layout(report)
    if fmt == "html":
        return _html_page(report, printed, encoding).encode(encoding)
    if fmt == "html_body":
        return html_body(printed).encode("utf-8")
    if fmt == "docx":
        from samples.render_docx import render_docx

        return render_docx(printed)
    if fmt == "pdf":
        from samples.render_pdf import render_pdf

        return render_pdf(printed, ruled)
    if fmt in ("text_cells", "text_tabs", "text_pipes"):
        return _text(printed, fmt).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def _html_table(table: TableSpec) -> str:
    lines = ['<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">', "<tbody>"]
    for row in table.rows:
        cells = []
        for span in row:
            attrs = (f' rowspan="{span.rowspan}"' if span.rowspan > 1 else "") + (
                f' colspan="{span.colspan}"' if span.colspan > 1 else "")
            text = escape(span.text) or "&nbsp;"
            cells.append(f"<td{attrs}><p>{'<b>' + text + '</b>' if span.header else text}</p></td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def html_body(printed: Layout) -> str:
    """The report body as an article's HTML: headings and paragraphs as <p>, tables with spans."""
    parts: list[str] = []
    for block in printed.blocks:
        if isinstance(block, TableSpec):
            parts.append(_html_table(block))
        elif block.role == "title":
            parts.append(f'<p style="text-align:center"><strong>{escape(block.text)}</strong></p>')
        elif block.role == "heading":
            parts.append(f"<p><strong>{escape(block.text)}</strong></p>")
        elif block.role == "signature":
            parts.append(f'<p style="text-align:right">{escape(block.text)}</p>')
        else:
            parts.append(f'<p style="text-indent:2em">{escape(block.text)}</p>')
    return "\n".join(parts)


def _html_page(report: SampleReport, printed: Layout, encoding: str) -> str:
    charset = "gbk" if encoding.lower() in ("gbk", "gb2312", "gb18030") else "utf-8"
    pub = report.published_on.isoformat() if report.published_on else ""
    county = report.agency[:3]
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{escape(printed.title)}_{escape(county)}人民政府</title>
<meta name="ArticleTitle" content="{escape(printed.title)}">
<meta name="PubDate" content="{pub} 09:30">
<meta name="ContentSource" content="{escape(report.agency)}">
<meta name="SiteName" content="{escape(county)}人民政府">
</head>
<body>
<div class="header"><a href="/">首页</a> &gt; <a href="/zfxxgk/">政府信息公开</a> &gt; 政府信息公开年报</div>
<div class="article">
<h1 class="title">{escape(printed.title)}</h1>
<div class="info">发布时间：{pub}　来源：{escape(report.agency)}　浏览次数：<span>128</span></div>
<div class="TRS_Editor" id="zoom">
{html_body(printed)}
</div>
</div>
<div class="footer">主办：{escape(county)}人民政府办公室　网站标识码：1405250001</div>
</body>
</html>
"""


def _text(printed: Layout, fmt: str) -> str:
    lines: list[str] = []
    for block in printed.blocks:
        if isinstance(block, Text):
            lines.append(block.text)
            continue
        grid = expand(block)
        for row in grid:
            if fmt == "text_cells":
                # A Word table copied as text: one cell per line after a tab, a blank line between rows;
                # a vertically merged cell prints empty, a horizontally merged one once
                # (tests/golden/seed_000, seed_001).
                lines += ["\t" + (text if origin else "") for text, origin, from_left in row if not from_left]
                lines.append("")
            else:
                texts = [text if origin else "" for text, origin, _ in row]
                if fmt == "text_tabs":
                    lines.append("\t".join(texts))
                else:
                    lines.append("| " + " | ".join(texts) + " |")
    return "\n".join(lines) + "\n"
