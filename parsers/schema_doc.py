"""docs/report-keys.md, written from parsers/schema.py so that the document cannot drift from the code.

Regenerate with `python -m parsers.schema_doc > docs/report-keys.md`; tests/test_docs.py compares the two.
"""

from __future__ import annotations

from collections.abc import Iterator

from parsers.schema import ACTIVE_ROWS, REQUEST_COLUMNS, REQUEST_ROWS, REVIEW_COLUMNS, REVIEW_ROWS, SECTIONS, Column

TEMPLATE_NOTES = {
    "2019": ("国办公开办函〔2019〕60号", "2019, 2020 (and wrongly later)",
             "二 has 本年新制作数量 / 本年新公开数量 / 对外公开总数量 and a row 政府集中采购; "
             "三（六）其他处理 is one row"),
    "2021": ("国办公开办函〔2021〕30号", "2021 onward",
             "二 has 本年制发件数 / 本年废止件数 / 现行有效件数; 三（六）其他处理 has three sub-rows"),
}

INTRODUCTION = """\
# Report keys: the cells of an annual report

<!-- Generated from parsers/schema.py by `python -m parsers.schema_doc > docs/report-keys.md`.
     Do not edit by hand: tests/test_docs.py checks that this file equals the generated text. -->

Every 政府信息公开工作年度报告 published since 2019 follows one of two national templates. Their
statistical tables are what nianbao stores. This page names every cell: the parser, the database
(`report_values.key`), the checks, Datasette, `nianbao parse --json` and `nianbao export` all use these
keys.

A cell's key is `section.row.column`; a row may have a sub-part (`section.row.sub.column`), e.g.
`requests.denied.state_secret.natural_person`. Labels are matched after normalization
(traditional → simplified script, full-width → half-width, whitespace and line breaks inside a label
removed, pinyin annotations such as `據(jù)` dropped). Rows the template does not have (a provincial
extra row, printed subtotals) are kept under `extra.*` keys, never forced onto a template key.
"""

VALUES = """\
## Values

Every cell has its raw text, a state, and (where it has one) a number.

| state | raw text | number |
|---|---|---|
| `number` | `3`, `增16`, `71万元`, `+2` | the value |
| `none` | `/`, `—`, `-`, `无` | 0 |
| `blank` | empty | `null`: never invented; checks treat the sums that need it as incomplete, not as 0 |
| `text` | anything else (`详见附件`) | `null`, with an `unreadable_value` finding |

- Counts are whole numbers of zero or more, except the columns marked *signed* above
  (`增16` → 16, `减3` → −3, `+2`/`-2` as written).
- Amounts (columns marked *万元*) are in 万元: `71万元` → 71, `251000元` → 25.1, `0.35` → 0.35.
  The unit found is kept with the raw text.
- Section 四 is one row of 15 numbers in a fixed order, read by position when a PDF scrambles its
  header. A report that replaces it with a sentence (未发生行政复议、行政诉讼) has a missing table,
  not a row of zeros.
"""


def _column_cell(column: Column) -> str:
    notes = [note for flag, note in ((column.money, "万元"), (column.signed, "signed")) if flag]
    return f"`{column.key}` {column.label}" + (f" ({', '.join(notes)})" if notes else "")


def _templates_table() -> Iterator[str]:
    yield "## Templates"
    yield ""
    yield "| template | issued by | used for report years | recognised by |"
    yield "|---|---|---|---|"
    for template, (issued_by, years, recognised_by) in TEMPLATE_NOTES.items():
        yield f"| `{template}` | {issued_by} | {years} | {recognised_by} |"
    yield ""
    yield "A report whose tables match neither template is template `unknown`: it is still stored, with an"
    yield "`unknown_template` finding, and only the rows both templates share are named."
    yield ""
    yield "A report for 2018 or earlier (its title names the year) came before the national templates: if it has no"
    yield "template tables it is template `pre2019`, stored with its agency and year and no cells (parse status"
    yield "`parsed`: there is nothing more to read). Only `year_mismatch` and `duplicate_report` judge it; it counts"
    yield "as published for its year."
    yield ""


def _active_section() -> Iterator[str]:
    yield f"## Section `active`: {SECTIONS['active']}"
    yield ""
    for template in ("2021", "2019"):
        yield f"Template `{template}`:"
        yield ""
        yield "| row key | label | column keys (labels) |"
        yield "|---|---|---|"
        for row in ACTIVE_ROWS[template]:
            yield f"| `{row.key}` | {row.label} | {', '.join(_column_cell(column) for column in row.columns)} |"
        yield ""
    yield f"Example key: `active.{ACTIVE_ROWS['2021'][0].key}.{ACTIVE_ROWS['2021'][0].columns[0].key}`."
    yield ""


def _requests_section() -> Iterator[str]:
    yield f"## Section `requests`: {SECTIONS['requests']}"
    yield ""
    yield "Columns (both templates): " + ", ".join(_column_cell(column) for column in REQUEST_COLUMNS) + "."
    yield ""
    yield "| row key | label | templates |"
    yield "|---|---|---|"
    in_2019 = {row.key for row in REQUEST_ROWS["2019"]}
    in_2021 = {row.key for row in REQUEST_ROWS["2021"]}
    order = [row.key for row in REQUEST_ROWS["2021"]]
    for row in REQUEST_ROWS["2019"]:  # 2019's single 其他处理 row goes before 2021's three sub-rows
        if row.key not in in_2021:
            order.insert(order.index("other_handling.no_correction"), row.key)
    labels = {row.key: row.label for template in ("2019", "2021") for row in REQUEST_ROWS[template]}
    for key in order:
        templates = " ".join(f"`{name}`" for name, keys in (("2019", in_2019), ("2021", in_2021)) if key in keys)
        yield f"| `{key}` | {labels[key]} | {templates} |"
    yield ""
    yield "Example key: `requests.denied.state_secret.natural_person`."
    yield ""


def _reviews_section() -> Iterator[str]:
    yield f"## Section `reviews`: {SECTIONS['reviews']}"
    yield ""
    yield "Both templates. Rows: " + ", ".join(f"`{row.key}` {row.label}" for row in REVIEW_ROWS) + "."
    yield "Columns: " + ", ".join(_column_cell(column) for column in REVIEW_COLUMNS) + "."
    yield ""
    yield f"Example key: `reviews.{REVIEW_ROWS[1].key}.{REVIEW_COLUMNS[-1].key}`."
    yield ""


def render() -> str:
    """The whole of docs/report-keys.md."""
    parts = [INTRODUCTION, *_templates_table(), *_active_section(), *_requests_section(), *_reviews_section()]
    return "\n".join(parts) + "\n" + VALUES


if __name__ == "__main__":
    print(render(), end="")
