"""The docs cannot drift: every `nianbao` command and Makefile target the README names exists, the reference pages
match the code, and the repository points to nothing outside itself."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.cli import main

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert "make demo" in first_block and "make test" in first_block


def test_readme_make_targets_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in set(re.findall(r"\bmake ([\w-]+)", README)):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), f"Makefile has no target {target}"


def test_readme_nianbao_commands_and_options_exist() -> None:
    runner = CliRunner()
    code = "\n".join(re.findall(r"```.*?```", README, re.DOTALL) + re.findall(r"`([^`\n]+)`", README))
    global_help = runner.invoke(main, ["--help"]).output
    for line in re.findall(r"(?:^|[\s/])nianbao (-*[a-z][^\n`#|]*)", code, re.MULTILINE):
        words = line.split()
        subcommands = [w for w in words if re.fullmatch(r"[a-z]+", w)][:2]
        result = runner.invoke(main, [*subcommands, "--help"])
        assert result.exit_code == 0, f"`nianbao {' '.join(subcommands)}` from the README does not exist"
        for option in (w.split("=")[0] for w in words if re.fullmatch(r"--[a-z][a-z-]*(=.*)?", w)):
            # `nianbao -v check`, `nianbao --config FILE schedule`: options of the group come first.
            assert option in result.output or option in global_help, (
                f"`nianbao {' '.join(subcommands)}` has no option {option}")


class Recording(dict):
    """A config table that remembers every key the code asks for (get, [], in)."""

    def __init__(self, data: dict, prefix: str, seen: set[str]) -> None:
        super().__init__({k: wrap(v, f"{prefix}{k}.", seen) for k, v in data.items()})
        self.prefix, self.seen = prefix, seen

    def get(self, key: str, default: object = None) -> object:
        self.seen.add(self.prefix + key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> object:
        self.seen.add(self.prefix + key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.seen.add(f"{self.prefix}{key}")
        return super().__contains__(key)


def wrap(value: object, prefix: str, seen: set[str]) -> object:
    if isinstance(value, dict):
        return Recording(value, prefix, seen)
    if isinstance(value, list):
        return [wrap(item, prefix, seen) for item in value]
    return value


def keys_read(data: dict) -> set[str]:
    """Every section.key the code reads from a configuration (what the readers of each section ask for)."""
    from alerts.settings import AlertSettings
    from checks.service import watch_list_of
    from checks.subject import CheckSettings
    from crawler.settings import DEFAULTS
    from db.browse_access import ReaderAccess
    from db.ocr_stage import DEFAULTS as OCR_DEFAULTS
    from nianbao.config import Config
    from scheduler import ScheduleSettings

    seen: set[str] = set()
    config = Config(None, Recording(data, "", seen))
    _ = config.store_paths()
    CheckSettings.from_section(config.section("checks"))
    watch_list_of(config.section("checks"), None)
    AlertSettings.from_config(config.section("alerts"), config.section("smtp"))
    ScheduleSettings.from_config(config)
    ReaderAccess.from_section(config.section("serve"))
    return {key.split(".", 1)[0] + "." + key.split(".")[-1] for key in seen if "." in key} | {
        f"crawl.{key}" for key in DEFAULTS} | {f"ocr.{key}" for key in OCR_DEFAULTS}


def documented_keys(text: str) -> set[str]:
    """section.key for every `key =` line of the example, commented out or not."""
    keys, section = set(), ""
    for line in text.splitlines():
        header = re.match(r"^\[\[?([a-z_.]+)\]\]?", line)
        if header:
            names = header.group(1).split(".")
            section = names[0]
            if len(names) > 1:  # [[alerts.recipients]]: the table itself is a key of [alerts]
                keys.add(f"{section}.{names[-1]}")
            continue
        assignment = re.match(r"^#?\s*([a-z_]+)\s*=", line)
        if assignment and section:
            keys.add(f"{section}.{assignment.group(1)}")
    return keys


EXAMPLE = ROOT / "nianbao.example.toml"


def test_example_config_loads_in_every_reader() -> None:
    import tomllib

    from nianbao.sections import load_checked_config

    config = load_checked_config(EXAMPLE)  # every key known, every value accepted
    assert keys_read(config.data)  # every reader accepted it
    assert tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))["alerts"]["recipients"][1]["counties"] == ["1405"]


def test_example_config_documents_every_key_the_code_reads() -> None:
    import tomllib

    documented = documented_keys(EXAMPLE.read_text(encoding="utf-8"))
    sections = ("paths", "crawl", "schedule", "checks", "alerts", "smtp", "serve")
    empty: dict[str, dict[str, object]] = {name: {} for name in sections}
    read = keys_read(empty) | keys_read(tomllib.loads(EXAMPLE.read_text(encoding="utf-8")))
    read.discard("smtp.password")  # read only to refuse it: the password never goes in the file
    assert read - documented == set(), "keys the code reads but nianbao.example.toml does not document"
    assert documented - read == set(), "keys nianbao.example.toml documents but no code reads"


def test_example_config_documents_every_key_the_config_accepts() -> None:
    from alerts.settings import RECIPIENT_KEYS
    from nianbao.sections import config_sections

    accepted = {f"{section}.{key}" for section, keys in config_sections().items() for key in keys}
    accepted |= {f"alerts.{key}" for key in RECIPIENT_KEYS}  # documented_keys files [[alerts.recipients]] under alerts
    accepted.discard("smtp.password")  # accepted only to be refused with its own message
    assert accepted == documented_keys(EXAMPLE.read_text(encoding="utf-8"))


def test_readme_documents_every_rule_and_exit_code() -> None:
    from checks.model import RULES
    from nianbao.errors import ConfigError, DatabaseError, DeliveryError, InputError, NianbaoError, SitesFailedError

    checks = README.split("## The checks", 1)[1].split("\n## ", 1)[0]
    assert [rule for rule in RULES if f"`{rule}`" not in checks] == []
    codes = {code: text.strip() for code, text in re.findall(r"^\| (\d) \| ([^|]+) \|", README, re.MULTILINE)}
    assert codes[str(NianbaoError.exit_code)] == "some work failed"
    assert codes[str(ConfigError.exit_code)] == codes[str(InputError.exit_code)] == "bad input or configuration"
    assert codes[str(DatabaseError.exit_code)] == "database"
    assert codes[str(DeliveryError.exit_code)] == "email not delivered"
    assert codes[str(SitesFailedError.exit_code)] == "too many sites failed"


def test_report_keys_page_is_generated_from_the_schema() -> None:
    from parsers.schema_doc import render

    page = (ROOT / "docs" / "report-keys.md").read_text(encoding="utf-8")
    assert page == render(), "docs/report-keys.md is stale: python -m parsers.schema_doc > docs/report-keys.md"
    # A few cells as the national 2021 template prints them.
    assert "| `fees` | 行政事业性收费 | `amount` 本年收费金额（单位：万元） (万元) |" in page
    assert "| `other_handling` | 三（六）其他处理 | `2019` |" in page
    assert "`pending` 尚未审结" in page


def test_checks_page_explains_every_rule() -> None:
    from checks.model import RULE_NAMES, RULES, SEVERITY, SITE_RULE_NAMES, SITE_SEVERITY

    page = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    sections = re.split(r"^### ", page, flags=re.MULTILINE)[1:]
    headings = {match.group(1): (match.group(2), match.group(3)) for match in
                (re.match(r"`(\w+)` (\S+) \((error|warning|info)\)\n", section) for section in sections) if match}
    names = {**SITE_RULE_NAMES, **RULE_NAMES}
    rules = dict.fromkeys([*RULES, *SITE_RULE_NAMES])
    severities = {**SITE_SEVERITY, **SEVERITY}
    assert headings == {rule: (names[rule], severities[rule]) for rule in rules}
    for section in sections:  # each rule: an example message in Chinese and what the user should do
        assert re.search(r"^> .*[\u4e00-\u9fff]", section, re.MULTILINE), section.splitlines()[0]
        assert "What to do:" in section, section.splitlines()[0]


def tracked_text_files() -> dict[str, str]:
    """Path → text of every file git tracks (binary files left out)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    texts: dict[str, str] = {}
    for name in filter(None, listing.decode("utf-8").split("\0")):
        try:
            texts[name] = (ROOT / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue  # images; a file deleted but not yet committed
    return texts


def test_repository_points_to_nothing_outside_itself() -> None:
    # Written in pieces so that this file does not name them itself.
    outside = ["../" + "shared", "/" + "work/", "/" + "root/"]
    files = tracked_text_files()
    assert "README.md" in files
    found = [f"{name}: {word}" for name, text in files.items() for word in outside if word in text]
    assert found == [], "the repository names files a user does not have"
    # Every page named (checks.md, report-keys.md, RESULTS.md, …) is a file of the repository; the real reports'
    # provenance names files of the public repositories they came from.
    pages = {Path(name).name for name in files}
    named = {(name, page) for name, text in files.items() if name != "tests/real/SOURCES.md"
             for page in re.findall(r"\b[\w-]+\.md\b", text)}
    assert sorted(f"{name}: {page}" for name, page in named if page not in pages) == []
