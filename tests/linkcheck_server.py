"""A real HTTP server on loopback that acts out what platforms' pages do to a link checker.

Used by test_linkcheck.py: each path is one case (gone, moved, rate-limited,
bot wall...). It counts the requests in flight so the tests can see that the
concurrency limits really hold. It listens on 127.0.0.x only, never beyond.
"""

from __future__ import annotations

import email.utils
import functools
import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@functools.cache
def gzip_bomb(megabytes: int = 400) -> bytes:
    """Zeros, gzipped in one member: about 400 KB that inflate to `megabytes` MB."""
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * (1 << 20)
    return b"".join(packer.compress(zeros) for _ in range(megabytes)) + packer.flush()


class Tracker:
    """Requests in flight, at most and now, for the servers sharing it (and per server)."""

    def __init__(self) -> None:
        self.lock = threading.Condition()
        self.active = 0
        self.max_active = 0

    def enter(self) -> None:
        with self.lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
            self.lock.notify_all()

    def leave(self) -> None:
        with self.lock:
            self.active -= 1

    def hold_until(self, count: int, timeout: float) -> None:
        """Wait until `count` requests are in flight at once (or `timeout` passes).

        Lets a test see that the checker really uses its limits, without
        depending on how quickly a loaded machine starts the requests.
        """
        with self.lock:
            self.lock.wait_for(lambda: self.active >= count, timeout)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
    server: LocalServer

    def log_message(self, format, *args) -> None:  # noqa: A002 - the name is the base class's
        pass

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_GET(self) -> None:
        self._serve("GET")

    def _answer(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"page\n") -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _serve(self, method: str) -> None:
        server = self.server
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        with server.lock:
            server.requests.append((method, path, self.headers.get("User-Agent", "")))
            server.connections.add(self.client_address)
            seen = server.counts[(method, path)] = server.counts.get((method, path), 0) + 1
            hits = server.counts[("any", path)] = server.counts.get(("any", path), 0) + 1
        server.tracker.enter()
        server.own.enter()
        try:
            self._route(method, path, query, seen, hits)
        finally:
            server.own.leave()
            server.tracker.leave()

    def _route(self, method: str, path: str, query: dict, seen: int, hits: int) -> None:
        if path in ("/ok", "/final", "/login", "/page/", "/new-home"):
            self._answer(200)
        elif path == "/slow":
            time.sleep(float(query.get("s", ["2"])[0]))
            self._answer(200)
        elif path == "/busy":  # holds the request a while so overlapping ones can be counted
            hold = parse_qs(urlsplit(self.path).query).get("hold")
            if hold:
                self.server.tracker.hold_until(int(hold[0]), timeout=1.0)
            else:
                time.sleep(0.15)
            self._answer(200)
        elif path == "/gone/404":
            self._answer(404)
        elif path == "/gone/410":
            self._answer(410)
        elif path == "/error":
            self._answer(500)
        elif path == "/moved/a":
            self._answer(301, {"Location": "/moved/b"})
        elif path == "/moved/b":
            self._answer(302, {"Location": f"http://{self.headers['Host']}/new-home"})
        elif path == "/page":
            self._answer(301, {"Location": "/page/"})
        elif path == "/loop/a":
            self._answer(302, {"Location": "/loop/b"})
        elif path == "/loop/b":
            self._answer(302, {"Location": "/loop/a"})
        elif path == "/chain":  # /chain?n=12 -> ... -> /chain?n=0
            n = int(query.get("n", ["0"])[0])
            self._answer(302, {"Location": f"/chain?n={n - 1}"}) if n > 0 else self._answer(200)
        elif path == "/slow-chain":  # /slow-chain?n=10&s=0.4: each hop answers slowly, then redirects
            n, wait = int(query.get("n", ["0"])[0]), float(query.get("s", ["0.4"])[0])
            time.sleep(wait)
            self._answer(302, {"Location": f"/slow-chain?n={n - 1}&s={wait}"}) if n > 0 else self._answer(200)
        elif path == "/bomb":  # a 404 whose gzip body inflates to hundreds of megabytes
            self._answer(404, {"Content-Encoding": "gzip"}, body=gzip_bomb())
        elif path == "/gzip-challenge":
            page = b"<html><title>Just a moment...</title><script src='/cdn-cgi/challenge-platform/x'></script>"
            self._answer(403, {"Server": "cloudflare", "Content-Encoding": "gzip"}, gzip.compress(page))
        elif path == "/to":  # a redirect to any address, another host's too
            self._answer(302, {"Location": query["u"][0]})
        elif path == "/nowhere":
            self._answer(302)  # a redirect without a Location
        elif path == "/account/data-settings":
            self._answer(302, {"Location": "/login?next=%2Faccount%2Fdata-settings"})
        elif path.startswith("/limited/once"):
            self._answer(429, {"Retry-After": "1"}) if hits == 1 else self._answer(200)
        elif path.startswith("/limited/date"):
            when = email.utils.formatdate(time.time() + 1, usegmt=True)
            self._answer(429, {"Retry-After": when}) if hits == 1 else self._answer(200)
        elif path == "/limited/always":
            self._answer(429, {"Retry-After": "1"})
        elif path == "/limited/long":
            self._answer(429, {"Retry-After": "3600"})
        elif path.startswith("/flaky"):
            self._answer(503) if hits == 1 else self._answer(200)
        elif path == "/no-head":
            self._answer(405, {"Allow": "GET"}) if method == "HEAD" else self._answer(200)
        elif path == "/no-head-501":
            self._answer(501) if method == "HEAD" else self._answer(200)
        elif path == "/head-403":
            self._answer(403) if method == "HEAD" else self._answer(200)
        elif path == "/wall":
            self._answer(403, body=b"<h1>Access denied</h1>")
        elif path == "/linkedin":
            self._answer(999, body=b"")
        elif path == "/challenge":
            body = b"<html><title>Just a moment...</title><script src='/cdn-cgi/challenge-platform/x'></script>"
            self._answer(403, {"Server": "cloudflare", "cf-mitigated": "challenge"}, body)
        elif path == "/auth-needed":
            self._answer(401, {"WWW-Authenticate": 'Basic realm="x"'})
        else:
            self._answer(404)


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a /slow handler still asleep must not hold up the test's end

    def __init__(self, host: str = "127.0.0.1", tracker: Tracker | None = None):
        super().__init__((host, 0), Handler)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str, str]] = []
        self.counts: dict[tuple[str, str], int] = {}
        self.connections: set[tuple[str, int]] = set()  # client (host, port): one per TCP connection
        self.tracker = tracker or Tracker()  # may be shared by several servers
        self.own = Tracker()  # this server (host) alone
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def handle_error(self, request, client_address) -> None:
        pass  # the checker hanging up on /slow is the point of that case, not a failure

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)


def closed_port() -> int:
    """A loopback port nothing listens on: bound for a moment, then released."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
