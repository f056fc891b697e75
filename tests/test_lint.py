# ruff: noqa: E501
"""`nianbao lint`: drafts an office wrote (tests/drafts, built by make_drafts.py), each with its output written by
hand in <draft>.expected (`{file}` stands for the path given; parser notes, `  读取提示：…`, are tested apart)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from checks.lint import HISTORY_RULES, IN_REPORT_RULES, check_draft
from checks.runner import REPORT_RULES
from nianbao.errors import DraftErrors
from parsers import parse_file
from samples.drafts import SAMPLE_DRAFT

DRAFTS = Path(__file__).parent / "drafts"
CASES = sorted(path for path in DRAFTS.iterdir() if path.suffix in (".docx", ".pdf", ".txt") and
               path.with_suffix(".expected").exists())
PREVIOUS_2023 = DRAFTS / "previous_2023.docx"
CLEAN = DRAFTS / "clean_2024.docx"
HISTORY_NOTE = ("未做上年比对：“上年结转”与上年报告的“结转下年度继续办理”、现行有效件数前后衔接、与上年报告雷同，"
                "这3项检查需要上年报告，可用 --previous 上年报告文件 补做。")


def lint(*args: str) -> Result:
    from nianbao.cli import main

    return CliRunner().invoke(main, ["lint", *args])


def shown(result: Result) -> list[str]:
    """stdout without the parser's notes."""
    return [line for line in result.stdout.splitlines() if not line.startswith("  读取提示：")]


@pytest.mark.parametrize("draft", CASES, ids=lambda path: path.stem)
def test_lint_golden_draft_prints_the_hand_written_problems(draft: Path) -> None:
    expected = draft.with_suffix(".expected").read_text(encoding="utf-8").replace("{file}", str(draft))
    result = lint(str(draft))
    assert shown(result) == expected.splitlines()
    has_error = any(line.startswith("  错误  ") for line in expected.splitlines())
    assert result.exit_code == (DraftErrors.exit_code if has_error else 0), result.output
    if has_error:
        assert result.stderr.strip() == "错误：1份草稿有错误，改正后再发布"
    else:
        assert result.stderr == ""


def test_lint_every_in_report_rule_has_a_golden_draft() -> None:
    """Each rule that needs only the document is found in at least one draft above or the sample draft."""
    found: set[str] = set()
    for draft in [*CASES, SAMPLE_DRAFT]:
        found |= {finding.rule for finding in check_draft(parse_file(draft), str(draft)).findings}
    assert found == set(IN_REPORT_RULES)


def test_lint_rules_are_the_checks_rules() -> None:
    """lint runs the functions of `nianbao check`, by their codes: no second implementation."""
    assert set(IN_REPORT_RULES) | set(HISTORY_RULES) <= set(REPORT_RULES)
    assert set(REPORT_RULES) - set(IN_REPORT_RULES) - set(HISTORY_RULES) == {"duplicate_report", "report_degraded", "late"}
    assert "implausible_value" in IN_REPORT_RULES


def test_lint_sample_draft_shows_its_two_planted_problems() -> None:
    result = lint("--sample")
    assert shown(result) == [
        f"{SAMPLE_DRAFT}：清源县人民政府 · 2024年度（标题） · 统计期限2024年 · 2021年版模板 · 2个错误",
        "  错误  表四 行政诉讼·未经复议直接起诉·总计：结果维持37+结果纠正3+其他结果0+尚未审结0=40，表中填写44",
        "        改正：总计应为结果维持、结果纠正、其他结果、尚未审结四项之和：改正总计，或改正填错的分项。",
        "  错误  “一、总体情况”中写的是13，表三 一、本年新收政府信息公开申请数量·总计填写12",
        "        改正：核对后使正文中的数字与统计表一致。",
        HISTORY_NOTE,
    ]
    assert result.exit_code == DraftErrors.exit_code == 6
    assert lint(str(SAMPLE_DRAFT)).stdout == result.stdout


def test_lint_parser_notes_are_shown_in_chinese() -> None:
    result = lint(str(DRAFTS / "structure_2024.docx"), str(DRAFTS / "no_year.docx"))
    notes = [line for line in result.stdout.splitlines() if line.startswith("  读取提示：")]
    assert notes == ["  读取提示：四：用一句话（未发生行政复议、行政诉讼）代替了统计表",
                     # The draft has no 行政强制 row: its table 二 gives 9 of the template's 10 cells.
                     "  读取提示：二、主动公开政府信息情况：表格只读到 9 个单元格，模板有 10 个",
                     "  读取提示：未能确定报告年度：标题、统计期限和落款日期中都没有年份"]


