"""`optout-tui serve` without a browser: who the server answers, what the command says.

The server is the real one, started as the user starts it (the installed
command), on 127.0.0.1; requests are made the way a browser or another program
on this computer would make them. The browser itself is in test_serve_browser.py.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from e2e.served import Served, installed_command, require_web

from walkthrough.serve import access as access_rules
from walkthrough.serve.access import Access, HostError, check_host, is_loopback, is_potentially_trustworthy
from walkthrough.serve.browser_tab import ENV_CLIPBOARD, browser_clipboard_works, copy_route, download_name

# ---- the rules ------------------------------------------------------------


def test_the_key_is_new_each_time_and_long() -> None:
    keys = {Access.create("127.0.0.1", 8000).token for _ in range(20)}
    assert len(keys) == 20
    assert all(len(k) >= 32 and re.fullmatch(r"[A-Za-z0-9_-]+", k) for k in keys)


def test_loopback_answers_to_its_usual_names_only() -> None:
    rules = Access.create("127.0.0.1", 8000, token="k")
    assert rules.address == "http://127.0.0.1:8000/k/"
    assert rules.names == {"127.0.0.1:8000", "localhost:8000"}
    lan = Access.create("192.168.1.20", 8000, token="k")
    assert lan.names == {"192.168.1.20:8000"}
    assert Access.create("::1", 9, token="k").address == "http://[::1]:9/k/"


@pytest.mark.parametrize(
    ("path", "host", "origin", "cookie", "websocket", "refused"),
    [
        ("/k/", "127.0.0.1:8000", None, None, False, None),
        ("/k/static/js/textual.js", "localhost:8000", "http://localhost:8000", None, False, None),
        ("/k/ws", "127.0.0.1:8000", "http://127.0.0.1:8000", None, True, None),
        ("/", "127.0.0.1:8000", None, None, False, access_rules.REFUSED_KEY),
        ("/kk/", "127.0.0.1:8000", None, None, False, access_rules.REFUSED_KEY),
        ("/x/k/", "127.0.0.1:8000", None, None, False, access_rules.REFUSED_KEY),
        ("/k/", "evil.example:8000", None, None, False, access_rules.REFUSED_HOST),  # DNS rebinding
        ("/k/", None, None, None, False, access_rules.REFUSED_HOST),
        ("/k/ws", "127.0.0.1:8000", "http://127.0.0.1:9999", None, True, access_rules.REFUSED_ORIGIN),
        ("/k/ws", "127.0.0.1:8000", "null", None, True, access_rules.REFUSED_ORIGIN),
        ("/k/ws", "127.0.0.1:8000", None, None, True, access_rules.REFUSED_NO_ORIGIN),
        # The page on localhost may not drive the app at 127.0.0.1: another origin, even if the same computer.
        ("/k/ws", "127.0.0.1:8000", "http://localhost:8000", None, True, access_rules.REFUSED_ORIGIN),
        ("/download/abc", "127.0.0.1:8000", None, "k", False, None),
        ("/download/abc", "127.0.0.1:8000", None, None, False, access_rules.REFUSED_KEY),
        ("/download/abc", "127.0.0.1:8000", None, "wrong", False, access_rules.REFUSED_KEY),
        ("/k/", "127.0.0.1:8000", None, "k", False, None),
        ("/other", "127.0.0.1:8000", None, "k", False, access_rules.REFUSED_KEY),  # the cookie is for downloads only
    ],
)
def test_who_is_refused(path, host, origin, cookie, websocket, refused) -> None:
    rules = Access.create("127.0.0.1", 8000, token="k")
    assert rules.refusal(path=path, host=host, origin=origin, cookie=cookie, websocket=websocket) == refused


@pytest.mark.parametrize(
    ("origin", "secure"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://127.8.9.1:8000", True),
        ("http://localhost:8000", True),
        ("http://app.localhost:8000", True),
        ("http://[::1]:8000", True),
        ("https://192.168.1.20:8000", True),
        ("http://192.168.1.20:8000", False),
        ("http://lan.test:8000", False),
        ("http://localhost.example.com", False),
        ("null", False),
        ("", False),
    ],
)
def test_which_origins_may_copy(origin: str, secure: bool) -> None:
    assert is_potentially_trustworthy(origin) is secure


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "", "  "])
def test_every_network_at_once_is_refused(host: str) -> None:
    with pytest.raises(HostError, match="every network"):
        check_host(host)


def test_loopback_addresses() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("127.0.0.2") and is_loopback("::1") and is_loopback("LOCALHOST")
    assert not is_loopback("192.168.1.20") and not is_loopback("example.com")


def test_the_clipboard_is_used_only_when_serve_says_it_works() -> None:
    assert browser_clipboard_works({ENV_CLIPBOARD: "yes"})
    assert not browser_clipboard_works({ENV_CLIPBOARD: "no"})
    assert not browser_clipboard_works({})  # served some other way: unknown, so no


@pytest.mark.parametrize(
    ("words", "name"),
    [
        (("linkedin", "letter"), "optout-tui-linkedin-letter.txt"),
        (("../../etc/passwd",), "optout-tui-..-..-etc-passwd.txt"),
        (("a\x1b]0;evil\x07b", 'x"; y'), "optout-tui-a-0-evil-b-x-y.txt"),
        (("é" * 200,), "optout-tui.txt"),
    ],
)
def test_download_names_are_plain(words: tuple[str, ...], name: str) -> None:
    made = download_name(*words)
    assert made == name
    assert "/" not in made and len(made) <= 84


async def test_in_a_terminal_copying_goes_to_the_terminal(tmp_path: Path) -> None:
    from textual.app import App

    app: App[None] = App()
    async with app.run_test():
        assert copy_route(app, {ENV_CLIPBOARD: "yes"}) == "terminal"


async def test_in_a_terminal_a_download_lands_in_the_downloads_folder(tmp_path: Path, monkeypatch) -> None:
    # Outside a browser, deliver_as_download is Textual's save to the user's downloads folder.
    from textual.app import App
    from textual.events import DeliveryComplete

    from walkthrough.serve.browser_tab import deliver_as_download

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    delivered: list[DeliveryComplete] = []

    class Saving(App[None]):
        def on_delivery_complete(self, event: DeliveryComplete) -> None:
            delivered.append(event)

    app = Saving()
    async with app.run_test() as pilot:
        name = deliver_as_download(app, "Dear LinkedIn,\nNo.\n", "linkedin", "letter")
        for _ in range(100):
            if delivered:
                break
            await pilot.pause(0.02)
    assert name == "optout-tui-linkedin-letter.txt"
    assert (downloads / name).read_text(encoding="utf-8") == "Dear LinkedIn,\nNo.\n"
    assert delivered and delivered[0].path == downloads / name


# ---- the server, as started by the user -------------------------------------


def _env(tmp: Path) -> dict[str, str]:
    recorder = tmp / "browser.py"
    recorder.write_text(f"import sys\nopen({str(tmp / 'opened.txt')!r}, 'a').write(sys.argv[1] + '\\n')\n")
    env = {**os.environ, "OPTOUT_TUI_DATA_DIR": str(tmp / "data"), "BROWSER": f"{sys.executable} {recorder} %s"}
    env.pop("OPTOUT_TUI_GUIDES", None)
    return env


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Served]:
    require_web()
    tmp = tmp_path_factory.mktemp("served")
    server = Served([installed_command(), "serve", "--no-open", "--region", "DE"], _env(tmp), cwd=tmp)
    try:
        server.address()
        yield server
    finally:
        server.stop()


def request(
    address: str, path: str, headers: dict[str, str] | None = None, host: str | None = None
) -> http.client.HTTPResponse:
    parts = urlsplit(address)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host or parts.netloc)
    for name, value in (headers or {}).items():
        conn.putheader(name, value)
    conn.endheaders()
    return conn.getresponse()


def websocket_headers(origin: str | None) -> dict[str, str]:
    headers = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
        "Sec-WebSocket-Version": "13",
    }
    if origin:
        headers["Origin"] = origin
    return headers


def test_the_address_is_private_and_the_page_is_ours(served: Served) -> None:
    address = served.address()
    parts = urlsplit(address)
    assert parts.hostname == "127.0.0.1"
    key = parts.path.strip("/")
    assert len(key) >= 32

    page = request(address, parts.path)
    body = page.read().decode()
    assert page.status == 200
    assert "<title>optout-tui</title>" in body
    # Everything the page loads is relative to it: no other host, and no interpreter path in the title.
    assert not re.search(r"""(src|href)="(?!data:)[a-z]+:""", body), body
    assert sys.executable not in body
    policy = page.getheader("Content-Security-Policy") or ""
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert page.getheader("Referrer-Policy") == "no-referrer"
    cookie = page.getheader("Set-Cookie") or ""
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/download/" in cookie

    # The fonts the page asks for are served here.
    font = request(address, f"{parts.path}static/fonts/RobotoMono-VariableFont_wght.ttf")
    assert font.status == 200 and len(font.read()) > 100_000


