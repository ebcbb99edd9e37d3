"""Checking that addresses still answer: the network part of `check-links`.

Only `optout-tui check-links` imports this module, and httpx comes in with it,
so browsing guides never loads a network library (see "The network" in the
design). Every distinct address is checked once, however many steps use it;
the outcomes are described in `walkthrough.linkcheck.report`.
"""

from __future__ import annotations

import asyncio
import datetime
import email.utils
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx

from walkthrough import __version__
from walkthrough.linkcheck.report import Result
from walkthrough.linkcheck.targets import host_key

USER_AGENT = f"optout-tui-linkcheck/{__version__} (+https://github.com/optout-tui/optout-tui)"


MAX_REDIRECTS = 10
RETRY_CAP = 30.0  # never wait longer than this (nor than 2 x --timeout) for a Retry-After
DEFAULT_429_WAIT = 5.0  # a 429 without Retry-After
DEFAULT_5XX_WAIT = 1.0  # a 502/503/504 without Retry-After
SNIPPET_BYTES = 16_384  # enough of an error page to recognise a bot check
# Only encodings we can inflate with a bound (a gzip bomb on a 404 page once cost 164 MB a link).
ACCEPT_ENCODING = "gzip, deflate"

# Python 3.11+ times out a request without wait_for's extra task per request.
_timeout = getattr(asyncio, "timeout", None)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Gateways that fail for a moment: one retry spares CI a red run for nothing.
_TRANSIENT = frozenset({502, 503, 504})
# Words in the host or path of a sign-in page (LinkedIn /uas/login, Google
# ServiceLogin, Meta /login, Adobe auth.services..., Slack /signin, ...).
_SIGN_IN_WORDS = ("login", "signin", "sign-in", "sign_in", "logon", "auth", "sso", "session", "checkpoint", "account")


def retry_after_seconds(value: str | None, now: datetime.datetime | None = None) -> float | None:
    """A Retry-After header (seconds, or an HTTP date) as seconds from now; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return max(0.0, (when - now).total_seconds())


def same_page(url: str, final: str) -> bool:
    """True when a redirect from `url` to `final` is not worth editing a guide for.

    Only http -> https (never the other way), a trailing slash, a fragment, the
    host's case and a default port are ignored. A new host, even adding www.,
    is a different address the guide could point at directly.
    """
    try:
        a, b = urlsplit(url), urlsplit(final)
        ports = (a.port, b.port)
    except ValueError:
        return False
    if a.scheme != b.scheme and (a.scheme, b.scheme) != ("http", "https"):
        return False
    a_port, b_port = (None if p in (80, 443) else p for p in ports)
    return (
        (a.hostname or "").rstrip(".") == (b.hostname or "").rstrip(".")
        and a_port == b_port
        and a.path.rstrip("/") == b.path.rstrip("/")
        and a.query == b.query
    )


def sign_in_redirect(url: str, final: str) -> bool:
    """True when `final` looks like a sign-in page that will come back to `url`.

    Settings pages send visitors who are not signed in (as this checker never
    is) to a sign-in page carrying the page to return to: LinkedIn's
    `session_redirect=`, Google's `continue=`, Meta's `next=`. Pointing the
    guide at the sign-in page instead would be wrong, so this is not a
    `redirect`. A bare home page never counts: too vague to tell.
    """
    try:
        a, b = urlsplit(url), urlsplit(final)
    except ValueError:
        return False
    wanted = a.path.rstrip("/")
    if not wanted:
        return False
    where = f"{b.hostname or ''}{b.path}".lower()
    if not any(word in where for word in _SIGN_IN_WORDS):
        return False
    carried = [unquote(v) for _, v in parse_qsl(b.query, keep_blank_values=True)] + [unquote(b.fragment)]
    return any(wanted in value for value in carried)


def is_challenge(status: int, headers: httpx.Headers, body: bytes) -> bool:
    """A Cloudflare "are you human" page instead of the real one."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return True
    if status in (403, 429, 503) and "cloudflare" in headers.get("server", "").lower():
        text = body.lower()
        return any(mark in text for mark in (b"challenge-platform", b"just a moment", b"cf-chl", b"attention required"))
    return False


