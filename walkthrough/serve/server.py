"""The web server behind `optout-tui serve`: our page, and one app per browser session.

Built from textual-serve's parts (the app session that speaks Textual's web
driver protocol, and its download manager) rather than its `Server`, which has
no key or Origin check, lists its static folders, loads fonts from a font host
and logs every request. What this server adds, in one place each:

- `guard`: every request passes `Access.refusal` (walkthrough/serve/access.py);
- `_security_headers`: a Content-Security-Policy that lets the page load and
  connect to this server only, no referrer, no framing, no caching;
- `index`: our page (walkthrough/serve/page/), title "optout-tui";
- `websocket`: starts `optout-tui app` for the session, telling it whether its
  page may use the browser's clipboard (see browser_tab.py).

Imports aiohttp and textual-serve at the top: only the `serve` command imports
this module, inside its `run`, so nothing else pays for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import re
import shlex
import signal
import socket
import string
import subprocess
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import textual_serve
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from walkthrough.serve.access import Access, is_potentially_trustworthy
from walkthrough.serve.browser_tab import ENV_CLIPBOARD

PAGE_DIR = Path(__file__).parent / "page"
# textual-serve's own page files: the terminal script (xterm.js and addons, MIT) and
# the Roboto Mono fonts (Apache 2.0). Served as they are installed, not copied here.
TEXTUAL_SERVE_STATIC = Path(textual_serve.__file__).parent / "static"
STOP_SECONDS = 5.0  # how long an app gets to save and quit when its tab closes or the server stops
MAX_MESSAGE = 1 << 20  # a key press is a few bytes; a paste is at most this

log = logging.getLogger("optout-tui.serve")


def command_line(argv: Sequence[str]) -> str:
    """`argv` as one shell command line: textual-serve starts each session through the shell."""
    return subprocess.list2cmdline(argv) if sys.platform == "win32" else shlex.join(argv)


def _clamp(text: str | None, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(text or default)))
    except ValueError:
        return default


def _safe_file_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")[:100]
    return cleaned or "optout-tui.txt"


class _Session(AppService):
    """One browser tab's app, with what this server adds to its environment."""

    def __init__(self, *args: Any, extra_env: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extra_env = extra_env

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        # Everything else is the server's own environment, so the store and guide folders carry over.
        return {**super()._build_environment(width=width, height=height), **self.extra_env}


class BrowserServer:
    """Serves the app to browser tabs on one address, for one key."""

    def __init__(self, argv: Sequence[str], access: Access) -> None:
        self.command = command_line(argv)
        self.access = access
        self.downloads = DownloadManager()
        self.sockets: set[web.WebSocketResponse] = set()
        self.page = string.Template((PAGE_DIR / "index.html").read_text(encoding="utf-8"))

    # ---- the web application ---------------------------------------------

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard], client_max_size=MAX_MESSAGE)
        base = f"/{self.access.token}"
        app.add_routes(
            [
                web.get(base, self.to_index),
                web.get(f"{base}/", self.index),
                web.get(f"{base}/ws", self.websocket),
                web.static(f"{base}/static", TEXTUAL_SERVE_STATIC, show_index=False, follow_symlinks=False),
                web.static(f"{base}/page", PAGE_DIR, show_index=False, follow_symlinks=False),
                # textual-serve's page script asks for downloads here, without the key in the path.
                web.get("/download/{key}", self.download),
            ]
        )
        app.on_response_prepare.append(self._security_headers)
        app.on_shutdown.append(self._close_sockets)
        return app

    @web.middleware
    async def guard(self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
        refusal = self.access.refusal(
            path=request.path,
            host=request.headers.get("Host"),
            origin=request.headers.get("Origin"),
            cookie=request.cookies.get(self.access.cookie_name),
            websocket=request.headers.get("Upgrade", "").lower() == "websocket",
        )
        if refusal:
            return web.Response(status=403, text=refusal)
        return await handler(request)

    async def _security_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        host = request.headers.get("Host", "")
        connect = f"'self' ws://{host}" if host.lower() in self.access.names else "'self'"
        response.headers.update(
            {
                # xterm.js adds <style> elements, hence 'unsafe-inline' for styles only.
                "Content-Security-Policy": (
                    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                    f"font-src 'self'; img-src 'self' data:; connect-src {connect}; "
                    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
                ),
                "Referrer-Policy": "no-referrer",
                "X-Content-Type-Options": "nosniff",
                "X-Frame-Options": "DENY",
                "Cross-Origin-Opener-Policy": "same-origin",
                "Cross-Origin-Resource-Policy": "same-origin",
                "Cache-Control": "no-store",
            }
        )

    async def _close_sockets(self, app: web.Application) -> None:
        for ws in list(self.sockets):
            await ws.close(code=WSCloseCode.GOING_AWAY, message=b"optout-tui serve stopped")

    # ---- pages -------------------------------------------------------------

    async def to_index(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPPermanentRedirect(f"/{self.access.token}/")

    async def index(self, request: web.Request) -> web.Response:
        host = request.headers["Host"]  # the guard checked it is one of ours
        body = self.page.substitute(
            ws_url=html.escape(f"ws://{host}/{self.access.token}/ws"),
            font_size=_clamp(request.query.get("fontsize"), 16, 8, 48),
        )
        response = web.Response(text=body, content_type="text/html")
        # For downloads only, which textual-serve's script asks for without the key in the path.
        response.set_cookie(
            self.access.cookie_name, self.access.token, httponly=True, samesite="Strict", path="/download/"
        )
        return response

    async def download(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        try:
            meta = await self.downloads.get_download_metadata(key)
        except KeyError:
            raise web.HTTPNotFound(text="This download has already been collected, or has expired.") from None
        content_type = meta.mime_type or "application/octet-stream"
        if meta.encoding:
            content_type += f"; charset={meta.encoding}"
        response = web.StreamResponse(
            headers={
                "Content-Type": content_type,
                # Always a file to save, never a page shown under this address.
                "Content-Disposition": f'attachment; filename="{_safe_file_name(meta.file_name)}"',
            }
        )
        await response.prepare(request)
        async for chunk in self.downloads.download(key):
            await response.write(chunk)
        await response.write_eof()
        return response

    # ---- one app per browser session ----------------------------------------

    async def websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        width = _clamp(request.query.get("width"), 80, 10, 1000)
        height = _clamp(request.query.get("height"), 24, 5, 500)
        # The guard made sure the Origin is this server's own; it decides whether the browser lets the page copy.
        secure = is_potentially_trustworthy(request.headers["Origin"])
        await ws.prepare(request)
        self.sockets.add(ws)
        session = _Session(
            self.command,
            write_bytes=ws.send_bytes,
            write_str=ws.send_str,
            close=ws.close,
            download_manager=self.downloads,
            extra_env={ENV_CLIPBOARD: "yes" if secure else "no"},
        )
        try:
            await session.start(width, height)
            await self._pump(ws, session)
        except Exception:  # one tab's trouble must not stop the server for the others
            log.exception("a browser session failed")
        finally:
            self.sockets.discard(ws)
            await self._stop(session)
        return ws

    async def _pump(self, ws: web.WebSocketResponse, session: AppService) -> None:
        """Pass what the page sends to the app; anything malformed is ignored."""
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await session.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await session.set_terminal_size(
                    _clamp(str(data.get("width")), 80, 10, 1000), _clamp(str(data.get("height")), 24, 5, 500)
                )
            elif kind == "ping":
                await ws.send_json(["pong", data])
            elif kind == "blur":
                await session.blur()
            elif kind == "focus":
                await session.focus()

    async def _stop(self, session: _Session) -> None:
        # Ask the app to quit (it saves as it goes); one that does not answer is ended.
        try:
            await asyncio.wait_for(session.stop(), STOP_SECONDS)
        except Exception:  # a timeout, or a pipe already gone
            process = session._process
            if process is not None and process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()

    # ---- running -----------------------------------------------------------

    async def serve(self, sock: socket.socket, ready: Callable[[], None]) -> None:
        """Serve on `sock` until Ctrl+C or SIGTERM; call `ready` once requests are answered."""
        runner = web.AppRunner(self.make_app(), access_log=None, handle_signals=False, shutdown_timeout=STOP_SECONDS)
        await runner.setup()
        try:
            await web.SockSite(runner, sock).start()
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows: Ctrl+C raises instead
                    loop.add_signal_handler(sig, stop.set)
            ready()
            await stop.wait()
        finally:
            await runner.cleanup()


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on host:port (port 0: a free one). Raises OSError."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    infos = socket.getaddrinfo(host, port, family, socket.SOCK_STREAM)
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if sys.platform != "win32":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(infos[0][4])
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def run(argv: Sequence[str], access: Access, sock: socket.socket, ready: Callable[[], None]) -> None:
    """Serve the app started by `argv` until stopped."""
    asyncio.run(BrowserServer(argv, access).serve(sock, ready))
