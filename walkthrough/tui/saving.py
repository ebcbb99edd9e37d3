"""Saving a letter or an address to a file the user can find, that only they can read.

The letter holds their name, email and reasons, so the file is created with
owner-only permissions (and its folder too, when we make it), and an existing
file is never replaced: a second save of the same letter gets a new name.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path


def file_stem(*parts: str) -> str:
    """A safe, readable file name from ids and words: "linkedin-objection-form"."""
    words = "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts if p)
    return re.sub(r"-{2,}", "-", words).strip("-")[:80] or "optout-tui"


def save_private(folder: Path, stem: str, text: str, today: datetime.date) -> Path:
    """Write `text` to folder/stem-YYYY-MM-DD.txt (or -2, -3...), mode 0600. Raises OSError."""
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    base = f"{stem}-{today.isoformat()}"
    for n in range(1, 1000):
        path = folder / (f"{base}.txt" if n == 1 else f"{base}-{n}.txt")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text if text.endswith("\n") else text + "\n")
        return path
    raise FileExistsError(f"too many files called {base} in {folder}")
