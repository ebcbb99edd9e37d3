"""What the list of guides needs to know about each guide, without the whole guide.

`Rows` holds it column by column for every guide the user can see: ids, names,
difficulties, times, regions, and the folded text a search compares. The
guide cache stores the columns as they are (walkthrough.catalog.cache), so a
warm start reads a few hundred bytes per guide into a handful of lists, and
makes no Python object per guide. A whole guide is decoded (and checked again)
only when it is opened.

Search text is folded once, when the guide is read: lower case, accents
removed, so "zoe" finds "Zoë" and a key typed costs one substring test per guide.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import msgspec

from walkthrough.content.model import Difficulty, Guide

_WORD = re.compile(r"\w+")


class Outline(msgspec.Struct, frozen=True, gc=False):
    """One guide's row, made from a checked guide by `outline_of`."""

    name: str
    title: str
    aliases: list[str]
    difficulty: Difficulty
    minutes: int
    regions: list[str] | None
    steps: int | list[list[str] | None]  # how many steps, when none has regions of its own; else each one's
    keys: str  # the name, then the id, then each other name, folded, one per line: what a search matches first
    words: str  # every word of the name, other names and summary, folded, each after a space
    facts: tuple[str, int] = ("", 0)  # last_verified (YYYY-MM-DD) and recheck_days, for `optout-tui list`


def fold(text: str) -> str:
    """`text` the way search compares it: lower case, without accents."""
    text = text.casefold()
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def outline_of(guide_id: str, guide: Guide) -> Outline:
    keys = "\n".join(fold(k).replace("\n", " ") for k in (guide.name, guide_id, *guide.aliases))
    words = " ".join(_WORD.findall(fold(" ".join((guide.name, guide_id.replace("-", " "), *guide.aliases)))))
    words += " " + " ".join(_WORD.findall(fold(guide.summary)))
    step_regions = [step.regions for step in guide.steps]
    return Outline(
        name=guide.name,
        title=guide.title,
        aliases=list(guide.aliases),
        difficulty=guide.difficulty,
        minutes=guide.minutes,
        regions=guide.regions,
        steps=len(step_regions) if not any(step_regions) else step_regions,
        keys=keys,
        words=" " + words,
        facts=(guide.last_verified.isoformat(), guide.recheck_days),
    )


def step_regions(steps: int | list[list[str] | None]) -> list[list[str] | None]:
    """Each step's regions, from an outline's `steps`."""
    return [None] * steps if isinstance(steps, int) else steps


class Rows:
    """Every guide ready to show, column by column: row i of each list is one guide.

    The columns every start needs are plain lists. The rest (the files' paths,
    other names, titles, search text and `list`'s facts) come from `more`, a
    dict of columns or a function that reads them from the cache the first
    time one is asked for (the first search, the palette, opening a guide).
    A guide's steps are counted in `step_counts`; `step_regions` has each step's
    regions for the few guides with steps for some countries only.
    """

    def __init__(
        self,
        ids: list[str],
        names: list[str],
        difficulties: list[str],
        minutes: list[int],
        regions: list[list[str] | None],
        step_counts: list[int],
        step_regions: dict[int, list[list[str] | None]],
        more: dict[str, list] | Callable[[], dict[str, list]],
    ) -> None:
        self.ids, self.names, self.difficulties, self.minutes = ids, names, difficulties, minutes
        self.regions, self.step_counts, self.step_regions = regions, step_counts, step_regions
        self._more = more

    def __len__(self) -> int:
        return len(self.ids)

    def _column(self, name: str, fallback: Callable[[int], object]) -> list:
        if callable(self._more):
            try:
                self._more = self._more()
            except (OSError, ValueError, msgspec.DecodeError, msgspec.ValidationError):
                self._more = {}
        value = self._more.get(name)
        if value is None or len(value) != len(self.ids):  # a damaged cache: the list still works
            value = self._more[name] = [fallback(i) for i in range(len(self.ids))]
        return value

    @property
    def paths(self) -> list[str]:
        """The file each guide comes from ("" where the cache could not say)."""
        return self._column("paths", lambda i: "")

    @property
    def aliases(self) -> list[list[str]]:
        return self._column("aliases", lambda i: [])

    @property
    def titles(self) -> list[str]:
        return self._column("titles", lambda i: self.names[i])

    @property
    def keys(self) -> list[str]:
        return self._column("keys", lambda i: fold(self.names[i]) + "\n" + self.ids[i])

    @property
    def words(self) -> list[str]:
        return self._column("words", lambda i: "")

    @property
    def facts(self) -> list[tuple[str, int]]:
        """(last_verified, recheck_days) of each guide: what `optout-tui list` prints besides the rest."""
        return self._column("facts", lambda i: ("", 0))

    def steps(self, i: int) -> int | list[list[str] | None]:
        """Guide i's steps as Outline.steps has them."""
        return self.step_regions.get(i, self.step_counts[i])

    def outline(self, i: int) -> Outline:
        return Outline(
            self.names[i],
            self.titles[i],
            self.aliases[i],
            self.difficulties[i],  # type: ignore[arg-type]
            self.minutes[i],
            self.regions[i],
            self.steps(i),
            self.keys[i],
            self.words[i],
            tuple(self.facts[i]),  # type: ignore[arg-type]
        )

    @classmethod
    def of(cls, outlines: list[tuple[str, Outline]], paths: list[str] | None = None) -> Rows:
        """Rows from outlines, in the order given (and the paths of their files, when known)."""
        steps = [o.steps for _, o in outlines]
        return cls(
            [gid for gid, _ in outlines],
            [o.name for _, o in outlines],
            [o.difficulty for _, o in outlines],
            [o.minutes for _, o in outlines],
            [o.regions for _, o in outlines],
            [s if isinstance(s, int) else len(s) for s in steps],
            {i: s for i, s in enumerate(steps) if not isinstance(s, int)},
            {
                "paths": paths if paths is not None else [""] * len(outlines),
                "aliases": [o.aliases for _, o in outlines],
                "titles": [o.title for _, o in outlines],
                "keys": [o.keys for _, o in outlines],
                "words": [o.words for _, o in outlines],
                "facts": [o.facts for _, o in outlines],
            },
        )
