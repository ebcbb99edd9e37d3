"""How soon after a key the screen may be drawn again: Textual's frame cap, raised from 60 to 120 a second.

Textual draws at most one frame per 1/60 s, and after a pause its frame timer
waits for the next tick but one: a key pressed within about 30 ms of the last
frame (a held arrow key, a fast typist, keys arriving in bursts over SSH)
waited up to 25 ms before the step it showed was drawn, longer than the key's
own work (about 10 ms). At 120 a second that wait is halved. Frames are drawn
only when something changed, so an idle app draws none either way.

Set through Textual's own setting, `TEXTUAL_FPS`, before Textual is imported;
a value the user set is kept.
"""

from __future__ import annotations

import os

FRAMES_PER_SECOND = 120


def raise_cap() -> None:
    os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND))
