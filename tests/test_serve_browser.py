"""`optout-tui serve` in a real browser: headless Chromium (Debian's), driven by Playwright.

xterm.js draws the app on a canvas, so these tests check what the app did, not
pixels: the progress store, the address the page was asked to open, the
browser's clipboard, the websocket frames. One screenshot is kept to look at.

The page never reaches the internet: window.open is replaced by a recorder
before the page's own scripts run, and any request to another host is both
recorded (the test fails on it) and stopped.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from e2e.served import CHROMIUM_ARGS, Served, chromium, installed_command, require_web

pytestmark = pytest.mark.browser

AI_SETTING_URL = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"
FIXTURES = Path(__file__).parent / "fixtures" / "serve"
# A name that is not a secure origin, pointed at this computer inside the browser only:
# the page at http://lan.test is treated as a network address would be.
LAN_NAME = "lan.test"

RECORD_WINDOW_OPEN = """
window.__opened = [];
window.open = function (url, target) {
  window.__opened.push([String(url), String(target)]);
  return null;
};
"""

ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def wait_until(check: Callable[[], Any], what: str, timeout: float = 30, page: Any = None) -> Any:
    """Poll `check`. With a page, pause through Playwright: its sync API only delivers
    events (websocket frames, requests) while one of its calls is running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        if page is not None:
            page.wait_for_timeout(50)
        else:
            time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_web()
    executable = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {LAN_NAME} 127.0.0.1"],
        )
        try:
            yield launched
        finally:
            launched.close()


class Tab:
    """One browser tab on the served app, with everything it sent and received recorded."""

    def __init__(self, browser: Any, origin: str, *, clipboard: bool = True) -> None:
        self.context = browser.new_context(viewport={"width": 1100, "height": 760})
        if clipboard:  # as a person allows it; Chromium refuses to on an insecure origin
            self.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
        self.context.add_init_script(RECORD_WINDOW_OPEN)
        self.requests: list[str] = []
        self.websockets: list[str] = []
        self.received = bytearray()
        self.problems: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        # Recorded above, then stopped here: a page asking another host must not reach it.
        self.context.route(re.compile(r"^(?!https?://(127\.0\.0\.1|lan\.test)[:/])"), lambda route: route.abort())
        self.page = self.context.new_page()
        self.page.on("websocket", self._websocket)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("console", lambda message: self.problems.append(message.text) if message.type == "error" else None)

    def _websocket(self, ws: Any) -> None:
        self.websockets.append(ws.url)

        def received(payload: str | bytes) -> None:
            self.received += payload if isinstance(payload, bytes) else payload.encode()

        ws.on("framereceived", received)

    def screen_text(self) -> str:
        """All the text the app has drawn so far, escape codes taken out."""
        return ANSI.sub("", self.received.decode("utf-8", "replace"))

    def wait_for_text(self, text: str, timeout: float = 30) -> None:
        start = len(self.received)
        try:
            wait_until(lambda: text in self.screen_text(), f"{text!r} on screen", timeout, self.page)
        except AssertionError:
            tail = ANSI.sub("", self.received[start:].decode("utf-8", "replace"))[-1500:]
            raise AssertionError(f"{text!r} never appeared; the last text drawn:\n{tail}") from None

    def mark(self) -> int:
        return len(self.received)

    def wait_for_text_after(self, mark: int, text: str, timeout: float = 30) -> None:
        wait_until(
            lambda: text in ANSI.sub("", self.received[mark:].decode("utf-8", "replace")),
            f"{text!r} on screen",
            timeout,
            self.page,
        )

    def keys(self) -> None:
        self.page.focus("textarea.xterm-helper-textarea")

    def opened(self) -> list[list[str]]:
        return self.page.evaluate("window.__opened")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    values = {**os.environ, "OPTOUT_TUI_DATA_DIR": str(tmp_path / "data")}
    values.pop("OPTOUT_TUI_GUIDES", None)
    return values


@pytest.fixture
def served(env: dict[str, str], tmp_path: Path) -> Iterator[Served]:
    require_web()
    server = Served([installed_command(), "serve", "--no-open", "--region", "DE"], env, cwd=tmp_path)
    try:
        server.address()
        yield server
    finally:
        code = server.stop()
        assert code == 0, server.output
        assert "Traceback" not in server.output, server.output


def origin_of(address: str) -> str:
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}"


