"""The read-only Datasette view of the store, configured by db/datasette/metadata.yml (package data of db)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from datasette.app import Datasette
from datasette.database import Database
from datasette.plugins import pm

from db import browse_guard, browse_plugin, browse_xlsx
from db.browse_access import ReaderAccess
from db.browse_guard import allowed_hosts, limit_connection
from db.readonly import file_uri, on_read_only_file_system
from nianbao.errors import ConfigError

DATABASE_NAME = "nianbao"  # the name the metadata, canned queries and dashboards use, whatever the file is called


def _shipped_folder() -> Path:
    """db/datasette/ where the package is installed (a checkout or site-packages): Datasette reads its templates
    from a folder on disk, so the package must be installed as files, not imported from a zip."""
    folder = resources.files(__package__ or "db").joinpath("datasette")
    if not isinstance(folder, Path):
        raise ConfigError(f"{folder}: nianbao 的 Datasette 文件不在磁盘上（请以解压方式安装 nianbao）")
    return folder


DATASETTE_DIR = _shipped_folder()
METADATA_PATH = DATASETTE_DIR / "metadata.yml"
TEMPLATES_DIR = DATASETTE_DIR / "templates"
STATIC_DIR = DATASETTE_DIR / "static"
SETTINGS = {"sql_time_limit_ms": 3000, "max_returned_rows": 2000, "facet_time_limit_ms": 500,
            "default_page_size": 100, "truncate_cells_html": 120}


def load_metadata(path: Path = METADATA_PATH) -> dict[str, Any]:
    """The Datasette metadata (titles, descriptions, canned queries, dashboards) from YAML."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"{path}: 无法读取 Datasette 元数据（{error}）") from error


def make_datasette(db_path: Path, metadata_path: Path = METADATA_PATH, hosts: frozenset[str] | None = None,
                   data_dir: Path | None = None, access: ReaderAccess | None = None,
                   plugins: Iterable[ModuleType] = ()) -> Datasette:
    """A Datasette serving the database read-only (SQLite ?mode=ro) under the name "nianbao", with nianbao's
    plugins (report page, archived copies from data_dir, by default the database's folder; .xlsx downloads);
    alerts and agencies' emails withheld from readers unless `access` shows them.

    `hosts`: the Host names requests may carry (db.browse_guard.allowed_hosts; default: local names only);
    `plugins`: modules with Datasette hooks from the layers above (e.g. alerts.feed, the Atom feeds)."""
    access = access or ReaderAccess()
    metadata = load_metadata(metadata_path)
    access.apply_to_metadata(metadata, DATABASE_NAME)
    for plugin, name in ((browse_guard, "nianbao_guard"), (browse_plugin, "nianbao"), (browse_xlsx, "nianbao-xlsx")):
        if not pm.is_registered(plugin):
            pm.register(plugin, name=name)
    for plugin in plugins:
        if not pm.is_registered(plugin):
            pm.register(plugin, name=f"nianbao_{plugin.__name__.replace('.', '_')}")
    datasette = Datasette(metadata=metadata, settings=SETTINGS, template_dir=str(TEMPLATES_DIR),
                          static_mounts=[("nianbao-static", str(STATIC_DIR))])
    datasette.nianbao_hosts = hosts or allowed_hosts("127.0.0.1")
    browse_plugin.set_data_dir(datasette, data_dir or db_path.parent)
    if "_memory" in datasette.databases:  # Datasette adds it when given no file; nianbao serves only its store
        datasette.remove_database("_memory")
    # is_mutable: Datasette opens the file with ?mode=ro and sees rows the crawler adds while it runs
    # (immutable=1 would cache counts and miss them).
    # On a read-only file system SQLite cannot open a WAL database with ?mode=ro: immutable=1 there.
    database = EscapedPathDatabase(datasette, path=str(db_path), is_mutable=not on_read_only_file_system(db_path))
    database.authorizer = access.authorizer()
    datasette.add_database(database, name=DATABASE_NAME)
    return datasette


class EscapedPathDatabase(Database):
    """Datasette's Database opening its file by an escaped URI: Datasette 0.65 writes `file:{path}?mode=ro`, so a
    "#" or "?" in a folder name cut the path short and it served an empty database."""

    authorizer: Any = None  # set by make_datasette: what readers may not read (db/browse_access.py)

    def connect(self, write: bool = False) -> sqlite3.Connection:
        if self.memory_name or self.is_memory:
            return super().connect(write)
        if write:
            query = ""
        elif self.is_mutable:
            query = "mode=ro&nolock=1" if self.ds.nolock else "mode=ro"
        else:
            query = "immutable=1"
        connection = sqlite3.connect(file_uri(self.path, query), uri=True, check_same_thread=False)
        limit_connection(connection)
        if self.authorizer is not None and not write:
            connection.set_authorizer(self.authorizer)
        self._all_file_connections.append(connection)
        return connection
