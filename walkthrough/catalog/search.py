"""Finding guides by what people type: a name, another name the platform goes by, or words from its summary.

Matching works on the catalogue's `keys` and `words` columns (outline.Rows: folded once, when
the guide was read), so each key
typed costs one or two substring tests per guide: about a millisecond for
2,600 guides. Results come best first:

0. the name starts with what was typed ("link" finds LinkedIn);
1. the name, id or another name has a word starting with it ("twit" finds X, also known as Twitter);
2. the name, id or another name holds it anywhere;
3. every word typed starts a word of the name, other names or summary ("chat history").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from walkthrough.catalog.outline import fold

NAME_START, WORD_START, ANYWHERE, SUMMARY_WORDS = range(4)


def prepare(query: str) -> str:
    """The query as outlines are compared with it: folded, spaces squeezed."""
    return " ".join(fold(query).split())


def rank(query: str, keys: str, words: str) -> int | None:
    """How well a prepared `query` matches a guide's keys and words (see outline.Rows), or None if it does not."""
    if query in keys:
        if keys.startswith(query):
            return NAME_START
        if "\n" + query in keys or " " + query in keys or "-" + query in keys:
            return WORD_START
        return ANYWHERE
    if all(" " + word in words for word in query.split()):
        return SUMMARY_WORDS
    return None


def search(query: str, keys: Sequence[str], words: Sequence[str], among: Iterable[int]) -> list[tuple[int, int]]:
    """(rank, position) of each guide at the positions `among` that the prepared `query` matches, in that order.

    `rank` written out here: this loop runs over every guide at each key typed.
    """
    found = []
    parts = [" " + word for word in query.split()]
    line, space, dash = "\n" + query, " " + query, "-" + query
    for position in among:
        k = keys[position]
        if query in k:
            if k.startswith(query):
                found.append((NAME_START, position))
            elif line in k or space in k or dash in k:
                found.append((WORD_START, position))
            else:
                found.append((ANYWHERE, position))
        else:
            w = words[position]
            for part in parts:
                if part not in w:
                    break
            else:
                found.append((SUMMARY_WORDS, position))
    return found


def other_name(query: str, aliases: Sequence[str], keys: str) -> str | None:
    """The other name a search found the guide by, when the query is in neither its name nor its id.

    The list shows it ("Meta (Instagram)"), so people see why a guide came up.
    """
    lines = keys.split("\n")
    if not query or any(query in line for line in lines[:2]):
        return None
    for alias, folded in zip(aliases, lines[2:], strict=False):
        if query in folded:
            return alias
    first = query.split()[0]
    for alias, folded in zip(aliases, lines[2:], strict=False):
        if any(word.startswith(first) for word in folded.split()):
            return alias
    return None
