"""`optout-tui check-links`: does every address in the guides still answer?

- `collect`: every address a guide shows, with the guide and step it is in (no network).
- `checker`: the checker itself; the only module here that imports httpx.
- `report`: outcomes in plain words, as text or JSON.

Never imported at start-up: only the `check-links` command brings it in.
"""
