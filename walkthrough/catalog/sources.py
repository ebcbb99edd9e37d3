"""Where the guides come from: the one place that decides which whole set of guides is in use.

In order, later ones winning guide by guide:

1. the base set: the guides bundled with the package, or the set downloaded by
   `optout-tui update` when its serial is newer than the bundled one's (a
   newer app brings newer guides, and then those win);
2. `--guides-dir` folders and `$OPTOUT_TUI_GUIDES` (see `walkthrough.paths`).

The base set is switched whole, never file by file, so a guide and the shared
letters it uses always come from the same release. In a source checkout (a
contributor editing guides/), downloads are ignored, so their edits win.

`set_in_use()` reads two small files (the bundled set's label and the pointer
to the downloaded set), so asking it at start-up costs nothing noticeable. The
words people see about it (which set, how old) are made here too, so `list`,
the home screen and the help screen say the same thing.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Literal

import msgspec

from walkthrough import __version__, paths
from walkthrough.update import keys, sets

SetKind = Literal["bundled", "downloaded", "checkout"]
STALE_AFTER_DAYS = 30  # after this, `list` and the home screen say how old the guides are
UPDATE_COMMAND = "optout-tui update"
_MONTHS = "January February March April May June July August September October November December".split()


class GuideSet(msgspec.Struct, frozen=True):  # a Struct, not a dataclass: cheaper to define at start-up
    kind: SetKind
    folder: Path
    serial: int  # 0: a bundled set without a label (an unreleased checkout)
    date: datetime.date | None  # when the release was made: "Guides checked up to ..."
    note: str | None = None  # something the user should know, such as downloads that could not be read


def set_in_use() -> GuideSet:
    """The base set of guides this process should load."""
    bundled_dir = paths.bundled_guides_dir()
    label = sets.read_bundled_label(bundled_dir)
    if paths.running_from_source():
        return GuideSet("checkout", bundled_dir, label.serial, label.date)
    sets_dir = paths.guide_sets_dir()
    state = sets.read_pointer(sets_dir)
    current = state.pointer.current if state.pointer is not None else None
    note = None
    if current is not None and current.serial > label.serial:
        folder = sets.set_folder(sets_dir, current)
        if current.key not in keys.trusted_ids():
            # The key was withdrawn (MAINTAINING.md, "If the key leaks"): what it signed is not used any more.
            note = (
                "The downloaded guides were signed with a key this optout-tui no longer trusts, so the guides "
                f"that came with it are in use. To get newer ones: {UPDATE_COMMAND}"
            )
        elif folder.is_dir():
            return GuideSet("downloaded", folder, current.serial, current.date)
        else:
            note = "missing"
    if state.damaged or note == "missing":
        note = (
            "The downloaded guides could not be read, so the guides that came with optout-tui are in use. "
            f"To download them again: {UPDATE_COMMAND}"
        )
    return GuideSet("bundled", bundled_dir, label.serial, label.date, note)


def base_folder() -> Path:
    """The folder of the base set: what `walkthrough.catalog.loading` loads before any extra folder."""
    return set_in_use().folder


def date_words(day: datetime.date) -> str:
    """`22 November 2026`: the same in every locale, and never mistaken for 11/22 or 22/11."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def release_words(serial: int, day: datetime.date | None) -> str:
    """`release 45 of 30 November 2026`."""
    return f"release {serial}" + (f" of {date_words(day)}" if day else "")


def describe(guide_set: GuideSet) -> str:
    """One line saying which guides are in use, for `list` and the help screen."""
    if guide_set.kind == "downloaded":
        return f"Guides in use: downloaded {release_words(guide_set.serial, guide_set.date)}."
    if guide_set.kind == "checkout":
        return (
            f"Guides in use: {guide_set.folder}, in a copy of the source code "
            "(downloaded guides are not used here, so your edits win)."
        )
    which = f", {release_words(guide_set.serial, guide_set.date)}" if guide_set.serial else ""
    return f"Guides in use: the ones that came with optout-tui {__version__}{which}."


def freshness(guide_set: GuideSet, today: datetime.date | None = None) -> str | None:
    """The line "Guides checked up to ..." once the set is older than STALE_AFTER_DAYS; None while it is fresh.

    Not said in a source checkout: there the guides are whatever the contributor has.
    """
    if guide_set.kind == "checkout" or guide_set.date is None:
        return None
    today = today or datetime.date.today()
    if (today - guide_set.date).days <= STALE_AFTER_DAYS:
        return None
    return f"Guides checked up to {date_words(guide_set.date)}. To get newer ones: {UPDATE_COMMAND}"
