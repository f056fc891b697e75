# ruff: noqa: E501
"""Word-pasted HTML tables of the report (rowspan/colspan, <td><p><span>, &nbsp;), as portals publish them."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from common import (
    ACTIVE,
    BALANCE_NOTE,
    REQUEST_COLUMNS,
    REQUEST_ROWS,
    RESULTS_LABEL,
    REVIEW_COLUMNS,
    REVIEW_ROWS,
    Cells,
)

Convert = Callable[[str], str]


def _same(text: str) -> str:
    return text


def td(text: str, rowspan: int = 1, colspan: int = 1, width: int = 64) -> str:
    """One Word-style cell: a centred <p> with a <span>, &nbsp; when empty, <br/> for line breaks."""
    spans = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    body = "<br/>".join(escape(line, quote=False) for line in text.split("\n")) if text else "&nbsp;"
    return (
        f'<td width="{width * colspan}"{spans} valign="center" style="width:{width * colspan}pt;border:solid windowtext 1.0pt;'
        f'padding:0cm 5.4pt 0cm 5.4pt"><p class="MsoNormal" align="center" style="text-align:center">'
        f'<span style="font-size:10.5pt;font-family:仿宋_GB2312">{body}</span></p></td>'
    )


def table(rows: list[str]) -> str:
    trs = "\n".join(f'<tr style="height:20.25pt">{row}</tr>' for row in rows)
    return (
        '<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" width="600" '
        f'style="border-collapse:collapse;border:none">\n<tbody>\n{trs}\n</tbody>\n</table>'
    )


def active_table(template: str, cells: Cells, tw: Convert = _same) -> str:
    rows: list[str] = []
    for caption, header, items in ACTIVE[template]:
        rows.append(td(tw(caption), colspan=4, width=100))
        head = td(tw(header[0]))
        head += "".join(td(tw(h)) for h in header[1:]) if len(header) == 4 else td(tw(header[1]), colspan=3)
        if len(header) == 3:  # 2019 （八）（九）: two value columns, the second spans two
            head = td(tw(header[0])) + td(tw(header[1])) + td(tw(header[2]), colspan=2)
        rows.append(head)
        for key, label, columns in items:
            raws = [cells.raw[f"active.{key}.{column}"] for column in columns]
            if len(raws) == 1:
                rows.append(td(tw(label)) + td(raws[0], colspan=3))
            elif len(raws) == 2:
                rows.append(td(tw(label)) + td(raws[0]) + td(raws[1], colspan=2))
            else:
                rows.append(td(tw(label)) + "".join(td(raw) for raw in raws))
    return table(rows)


def requests_table(template: str, cells: Cells, tw: Convert = _same, total: str = "总计") -> str:
    rows = [
        td(tw(BALANCE_NOTE), rowspan=3, colspan=3, width=80) + td(tw("申请人情况"), colspan=7),
        td(tw("自然人"), rowspan=2) + td(tw("法人或其他组织"), colspan=5) + td(tw(total), rowspan=2),
        "".join(td(tw(h)) for h in ("商业\n企业", "科研\n机构", "社会公益\n组织", "法律服务\n机构", "其他")),
    ]
    spec = REQUEST_ROWS[template]
    n_results = sum(1 for _, group, _ in spec if group is not None)
    seen_results = False
    seen_groups: set[str] = set()
    for key, group, label in spec:
        if group is None:
            head = td(tw(label), colspan=3, width=80)
        else:
            head = ""
            if not seen_results:
                head += td(tw(RESULTS_LABEL), rowspan=n_results)
                seen_results = True
            if group == "":
                head += td(tw(label), colspan=2, width=80)
            else:
                if group not in seen_groups:
                    head += td(tw(group), rowspan=sum(1 for _, g, _ in spec if g == group))
                    seen_groups.add(group)
                head += td(tw(label), width=120)
        rows.append(head + "".join(td(cells.raw[f"requests.{key}.{column}"]) for column in REQUEST_COLUMNS))
    return table(rows)


def reviews_table(cells: Cells, tw: Convert = _same) -> str:
    heads = ("结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计")
    rows = [
        td(tw("行政复议"), colspan=5) + td(tw("行政诉讼"), colspan=10),
        "".join(td(tw(h), rowspan=2) for h in heads)
        + td(tw("未经复议直接起诉"), colspan=5) + td(tw("复议后起诉"), colspan=5),
        "".join(td(tw(h)) for h in heads * 2),
        "".join(td(cells.raw[f"reviews.{row}.{column}"]) for row in REVIEW_ROWS for column in REVIEW_COLUMNS),
    ]
    return table(rows)
