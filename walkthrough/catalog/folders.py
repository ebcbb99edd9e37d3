"""Which files in a folder are guides, and which are shared letters."""

from __future__ import annotations

import os
from pathlib import Path

GUIDE_SUFFIXES = (".yaml", ".yml")


def guide_files(folder: Path) -> list[Path]:
    # scandir knows from the directory listing which entries are files, so a
    # thousand guides cost no extra stat calls here (start-up reads this folder).
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(GUIDE_SUFFIXES) and e.is_file())
    except OSError:
        return []
    return [folder / name for name in names]


def template_files(folder: Path) -> list[Path]:
    """The shared letters of a guide folder: its templates/ subfolder."""
    return guide_files(folder / "templates")
