"""A loaded guide and the file it came from.

Kept apart from the loader so that code which only reads guides (the app, the
status rules, the cache) does not import the YAML parser and the linter.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from walkthrough.content.model import Guide


@dataclass(frozen=True)
class LoadedGuide:
    id: str
    path: Path
    guide: Guide


def guide_id(path: Path) -> str:
    return path.name.removesuffix(".yaml").removesuffix(".yml")
