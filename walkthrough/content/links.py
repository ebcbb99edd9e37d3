"""The one rule for every web address a guide shows, and the hosts no guide may cite.

A guide's links (a step's `link`, and every address written in its text:
Markdown links and images, `<https://...>`, HTML `href`/`src`, bare
addresses) must be https and on a host the guide declares in `domains`. The
rule is checked when a guide loads (`validate` names the file, line and
column), again before the app opens any link, and `check-links` collects the
same addresses, so a pull request cannot slip a look-alike host (linkedln.com,
linkedin.com.evil.io, a Cyrillic "і") past review anywhere in a guide.

Sources are the one exception: they may point to the press, but must be https
and not on the blocked list (blocked_sources.txt beside this module).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import msgspec

from walkthrough.content.model import Guide, SharedTemplate
from walkthrough.safe_text import visible

# One DNS label after another, ending in a TLD; \Z, not $, so "host\n" does not pass.
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\Z")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# Characters a web address never holds unencoded (RFC 3986). Brackets and braces
# would also let an address be read as Textual markup wherever it is shown.
_NOT_IN_URL = re.compile(r"[\[\]{}|\\^<>\"`]")
# Another address carried inside this one (a redirect through the platform to elsewhere).
_INNER_ADDRESS = re.compile(r"(?:[a-z][a-z0-9+.-]*:|%3a)(?://|%2f%2f)", re.IGNORECASE)
# Shared hosting and second-level suffixes: under one of these, anyone can have a site,
# so none of them says which platform a link belongs to. (A blog platform's own domain,
# such as medium.com, stays allowed: its guide has to link there.)
_SHARED_SUFFIXES = frozenset(
    """
    github.io gitlab.io appspot.com herokuapp.com netlify.app vercel.app
    pages.dev workers.dev web.app firebaseapp.com azurewebsites.net cloudfront.net amazonaws.com
    s3.amazonaws.com glitch.me onrender.com fly.dev repl.co ngrok.io ngrok-free.app trycloudflare.com
    duckdns.org no-ip.org wixsite.com weebly.com carrd.co
    """.split()
)
_SECOND_LEVEL = frozenset("co com net org gov edu ac or ne go mil nom sch ltd plc".split())

# Where an address can hide in Markdown or HTML text. Each pattern's group 1 is the address.
_IN_TEXT = [
    re.compile(r"\]\(\s*<([^>]*)>"),  # [label](<address>)
    re.compile(r"\]\(\s*([^)\s]+)"),  # [label](address) and ![image](address)
    re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)", re.MULTILINE),  # [ref]: address
    re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>"),  # <scheme:address>
    re.compile(r"""(?:href|src|action|formaction|data)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE),  # HTML
    re.compile(r"(?<![\w/(<\]=\"'])((?:[a-zA-Z][a-zA-Z0-9+.-]{1,31}://|www\.)[^\s<>()\[\]\"'`]+)"),  # bare
]
_TRAILING = ".,;:!?*_~'\""

UrlKind = Literal["link", "text", "letter", "source"]


def valid_domain(domain: str) -> bool:
    return bool(_HOST.match(domain))


def domain_problem(domain: str) -> str | None:
    """Why `domain` cannot be one of a guide's `domains`, or None if it can."""
    shown = visible(domain)
    if not _HOST.match(domain):
        return (
            f"`{shown}` is not a plain host name. Write just the host, such as `linkedin.com`, "
            "without https:// or a path."
        )
    labels = domain.split(".")
    if any(label.startswith("xn--") for label in labels):
        return (
            f"`{shown}` is an internationalised name written in punycode (xn--), which can imitate another "
            "name letter for letter. Declare the platform's usual ASCII domain."
        )
    if domain in _SHARED_SUFFIXES or (len(labels) == 2 and labels[0] in _SECOND_LEVEL and len(labels[1]) == 2):
        return (
            f"`{shown}` is shared by many unrelated sites (anyone can have an address under it), so it cannot "
            "say which platform a link belongs to. Declare the platform's own domain."
        )
    return None


def link_problem(url: str, domains: list[str]) -> str | None:
    """Why `url` may not be shown or opened for a guide with these `domains`, or None if it may."""
    shown = visible(url)
    if not url.startswith("https://"):
        return f"The link `{shown}` must start with https://."
    if _SPACE_OR_CONTROL.search(url):
        return f"The link `{shown}` has a space, a line break or an invisible character in it."
    if _NOT_IN_URL.search(url):
        bad = _NOT_IN_URL.search(url).group()  # type: ignore[union-attr]
        return f"The link `{shown}` has a `{bad}`, which a web address cannot hold. Percent-encode it or remove it."
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return f"The link `{shown}` is not a valid web address."
    if "@" in parts.netloc:
        return f"The link `{shown}` hides its real host behind an @ sign."
    if port not in (None, 443):
        return f"The link `{shown}` uses port {port}; use the normal https address."
    host = (parts.hostname or "").rstrip(".")
    if not host.isascii():
        return f"The link `{shown}` has letters in its host that only look like the usual ones."
    if not _HOST.match(host):
        return f"The link `{shown}` has no valid host name."
    if not any(host == d or host.endswith("." + d) for d in domains):
        listed = ", ".join(visible(d) for d in domains)
        return f"The link goes to `{host}`, which is not one of this guide's domains ({listed})."
    if _INNER_ADDRESS.search(url, len(parts.scheme) + 3):
        return (
            f"The link `{shown}` carries another web address inside it, so it may lead somewhere else. "
            "Link to the page itself."
        )
    return None


