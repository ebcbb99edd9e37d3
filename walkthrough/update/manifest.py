"""The manifest of a guide release: what was published, and the one file that is signed.

    {
      "format": 1,                      what this layout is; a newer one needs a newer app
      "serial": 45,                     only ever grows: an older or equal one is a rollback
      "date": "2026-11-30",             when it was built: "Guides checked up to ..."
      "min_app_version": "0.1.0",       the oldest optout-tui that can read these guides
      "archive": {"name": "guides.tar.gz", "size": 12345, "sha256": "..."},
      "files": {"linkedin.yaml": "<sha256>", "templates/gdpr-objection.yaml": "<sha256>", ...}
    }

The signature covers these bytes exactly, so every field is as trustworthy as
the key that signed it. Nothing here uses the network or a signature library.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Annotated

import msgspec
from msgspec import Meta, Struct

FORMAT = 1
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.json.minisig"
ARCHIVE_NAME = "guides.tar.gz"
MAX_MANIFEST_BYTES = 1024 * 1024  # about 100 bytes a guide: room for thousands

Sha256 = Annotated[str, Meta(pattern=r"^[0-9a-f]{64}$")]


class ArchiveInfo(Struct, forbid_unknown_fields=True, frozen=True):
    name: Annotated[str, Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    size: Annotated[int, Meta(ge=0)]
    sha256: Sha256


class Manifest(Struct, forbid_unknown_fields=True, frozen=True):
    format: int
    serial: Annotated[int, Meta(ge=1, le=2**53)]
    date: datetime.date
    min_app_version: Annotated[str, Meta(max_length=40)]
    archive: ArchiveInfo
    files: dict[str, Sha256]


class _Format(Struct):
    """Only the format number, read first: a newer layout must get "update the app", not "damaged"."""

    format: int


class ManifestError(Exception):
    """The manifest cannot be used; the message says why, in plain words."""


class TooNew(ManifestError):
    """The release needs a newer optout-tui (its format or its minimum app version)."""


def version_tuple(text: str) -> tuple[int, ...] | None:
    """`0.2.1` as (0, 2, 1); a pre-release such as `0.3.0rc1` counts as 0.3.0. None if it is not a version."""
    parts: list[int] = []
    for piece in text.strip().split("."):
        digits = re.match(r"\d+", piece)
        if not digits:
            return None if not parts else tuple(parts)
        parts.append(int(digits.group()))
        if digits.end() != len(piece):
            break
    return tuple(parts) or None


def parse(raw: bytes, app_version: str) -> Manifest:
    """The manifest's fields, checked; raises TooNew or ManifestError with a plain message."""
    if len(raw) > MAX_MANIFEST_BYTES:
        raise ManifestError("Its list of guides (manifest.json) is far larger than any real one.")
    try:
        head = msgspec.json.decode(raw, type=_Format)
    except msgspec.DecodeError:
        raise ManifestError("Its list of guides (manifest.json) is not readable.") from None
    if head.format > FORMAT:
        raise TooNew("These guides are in a newer format than this optout-tui can read.")
    if head.format < 1:
        raise ManifestError("Its list of guides (manifest.json) has an unknown format number.")
    try:
        manifest = msgspec.json.decode(raw, type=Manifest)
    except msgspec.DecodeError as exc:
        raise ManifestError(f"Its list of guides (manifest.json) is not as expected: {exc}.") from None
    needed, have = version_tuple(manifest.min_app_version), version_tuple(app_version)
    if needed is None or have is None or needed > have:
        raise TooNew(f"These guides need optout-tui {manifest.min_app_version} or newer; this is {app_version}.")
    return manifest


def encode(manifest: Manifest) -> bytes:
    """The manifest as published: sorted keys, one field a line, so a release's diff is readable."""
    data = msgspec.to_builtins(manifest)
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=True) + "\n").encode("ascii")
