"""Finding a guide from what a person typed: `LinkedIn`, `facebook`, `stack overflow`.

Ids are lowercase (`linkedin`), but people type names as they know them. A
guide is found by its id in any case, by its name, or by one of its `aliases`
(Facebook and Instagram find Meta, Twitter finds X), compared without case,
accents, spaces or punctuation. An id always wins over another guide's alias.
When nothing matches, `suggestions` offers the closest ids and aliases.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from walkthrough.content.guidefile import LoadedGuide
from walkthrough.safe_text import visible


def squash(text: str) -> str:
    """What is compared: no accents, no case, only letters and digits ("Stack Overflow" -> "stackoverflow")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


def _short_name(name: str) -> str:
    # "Meta (Facebook and Instagram)" is known as Meta.
    return re.sub(r"\s*\(.*\)\s*$", "", name)


def _names(guides: Mapping[str, LoadedGuide]) -> list[tuple[str, str, list[str]]]:
    """(id, name, aliases) of every guide. The catalogue's guides answer from its rows, so a
    name typed on the command line is looked up without decoding a thousand guides."""
    rows = getattr(guides, "rows", None)
    if rows is None:
        return [(gid, g.guide.name, list(g.guide.aliases)) for gid, g in guides.items()]
    table = rows()
    out = list(zip(table.ids, table.names, table.aliases, strict=True))
    listed = set(table.ids)
    return out + [(gid, gid, []) for gid in guides if gid not in listed]  # still to be read: known by id


def _keys(gid: str, name: str, aliases: list[str]) -> list[tuple[str, str]]:
    """(squashed key, the words it came from) for a guide's id, name and aliases."""
    words = [gid, name, _short_name(name), *aliases]
    return [(squash(w), w) for w in words if squash(w)]


@dataclass
class Lookup:
    """The guide that was meant, or the guides it could have been."""

    found: LoadedGuide | None = None
    ambiguous: list[tuple[str, str]] = field(default_factory=list)  # (guide id, the name that matched)


def find(guides: Mapping[str, LoadedGuide], wanted: str) -> Lookup:
    text = wanted.strip()
    if text in guides:
        return Lookup(guides[text])
    by_id = {gid.lower(): gid for gid in guides}
    if text.lower() in by_id:
        return Lookup(guides[by_id[text.lower()]])
    key = squash(text)
    if not key:
        return Lookup()
    # An id squashed ("github copilot" -> githubcopilot) before any name or alias.
    ids = [gid for gid in guides if squash(gid) == key]
    if len(ids) == 1:
        return Lookup(guides[ids[0]])
    hits: dict[str, str] = {}
    for gid, name, aliases in _names(guides):
        for k, words in _keys(gid, name, aliases):
            if k == key:
                hits.setdefault(gid, words)
    if len(hits) == 1:
        return Lookup(guides[next(iter(hits))])
    return Lookup(None, sorted(hits.items()))


def suggestions(guides: Mapping[str, LoadedGuide], wanted: str, n: int = 3) -> list[tuple[str, str]]:
    """Close guesses for a name that matched nothing: (guide id, the id or alias it is close to)."""
    import difflib  # only when a name matched nothing

    key = squash(wanted)
    if not key:
        return []
    keys: dict[str, list[tuple[str, str]]] = {}
    for gid, name, aliases in sorted(_names(guides)):
        for k, words in _keys(gid, name, aliases):
            keys.setdefault(k, []).append((gid, words))
    # A name that starts with what was typed ("insta") is as good a guess as a misspelling.
    starts = [k for k in keys if len(key) >= 3 and k.startswith(key)]
    close = difflib.get_close_matches(key, list(keys), n=n * 2, cutoff=0.6)
    out: dict[str, str] = {}
    for k in starts + close:
        for gid, words in keys[k]:
            out.setdefault(gid, words)
    return list(out.items())[:n]


def describe(choices: list[tuple[str, str]]) -> str:
    """ "meta (Facebook), x" for a list of (id, matched words): the alias is shown when it is not the id."""
    parts = []
    for gid, words in choices:
        parts.append(gid if squash(words) == squash(gid) else f"{gid} ({words})")
    return ", ".join(parts)


def not_found_words(guides: Mapping[str, LoadedGuide], wanted: str) -> str:
    """One line for a name that found no single guide, with what it could have meant."""
    result = find(guides, wanted)
    shown = visible(wanted)
    if result.ambiguous:
        return f"'{shown}' could be more than one guide: {describe(result.ambiguous)}. Type the id of the one you mean."
    close = suggestions(guides, wanted)
    hint = f" Did you mean: {describe(close)}?" if close else ""
    return f"There is no guide called '{shown}'.{hint} Run `optout-tui list` to see them all."