def test_lint_year_option_names_the_year_a_draft_does_not_state() -> None:
    draft = DRAFTS / "no_year.docx"  # 清源县统计局 on the 2019 template, no year anywhere
    result = lint(str(draft), "--year", "2024")
    assert shown(result) == [
        f"{draft}：清源县统计局 · 2024年度（--year 指定） · 未读到统计期限 · 2019年版模板 · 1个警告",
        "  警告  2024年度报告应使用2021年版模板（国办公开办函〔2021〕30号），实际使用的是2019年版模板（国办公开办函〔2019〕60号）",
        "        改正：按该年度适用的模板重新填表（2021年度起用国办公开办函〔2021〕30号的格式）。",
        HISTORY_NOTE,
    ]
    assert result.exit_code == 0  # a warning is not an error


def test_lint_previous_report_runs_the_history_rules() -> None:
    result = lint(str(CLEAN), "--previous", str(PREVIOUS_2023))
    path = str(PREVIOUS_2023)
    assert shown(result) == [
        f"{CLEAN}：清源县民政局 · 2024年度（标题） · 统计期限2024年 · 2021年版模板 · 比对上年报告 {path}（2023年度） · 2个警告",
        # One defect (the carry-over), one finding over the two cells it touches.
        "  警告  表三 二、上年结转政府信息公开申请数量·自然人、总计：“上年结转”与2023年度报告“结转下年度继续办理”不符："
        f"自然人1件（上年报告为2件）、总计1件（上年报告为2件）（{path}）",
        "        改正：上年结转应等于上年报告的结转下年度继续办理：改正本表，或在报告中说明更正的原因。",
        "  警告  表二 行政规范性文件·现行有效件数：“行政规范性文件”现行有效件数6，按上年4+本年制发1−本年废止0应为5（如有修订、清理可忽略）",
        "        改正：核对现行有效件数；因修订、清理而前后不衔接的，可在报告中说明。",
    ]
    assert result.exit_code == 0


def test_lint_previous_report_of_another_agency_is_not_compared(tmp_path: Path) -> None:
    """In a folder run, last year's report of 民政局 is compared with the 民政局 draft only."""
    for draft in (CLEAN, DRAFTS / "outdated_template_2024.docx"):
        shutil.copy(draft, tmp_path)
    result = lint(str(tmp_path), "--previous", str(PREVIOUS_2023))
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{tmp_path / 'clean_2024.docx'}：清源县民政局") and "2个警告" in lines[0]
    assert f"--previous 中没有同一单位的上年报告，未做上年比对：{tmp_path / 'outdated_template_2024.docx'}" in lines
    assert result.exit_code == 0


@pytest.fixture
def drafts_folder(tmp_path: Path) -> Path:
    """A county's folder of drafts: a clean one, the sample, a damaged file and Word's lock file."""
    folder = tmp_path / "2024年报草稿"
    folder.mkdir()
    shutil.copy(CLEAN, folder / "民政局.docx")
    shutil.copy(SAMPLE_DRAFT, folder / "县政府.docx")
    (folder / "教育局.docx").write_bytes(b"PK\x03\x04 saved by a crashed editor")
    (folder / "~$民政局.docx").write_bytes(b"\x00" * 162)
    return folder


def test_lint_folder_lints_every_draft_and_names_the_unreadable_one(drafts_folder: Path) -> None:
    result = lint(str(drafts_folder))
    lines = result.stdout.splitlines()  # in name order: 县政府, 教育局, 民政局
    assert lines[0] == f"{drafts_folder / '县政府.docx'}：清源县人民政府 · 2024年度（标题） · 统计期限2024年 · 2021年版模板 · 2个错误"
    assert lines[5] == f"{drafts_folder / '民政局.docx'}：清源县民政局 · 2024年度（标题） · 统计期限2024年 · 2021年版模板 · 未发现问题"
    assert lines[-1] == "共3份：1份未发现问题，1份有错误，1份无法读取"
    assert result.stderr.splitlines() == [
        f"错误：{drafts_folder / '教育局.docx'}: 压缩包已损坏（文件不完整，或内容与扩展名不符）"
        "（文件已损坏，或内容与扩展名不符：请用Word重新另存为 .docx）"]
    assert "~$" not in result.output
    assert result.exit_code == 1  # a file could not be read: the lint is incomplete


