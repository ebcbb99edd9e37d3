"""How hard a step is to read: the Flesch-Kincaid school grade of its text.

Guides are written for a reader of about 12 (grade 7 to 8). The counts are
approximate (syllables are guessed from vowel groups) but steady enough to
flag the step that needs shorter sentences.
"""

from __future__ import annotations

import functools
import re

_MARKUP = [
    (re.compile(r"\]\([^)]*\)"), "]"),  # keep a Markdown link's label, drop its address
    (re.compile(r"https?://\S+"), "link"),
    (re.compile(r"`[^`]*`"), "it"),
    (re.compile(r"[*_#>\[\]]"), ""),
]
_SENTENCE_END = re.compile(r"[.!?:;]+(?:\s|$)|\n\s*\n|\n\s*[-*\d]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_VOWELS = re.compile(r"[aeiouy]+")


_SILENT_END = re.compile(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$")


@functools.lru_cache(maxsize=8192)  # guides reuse a small vocabulary, so most words are seen before
def syllables(word: str) -> int:
    w = word.lower().strip("'’-")
    if len(w) <= 3:
        return 1
    return max(1, len(_VOWELS.findall(_SILENT_END.sub("", w))))


def grade(text: str) -> float | None:
    """The school grade, or None for text too short to judge (under 12 words)."""
    for pattern, repl in _MARKUP:
        text = pattern.sub(repl, text)
    words = _WORD.findall(text)
    if len(words) < 12:
        return None
    sentences = max(1, len([s for s in _SENTENCE_END.split(text) if _WORD.search(s)]))
    syl = sum(syllables(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syl / len(words) - 15.59
