"""A store on a read-only file system (a snapshot, a read-only mount): status, export and serve still read it."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_datasette import build_sample_db

from db.browse import make_datasette
from nianbao.cli import main


@pytest.fixture
def read_only_store(tmp_path: Path) -> Iterator[Path]:
    """The sample store copied onto a tmpfs that is then remounted read-only (needs root and mount)."""
    source = build_sample_db(tmp_path / "source")
    mount = tmp_path / "ro"
    mount.mkdir()
    if shutil.which("mount") is None or subprocess.run(["mount", "-t", "tmpfs", "none", str(mount)],
                                                       capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        shutil.copy(source, mount / "nianbao.db")  # a checkpointed store: the WAL is empty after close
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True, capture_output=True)
        with pytest.raises(OSError):
            (mount / "probe").touch()
        yield mount / "nianbao.db"
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)  # lazy: a failed test may hold a file


def test_read_only_store_status_export_and_serve(read_only_store: Path) -> None:
    runner = CliRunner()
    status = runner.invoke(main, ["status", "--json", "--db", str(read_only_store)])
    assert status.exit_code == 0, status.output
    assert sum(json.loads(status.output)["reports_by_year"].values()) == 5
    exported = runner.invoke(main, ["export", "--db", str(read_only_store)])
    assert exported.exit_code == 0, exported.output
    agencies = {json.loads(line)["agency"] for line in exported.output.splitlines() if line.startswith("{")}
    assert {"泽州县人力资源和社会保障局", "泽州县教育局"} <= agencies
    datasette = make_datasette(read_only_store)
    page = asyncio.run(datasette.client.get("/nianbao/reports.json?_shape=array"))
    assert page.status_code == 200 and len(page.json()) == 5
