"""A loaded guide and the file it came from.

Kept apart from the loader so that code which only reads guides (the app, the
status rules, the cache) does not import the YAML parser and the linter.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from walkthrough.content.model import Guide


@dataclass(frozen=True)
class Origin:
    """Where a guide or shared letter came from, when not with optout-tui itself."""

    folder: Path  # the other folder (--guides-dir or OPTOUT_TUI_GUIDES)
    replaces: Path | None = None  # the file that came with optout-tui, which this one replaces


@dataclass(frozen=True)
class LoadedGuide:
    id: str
    path: Path
    guide: Guide
    origin: Origin | None = None  # None: it came with optout-tui (or only other folders were loaded)


def origin_note(loaded: LoadedGuide, letters: dict[str, Origin] | None = None) -> str | None:
    """One plain sentence (or two) saying that a guide, or a letter it uses, comes from another folder."""
    notes = []
    if loaded.origin is not None:
        notes.append(
            f"This guide comes from another folder, {loaded.origin.folder}, not from optout-tui"
            + (", and replaces the guide of the same name that came with it." if loaded.origin.replaces else ".")
        )
    used = dict.fromkeys(s.template.use for s in loaded.guide.steps if s.template and s.template.use)
    for name in used:
        letter = (letters or {}).get(name or "")
        if letter is not None:
            notes.append(
                f"The letter `{name}` it uses comes from another folder, {letter.folder}"
                + (", and replaces the letter that came with optout-tui." if letter.replaces else ".")
            )
    return " ".join(notes) or None


def guide_id(path: Path) -> str:
    return path.name.removesuffix(".yaml").removesuffix(".yml")
