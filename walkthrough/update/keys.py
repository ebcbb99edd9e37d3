"""The public keys a guide release must be signed with: the only keys optout-tui trusts.

Two slots, so the key can be changed without leaving anyone behind (see
MAINTAINING.md, "Rotating the key"): releases are signed with CURRENT; NEXT is
the key that will take over, shipped in an app release before it signs anything.

Each is a minisign public key line (the second line of a `.pub` file), or None.
Both are None until a maintainer follows MAINTAINING.md ("Making the signing
key"): until then `optout-tui update` refuses every release, because it has
nothing to check one against.

There is deliberately no other way to add a key: no environment variable,
option, file in the data folder, or field in a download. Whoever can make a
user set a variable or run a command (the operator of a mirror, a page telling
people how to use it) could otherwise make the app trust a key of theirs. A
key is trusted only if it is written here, in the installed package.
"""

from __future__ import annotations

import base64
import binascii

CURRENT: str | None = None
NEXT: str | None = None


def trusted_lines() -> list[str]:
    """The key lines that are set, current first."""
    return [line for line in (CURRENT, NEXT) if line]


def trusted_ids() -> set[str]:
    """The ids (hex) of the trusted keys, read without the signature library, for the check at start-up."""
    ids = set()
    for line in trusted_lines():
        try:
            raw = base64.b64decode(line, validate=True)
        except (binascii.Error, ValueError):
            continue
        if len(raw) == 42:
            ids.add(raw[2:10].hex())
    return ids
