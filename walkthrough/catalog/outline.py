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

    The columns the search, the command palette and `optout-tui list` need
    (`titles`, `keys`, `words`, `facts`) are decoded from the cache the first
    time they are asked for.
    """

    def __init__(
        self,
        ids: list[str],
        names: list[str],
        difficulties: list[str],
        minutes: list[int],
        regions: list[list[str] | None],
        steps: list[int | list[list[str] | None]],
        aliases: list[list[str]],
        titles: list[str] | Callable[[], list[str]],
        keys: list[str] | Callable[[], list[str]],
        words: list[str] | Callable[[], list[str]],
        facts: list[tuple[str, int]] | Callable[[], list[tuple[str, int]]],
    ) -> None:
        self.ids, self.names, self.difficulties, self.minutes = ids, names, difficulties, minutes
        self.regions, self.steps, self.aliases = regions, steps, aliases
        self._lazy: dict[str, object] = {"titles": titles, "keys": keys, "words": words, "facts": facts}

    def __len__(self) -> int:
        return len(self.ids)

    def _column(self, name: str, fallback: Callable[[int], object]) -> list:
        value = self._lazy[name]
        if callable(value):
            try:
                value = value()
            except (msgspec.DecodeError, msgspec.ValidationError):
                value = []
            if len(value) != len(self.ids):  # a damaged cache: searching by name still works
                value = [fallback(i) for i in range(len(self.ids))]
            self._lazy[name] = value
        return value  # type: ignore[return-value]

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

    def outline(self, i: int) -> Outline:
        return Outline(
            self.names[i],
            self.titles[i],
            self.aliases[i],
            self.difficulties[i],  # type: ignore[arg-type]
            self.minutes[i],
            self.regions[i],
            self.steps[i],
            self.keys[i],
            self.words[i],
            tuple(self.facts[i]),  # type: ignore[arg-type]
        )

    @classmethod
    def of(cls, outlines: list[tuple[str, Outline]]) -> Rows:
        """Rows from outlines, in the order given."""
        return cls(
            [gid for gid, _ in outlines],
            [o.name for _, o in outlines],
            [o.difficulty for _, o in outlines],
            [o.minutes for _, o in outlines],
            [o.regions for _, o in outlines],
            [o.steps for _, o in outlines],
            [o.aliases for _, o in outlines],
            [o.title for _, o in outlines],
            [o.keys for _, o in outlines],
            [o.words for _, o in outlines],
            [o.facts for _, o in outlines],
        )