def address_kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """public, loopback, private, link-local or reserved: where an address leads."""
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_unspecified or ip.is_multicast or ip.is_reserved:
        return "reserved"
    if ip.is_private or not ip.is_global:  # not global: also 100.64/10 (carrier-grade NAT) and the like
        return "private"
    return "public"


_KIND_WORDS = {
    "loopback": "this computer",
    "private": "a private network",
    "link-local": "the local network link (where cloud machines keep their secrets)",
    "reserved": "a reserved address",
}


def redirect_refusal(start: set[str], target: set[str]) -> str | None:
    """Why a redirect from an address of kinds `start` to one of kinds `target` is not followed, or None.

    A redirect may not lead inside this computer or its network unless the
    address given to check was itself such an address: a guide's link must
    not be able to make the checker reach a router, a local service or the
    cloud's metadata address.
    """
    inside = target - {"public"}
    new = inside - start
    if not new:
        return None
    where = " or ".join(sorted(_KIND_WORDS[k] for k in new))
    return f"it leads to {where}, so it was not followed"


async def _kinds(host: str) -> set[str]:
    """The kinds of address `host` is or resolves to; empty when it does not resolve (the request will say so)."""
    host = host.strip("[]")
    try:
        return {address_kind(ipaddress.ip_address(host))}
    except ValueError:
        pass
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return set()
    kinds = set()
    for info in infos:
        try:
            kinds.add(address_kind(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])))
        except ValueError:
            continue
    return kinds


def bounded_inflate(body: bytes, encoding: str, limit: int = SNIPPET_BYTES) -> bytes:
    """The start of a compressed body, never more than `limit` bytes however much it would inflate to."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body[:limit]
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return b""  # nothing we asked for; not worth guessing
    # 16 + MAX_WBITS: a gzip header; 32 + MAX_WBITS: gzip or zlib; -MAX_WBITS: raw deflate, which some servers send.
    for wbits in (16 + zlib.MAX_WBITS,) if "gzip" in encoding else (32 + zlib.MAX_WBITS, -zlib.MAX_WBITS):
        try:
            return zlib.decompressobj(wbits).decompress(body, limit)
        except zlib.error:
            continue
    return b""


class _Budget:
    """The time one link may take on the network, every hop and retry together (--timeout)."""

    def __init__(self, seconds: float):
        self.left = seconds

    def spend(self, seconds: float) -> None:
        self.left -= seconds


class _Failure(Exception):
    """No HTTP answer: carries the outcome (timeout or error) and the reason in plain words."""

    def __init__(self, outcome: str, reason: str):
        super().__init__(reason)
        self.outcome = outcome
        self.reason = reason


@dataclass
class _Answer:
    status: int
    reason: str
    headers: httpx.Headers
    body: bytes = b""


def _plain_reason(exc: BaseException, timeout: float) -> _Failure:
    """Turn what httpx (and the sockets under it) raised into words a contributor can act on."""
    if isinstance(exc, (asyncio.TimeoutError, httpx.TimeoutException)):
        if isinstance(exc, httpx.ConnectTimeout):
            return _Failure("timeout", f"could not connect within {timeout:g} s")
        return _Failure("timeout", f"no answer within {timeout:g} s")
    if isinstance(exc, httpx.UnsupportedProtocol):
        return _Failure("error", "only http:// and https:// addresses can be checked")
    if isinstance(exc, (httpx.InvalidURL, ValueError, UnicodeError)):
        return _Failure("error", "this is not a valid web address")
    if isinstance(exc, httpx.TooManyRedirects):
        return _Failure("error", "too many redirects")
    grouped = getattr(exc, "exceptions", None)  # anyio can wrap the real error in an ExceptionGroup
    if grouped:
        return _plain_reason(grouped[0], timeout)
    # The useful detail (refused, DNS, certificate) is an OSError somewhere down the chain.
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ssl.SSLCertVerificationError):
            detail = cause.verify_message or "it could not be verified"
            return _Failure("error", f"the site's security certificate is not valid ({detail})")
        if isinstance(cause, ssl.SSLError):
            return _Failure("error", f"the secure (TLS) connection failed ({cause.reason or cause})")
        if isinstance(cause, ConnectionRefusedError):
            return _Failure("error", "the connection was refused: nothing answers at that address")
        if isinstance(cause, socket.gaierror):
            return _Failure(
                "error", "the host name could not be found (DNS): is it spelled right, does it still exist?"
            )
        if isinstance(cause, ConnectionResetError):
            return _Failure("error", "the server closed the connection without answering")
        if isinstance(cause, OSError) and cause.strerror:
            return _Failure("error", f"could not connect: {cause.strerror.lower()}")
        cause = cause.__cause__ or cause.__context__
    text = str(exc)
    if isinstance(exc, httpx.ConnectError):
        return _Failure("error", f"could not connect ({text})" if text else "could not connect")
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.LocalProtocolError)):
        return _Failure("error", "the server's answer was not valid HTTP" + (f" ({text})" if text else ""))
    if isinstance(exc, (httpx.ReadError, httpx.WriteError)):
        return _Failure("error", "the connection broke while talking to the server")
    return _Failure("error", f"an unexpected problem ({type(exc).__name__}: {text})" if text else type(exc).__name__)


def unusable(url: str) -> str | None:
    """Why `url` cannot be requested at all, in plain words; None if it can."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, UnicodeError):
        return "this is not a valid web address"
    if parsed.scheme not in ("http", "https"):
        return "only http:// and https:// addresses can be checked"
    if not parsed.host:
        return "this address has no host name"
    if parsed.port is not None and not 0 < parsed.port < 65536:
        return f"this address has port {parsed.port}, which cannot exist"
    return None