@pytest.mark.parametrize(
    "path",
    ["/", "/favicon.ico", "/static/js/textual.js", "/ws", "/download/x", "/{key}x/", "/x/{key}/", "/%2e%2e/{key}/"],
)
def test_without_the_key_nothing_answers(served: Served, path: str) -> None:
    address = served.address()
    key = urlsplit(address).path.strip("/")
    response = request(address, path.format(key=key))
    body = response.read().decode()
    assert response.status == 403
    assert "one-time key" in body
    assert key not in body


def test_another_host_name_is_refused_even_with_the_key(served: Served) -> None:
    # A web page that points its own name at 127.0.0.1 ("DNS rebinding") arrives with its name in Host.
    address = served.address()
    response = request(address, urlsplit(address).path, host=f"evil.example:{urlsplit(address).port}")
    assert response.status == 403
    assert "under another name" in response.read().decode()


def test_a_folder_is_not_listed(served: Served) -> None:
    address = served.address()
    assert request(address, urlsplit(address).path + "static/").status in (403, 404)


@pytest.mark.parametrize("origin", ["http://127.0.0.1:1", "http://evil.example", "null", None])
def test_the_websocket_refuses_other_origins_even_with_the_key(served: Served, origin: str | None) -> None:
    address = served.address()
    response = request(address, urlsplit(address).path + "ws", websocket_headers(origin))
    assert response.status == 403


