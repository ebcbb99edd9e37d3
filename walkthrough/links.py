"""The one rule for where a guide's links may point.

Checked when a guide loads and again just before the app opens a link, so a
pull request cannot slip a look-alike host (linkedln.com, linkedin.com.evil.io,
a Cyrillic "і") past review.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import urlsplit

_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def valid_domain(domain: str) -> bool:
    return bool(_HOST.match(domain))


def link_problem(url: str, domains: list[str]) -> str | None:
    """Why `url` may not be opened for a guide with these `domains`, or None if it may."""
    if not url.startswith("https://"):
        return f"The link `{url}` must start with https://."
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return f"The link `{url}` is not a valid web address."
    if "@" in parts.netloc:
        return f"The link `{url}` hides its real host behind an @ sign."
    if port not in (None, 443):
        return f"The link `{url}` uses port {port}; use the normal https address."
    host = (parts.hostname or "").rstrip(".")
    if not host.isascii():
        return f"The link `{url}` has letters in its host that only look like the usual ones."
    if not _HOST.match(host):
        return f"The link `{url}` has no valid host name."
    if not any(host == d or host.endswith("." + d) for d in domains):
        listed = ", ".join(domains)
        return f"The link goes to `{host}`, which is not one of this guide's domains ({listed})."
    return None


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def on_domains(url: str, domains: list[str]) -> bool:
    """Whether `url` is on one of `domains` or a subdomain of one."""
    host = _host(url)
    return bool(host) and any(host == d or host.endswith("." + d) for d in domains)


@functools.cache
def blocked_hosts() -> frozenset[str]:
    """Hosts no guide may cite as a source, from blocked_sources.txt beside this module."""
    text = (Path(__file__).with_name("blocked_sources.txt")).read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def blocked_source(url: str) -> str | None:
    """The blocked host `url` is on, or None."""
    host = _host(url)
    return next((b for b in blocked_hosts() if host == b or host.endswith("." + b)), None)
