"""A real HTTP server on 127.0.0.1 that serves guide releases, good and bad, to `optout-tui update`.

Each path answers as the test sets it: a file, a status with an HTML page, a
body cut short, an answer that never comes in time. Requests are recorded, so
a test can see what the updater asked for (and what it never asked for). It
also acts as an HTTP proxy (a request for `http://elsewhere/path` is answered
from its own files), and can speak https with a certificate the test made.
Listens on loopback only.
"""

from __future__ import annotations

import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/octet-stream"
    headers: dict[str, str] = field(default_factory=dict)
    cut_at: int | None = None  # send only this many bytes of the body, then hang up
    delay: float = 0.0  # wait this long before answering


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ReleaseServer

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:
        proxied = self.path.startswith("http://")
        path = urlsplit(self.path).path
        with self.server.lock:
            self.server.requests.append(path)
            if proxied:
                self.server.proxied.append(self.path)
        route = self.server.routes.get(path)
        if route is None:
            route = Route(b"<html><body><h1>404 Not Found</h1></body></html>", 404, "text/html")
        if route.delay:
            time.sleep(route.delay)
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(route.body)))
        if route.cut_at is not None:
            self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(route.body if route.cut_at is None else route.body[: route.cut_at])
            self.wfile.flush()
        except OSError:
            return
        if route.cut_at is not None:
            self.close_connection = True


class ReleaseServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a delayed answer still asleep must not hold up the test's end

    def __init__(self, tls: ssl.SSLContext | None = None):
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.proxied: list[str] = []
        self.scheme = "http"
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def handle_error(self, request, client_address) -> None:
        pass  # a client that hangs up (a timeout test) or refuses our certificate is the point of that test

    def url(self, folder: str = "/release/") -> str:
        host, port = self.server_address[:2]
        return f"{self.scheme}://{host}:{port}{folder}"

    def publish(self, files: dict[str, bytes], folder: str = "/release/") -> None:
        """Serve a release's files (name -> bytes) under `folder`."""
        for name, body in files.items():
            self.routes[folder + name] = Route(body)

    def __enter__(self) -> ReleaseServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)
