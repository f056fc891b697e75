"""A public `nianbao serve` refuses writes, unknown Host names, file paths and queries that would take gigabytes."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from test_datasette import build_sample_db

from db.browse import make_datasette
from db.browse_guard import allowed_hosts


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_db(tmp_path_factory.mktemp("guard"))


def request(db_path: Path, method: str, path: str, host: str = "127.0.0.1:8001", **options: Any) -> Any:
    datasette = make_datasette(db_path, hosts=allowed_hosts("127.0.0.1", options.pop("extra", ())))
    headers = {"host": host}
    if method == "GET":
        return asyncio.run(datasette.client.get(path, headers=headers))
    return asyncio.run(datasette.client.request(method, path, headers=headers, **options))


def test_guard_read_pages_still_work(db_path: Path) -> None:
    response = request(db_path, "GET", "/nianbao/reports.json?_shape=array")
    assert response.status_code == 200 and len(response.json()) >= 3


def test_guard_post_to_a_canned_query_is_405(db_path: Path) -> None:
    response = request(db_path, "POST", "/nianbao/late_reports", data={"year": "2023"})
    assert response.status_code == 405 and "只读" in response.text


def test_guard_unknown_host_is_refused_and_a_configured_one_allowed(db_path: Path) -> None:
    assert request(db_path, "GET", "/nianbao", host="attacker.example:8001").status_code == 421
    assert request(db_path, "GET", "/nianbao", host="nianbao.example.org",
                   extra=["nianbao.example.org"]).status_code == 200


def test_guard_no_memory_database_and_no_paths_in_json(db_path: Path) -> None:
    assert request(db_path, "GET", "/_memory.json?sql=select+1").status_code == 404
    assert request(db_path, "GET", "/-/databases.json").status_code == 404
    assert str(db_path.parent) not in request(db_path, "GET", "/nianbao.json").text


def test_guard_a_gigabyte_value_is_an_error_not_an_allocation(db_path: Path) -> None:
    response = request(db_path, "GET", "/nianbao.json?sql=select+zeroblob(999999999)")
    assert response.status_code == 400
    assert "too big" in response.text or "memory" in response.text
