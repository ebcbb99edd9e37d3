"""Addresses the update command uses, read without the network library (the app's palette says them)."""

from __future__ import annotations

from urllib.parse import urlsplit


def host_of(url: str) -> str:
    """The host (and port) an address contacts, as said to people; the address itself if it has none."""
    try:
        parts = urlsplit(url)
        return parts.netloc.rpartition("@")[2] or url
    except ValueError:
        return url
