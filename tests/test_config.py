"""nianbao.toml mistakes stop every command before any work, with file, line and key; -v keeps the exit code."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from nianbao.cli import main
from nianbao.config import Config, check_config
from nianbao.sections import config_sections

ROOT = Path(__file__).parent.parent


def nianbao(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def error_line(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), result.stderr
    return lines[0].removeprefix("错误：")


def run_with(tmp_path: Path, text: str, *command: str) -> Result:
    config = tmp_path / "nianbao.toml"
    config.write_text(text, encoding="utf-8")
    return nianbao("--config", str(config), *command)


# (the file, the line the error must name, what it must say). Lines counted by hand in each text.
TYPOS = [
    ("[crawl]\ncontact = \"ops@example.org\"\nconcurency = 4\n", 3,
     "未知配置项 crawl.concurency（是否想写 concurrency？）"),
    ("[paths]\ndata_dir = \"data\"\n\n[crawls]\nconcurrency = 4\n", 4, "未知配置节 [crawls]（是否想写 [crawl]？）"),
    ("[checks]\ndeadline = { department = \"01-31\" }\n", 2, "未知配置项 checks.deadline（是否想写 deadlines？）"),
    ("[checks]\nyears = [2023]\ngrace_day = 3\n", 3, "未知配置项 checks.grace_day（是否想写 grace_days？）"),
    ("concurrency = 4\n[crawl]\n", 1, "配置项 concurrency 应写在 [crawl] 之下"),
    ("[alerts]\n[[alerts.recipients]]\nemail = \"a@example.org\"\n\n[[alerts.recipients]]\nemail = \"b@example.org\"\n"
     "severity = [\"error\"]\n", 7, "未知配置项 alerts.recipients[2].severity（是否想写 severities？）"),
    ("[smtp]\nhost = \"127.0.0.1\"\npassword = \"secret\"\n", 3, "配置项 smtp.password 不能写在文件里"),
]


@pytest.mark.parametrize(("text", "line", "message"), TYPOS)
def test_config_unknown_key_or_section_names_file_line_and_nearest_key(
        tmp_path: Path, text: str, line: int, message: str) -> None:
    result = run_with(tmp_path, text, "status", "--db", str(tmp_path / "nianbao.db"))
    assert result.exit_code == 2
    assert error_line(result).startswith(f"{tmp_path / 'nianbao.toml'}:{line}: {message}")
    assert "secret" not in result.stderr


WRONG_VALUES = [
    ("[crawl]\nconcurrency = \"four\"\n", 2, 'crawl.concurrency = "four"：应为 ≥ 1 的整数'),
    ("[crawl]\nper_site = 0\n", 2, "crawl.per_site = 0：应为 ≥ 1 的整数"),
    ("[crawl]\nobey_robots = \"yes\"\n", 2, 'crawl.obey_robots = "yes"：应为 true 或 false'),
    ("[crawl]\ndownload_delay = -1\n", 2, "crawl.download_delay = -1：应为 ≥ 0 的数"),
    ("[crawl]\nmax_failed_share = 1.5\n", 2, "crawl.max_failed_share = 1.5：应为 0 到 1 之间的数"),
    ("[crawl]\nredis_url = \"127.0.0.1:6379\"\n", 2, "crawl.redis_url = \"127.0.0.1:6379\"：应为以 redis://"),
    ("[crawl]\nallowed_private_hosts = [\"127.0.0.1:8080\", \"localhost\"]\n", 2,
     'crawl.allowed_private_hosts[2] = "localhost"：应为 主机:端口'),
    ("[alerts]\ndatasette_url = \"nianbao.example.org/nianbao\"\n", 2,
     'alerts.datasette_url = "nianbao.example.org/nianbao"：应为以 http:// 或 https:// 开头的完整网址'),
    ("[alerts]\ncrawl_failures = 0\n", 2, "alerts.crawl_failures = 0：应为 ≥ 1 的整数"),
    ("[[alerts.recipients]]\nemail = \"ops.example.org\"\n", 2,
     'alerts.recipients[1].email = "ops.example.org"：应为电子邮件地址'),
    ("[[alerts.recipients]]\ncounties = [\"1405\"]\n", 1, "alerts.recipients[1] 缺少 email 或 webhook"),
    ("[[alerts.recipients]]\nemail = \"a@example.org\"\nrules = [\"late\", \"misssing_report\"]\n", 3,
     'alerts.recipients[1].rules[2] = "misssing_report"：应为规则代码（README 的 The checks 一节）或 crawl_failed、'
     "job_failed（是否想写 missing_report？）"),
    ("[[alerts.recipients]]\nemail = \"a@example.org\"\ncounties = [1405]\n", 3,
     "alerts.recipients[1].counties[1] = 1405：应为 2–6 位行政区划代码（加引号）"),
    ("[schedule]\nat = \"6 am\"\n", 2, 'schedule.at = "6 am"：应为 24 小时制时刻，如 "06:00"'),
    ("[schedule]\nat = \"24:00\"\n", 2, 'schedule.at = "24:00"：应为 24 小时制时刻'),
    ("[schedule]\nseason = \"02-01..04-31\"\n", 2, 'schedule.season = "02-01..04-31"：应为日期范围'),
    ("[schedule]\nseason = \"02-01 to 04-30\"\n", 2, "schedule.season = \"02-01 to 04-30\"：应为日期范围"),
    ("[schedule]\noff_season_day = \"mnday\"\n", 2, 'schedule.off_season_day = "mnday"：应为星期几'),
    ("[checks]\ndeadlines = { department = \"01-31\", government = \"3月31日\" }\n", 2,
     'checks.deadlines.government = "3月31日"：应为月-日，如 "01-31"'),
    ("[checks]\nyears = [\"2023\"]\n", 2, 'checks.years[1] = "2023"：应为 1990–2100 的整数'),
    ("[checks]\nwatch = \"agencies.csv\"\n", 2, 'checks.watch = "agencies.csv"：指向的文件不存在：'),
    ("[smtp]\nport = 70000\n", 2, "smtp.port = 70000：应为 1–65535 的整数"),
    ("[smtp]\nsecurity = \"tls\"\n", 2, 'smtp.security = "tls"：应为 none、ssl、starttls 之一'),
    ("[smtp]\nsender = \"nianbao\"\n", 2, 'smtp.sender = "nianbao"：应为电子邮件地址'),
    ("[paths]\ndb = 3\n", 2, "paths.db = 3：应为字符串（加引号）"),
]


@pytest.mark.parametrize(("text", "line", "message"), WRONG_VALUES)
def test_config_wrong_value_names_file_line_key_and_what_it_should_be(
        tmp_path: Path, text: str, line: int, message: str) -> None:
    result = run_with(tmp_path, text, "status", "--db", str(tmp_path / "nianbao.db"))
    assert result.exit_code == 2
    assert error_line(result).startswith(f"{tmp_path / 'nianbao.toml'}:{line}: 配置项 {message}")


def test_config_watch_file_is_relative_to_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "agencies.csv").write_text("140525,泽州县教育局,\n", encoding="utf-8")
    result = run_with(tmp_path, "[checks]\nwatch = \"agencies.csv\"\n", "status", "--db", str(tmp_path / "n.db"))
    assert result.exit_code == 3 and "这里没有数据库" in error_line(result)  # the config passed; then the db


def test_config_wrong_value_stops_the_crawl_before_any_work(tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text("code,name,url\n140525,泽州县,http://127.0.0.1:9/\n", encoding="utf-8")
    db = tmp_path / "store" / "nianbao.db"
    result = run_with(tmp_path, "[crawl]\nallow_private_networks = true\nconcurrency = \"four\"\n",
                      "crawl", "--sites", str(sites), "--db", str(db))
    assert result.exit_code == 2
    assert error_line(result) == (f"{tmp_path / 'nianbao.toml'}:3: 配置项 crawl.concurrency = \"four\"："
                                  "应为 ≥ 1 的整数")
    assert not db.parent.exists()  # no store, no documents folder, no crawl process


def test_config_password_over_clear_text_names_the_line_of_password_env(tmp_path: Path) -> None:
    text = '[smtp]\nhost = "smtp.example.org"\nuser = "nianbao"\npassword_env = "NIANBAO_SMTP_PASSWORD"\n'
    result = run_with(tmp_path, text, "status", "--db", str(tmp_path / "n.db"))
    assert result.exit_code == 2
    line = error_line(result)
    assert line.startswith(f"{tmp_path / 'nianbao.toml'}:4: [smtp] 设置了 password_env，但 security 为 none")


def test_config_line_of_a_key_after_multiline_values(tmp_path: Path) -> None:
    text = ('[crawl]\nallowed_private_hosts = [\n  "127.0.0.1:8080",\n  # concurrency = 1\n]\n'
            '# concurrency = 4\ncontact = """\nconcurrency = 2\n"""\nconcurrency = 0\n')
    result = run_with(tmp_path, text, "status", "--db", str(tmp_path / "n.db"))
    assert result.exit_code == 2
    assert error_line(result).startswith(f"{tmp_path / 'nianbao.toml'}:10: 配置项 crawl.concurrency = 0")


def test_config_example_and_demo_configs_are_accepted(tmp_path: Path) -> None:
    from samples.demo_run import demo_config_text

    check_config(Config(ROOT / "nianbao.example.toml",
                        tomllib.loads((ROOT / "nianbao.example.toml").read_text(encoding="utf-8"))), config_sections())
    demo = demo_config_text(tmp_path, 2525, "http://127.0.0.1:8001/nianbao")
    check_config(Config(tmp_path / "nianbao.toml", tomllib.loads(demo), demo), config_sections())


@pytest.mark.parametrize(("text", "command", "code"), [
    ("[crawl]\nconcurency = 4\n", ["status"], 2),
    ("", ["status", "--db", "missing/nianbao.db"], 3),
])
def test_config_verbose_prints_the_traceback_and_keeps_the_exit_code(
        tmp_path: Path, text: str, command: list[str], code: int) -> None:
    config = tmp_path / "nianbao.toml"
    config.write_text(text, encoding="utf-8")
    for flags in ([], ["-v"], ["-vv"]):
        argv = [sys.executable, "-c", "from nianbao.cli import main; main()", *flags, "--config", str(config)]
        result = subprocess.run([*argv, *command], capture_output=True, text=True, cwd=tmp_path, timeout=120)
        assert result.returncode == code, (flags, result.stderr)
        last = result.stderr.strip().splitlines()[-1]
        assert last.startswith("错误：")
        assert ("Traceback" in result.stderr) == bool(flags)