def test_lint_folder_of_clean_drafts_exits_0(tmp_path: Path) -> None:
    shutil.copy(CLEAN, tmp_path / "a.docx")
    shutil.copy(DRAFTS / "outdated_template_2024.docx", tmp_path / "b.docx")
    result = lint(str(tmp_path))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "共2份：1份未发现问题，0份有错误"


def test_lint_missing_file_is_named_and_others_still_linted(tmp_path: Path) -> None:
    result = lint(str(tmp_path / "草稿.docx"), str(CLEAN))
    assert f"错误：{tmp_path / '草稿.docx'}: 无法读取" in result.stderr
    assert "清源县民政局" in result.stdout and result.exit_code == 1


def test_lint_without_a_file_is_a_usage_error() -> None:
    result = lint()
    assert result.exit_code == 2 and "请给出草稿文件或文件夹" in result.output


def test_lint_unreadable_previous_report_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "2023.docx"
    broken.write_bytes(b"")
    result = lint(str(CLEAN), "--previous", str(broken))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"错误：--previous {broken}: 空文件"


def test_lint_json_one_object_per_document(drafts_folder: Path) -> None:
    result = lint("--json", str(drafts_folder))
    documents = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(d["file"]).name for d in documents] == ["县政府.docx", "教育局.docx", "民政局.docx"]
    sample, broken, clean = documents
    assert clean["agency"] == "清源县民政局" and clean["year"] == 2024 and clean["year_from"] == "title"
    assert clean["template"] == "2021" and clean["problems"] == [] and clean["errors"] == 0
    assert clean["skipped"] == ["carry_over_mismatch", "in_force_rollover", "copied_report"]
    assert sample["errors"] == 2 and sample["warnings"] == 0
    litigation, narrative = sample["problems"]
    assert litigation["rule"] == "litigation_total" and litigation["severity"] == "error"
    assert litigation["keys"] == ["reviews.litigation_direct.total"]
    assert (litigation["expected"], litigation["found"]) == (40, 44)
    assert litigation["text"] == "表四 行政诉讼·未经复议直接起诉·总计：结果维持37+结果纠正3+其他结果0+尚未审结0=40，表中填写44"
    assert litigation["fix"].startswith("总计应为结果维持、结果纠正、其他结果、尚未审结四项之和")
    assert litigation["message"]  # the message `nianbao check` stores
    assert (narrative["rule"], narrative["expected"], narrative["found"]) == ("narrative_mismatch", 12, 13)
    assert broken == {"file": str(drafts_folder / "教育局.docx"), "error": "压缩包已损坏（文件不完整，或内容与扩展名不符）",
                      "reason": "corrupt"}
    assert result.exit_code == 1


def test_lint_readme_example_is_what_the_sample_prints() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ nianbao lint --sample\n", 1)[1].split("```", 1)[0]
    result = lint("--sample")
    printed = result.stdout.replace(str(SAMPLE_DRAFT.parent.parent.parent), "…") + result.stderr
    assert block == printed


def test_lint_finds_what_check_finds_once_the_drafts_are_stored(tmp_path: Path) -> None:
    """The drafts ingested into a real store and checked by `nianbao check` give the same findings as lint (the
    history rules with last year's report given to lint): the same rules, by the same code."""
    from nianbao.cli import main

    folder = tmp_path / "drafts"
    folder.mkdir()
    for draft in [*CASES, SAMPLE_DRAFT, PREVIOUS_2023]:
        if draft.stem != "no_year" and draft.suffix != ".pdf":  # the store needs agency and year; one copy each
            shutil.copy(draft, folder)
    db = str(tmp_path / "nianbao.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "--county", "990101", "--db", db, str(folder)]).exit_code == 0
    checked = runner.invoke(main, ["check", "--json", "--db", db, "--as-of", "2025-06-01"])
    assert checked.exit_code == 0, checked.output
    linted = lint("--json", str(folder), "--previous", str(folder / "previous_2023.docx"))

    def facts(finding: dict) -> tuple:
        return finding["agency"], finding["rule"], tuple(finding["keys"]), finding["expected"], finding["found"]

    from_check = {facts(f) for f in map(json.loads, checked.stdout.splitlines())
                  if f["rule"] in IN_REPORT_RULES or f["rule"] in HISTORY_RULES}
    from_lint = {facts(f) for document in map(json.loads, linted.stdout.splitlines()) for f in document["problems"]}
    assert from_lint == from_check
    assert ("清源县民政局", "carry_over_mismatch",
            ("requests.carried_over.natural_person", "requests.carried_over.total"), 2, 1) in from_lint
    assert ("清源县人民政府", "litigation_total", ("reviews.litigation_direct.total",), 40, 44) in from_lint
