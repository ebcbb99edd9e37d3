"""The link checker against hostile servers (item 12): a real HTTP server on loopback, never the internet.

--timeout bounds the whole check of one link, redirects included; a
compressed error page is never inflated beyond a small cap; a redirect into
this computer or its network is not followed unless the address given was
itself such an address.
"""

from __future__ import annotations

import ipaddress
import time
import tracemalloc
from urllib.parse import quote

import pytest
from linkcheck_server import LocalServer

from walkthrough.linkcheck.checker import (
    SNIPPET_BYTES,
    Checker,
    address_kind,
    bounded_inflate,
    redirect_refusal,
)


@pytest.fixture
def server():
    with LocalServer() as srv:
        yield srv


@pytest.mark.parametrize(("hops", "each", "timeout"), [(10, 0.4, 1.5), (6, 0.5, 1.0), (3, 0.9, 2.0)])
def test_the_timeout_bounds_every_redirect_together(server, hops, each, timeout):
    # Each hop answers within the timeout; all of them together do not.
    url = server.url(f"/slow-chain?n={hops}&s={each}")
    started = time.monotonic()
    result = Checker(timeout=timeout).run([url])[url]
    took = time.monotonic() - started
    assert result.outcome == "timeout", result
    assert took < timeout + 1.0, f"{took:.1f} s for --timeout {timeout}"


def test_a_chain_that_fits_the_timeout_still_passes(server):
    url = server.url("/slow-chain?n=3&s=0.05")
    result = Checker(timeout=5).run([url])[url]
    assert result.outcome in ("ok", "redirect")


def test_a_gzip_bomb_on_an_error_page_is_never_inflated(server):
    url = server.url("/bomb")
    server_body = __import__("linkcheck_server").gzip_bomb()  # built before measuring: the server's, not ours
    assert len(server_body) > 100_000
    tracemalloc.start()
    try:
        results = Checker(timeout=10, concurrency=4).run([url, url + "?2", url + "?3", url + "?4"])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert {r.outcome for r in results.values()} == {"broken"}
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB while checking four bombs"


def test_a_compressed_bot_check_is_still_recognised(server):
    url = server.url("/gzip-challenge")
    result = Checker(timeout=5).run([url])[url]
    assert result.outcome == "blocked", result


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "x-gzip", "br", "zstd", "gzip, gzip", "identity", ""])
def test_inflating_is_bounded_for_every_encoding(encoding):
    import gzip
    import zlib

    big = b"\0" * (20 * 1024 * 1024)
    body = {"gzip": gzip.compress(big), "x-gzip": gzip.compress(big), "deflate": zlib.compress(big)}.get(
        encoding, big[:100_000]
    )
    assert len(bounded_inflate(body, encoding)) <= SNIPPET_BYTES


INSIDE = {
    "cloud metadata": "http://169.254.169.254/latest/meta-data/",
    "private network": "http://10.255.255.1/admin",
    "router": "http://192.168.0.1/",
    "carrier-grade NAT": "http://100.64.0.1/",
    "link-local IPv6": "http://[fe80::1]/",
    "metadata as IPv4-mapped IPv6": "http://[::ffff:169.254.169.254]/",
    "unspecified": "http://0.0.0.0/",
}


@pytest.mark.parametrize("variant", sorted(INSIDE))
def test_a_redirect_into_the_network_is_not_followed(server, variant):
    target = INSIDE[variant]
    url = server.url("/to?u=" + quote(target, safe=""))
    started = time.monotonic()
    result = Checker(timeout=5).run([url])[url]
    # Not followed: no connection was tried (10.255.255.1 would take the whole timeout).
    assert time.monotonic() - started < 2.5
    assert result.outcome == "error" and "not followed" in result.error, result
    assert result.final_url is not None and result.final_url.startswith(target.split("/latest")[0].rstrip("/"))


def test_a_redirect_within_this_computer_is_followed_when_the_address_given_was_on_it(server):
    with LocalServer("127.0.0.2") as other:
        url = server.url("/to?u=" + quote(other.url("/ok"), safe=""))
        assert Checker(timeout=5).run([url])[url].outcome == "redirect"
        url = server.url("/to?u=" + quote(f"http://localhost:{server.server_address[1]}/ok", safe=""))
        assert Checker(timeout=5).run([url])[url].outcome in ("ok", "redirect")


@pytest.mark.parametrize(
    ("start", "target", "refused"),
    [
        ({"public"}, {"loopback"}, True),
        ({"public"}, {"private"}, True),
        ({"public"}, {"public", "link-local"}, True),
        ({"public"}, {"public"}, False),
        ({"loopback"}, {"loopback"}, False),
        ({"loopback"}, {"link-local"}, True),
        ({"private"}, {"private", "public"}, False),
        (set(), {"loopback"}, True),
    ],
)
def test_which_redirects_are_refused(start, target, refused):
    assert (redirect_refusal(start, target) is not None) is refused


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("::ffff:127.0.0.1", "loopback"),
        ("93.184.216.34", "public"),
        ("2606:4700::1", "public"),
    ],
)
def test_address_kinds(address, kind):
    assert address_kind(ipaddress.ip_address(address)) == kind
