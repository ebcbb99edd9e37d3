"""Names that look alike: two guides called "LinkedIn", or one whose "і" is Cyrillic.

A guide from another folder could borrow a trusted platform's name, or one
that only looks like it, so the user picks it by mistake. These are warnings:
the loader says so, the user decides.
"""

from __future__ import annotations

import re
import unicodedata

# Letters from other scripts that are drawn like a Latin letter (the common ones in
# Unicode's confusables list). Enough to catch a borrowed name; not a full skeleton.
_LOOKS_LATIN = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "з": "3", "і": "i", "ї": "i", "ј": "j", "к": "k", "л": "n",
        "м": "m", "н": "h", "о": "o", "п": "n", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s",
        "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ь": "b",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
        "υ": "u", "χ": "x", "γ": "y", "ω": "w",
        # Latin letters and digits that pass for others
        "ı": "i", "ł": "l", "0": "o", "1": "l", "|": "l",
    }
)  # fmt: skip


_ASCII_LOOKS = str.maketrans({"0": "o", "1": "l", "|": "l"})
_NOT_ASCII_ALNUM = re.compile("[^a-z0-9]+")


def skeleton(name: str) -> str:
    """What a name looks like: letters folded to Latin look-alikes, case, accents, spaces and marks removed."""
    if name.isascii():  # nearly every name: the short way (the app runs this on every guide at start)
        text = name.lower().translate(_ASCII_LOOKS)
        return _NOT_ASCII_ALNUM.sub("", text).replace("rn", "m").replace("vv", "w")
    text = unicodedata.normalize("NFKD", name).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(_LOOKS_LATIN)
    text = "".join(c for c in text if c.isalnum())
    return text.replace("rn", "m").replace("vv", "w")


def scripts(name: str) -> set[str]:
    """The writing systems of a name's letters (LATIN, CYRILLIC, GREEK, ...)."""
    found = set()
    for char in name:
        if char.isalpha():
            try:
                found.add(unicodedata.name(char).split()[0])
            except ValueError:
                continue
    return found


def mixed_scripts(name: str) -> bool:
    """Latin letters mixed with Cyrillic or Greek ones, as in a look-alike name."""
    if name.isascii():
        return False
    found = scripts(name)
    return len(found) > 1 and bool(found & {"CYRILLIC", "GREEK"})