def _skip_missing_sniffio() -> None:
    """Make a missing `sniffio` fail to import at once instead of after a search.

    httpcore 1.0 tries `import sniffio` each time it sets up a lock, several
    times per request, and anyio 4.12+ no longer installs sniffio. A failed
    import is not cached, so each try searched sys.path again: about a third
    of the checker's CPU time in benchmarks/linkcheck.py. Marking it absent in
    sys.modules gives httpcore the same ImportError, and the same "asyncio"
    answer it falls back to, without the search. Nothing changes when sniffio
    is installed.
    """
    import importlib.util
    import sys

    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


class Checker:
    """Checks many addresses at once within a global and a per-host limit of requests in flight."""

    def __init__(
        self,
        *,
        concurrency: int = 16,
        per_host: int = 4,
        timeout: float = 15.0,
        max_redirects: int = MAX_REDIRECTS,
        user_agent: str = USER_AGENT,
    ):
        if concurrency < 1 or per_host < 1 or timeout <= 0:
            raise ValueError("concurrency and per_host must be at least 1, timeout above 0")
        self.concurrency = concurrency
        self.per_host = per_host
        self.timeout = timeout
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self.retry_cap = min(RETRY_CAP, 2 * timeout)
        self._global: asyncio.Semaphore | None = None
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._paused_until: dict[str, float] = {}

    def run(self, urls: Iterable[str], on_done: Callable[[Result], None] | None = None) -> dict[str, Result]:
        return asyncio.run(self.check_all(urls, on_done))

    async def check_all(
        self, urls: Iterable[str], on_done: Callable[[Result], None] | None = None
    ) -> dict[str, Result]:
        _skip_missing_sniffio()
        unique = list(dict.fromkeys(urls))
        self._global = asyncio.Semaphore(self.concurrency)
        self._hosts = {}
        self._paused_until = {}
        # The semaphores already bound the connections in use. A pool limit on
        # top would make hosts evict each other's idle connections, and every
        # request would pay for a new one.
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=max(64, self.concurrency))
        headers = {
            "User-Agent": self.user_agent,
            "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
            "Accept-Encoding": ACCEPT_ENCODING,
        }
        async with httpx.AsyncClient(
            headers=headers, limits=limits, timeout=httpx.Timeout(self.timeout), follow_redirects=False
        ) as client:

            async def one(url: str) -> Result:
                result = await self.check(client, url)
                if on_done is not None:
                    on_done(result)
                return result

            results = await asyncio.gather(*(one(url) for url in unique))
        return {r.url: r for r in results}

    async def check(self, client: httpx.AsyncClient, url: str) -> Result:
        try:
            return await self._check(client, url)
        except Exception as exc:  # one address's surprise must not stop the others or show a traceback
            failure = _plain_reason(exc, self.timeout)
            return Result(url, failure.outcome, final_url=url, error=failure.reason)

    async def _check(self, client: httpx.AsyncClient, url: str) -> Result:
        current = url
        seen = [url.split("#", 1)[0]]
        retried = False
        budget = _Budget(self.timeout)
        start_kinds: set[str] | None = None
        while True:
            try:
                why_not = unusable(current)
                if why_not:
                    raise _Failure("error", why_not)
                answer = await self._probe(client, current, budget)
            except _Failure as failure:
                reason = failure.reason if current == url else f"after a redirect to {current}: {failure.reason}"
                return Result(url, failure.outcome, final_url=current, error=reason)

            location = answer.headers.get("location")
            if answer.status in _REDIRECTS and location:
                try:
                    target = httpx.URL(current).join(location)
                except (httpx.InvalidURL, ValueError):
                    return Result(
                        url,
                        "broken",
                        answer.status,
                        current,
                        error=f"redirects to {location!r}, which is not a web address",
                    )
                nxt = str(target)
                if "#" in current and not target.fragment:
                    nxt += "#" + current.split("#", 1)[1]  # a redirect keeps the fragment it was given
                if nxt.split("#", 1)[0] in seen:
                    return Result(url, "error", answer.status, nxt, error="the redirects go round in a loop")
                if len(seen) > self.max_redirects:
                    return Result(
                        url, "error", answer.status, nxt, error=f"more than {self.max_redirects} redirects in a row"
                    )
                target_kinds = await _kinds(target.host)
                if target_kinds - {"public"}:
                    if start_kinds is None:
                        start_kinds = await _kinds(httpx.URL(url).host)
                    refusal = redirect_refusal(start_kinds, target_kinds)
                    if refusal:
                        return Result(url, "error", answer.status, nxt, error=f"redirects to {nxt}, but {refusal}")
                seen.append(nxt.split("#", 1)[0])
                current = nxt
                continue

            if (answer.status == 429 or answer.status in _TRANSIENT) and not is_challenge(
                answer.status, answer.headers, answer.body
            ):
                asked = retry_after_seconds(answer.headers.get("retry-after"))
                default = DEFAULT_429_WAIT if answer.status == 429 else DEFAULT_5XX_WAIT
                wait = min(default, self.retry_cap) if asked is None else asked
                if not retried and wait <= self.retry_cap:
                    retried = True
                    if answer.status == 429:
                        # The whole host asked us to slow down, not just this one page.
                        self._pause(host_key(current), wait)
                    else:
                        await asyncio.sleep(wait)
                    continue
                if answer.status == 429:
                    why = (
                        f"the site asked us to wait {wait:g} s, longer than the {self.retry_cap:g} s we wait"
                        if not retried
                        else "the site said too many requests (HTTP 429), twice"
                    )
                    return Result(url, "rate_limited", 429, current, error=why + "; try again later")

            return self._classify(url, current, answer)

    def _classify(self, url: str, final: str, answer: _Answer) -> Result:
        status = answer.status
        phrase = f"HTTP {status}" + (f" {answer.reason}" if answer.reason else "")
        moved = "" if final == url else f" (at {final})"
        if is_challenge(status, answer.headers, answer.body):
            why = "the site showed a bot check (Cloudflare) instead of the page; open it in a browser to check it"
            return Result(url, "blocked", status, final, error=why)
        if status == 999:
            why = f"HTTP 999{moved}: the site turns scripts away (LinkedIn does this); open it in a browser to check it"
            return Result(url, "blocked", status, final, error=why)
        if status == 403:
            why = f"{phrase}{moved} to both HEAD and GET, as walls against scripts do; open it in a browser to check it"
            return Result(url, "blocked", status, final, error=why)
        if status == 401:
            why = f"{phrase}{moved}: the page needs signing in, so a script cannot see it"
            return Result(url, "blocked", status, final, error=why)
        if 200 <= status < 300:
            if final == url:
                return Result(url, "ok", status, final)
            if same_page(url, final):
                return Result(url, "ok", status, final, note=f"redirects to the same page at {final}")
            if sign_in_redirect(url, final):
                return Result(url, "ok", status, final, note="asks visitors to sign in first, then comes back")
            return Result(url, "redirect", status, final, note=f"now at {final}: point the guide there")
        if 300 <= status < 400:
            return Result(url, "broken", status, final, error=f"{phrase}{moved}: a redirect that does not say where to")
        return Result(url, "broken", status, final, error=f"{phrase}{moved}")

    def _pause(self, host: str, seconds: float) -> None:
        until = time.monotonic() + seconds
        self._paused_until[host] = max(until, self._paused_until.get(host, 0.0))

    async def _probe(self, client: httpx.AsyncClient, url: str, budget: _Budget) -> _Answer:
        """HEAD, then GET if the HEAD answer was a failure.

        Servers refuse HEAD (405, 501), bot walls answer it with 403, and some
        frameworks answer 404 to HEAD on pages that exist; GET is what a
        browser sends. Only failing links cost the second request. A 429 is
        not retried with GET: the site asked for fewer requests.
        """
        head = await self._send(client, "HEAD", url, budget)
        if head.status < 400 or head.status == 429:
            return head
        return await self._send(client, "GET", url, budget)

    async def _send(self, client: httpx.AsyncClient, method: str, url: str, budget: _Budget) -> _Answer:
        host = host_key(url)
        per_host = self._hosts.get(host)
        if per_host is None:
            per_host = self._hosts[host] = asyncio.Semaphore(self.per_host)
        assert self._global is not None
        # The host slot first: a task queueing for a busy host must not sit on
        # a global slot that a request to another host could use.
        async with per_host:
            delay = self._paused_until.get(host, 0.0) - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            async with self._global:
                # Waiting for a slot is not the link's fault; time on the network is, hop after hop.
                if budget.left <= 0:
                    raise _Failure("timeout", f"no answer within {self.timeout:g} s, counting every redirect")
                started = time.monotonic()
                try:
                    if _timeout is not None:
                        async with _timeout(budget.left):
                            return await self._exchange(client, method, url)
                    return await asyncio.wait_for(self._exchange(client, method, url), budget.left)
                except Exception as exc:
                    raise _plain_reason(exc, self.timeout) from exc
                finally:
                    budget.spend(time.monotonic() - started)

    async def _exchange(self, client: httpx.AsyncClient, method: str, url: str) -> _Answer:
        async with client.stream(method, url) as response:
            body = b""
            if method == "HEAD":
                # Nothing to read, but reading it is what hands the connection back
                # to the pool; otherwise every request pays for a new connection.
                await response.aread()
            elif response.status_code >= 400:
                # Just enough of an error page to recognise a bot check; never the whole page. Read
                # as sent and inflated here with a bound: httpx would inflate each chunk whole.
                async for chunk in response.aiter_raw():
                    body += chunk
                    if len(body) >= SNIPPET_BYTES:
                        break
                body = bounded_inflate(body, response.headers.get("content-encoding", ""))
            return _Answer(response.status_code, response.reason_phrase, response.headers, body)
