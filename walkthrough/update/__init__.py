"""Signed guide releases: fetch, verify, stage, switch (`optout-tui update`) and build them (`release`).

- `keys`: the built-in public keys, the only ones trusted.
- `minisign`: Ed25519 signatures in minisign's format (the only user of `cryptography`).
- `manifest`: the signed list of a release (format, serial, date, minimum app version, hashes).
- `archive`: the deterministic .tar.gz, and reading one in memory with every entry checked.
- `fetch`: downloads with caps and plain errors (the only user of httpx here).
- `sets`: the sets on disk and the pointer that picks one (read at every start: nothing heavy).
- `changes`: what a new set changes for this user, in plain words.
- `install`: the order of checks, and installing or reverting.
- `release`: the maintainer's side: make a key pair, build and sign a release.

Only `optout-tui update` (and the release script) import the modules that load
httpx or the signature library; `sets` is read by `walkthrough.catalog.sources`
at start-up. Never imports Textual.
"""
