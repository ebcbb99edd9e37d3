"""How commands print what came from outside: paths and guide text, safe for a terminal."""

from __future__ import annotations

import os
from pathlib import Path

from walkthrough.safe_text import visible


def shown_path(path: Path | str) -> str:
    """A path relative to here when it is below here (shorter, and what CI annotations need), made safe to print."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return visible(path)
    return visible(path if rel.startswith("..") else rel)
