"""Downloading a guide release's files: the network part of `optout-tui update`.

Only the update command imports this module, and httpx comes in with it (see
"The network" in the design). The usual proxy and certificate variables are
honoured (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY, SSL_CERT_FILE,
SSL_CERT_DIR: httpx reads them with trust_env). Every failure becomes one
plain sentence naming the host, never a traceback.

Nothing downloaded here is trusted: the caller checks the signature, sizes and
hashes. What this module guarantees is only that a file is read whole, up to
its size cap, from an https:// address (or http:// on this computer only).
"""

from __future__ import annotations

import ipaddress
import ssl
import time
from urllib.parse import urlsplit

import httpx

from walkthrough import __version__
from walkthrough.safe_text import visible
from walkthrough.update.urls import host_of

USER_AGENT = f"optout-tui-update/{__version__} (+https://github.com/optout-tui/optout-tui)"
MAX_REDIRECTS = 5


class FetchError(Exception):
    """A download that failed; the message is one plain sentence."""


class TooLarge(FetchError):
    """The file is larger than the cap it was fetched with."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> None:
    """An address is https://, or http:// to this computer; raises FetchError otherwise."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise FetchError(f"'{visible(url)}' is not a web address.") from None
    if parts.scheme == "https" and host:
        return
    if parts.scheme == "http" and _is_loopback(host):
        return
    if parts.scheme == "http" and host:
        raise FetchError(
            f"'{visible(url)}' is not a secure address: use https:// (http:// only works for this computer)."
        )
    raise FetchError(f"'{visible(url)}' is not a web address: it should start with https://.")


def file_url(base: str, name: str) -> str:
    """`name` in the release folder at `base` (a folder: a missing trailing slash is added)."""
    parts = urlsplit(base)
    if parts.query or parts.fragment:
        raise FetchError(f"'{visible(base)}' should be a folder address, without ? or #.")
    return base.rstrip("/") + "/" + name


class Downloader:
    def __init__(self, timeout: float):
        self.timeout = timeout
        # A slow trickle must end too: per-read timeouts alone would let a server drip bytes for hours.
        self.deadline_seconds = max(60.0, timeout * 20)
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,  # followed below, so each hop is checked (no https -> http)
            trust_env=True,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Downloader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, cap: int, what: str) -> bytes:
        """The whole body of `url`, at most `cap` bytes; `what` names the file in messages ("the signature")."""
        check_url(url)
        host = host_of(url)
        try:
            for _ in range(MAX_REDIRECTS + 1):
                with self.client.stream("GET", url) as response:
                    if response.is_redirect:
                        location = response.headers.get("Location")
                        if not location:
                            raise FetchError(f"{host} sent a redirect without an address for {what}.")
                        url = str(response.url.join(location))
                        check_url(url)
                        host = host_of(url)
                        continue
                    return self._body(response, url, cap, what)
            raise FetchError(f"{host} redirected more than {MAX_REDIRECTS} times for {what}.")
        except httpx.TimeoutException:
            raise FetchError(f"{host} did not answer within {self.timeout:g} seconds.") from None
        except httpx.ProxyError as exc:
            raise FetchError(f"The proxy failed to reach {host} ({_reason(exc)}).") from None
        except httpx.ConnectError as exc:
            if _is_certificate_problem(exc):
                raise FetchError(
                    f"The secure connection to {host} failed: its certificate is not one this computer trusts. "
                    "If your network uses its own certificates, point SSL_CERT_FILE at them."
                ) from None
            if _is_tls_problem(exc):
                raise FetchError(
                    f"The secure connection to {host} failed (it did not answer as an https:// server should)."
                ) from None
            raise FetchError(
                f"Could not connect to {host} ({_reason(exc)}). Is this computer offline, or behind a proxy? "
                "(A proxy is set with HTTPS_PROXY.)"
            ) from None
        except httpx.RemoteProtocolError:
            raise FetchError(f"The download of {what} from {host} was cut short.") from None
        except httpx.TransportError as exc:
            raise FetchError(f"The connection to {host} broke off ({_reason(exc)}).") from None
        except httpx.InvalidURL:
            raise FetchError(f"'{visible(url)}' is not a web address.") from None

    def _body(self, response: httpx.Response, url: str, cap: int, what: str) -> bytes:
        host = host_of(url)
        if response.status_code in (404, 410):
            raise FetchError(
                f"There is no guide release at {visible(url)} ({host} answered {response.status_code} Not Found). "
                "Check the address (--url or OPTOUT_TUI_UPDATE_URL)."
            )
        if response.status_code != 200:
            reason = visible(response.reason_phrase or "")
            raise FetchError(f"{host} answered {response.status_code} {reason} for {what}.".replace("  ", " "))
        content_type = response.headers.get("Content-Type", "").lower()
        if "html" in content_type:
            raise FetchError(_web_page(host))
        declared = response.headers.get("Content-Length")
        if declared is not None and declared.isdigit() and int(declared) > cap:
            raise TooLarge(f"{what.capitalize()} from {host} is over the size cap ({_size(cap)}).")
        started = time.monotonic()
        chunks: list[bytes] = []
        total = 0
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > cap:
                raise TooLarge(f"{what.capitalize()} from {host} is over the size cap ({_size(cap)}).")
            if time.monotonic() - started > self.deadline_seconds:
                raise FetchError(
                    f"The download of {what} from {host} took too long (over {self.deadline_seconds:g} s)."
                )
            chunks.append(chunk)
        body = b"".join(chunks)
        if body[:64].lstrip()[:1] == b"<":  # an HTML page served as a file
            raise FetchError(_web_page(host))
        return body


def _web_page(host: str) -> str:
    return (
        f"{host} sent a web page instead of guide files (a Wi-Fi sign-in page, or the wrong address?). "
        "Check the address (--url or OPTOUT_TUI_UPDATE_URL)."
    )


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    lowered = text.lower()
    if "refused" in lowered:
        return "the connection was refused"
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "getaddrinfo" in lowered:
        return "the name was not found"
    if "reset" in lowered:
        return "the connection was reset"
    return visible(text)


def _is_tls_problem(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError) or "[SSL" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _is_certificate_problem(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
