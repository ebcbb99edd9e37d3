"""Who may use a running `optout-tui serve`: the rules, kept apart from the web server.

Anything that runs on this computer can reach a port on 127.0.0.1, and that
includes every web page open in the user's browser. A page from another site
that could open our websocket would read the user's screen and press keys in
their app. So every request must carry the one-time key that `serve` printed,
must be addressed to a host name we answer to (a page that re-points its own
name at 127.0.0.1, "DNS rebinding", gets refused here), and must not come from
another origin. The websocket must say where it comes from: browsers always do.

The key is in the path, `/KEY/`, because textual-serve's page script adds its
own `?width=...` to the websocket address. Downloads are the one exception:
that script asks for `/download/ID` at the top of the site, so there the key
comes in a cookie that only our page was given.
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

LOOPBACK = "127.0.0.1"
DOWNLOAD_PREFIX = "/download/"

REFUSED_KEY = (
    "This is optout-tui. Open the full address that `optout-tui serve` printed in your terminal: "
    "its last part is a one-time key that keeps other web pages out of your app."
)
REFUSED_HOST = (
    "This is optout-tui, but it was reached under another name. Open the address that "
    "`optout-tui serve` printed in your terminal."
)
REFUSED_ORIGIN = "Refused: this request came from another web page. optout-tui only answers its own page."
REFUSED_NO_ORIGIN = "Refused: the app only talks to its own page in a web browser."


class HostError(Exception):
    """An address the server must not listen on, in plain words."""


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """True for an address only this computer can reach (127.x.x.x, ::1, localhost)."""
    ip = _ip(host)
    return ip.is_loopback if ip else host.lower() == "localhost"


def check_host(host: str) -> str:
    """The address to listen on, or HostError when it would be unsafe or unclear."""
    host = host.strip()
    ip = _ip(host)
    if not host or (ip is not None and ip.is_unspecified):
        shown = host or "(nothing)"
        raise HostError(
            f"--host {shown} would answer on every network this computer is on. "
            "Give the one address people should use, for example --host 192.168.1.20, "
            "or leave --host out to keep optout-tui private to this computer."
        )
    return host


def url_host(host: str) -> str:
    """A host as it is written in a web address: IPv6 addresses go in brackets."""
    ip = _ip(host)
    return f"[{ip}]" if ip is not None and ip.version == 6 else host.lower()


def is_potentially_trustworthy(origin: str) -> bool:
    """Whether a page at `origin` is a secure context, so browsers let it use the clipboard.

    The W3C Secure Contexts rule: https, or http on this computer's own addresses.
    http on a network address (192.168.1.20) is not: there the clipboard is missing.
    """
    parts = urlsplit(origin)
    if parts.scheme in ("https", "wss"):
        return True
    if parts.scheme not in ("http", "ws") or not parts.hostname:
        return False
    name = parts.hostname.lower()
    return is_loopback(name) or name == "localhost" or name.endswith(".localhost")


@dataclass(frozen=True)
class Access:
    """The rules for one run of the server: its key and the names it answers to."""

    token: str
    port: int
    names: frozenset[str]  # "host:port" values a request may be addressed to
    public_host: str  # the host in the printed address

    @classmethod
    def create(cls, host: str, port: int, token: str | None = None) -> Access:
        names = {f"{url_host(host)}:{port}"}
        if is_loopback(host):
            # The same computer by its other usual names; all are private to it.
            names |= {f"{LOOPBACK}:{port}", f"localhost:{port}"}
        return cls(token or secrets.token_urlsafe(24), port, frozenset(names), url_host(host))

    @property
    def address(self) -> str:
        """The address to open, key included."""
        return f"http://{self.public_host}:{self.port}/{self.token}/"

    @property
    def cookie_name(self) -> str:
        # Cookies are shared between ports of one host, so two servers must not share a name.
        return f"optout_tui_{self.port}"

    def has_key(self, path: str, cookie: str | None) -> bool:
        first = path.lstrip("/").split("/", 1)[0]
        if path.startswith("/") and secrets.compare_digest(first.encode(), self.token.encode()):
            return True
        return (
            path.startswith(DOWNLOAD_PREFIX)
            and cookie is not None
            and secrets.compare_digest(cookie.encode(), self.token.encode())
        )

    def refusal(
        self, *, path: str, host: str | None, origin: str | None, cookie: str | None, websocket: bool
    ) -> str | None:
        """Why a request is refused, or None when it may go ahead."""
        if host is None or host.lower() not in self.names:
            return REFUSED_HOST
        if origin is not None and origin.lower() != f"http://{host.lower()}":
            return REFUSED_ORIGIN
        if websocket and origin is None:
            return REFUSED_NO_ORIGIN
        if not self.has_key(path, cookie):
            return REFUSED_KEY
        return None