def progress(env: dict[str, str], guide: str) -> dict[str, str | None]:
    done = subprocess.run(
        [installed_command(), "progress", "--json", guide], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return {step["id"]: step["status"] for step in json.loads(done.stdout)[0]["steps"]}


def test_linkedin_in_a_browser_tab(browser: Any, served: Served, env: dict[str, str], tmp_path: Path) -> None:
    address = served.address()
    tab = Tab(browser, origin_of(address))
    try:
        tab.page.goto(address)
        assert tab.page.title() == "optout-tui"
        tab.wait_for_text("Adobe")
        tab.keys()

        # Pick LinkedIn as the help says, search then Enter, typed in one burst as a fast typist
        # would: every key goes through the page and the websocket, in order, none lost.
        tab.page.keyboard.type("/linkedin")
        tab.page.keyboard.press("Enter")
        tab.wait_for_text("Sign in to LinkedIn")

        at = tab.mark()
        tab.page.keyboard.press("n")
        tab.wait_for_text_after(at, "Open the setting page")

        # `o` opens the page in the user's own browser tab, not on the computer running the server.
        tab.page.keyboard.press("o")
        wait_until(tab.opened, "the page to call window.open", page=tab.page)
        assert tab.opened() == [[AI_SETTING_URL, "_blank"]]

        # `c` copies the address: through the browser's clipboard, readable back from it.
        at = tab.mark()
        tab.page.keyboard.press("c")
        tab.wait_for_text_after(at, "Copied the address")
        assert wait_until(
            lambda: tab.page.evaluate("navigator.clipboard.readText()"), "the clipboard", page=tab.page
        ) == (AI_SETTING_URL)

        shot = tmp_path / "serve-linkedin.png"
        tab.page.screenshot(path=str(shot))
        print(f"screenshot of the app in Chromium: {shot}")

        # Marked in the browser (two steps, two keys at once), in the same store the terminal
        # app and `optout-tui progress` read.
        tab.page.keyboard.type("  ")
        wait_until(lambda: progress(env, "linkedin")["check-switch"] == "done", "the steps to be saved", page=tab.page)
        tab.page.wait_for_timeout(300)  # time for a wrong third mark to show, if there were one
        assert progress(env, "linkedin") == {
            "sign-in": None,
            "turn-off-ai-data": "done",
            "check-switch": "done",
            "objection-form": None,
            "keep-the-email": None,
        }

        # Nothing was asked of any other computer: every request and socket went to 127.0.0.1.
        assert tab.requests and tab.websockets
        assert {urlsplit(url).hostname for url in tab.requests + tab.websockets} == {"127.0.0.1"}
        assert not tab.problems, tab.problems
    finally:
        tab.close()


class _ForeignPage(http.server.BaseHTTPRequestHandler):
    page = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def foreign_site() -> Iterator[Callable[[str], str]]:
    """Another web site on this computer (another origin: another port), serving a page we give it."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ForeignPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def serve(html: str) -> str:
        _ForeignPage.page = html.encode()
        return f"http://127.0.0.1:{server.server_address[1]}/"

    try:
        yield serve
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_from_another_origin_cannot_use_the_app(browser: Any, served: Served, foreign_site) -> None:
    address = served.address()
    ws_address = "ws://" + address.removeprefix("http://") + "ws?width=80&height=24"
    # The worst case: the other page even knows the key. The Origin alone must shut it out.
    attacker = foreign_site(
        "<script>window.events = [];"
        f"const ws = new WebSocket({json.dumps(ws_address)});"
        "ws.onopen = () => { events.push('open'); ws.send(JSON.stringify(['stdin', 'q'])); };"
        "ws.onmessage = () => events.push('message');"
        "ws.onerror = () => events.push('error');"
        "ws.onclose = () => events.push('close');</script>"
    )
    tab = Tab(browser, origin_of(address))
    try:
        tab.page.goto(attacker)
        wait_until(lambda: "close" in tab.page.evaluate("window.events"), "the websocket to be closed", page=tab.page)
        events = tab.page.evaluate("window.events")
        assert "open" not in events and "message" not in events
        assert tab.received == b""
    finally:
        tab.close()
    assert "Application failed" not in served.output


def test_a_request_without_the_key_is_refused(browser: Any, served: Served) -> None:
    address = served.address()
    tab = Tab(browser, origin_of(address))
    try:
        response = tab.page.goto(origin_of(address) + "/")
        assert response is not None and response.status == 403
        assert "one-time key" in tab.page.inner_text("body")
        # A page from another name for this computer (DNS rebinding) is refused too, key and all.
        rebound = tab.page.goto(address.replace("127.0.0.1", LAN_NAME))
        assert rebound is not None and rebound.status == 403
        assert not tab.websockets
    finally:
        tab.close()


def _serve_copy_app(public_host: str, env: dict[str, str], cwd: Path) -> Served:
    return Served(
        [sys.executable, str(FIXTURES / "serve_any.py"), public_host, sys.executable, str(FIXTURES / "copy_app.py")],
        env,
        cwd=cwd,
    )


def test_on_this_computer_copying_uses_the_browser_clipboard_and_a_download_works(
    browser: Any, env: dict[str, str], tmp_path: Path
) -> None:
    require_web()
    server = _serve_copy_app("127.0.0.1", env, tmp_path)
    try:
        address = server.address()
        tab = Tab(browser, origin_of(address))
        try:
            tab.page.goto(address)
            tab.wait_for_text("route=browser-clipboard")
            tab.keys()

            tab.page.keyboard.press("c")
            tab.wait_for_text("copy-sent")
            letter = wait_until(
                lambda: tab.page.evaluate("navigator.clipboard.readText()"), "the clipboard", page=tab.page
            )
            assert letter == "Dear LinkedIn,\nI object to the use of my data to train AI.\nSam\n"
            assert tab.page.is_hidden("#copy-note")

            # The download: the page is asked to open /download/KEY, and that gives the letter as a file.
            tab.page.keyboard.press("d")
            tab.wait_for_text("sending=optout-tui-linkedin-letter.txt")
            opened = wait_until(tab.opened, "the page to ask for the download", page=tab.page)
            url, target = opened[0]
            assert re.fullmatch(re.escape(origin_of(address)) + r"/download/[0-9a-f]{32}", url) and target == "_blank"
            file = tab.context.request.get(url)  # with the page's cookie, as the browser's own tab would
            assert file.status == 200
            assert file.text() == letter
            assert file.headers["content-disposition"] == 'attachment; filename="optout-tui-linkedin-letter.txt"'
            tab.wait_for_text("delivered")
            assert not tab.problems, tab.problems
        finally:
            tab.close()
    finally:
        assert server.stop() == 0, server.output


def test_on_a_network_address_the_copy_route_is_a_download_and_the_page_says_copying_failed(
    browser: Any, env: dict[str, str], tmp_path: Path
) -> None:
    require_web()
    server = _serve_copy_app(LAN_NAME, env, tmp_path)
    try:
        address = server.address()
        assert urlsplit(address).hostname == LAN_NAME
        tab = Tab(browser, origin_of(address), clipboard=False)
        try:
            tab.page.goto(address)
            assert tab.page.evaluate("window.isSecureContext") is False
            # serve told the app: no clipboard here, so the copy service hands over a download.
            tab.wait_for_text("route=download")
            tab.keys()
            # What the app does today on `c`: the browser cannot copy here, and the page says so.
            tab.page.keyboard.press("c")
            tab.wait_for_text("copy-sent")
            tab.page.wait_for_selector("#copy-note", state="visible")
            assert "did not copy" in tab.page.inner_text("#copy-note")
        finally:
            tab.close()
    finally:
        assert server.stop() == 0, server.output


def _descendants(pid: int) -> set[int]:
    """Every process below `pid`, from /proc (Linux)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads processes from /proc (Linux)")
def test_ctrl_c_ends_every_tabs_app_and_the_page_says_so(browser: Any, env: dict[str, str], tmp_path: Path) -> None:
    require_web()
    server = Served([installed_command(), "serve", "--no-open", "--region", "DE"], env, cwd=tmp_path)
    try:
        address = server.address()
        tabs = [Tab(browser, origin_of(address)) for _ in range(2)]
        for tab in tabs:
            tab.page.goto(address)
            tab.wait_for_text("Adobe")
        # One app per tab, each its own process.
        apps = wait_until(
            lambda: len(_descendants(server.process.pid)) >= 2 and _descendants(server.process.pid), "apps"
        )
        started = time.monotonic()
        assert server.stop() == 0, server.output
        assert time.monotonic() - started < 10
        assert "has stopped" in server.output
        assert "Traceback" not in server.output, server.output
        wait_until(lambda: not any(_alive(pid) for pid in apps), "every app to end")
        for tab in tabs:
            tab.page.wait_for_selector(".closed-dialog", state="visible")
            assert "Everything you marked is saved" in tab.page.inner_text(".closed-dialog")
            tab.close()
    finally:
        server.stop()


def test_when_the_browser_refuses_to_copy_the_page_says_so(browser: Any, env: dict[str, str], tmp_path: Path) -> None:
    # Chromium lets a focused page on 127.0.0.1 write to the clipboard, always; Safari and Firefox
    # refuse when the key press is too long ago. That refusal is the one thing played here, by the
    # browser's own writeText rejecting, before the page's scripts run.
    require_web()
    server = _serve_copy_app("127.0.0.1", env, tmp_path)
    try:
        address = server.address()
        tab = Tab(browser, origin_of(address))
        tab.context.add_init_script(
            "Clipboard.prototype.writeText = function () {"
            "  return Promise.reject(new DOMException('refused', 'NotAllowedError')); };"
        )
        try:
            tab.page.goto(address)
            tab.wait_for_text("route=browser-clipboard")
            tab.keys()
            assert tab.page.is_hidden("#copy-note")
            tab.page.keyboard.press("c")
            tab.wait_for_text("copy-sent")
            tab.page.wait_for_selector("#copy-note", state="visible")
            assert "did not let optout-tui copy" in tab.page.inner_text("#copy-note")
        finally:
            tab.close()
    finally:
        assert server.stop() == 0, server.output