def has_space_or_control(url: str) -> bool:
    """Whether `url` holds whitespace or an invisible character (rule E215)."""
    return _SPACE_OR_CONTROL.search(url) is not None


def urls_in_text(text: str) -> list[str]:
    """Every address in Markdown or HTML text, in order, each once."""
    found: dict[str, None] = {}
    spans: list[tuple[int, int]] = []
    for pattern in _IN_TEXT:
        for match in pattern.finditer(text):
            start, end = match.span(1)
            if any(s <= start < e for s, e in spans):
                continue  # already found as part of a Markdown link
            url = match.group(1)
            if pattern is _IN_TEXT[-1]:
                url = url.rstrip(_TRAILING)
            spans.append((start, end))
            if url and not url.startswith("#"):  # a jump within the page opens nothing
                found[url] = None
    return list(found)


@dataclass(frozen=True)
class ShownUrl:
    """An address a guide shows, and where in the guide it is."""

    url: str
    kind: UrlKind  # link: a step's link; text: written in a text field; letter: in a shared letter; source
    path: tuple[str | int, ...]  # where in the guide, e.g. ("steps", 2, "body")

    @property
    def step_index(self) -> int | None:
        return self.path[1] if len(self.path) > 1 and self.path[0] == "steps" else None  # type: ignore[return-value]


def shown_urls(guide: Guide, shared: dict[str, SharedTemplate] | None = None) -> Iterator[ShownUrl]:
    """Every address the guide shows, in any field, with where it is.

    A step's letter that uses a shared template is read too: its address must
    be on the domains of every guide that uses it.
    """
    yield from _walk(msgspec.to_builtins(guide), ())
    for i, step in enumerate(guide.steps):
        base = shared.get(step.template.use) if shared and step.template and step.template.use else None
        if base is not None:
            for field_name in ("text", "subject", "description"):
                for url in urls_in_text(getattr(base, field_name) or ""):
                    yield ShownUrl(url, "letter", ("steps", i, "template", "use"))


def _walk(node: object, path: tuple[str | int, ...]) -> Iterator[ShownUrl]:
    for where, text in _strings(node, path):
        if where[-2:-1] == ("link",) and where[-1] == "url":
            yield ShownUrl(text, "link", where)
        elif where[-1:] == ("url",) and "sources" in where:
            yield ShownUrl(text, "source", where)
        elif where[:1] != ("domains",):
            for url in urls_in_text(text):
                yield ShownUrl(url, "text", where)


# A host name written as words in the text, with no https:// (people type what they read): labels, then
# a common top-level domain. Kept to common endings so "robots.txt" or "Node.js" are not taken for hosts.
_TLDS = (
    "com|org|net|io|ai|co|app|dev|uk|de|fr|eu|ch|br|gov|edu|me|tv|info|blog|news|us|ca|au|in|it|es|nl|be|at"
    "|se|no|dk|fi|ie|pl|pt|jp|kr|cn|ru|xyz|online|site|social|so|ly|gg|fm|to|am"
)
_BARE_HOST = re.compile(rf"(?<![\w@/.-])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS}))(?![\w-])", re.IGNORECASE)
# Names reserved for examples (RFC 2606): a guide may write "example.com/robots.txt" as an example.
_EXAMPLE_HOSTS = re.compile(r"(?:^|\.)(?:example\.(?:com|net|org)|[a-z0-9-]+\.(?:example|test|invalid))$")


def hosts_in_text(text: str) -> list[str]:
    """Host names written in prose without https:// ("linkedin.com"), lowercased, each once; examples left out.

    Addresses with a scheme or www. are `urls_in_text`'s; this catches the site a
    reader is told to type, where a look-alike (linkedln.com) would send them astray.
    """
    found: dict[str, None] = {}
    for match in _BARE_HOST.finditer(text):
        host = match.group(1).lower()
        if host.startswith("www.") or _EXAMPLE_HOSTS.search(host):
            continue
        found[host] = None
    return list(found)


def text_fields(guide: Guide) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every piece of prose a guide shows, with where it is (not addresses, domains, aliases or sources)."""
    for path, value in _strings(msgspec.to_builtins(guide), ()):
        if path[:1] in (("domains",), ("aliases",)) or "sources" in path or path[-1:] == ("url",):
            continue
        yield path, value


def _strings(node: object, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, (*path, i))
    elif isinstance(node, str):
        yield path, node


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
    text = Path(__file__).with_name("blocked_sources.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def blocked_source(url: str) -> str | None:
    """The blocked host `url` is on, or None."""
    host = _host(url)
    return next((b for b in blocked_hosts() if host == b or host.endswith("." + b)), None)
