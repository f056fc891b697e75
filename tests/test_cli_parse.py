"""`nianbao parse` as a user runs it: JSON of the spec, summaries, one-line errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from nianbao.cli import main


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_parse_json_prints_the_spec_object(seed_004_path: Path) -> None:
    code, out, _ = _run("parse", "--json", str(seed_004_path))
    assert code == 0
    data = json.loads(out)
    assert {"agency", "year", "template", "published_on", "source", "values", "raw", "warnings"} <= set(data)
    assert data["agency"] == "泽州县人力资源和社会保障局"
    assert data["values"]["reviews.litigation_direct.total"] == 17
    assert data["raw"]["reviews.litigation_direct.total"] == "17"
    assert data["source"] == str(seed_004_path)


def test_parse_summary_names_agency_year_and_template(seed_000_path: Path) -> None:
    code, out, err = _run("parse", str(seed_000_path))
    assert code == 0
    assert "古县人力资源和社会保障局" in out and "2021年" in out and "2021年版模板" in out
    assert "解析成功 1 份，失败 0 份" in err


def test_parse_folder_reads_every_report(tmp_path: Path, seed_000_path: Path, seed_004_path: Path) -> None:
    for path in (seed_000_path, seed_004_path):
        (tmp_path / path.parent.name).mkdir()
        (tmp_path / path.parent.name / "report.txt").write_bytes(path.read_bytes())
    code, out, _ = _run("parse", "--json", str(tmp_path))
    assert code == 0
    assert [json.loads(line)["year"] for line in out.splitlines()] == [2021, 2023]


def test_parse_bad_inputs_give_one_line_errors_and_exit_1(tmp_path: Path, seed_004_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 20)
    not_zip = tmp_path / "report.docx"
    not_zip.write_bytes(b"this is not a zip archive at all")
    no_tables = tmp_path / "no_tables.txt"
    no_tables.write_text("某县财政局2023年政府信息公开工作年度报告\n一、总体情况\n见图片。\n", encoding="utf-8")
    code, out, err = _run("parse", str(empty), str(garbage), str(not_zip), str(no_tables), str(seed_004_path))
    assert code == 1
    lines = err.strip().splitlines()
    assert f"{empty}: 空文件" in lines[0]
    assert f"{garbage}: 未知类型的二进制文件" in lines[1]
    assert f"{not_zip}: 不是有效的 DOCX 文件" in lines[2]
    assert f"{no_tables}: 没有找到统计表" in lines[3]
    assert "Traceback" not in err
    assert "泽州县" in out  # the good file after the bad ones is still parsed
    assert "解析成功 1 份，失败 4 份" in err


def test_parse_refuses_a_file_over_the_size_limit(tmp_path: Path) -> None:
    huge = tmp_path / "huge.html"
    with huge.open("wb") as handle:
        handle.truncate(60 * 1024 * 1024)
    code, _, err = _run("parse", str(huge))
    assert code == 1
    assert f"{huge}: 文件 60.0 MiB，超过大小上限 50 MiB" in err


def test_parse_gbk_text_dump(tmp_path: Path, seed_004_path: Path) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(seed_004_path.read_text(encoding="utf-8").encode("gb18030"))
    code, out, _ = _run("parse", "--json", str(gbk))
    assert code == 0
    assert json.loads(out)["agency"] == "泽州县人力资源和社会保障局"


def test_parse_with_two_workers_keeps_order_and_errors(tmp_path: Path, seed_000_path: Path) -> None:
    paths = []
    for index in range(6):
        path = tmp_path / f"{index}.txt"
        path.write_bytes(seed_000_path.read_bytes() if index != 3 else b"")
        paths.append(str(path))
    code, out, err = _run("parse", "--json", "--workers", "2", *paths)
    assert code == 1
    assert [json.loads(line)["source"] for line in out.splitlines()] == [p for i, p in enumerate(paths) if i != 3]
    assert f"{paths[3]}: 空文件" in err
