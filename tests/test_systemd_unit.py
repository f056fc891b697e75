"""The systemd units the README and docs/scheduler.md tell people to copy are valid as written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
DOCUMENTS = ["README.md", "docs/scheduler.md"]
INSTALLED_COMMAND = "/srv/nianbao/.venv/bin/nianbao"  # where the documented unit expects the venv


def units() -> list[tuple[str, str]]:
    """(document, unit text) for every ```ini block holding a [Service] section."""
    found = []
    for name in DOCUMENTS:
        text = (ROOT / name).read_text(encoding="utf-8")
        found += [(name, block) for block in re.findall(r"```ini\n(.*?)```", text, re.DOTALL) if "[Service]" in block]
    return found


def test_each_document_has_its_unit() -> None:
    assert sorted({name for name, _ in units()}) == sorted(DOCUMENTS)


@pytest.mark.parametrize(("document", "unit"), units(), ids=[name for name, _ in units()])
def test_no_value_line_carries_a_comment(document: str, unit: str) -> None:
    # systemd takes "#" as a comment only at the start of a line: after a value it is part of the value
    # (EnvironmentFile=/etc/nianbao.env  # … names a file that does not exist).
    value_lines = [line for line in unit.splitlines() if line.strip() and not line.lstrip().startswith(("#", ";"))]
    assert [line for line in value_lines if "#" in line] == [], f"{document}: a comment after a value"
    assert all(re.fullmatch(r"\[[A-Za-z]+\]|[A-Za-z]+=.*", line) for line in value_lines), document


def systemd_analyze_problem(folder: Path) -> str | None:
    """Why `systemd-analyze verify` cannot judge a unit here (absent, or rejects a minimal valid unit), or None."""
    if shutil.which("systemd-analyze") is None:
        return "systemd-analyze is not installed"
    probe = folder / "probe.service"
    probe.write_text(f"[Service]\nExecStart={sys.executable} -V\n", encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "--man=no", "verify", str(probe)], capture_output=True, text=True)
    if result.returncode != 0 or result.stdout or result.stderr:
        return f"systemd-analyze verify does not work here: {(result.stdout + result.stderr).strip()}"
    return None


@pytest.mark.parametrize(("document", "unit"), units(), ids=[name for name, _ in units()])
def test_systemd_analyze_verify_accepts_the_unit(document: str, unit: str, tmp_path: Path) -> None:
    problem = systemd_analyze_problem(tmp_path)
    if problem:
        pytest.skip(problem)
    # verify checks that ExecStart's program exists: point it at this environment's nianbao.
    installed = Path(sys.executable).parent / "nianbao"
    assert INSTALLED_COMMAND in unit and installed.exists()
    path = tmp_path / "nianbao.service"
    path.write_text(unit.replace(INSTALLED_COMMAND, str(installed)), encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "--man=no", "verify", str(path)], capture_output=True, text=True)
    # verify exits 0 on a key it ignores ("Unknown key name", "Failed to parse"): any message is a problem.
    assert (result.returncode, result.stdout + result.stderr) == (0, ""), document
