"""One rule for where documents go, whatever the command: beside the database, unless [paths] data_dir is set.

`crawl`, `ingest` and `schedule --once` each store real reports (a fixture portal on 127.0.0.1, a seed file);
the test looks where the downloaded documents landed, from a working folder that must stay empty.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.cli import main
from samples.portal_server import PortalServer, serve
from samples.portals import trs_portal

SEED = Path(__file__).parent / "fixtures" / "store" / "zezhou_hrss_2023.txt"


@pytest.fixture
def portal() -> Iterator[PortalServer]:
    server = serve([trs_portal()])
    yield server
    server.close()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the user runs nianbao in."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def run(tmp_path: Path, server: PortalServer, command: str, db: Path, paths: str) -> None:
    (tmp_path / "sites.csv").write_text(f"code,name,url\n140525,泽州县,{server.url(server.portals[0])}\n", "utf-8")
    config = tmp_path / "nianbao.toml"
    config.write_text(f'{paths}[crawl]\ndownload_delay = 0\nautothrottle = false\nallow_private_networks = true\n'
                      '[schedule]\nsites = "sites.csv"\n', encoding="utf-8")
    args = {"crawl": ["crawl", "--sites", str(tmp_path / "sites.csv")],
            "ingest": ["ingest", "--county", "140525", str(SEED)],
            "schedule": ["schedule", "--once"]}[command]
    result = CliRunner().invoke(main, ["--config", str(config), *args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert db.is_file()


def documents_in(folder: Path) -> list[Path]:
    return sorted(path for path in (folder / "documents").rglob("*") if path.is_file())


@pytest.mark.parametrize("command", ["crawl", "ingest", "schedule"])
def test_store_paths_documents_go_beside_the_database(
        tmp_path: Path, portal: PortalServer, workdir: Path, command: str) -> None:
    db = tmp_path / "elsewhere" / "nianbao.db"
    run(tmp_path, portal, command, db, "")
    stored = documents_in(db.parent)
    assert stored  # the county report's page, its PDF, the 人社局 DOCX… or the ingested seed
    if command == "ingest":
        assert [path.read_bytes() for path in stored] == [SEED.read_bytes()]
    assert list(workdir.iterdir()) == []  # no ./nianbao-data


@pytest.mark.parametrize("command", ["crawl", "ingest", "schedule"])
def test_store_paths_documents_go_to_data_dir_when_it_is_set(
        tmp_path: Path, portal: PortalServer, workdir: Path, command: str) -> None:
    db = tmp_path / "elsewhere" / "nianbao.db"
    run(tmp_path, portal, command, db, '[paths]\ndata_dir = "archive"\n')  # relative to where nianbao runs
    assert documents_in(workdir / "archive")
    assert not (db.parent / "documents").exists()


def test_store_paths_database_from_the_config_keeps_its_documents_beside_it(
        tmp_path: Path, portal: PortalServer, workdir: Path) -> None:
    store = tmp_path / "store"
    config = tmp_path / "nianbao.toml"
    config.write_text(f'[paths]\ndb = "{store / "nianbao.db"}"\n', encoding="utf-8")
    copy = tmp_path / "reports" / SEED.name
    copy.parent.mkdir()
    shutil.copy(SEED, copy)
    result = CliRunner().invoke(main, ["--config", str(config), "ingest", "--county", "140525", str(copy)])
    assert result.exit_code == 0, result.output
    assert [path.read_bytes() for path in documents_in(store)] == [SEED.read_bytes()]
    status = CliRunner().invoke(main, ["--config", str(config), "status"])
    assert status.exit_code == 0 and f"数据库：{store / 'nianbao.db'}" in status.output
    assert list(workdir.iterdir()) == []
