"""Python's garbage collector, paused while the app starts.

Starting the app makes a few hundred thousand objects (Textual's modules, the
stylesheet, the first screen's widgets), and none of them is garbage yet.
The collector still walks them again and again as they pile up: about 13 ms
of the 180 ms to the first screen, measured on the bundled guides. So it is
paused when the app's package is imported, and resumed once the first screen
is drawn (HomeScreen), or when the app ends, whichever comes first. On
resuming, what start-up made is frozen (gc.freeze): it lives as long as the
app, and later collections, while the user types, need not walk it again.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