def test_the_websocket_opens_for_its_own_page(served: Served) -> None:
    # The control for the test above: the same request from the page's own origin is accepted.
    address = served.address()
    parts = urlsplit(address)
    response = request(address, parts.path + "ws", websocket_headers(f"http://{parts.netloc}"))
    assert response.status == 101
    response.close()


def test_a_download_needs_the_pages_cookie(served: Served) -> None:
    address = served.address()
    key = urlsplit(address).path.strip("/")
    assert request(address, "/download/0123456789abcdef").status == 403
    cookie = f"optout_tui_{urlsplit(address).port}={key}"
    missing = request(address, "/download/0123456789abcdef", {"Cookie": cookie})
    assert missing.status == 404


# ---- the command ---------------------------------------------------------------


def test_serve_prints_the_address_and_opens_it_in_the_browser(tmp_path: Path) -> None:
    require_web()
    server = Served([installed_command(), "serve", "--region", "DE"], _env(tmp_path), cwd=tmp_path)
    try:
        address = server.address()
        opened = tmp_path / "opened.txt"
        server.wait_for_output("Ctrl\\+C")
        for _ in range(200):
            if opened.exists() and opened.read_text().strip():
                break
            import time

            time.sleep(0.05)
        assert opened.read_text().splitlines() == [address]
    finally:
        code = server.stop()
    assert code == 0
    assert "has stopped" in server.output
    assert "Traceback" not in server.output


def test_no_open_opens_nothing_and_two_servers_get_different_ports_and_keys(tmp_path: Path) -> None:
    require_web()
    env = _env(tmp_path)
    one = Served([installed_command(), "serve", "--no-open", "--region", "DE"], env, cwd=tmp_path)
    two = Served([installed_command(), "serve", "--no-open"], env, cwd=tmp_path)
    try:
        a, b = one.address(), two.address()
        assert urlsplit(a).port != urlsplit(b).port
        assert urlsplit(a).path != urlsplit(b).path
    finally:
        one.stop()
        two.stop()
    assert not (tmp_path / "opened.txt").exists()


def test_a_port_in_use_is_said_plainly(tmp_path: Path) -> None:
    require_web()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [installed_command(), "serve", "--no-open", "--port", str(port), "--region", "DE"],
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr.strip() == f"optout-tui: port {port} is in use. Leave out --port to use any free one."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--host", "0.0.0.0"], "would answer on every network"),
        (["nosuchguide"], "There is no guide called 'nosuchguide'"),
        (["--region", "Atlantis"], "No country matches 'Atlantis'"),
    ],
)
def test_mistakes_are_said_before_anything_is_served(tmp_path: Path, args: list[str], message: str) -> None:
    require_web()
    done = subprocess.run(
        [installed_command(), "serve", "--no-open", *args],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert message in done.stderr
    assert "http://" not in done.stdout
    assert "Traceback" not in done.stderr


def test_without_the_web_extra_serve_says_how_to_get_it(tmp_path: Path) -> None:
    # A None in sys.modules makes the import fail, as when the package is not installed.
    probe = (
        "import sys\n"
        "sys.modules['textual_serve'] = None\n"
        "from walkthrough.cli import main\n"
        "sys.exit(main(['serve', '--no-open']))"
    )
    done = subprocess.run([sys.executable, "-c", probe], env=_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "pip install 'optout-tui[web]'" in lines[0]


def test_each_tab_runs_this_installation_whatever_folder_serve_started_in(tmp_path: Path) -> None:
    from walkthrough.commands.serve import app_command
    from walkthrough.serve.server import command_line

    argv = app_command(["my-guides"], "examplenet")
    assert argv[-4:] == ["app", "--guides-dir", str((Path.cwd() / "my-guides").resolve()), "examplenet"]
    assert "--region" not in argv  # saved already; a country changed in one tab must hold in the next
    # A folder with its own walkthrough/ and yaml.py: `python -m` would import those instead.
    (tmp_path / "walkthrough").mkdir()
    (tmp_path / "walkthrough" / "__init__.py").write_text("raise SystemExit('the wrong walkthrough')")
    (tmp_path / "yaml.py").write_text("raise SystemExit('the wrong yaml')")
    listing = command_line([*argv[:3], "list", "--json"])
    done = subprocess.run(listing, shell=True, cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "linkedin" in done.stdout
