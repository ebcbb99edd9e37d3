"""Waiting in Pilot tests for what a timer or a worker does, by what it changes, not by a fixed pause.

A fixed pause (`pilot.pause(0.5)`) that is long enough on a quiet machine is
too short on a busy CI runner; these poll what the user would notice instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable


async def until(pilot, check: Callable[[], object], *, timeout: float = 5.0, what: str = "") -> None:
    """Pause until `check()` is true; fail with `what` if it never is."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"waited {timeout:.0f} s for {what or check}"
        await pilot.pause(0.05)


def screen_words(app) -> str:
    """What the terminal shows right now, as one line of words (toasts aside)."""
    return " ".join("\n".join(strip.text for strip in app.screen._compositor.render_strips()).split())
