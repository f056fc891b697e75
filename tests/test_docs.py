"""The README cannot drift: every `nianbao` command and Makefile target it names exists."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from nianbao.cli import main

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert "make demo" in first_block and "make test" in first_block


def test_readme_make_targets_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in set(re.findall(r"\bmake (\w+)", README)):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), f"Makefile has no target {target}"


def test_readme_nianbao_commands_and_options_exist() -> None:
    runner = CliRunner()
    code = "\n".join(re.findall(r"```.*?```", README, re.DOTALL) + re.findall(r"`([^`\n]+)`", README))
    for line in re.findall(r"(?:^|[\s/])nianbao ([a-z][^\n`#|]*)", code, re.MULTILINE):
        words = line.split()
        subcommands = [w for w in words if re.fullmatch(r"[a-z]+", w)][:2]
        result = runner.invoke(main, [*subcommands, "--help"])
        assert result.exit_code == 0, f"`nianbao {' '.join(subcommands)}` from the README does not exist"
        for option in (w.split("=")[0] for w in words if w.startswith("--")):
            assert option in result.output, f"`nianbao {' '.join(subcommands)}` has no option {option}"
