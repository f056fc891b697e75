"""Serve fixture portals on 127.0.0.1, one port per county: GET/HEAD/POST, ETag/Last-Modified/304, redirects."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import cast
from urllib.parse import parse_qs, urlsplit

from samples.portals import Portal, Resource


@dataclass
class Hit:
    """One request the server answered."""

    port: int
    method: str
    path: str
    status: int
    user_agent: str = ""


@dataclass
class PortalServer:
    """Running servers for a set of portals; `hits` logs every request (for tests of what was downloaded)."""

    portals: list[Portal]
    servers: list[ThreadingHTTPServer] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, portal: Portal, path: str = "/") -> str:
        """The absolute URL of a path on a portal."""
        index = self.portals.index(portal)
        return f"http://127.0.0.1:{self.servers[index].server_address[1]}{path}"

    def host(self, portal: Portal) -> str:
        """host:port of a portal."""
        return self.url(portal, "").removeprefix("http://")

    def close(self) -> None:
        """Stop every server."""
        for server in self.servers:
            server.shutdown()
            server.server_close()


def _handler(portal: Portal, owner: PortalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
            return

        def _find(self) -> Resource | None:
            return portal.resources.get(self.path) or portal.resources.get(urlsplit(self.path).path)

        def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
            with owner.lock:
                port = cast(tuple[str, int], self.server.server_address)[1]
                owner.hits.append(Hit(port, self.command, self.path, status,
                                     self.headers.get("User-Agent", "")))
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            resource = self._find()
            if resource is None:
                self._send(404, "<html><body>页面不存在</body></html>".encode(), {"Content-Type": "text/html"})
                return
            if resource.location:
                self._send(resource.status, b"", {"Location": resource.location})
                return
            if resource.status == 200 and (
                self.headers.get("If-None-Match") == resource.etag
                or (not self.headers.get("If-None-Match")
                    and self.headers.get("If-Modified-Since") == resource.last_modified)
            ):
                self._send(304, b"", {"ETag": resource.etag})
                return
            self._send(resource.status, resource.body, {"Content-Type": resource.content_type,
                                                        "ETag": resource.etag,
                                                        "Last-Modified": resource.last_modified})

        do_HEAD = do_GET  # noqa: N815

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
            resource = self._find()
            query = parse_qs(urlsplit(self.path).query)
            start = (query.get("startrecord") or form.get("startrecord") or [""])[0]
            if resource is None or start not in resource.post or "columnid" not in form:
                self._send(404, b"<datastore></datastore>", {"Content-Type": "text/xml"})
                return
            self._send(200, resource.post[start], {"Content-Type": "text/xml; charset=utf-8"})

    return Handler


def serve(portals: list[Portal]) -> PortalServer:
    """Start one threaded HTTP server per portal on 127.0.0.1 (free ports); call .close() to stop."""
    owner = PortalServer(portals)
    for portal in portals:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(portal, owner))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True, name=f"portal-{portal.code}").start()
        owner.servers.append(server)
    return owner
