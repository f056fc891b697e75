"""What a public `nianbao serve` refuses: writes, unknown Host names, paths of files, oversized values.

Datasette is read-only on the store already (SQLite ?mode=ro); these guard the server itself:
- only GET, HEAD and OPTIONS (a POST to a canned query answered 500);
- only Host names of this server (a DNS-rebinding page reached it through any name);
- no `/-/databases.json` (it shows the store's absolute path);
- a value over MAX_VALUE_BYTES or an SQLite heap over MAX_HEAP_BYTES ends the query with an error
  (`select zeroblob(999999999)` peaked at 4.9 GB).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from datasette import hookimpl

MAX_VALUE_BYTES = 8 * 1024 * 1024  # a report's full text is well under 1 MB
MAX_HEAP_BYTES = 512 * 1024 * 1024
LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_HIDDEN_PATHS = ("/-/databases.json", "/-/databases")

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


def limit_connection(connection: sqlite3.Connection) -> None:
    """Bound what one query can make SQLite allocate on this connection (and, process-wide, its heap)."""
    connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    connection.execute(f"PRAGMA hard_heap_limit = {MAX_HEAP_BYTES}")


def allowed_hosts(bind: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """Host names a request may carry: the local names, the address served on, and those configured."""
    names = set(LOCAL_NAMES) | {name.lower().strip("[]") for name in extra if name}
    if bind not in ("0.0.0.0", "::", ""):
        names.add(bind.lower().strip("[]"))
    return frozenset(names)


def _host_of(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"host":
            host = value.decode("latin-1").strip().lower()
            if host.startswith("["):
                return host[1:].split("]", 1)[0]
            return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return ""


def guard(app: App, hosts: Callable[[], frozenset[str]]) -> App:
    """The ASGI app, refusing what a read-only public view must not do; hosts() gives the allowed Host names."""

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await app(scope, receive, send)
            return
        if scope.get("method", "GET") not in _READ_METHODS:
            await _answer(send, 405, "只读：不接受此请求方法",
                          [(b"allow", b"GET, HEAD, OPTIONS")])
        elif _host_of(scope) not in hosts():
            await _answer(send, 421, "主机名不在允许列表中（可用 nianbao serve --allow-host 主机名 允许）")
        elif scope.get("path", "").rstrip("/") in _HIDDEN_PATHS:
            await _answer(send, 404, "未找到")
        else:
            await app(scope, receive, send)

    return guarded


async def _answer(send: Send, status: int, text: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


# This module is a Datasette plugin, registered by db.browse. Datasette builds its app (and so calls this hook)
# while it is constructed, before make_datasette sets nianbao_hosts: the names are looked up per request.
@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[App], App]:
    default = allowed_hosts("127.0.0.1")
    return lambda app: guard(app, lambda: getattr(datasette, "nianbao_hosts", None) or default)
