"""A footer that is never cut off: when a screen offers more keys than fit, the least needed make room.

Textual's footer draws every key in one line and cuts what does not fit, so the
last keys (often Help and Quit) vanish without a word. A screen lists the keys
that may make room, least needed first; each of them is in the help (?).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App
from textual.binding import ActiveBinding

PALETTE_WIDTH = 12  # "▏^p palette" on the right, where a screen's footer shows it


def footer_width(app: App, shown: dict[str, ActiveBinding], *, palette: bool = False) -> int:
    """How many columns the footer needs for these keys: "key words" and a space, once per action."""
    actions: set[str] = set()
    width = PALETTE_WIDTH if palette else 0
    for active in shown.values():
        binding = active.binding
        if binding.show and binding.action not in actions:
            actions.add(binding.action)
            width += len(app.get_key_display(binding)) + len(binding.description) + 2
    return width


def fit(
    app: App, shown: dict[str, ActiveBinding], make_room: Iterable[str], *, palette: bool = False
) -> dict[str, ActiveBinding]:
    """`shown` without the first keys of `make_room` it takes for the rest to fit the window's width."""
    kept = dict(shown)
    for key in make_room:
        if footer_width(app, kept, palette=palette) <= app.size.width:
            break
        kept.pop(key, None)
    return kept
